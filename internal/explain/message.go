// Package explain reads AWS authorization failures, in every form AWS
// prints them, and says which policy type denied what, and the smallest
// change that would allow it.
package explain

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// PolicyType is the kind of policy a message blames.
type PolicyType string

// The policy types AWS names in messages.
const (
	Unknown     PolicyType = ""
	Identity    PolicyType = "identity-based policy"
	Resource    PolicyType = "resource-based policy"
	Boundary    PolicyType = "permissions boundary"
	SCP         PolicyType = "service control policy"
	RCP         PolicyType = "resource control policy"
	Session     PolicyType = "session policy"
	Endpoint    PolicyType = "VPC endpoint policy"
	WebIdentity PolicyType = "role trust policy (web identity)"
)

// Denial is what a message says.
type Denial struct {
	Principal string
	Action    string
	Resource  string
	// Type is the policy type that denied; Explicit tells an explicit deny
	// from a missing allow.
	Type     PolicyType
	Explicit bool
	// PolicyARN is the denying policy when the message names it (SCPs, RCPs).
	PolicyARN string
	// Operation and Code come from the CLI's "An error occurred (Code)
	// when calling the Operation operation:" wrapper.
	Operation, Code string
	// Conditions are the request context of a decoded authorization message.
	Conditions map[string][]string
	// Form names the message form recognised, for reports.
	Form string
	// TokenError is what STS answered about a web identity token it could
	// not validate ("Incorrect token audience"), when the text says.
	TokenError string
}

var (
	cliWrapRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`An error occurred \(([\w.]+)\)(?: when calling the (\w+) operation)?(?: \(reached max retries: \d+\))?:\s*`)
	})
	notAuthRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?s)(?:User|Principal):\s*(\S+)\s+is not authorized to perform:\s*([\w*:-]+)(?:\s+on resource:\s*(?:"([^"]+)"|(\S+?)))?(?:\s+because\s+(.*?)|\s+with an (explicit|implicit) deny in (?:an?\s+)?(.*?))?\s*(?:\.|$|\n)`)
	})
	becauseRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^no (identity-based policy|resource-based policy|session policy|permissions boundary|service control policy|resource control policy|VPC endpoint policy) allows`)
	})
	webIDRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)not authorized to perform:?\s*sts:AssumeRoleWith(WebIdentity|SAML)`)
	})
	// tokenRe are the answers of STS to a token it cannot validate
	// (InvalidIdentityToken): no provider for the issuer, an audience that
	// is not among the provider's client ids.
	tokenRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)No OpenIDConnect provider found in your account for \S+|Incorrect token audience`)
	})
)

var typeNames = map[string]PolicyType{
	"identity-based policy": Identity, "resource-based policy": Resource, "session policy": Session,
	"permissions boundary": Boundary, "service control policy": SCP, "resource control policy": RCP,
	"vpc endpoint policy": Endpoint,
}

// ParseMessage reads an authorization failure message. It returns an
// error when the text holds none of the forms it knows.
func ParseMessage(text string) (*Denial, error) {
	text = strings.TrimSpace(text)
	d := &Denial{}
	if m := cliWrapRe().FindStringSubmatch(text); m != nil {
		d.Code, d.Operation = m[1], m[2]
	}
	if strings.Contains(text, `"allowed"`) || strings.Contains(text, "DecodedMessage") {
		if err := d.decoded(text); err == nil {
			return d, nil
		}
	}
	if m := notAuthRe().FindStringSubmatch(text); m != nil {
		d.Principal, d.Action = m[1], m[2]
		d.Resource = m[3] + m[4]
		d.Form = "not authorized"
		switch {
		case m[5] != "":
			d.Form = "not authorized ... because"
			if b := becauseRe().FindStringSubmatch(m[5]); b != nil {
				d.Type = typeNames[strings.ToLower(b[1])]
			}
		case m[6] != "":
			d.Form = "not authorized ... with an " + m[6] + " deny"
			d.Explicit = m[6] == "explicit"
			typ, policyARN, _ := strings.Cut(m[7], ":")
			if strings.HasPrefix(strings.TrimSpace(policyARN), "arn") {
				d.PolicyARN = strings.TrimSpace(m[7][len(typ)+1:])
			} else {
				typ = m[7]
			}
			d.Type = typeNames[strings.ToLower(strings.TrimSpace(typ))]
		}
		if d.Type == Unknown && !d.Explicit && m[5] == "" && m[6] == "" {
			d.Form = "not authorized (older form, no policy type)"
		}
		return d, nil
	}
	if m := webIDRe().FindStringSubmatch(text); m != nil {
		d.Action = "sts:AssumeRoleWith" + map[bool]string{true: "SAML", false: "WebIdentity"}[strings.EqualFold(m[1], "SAML")]
		d.Type = WebIdentity
		d.Form = "web identity"
		return d, nil
	}
	if m := tokenRe().FindString(text); m != "" {
		d.Action, d.Type, d.Form, d.TokenError = "sts:AssumeRoleWithWebIdentity", WebIdentity, "invalid identity token", strings.TrimRight(m, ".")
		if d.Code == "" {
			d.Code = "InvalidIdentityToken"
		}
		return d, nil
	}
	return nil, fmt.Errorf("no authorization failure found in the text (want \"... is not authorized to perform: ACTION ...\", \"Not authorized to perform sts:AssumeRoleWithWebIdentity\" or a decoded authorization message)")
}

// decoded reads the JSON of `aws sts decode-authorization-message`,
// bare or wrapped as {"DecodedMessage": "..."}.
func (d *Denial) decoded(text string) error {
	start := strings.IndexByte(text, '{')
	if start < 0 {
		return fmt.Errorf("no JSON")
	}
	raw := []byte(text[start:])
	var wrap struct {
		DecodedMessage string `json:"DecodedMessage"`
	}
	if json.Unmarshal(raw, &wrap) == nil && wrap.DecodedMessage != "" {
		raw = []byte(wrap.DecodedMessage)
	}
	var msg struct {
		Allowed      bool `json:"allowed"`
		ExplicitDeny bool `json:"explicitDeny"`
		Context      struct {
			Principal struct {
				ARN string `json:"arn"`
			} `json:"principal"`
			Action     string `json:"action"`
			Resource   string `json:"resource"`
			Conditions struct {
				Items []struct {
					Key    string `json:"key"`
					Values struct {
						Items []struct {
							Value string `json:"value"`
						} `json:"items"`
					} `json:"values"`
				} `json:"items"`
			} `json:"conditions"`
		} `json:"context"`
	}
	if err := json.Unmarshal(raw, &msg); err != nil {
		return err
	}
	if msg.Context.Action == "" {
		return fmt.Errorf("no action")
	}
	d.Principal, d.Action, d.Resource = msg.Context.Principal.ARN, msg.Context.Action, msg.Context.Resource
	d.Explicit = msg.ExplicitDeny
	d.Form = "decoded authorization message"
	d.Conditions = map[string][]string{}
	for _, it := range msg.Context.Conditions.Items {
		for _, v := range it.Values.Items {
			d.Conditions[it.Key] = append(d.Conditions[it.Key], v.Value)
		}
	}
	return nil
}
