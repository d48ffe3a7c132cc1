package commands

import (
	"strings"
	"testing"
)

func FuzzCommands(f *testing.F) {
	for _, tc := range shellCases {
		f.Add(tc.script)
	}
	f.Add("aws ecs update-service --cluster \"$C\" --service ${S:-x} | tee $(echo a) && b; c || d\n")
	f.Add("X='it''s' Y=\"a \\\" b\" cmd $X\\\n  more")
	f.Add("cat <<EOF\n$(aws x)\nEOF\n")
	f.Add("echo \"unterminated\naws s3 ls")
	f.Add("$(((" + strings.Repeat("(", 300) + "\n")
	f.Add("f() { f; }; f; eval 'eval \"f\"'")
	f.Fuzz(func(t *testing.T, script string) {
		cmds, _ := Parse(script, func(string) (string, bool) { return "v", true })
		if len(cmds) > MaxCommands {
			t.Fatalf("%d commands", len(cmds))
		}
		for _, c := range cmds {
			if len(c.Args) == 0 {
				t.Fatalf("command without args at line %d", c.Line)
			}
			if c.Line < 0 || c.Col < 0 {
				t.Fatalf("position %d:%d", c.Line, c.Col)
			}
		}
	})
}
