// Command shake prints a greeting. Shake well before use.
package main

import (
	"fmt"
	"os"
)

func main() {
	name := "world"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	err := greet(name)
	if err != nil {
		os.Exit(1)
	}
}

func greet(name string) error {
	_, err := fmt.Printf("Hello, %s!\n", name)
	return err
}
