package commands

import (
	"strings"

	"github.com/iamfit/iamfit/internal/need"
)

// Command is one simple command found in a run: script.
type Command struct {
	// Line is the 0-based line of the script where the command starts.
	Line int
	Args []string
}

// Commands reads a run: script line by line: it joins continuation lines,
// drops comments, follows VAR=value and export VAR=value assignments,
// expands $VAR and ${VAR} (from the assignments, then from lookup), splits
// at ;, &&, || and |, and looks into $( ... ) substitutions. Variables it
// cannot resolve become {{VAR}} parameters. It is a reader for the
// commands deploy scripts run, not a shell: loops and functions are read
// as the commands inside them.
func Commands(script string, lookup func(string) (string, bool)) []Command {
	vars := map[string]string{}
	get := func(name string) string {
		if v, ok := vars[name]; ok {
			return v
		}
		if lookup != nil {
			if v, ok := lookup(name); ok {
				return v
			}
		}
		return need.Param(name)
	}
	var out []Command
	lines := strings.Split(script, "\n")
	for i := 0; i < len(lines); i++ {
		start := i
		line := lines[i]
		for strings.HasSuffix(strings.TrimRight(line, " \t"), "\\") && i+1 < len(lines) {
			line = strings.TrimSuffix(strings.TrimRight(line, " \t"), "\\") + " " + lines[i+1]
			i++
		}
		for _, seg := range splitCommands(line) {
			words := words(seg, get)
			// Leading assignments: VAR=value cmd, or a bare assignment.
			k := 0
			for k < len(words) && isAssignment(words[k]) {
				name, val, _ := strings.Cut(words[k], "=")
				vars[name] = val
				k++
			}
			words = words[k:]
			if len(words) >= 2 && (words[0] == "export" || words[0] == "local" || words[0] == "declare") {
				for _, w := range words[1:] {
					if isAssignment(w) {
						name, val, _ := strings.Cut(w, "=")
						vars[name] = val
					}
				}
				continue
			}
			for len(words) > 0 && (words[0] == "sudo" || words[0] == "time" || words[0] == "exec" || words[0] == "then" || words[0] == "do" || words[0] == "else") {
				words = words[1:]
			}
			if len(words) > 0 {
				out = append(out, Command{Line: start, Args: words})
			}
		}
	}
	return out
}

func isAssignment(w string) bool {
	name, _, ok := strings.Cut(w, "=")
	if !ok || name == "" {
		return false
	}
	for i, r := range name {
		if !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// splitCommands splits a line at ;, &&, || and | outside quotes, drops a
// trailing comment, and adds the commands inside $( ... ) as segments.
func splitCommands(line string) []string {
	var segs []string
	var cur strings.Builder
	var inner []string
	quote := byte(0)
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
			if c == '$' && i+1 < len(line) && line[i+1] == '(' && quote == '"' {
				if end := matchParen(line, i+1); end > 0 {
					inner = append(inner, splitCommands(line[i+2:end])...)
				}
			}
			cur.WriteByte(c)
		case c == '\'' || c == '"':
			quote = c
			cur.WriteByte(c)
		case c == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
			i = len(line)
		case c == '$' && i+1 < len(line) && line[i+1] == '(':
			if end := matchParen(line, i+1); end > 0 {
				inner = append(inner, splitCommands(line[i+2:end])...)
				cur.WriteString("{{$(...)}}")
				i = end
				continue
			}
			cur.WriteByte(c)
		case c == ';' || c == '|' || (c == '&' && i+1 < len(line) && line[i+1] == '&'):
			segs = append(segs, cur.String())
			cur.Reset()
			if i+1 < len(line) && (line[i+1] == '&' || line[i+1] == '|') {
				i++
			}
		default:
			cur.WriteByte(c)
		}
	}
	segs = append(segs, cur.String())
	var out []string
	for _, s := range append(segs, inner...) {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

func matchParen(s string, open int) int {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// words splits a command into words with quotes removed and variables
// expanded (not inside single quotes).
func words(seg string, get func(string) string) []string {
	var out []string
	var cur strings.Builder
	have := false
	quote := byte(0)
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		switch {
		case quote == '\'':
			if c == '\'' {
				quote = 0
			} else {
				cur.WriteByte(c)
			}
		case c == '\'' && quote == 0:
			quote, have = '\'', true
		case c == '"':
			if quote == '"' {
				quote = 0
			} else {
				quote, have = '"', true
			}
		case c == '\\' && i+1 < len(seg):
			i++
			cur.WriteByte(seg[i])
			have = true
		case c == '$' && i+1 < len(seg):
			name, n := varName(seg[i+1:])
			if name == "" {
				cur.WriteByte(c)
				have = true
				continue
			}
			cur.WriteString(get(name))
			have = true
			i += n
		case (c == ' ' || c == '\t') && quote == 0:
			if have {
				out = append(out, cur.String())
				cur.Reset()
				have = false
			}
		default:
			cur.WriteByte(c)
			have = true
		}
	}
	if have {
		out = append(out, cur.String())
	}
	return out
}

// varName reads the name after $: NAME or {NAME} (with :- defaults
// ignored); it returns the name and how many bytes it used.
func varName(s string) (string, int) {
	if strings.HasPrefix(s, "{") {
		end := strings.IndexByte(s, '}')
		if end < 0 {
			return "", 0
		}
		name := s[1:end]
		if i := strings.IndexAny(name, ":-=?+"); i >= 0 {
			name = name[:i]
		}
		return name, end + 1
	}
	n := 0
	for n < len(s) && (s[n] == '_' || s[n] >= 'A' && s[n] <= 'Z' || s[n] >= 'a' && s[n] <= 'z' || n > 0 && s[n] >= '0' && s[n] <= '9') {
		n++
	}
	return s[:n], n
}
