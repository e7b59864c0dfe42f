package app

/*
void initial_setup(){}
*/

import "C"
