package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"gopkg.in/yaml.v3"
)

// The generated CloudFormation and Terraform must apply as they are.
// cfn-lint is not installable here (no Debian or npm package), so these
// tests check what it would for the resource types iamfit writes: the
// properties of each type (from the CloudFormation resource schemas and
// the aws provider's argument reference), references that resolve,
// no unused parameter or variable, ARNs with the partition, the
// capability, role names that are names, outputs.

// cfnTypes are the properties of the resource types iamfit writes
// (required ones true).
var cfnTypes = map[string]map[string]bool{
	"AWS::IAM::Role": {"AssumeRolePolicyDocument": true, "Description": false, "ManagedPolicyArns": false, "MaxSessionDuration": false,
		"Path": false, "PermissionsBoundary": false, "Policies": false, "RoleName": false, "Tags": false},
	"AWS::IAM::ManagedPolicy": {"PolicyDocument": true, "Description": false, "Groups": false, "ManagedPolicyName": false, "Path": false, "Roles": false, "Users": false},
	"AWS::IAM::OIDCProvider":  {"Url": true, "ClientIdList": false, "Tags": false, "ThumbprintList": false},
	"AWS::IAM::Policy":        {"PolicyDocument": true, "PolicyName": true, "Groups": false, "Roles": false, "Users": false},
}

// cfnAttrs are the Fn::GetAtt attributes of those types.
var cfnAttrs = map[string][]string{"AWS::IAM::Role": {"Arn", "RoleId"}, "AWS::IAM::OIDCProvider": {"Arn"}, "AWS::IAM::ManagedPolicy": {"PolicyArn"}}

var subVar = regexp.MustCompile(`\$\{([^}!][^}]*)\}`)

func validateCFN(data []byte) []string {
	var probs []string
	bad := func(f string, a ...any) { probs = append(probs, fmt.Sprintf(f, a...)) }
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return []string{err.Error()}
	}
	root := doc.Content[0]
	get := func(m *yaml.Node, key string) *yaml.Node {
		for i := 0; m != nil && m.Kind == yaml.MappingNode && i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == key {
				return m.Content[i+1]
			}
		}
		return nil
	}
	for i := 0; i < len(root.Content); i += 2 {
		switch k := root.Content[i].Value; k {
		case "AWSTemplateFormatVersion", "Description", "Parameters", "Resources", "Outputs", "Metadata", "Conditions", "Mappings":
		default:
			bad("unknown top-level section %s", k)
		}
	}
	params, resources := map[string]bool{}, map[string]string{}
	if ps := get(root, "Parameters"); ps != nil {
		for i := 0; i < len(ps.Content); i += 2 {
			params[ps.Content[i].Value] = false
			if get(ps.Content[i+1], "Type") == nil {
				bad("parameter %s has no Type", ps.Content[i].Value)
			}
		}
	}
	res := get(root, "Resources")
	for i := 0; res != nil && i < len(res.Content); i += 2 {
		resources[res.Content[i].Value] = get(res.Content[i+1], "Type").Value
	}
	ref := func(name string) {
		switch {
		case strings.HasPrefix(name, "AWS::"):
			if name != "AWS::AccountId" && name != "AWS::Region" && name != "AWS::Partition" && name != "AWS::URLSuffix" && name != "AWS::StackName" {
				bad("unknown pseudo parameter %s", name)
			}
		case resources[name] != "":
		default:
			if _, ok := params[name]; !ok {
				bad("Ref %s: no such parameter or resource", name)
			}
			params[name] = true
		}
	}
	getAtt := func(v string) {
		id, attr, _ := strings.Cut(v, ".")
		typ, ok := resources[id]
		if !ok {
			bad("GetAtt %s: no such resource", v)
			return
		}
		for _, a := range cfnAttrs[typ] {
			if a == attr {
				return
			}
		}
		bad("GetAtt %s: %s has no attribute %s", v, typ, attr)
	}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		switch n.Tag {
		case "!Ref":
			ref(n.Value)
		case "!GetAtt":
			getAtt(n.Value)
		case "!Sub":
			if len(subVar.FindAllString(n.Value, -1)) == 0 {
				bad("!Sub %q without variables", n.Value)
			}
			for _, m := range subVar.FindAllStringSubmatch(n.Value, -1) {
				if strings.Contains(m[1], ".") && !strings.HasPrefix(m[1], "AWS::") {
					getAtt(m[1])
				} else {
					ref(m[1])
				}
			}
		}
		if n.Kind == yaml.ScalarNode && (strings.HasPrefix(n.Value, "arn:aws:") || n.Tag == "!Sub" && strings.Contains(n.Value, "arn:aws:")) {
			bad("%q: an ARN without ${AWS::Partition}", n.Value)
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(root)
	named := false
	for i := 0; res != nil && i < len(res.Content); i += 2 {
		id, r := res.Content[i].Value, res.Content[i+1]
		typ := resources[id]
		props, ok := cfnTypes[typ]
		if !ok {
			bad("%s: resource type %s is not one the schema check knows", id, typ)
			continue
		}
		for j := 0; j < len(r.Content); j += 2 {
			switch k := r.Content[j].Value; k {
			case "Type", "Properties", "Condition", "DeletionPolicy", "UpdateReplacePolicy", "Metadata":
			case "DependsOn":
				if resources[r.Content[j+1].Value] == "" {
					bad("%s: DependsOn %s: no such resource", id, r.Content[j+1].Value)
				}
			default:
				bad("%s: unknown resource attribute %s", id, k)
			}
		}
		p := get(r, "Properties")
		have := map[string]bool{}
		for j := 0; p != nil && j < len(p.Content); j += 2 {
			k := p.Content[j].Value
			have[k] = true
			if _, ok := props[k]; !ok {
				bad("%s: %s has no property %s", id, typ, k)
			}
		}
		for k, req := range props {
			if req && !have[k] {
				bad("%s: %s needs %s", id, typ, k)
			}
		}
		if pols := get(p, "Policies"); pols != nil {
			for _, pol := range pols.Content {
				if get(pol, "PolicyName") == nil || get(pol, "PolicyDocument") == nil {
					bad("%s: a policy needs PolicyName and PolicyDocument", id)
				}
			}
		}
		if rn := get(p, "RoleName"); rn != nil {
			named = true
			if rn.Tag == "!Ref" && strings.Contains(strings.ToUpper(rn.Value), "ARN") || rn.Tag != "!Ref" && rn.Tag != "!Sub" && !regexp.MustCompile(`^[\w+=,.@-]{1,64}$`).MatchString(rn.Value) {
				bad("%s: RoleName %q is not a role name", id, rn.Value)
			}
		}
	}
	for name, used := range params {
		if !used {
			bad("parameter %s is not used (cfn-lint W2001)", name)
		}
	}
	if outs := get(root, "Outputs"); outs != nil {
		for i := 0; i < len(outs.Content); i += 2 {
			if get(outs.Content[i+1], "Value") == nil {
				bad("output %s has no Value", outs.Content[i].Value)
			}
		}
	}
	if named && !bytes.Contains(data, []byte("CAPABILITY_NAMED_IAM")) {
		bad("the template names roles but does not say CAPABILITY_NAMED_IAM")
	}
	return probs
}

