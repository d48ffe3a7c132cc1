package cli

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// schemaDir holds the documented JSON schemas, one per command.
const schemaDir = "../../docs/json"

// jsonOutput is one real --format json output to validate.
type jsonOutput struct {
	name string
	data []byte
	// lines: the output is JSON Lines, each line one instance.
	lines bool
}

// TestJSONSchemas validates the --format json output of every command,
// run on every example, against docs/json/<command>.schema.json: each
// schema is JSON Schema 2020-12, each output carries its version, and
// every schema in docs/json is one a command writes.
func TestJSONSchemas(t *testing.T) {
	tests := []struct {
		schema  string
		outputs func(t *testing.T) []jsonOutput
	}{
		{"generate", generateJSONOutputs},
		{"generate-check", checkJSONOutputs},
		{"lint", lintJSONOutputs},
		{"simulate", simulateJSONOutputs},
		{"explain", explainJSONOutputs},
		{"diff", diffJSONOutputs},
		{"actions", actionsJSONOutputs},
		{"version", func(t *testing.T) []jsonOutput {
			return []jsonOutput{runJSON(t, "version", ExitOK, "version", "--format", "json")}
		}},
	}
	files, err := filepath.Glob(filepath.Join(schemaDir, "*.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var documented []string
	for _, tt := range tests {
		documented = append(documented, filepath.Join(schemaDir, tt.schema+".schema.json"))
	}
	slices.Sort(files)
	slices.Sort(documented)
	if !slices.Equal(files, documented) {
		t.Errorf("docs/json has %v, the commands write %v", files, documented)
	}
	for _, tt := range tests {
		t.Run(tt.schema, func(t *testing.T) {
			sch := compileSchema(t, filepath.Join(schemaDir, tt.schema+".schema.json"))
			outs := tt.outputs(t)
			if len(outs) == 0 {
				t.Fatal("no output to validate")
			}
			for _, o := range outs {
				docs := [][]byte{o.data}
				if o.lines {
					docs = bytes.Split(bytes.TrimSuffix(o.data, []byte("\n")), []byte("\n"))
				}
				for i, d := range docs {
					if err := validateJSON(sch, d); err != nil {
						t.Errorf("%s (instance %d): %v\n%s", o.name, i, err, d)
					}
				}
			}
			// The schema is not vacuous: another version, a missing
			// field and an unknown one are refused.
			first := outs[0].data
			if outs[0].lines {
				first, _, _ = bytes.Cut(first, []byte("\n"))
			}
			var doc map[string]any
			if err := json.Unmarshal(first, &doc); err != nil {
				t.Fatal(err)
			}
			for _, change := range []func(map[string]any){
				func(m map[string]any) { m["version"] = 2 },
				func(m map[string]any) { delete(m, "version") },
				func(m map[string]any) { m["unknownField"] = true },
			} {
				m := maps.Clone(doc)
				change(m)
				data, _ := json.Marshal(m)
				if validateJSON(sch, data) == nil {
					t.Errorf("the schema accepts %s", data)
				}
			}
		})
	}
}

// compileSchema compiles a schema file and checks that it declares JSON
// Schema 2020-12 and an $id under docs/json.
func compileSchema(t *testing.T, path string) *jsonschema.Schema {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var head struct {
		Schema string `json:"$schema"`
		ID     string `json:"$id"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if head.Schema != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("%s: $schema %q, want 2020-12", path, head.Schema)
	}
	if want := "https://github.com/iamfit/iamfit/docs/json/" + filepath.Base(path); head.ID != want {
		t.Errorf("%s: $id %q, want %q", path, head.ID, want)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(head.ID, doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	sch, err := c.Compile(head.ID)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return sch
}

func validateJSON(sch *jsonschema.Schema, data []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}

// runJSON runs iamfit with args and returns its standard output; the exit
// status must be want.
func runJSON(t *testing.T, name string, want int, args ...string) jsonOutput {
	t.Helper()
	return runJSONStdin(t, name, "", want, args...)
}

func runJSONStdin(t *testing.T, name, stdin string, want int, args ...string) jsonOutput {
	t.Helper()
	var out, errb bytes.Buffer
	c := Command{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb}
	if code := c.Main(args); code != want {
		t.Fatalf("%s: iamfit %s: exit %d, want %d\n%s", name, strings.Join(args, " "), code, want, errb.String())
	}
	return jsonOutput{name: name, data: out.Bytes()}
}

func exampleDir(name string) string { return filepath.Join("..", "..", "examples", name) }

// generateJSONOutputs: generate on every example, and from CloudTrail
// usage (the golden of TestUsageToPolicyGolden, which is that output).
func generateJSONOutputs(t *testing.T) []jsonOutput {
	var outs []jsonOutput
	for _, ex := range generateExamples {
		args := append([]string{"generate", "--repo", ex.repo, "--format", "json"}, ex.flags...)
		outs = append(outs, runJSON(t, ex.dir, ExitOK, append(args, exampleDir(ex.dir))...))
	}
	data, err := os.ReadFile("testdata/usage/json.golden")
	if err != nil {
		t.Fatal(err)
	}
	out, _, ok := bytes.Cut(data, []byte("--- stderr\n"))
	if !ok {
		t.Fatal("testdata/usage/json.golden has no stderr part")
	}
	return append(outs, jsonOutput{name: "usage", data: out})
}

// checkJSONOutputs: every example checked against its own generated
// CloudFormation and Terraform (up to date), and the drift cases of
// testdata/script/check.txtar (missing, wider, kept in templates).
func checkJSONOutputs(t *testing.T) []jsonOutput {
	var outs []jsonOutput
	for _, ex := range generateExamples {
		dir := exampleDir(ex.dir)
		for _, kept := range []string{"template.yaml", "main.tf"} {
			args := append([]string{"generate", "--repo", ex.repo, "--format", "json", "--check", "--dir", dir}, ex.flags...)
			outs = append(outs, runJSON(t, ex.dir+"/"+kept, ExitOK, append(args, filepath.Join(dir, "iamfit", kept))...))
		}
	}
	work := extractTxtar(t, "testdata/script/check.txtar")
	for _, tt := range []struct {
		dir, kept string
		want      int
	}{
		{"repo", "deploy-policy.json", ExitOK},
		{"scaled", "deploy-policy.json", ExitFindings},
		{"repo", "wide-policy.json", ExitFindings},
		{"repo", "template.yaml", ExitOK},
		{"repo", "main.tf", ExitOK},
		{"repo", "wide.tf", ExitFindings},
	} {
		outs = append(outs, runJSON(t, tt.dir+"/"+tt.kept, tt.want, "generate", "--repo", "o/web", "--format", "json", "--check",
			"--dir", filepath.Join(work, tt.dir), filepath.Join(work, tt.kept)))
	}
	return outs
}

// lintJSONOutputs: lint on every example directory, and on a policy with a
// syntax error.
func lintJSONOutputs(t *testing.T) []jsonOutput {
	dirs, err := filepath.Glob(exampleDir("*"))
	if err != nil {
		t.Fatal(err)
	}
	var outs []jsonOutput
	for _, d := range dirs {
		var out, errb bytes.Buffer
		c := Command{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb}
		if code := c.Main([]string{"lint", "--format", "json", d}); code != ExitOK && code != ExitFindings {
			t.Fatalf("lint %s: exit %d\n%s", d, code, errb.String())
		}
		outs = append(outs, jsonOutput{name: d, data: out.Bytes()})
	}
	return append(outs, runJSONStdin(t, "trailing comma", `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*",}]}`,
		ExitFindings, "lint", "--format", "json", "-"))
}

// simulateJSONOutputs: for every example, each statement of each generated
// permission policy asked for (allowed) and an action none grants
// (denied); an explicit deny; an anonymous request; a web identity.
func simulateJSONOutputs(t *testing.T) []jsonOutput {
	var outs []jsonOutput
	dir := t.TempDir()
	for _, ex := range generateExamples {
		data, err := os.ReadFile(filepath.Join(exampleDir(ex.dir), "iamfit", "generate.json"))
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Roles []struct {
				Role             string          `json:"role"`
				PermissionPolicy json.RawMessage `json:"permissionPolicy"`
				Statements       []struct {
					Actions, Resources []string
				} `json:"statements"`
			} `json:"roles"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		for i, r := range doc.Roles {
			if string(r.PermissionPolicy) == "null" {
				continue
			}
			pol := filepath.Join(dir, ex.dir+"-"+string(rune('a'+i))+".json")
			if err := os.WriteFile(pol, r.PermissionPolicy, 0o644); err != nil {
				t.Fatal(err)
			}
			var in strings.Builder
			enc := json.NewEncoder(&in)
			req := func(action, resource string) {
				enc.Encode(map[string]string{"principal": "arn:aws:sts::123456789012:assumed-role/r/s", "action": action, "resource": resource})
			}
			for _, st := range r.Statements {
				req(st.Actions[0], st.Resources[0])
			}
			req("iam:CreateUser", "arn:aws:iam::123456789012:user/x")
			o := runJSONStdin(t, ex.dir+" "+r.Role, in.String(), ExitFindings, "simulate", "--policy", pol, "--format", "json")
			o.lines = true
			outs = append(outs, o)
		}
	}
	deny := filepath.Join(dir, "deny.json")
	os.WriteFile(deny, []byte(`{"Version": "2012-10-17", "Statement": [{"Sid": "All", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}, {"Sid": "NoDelete", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}]}`), 0o644)
	for _, o := range []jsonOutput{
		runJSON(t, "explicit deny", ExitFindings, "simulate", "--policy", deny, "--format", "json",
			"--principal", "arn:aws:iam::123456789012:user/u", "--action", "s3:DeleteObject", "--resource", "arn:aws:s3:::b/k"),
		runJSON(t, "anonymous", ExitFindings, "simulate", "--resource-policy", deny, "--format", "json",
			"--anonymous", "--action", "s3:GetObject", "--resource", "arn:aws:s3:::b/k"),
		runJSON(t, "web identity", ExitOK, "simulate", "--resource-policy", filepath.Join(exampleDir("push-to-ecr"), "trust.json"), "--format", "json",
			"--oidc-provider", "token.actions.githubusercontent.com", "--resource", "arn:aws:iam::123456789012:role/gh-push",
			"--claim", "aud=sts.amazonaws.com", "--claim", "sub=repo:octo-org/web:ref:refs/heads/main"),
	} {
		o.lines = true
		outs = append(outs, o)
	}
	return outs
}

// explainJSONOutputs: every message of testdata/explain, one with the
// policies in force, a web identity against a trust policy, and the
// denials of a CloudTrail log.
func explainJSONOutputs(t *testing.T) []jsonOutput {
	msgs, err := filepath.Glob("testdata/explain/*.txt")
	if err != nil || len(msgs) == 0 {
		t.Fatal(msgs, err)
	}
	var outs []jsonOutput
	for _, m := range msgs {
		msg, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, runJSONStdin(t, m, string(msg), ExitOK, "explain", "--format", "json"))
	}
	pol := filepath.Join(exampleDir("push-to-ecr"), "policy.json")
	trust := filepath.Join(exampleDir("push-to-ecr"), "trust.json")
	return append(outs,
		runJSON(t, "with the policy", ExitOK, "explain", "--format", "json", "--policy", pol,
			"User: arn:aws:sts::123456789012:assumed-role/gh-push/run is not authorized to perform: ecr:PutImage on resource: arn:aws:ecr:us-east-1:123456789012:repository/api because no identity-based policy allows the ecr:PutImage action"),
		runJSON(t, "web identity", ExitOK, "explain", "--format", "json", "--trust", trust,
			"--sub", "repo:octo-org/web:ref:refs/heads/feature", "--role", "arn:aws:iam::123456789012:role/gh-push",
			"Not authorized to perform sts:AssumeRoleWithWebIdentity"),
		runJSON(t, "cloudtrail", ExitOK, "explain", "--format", "json", "--cloudtrail", "testdata/webid/forms/oidc-arn.json",
			"--trust", "testdata/webid/trust-production.json"),
	)
}

// diffJSONOutputs: every example's generated roles against themselves,
// against the push-to-ecr policy, and a policy with NotAction.
func diffJSONOutputs(t *testing.T) []jsonOutput {
	var outs []jsonOutput
	deployed := filepath.Join(exampleDir("push-to-ecr"), "policy.json")
	for _, ex := range generateExamples {
		gen := filepath.Join(exampleDir(ex.dir), "iamfit", "generate.json")
		data, err := os.ReadFile(gen)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Roles []struct {
				Role             string          `json:"role"`
				PermissionPolicy json.RawMessage `json:"permissionPolicy"`
			} `json:"roles"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		for _, r := range doc.Roles {
			if string(r.PermissionPolicy) == "null" {
				continue
			}
			outs = append(outs,
				runJSON(t, ex.dir+" "+r.Role, ExitOK, "diff", "--format", "json", "--role", r.Role, gen, gen),
				runJSON(t, ex.dir+" "+r.Role+" vs push-to-ecr", ExitOK, "diff", "--format", "json", "--role", r.Role, gen, deployed))
		}
	}
	broad := filepath.Join(t.TempDir(), "broad.json")
	os.WriteFile(broad, []byte(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}, {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]}`), 0o644)
	return append(outs, runJSON(t, "NotAction", ExitOK, "diff", "--format", "json", deployed, broad))
}

// actionsJSONOutputs: a single action, patterns, an access filter.
func actionsJSONOutputs(t *testing.T) []jsonOutput {
	var outs []jsonOutput
	for _, args := range [][]string{
		{"ecs:RunTask"},
		{"ecr:*"},
		{"s3:?etObject", "iam:PassRole", "sts:*"},
		{"*:GetAuthorizationToken"},
		{"ecs:*", "--access", "write,tagging"},
	} {
		outs = append(outs, runJSON(t, strings.Join(args, " "), ExitOK, append([]string{"actions", "--format", "json"}, args...)...))
	}
	return outs
}

// extractTxtar writes the files of a testscript archive into a temporary
// directory and returns it.
func extractTxtar(t *testing.T, path string) string {
	t.Helper()
	ar, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		name := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
