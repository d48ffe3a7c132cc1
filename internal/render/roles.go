package render

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
	"gopkg.in/yaml.v3"

	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/synth"
)

// paramRe matches one {{Name}} parameter (need.ParamRe).
var paramRe = need.ParamRe()

// policyTree returns a policy as an ordered JSON tree.
func policyTree(p *policy.Policy) (*jsonpos.Value, error) {
	data, err := policy.MarshalCompact(p)
	if err != nil {
		return nil, err
	}
	v, errs := jsonpos.Parse(data)
	if len(errs) > 0 {
		return nil, fmt.Errorf("internal: %s", errs[0].Msg)
	}
	return v, nil
}

// logicalID makes a CloudFormation logical id (alphanumeric) from a name.
func logicalID(s string) string { return need.Identifier(s) }

// Rendering parameters. Besides the inputs' own, two are made here:
// Partition, for the "aws" of every ARN (so that the template applies in
// aws-cn and aws-us-gov too), and OIDCProvider, for the GitHub provider's
// ARN when the output creates the provider.
const (
	partitionParam = "Partition"
	providerParam  = "OIDCProvider"
)

var (
	arnPartition = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\barn:aws:`) })
	providerARN  = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^arn:\{\{Partition\}\}:iam::[^:]*:oidc-provider/` + regexp.QuoteMeta(synth.OIDCHost) + `$`)
	})
)

// outputString prepares a policy string for CloudFormation or Terraform:
// the partition becomes a parameter, and with provider the GitHub OIDC
// provider's ARN becomes a reference to the provider created.
func outputString(s string, provider bool) string {
	s = arnPartition().ReplaceAllString(s, "arn:{{"+partitionParam+"}}:")
	if provider && providerARN().MatchString(s) {
		return "{{" + providerParam + "}}"
	}
	return s
}

// roleARNParams maps each role ARN that is one parameter
// (role-to-assume: ${{ secrets.AWS_ROLE_ARN }}) to the role the output
// creates for it: the template's role is what the secret must name, so
// its own ARN is referenced and output, never taken as a name.
func roleARNParams(plans []*synth.Plan, id func(*synth.Plan) string) map[string]string {
	out := map[string]string{}
	for _, p := range plans {
		if p.Trust != nil && need.IsParam(p.Role.ARN) {
			out[need.Params(p.Role.ARN)[0]] = id(p)
		}
	}
	return out
}

// cfnWriter renders one template, remembering the parameters it uses.
type cfnWriter struct {
	provider bool
	roles    map[string]string // role ARN parameter -> logical id
	used     map[string]string // parameter logical id -> iamfit name
}

// cfnParam maps an iamfit parameter to its CloudFormation reference: a
// pseudo parameter, a resource attribute or a template parameter.
func (c *cfnWriter) cfnParam(name string) (ref string, kind string) {
	switch name {
	case "AccountId":
		return "AWS::AccountId", "pseudo"
	case "Region":
		return "AWS::Region", "pseudo"
	case partitionParam:
		return "AWS::Partition", "pseudo"
	}
	if id, ok := c.roles[name]; ok {
		return id + ".Arn", "getatt"
	}
	id := logicalID(name)
	c.used[id] = name
	return id, "param"
}

func scalar(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: s} }

func quoted(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Value: s, Style: yaml.DoubleQuotedStyle}
}

func mapping(kvs ...*yaml.Node) *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode, Content: kvs} }

