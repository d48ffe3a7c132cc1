package eval

import (
	"fmt"
	"strings"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/jsonpos"
)

// RequestError is a problem in a request document, at a byte offset of it.
type RequestError struct {
	Offset int
	Msg    string
}

func (e *RequestError) Error() string { return e.Msg }

// DecodeRequest reads a request from JSON:
//
//	{"principal": "arn:aws:iam::123456789012:role/deploy",
//	 "action": "ecs:UpdateService",
//	 "resource": "arn:aws:ecs:us-east-1:123456789012:service/prod/app",
//	 "resourceAccount": "123456789012",
//	 "anonymous": false,
//	 "context": {"aws:SourceIp": "192.0.2.1", "aws:TagKeys": ["a", "b"]}}
//
// Context values are strings, booleans, numbers or arrays of them; an
// array, or a key whose catalog type is multivalued, makes a multivalued
// key. Unknown fields are errors. cat may be nil.
func DecodeRequest(data []byte, cat *catalog.Catalog) (*Request, error) {
	root, errs := jsonpos.Parse(data)
	if len(errs) > 0 {
		return nil, &RequestError{errs[0].Offset, "invalid JSON: " + errs[0].Msg}
	}
	return RequestFromJSON(root, cat)
}

// RequestFromJSON is DecodeRequest for an already parsed value.
func RequestFromJSON(v *jsonpos.Value, cat *catalog.Catalog) (*Request, error) {
	if v.Kind != jsonpos.Object {
		return nil, &RequestError{v.Offset, fmt.Sprintf("a request must be a JSON object, found %s", v.Kind)}
	}
	r := &Request{}
	str := func(m jsonpos.Member) (string, error) {
		if m.Value.Kind != jsonpos.String {
			return "", &RequestError{m.Value.Offset, fmt.Sprintf("%q must be a string, found %s", m.Key, m.Value.Kind)}
		}
		return m.Value.Str, nil
	}
	var err error
	for _, m := range v.Members {
		switch m.Key {
		case "principal":
			r.Principal, err = str(m)
		case "action":
			r.Action, err = str(m)
		case "resource":
			r.Resource, err = str(m)
		case "resourceAccount":
			r.ResourceAccount, err = str(m)
		case "anonymous":
			if m.Value.Kind != jsonpos.Bool {
				return nil, &RequestError{m.Value.Offset, fmt.Sprintf("%q must be true or false, found %s", m.Key, m.Value.Kind)}
			}
			r.Anonymous = m.Value.Bool
		case "context":
			r.Context, err = contextFromJSON(m.Value, cat)
		default:
			return nil, &RequestError{m.KeyOffset, fmt.Sprintf("unknown field %q (want principal, action, resource, resourceAccount, anonymous, context)", m.Key)}
		}
		if err != nil {
			return nil, err
		}
	}
	if err := r.Validate(); err != nil {
		return nil, &RequestError{v.Offset, err.Error()}
	}
	return r, nil
}

// Validate checks that the request names an action and a resource, and a
// principal unless it is anonymous.
func (r *Request) Validate() error {
	switch {
	case r.Action == "":
		return fmt.Errorf("the request has no action")
	case strings.IndexByte(r.Action, ':') < 0:
		return fmt.Errorf("action %q: want service:Action", r.Action)
	case hasWildcard(r.Action):
		return fmt.Errorf("action %q: a request names one action, without wildcards", r.Action)
	case r.Resource == "":
		return fmt.Errorf("the request has no resource (use \"*\" for actions without resource types)")
	case r.Principal == "" && !r.Anonymous:
		return fmt.Errorf("the request has no principal (set \"anonymous\": true for unauthenticated calls)")
	}
	return nil
}

func contextFromJSON(v *jsonpos.Value, cat *catalog.Catalog) (*Context, error) {
	if v.Kind != jsonpos.Object {
		return nil, &RequestError{v.Offset, fmt.Sprintf("\"context\" must be an object of condition keys, found %s", v.Kind)}
	}
	ctx := &Context{m: make(map[string]*ContextValue, len(v.Members))}
	for _, m := range v.Members {
		cv := &ContextValue{Name: m.Key}
		elems := []*jsonpos.Value{m.Value}
		if m.Value.Kind == jsonpos.Array {
			cv.Multi = true
			elems = m.Value.Elems
		}
		for _, e := range elems {
			switch e.Kind {
			case jsonpos.String, jsonpos.Number:
				cv.Values = append(cv.Values, e.Str)
			case jsonpos.Bool:
				cv.Values = append(cv.Values, fmt.Sprint(e.Bool))
			default:
				return nil, &RequestError{e.Offset, fmt.Sprintf("context key %q: values must be strings, booleans or numbers, found %s", m.Key, e.Kind)}
			}
		}
		if !cv.Multi && cat != nil {
			if k := cat.ConditionKey(m.Key); k != nil && k.Type.Multivalued() {
				cv.Multi = true
			}
		}
		ctx.m[strings.ToLower(m.Key)] = cv
	}
	return ctx, nil
}
