package lint

import (
	"strings"

	"github.com/iamfit/iamfit/internal/arn"
	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

// MalformedARN flags Resource values that are not ARNs.
var MalformedARN = &Check{
	ID:       "malformed-arn",
	Severity: source.Error,
	Doc:      `A Resource or NotResource value is neither "*" nor a well-formed ARN: a stray character before "arn:" (a space, a quote left from copying), too few colons, an unknown partition or service, a region or account id of the wrong shape. Such a value matches no resource, so the statement grants nothing for it. Write arn:partition:service:region:account:resource.`,
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
					if !strings.ContainsAny(a.Service, "*?$") && p.Catalog.Service(a.Service) == nil {
						p.Reportf(v.Pos, "ARN %q names service %q, which does not exist; it matches no resource", v.Value, a.Service)
					}
				}
			}
		}
		return nil
	},
}

// ResourceMismatch flags statements whose resources fit none of the
// resource types of some of their actions.
var ResourceMismatch = &Check{
	ID:       "resource-mismatch",
	Severity: source.Error,
	Doc:      `An action of the statement can be scoped to resource types (an ECR repository, an ECS service) but none of the statement's Resource values can denote one of them, so the statement grants nothing for that action: an object ARN for s3:ListBucket, a cluster ARN for ecs:UpdateService, a repository ARN for ecr:GetAuthorizationToken (which only works on "*"). Put the action with a Resource of the right type; iamfit actions shows the ARN formats.`,
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
			compiled := make([]*arn.Pattern, len(resources))
			for i, r := range resources {
				compiled[i] = arn.CompilePattern(r.Value)
			}
			// fit[a] lists, per resource value, whether it fits action a.
			all := s.Granted()
			fit := make(map[*catalog.Action][]bool, len(all))
			for _, a := range all {
				row := make([]bool, len(compiled))
				for i, c := range compiled {
					row[i] = c.MatchesAction(a)
				}
				fit[a] = row
			}
			matches := func(a *catalog.Action) bool {
				for _, ok := range fit[a] {
					if ok {
						return true
					}
				}
				return false
			}
			sev := p.Check.Severity
			if s.Effect == policy.Deny {
				sev = source.Warning
			}
			// Resource values that fit no action at all: report them, with
			// the reason when a part is empty that the format fills.
			anyFits := false
			for i, r := range resources {
				if _, err := arn.Parse(r.Value); err != nil {
					continue // malformed-arn reports it
				}
				fits := false
				for _, a := range all {
					if fit[a][i] {
						fits = true
						break
					}
				}
				anyFits = anyFits || fits
				if !fits && len(all) > 0 {
					p.ReportSeverity(sev, r.Pos, "%q fits no resource type of the statement's actions%s; the statement grants nothing on it", r.Value, whyNoFit(r.Value, all))
				}
			}
			for _, ref := range s.Actions {
				if len(ref.Matched) == 0 {
					continue
				}
				literal := !strings.ContainsAny(ref.Value.Value, "*?")
				var missed []*catalog.Action
				for _, a := range ref.Matched {
					if !matches(a) {
						missed = append(missed, a)
					}
				}
				switch {
				case literal && len(missed) == 1 && missed[0].WildcardOnly():
					p.ReportSeverity(sev, ref.Value.Pos, `%s has no resource types and is only granted on Resource "*"; this statement grants nothing for it`, missed[0])
				case !anyFits:
					// The resource findings above already say why.
				case literal && len(missed) == 1:
					p.ReportSeverity(sev, ref.Value.Pos, "no Resource of the statement fits %s, so it grants nothing for it; its resource types: %s", missed[0], typeList(missed[0]))
				case !literal && len(missed) == len(ref.Matched):
					p.ReportSeverity(sev, ref.Value.Pos, "no Resource of the statement fits any of the %d actions %s matches, so it grants nothing for them", len(missed), ref.Value.Value)
				}
			}
		}
		return nil
	},
}

// whyNoFit explains, when it can, why an ARN fits none of the actions:
// an empty region or account where the service's formats have one.
func whyNoFit(v string, acts []*catalog.Action) string {
	a, err := arn.Parse(v)
	if err != nil {
		return ""
	}
	var first *catalog.Action
	for _, act := range acts {
		if act.Service.Key != a.Service || act.WildcardOnly() {
			continue
		}
		if first == nil {
			first = act
		}
		for _, r := range act.Resources {
			if r.Type == nil {
				continue
			}
			f, ok := arn.Split(r.Type.ARN)
			if !ok {
				continue
			}
			switch {
			case a.Region == "" && f[3] != "":
				return " (its region is empty, but " + a.Service + " " + r.Name + " ARNs have one)"
			case a.Account == "" && f[4] != "":
				return " (its account id is empty, but " + a.Service + " " + r.Name + " ARNs have one)"
			case a.Region != "" && f[3] == "":
				return " (it has a region, but " + a.Service + " " + r.Name + " ARNs have none)"
			}
		}
	}
	if first != nil {
		return " (" + first.String() + " takes " + typeList(first) + ")"
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
	Doc:      `An Allow grants read or list actions on Resource "*" although they support resource types, so they apply to every resource of the account. Name the resources. Actions without resource types, such as ecr:GetAuthorizationToken or ecs:DescribeTaskDefinition, can only be granted on "*" and are not flagged. Write actions on "*" are reported by write-on-star.`,
	Run: func(p *Pass) error {
		for _, s := range p.Statements {
			star, ok := hasStar(s.Resource)
			if !ok || s.Effect != policy.Allow || s.Action == nil || s.Action.Has("*") {
				continue
			}
			var scopable []*catalog.Action
			for _, a := range s.Granted() {
				if !a.WildcardOnly() && (a.Access == catalog.Read || a.Access == catalog.List) {
					scopable = append(scopable, a)
				}
			}
			if len(scopable) > 0 {
				p.Reportf(star.Pos, `Resource "*" for %s, which can be scoped to resources: name them`, names(scopable, 4))
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
				a, err := arn.Parse(r.Value)
				if err != nil || a.Account != "*" || a.Service == "iam" {
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
