package render

import (
	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/iamfit/iamfit/internal/source"
)

// withFix adds a finding's mechanical fix to its SARIF result as a
// replacement of the region (SARIF 2.1.0 §3.55, fix objects), which code
// scanning and editors offer to apply.
func withFix(res *sarif.Result, fix source.Fix, loc *sarif.ArtifactLocation) {
	if !fix.IsValid() {
		return
	}
	region := sarif.NewRegion().WithStartLine(fix.Start.Line).WithStartColumn(fix.Start.Col).
		WithEndLine(fix.End.Line).WithEndColumn(fix.End.Col)
	change := sarif.NewArtifactChange(loc).
		WithReplacement(sarif.NewReplacement(region).WithInsertedContent(sarif.NewArtifactContent().WithText(fix.New)))
	res.AddFix(sarif.NewFix().WithDescriptionText(fix.Description).WithArtifactChanges([]*sarif.ArtifactChange{change}))
}