// tfArgs are the arguments (and nested blocks) of the aws provider's
// resources and data sources iamfit writes (required ones true).
var tfArgs = map[string]map[string]bool{
	"aws_iam_role": {"assume_role_policy": true, "name": false, "name_prefix": false, "description": false, "force_detach_policies": false,
		"managed_policy_arns": false, "max_session_duration": false, "path": false, "permissions_boundary": false, "tags": false, "inline_policy": false},
	"aws_iam_role_policy":             {"role": true, "policy": true, "name": false, "name_prefix": false},
	"aws_iam_user_policy":             {"user": true, "policy": true, "name": false, "name_prefix": false},
	"aws_iam_policy":                  {"policy": true, "name": false, "name_prefix": false, "description": false, "path": false, "tags": false},
	"aws_iam_openid_connect_provider": {"url": true, "client_id_list": false, "thumbprint_list": false, "tags": false},
	"data.aws_caller_identity":        {},
	"data.aws_region":                 {"name": false, "region": false},
	"data.aws_partition":              {},
}

// tfAttrs are the attributes other blocks may reference.
var tfAttrs = map[string][]string{
	"aws_iam_role": {"arn", "id", "name", "unique_id"}, "aws_iam_policy": {"arn", "id", "name"},
	"aws_iam_openid_connect_provider": {"arn", "id"}, "aws_iam_role_policy": {"id"}, "aws_iam_user_policy": {"id"},
	"data.aws_caller_identity": {"account_id", "arn", "id", "user_id"}, "data.aws_region": {"id", "name", "region", "description"},
	"data.aws_partition": {"partition", "dns_suffix", "id", "reverse_dns_prefix"},
}

