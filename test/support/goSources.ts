// Go sources the LSP tests open.

/**
 * The cgo-pains article's app/app.go ("White space is significant"): the prose note right
 * above `// #cgo CFLAGS:` is part of the preamble, so gcc compiles it.
 */
export const articleAppGo = `package app

// NOTE: Do not use -Wall.
// #cgo CFLAGS: -g -O2 -I\${SRCDIR}/../c/
// #include <api.h>
// void initial_setup();
import "C"
import _ "example.com/article-note-above-cgo/c" // links api.c; the article links \${SRCDIR}/../c/libapi.a

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
`;

/** The article's app/cfuncs.go: a second cgo file of the same package, clean. */
export const articleCfuncsGo = `package app

/*
void initial_setup(){}
*/
import "C"
`;

/** A clean cgo file whose preamble comment sits right above import "C" (line 4). */
export const twiceGo = `package app

// #include <stdlib.h>
// static int twice(int x) { return 2 * x; }
import "C"

func Twice(x int) int { return int(C.twice(C.int(x))) }
`;

/** The article's c/api.h, as its "full code" addendum gives it. */
export const articleApiH = `#pragma once
#include <stdint.h>

typedef struct {
  char *data;
  uint64_t len;
} String;

typedef enum {
  ANIMAL_KIND_DOG,
  ANIMAL_KIND_CAT,
} AnimalKind;

typedef struct {
  AnimalKind kind;
  union {
    String cat_name;   // Only for \`ANIMAL_KIND_CAT\`.
    uint16_t dog_tail; // Only for \`ANIMAL_KIND_DOG\`.
  };
} Animal;

Animal animal_make_dog();

Animal animal_make_cat();

void animal_print(Animal *animal);

uint16_t animal_dog_get_tail(Animal *animal);

String animal_cat_get_name(Animal *animal);
`;
