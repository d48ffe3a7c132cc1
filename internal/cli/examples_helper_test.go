package cli

import (
	"encoding/json"
	"testing"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/lint"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

// lintGeneratedJSON lints each trust and permission policy of a generate
// --format json document with its type.
func lintGeneratedJSON(t *testing.T, name string, data []byte, cat *catalog.Catalog) []source.Diagnostic {
	t.Helper()
	var doc struct {
		Roles []struct {
			TrustPolicy      json.RawMessage `json:"trustPolicy"`
			PermissionPolicy json.RawMessage `json:"permissionPolicy"`
		} `json:"roles"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var out []source.Diagnostic
	for _, r := range doc.Roles {
		if string(r.TrustPolicy) != "null" {
			out = append(out, lint.File(source.NewFile(name+"/trust.json", r.TrustPolicy), cat, lint.Options{Type: policy.Trust}).Diagnostics...)
		}
		if string(r.PermissionPolicy) != "null" {
			out = append(out, lint.File(source.NewFile(name+"/policy.json", r.PermissionPolicy), cat, lint.Options{Type: policy.Identity}).Diagnostics...)
		}
	}
	return out
}
