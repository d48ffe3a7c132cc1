package code

import (
	"fmt"
	"strings"

	"github.com/iamfit/iamfit/internal/source"
)

// The credentials a client is made with. A client made with the task's
// default credentials calls AWS as the task role. One made with the
// credentials of sts:AssumeRole (boto3.Session(aws_access_key_id=
// creds["AccessKeyId"], ...), fromTemporaryCredentials, { credentials: {
// accessKeyId: Credentials.AccessKeyId, ... } }) calls AWS as the role it
// assumed: the task role needs sts:AssumeRole on it, and those calls are
// that role's. One made with access keys the code gives calls AWS as
// their user: not the task role's either.

// creds are the credentials a client is made with: the role whose
// credentials they are (an argument: the RoleArn of the sts:AssumeRole
// that gave them) and where that call is ("file:line"), or the access
// keys (an environment variable, or how the code writes them). The zero
// value is the task's credentials.
type creds struct{ role, at, keys string }

// clientCreds are the credentials of a client made at n: an expression
// the reader cannot read (a parameter no caller gives, a conditional
// that may leave them undefined) may be access keys or may be nothing
// (the task's credentials): its calls stay the task role's, and the
// diagnostic says so.
func (s *service) clientCreds(cr creds, svc string, n *node, e *env, emit bool) creds {
	if !strings.HasPrefix(cr.keys, unsureMark) {
		return cr
	}
	if emit {
		s.r.diags = append(s.r.diags, source.Diagnostic{File: e.m.file, Pos: source.Pos{Line: n.line, Col: n.col}, Severity: source.Warning,
			Message: fmt.Sprintf("the %s client's credentials come from %s, which iamfit cannot read: its calls are in the task role, as made with the task's credentials; access keys the code gives instead are their user's", svc, strings.TrimPrefix(cr.keys, unsureMark)),
			Check:   "sdk-credentials-not-understood"})
	}
	return creds{}
}

// unsureMark begins the keys of credentials the reader cannot read.
const unsureMark = "\x02"

// assumeOps are the STS operations whose result is a role's credentials.
var assumeOps = map[string]bool{"AssumeRole": true, "AssumeRoleWithWebIdentity": true, "AssumeRoleWithSAML": true}

// credsOf reads what a credentials expression is: the role an
// sts:AssumeRole result or a temporary-credentials provider assumes
// (role), access keys from elsewhere (keys: an environment variable, or
// how the code writes them), or the task's default credentials (both
// empty).
func (s *service) credsOf(n *node, e *env) creds {
	if n == nil || n.kind == nName && (n.name == "None" || n.name == "null" || n.name == "undefined") {
		return creds{}
	}
	v := s.eval(n, s.deeper(e))
	if v.kind == vHandle {
		switch h := v.h; {
		case h.kind == hResult && h.svc == "sts" && assumeOps[h.op]:
			return creds{role: roleArg(h.args), at: h.at}
		case h.kind == hCreds:
			return h.cr
		}
	}
	if v.kind == vDict {
		// { accessKeyId, secretAccessKey, sessionToken } (JavaScript)
		for _, k := range []string{"accessKeyId", "sessionToken", "AccessKeyId"} {
			if en, ok := s.get(v.dict, k); ok {
				return s.credsOf(en.val, en.e)
			}
		}
	}
	if v.kind == vNone && n.kind == nName {
		if _, _, bound := s.lookup(n.name, e); !bound && s.isParam(n, e) {
			// A parameter no caller gives: None, the default credentials
			// (boto3.client("s3", aws_access_key_id=key) with key=None).
			return creds{}
		}
	}
	if a, ok := s.str(n, e).arg(); ok && !strings.Contains(a, "*") {
		return creds{keys: a}
	}
	what := exprText(n)
	if what == "" {
		what = "an expression"
	}
	return creds{keys: unsureMark + what}
}

// roleArg is the RoleArn of an assume-role call's arguments, or a
// parameter for the role when the code does not say.
func roleArg(a args) string {
	if r := a["RoleArn"]; len(r) > 0 && !strings.Contains(r[0], "*") {
		return r[0]
	}
	if h := a[hintPrefix+"RoleArn"]; len(h) > 0 {
		return "{{" + h[0] + "}}"
	}
	return "{{AssumedRoleArn}}"
}

// pyCreds reads the credentials a boto3 client, resource or session is
// made with: aws_access_key_id= (or aws_session_token=).
func (s *service) pyCreds(n *node, e *env) creds {
	for _, k := range n.kw {
		if k.key == "aws_access_key_id" || k.key == "aws_session_token" {
			return s.credsOf(k.val, e)
		}
	}
	return creds{}
}

// jsCreds reads the credentials of a JavaScript client's configuration
// object: { credentials: ... }.
func (s *service) jsCreds(n *node, e *env) creds {
	d := s.eval(first(n.args), s.deeper(e))
	if d.kind != vDict {
		return creds{}
	}
	if en, ok := s.get(d.dict, "credentials"); ok {
		return s.credsOf(en.val, en.e)
	}
	if en, ok := s.get(d.dict, "accessKeyId"); ok { // SDK v2: new AWS.S3({ accessKeyId, ... })
		return s.credsOf(en.val, en.e)
	}
	return creds{}
}

// credentialProvider is a call of @aws-sdk/credential-providers (or the
// SDK v2's credential classes): temporary credentials of a role the task
// role assumes, which it calls sts:AssumeRole for, or the default chain.
func (s *service) credentialProvider(name string, n *node, e *env, emit bool) (val, bool) {
	switch name {
	case "fromTemporaryCredentials", "ChainableTemporaryCredentials", "TemporaryCredentials":
		// { params: { RoleArn } } (v3 and v2's Chainable...), { RoleArn } (v2's TemporaryCredentials)
		a := args{}
		if d := s.eval(first(n.args), s.deeper(e)); d.kind == vDict {
			if p, ok := s.get(d.dict, "params"); ok {
				a = s.objArgs(p.val, p.e)
			} else {
				a = s.objArgs(first(n.args), e)
			}
		}
		delete(a, unreadKey)
		if emit {
			s.emitCall(&handle{svc: "sts"}, "AssumeRole", n, e, a, name)
		}
		return val{kind: vHandle, h: &handle{kind: hCreds, svc: "sts", cr: creds{role: roleArg(a), at: fmt.Sprintf("%s:%d", e.m.file, n.line)}}}, true
	case "fromWebToken", "fromTokenFile", "WebIdentityCredentials":
		a := s.objArgs(first(n.args), e)
		delete(a, unreadKey)
		if _, ok := a["RoleArn"]; !ok && name == "fromTokenFile" {
			a["RoleArn"] = []string{envMark + "AWS_ROLE_ARN" + envMark}
		}
		return val{kind: vHandle, h: &handle{kind: hCreds, svc: "sts", cr: creds{role: roleArg(a)}}}, true
	case "fromEnv", "EnvironmentCredentials":
		// The access keys of the environment (unset in a task unless its
		// definition sets them).
		return val{kind: vHandle, h: &handle{kind: hCreds, svc: "sts", cr: creds{keys: envMark + "AWS_ACCESS_KEY_ID" + envMark}}}, true
	case "fromNodeProviderChain", "defaultProvider", "fromContainerMetadata", "fromInstanceMetadata", "fromIni",
		"fromProcess", "fromSSO", "createCredentialChain":
		return val{kind: vHandle, h: &handle{kind: hCreds, svc: "sts"}}, true
	}
	return val{}, false
}
