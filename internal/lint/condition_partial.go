package lint

import (
	"strings"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

// ConditionKeyPartial flags a service condition key that only some of the
// statement's actions support.
//
// The Service Authorization Reference lists the condition keys of each
// action and resource type
// (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html);
// a key an action does not list is absent from its request, and "if the
// key that you specify in a policy condition is not present in the request
// context, the values do not match and the condition is false"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
var ConditionKeyPartial = &Check{
	ID:       "condition-key-partial",
	Severity: source.Warning,
	Doc:      `A statement's condition uses a service key (iam:PassedToService, s3:prefix, ec2:ResourceTag/...) that some of its actions support and others do not. For the others the key is absent from the request, so a positive operator is false: an Allow never grants them, a Deny never denies them, although the statement lists them. The finding names the actions that do not support the key. Global keys (aws:...) are present for every action and not flagged, nor are negated, ...IfExists and Null operators, which hold or are decided when the key is absent; unknown-condition-key reports a key that no action of the statement supports. Split the statement: the actions that support the key with the condition, the others in a statement of their own (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html).`,
	Run: func(p *Pass) error {
		for _, s := range p.Statements {
			if s.Action == nil || len(s.Conditions) == 0 {
				continue
			}
			granted := s.Granted()
			if len(granted) < 2 {
				continue
			}
			for _, c := range s.Conditions {
				if strings.Contains(c.Base, "Not") || c.IfExists || c.Base == "Null" || strings.Contains(c.Key.Value, "${") {
					continue
				}
				k := lookupKey(p.Catalog, s, c.Key.Value)
				if k == nil || k.Global || strings.Contains(k.Name, "${Provider}") || anyServiceKeys[strings.ToLower(c.Key.Value)] {
					continue
				}
				var with, without []*catalog.Action
				for _, a := range granted {
					if keySupported(a, k) {
						with = append(with, a)
					} else {
						without = append(without, a)
					}
				}
				if len(with) == 0 || len(without) == 0 {
					continue
				}
				effect := "this Allow never grants them"
				if s.Effect == policy.Deny {
					effect = "this Deny never denies them"
				}
				p.Reportf(c.Key.Pos, "condition key %s is supported by %s but not by %s: the key is absent from their requests, so %s; move them to a statement of their own",
					c.Key.Value, names(with, 3), names(without, 5), effect)
			}
		}
		return nil
	},
}