func validateTF(data []byte) []string {
	var probs []string
	bad := func(f string, a ...any) { probs = append(probs, fmt.Sprintf(f, a...)) }
	file, diags := hclsyntax.ParseConfig(data, "main.tf", hcl.InitialPos)
	if diags.HasErrors() {
		return []string{diags.Error()}
	}
	body := file.Body.(*hclsyntax.Body)
	declared := map[string]string{} // address -> kind
	vars := map[string]bool{}
	used := map[string]bool{}
	provider, hasAWS := false, false
	for _, b := range body.Blocks {
		switch b.Type {
		case "terraform":
			for _, rb := range b.Body.Blocks {
				if rb.Type == "required_providers" && rb.Body.Attributes["aws"] != nil {
					v, _ := rb.Body.Attributes["aws"].Expr.Value(nil)
					hasAWS = v.GetAttr("source").AsString() == "hashicorp/aws"
				}
			}
		case "variable":
			vars[b.Labels[0]] = false
		case "data":
			declared["data."+b.Labels[0]+"."+b.Labels[1]] = "data." + b.Labels[0]
		case "resource":
			declared[b.Labels[0]+"."+b.Labels[1]] = b.Labels[0]
			provider = provider || b.Labels[0] == "aws_iam_openid_connect_provider"
		case "output":
			if b.Body.Attributes["value"] == nil {
				bad("output %s has no value", b.Labels[0])
			}
		default:
			bad("unexpected block %s", b.Type)
		}
	}
	if !hasAWS {
		bad("no required_providers with aws = hashicorp/aws")
	}
	roles, outputs := 0, 0
	for _, b := range body.Blocks {
		kind := ""
		switch b.Type {
		case "resource":
			kind = b.Labels[0]
			if kind == "aws_iam_role" {
				roles++
			}
		case "data":
			kind = "data." + b.Labels[0]
		case "output":
			outputs++
		}
		if kind != "" {
			args, ok := tfArgs[kind]
			if !ok {
				bad("%s: not a type the schema check knows", kind)
				continue
			}
			for name := range b.Body.Attributes {
				if _, ok := args[name]; !ok {
					bad("%s.%s: no argument %s", kind, b.Labels[1], name)
				}
			}
			for _, nb := range b.Body.Blocks {
				if _, ok := args[nb.Type]; !ok {
					bad("%s.%s: no block %s", kind, b.Labels[1], nb.Type)
				}
			}
			for name, req := range args {
				if req && b.Body.Attributes[name] == nil {
					bad("%s.%s needs %s", kind, b.Labels[1], name)
				}
			}
			if n := b.Body.Attributes["name"]; kind == "aws_iam_role" && n != nil {
				for _, tr := range n.Expr.Variables() {
					if strings.Contains(strings.Join(traversalNames(tr), "."), "arn") {
						bad("aws_iam_role.%s: an ARN as the role's name", b.Labels[1])
					}
				}
			}
		}
		if b.Type == "variable" {
			continue
		}
		hclsyntax.VisitAll(b.Body, func(n hclsyntax.Node) hcl.Diagnostics {
			e, ok := n.(*hclsyntax.ScopeTraversalExpr)
			if !ok {
				if t, ok := n.(*hclsyntax.TemplateExpr); ok {
					for _, part := range t.Parts {
						if lit, ok := part.(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type().FriendlyName() == "string" && strings.Contains(lit.Val.AsString(), "arn:aws:") {
							bad("%q: an ARN without data.aws_partition", lit.Val.AsString())
						}
					}
				}
				if lit, ok := n.(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type().FriendlyName() == "string" {
					if s := lit.Val.AsString(); strings.Contains(s, "arn:aws:") {
						bad("%q: an ARN without data.aws_partition", s)
					} else if provider && strings.Contains(s, "oidc-provider/") {
						bad("%q: the provider's ARN written out instead of aws_iam_openid_connect_provider.github.arn", s)
					}
				}
				return nil
			}
			names := traversalNames(e.Traversal)
			switch {
			case names[0] == "var":
				if _, ok := vars[names[1]]; !ok {
					bad("var.%s is not declared", names[1])
				}
				vars[names[1]] = true
			case names[0] == "data" && len(names) >= 4:
				addr := strings.Join(names[:3], ".")
				checkTFAttr(declared, addr, names[3], bad)
				used[addr] = true
			case len(names) >= 3:
				checkTFAttr(declared, names[0]+"."+names[1], names[2], bad)
			default:
				bad("reference %s", strings.Join(names, "."))
			}
			return nil
		})
	}
	for v, u := range vars {
		if !u {
			bad("variable %s is not used", v)
		}
	}
	for addr, kind := range declared {
		if strings.HasPrefix(kind, "data.") && !used[addr] {
			bad("%s is not used", addr)
		}
	}
	if outputs < roles {
		bad("%d roles, %d outputs", roles, outputs)
	}
	return probs
}

func checkTFAttr(declared map[string]string, addr, attr string, bad func(string, ...any)) {
	kind, ok := declared[addr]
	if !ok {
		bad("%s is not declared", addr)
		return
	}
	for _, a := range tfAttrs[kind] {
		if a == attr {
			return
		}
	}
	bad("%s has no attribute %s", addr, attr)
}

func traversalNames(tr hcl.Traversal) []string {
	var out []string
	for _, t := range tr {
		switch t := t.(type) {
		case hcl.TraverseRoot:
			out = append(out, t.Name)
		case hcl.TraverseAttr:
			out = append(out, t.Name)
		}
	}
	return out
}

// TestGeneratedTemplatesApply validates every CloudFormation and Terraform
// golden, and the outputs for a workflow whose role ARN is a secret, with
// and without the OIDC provider.
func TestGeneratedTemplatesApply(t *testing.T) {
	files := map[string][]byte{}
	for _, ex := range generateExamples {
		for _, f := range []string{"template.yaml", "main.tf"} {
			path := filepath.Join("..", "..", "examples", ex.dir, "iamfit", f)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			files[path] = data
		}
	}
	for _, g := range []string{"cloudformation.golden", "terraform.golden"} {
		data, err := os.ReadFile(filepath.Join("testdata", "usage", g))
		if err != nil {
			t.Fatal(err)
		}
		data, _, _ = bytes.Cut(data, []byte("\n--- stderr"))
		files[g] = data
	}
	for _, format := range []string{"cloudformation", "terraform"} {
		for _, provider := range []bool{false, true} {
			var out, errb bytes.Buffer
			c := Command{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb}
			args := []string{"generate", "--repo", "o/web", "--format", format, filepath.Join("testdata", "secret-role")}
			if provider {
				args = append(args, "--oidc-provider")
			}
			if code := c.Main(args); code != ExitOK {
				t.Fatalf("%v: exit %d\n%s", args, code, errb.String())
			}
			files[fmt.Sprintf("secret-role %s provider=%v", format, provider)] = out.Bytes()
		}
	}
	for name, data := range files {
		isTF := strings.HasSuffix(name, ".tf") || name == "terraform.golden" || strings.Contains(name, " terraform ")
		var probs []string
		if isTF {
			probs = validateTF(data)
		} else {
			probs = validateCFN(data)
		}
		for _, p := range probs {
			t.Errorf("%s: %s", name, p)
		}
	}
	// The secret's role: no name from the ARN, the ARN an output.
	sec := string(files["secret-role terraform provider=true"])
	for _, want := range []string{`output "aws_role_arn"`, "aws_iam_openid_connect_provider.github.arn", "data.aws_partition.current.partition"} {
		if !strings.Contains(sec, want) {
			t.Errorf("secret-role terraform lacks %s:\n%s", want, sec)
		}
	}
}

// TestValidatorsCatch feeds the validators the mistakes they exist for.
func TestValidatorsCatch(t *testing.T) {
	cfn := `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  AWSROLEARN:
    Type: String
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      RoleName: "x"
      Bogus: 1
      AssumeRolePolicyDocument:
        Statement:
          - Principal:
              Federated: "arn:aws:iam::1:oidc-provider/x"
`
	got := strings.Join(validateCFN([]byte(cfn)), "\n")
	for _, want := range []string{"W2001", "no property Bogus", "without ${AWS::Partition}", "CAPABILITY_NAMED_IAM"} {
		if !strings.Contains(got, want) {
			t.Errorf("validateCFN missed %q; got:\n%s", want, got)
		}
	}
	tf := `variable "aws_role_arn" {
  type = string
}
resource "aws_iam_role" "r" {
  name = "${var.aws_role_arn}"
  assume_role_policy = jsonencode({ "Federated" = "arn:aws:iam::1:oidc-provider/x" })
  bogus = 1
}
`
	got = strings.Join(validateTF([]byte(tf)), "\n")
	for _, want := range []string{"required_providers", "an ARN as the role's name", "no argument bogus", "without data.aws_partition", "1 roles, 0 outputs"} {
		if !strings.Contains(got, want) {
			t.Errorf("validateTF missed %q; got:\n%s", want, got)
		}
	}
}

// TestExamplesCheckUpToDate: generate --check finds each example's own
// CloudFormation and Terraform golden up to date.
func TestExamplesCheckUpToDate(t *testing.T) {
	for _, ex := range generateExamples {
		for _, f := range []string{"template.yaml", "main.tf"} {
			dir := filepath.Join("..", "..", "examples", ex.dir)
			var out, errb bytes.Buffer
			c := Command{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb}
			args := append([]string{"generate", "--repo", ex.repo}, ex.flags...)
			args = append(args, "--dir", dir, "--check", filepath.Join(dir, "iamfit", f))
			if code := c.Main(args); code != ExitOK {
				t.Errorf("%s %s: exit %d\n%s%s", ex.dir, f, code, out.String(), errb.String())
			}
		}
	}
}