// str renders a string: one parameter alone as !Ref or !GetAtt, a string
// with parameters as !Sub. Literal "${" (policy variables) is escaped as
// "${!" inside !Sub.
func (c *cfnWriter) str(s string) *yaml.Node {
	// The provider's ARN stays a !Sub of the pseudo parameters, with the
	// role's DependsOn on the provider: lint's oidc-provider-arn check reads
	// a !Ref there as a value that is not an ARN.
	s = outputString(s, false)
	if !paramRe.MatchString(s) {
		return quoted(s)
	}
	if need.IsParam(s) {
		ref, kind := c.cfnParam(need.Params(s)[0])
		if kind == "getatt" {
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!GetAtt", Value: ref}
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!Ref", Value: ref}
	}
	escaped := strings.ReplaceAll(s, "${", "${!")
	sub := paramRe.ReplaceAllStringFunc(escaped, func(m string) string {
		ref, _ := c.cfnParam(paramRe.FindStringSubmatch(m)[1])
		return "${" + ref + "}"
	})
	n := quoted(sub)
	n.Tag = "!Sub"
	return n
}

func (c *cfnWriter) value(v *jsonpos.Value) *yaml.Node {
	switch v.Kind {
	case jsonpos.Object:
		m := mapping()
		for _, mem := range v.Members {
			m.Content = append(m.Content, scalar(mem.Key), c.value(mem.Value))
		}
		return m
	case jsonpos.Array:
		s := &yaml.Node{Kind: yaml.SequenceNode}
		for _, e := range v.Elems {
			s.Content = append(s.Content, c.value(e))
		}
		return s
	case jsonpos.String:
		return c.str(v.Str)
	case jsonpos.Bool:
		return scalar(fmt.Sprint(v.Bool))
	case jsonpos.Number:
		return scalar(v.Str)
	}
	return scalar("null")
}

// cfnRoleID is the logical id of a plan's role.
func cfnRoleID(p *synth.Plan) string {
	base := p.Role.Name()
	if m := paramRe.FindStringSubmatch(base); m != nil {
		base = trimFold(trimFold(m[1], "arn"), "role")
	}
	id := logicalID(base) + "Role"
	if id == "Role" {
		id = "DeployRole"
	}
	return id
}

// paramDoc describes where a value the outputs leave open comes from.
func paramDoc(x string) string {
	return fmt.Sprintf("Not determined by the repository's files (iamfit parameter %s)", x)
}

// storeDoc tells where a created role's ARN goes.
func storeDoc(x string) string {
	return fmt.Sprintf("The role's ARN: store it as the secret or variable %s that the workflows read", x)
}

// CloudFormation writes a template with each role, its inline policy, the
// parameters the inputs leave open and, optionally, the GitHub OIDC
// provider. A role ARN that is a parameter is the created role's own ARN
// (an output to store in the secret); ARNs use ${AWS::Partition}; only
// parameters the template uses are declared; a leading comment names the
// capability that deploying it needs.
func CloudFormation(w io.Writer, plans []*synth.Plan, provider bool) error {
	c := &cfnWriter{provider: provider, used: map[string]string{}}
	c.roles = roleARNParams(plans, cfnRoleID)
	repo := ""
	if len(plans) > 0 {
		repo = plans[0].Repo
	}
	desc := "IAM roles generated by iamfit"
	if repo != "" {
		desc += " for " + paramRe.ReplaceAllString(repo, "$1")
	}
	res := mapping()
	if provider {
		res.Content = append(res.Content, scalar("GitHubOIDCProvider"), mapping(
			scalar("Type"), scalar("AWS::IAM::OIDCProvider"),
			scalar("Properties"), mapping(
				scalar("Url"), quoted("https://"+synth.OIDCHost),
				scalar("ClientIdList"), &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{quoted("sts.amazonaws.com")}})))
	}
	outputs := mapping()
	named := false
	for _, p := range plans {
		if p.Trust == nil {
			// A role derived from its usage exists already: attach a
			// managed policy to it.
			if p.Policy == nil {
				continue
			}
			perm, err := policyTree(p.Policy)
			if err != nil {
				return err
			}
			base := p.Role.Name()
			if m := paramRe.FindStringSubmatch(base); m != nil {
				base = m[1]
			}
			id := logicalID(base) + "Policy"
			props := mapping()
			switch {
			case p.Role.Kind == need.User:
				// An IAM user whose stored keys the workflows use.
				props.Content = append(props.Content, scalar("Description"), quoted("Generated by iamfit for the IAM user whose access keys the workflows use"),
					scalar("Users"), &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{c.str(p.Role.Name())}})
			case p.TrustWithheld != "":
				// No pinned trust can be written: the policy is not attached.
				props.Content = append(props.Content, scalar("Description"), quoted(truncate("Generated by iamfit for "+p.Role.ARN+"; attach it to the role yourself: no trust policy was written because "+p.TrustWithheld, 1000)))
			default:
				props.Content = append(props.Content, scalar("Description"), quoted("Generated by iamfit from the CloudTrail usage of "+p.Role.ARN),
					scalar("Roles"), &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{c.str(p.Role.Name())}})
			}
			props.Content = append(props.Content, scalar("PolicyDocument"), c.value(perm))
			res.Content = append(res.Content, scalar(id), mapping(scalar("Type"), scalar("AWS::IAM::ManagedPolicy"),
				scalar("Properties"), props))
			outputs.Content = append(outputs.Content, scalar(id+"Arn"), mapping(scalar("Value"), &yaml.Node{Kind: yaml.ScalarNode, Tag: "!Ref", Value: id}))
			continue
		}
		trust, err := policyTree(p.Trust)
		if err != nil {
			return err
		}
		id := cfnRoleID(p)
		props := mapping()
		arnParam := ""
		switch {
		case need.IsParam(p.Role.ARN):
			// The secret names the role this template creates: no name
			// taken from an ARN, the ARN is an output.
			arnParam = need.Params(p.Role.ARN)[0]
		case paramRe.MatchString(p.Role.Name()):
			props.Content = append(props.Content, scalar("RoleName"), c.str(p.Role.Name()))
			named = true
		default:
			props.Content = append(props.Content, scalar("RoleName"), quoted(p.Role.Name()))
			named = true
		}
		props.Content = append(props.Content, scalar("AssumeRolePolicyDocument"), c.value(trust))
		if p.Policy != nil {
			perm, err := policyTree(p.Policy)
			if err != nil {
				return err
			}
			props.Content = append(props.Content, scalar("Policies"), &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{mapping(
				scalar("PolicyName"), quoted("iamfit-generated"),
				scalar("PolicyDocument"), c.value(perm))}})
		}
		role := mapping(scalar("Type"), scalar("AWS::IAM::Role"))
		if provider && p.Role.OIDC {
			role.Content = append(role.Content, scalar("DependsOn"), scalar("GitHubOIDCProvider"))
		}
		role.Content = append(role.Content, scalar("Properties"), props)
		res.Content = append(res.Content, scalar(id), role)
		out := mapping()
		if arnParam != "" {
			out.Content = append(out.Content, scalar("Description"), quoted(storeDoc(arnParam)))
		}
		out.Content = append(out.Content, scalar("Value"), &yaml.Node{Kind: yaml.ScalarNode, Tag: "!GetAtt", Value: id + ".Arn"})
		outputs.Content = append(outputs.Content, scalar(id+"Arn"), out)
	}
	root := mapping(scalar("AWSTemplateFormatVersion"), quoted("2010-09-09"), scalar("Description"), quoted(desc))
	if len(c.used) > 0 {
		ps := mapping()
		ids := make([]string, 0, len(c.used))
		for id := range c.used {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			ps.Content = append(ps.Content, scalar(id), mapping(scalar("Type"), scalar("String"),
				scalar("Description"), quoted(paramDoc(c.used[id]))))
		}
		root.Content = append(root.Content, scalar("Parameters"), ps)
	}
	root.Content = append(root.Content, scalar("Resources"), res)
	if len(outputs.Content) > 0 {
		root.Content = append(root.Content, scalar("Outputs"), outputs)
	}
	capability := "CAPABILITY_IAM"
	if named {
		capability = "CAPABILITY_NAMED_IAM (the template names its roles)"
	}
	fmt.Fprintf(w, "# Deploy with: aws cloudformation deploy --template-file FILE --stack-name NAME --capabilities %s\n", capability)
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}); err != nil {
		return err
	}
	return enc.Close()
}

