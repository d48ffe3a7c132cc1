package github

import (
	"testing"

	"github.com/iamfit/iamfit/internal/source"
)

func TestParse(t *testing.T) {
	src := `name: deploy
on:
  push:
    branches: [main, "release/**"]
    tags: ["v*"]
  pull_request:
  workflow_dispatch:
env:
  REPO: web
permissions:
  id-token: write
jobs:
  build:
    if: github.ref == 'refs/heads/main'
    environment:
      name: production
    env:
      CLUSTER: prod
    steps:
      - uses: actions/checkout@v4
      - id: creds
        uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: ${{ vars.ROLE }}
      - run: |
          echo one
          docker push $REPO
`
	w, diags := Parse(source.NewFile("w.yml", []byte(src)))
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	if w.On.Push == nil || len(w.On.Push.Branches) != 2 || w.On.Push.Tags[0].Value != "v*" || w.On.PullRequest == nil || w.On.WorkflowDispatch == nil {
		t.Errorf("triggers = %+v", w.On)
	}
	if !w.Permissions.IDTokenWrite() {
		t.Error("id-token: write not read")
	}
	j := w.Jobs[0]
	if j.Environment == nil || j.Environment.Value != "production" || j.If == nil {
		t.Errorf("job = %+v", j)
	}
	s := j.Steps[1]
	if name, ver := s.Action(); name != "aws-actions/configure-aws-credentials" || ver != "v4" || s.ID.Value != "creds" {
		t.Errorf("step = %q %q", name, ver)
	}
	if v, _ := s.With.Get("role-to-assume"); v.Pos.Line != 24 {
		t.Errorf("with position = %v", v.Pos)
	}
	if run := j.Steps[2]; run.RunLine != 26 {
		t.Errorf("run line = %d, want 26", run.RunLine)
	}
}

func TestParseErrors(t *testing.T) {
	for _, src := range []string{"on: [push\n", "- a\n- b\n", "jobs: 3\n", "jobs:\n  a:\n    steps:\n      - name: nothing\n"} {
		_, diags := Parse(source.NewFile("w.yml", []byte(src)))
		if len(diags) == 0 {
			t.Errorf("Parse(%q): no diagnostic", src)
		}
		for _, d := range diags {
			if !d.Pos.IsValid() {
				t.Errorf("Parse(%q): diagnostic without position: %v", src, d)
			}
		}
	}
}

func TestExpand(t *testing.T) {
	sc := &Scope{Env: []Map{{{Key: String{Value: "A"}, Value: String{Value: "x"}}}},
		Outputs: map[string]map[string]string{"login": {"registry": "1.dkr.ecr.r.amazonaws.com"}},
		Matrix:  map[string][]String{"one": {{Value: "solo"}}, "many": {{Value: "a"}, {Value: "b"}}},
		Vars:    map[string]string{"GIVEN": "g"}}
	tests := map[string]string{
		"${{ env.A }}/y":                        "x/y",
		"${{ steps.login.outputs.registry }}/r": "1.dkr.ecr.r.amazonaws.com/r",
		"${{ vars.ROLE }}":                      "{{ROLE}}",
		"${{ secrets.GIVEN }}":                  "g",
		"${{ matrix.one }}-${{ matrix.many }}":  "solo-{{matrix.many}}",
		"${{ github.sha }}":                     "{{github.sha}}",
		"${{ env.MISSING }}":                    "{{MISSING}}",
		"${{ format('{0}', env.A) }}":           "x",
		// GitHub's expression language, through actionlint's parser.
		"${{ vars.BUCKET || 'fallback' }}/k":                               "{{BUCKET}}/k",
		"${{ vars.MISSING_NOT_GIVEN || 'eu-west-1' }}":                     "{{MISSING_NOT_GIVEN}}",
		"${{ secrets.GIVEN || 'other' }}":                                  "g",
		"${{ '' || 'fallback' }}":                                          "fallback",
		"${{ format('arn:aws:iam::{0}:role/{1}', vars.GIVEN, 'deploy') }}": "arn:aws:iam::g:role/deploy",
		"${{ format('{{{0}}}', 'x') }}":                                    "{x}",
		"${{ fromJSON('[\"a\",\"b\"]')[1] }}":                              "b",
		"${{ fromJSON('{\"acct\": \"123456789012\"}').acct }}":             "123456789012",
		"${{ join(fromJSON('[\"a\",\"b\"]'), '+') }}":                      "a+b",
		"${{ contains('refs/heads/main', 'main') }}":                       "true",
		"${{ startsWith('Refs/Tags/v1', 'refs/tags/') }}":                  "true",
		"${{ endsWith(env.A, 'y') }}":                                      "false",
		"${{ 1 == '1' }}":                                                  "true",
		"${{ toJSON(fromJSON('[1]')) }}":                                   "[\n  1\n]",
		"${{ github.ref == 'refs/heads/main' && 'prod' || 'dev' }}":        "{{github.ref_refs_heads_main_prod_dev}}",
		"${{ matrix['one'] }}":                                             "solo",
		"${{ vars.Mixed_Case }}":                                           "{{Mixed_Case}}",
		"${{ steps.login.outputs['registry'] }}":                           "1.dkr.ecr.r.amazonaws.com",
		"${{ env.A }}${{ env.A }}":                                         "xx",
		"${{ 'a}}b' }}c":                                                   "a}}bc",
		"no expressions":                                                   "no expressions",
		"${{ steps.nope.outputs.registry }}/xyz":                           "{{nope.registry}}/xyz",
	}
	for in, want := range tests {
		if got := sc.Expand(in); got != want {
			t.Errorf("Expand(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("on: push\njobs:\n  a:\n    steps:\n      - run: aws ecs update-service --cluster c --service s\n"))
	f.Add([]byte("on:\n  push:\n    branches: [main]\njobs: {a: {environment: prod, steps: [{uses: x@v1, with: {a: b}}]}}\n"))
	f.Add([]byte("env: &e {A: b}\non: push\njobs:\n  a: &j\n    env: *e\n    steps: [{run: x}]\n  b: *j\n  b: {}\n"))
	f.Add([]byte("a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		w, _ := Parse(source.NewFile("fuzz.yml", data))
		if w == nil {
			return
		}
		for _, j := range w.Jobs {
			_ = j.If
			for _, s := range j.Steps {
				s.Action()
			}
		}
	})
}
