package render

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/iamfit/iamfit/internal/explain"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/policy"
)

// Explained is what explain writes: the reports of a message, or of the
// distinct denials of a log with what the read saw.
type Explained struct {
	Reports []*explain.Report
	// Log is set for a log's denials; nil for a message.
	Log *LogStats
}

// LogStats is what reading a log saw, for formats that carry it.
type LogStats struct {
	Records, Files int
	Skipped        []string
}

// ExplainFormat writes explain's result in one format.
type ExplainFormat struct {
	Name  string
	Write func(w io.Writer, e *Explained) error
}

// explainFormats is the registry of explain's formats, in the order help
// texts list them.
var explainFormats = []*ExplainFormat{
	{Name: "text", Write: explainText},
	{Name: "json", Write: explainJSON},
}

// LookupExplain returns explain's format of that name.
func LookupExplain(name string) (*ExplainFormat, bool) { return lookup(explainFormats, name) }

// ExplainFormats lists explain's formats: "text or json".
func ExplainFormats() string { return names(explainFormats) }

func explainText(w io.Writer, e *Explained) error {
	if e.Log == nil && len(e.Reports) == 1 {
		Explanation(w, e.Reports[0])
		return nil
	}
	DenialGroups(w, e.Reports)
	return nil
}

// Explanation writes the explanation of one denial as text.
func Explanation(w io.Writer, r *explain.Report) {
	d := r.Denial
	fmt.Fprintf(w, "Denied: %s\n", d.Action)
	if d.Principal != "" {
		fmt.Fprintf(w, "  principal: %s", d.Principal)
		if r.SessionOf != "" {
			fmt.Fprintf(w, " (a session of role %s)", r.SessionOf)
		}
		fmt.Fprintln(w)
	}
	if d.Resource != "" {
		fmt.Fprintf(w, "  resource:  %s\n", d.Resource)
	}
	if d.Operation != "" {
		fmt.Fprintf(w, "  operation: %s (%s)\n", d.Operation, d.Code)
	}
	switch {
	case d.Type == explain.WebIdentity && (d.TokenError != "" || strings.HasPrefix(d.Code, "InvalidIdentityToken")):
		fmt.Fprintf(w, "  denied by: STS could not validate the web identity token (%s), before reading the trust policy\n", nonEmpty(d.TokenError, d.Code))
	case d.Type == explain.WebIdentity && d.Action == "sts:AssumeRoleWithSAML":
		fmt.Fprintf(w, "  denied by: the role's trust policy refused the SAML assertion\n")
	case d.Type == explain.WebIdentity:
		fmt.Fprintf(w, "  denied by: the role's trust policy refused the web identity token\n")
	case d.Explicit:
		fmt.Fprintf(w, "  denied by: an explicit deny in the %s\n", nonEmpty(string(d.Type), "a policy"))
	case d.Type != explain.Unknown:
		fmt.Fprintf(w, "  denied by: no %s allows it\n", d.Type)
	default:
		fmt.Fprintf(w, "  denied by: not said (older message form)\n")
	}
	if r.WebIdentity != nil {
		fmt.Fprintf(w, "\nTrust policy %s, %s:\n", r.Trust.Name, tokenLine(r.Token))
		for _, reason := range r.WebIdentity.Reasons {
			fmt.Fprintf(w, "  - %s\n", reason)
		}
		return
	}
	if r.TokenNote != "" {
		fmt.Fprintf(w, "  token:     %s\n", r.TokenNote)
	}
	if adv := r.Fix; adv != nil {
		fmt.Fprintf(w, "\nFix: in %s", adv.Where)
		if adv.Statement != nil {
			fmt.Fprintf(w, ", add:\n")
			IndentedPolicy(w, adv.Statement)
		} else {
			fmt.Fprintln(w)
		}
		for _, n := range adv.Notes {
			fmt.Fprintf(w, "  note: %s\n", n)
		}
	}
	if r.Simulation != nil {
		simulation(w, d, r.Simulation)
	}
}

func simulation(w io.Writer, d *explain.Denial, sim *explain.Simulation) {
	fmt.Fprintf(w, "\nSimulated with the given policies: %s\n", sim.Result)
	for _, sr := range sim.Statements {
		st, p := sr.Statement, sr.Policy
		where := fmt.Sprintf("%s:%d:%d %s", p.Name, st.Pos.Line, st.Pos.Col, st.Path)
		if st.Sid != nil {
			where += fmt.Sprintf(" (Sid %q)", st.Sid.Value)
		}
		switch sr.Verdict {
		case explain.Denies:
			fmt.Fprintf(w, "  %s denies it [%s]\n", where, p.Kind)
		case explain.Allows:
			fmt.Fprintf(w, "  %s allows it [%s]\n", where, p.Kind)
		case explain.OtherResources:
			fmt.Fprintf(w, "  %s allows %s, but on other resources: %s [%s]\n", where, d.Action, sr.Resources, p.Kind)
		case explain.ConditionsFail:
			fmt.Fprintf(w, "  %s would allow it, but its conditions do not hold: %s [%s]\n", where, strings.Join(sr.Conditions, ", "), p.Kind)
		}
	}
	for _, k := range sim.Blocked {
		fmt.Fprintf(w, "  why: %s\n", BlockedPhrase(k))
	}
}

// DenialGroups writes the explanations of the distinct denials of a log,
// each with its count of events.
func DenialGroups(w io.Writer, reports []*explain.Report) {
	for i, r := range reports {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "[%d event(s)] ", r.Events)
		if tok := r.Token; tok != nil && r.Trust == nil {
			fmt.Fprintf(w, "%s, role %s\n", tokenLine(tok), tok.RoleARN)
		}
		Explanation(w, r)
	}
}

// IndentedPolicy writes a policy's JSON indented by two spaces.
func IndentedPolicy(w io.Writer, p *policy.Policy) {
	data, err := policy.Marshal(p)
	if err != nil {
		fmt.Fprintf(w, "  (cannot render: %v)\n", err)
		return
	}
	// Every line with its indent, in one write.
	data = bytes.TrimRight(data, "\n")
	out := make([]byte, 0, len(data)+3*(bytes.Count(data, []byte("\n"))+1))
	for {
		line, rest, more := bytes.Cut(data, []byte("\n"))
		out = append(append(append(out, "  "...), line...), '\n')
		if !more {
			break
		}
		data = rest
	}
	w.Write(out)
}

func nonEmpty(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// tokenLine describes a web identity token or SAML assertion: its
// subject, audience and provider.
func tokenLine(t *explain.Token) string {
	if t.SAML {
		s := fmt.Sprintf("SAML assertion subject %q, name qualifier %q", t.Subject, t.Issuer)
		if t.ProviderARN != "" {
			s += ", provider " + t.ProviderARN
		}
		return s
	}
	s := fmt.Sprintf("token subject %q, audience %q", t.Subject, t.Audience)
	switch {
	case t.ProviderARN != "":
		s += ", provider " + t.ProviderARN
	case t.Issuer != "" && t.Issuer != need.GitHubOIDC:
		s += ", issuer " + t.Issuer
	}
	return s
}
