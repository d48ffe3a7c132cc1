package github

import (
	"strings"
	"testing"
	"time"

	"github.com/iamfit/iamfit/internal/source"
)

// TestAliases: aliases are read as GitHub reads them, keys a mapping
// repeats are errors, and an alias bomb is refused at once.
func TestAliases(t *testing.T) {
	src := `on: {push: {branches: [main]}}
env: &env
  REGION: eu-west-1
jobs:
  a:
    environment: &prod production
    env: *env
    steps: &steps
      - run: aws ecs update-service --cluster c --service s
  b:
    environment: *prod
    steps: *steps
`
	w, diags := Parse(source.NewFile("w.yml", []byte(src)))
	if len(diags) > 0 || w == nil || len(w.Jobs) != 2 {
		t.Fatalf("%v %v", w, diags)
	}
	b := w.Jobs[1]
	if v, _ := w.Jobs[0].Env.Get("REGION"); v.Value != "eu-west-1" {
		t.Errorf("job a env %v", w.Jobs[0].Env)
	}
	if len(b.Steps) != 1 || b.Environment == nil || b.Environment.Value != "production" {
		t.Errorf("job b: %d steps, environment %v", len(b.Steps), b.Environment)
	}

	dup := "on: push\njobs:\n  a:\n    environment: dev\n    environment: production\n    steps: [{run: x}]\n"
	w, diags = Parse(source.NewFile("w.yml", []byte(dup)))
	if len(diags) != 1 || !strings.Contains(diags[0].String(), `w.yml:5:5: error: key "environment" repeats the one at line 4`) {
		t.Errorf("duplicate: %v", diags)
	}
	if w == nil || w.Jobs[0].Environment == nil || w.Jobs[0].Environment.Value != "dev" {
		t.Errorf("duplicate: want the first read")
	}

	// 9 levels of 10 aliases each: 10^9 nodes expanded.
	var bomb strings.Builder
	bomb.WriteString("on: push\nx0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 10; i++ {
		ref := "*a" + string(rune('0'+i-1))
		bomb.WriteString("x" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [" + strings.Repeat(ref+", ", 9) + ref + "]\n")
	}
	bomb.WriteString("jobs: {a: {steps: *a9}}\n")
	start := time.Now()
	w, diags = Parse(source.NewFile("w.yml", []byte(bomb.String())))
	if w != nil || len(diags) != 1 || !strings.Contains(diags[0].Message, "more than 1000000 YAML nodes") || time.Since(start) > time.Second {
		t.Errorf("bomb: %v %v in %v", w != nil, diags, time.Since(start))
	}
}
