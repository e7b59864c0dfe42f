package syshdr

// #include <stdio.h>
// #include <stdlib.h>
import "C"

import "unsafe"

// Release frees memory that C allocated.
func Release(p unsafe.Pointer) {
	C.free(p)
}
