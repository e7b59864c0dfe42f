package app

import "testing"
import "C"

func TestAnimalMakeDog(t *testing.T) {
	dog := C.animal_make_dog()
	_ = dog
}