// tfName makes a Terraform identifier: snake_case, letters, digits, _.
func tfName(s string) string {
	var snake strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if r >= 'A' && r <= 'Z' && i > 0 && (rs[i-1] >= 'a' && rs[i-1] <= 'z' || rs[i-1] >= '0' && rs[i-1] <= '9' ||
			i+1 < len(rs) && rs[i+1] >= 'a' && rs[i+1] <= 'z' && rs[i-1] >= 'A' && rs[i-1] <= 'Z') {
			snake.WriteByte('_')
		}
		snake.WriteRune(r)
	}
	s = snake.String()
	var b strings.Builder
	for i, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r == '_' || r >= '0' && r <= '9' && i > 0:
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	out := strings.Trim(b.String(), "_")
	if out == "" {
		out = "role"
	}
	return out
}

// tfWriter renders one configuration, remembering the variables and data
// sources it uses.
type tfWriter struct {
	provider bool
	roles    map[string]string // role ARN parameter -> resource name
	used     map[string]bool   // iamfit parameter names
}

func traversal(names ...string) hcl.Traversal {
	t := hcl.Traversal{hcl.TraverseRoot{Name: names[0]}}
	for _, n := range names[1:] {
		t = append(t, hcl.TraverseAttr{Name: n})
	}
	return t
}

