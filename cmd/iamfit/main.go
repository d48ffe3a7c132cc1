// Command iamfit gives container deploy pipelines exactly the AWS IAM they
// need. See README.md, or run `iamfit help`.
package main

import (
	"os"

	"github.com/iamfit/iamfit/internal/cli"
)

func main() {
	cmd := cli.Command{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	os.Exit(cmd.Main(os.Args[1:]))
}
