package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/iamfit/iamfit/internal/source"
)

// GitHub writes each diagnostic as a GitHub Actions workflow command
// (::error file=F,line=L,col=C,title=CHECK::MESSAGE), which the runner
// turns into an annotation on the file and line of the pull request
// (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#setting-an-error-message).
// Info findings are notices.
func GitHub(w io.Writer, ds []source.Diagnostic) error {
	for _, d := range ds {
		cmd := "notice"
		switch d.Severity {
		case source.Error:
			cmd = "error"
		case source.Warning:
			cmd = "warning"
		}
		props := []string{"file=" + githubProperty(strings.TrimPrefix(d.File, "./"))}
		if d.Pos.IsValid() {
			props = append(props, fmt.Sprintf("line=%d", d.Pos.Line), fmt.Sprintf("col=%d", d.Pos.Col))
		}
		if d.Check != "" {
			props = append(props, "title="+githubProperty(d.Check))
		}
		msg := d.Message
		if d.Check != "" {
			msg += " [" + d.Check + "]"
		}
		if _, err := fmt.Fprintf(w, "::%s %s::%s\n", cmd, strings.Join(props, ","), githubData(msg)); err != nil {
			return err
		}
	}
	return nil
}

// githubData escapes a workflow command's message: %, CR and LF.
func githubData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// githubProperty escapes a workflow command's property value: as a message,
// and also : and , which separate properties.
func githubProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
