package github

import (
	"testing"

	"github.com/iamfit/iamfit/internal/source"
)

// FuzzParseAction: no action.yml panics or takes long; what is read is
// usable.
func FuzzParseAction(f *testing.F) {
	f.Add([]byte("name: x\ninputs:\n  region: {default: eu-west-1}\nruns:\n  using: composite\n  steps:\n    - run: aws s3 cp a s3://b/${{ inputs.region }}\n      shell: bash\n"))
	f.Add([]byte("inputs: &i {a: {default: *i}}\nruns: {using: node20, main: index.js}\n"))
	f.Add([]byte("runs:\n  using: composite\n  steps: &s [{uses: ./x}]\n  steps: *s\n"))
	f.Add([]byte("- a\n- b\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, _ := ParseAction(source.NewFile("action.yml", data))
		if a == nil {
			return
		}
		for _, s := range a.Steps {
			s.Action()
		}
	})
}
