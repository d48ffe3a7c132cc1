package lint

import (
	"strings"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/cfn"
	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

// SAMPolicyTemplate reports the entries of an AWS::Serverless::Function's
// or AWS::Serverless::StateMachine's Policies that iamfit cannot expand:
// a policy template it does not know, and what the SAM transform rejects
// or ignores. The templates it knows are expanded to their statements and
// linted by the other checks (cfn.Template.Policies).
var SAMPolicyTemplate = &Check{ID: "sam-policy-template", Severity: source.Warning,
	Doc: "An entry of the Policies of an AWS::Serverless::Function or AWS::Serverless::StateMachine that iamfit cannot read. iamfit expands the AWS SAM policy templates (DynamoDBCrudPolicy, S3ReadPolicy, SQSPollerPolicy and the other 78 of the AWS SAM Developer Guide's policy template list) to the statements the SAM transform makes of them, and lints those like any other statement, at the template's entry, the values built from a parameter at that parameter. A finding the template has whatever its parameters is about the statements AWS defines, which the entry cannot change: it is an info, marked (as AWS defines it); one that comes from the parameters' values keeps its severity. A template iamfit does not know, or an entry that is neither a document nor a template, is a warning: what it grants is not understood and not linted. A template without one of its parameters, or with parameters that are not a mapping (write {} for a template without parameters), is an error: the SAM transform rejects the template. A parameter the template does not take is a warning: the transform ignores it, so it narrows nothing (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-policy-template-list.html)."}

// samFindings lints the document a SAM policy template was expanded to.
// Its findings are at the template's entry, which has no text of the
// document to edit, so they carry no fix. A finding the template has
// whatever its parameters (its generic document has it too) is about the
// statements AWS defines for it, which the entry cannot change: it is an
// info, so that a template AWS ships does not fail a build. The others
// come from what the entry gives the parameters and keep their severity.
func samFindings(f *source.File, d cfn.Document, cat *catalog.Catalog, checks []*Check) []source.Diagnostic {
	lintDoc := func(v *jsonpos.Value) []source.Diagnostic {
		doc, diags := policy.ParseValue(f, v, d.Type)
		return Policy(f, doc, diags, d.Type, cat, checks)
	}
	aws := map[string]bool{}
	for _, g := range lintDoc(d.SAMGeneric) {
		msg := g.Message
		for name, v := range d.SAMParams {
			msg = strings.ReplaceAll(msg, cfn.SAMParameter(name), v)
		}
		aws[g.Check+"\x00"+msg] = true
	}
	var out []source.Diagnostic
	for _, diag := range lintDoc(d.Value) {
		diag.Fix = source.Fix{}
		if aws[diag.Check+"\x00"+diag.Message] {
			diag.Severity = source.Info
			diag.Message += " (SAM policy template " + d.SAMTemplate + ", as AWS defines it)"
		} else {
			diag.Message += " (SAM policy template " + d.SAMTemplate + ")"
		}
		out = append(out, diag)
	}
	return out
}

// samProblems turns the SAM entries a template's reader could not expand
// into findings.
func samProblems(f *source.File, problems []cfn.Problem) []source.Diagnostic {
	var out []source.Diagnostic
	for _, p := range problems {
		sev := source.Warning
		if p.Kind == cfn.Invalid || p.Kind == cfn.Mismatch {
			sev = source.Error
		}
		out = append(out, source.Diagnostic{File: f.Name, Pos: f.Position(p.Offset), Severity: sev, Message: p.Msg, Check: SAMPolicyTemplate.ID})
	}
	return out
}