// ref is the Terraform expression for an iamfit parameter.
func (c *tfWriter) ref(name string) hcl.Traversal {
	switch name {
	case "AccountId":
		c.used[name] = true
		return traversal("data", "aws_caller_identity", "current", "account_id")
	case "Region":
		c.used[name] = true
		// aws_region's "name" is deprecated in provider v6, "region" new
		// there; "id" is the region in both.
		return traversal("data", "aws_region", "current", "id")
	case partitionParam:
		c.used[name] = true
		return traversal("data", "aws_partition", "current", "partition")
	case providerParam:
		return traversal("aws_iam_openid_connect_provider", "github", "arn")
	}
	if r, ok := c.roles[name]; ok {
		return traversal("aws_iam_role", r, "arn")
	}
	c.used[name] = true
	return traversal("var", tfName(name))
}

// str renders a string literal, a reference, or a template; "${" and
// "%{" in the text (policy variables) are escaped.
func (c *tfWriter) str(s string) hclwrite.Tokens {
	s = outputString(s, c.provider)
	if !paramRe.MatchString(s) {
		return hclwrite.TokensForValue(cty.StringVal(s))
	}
	if need.IsParam(s) {
		return hclwrite.TokensForTraversal(c.ref(need.Params(s)[0]))
	}
	esc := func(t string) string {
		t = strings.ReplaceAll(t, `\`, `\\`)
		t = strings.ReplaceAll(t, `"`, `\"`)
		t = strings.ReplaceAll(t, "${", "$${")
		return strings.ReplaceAll(t, "%{", "%%{")
	}
	toks := hclwrite.Tokens{{Type: hclsyntax.TokenOQuote, Bytes: []byte(`"`)}}
	rest := s
	for {
		m := paramRe.FindStringSubmatchIndex(rest)
		if m == nil {
			break
		}
		if m[0] > 0 {
			toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenQuotedLit, Bytes: []byte(esc(rest[:m[0]]))})
		}
		toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenTemplateInterp, Bytes: []byte("${")})
		toks = append(toks, hclwrite.TokensForTraversal(c.ref(rest[m[2]:m[3]]))...)
		toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenTemplateSeqEnd, Bytes: []byte("}")})
		rest = rest[m[1]:]
	}
	if rest != "" {
		toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenQuotedLit, Bytes: []byte(esc(rest))})
	}
	return append(toks, &hclwrite.Token{Type: hclsyntax.TokenCQuote, Bytes: []byte(`"`)})
}

