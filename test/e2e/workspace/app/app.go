package app

// NOTE: Do not use -Wall.
// #cgo CFLAGS: -g -O2
// void initial_setup();
import "C"

func init() {
	C.initial_setup()
}
