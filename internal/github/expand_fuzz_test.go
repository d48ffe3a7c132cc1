package github

import (
	"strings"
	"testing"
	"time"

	"github.com/iamfit/iamfit/internal/source"
)

// FuzzExpand feeds the expression expander hostile env chains, matrix
// values and expressions: it must end, quickly, with bounded output.
func FuzzExpand(f *testing.F) {
	f.Add("${{ env.X }}", "${{ env.X }}-prod", "${{ env.X }}${{ env.X }}")
	f.Add("${{ format('{0}{0}{0}', env.A) }}", "${{ fromJSON(env.A)[0] }}", "${{ env.A || env.B && matrix.m }}")
	f.Add("${{ toJSON(github) }}", "${{ matrix.m }}", "${{ vars.X || 'd' }}}}")
	f.Add("${{", "}}${{ ' }}", "${{ contains(fromJSON('[1,2]'), 1) }}")
	f.Fuzz(func(t *testing.T, workflow, job, step string) {
		kv := func(v string) Map {
			return Map{{Key: String{Value: "A"}, Value: String{Value: v}}, {Key: String{Value: "X"}, Value: String{Value: v}}}
		}
		sc := &Scope{Env: []Map{kv(workflow), kv(job), kv(step)}, Matrix: map[string][]String{"m": {{Value: step}}},
			Outputs: map[string]map[string]string{}}
		start := time.Now()
		out := sc.Expand(step + workflow)
		if time.Since(start) > 2*time.Second {
			t.Fatalf("Expand took %v", time.Since(start))
		}
		if len(out) > maxExpanded+len(step)+len(workflow) {
			t.Fatalf("Expand grew to %d bytes", len(out))
		}
	})
}

// FuzzReadWorkflow runs a whole workflow through the job reader: no
// panic, no hang, whatever the YAML.
func FuzzReadWorkflow(f *testing.F) {
	f.Add([]byte("on: push\njobs:\n  a:\n    env: {X: '${{ env.X }}'}\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with: {role-to-assume: 'arn:aws:iam::1:role/r'}\n      - run: aws ecs update-service --cluster $X --service s\n"))
	f.Add([]byte("on: workflow_call\njobs:\n  a:\n    uses: ./.github/workflows/w.yml\n"))
	f.Add([]byte("on: [push]\njobs:\n  a:\n    strategy: {matrix: {a: [1,2,3], b: [4,5,6]}}\n    if: github.ref == 'refs/heads/main' || startsWith(github.ref, 'refs/tags/')\n    steps: [{uses: ./x}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		w, _ := Parse(source.NewFile(".github/workflows/w.yml", data))
		if w == nil {
			return
		}
		start := time.Now()
		Read([]*Workflow{w}, Options{Repo: "o/r", ReadFile: func(name string) (*source.File, error) {
			if strings.HasSuffix(name, "w.yml") {
				return source.NewFile(name, data), nil
			}
			return nil, errNoFile
		}})
		if time.Since(start) > 5*time.Second {
			t.Fatalf("Read took %v", time.Since(start))
		}
	})
}

type noFile struct{}

func (noFile) Error() string { return "no such file" }

var errNoFile error = noFile{}