func (c *tfWriter) value(v *jsonpos.Value) hclwrite.Tokens {
	switch v.Kind {
	case jsonpos.Object:
		attrs := make([]hclwrite.ObjectAttrTokens, 0, len(v.Members))
		for _, m := range v.Members {
			attrs = append(attrs, hclwrite.ObjectAttrTokens{Name: hclwrite.TokensForValue(cty.StringVal(m.Key)), Value: c.value(m.Value)})
		}
		return hclwrite.TokensForObject(attrs)
	case jsonpos.Array:
		elems := make([]hclwrite.Tokens, 0, len(v.Elems))
		for _, e := range v.Elems {
			elems = append(elems, c.value(e))
		}
		return hclwrite.TokensForTuple(elems)
	case jsonpos.String:
		return c.str(v.Str)
	case jsonpos.Bool:
		return hclwrite.TokensForValue(cty.BoolVal(v.Bool))
	case jsonpos.Number:
		return hclwrite.Tokens{{Type: hclsyntax.TokenNumberLit, Bytes: []byte(v.Str)}}
	}
	return hclwrite.Tokens{{Type: hclsyntax.TokenIdent, Bytes: []byte("null")}}
}

// tfRoleName is the resource name of a plan's role.
func tfRoleName(p *synth.Plan) string {
	if m := paramRe.FindStringSubmatch(p.Role.Name()); m != nil {
		return tfName(trimFold(m[1], "arn"))
	}
	return tfName(p.Role.Name())
}

// trimFold cuts the suffix (any case) and the separators before it:
// AWS_ROLE_ARN, Deploy.Arn and roleArn lose their arn.
func trimFold(s, suffix string) string {
	if len(s) > len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix) {
		return strings.TrimRight(s[:len(s)-len(suffix)], "_.-")
	}
	return s
}

