package main

import "cgo/app"

func main() {
	app.DoStuff()
}
