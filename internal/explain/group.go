package explain

// Event is one denied call as a log recorded it. The caller reads the log
// (CloudTrail) and converts its records: explain reads no files.
type Event struct {
	// Principal is the caller's ARN.
	Principal string
	// Action is the IAM action of the call, "ecs:UpdateService".
	Action string
	// Resource is the first resource the record names, if any.
	Resource string
	// Operation, ErrorCode and ErrorMessage are the record's event name,
	// error code and error message.
	Operation, ErrorCode, ErrorMessage string
	// WebIdentity is the token of a failed AssumeRoleWithWebIdentity.
	WebIdentity *Token
}

// Group is one distinct denial and how many events repeat it.
type Group struct {
	Count  int
	Denial *Denial
	Token  *Token // the token of a web identity denial
}

// Grouper groups denied events into distinct denials (principal, action,
// resource, and for web identities the token's subject and audience), in
// the order they are first seen. The zero value is ready to use.
type Grouper struct {
	groups []*Group
	index  map[groupKey]*Group
	// The same denial repeats: each message is parsed once.
	parsed map[string]*Denial
}

type groupKey struct{ principal, action, resource, token string }

// Add counts one event.
func (g *Grouper) Add(e Event) {
	var d *Denial
	tok := e.WebIdentity
	if tok != nil {
		d = &Denial{Action: tok.action(), Type: WebIdentity, Resource: tok.RoleARN, Form: "CloudTrail"}
		if tokenRe().MatchString(e.ErrorMessage) {
			d.TokenError = e.ErrorMessage
		}
	} else if parsed, ok := g.parse(e.ErrorMessage); ok {
		d = parsed
	} else {
		d = &Denial{Principal: e.Principal, Action: e.Action, Resource: e.Resource, Form: "CloudTrail"}
	}
	if d.Operation == "" {
		d.Operation, d.Code = e.Operation, e.ErrorCode
	}
	k := groupKey{d.Principal, d.Action, d.Resource, ""}
	if g, ok := Generalize(d.Resource); ok {
		// Revisions 5 and 6 of a family, two tasks: one denial, one fix.
		k.resource = g.To
	}
	if tok != nil {
		k.token = tok.Issuer + " " + tok.Subject + " " + tok.Audience + " " + tok.ErrorCode
	}
	if g.index == nil {
		g.index = map[groupKey]*Group{}
	}
	gr := g.index[k]
	if gr == nil {
		gr = &Group{Denial: d, Token: tok}
		g.index[k] = gr
		g.groups = append(g.groups, gr)
	}
	gr.Count++
}

// parse parses a message, remembering the last few thousand; it returns a
// copy, which the caller may change.
func (g *Grouper) parse(msg string) (*Denial, bool) {
	d, seen := g.parsed[msg]
	if !seen {
		if g.parsed == nil || len(g.parsed) >= 1<<14 {
			g.parsed = map[string]*Denial{}
		}
		d, _ = ParseMessage(msg) // nil when it is not a message iamfit reads
		g.parsed[msg] = d
	}
	if d == nil {
		return nil, false
	}
	c := *d
	return &c, true
}

// Groups returns the distinct denials in the order first seen.
func (g *Grouper) Groups() []*Group { return g.groups }