// Terraform writes the roles as Terraform: the aws provider requirement,
// variables and data sources for what the inputs leave open,
// aws_iam_role with assume_role_policy = jsonencode(...),
// aws_iam_role_policy, outputs with the roles' ARNs; optionally
// aws_iam_openid_connect_provider, which the trust policies reference. A
// role ARN that is a parameter is the created role's own ARN (an output
// to store in the secret), never a name; ARNs use data.aws_partition.
func Terraform(w io.Writer, plans []*synth.Plan, provider bool) error {
	c := &tfWriter{provider: provider, used: map[string]bool{}}
	c.roles = roleARNParams(plans, tfRoleName)
	f := hclwrite.NewEmptyFile()
	body := f.Body()
	if provider {
		b := body.AppendNewBlock("resource", []string{"aws_iam_openid_connect_provider", "github"}).Body()
		b.SetAttributeValue("url", cty.StringVal("https://"+synth.OIDCHost))
		b.SetAttributeValue("client_id_list", cty.ListVal([]cty.Value{cty.StringVal("sts.amazonaws.com")}))
		body.AppendNewline()
	}
	outputs := hclwrite.NewEmptyFile()
	output := func(name string, value hcl.Traversal, desc string) {
		o := outputs.Body().AppendNewBlock("output", []string{name}).Body()
		if desc != "" {
			o.SetAttributeValue("description", cty.StringVal(desc))
		}
		o.SetAttributeTraversal("value", value)
		outputs.Body().AppendNewline()
	}
	for _, p := range plans {
		name := tfName(p.Role.Name())
		if p.Trust == nil {
			// A role derived from its usage exists already.
			if p.Policy == nil {
				continue
			}
			perm, err := policyTree(p.Policy)
			if err != nil {
				return err
			}
			if m := paramRe.FindStringSubmatch(p.Role.Name()); m != nil {
				name = tfName(m[1])
			}
			switch {
			case p.Role.Kind == need.User:
				// An IAM user whose stored keys the workflows use.
				up := body.AppendNewBlock("resource", []string{"aws_iam_user_policy", name}).Body()
				up.SetAttributeValue("name", cty.StringVal("iamfit-generated"))
				up.SetAttributeRaw("user", c.str(p.Role.Name()))
				up.SetAttributeRaw("policy", hclwrite.TokensForFunctionCall("jsonencode", c.value(perm)))
			case p.TrustWithheld != "":
				// No pinned trust can be written: the policy is not attached.
				pol := body.AppendNewBlock("resource", []string{"aws_iam_policy", name}).Body()
				pol.SetAttributeValue("name", cty.StringVal("iamfit-generated-"+name))
				pol.SetAttributeValue("description", cty.StringVal(truncate("Attach it to the role yourself: no trust policy was written because "+p.TrustWithheld, 1000)))
				pol.SetAttributeRaw("policy", hclwrite.TokensForFunctionCall("jsonencode", c.value(perm)))
				output(name+"_policy_arn", traversal("aws_iam_policy", name, "arn"), "")
			default:
				rp := body.AppendNewBlock("resource", []string{"aws_iam_role_policy", name}).Body()
				rp.SetAttributeValue("name", cty.StringVal("iamfit-generated"))
				rp.SetAttributeRaw("role", c.str(p.Role.Name()))
				rp.SetAttributeRaw("policy", hclwrite.TokensForFunctionCall("jsonencode", c.value(perm)))
			}
			body.AppendNewline()
			continue
		}
		trust, err := policyTree(p.Trust)
		if err != nil {
			return err
		}
		name = tfRoleName(p)
		role := body.AppendNewBlock("resource", []string{"aws_iam_role", name}).Body()
		desc := ""
		if need.IsParam(p.Role.ARN) {
			// The secret names the role created here: Terraform names it,
			// and its ARN is an output.
			desc = storeDoc(need.Params(p.Role.ARN)[0])
		} else {
			role.SetAttributeRaw("name", c.str(p.Role.Name()))
		}
		role.SetAttributeRaw("assume_role_policy", hclwrite.TokensForFunctionCall("jsonencode", c.value(trust)))
		body.AppendNewline()
		output(name+"_arn", traversal("aws_iam_role", name, "arn"), desc)
		if p.Policy == nil {
			continue
		}
		perm, err := policyTree(p.Policy)
		if err != nil {
			return err
		}
		rp := body.AppendNewBlock("resource", []string{"aws_iam_role_policy", name}).Body()
		rp.SetAttributeValue("name", cty.StringVal("iamfit-generated"))
		rp.SetAttributeTraversal("role", traversal("aws_iam_role", name, "id"))
		rp.SetAttributeRaw("policy", hclwrite.TokensForFunctionCall("jsonencode", c.value(perm)))
		body.AppendNewline()
	}
	head := hclwrite.NewEmptyFile()
	hb := head.Body()
	tb := hb.AppendNewBlock("terraform", nil).Body()
	rb := tb.AppendNewBlock("required_providers", nil).Body()
	rb.SetAttributeValue("aws", cty.ObjectVal(map[string]cty.Value{"source": cty.StringVal("hashicorp/aws"), "version": cty.StringVal(">= 5.0")}))
	hb.AppendNewline()
	names := make([]string, 0, len(c.used))
	for x := range c.used {
		names = append(names, x)
	}
	sort.Strings(names)
	for _, x := range names {
		switch x {
		case "AccountId":
			hb.AppendNewBlock("data", []string{"aws_caller_identity", "current"})
		case "Region":
			hb.AppendNewBlock("data", []string{"aws_region", "current"})
		case partitionParam:
			hb.AppendNewBlock("data", []string{"aws_partition", "current"})
		default:
			v := hb.AppendNewBlock("variable", []string{tfName(x)}).Body()
			v.SetAttributeTraversal("type", hcl.Traversal{hcl.TraverseRoot{Name: "string"}})
			v.SetAttributeValue("description", cty.StringVal(paramDoc(x)))
		}
		hb.AppendNewline()
	}
	all := append(append(head.Bytes(), f.Bytes()...), outputs.Bytes()...)
	_, err := w.Write(bytes.TrimRight(hclwrite.Format(all), "\n"))
	if err == nil {
		_, err = w.Write([]byte("\n"))
	}
	return err
}

// truncate cuts s to at most n bytes (IAM descriptions are bounded).
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-3] + "..."
}
