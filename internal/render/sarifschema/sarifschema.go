// Package sarifschema validates SARIF logs against the SARIF 2.1.0 JSON
// schema (testdata/sarif-2.1.0-rtm.5.json, see testdata/README.md) with a
// JSON Schema validator, formats asserted, and against the rules of the
// specification the schema cannot express. Only tests import it: the
// schema and the validator stay out of the iamfit binary.
package sarifschema

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// schemaJSON is the SARIF 2.1.0 schema, rtm.5, as OASIS's SARIF TC
// published it (draft-04, additionalProperties false on every object but
// a property bag).
//
//go:embed testdata/sarif-2.1.0-rtm.5.json
var schemaJSON []byte

// ID is the schema's own id.
const ID = "https://raw.githubusercontent.com/schemastore/schemastore/master/src/schemas/json/sarif-2.1.0-rtm.5.json"

var compiled = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return nil, fmt.Errorf("read the SARIF schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	c.RegisterFormat(&jsonschema.Format{Name: "uri", Validate: uriFormat(true)})
	c.RegisterFormat(&jsonschema.Format{Name: "uri-reference", Validate: uriFormat(false)})
	if err := c.AddResource(ID, doc); err != nil {
		return nil, fmt.Errorf("add the SARIF schema: %w", err)
	}
	sch, err := c.Compile(ID)
	if err != nil {
		return nil, fmt.Errorf("compile the SARIF schema: %w", err)
	}
	return sch, nil
})

// Validate reports how a SARIF log violates the SARIF 2.1.0 schema, nil
// when it validates. A log that is not JSON is an error too.
func Validate(log []byte) error {
	sch, err := compiled()
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(log))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	if err := sch.Validate(inst); err != nil {
		return err
	}
	return baseURIs(inst)
}

// uriChars are the characters RFC 3986 allows in a URI reference, a
// percent sign only as the start of an escape (§2).
var uriChars = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^([A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$`)
})

// uriFormat checks the schema's formats "uri" (absolute: true) and
// "uri-reference" as RFC 3986 spells them. The validator's own formats
// parse with net/url, which takes a space or a lone "%" in a path; SARIF
// requires valid URIs (§3.10).
func uriFormat(absolute bool) func(any) error {
	return func(v any) error {
		s, ok := v.(string)
		if !ok {
			return nil
		}
		if !uriChars().MatchString(s) {
			return errors.New("a character RFC 3986 does not allow in a URI")
		}
		u, err := url.Parse(s)
		if err != nil {
			return err
		}
		if absolute && !u.IsAbs() {
			return errors.New("not an absolute URI")
		}
		return nil
	}
}

// baseURIs checks what §3.14.14 asks of each run's originalUriBaseIds and
// the schema does not say: a base without a uriBaseId of its own is an
// absolute URI, and every base URI ends with a slash.
func baseURIs(inst any) error {
	log, _ := inst.(map[string]any)
	runs, _ := log["runs"].([]any)
	for i, r := range runs {
		run, _ := r.(map[string]any)
		bases, _ := run["originalUriBaseIds"].(map[string]any)
		for id, b := range bases {
			base, _ := b.(map[string]any)
			uri, _ := base["uri"].(string)
			if _, relative := base["uriBaseId"]; !relative {
				if u, err := url.Parse(uri); err != nil || !u.IsAbs() {
					return fmt.Errorf("runs[%d].originalUriBaseIds[%q]: uri %q is not absolute (SARIF 2.1.0 §3.14.14)", i, id, uri)
				}
			}
			if uri != "" && !strings.HasSuffix(uri, "/") {
				return fmt.Errorf("runs[%d].originalUriBaseIds[%q]: uri %q does not end with a slash (SARIF 2.1.0 §3.14.14)", i, id, uri)
			}
		}
	}
	return nil
}
