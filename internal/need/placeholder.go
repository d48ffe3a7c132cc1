package need

import (
	"regexp"
	"strings"
	"sync"
)

// placeholderRe finds the placeholders that templates and READMEs put
// where a real name goes: <aws account id>, MY_AWS_REGION,
// YOUR_ECS_CLUSTER, ACCOUNT_ID, REPLACE_ME, xxxxxxxxxxxx. Documentation's
// example account 123456789012 is a real-looking value and not one.
var placeholderRe = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`<[^<>{}]+>|\b(?:(?:MY|YOUR)_[A-Z0-9_]+|(?:AWS_)?ACCOUNT_(?:ID|NUMBER)|REPLACE_?ME|CHANGE_?ME|[xX]{6,})\b`)
})

// Placeholders replaces each template placeholder in s by a parameter:
// AccountId for an account, Region for a region, name when the
// placeholder is all of s (name is the parameter the caller would use
// for an unknown value), else one named after the placeholder's words
// (YOUR_ECS_CLUSTER is {{EcsCluster}}). It returns the placeholders
// found, none when s has none.
func Placeholders(s, name string) (string, []string) {
	if !mayHold(s) {
		return s, nil
	}
	var found []string
	var b strings.Builder
	last := 0
	for _, m := range placeholderRe().FindAllStringIndex(s, -1) {
		if strings.HasSuffix(s[:m[0]], "{{") && strings.HasPrefix(s[m[1]:], "}}") {
			continue // already a parameter: {{ACCOUNT_ID}}
		}
		ph := s[m[0]:m[1]]
		found = append(found, ph)
		p := placeholderName(ph)
		if len(ph) == len(s) && name != "" && p != "AccountId" && p != "Region" {
			p = name
		}
		b.WriteString(s[last:m[0]])
		b.WriteString(Param(p))
		last = m[1]
	}
	if found == nil {
		return s, nil
	}
	b.WriteString(s[last:])
	return b.String(), found
}

// mayHold reports whether s has what every match of placeholderRe has:
// a '<' and a '>', one of the words, or six x's; most values have none,
// and the expression costs more than these looks.
func mayHold(s string) bool {
	if strings.IndexByte(s, '<') >= 0 && strings.IndexByte(s, '>') >= 0 {
		return true
	}
	for _, w := range placeholderWords {
		if strings.Contains(s, w) {
			return true
		}
	}
	run := 0
	for i := 0; i < len(s); i++ {
		if s[i] == 'x' || s[i] == 'X' {
			if run++; run >= 6 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

// placeholderWords are the words placeholderRe's alternatives begin
// with or hold.
var placeholderWords = []string{"MY_", "YOUR_", "ACCOUNT_", "REPLACE", "CHANGE"}

// IsPlaceholder reports whether s holds a template placeholder.
func IsPlaceholder(s string) bool { _, found := Placeholders(s, ""); return found != nil }

func placeholderName(m string) string {
	lc := strings.ToLower(m)
	switch {
	case strings.Contains(lc, "account"):
		return "AccountId"
	case strings.Contains(lc, "region"):
		return "Region"
	case len(lc) == 12 && strings.Trim(lc, "x") == "":
		return "AccountId" // twelve x's stand for an account id
	}
	var b strings.Builder
	for _, w := range strings.FieldsFunc(lc, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') }) {
		switch w {
		case "my", "your", "the", "aws", "me", "replace", "change":
			continue
		}
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	if b.Len() == 0 || strings.Trim(lc, "x") == "" {
		return "Value"
	}
	return b.String()
}
