package lint

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/conformance"
	"github.com/iamfit/iamfit/internal/source"
)

// parliamentMap maps parliament's finding ids to the iamfit checks that
// mean the same thing. Parliament splits and joins findings differently:
// its RESOURCE_STAR is iamfit's resource-star, write-on-star or
// permissions-management depending on the access level.
var parliamentMap = map[string][]string{
	"RESOURCE_STAR":                        {"resource-star", "write-on-star", "permissions-management"},
	"PERMISSIONS_MANAGEMENT_ACTIONS":       {"permissions-management"},
	"RESOURCE_POLICY_PRIVILEGE_ESCALATION": {"permissions-management"},
	"UNKNOWN_CONDITION_FOR_ACTION":         {"unknown-condition-key"},
	"MISMATCHED_TYPE":                      {"condition-type"},
	"MISMATCHED_TYPE_BUT_USABLE":           {"condition-type"},
	"RESOURCE_MISMATCH":                    {"resource-mismatch"},
	"MALFORMED":                            {"policy-syntax", "policy-type"},
	"MALFORMED_JSON":                       {"json-syntax"},
	"NOTRESOURCE_WITH_ALLOW":               {"allow-not-resource"},
	"NOTPRINCIPAL_WITH_ALLOW":              {"allow-not-principal"},
	"PRIVILEGE_ESCALATION":                 {"privilege-escalation"},
	"INVALID_SID":                          {"invalid-sid"},
	"UNKNOWN_ACTION":                       {"unknown-action"},
	"UNKNOWN_OPERATOR":                     {"policy-syntax"},
	"DUPLICATE_SID":                        {"duplicate-sid"},
	"BAD_PATTERN_FOR_MFA":                  {"mfa-pattern"},
	"RESOURCE_EFFECTIVELY_STAR":            {"resource-any-account"},
	"INVALID_ARN":                          {"malformed-arn", "policy-syntax"},
}

// parliamentUnmapped are parliament ids iamfit deliberately has no check for.
var parliamentUnmapped = map[string]string{
	"CREDENTIALS_EXPOSURE": "flags ecr:GetAuthorizationToken, which every ECR push needs; iamfit does not flag correct deploy policies",
	"SENSITIVE_ACCESS":     "depends on a user-written list of sensitive resources; iamfit has no such configuration",
}

// community are parliament's optional "community auditors", compared only
// when a case enables them.
var community = map[string]bool{"PERMISSIONS_MANAGEMENT_ACTIONS": true, "PRIVILEGE_ESCALATION": true,
	"CREDENTIALS_EXPOSURE": true, "SENSITIVE_ACCESS": true, "RESOURCE_POLICY_PRIVILEGE_ESCALATION": true}

func TestConformanceParliament(t *testing.T) {
	file := filepath.Join("../../../shared/conformance/parliament/finding-cases.json")
	data, err := os.ReadFile(file)
	if err != nil {
		conformance.Missing(t, file, err)
	}
	var cases []struct {
		Source   string          `json:"source"`
		Line     int             `json:"line"`
		Policy   json.RawMessage `json:"policy"`
		Raw      bool            `json:"policy_is_raw_text"`
		Kwargs   map[string]any  `json:"analyze_kwargs"`
		Expected []string        `json:"expected_finding_ids"`
	}
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	cat := catalog.MustLoad()
	met, total, skipped := 0, 0, 0
	posMet, posTotal := 0, 0
	for _, c := range cases {
		if _, ok := c.Kwargs["config"]; ok {
			skipped++ // SENSITIVE_ACCESS configuration cases
			continue
		}
		doc := []byte(c.Policy)
		if c.Raw {
			var s string
			if err := json.Unmarshal(c.Policy, &s); err != nil {
				t.Fatal(err)
			}
			doc = []byte(s)
		}
		withCommunity := c.Kwargs["include_community_auditors"] == true
		res := File(source.NewFile("case.json", doc), cat, Options{})
		got := map[string]bool{}
		for _, d := range res.Diagnostics {
			got[d.Check] = true
		}
		want := map[string]bool{}
		for _, id := range c.Expected {
			want[id] = true
		}
		var miss []string
		for id, checks := range parliamentMap {
			if community[id] && !withCommunity {
				continue
			}
			present := false
			for _, ch := range checks {
				present = present || got[ch]
			}
			// An iamfit check shared by several parliament ids counts as
			// present for each of them only when parliament expects one.
			if present && !want[id] && sharedWithExpected(id, want) {
				present = false
			}
			total++
			if want[id] {
				posTotal++
				if present {
					posMet++
				}
			}
			if present == want[id] {
				met++
			} else {
				miss = append(miss, id)
			}
		}
		if len(miss) > 0 {
			sort.Strings(miss)
			t.Logf("%s:%d expected %v, differs on %v (iamfit: %v)", c.Source, c.Line, c.Expected, miss, keysOf(got))
		}
	}
	for id, why := range parliamentUnmapped {
		t.Logf("unmapped %s: %s", id, why)
	}
	if total == 0 {
		t.Fatalf("no mapped parliament expectations in %s", file)
	}
	rate := float64(met) / float64(total)
	t.Logf("parliament finding-cases: %d/%d mapped expectations met (%.1f%%): %d/%d expected findings reported, the rest expected absences; %d config-dependent cases skipped", met, total, 100*rate, posMet, posTotal, skipped)
	if rate < 0.90 {
		t.Errorf("%.1f%% below 90%%", 100*rate)
	}
}

// sharedWithExpected reports whether id's checks are also the checks of an
// id parliament expects (so their presence is explained by that one).
func sharedWithExpected(id string, want map[string]bool) bool {
	for other := range want {
		if other == id {
			continue
		}
		for _, a := range parliamentMap[id] {
			for _, b := range parliamentMap[other] {
				if a == b {
					return true
				}
			}
		}
	}
	return false
}

func keysOf(m map[string]bool) string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}
