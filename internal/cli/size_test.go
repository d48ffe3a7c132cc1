package cli

import (
	"fmt"
	"testing"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/source"
	"github.com/iamfit/iamfit/internal/synth"
)

// TestSizeWarning: a generated policy larger than AWS accepts for a role
// is warned about; a small one is not.
func TestSizeWarning(t *testing.T) {
	cat := catalog.MustLoad()
	r := &need.Role{ARN: "arn:aws:iam::111122223333:role/d", Account: "111122223333", Kind: need.Deploy}
	if _, ok := sizeWarning(synth.Generate(r, "o/r", cat)); ok {
		t.Errorf("warned on an empty policy")
	}
	for i := 0; i < 300; i++ {
		r.Needs = append(r.Needs, need.Need{Action: "ecs:UpdateService", Resource: fmt.Sprintf("arn:aws:ecs:eu-west-1:111122223333:service/prod/service-%03d", i),
			File: ".github/workflows/w.yml", Pos: source.Pos{Line: 9, Col: 7}})
	}
	if d, ok := sizeWarning(synth.Generate(r, "o/r", cat)); !ok || d.Check != "policy-size" || d.File != ".github/workflows/w.yml" || d.Pos.Line != 9 {
		t.Errorf("size warning for 300 services: %v, %v (want it at the step that needs the role)", d, ok)
	}
}
