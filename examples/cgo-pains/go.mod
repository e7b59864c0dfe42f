module cgo

// The article says go 1.23.1; 1.19 lets both toolchains the oracle uses build it.
go 1.19
