package lint

import (
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/iamfit/iamfit/internal/arn"
	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

// MalformedARN flags Resource values that are not ARNs.
var MalformedARN = &Check{
	ID:       "malformed-arn",
	Severity: source.Error,
	Doc:      `A Resource or NotResource value is neither "*" nor a well-formed ARN: a stray character before "arn:" (a space, a quote left from copying), too few colons, an unknown partition, a misspelled service, a region or account id of the wrong shape. Such a value matches no resource, so the statement grants nothing for it. A service that iamfit's data does not know and that is no typo of a known one may be newer or retired: a warning. Write arn:partition:service:region:account:resource.`,
	Run: func(p *Pass) error {
		for _, s := range p.Statements {
			for _, el := range []*policy.Strings{s.Resource, s.NotResource} {
				if el == nil {
					continue
				}
				for _, v := range el.Values {
					if v.Value == "*" || Unknown(v.Value) {
						continue
					}
					a, err := arn.Parse(v.Value)
					if err != nil {
						p.Reportf(v.Pos, "malformed ARN: %v; it matches no resource", err)
						continue
					}
					if !strings.ContainsAny(a.Service, "*?$") && p.Catalog.Service(a.Service) == nil && formatsOf(p.Catalog)[a.Service] == nil {
						if sug := arnServiceSuggestion(p.Catalog, a.Service); sug != "" && isTypo(a.Service, sug) {
							p.Reportf(v.Pos, "ARN %q names service %q, which does not exist (did you mean %q?); it matches no resource", v.Value, a.Service, sug)
						} else {
							p.ReportSeverity(source.Warning, v.Pos, "ARN %q names service %q, which is not in iamfit's data of %s: it may be newer or retired; if misspelled, it matches no resource", v.Value, a.Service, dataDate(p.Catalog))
						}
					}
				}
			}
		}
		return nil
	},
}

// arnServiceSuggestion returns the known ARN service closest to svc.
func arnServiceSuggestion(cat *catalog.Catalog, svc string) string {
	var keys []string
	for k := range formatsOf(cat) {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return catalog.Closest(svc, keys)
}

// ResourceMismatch flags statements whose resources fit none of the
// resource types of some of their actions.
var ResourceMismatch = &Check{
	ID:       "resource-mismatch",
	Severity: source.Error,
	Doc:      `A Resource value and the statement's actions do not fit. A value that can denote no resource of its service at all (a format the service does not have, such as an S3 ARN with a region) matches nothing: an error. A value of a real resource type that none of the statement's actions takes (an object ARN for s3:ListBucket, a cluster ARN for ecs:UpdateService), or an action that none of the Resource values fits, is a warning: the statement grants nothing there, but the Service Authorization Reference's lists of resource types per action are incomplete (AWS's own policies grant on types it leaves out). An action the reference lists without resource types (ecr:GetAuthorizationToken) is documented for Resource "*" only; on ARNs it is a warning, since AWS authorizes many such actions on ARNs all the same. Put the action with a Resource of the right type; iamfit actions shows the ARN formats.`,
	Run: func(p *Pass) error {
		for _, s := range p.Statements {
			if s.Action == nil || s.Resource == nil {
				continue
			}
			if _, star := hasStar(s.Resource); star {
				continue
			}
			resources := s.Resource.Values
			if len(resources) == 0 {
				continue // no usable value; policy-syntax reports why
			}
			unknown := false
			for _, r := range resources {
				unknown = unknown || Unknown(r.Value)
			}
			if unknown {
				continue // a value iamfit cannot see could fit any action
			}
			compiled, fitters := p.fitters(len(resources))
			for i, r := range resources {
				compileResource(compiled[i], r.Value)
			}
			// fit[a] lists, per resource value, whether it fits action a.
			// Actions without resource types take no part: they are
			// reported on their own, as warnings.
			var all []*catalog.Action
			for _, a := range s.Granted() {
				if !a.WildcardOnly() {
					all = append(all, a)
				}
			}
			// fitting are the actions that some Resource value fits, used[i]
			// tells whether value i fits some action: a pair is tried only
			// when its answer can change one of them.
			fitting := newActionSet(indexRange(all))
			used := make([]bool, len(resources))
			for _, a := range all {
				for i, f := range fitters {
					if used[i] && fitting.has(a) {
						continue
					}
					if f.fitsAction(a) {
						fitting.add(a)
						used[i] = true
					}
				}
			}
			matches := fitting.has
			sev := p.Check.Severity
			if s.Effect == policy.Deny {
				sev = source.Warning
			}
			// Resource values that fit no action: report them, with the
			// reason when a part is empty that the format fills.
			var dead []int
			for i, r := range resources {
				if used[i] || len(all) == 0 {
					continue
				}
				if _, ok := parseARN(r.Value); ok { // else malformed-arn reports it
					dead = append(dead, i)
				}
			}
			for _, i := range dead {
				// A value that can denote no resource of its service at all
				// never matches: an error. One that denotes a resource type
				// the reference does not list for these actions is a
				// warning: the reference's lists of resource types per
				// action are incomplete (AWS's own policies grant on
				// types it leaves out).
				r := resources[i]
				if !fitsService(p.Catalog, r.Value, compiled[i]) {
					if why, never := neverMatches(p.Catalog, r.Value); never {
						p.ReportSeverity(sev, r.Pos, "%q fits no resource type of %s%s, so it matches no resource; the statement grants nothing on it", r.Value, serviceOf(r.Value), why)
					} else {
						p.ReportSeverity(source.Warning, r.Pos, "%q fits no resource type of %s in iamfit's data of %s: it may be a newer type, or it matches no resource", r.Value, serviceOf(r.Value), dataDate(p.Catalog))
					}
					continue
				}
				p.ReportSeverity(source.Warning, r.Pos, "%q fits no resource type of the statement's actions%s; the statement grants nothing on it", r.Value, whyNoFit(r.Value, all))
			}
			for _, ref := range s.Actions {
				if len(ref.Matched) == 0 {
					continue
				}
				literal := !strings.ContainsAny(ref.Value.Value, "*?")
				var missed []*catalog.Action
				wildcardOnly := 0
				for _, a := range ref.Matched {
					if a.WildcardOnly() {
						wildcardOnly++
					} else if !matches(a) {
						missed = append(missed, a)
					}
				}
				switch {
				case literal && wildcardOnly == 1:
					p.ReportSeverity(source.Warning, ref.Value.Pos, `the Service Authorization Reference lists no resource types for %s, so it is documented for Resource "*" only: on these ARNs it may grant nothing`, ref.Matched[0])
				case len(dead) == len(resources):
					// The resource findings above already say why.
				case literal && len(missed) == 1:
					p.ReportSeverity(source.Warning, ref.Value.Pos, "no Resource of the statement fits %s, so it grants nothing for it; its resource types: %s", missed[0], typeList(missed[0]))
				case !literal && len(missed) > 0 && len(missed)+wildcardOnly == len(ref.Matched):
					p.ReportSeverity(source.Warning, ref.Value.Pos, "no Resource of the statement fits any of the %d actions %s matches, so it grants nothing for them", len(missed), ref.Value.Value)
				}
			}
		}
		return nil
	},
}

// sharedPrefix are the services whose IAM prefix names two APIs that the
// Service Authorization Reference documents apart, but the catalog merges
// under one key, keeping one API's resource types for actions both have:
// Classic Load Balancing and Elastic Load Balancing V2 share
// "elasticloadbalancing" (elasticloadbalancing:AddTags takes a target group
// or an Application Load Balancer too), API Gateway's management APIs V1 and
// V2 share "apigateway". For their actions, an ARN that fits any resource
// type of the prefix counts as a fit.
var sharedPrefix = map[string]bool{"elasticloadbalancing": true, "apigateway": true}

// fitter is a compiled Resource value with the resource types and ARN
// formats it was matched against: the actions of a service share a handful
// of types (iam:* expands to hundreds of actions on a dozen), so each is
// matched once.
type fitter struct {
	p *arn.Pattern
	// types are the first resource types tried, looked through, not
	// hashed (a statement's actions share a few); many more go to many.
	types  []typeFit
	many   map[*catalog.ResourceType]bool
	format map[string]bool
}

type typeFit struct {
	rt  *catalog.ResourceType
	fit bool
}

// matchesFormat is p.MatchesFormat, remembered.
func (f *fitter) matchesFormat(format string) bool {
	if ok, done := f.format[format]; done {
		return ok
	}
	if f.format == nil {
		f.format = map[string]bool{}
	}
	ok := f.p.MatchesFormat(format)
	f.format[format] = ok
	return ok
}

// matchesType is p.MatchesType(rt), remembered.
func (f *fitter) matchesType(rt *catalog.ResourceType) bool {
	for _, t := range f.types {
		if t.rt == rt {
			return t.fit
		}
	}
	if ok, done := f.many[rt]; done {
		return ok
	}
	ok := f.p.MatchesType(rt)
	switch {
	case f.types == nil:
		f.types = make([]typeFit, 1, 16)
		f.types[0] = typeFit{rt, ok}
	case len(f.types) < 16:
		f.types = append(f.types, typeFit{rt, ok})
	case f.many == nil:
		f.many = map[*catalog.ResourceType]bool{rt: ok}
	default:
		f.many[rt] = ok
	}
	return ok
}

// fitsAction reports whether the Resource value can denote a resource the
// action is scoped to.
func (f *fitter) fitsAction(a *catalog.Action) bool {
	// p.MatchesAction(a), with the formats remembered.
	if a.WildcardOnly() {
		if f.p.MatchesAction(a) {
			return true
		}
	} else {
		for _, r := range a.Resources {
			if r.Type == nil || f.matchesType(r.Type) {
				return true
			}
		}
	}
	for _, ef := range extraFormats[a.Lower()] {
		if f.matchesFormat(ef) {
			return true
		}
	}
	if a.Service.Key == "lambda" && f.matchesFormat(lambdaQualified) {
		for _, r := range a.Resources {
			if r.Name == "function" {
				return true
			}
		}
	}
	if !sharedPrefix[a.Service.Key] {
		return false
	}
	for _, rt := range a.Service.ResourceTypes() {
		if f.matchesType(rt) {
			return true
		}
	}
	return false
}

// extraFormats are resource types that IAM authorizes on but the Service
// Authorization Reference leaves out: CloudFormation transforms, which
// cloudformation:CreateChangeSet is authorized on
// (arn:aws:cloudformation:us-east-1:aws:transform/Serverless-2016-10-31;
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/control-access-with-iam.html).
// Keys are lower-case actions.
var extraFormats = map[string][]string{
	"cloudformation:createchangeset": {"arn:${Partition}:cloudformation:${Region}:aws:transform/${TransformName}"},
}

// fitsService reports whether a Resource value can denote some resource of
// the service its ARN names (any service for a wildcard there).
func fitsService(cat *catalog.Catalog, v string, c *arn.Pattern) bool {
	a, ok := parseARN(v)
	if !ok || strings.ContainsAny(a.Service, "*?$") {
		return true
	}
	formats := formatsOf(cat)[a.Service]
	if len(formats) == 0 {
		return true // malformed-arn reports it
	}
	for _, f := range formats {
		if c.MatchesFormat(f) {
			return true
		}
	}
	for act, formats := range extraFormats {
		if !strings.HasPrefix(act, a.Service+":") {
			continue
		}
		for _, f := range formats {
			if c.MatchesFormat(f) {
				return true
			}
		}
	}
	for _, f := range extraTypes[a.Service] {
		if c.MatchesFormat(f) {
			return true
		}
	}
	return false
}

// extraTypes are ARN formats of resources that exist but that the Service
// Authorization Reference defines no resource type for: Application Auto
// Scaling's scaling policies, whose ARNs name the autoscaling service
// (arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:<id>:resource/dynamodb/table/t:policyName/p;
// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_ScalingPolicy.html).
var extraTypes = map[string][]string{
	"autoscaling": {"arn:${Partition}:autoscaling:${Region}:${Account}:scalingPolicy:*"},
}

// formatIndex maps a catalog to its resource-type formats by the service
// their ARNs name, which is not always the service that defines them:
// Application Auto Scaling's policies are arn:aws:autoscaling:...
var formatIndex sync.Map // *catalog.Catalog -> map[string][]string

func formatsOf(cat *catalog.Catalog) map[string][]string {
	if m, ok := formatIndex.Load(cat); ok {
		return m.(map[string][]string)
	}
	// The resource types' formats, in the order of the services' types,
	// read without parsing every service's actions.
	m := map[string][]string{}
	for _, format := range cat.ResourceFormats() {
		for f := range strings.SplitSeq(format, ", ") {
			if parts, ok := arn.Split(strings.TrimSpace(f)); ok {
				m[parts[2]] = append(m[parts[2]], f)
			}
		}
	}
	formatIndex.Store(cat, m)
	return m
}

// neverMatches tells, for a value that fits no format of its service,
// whether that is certain rather than a gap in iamfit's data, and why: a
// region or account left empty where every format of the service has one;
// a resource type written in another case or misspelled (ARNs are
// case-sensitive: stateMachine, vpcConnection); a known type whose
// remaining parts cannot be filled (a stack ARN without its id). A type
// the data does not know may be newer than the data.
func neverMatches(cat *catalog.Catalog, v string) (string, bool) {
	a, ok := parseARN(v)
	if !ok {
		return "", false
	}
	formats := formatsOf(cat)[a.Service]
	regional, withAccount := true, true
	tokens := map[string]bool{}
	for _, f := range formats {
		fp, ok := arn.Split(strings.TrimSpace(f))
		if !ok {
			continue
		}
		regional = regional && fp[3] != ""
		withAccount = withAccount && fp[4] != ""
		tokens[typeToken(fp[5])] = true
	}
	switch {
	case a.Region == "" && regional:
		return " (its region is empty, but every " + a.Service + " ARN has one)", true
	case a.Account == "" && withAccount:
		return " (its account id is empty, but every " + a.Service + " ARN has one)", true
	}
	tok := typeToken(a.Resource)
	if strings.ContainsAny(tok, "*?$") {
		return "", false
	}
	if tokens[tok] {
		return " (" + a.Service + " " + strconv.Quote(tok) + " ARNs have another shape)", true
	}
	norm := func(s string) string { return typeSeparators.Replace(strings.ToLower(s)) }
	for known := range tokens {
		if known != "" && (norm(known) == norm(tok) || isTypo(known, tok)) {
			return " (the resource type is written " + strconv.Quote(known) + "; ARNs are case-sensitive)", true
		}
	}
	return "", false
}

// typeSeparators drops the separators that resource-type names are
// written with or without.
var typeSeparators = strings.NewReplacer("-", "", "_", "")

// typeToken is the leading resource-type word of an ARN's resource part:
// what comes before the first '/' or ':' ("" when it starts with one), cut
// at a format variable.
func typeToken(res string) string {
	if i := strings.IndexAny(res, "/:"); i >= 0 {
		res = res[:i]
	}
	if i := strings.Index(res, "${"); i >= 0 {
		res = res[:i] + "$"
	}
	return res
}

func serviceOf(v string) string {
	a, _ := parseARN(v)
	return a.Service
}

// lambdaQualified is a function ARN with a version or alias: Lambda
// authorizes the actions on functions on qualified ARNs too
// (https://docs.aws.amazon.com/lambda/latest/dg/lambda-api-permissions-ref.html).
const lambdaQualified = "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}:${Qualifier}"

// awsOwned are the resource prefixes whose ARNs AWS writes with an empty
// account for the resources it owns and shares with every account: the
// Systems Manager documents, Automation runbooks and public parameters
// (arn:aws:ssm:us-east-1::document/AWS-RunShellScript,
// arn:aws:ssm:us-east-1::parameter/aws/service/...).
var awsOwned = map[string][]string{
	"ssm": {"document/", "automation-definition/", "parameter/aws/"},
	// The service views AWS creates for its own features
	// (view/AWSServiceViewForApplicationSignals/service-view).
	"resource-explorer-2": {"view/AWSServiceView"},
}

// compileResource compiles a Resource value into p for fitting against
// catalog formats, reading an empty account as AWS's own where AWS writes
// its resources so.
func compileResource(p *arn.Pattern, v string) {
	if !strings.Contains(v, "::") { // an empty account has "::" around it
		p.Compile(v)
		return
	}
	if a, ok := parseARN(v); ok && a.Account == "" {
		for _, prefix := range awsOwned[a.Service] {
			if strings.HasPrefix(a.Resource, prefix) || strings.HasPrefix(prefix, strings.TrimRight(a.Resource, "*")) && strings.HasSuffix(a.Resource, "*") {
				a.Account = "*"
				p.Compile(a.String())
				return
			}
		}
	}
	p.Compile(v)
}

// fitters returns n patterns to compile Resource values into and n
// fitters of them, in the memory of the last statement's when the Pass
// has a worker's.
func (p *Pass) fitters(n int) ([]*arn.Pattern, []*fitter) {
	var pats []*arn.Pattern
	var fits []*fitter
	if sc := p.sc; sc != nil {
		for len(sc.fitters) < n {
			sc.pats = append(sc.pats, new(arn.Pattern))
			sc.fitters = append(sc.fitters, new(fitter))
		}
		pats, fits = sc.pats[:n:n], sc.fitters[:n:n]
	} else {
		pats, fits = make([]*arn.Pattern, n), make([]*fitter, n)
		for i := range pats {
			pats[i], fits[i] = new(arn.Pattern), new(fitter)
		}
	}
	for i, f := range fits {
		*f = fitter{p: pats[i], types: f.types[:0]}
	}
	return pats, fits
}

// whyNoFit explains, when it can, why an ARN fits none of the actions:
// an empty region or account where every format of the first action's
// resource types has one (or a region where none has), else the types
// that action takes.
func whyNoFit(v string, acts []*catalog.Action) string {
	a, ok := parseARN(v)
	if !ok {
		return ""
	}
	for _, act := range acts {
		if act.Service.Key != a.Service || act.WildcardOnly() {
			continue
		}
		var withRegion, withAccount, n int
		var name string
		for _, r := range act.Resources {
			if r.Type == nil {
				continue
			}
			f, ok := arn.Split(r.Type.ARN)
			if !ok {
				continue
			}
			n++
			if name == "" {
				name = r.Name
			}
			if f[3] != "" {
				withRegion++
			}
			if f[4] != "" {
				withAccount++
			}
		}
		switch {
		case n == 0:
			continue
		case a.Region == "" && withRegion == n:
			return " (its region is empty, but " + a.Service + " " + name + " ARNs have one)"
		case a.Account == "" && withAccount == n:
			return " (its account id is empty, but " + a.Service + " " + name + " ARNs have one)"
		case a.Region != "" && withRegion == 0:
			return " (it has a region, but " + a.Service + " " + name + " ARNs have none)"
		}
		return " (" + act.String() + " takes " + typeList(act) + ")"
	}
	return ""
}

func typeList(a *catalog.Action) string {
	var parts []string
	for _, r := range a.Resources {
		if r.Type != nil {
			parts = append(parts, r.Name+" ("+r.Type.ARN+")")
		} else {
			parts = append(parts, r.Name)
		}
	}
	if len(parts) > 3 {
		parts = append(parts[:3], "...")
	}
	return strings.Join(parts, " or ")
}

// ResourceStar flags Resource "*" on read actions that can be scoped.
var ResourceStar = &Check{
	ID:       "resource-star",
	Severity: source.Warning,
	Doc:      `An Allow grants read or list actions on Resource "*" although they support resource types, so they apply to every resource of the account. Name the resources. Actions without resource types, such as ecr:GetAuthorizationToken or ecs:DescribeTaskDefinition, can only be granted on "*" and are not flagged, nor are actions whose only resource type is optional, statements whose conditions confine the resources (tags, as for write-on-star) and resource policies, whose "*" is the resource they are attached to. Write actions on "*" are reported by write-on-star.`,
	Run: func(p *Pass) error {
		for _, s := range p.Statements {
			star, ok := hasStar(s.Resource)
			if !ok || s.Effect != policy.Allow || s.Action == nil || s.Action.Has("*") || p.Type == policy.Resource || scopedByCondition(s) {
				continue
			}
			// The first few are named, the others counted.
			var scopable []*catalog.Action
			n := 0
			for _, a := range s.Granted() {
				if !a.MayNameNoResource() && (a.Access == catalog.Read || a.Access == catalog.List) {
					if n++; len(scopable) <= 4 {
						scopable = append(scopable, a)
					}
				}
			}
			if n > 0 {
				p.reportText(star.Pos, `Resource "*" for `+namesOf(scopable, n, 4)+`, which can be scoped to resources: name them`)
			}
		}
		return nil
	},
}

// ResourceAnyAccount flags ARN patterns that match every account.
var ResourceAnyAccount = &Check{
	ID:       "resource-any-account",
	Severity: source.Warning,
	Doc:      `An Allow names resources with a wildcard account id, such as arn:aws:ecs:*:*:service/*: it matches those resources in every AWS account, which is "*" in all but name (and across accounts, only the other account's resource policy stands in the way). Write the account id.`,
	Run: func(p *Pass) error {
		for _, s := range p.Statements {
			if s.Effect != policy.Allow || s.Resource == nil {
				continue
			}
			for _, r := range s.Resource.Values {
				if !strings.Contains(r.Value, ":*:") {
					continue // no account part "*": no need to parse
				}
				a, ok := parseARN(r.Value)
				if !ok || a.Account != "*" || a.Service == "iam" {
					// IAM resources cannot be reached from other accounts
					// (arn:aws:iam::*:mfa/${aws:username} is the documented pattern).
					continue
				}
				p.Reportf(r.Pos, "%q matches resources in every AWS account: write the account id", r.Value)
			}
		}
		return nil
	},
}

// parseARN is arn.Parse without the error, which most checks drop: a
// value that is not an ARN ("*", most often) costs no message.
func parseARN(v string) (arn.ARN, bool) {
	parts, ok := arn.Split(v)
	if !ok {
		return arn.ARN{}, false
	}
	return arn.FromParts(parts)
}
