package app

import "testing"
import "C"

func TestSetup(t *testing.T) {
	C.initial_setup()
}
