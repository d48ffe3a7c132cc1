// Package code finds the AWS SDK calls in application source: Go
// (aws-sdk-go-v2), Python (boto3) and JavaScript/TypeScript (AWS SDK v3),
// with the literal arguments that name resources and the environment
// variables that do. It reads source as text with patterns for the idioms
// of each SDK; calls built by reflection, wrappers in other modules or
// code generated at build time are not seen.
package code

import (
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/iamfit/iamfit/internal/source"
	"github.com/iamfit/iamfit/internal/tree"
)

// Call is one SDK call found in the source.
type Call struct {
	Service   string // the SDK's service: "s3", "sqs", "dynamodb"
	Operation string // the API operation: "GetObject"
	// Args are literal arguments by their API name (Bucket, Key, QueueUrl,
	// TableName, Name, SecretId, ...); a list literal keeps its values.
	Args map[string][]string
	// Env are arguments read from environment variables: API name -> variable.
	Env  map[string]string
	File string
	Line int
	Lang string
}

// maxFile skips files larger than this (generated or minified code).
const maxFile = 1 << 20

// Scan walks dir and returns the SDK calls of every Go, Python and
// JavaScript/TypeScript file, sorted by file and line.
func Scan(dir string) ([]Call, error) {
	t, err := tree.Walk(dir, tree.Options{})
	if err != nil {
		return nil, err
	}
	return ScanTree(t), nil
}

// ScanTree returns the SDK calls of every Go, Python and
// JavaScript/TypeScript file of a repository (not its tests, its
// .github directory or its type declarations), sorted by file and line.
func ScanTree(t *tree.Tree) []Call {
	var calls []Call
	for _, e := range t.Files {
		name := e.Name
		if strings.HasPrefix(name, ".github/") || e.Size > maxFile {
			continue
		}
		var scan func(*source.File) []Call
		switch ext := path.Ext(name); ext {
		case ".go":
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			scan = scanGo
		case ".py":
			scan = scanPython
		case ".ts", ".js", ".mjs", ".cjs", ".tsx", ".jsx":
			if strings.HasSuffix(name, ".d.ts") || strings.Contains(name, ".test.") || strings.Contains(name, ".spec.") {
				continue
			}
			scan = scanJS
		default:
			continue
		}
		f, err := t.Read(name)
		if err != nil {
			continue
		}
		calls = append(calls, scan(f)...)
	}
	sort.SliceStable(calls, func(i, j int) bool {
		if calls[i].File != calls[j].File {
			return calls[i].File < calls[j].File
		}
		return calls[i].Line < calls[j].Line
	})
	return calls
}

// lineOf returns the 1-based line of a byte offset.
func lineOf(data []byte, off int) int {
	return 1 + strings.Count(string(data[:off]), "\n")
}

// block returns the text between the brace or parenthesis at open and its
// match (or the rest of the file).
func block(s string, open int) string {
	if open >= len(s) {
		return ""
	}
	o := s[open]
	c := byte('}')
	if o == '(' {
		c = ')'
	}
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case o:
			depth++
		case c:
			depth--
			if depth == 0 {
				return s[open+1 : i]
			}
		}
	}
	return s[open+1:]
}

// argument patterns shared by the languages: Name: "literal", Name="literal".
var (
	litArgRe = regexp.MustCompile(`(?m)\b([A-Z][A-Za-z]+)\s*[:=]\s*(?:aws\.String\()?\s*f?(?:"([^"\n]+)"|'([^'\n]+)'|\x60([^\x60]+)\x60)`)
	// interpRe finds the interpolations of template literals (${x}) and
	// Python f-strings ({x}): parts of a value the code computes.
	interpRe = regexp.MustCompile(`\$?\{[^{}]*\}`)
	envArgRe = regexp.MustCompile(`(?m)\b([A-Z][A-Za-z]+)\s*[:=]\s*(?:aws\.String\()?\s*(?:os\.Getenv\(\s*"|os\.environ\[\s*["']|os\.environ\.get\(\s*["']|os\.getenv\(\s*["']|process\.env\.|process\.env\[\s*["'])([A-Za-z_][A-Za-z0-9_]*)`)
)

// listArgRe finds list literals: Names: []string{"a", "b"}, Names=['a'].
var (
	listArgRe = regexp.MustCompile(`(?m)\b([A-Z][A-Za-z]+)\s*[:=]\s*(?:\[\]string\s*\{|\[)([^\]\}\n]*)[\]\}]`)
	quotedRe  = regexp.MustCompile(`"([^"\n]*)"|'([^'\n]*)'`)
)

// args reads the literal and environment arguments of a call's text.
func args(text string) (map[string][]string, map[string]string) {
	lits, envs := map[string][]string{}, map[string]string{}
	for _, m := range envArgRe.FindAllStringSubmatch(text, -1) {
		envs[m[1]] = m[2]
	}
	for _, m := range litArgRe.FindAllStringSubmatch(text, -1) {
		if _, isEnv := envs[m[1]]; !isEnv {
			// Computed parts become wildcards: uploads/${id} -> uploads/*.
			lits[m[1]] = []string{interpRe.ReplaceAllString(m[2]+m[3]+m[4], "*")}
		}
	}
	for _, m := range listArgRe.FindAllStringSubmatch(text, -1) {
		if _, seen := lits[m[1]]; seen {
			continue
		}
		for _, q := range quotedRe.FindAllStringSubmatch(m[2], -1) {
			lits[m[1]] = append(lits[m[1]], q[1]+q[2])
		}
	}
	return lits, envs
}
