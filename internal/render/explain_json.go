package render

import (
	"encoding/json"
	"io"

	"github.com/iamfit/iamfit/internal/explain"
	"github.com/iamfit/iamfit/internal/policy"
)

// jsonExplainVersion is the version of explain's JSON; docs/explain-json.md
// documents it. A change that removes or renames a field, or changes a
// field's meaning, takes a new version.
const jsonExplainVersion = 1

// The JSON of explain, version 1.
type (
	jsonExplain struct {
		Version int           `json:"version"`
		Denials []jsonDenial  `json:"denials"`
		Log     *jsonLogStats `json:"log,omitempty"`
	}
	jsonLogStats struct {
		Records int      `json:"records"`
		Files   int      `json:"files"`
		Skipped []string `json:"skipped"`
	}
	jsonDenial struct {
		Events      int              `json:"events,omitempty"`
		Action      string           `json:"action"`
		Principal   string           `json:"principal,omitempty"`
		SessionOf   string           `json:"sessionOf,omitempty"`
		Resource    string           `json:"resource,omitempty"`
		Operation   string           `json:"operation,omitempty"`
		Code        string           `json:"code,omitempty"`
		Form        string           `json:"form,omitempty"`
		DeniedBy    jsonDeniedBy     `json:"deniedBy"`
		Token       *jsonToken       `json:"token,omitempty"`
		TokenNote   string           `json:"tokenNote,omitempty"`
		WebIdentity *jsonWebIdentity `json:"webIdentity,omitempty"`
		Fix         *jsonFix         `json:"fix,omitempty"`
		Simulation  *jsonSimulation  `json:"simulation,omitempty"`
	}
	jsonDeniedBy struct {
		// Type is the policy type, "" when the message does not say.
		Type       string `json:"type"`
		Explicit   bool   `json:"explicit"`
		PolicyARN  string `json:"policyArn,omitempty"`
		TokenError string `json:"tokenError,omitempty"`
	}
	jsonToken struct {
		SAML        bool   `json:"saml"`
		Issuer      string `json:"issuer,omitempty"`
		ProviderARN string `json:"providerArn,omitempty"`
		Audience    string `json:"audience,omitempty"`
		Subject     string `json:"subject,omitempty"`
		Role        string `json:"role,omitempty"`
	}
	jsonWebIdentity struct {
		Trust     string   `json:"trust"`
		Admitted  bool     `json:"admitted"`
		Reasons   []string `json:"reasons"`
		Unchecked []string `json:"unchecked"`
	}
	jsonFix struct {
		Where       string              `json:"where"`
		Statement   json.RawMessage     `json:"statement"`
		Notes       []string            `json:"notes"`
		Generalized *jsonGeneralization `json:"generalized,omitempty"`
	}
	jsonGeneralization struct {
		From string `json:"from"`
		To   string `json:"to"`
		Why  string `json:"why"`
	}
	jsonSimulation struct {
		Result     string          `json:"result"`
		Statements []jsonSimulated `json:"statements"`
		Blocked    []string        `json:"blocked"`
	}
	jsonSimulated struct {
		File       string   `json:"file"`
		Line       int      `json:"line"`
		Column     int      `json:"column"`
		Path       string   `json:"path"`
		Sid        string   `json:"sid,omitempty"`
		Kind       string   `json:"kind"`
		Verdict    string   `json:"verdict"`
		Resources  string   `json:"resources,omitempty"`
		Conditions []string `json:"conditions,omitempty"`
	}
)

var verdictNames = map[explain.Verdict]string{
	explain.Denies: "denies", explain.Allows: "allows", explain.OtherResources: "other-resources", explain.ConditionsFail: "conditions-fail",
}

func explainJSON(w io.Writer, e *Explained) error {
	out := jsonExplain{Version: jsonExplainVersion, Denials: []jsonDenial{}}
	if e.Log != nil {
		out.Log = &jsonLogStats{Records: e.Log.Records, Files: e.Log.Files, Skipped: append([]string{}, e.Log.Skipped...)}
	}
	for _, r := range e.Reports {
		jd, err := denialJSON(r)
		if err != nil {
			return err
		}
		out.Denials = append(out.Denials, jd)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func denialJSON(r *explain.Report) (jsonDenial, error) {
	d := r.Denial
	jd := jsonDenial{Events: r.Events, Action: d.Action, Principal: d.Principal, SessionOf: r.SessionOf, Resource: d.Resource,
		Operation: d.Operation, Code: d.Code, Form: d.Form, TokenNote: r.TokenNote,
		DeniedBy: jsonDeniedBy{Type: string(d.Type), Explicit: d.Explicit, PolicyARN: d.PolicyARN, TokenError: d.TokenError}}
	if t := r.Token; t != nil && d.Type == explain.WebIdentity {
		jd.Token = &jsonToken{SAML: t.SAML, Issuer: t.Issuer, ProviderARN: t.ProviderARN, Audience: t.Audience, Subject: t.Subject, Role: t.RoleARN}
	}
	if wi := r.WebIdentity; wi != nil {
		jd.WebIdentity = &jsonWebIdentity{Trust: r.Trust.Name, Admitted: wi.Admitted,
			Reasons: append([]string{}, wi.Reasons...), Unchecked: append([]string{}, wi.Unchecked...)}
	}
	if adv := r.Fix; adv != nil {
		jf := &jsonFix{Where: adv.Where, Statement: json.RawMessage("null"), Notes: append([]string{}, adv.Notes...)}
		if adv.Statement != nil {
			data, err := policy.MarshalCompact(adv.Statement)
			if err != nil {
				return jd, err
			}
			jf.Statement = data
		}
		if g := adv.Generalized; g != nil {
			jf.Generalized = &jsonGeneralization{From: g.From, To: g.To, Why: g.Why}
		}
		jd.Fix = jf
	}
	if sim := r.Simulation; sim != nil {
		js := &jsonSimulation{Result: sim.Result.String(), Statements: []jsonSimulated{}, Blocked: []string{}}
		for _, sr := range sim.Statements {
			st := sr.Statement
			x := jsonSimulated{File: sr.Policy.Name, Line: st.Pos.Line, Column: st.Pos.Col, Path: st.Path, Kind: sr.Policy.Kind.String(),
				Verdict: verdictNames[sr.Verdict], Resources: sr.Resources, Conditions: sr.Conditions}
			if st.Sid != nil {
				x.Sid = st.Sid.Value
			}
			js.Statements = append(js.Statements, x)
		}
		for _, k := range sim.Blocked {
			js.Blocked = append(js.Blocked, BlockedPhrase(k))
		}
		jd.Simulation = js
	}
	return jd, nil
}
