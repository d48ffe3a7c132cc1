package commands

import (
	"os"
	"testing"
)

func BenchmarkCommands(b *testing.B) {
	src, err := os.ReadFile("testdata/deploy.sh")
	if err != nil {
		b.Fatal(err)
	}
	script := string(src)
	lookup := func(n string) (string, bool) {
		if n == "GITHUB_SHA" {
			return "0123456789abcdef0123456789abcdef01234567", true
		}
		return "", false
	}
	if cmds, err := Parse(script, lookup); err != nil || len(cmds) < 50 {
		b.Fatalf("%d commands, error %v", len(cmds), err)
	}
	b.SetBytes(int64(len(script)))
	b.ReportAllocs()
	for b.Loop() {
		Commands(script, lookup)
	}
}
