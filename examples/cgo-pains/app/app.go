package app

// NOTE: Do not use -Wall.
// #cgo CFLAGS: -g -O2 -I${SRCDIR}/../c/
// #cgo LDFLAG: ${SRCDIR}/../c/libapi.a
// #include <api.h>
// void initial_setup();
import "C"

func init() {
	C.initial_setup()
}

func AnimalDogKind() int {
	return C.ANIMAL_KIND_DOG
}

func AnimalMakeDog() C.Animal {
	return C.animal_make_dog()
}

func DoStuff() {
	dog := C.animal_make_dog()
	C.animal_print(&dog)

}
