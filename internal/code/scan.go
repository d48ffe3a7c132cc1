// Package code finds the AWS SDK calls in application source: Go
// (aws-sdk-go-v2), Python (boto3) and JavaScript/TypeScript (AWS SDK v3),
// with the literal arguments that name resources and the environment
// variables that do. It reads source as text with patterns for the idioms
// of each SDK; calls built by reflection, wrappers in other modules or
// code generated at build time are not seen.
package code

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/iamfit/iamfit/internal/source"
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

var skipDirs = map[string]bool{".git": true, "node_modules": true, "vendor": true, ".venv": true, "venv": true,
	"__pycache__": true, "dist": true, "build": true, ".terraform": true, "testdata": true, ".github": true}

// Scan walks dir and returns the SDK calls of every Go, Python and
// JavaScript/TypeScript file, sorted by file and line.
func Scan(dir string) ([]Call, error) {
	var calls []Call
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // unreadable entries are skipped
		}
		if d.IsDir() {
			if path != dir && skipDirs[d.Name()] {
				return filepath.SkipDir
			}
			return nil
		}
		var scan func(*source.File) []Call
		switch ext := filepath.Ext(path); ext {
		case ".go":
			if strings.HasSuffix(path, "_test.go") {
				return nil
			}
			scan = scanGo
		case ".py":
			scan = scanPython
		case ".ts", ".js", ".mjs", ".cjs", ".tsx", ".jsx":
			if strings.HasSuffix(path, ".d.ts") || strings.Contains(path, ".test.") || strings.Contains(path, ".spec.") {
				return nil
			}
			scan = scanJS
		default:
			return nil
		}
		info, err := d.Info()
		if err != nil || info.Size() > maxFile {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			rel = path
		}
		calls = append(calls, scan(source.NewFile(filepath.ToSlash(rel), data))...)
		return nil
	})
	sort.SliceStable(calls, func(i, j int) bool {
		if calls[i].File != calls[j].File {
			return calls[i].File < calls[j].File
		}
		return calls[i].Line < calls[j].Line
	})
	return calls, err
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
