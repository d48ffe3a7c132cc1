package catalog

import (
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"
)

// TestManagedExecutionPolicy: the list is what AWS's managed policy grants
// (the copy in ../shared/aws-managed-policies, when present).
func TestManagedExecutionPolicy(t *testing.T) {
	data, err := os.ReadFile("../../../shared/aws-managed-policies/AmazonECSTaskExecutionRolePolicy.json")
	if err != nil {
		t.Skipf("no copy of the managed policy: %v", err)
	}
	var doc struct {
		PolicyVersion struct {
			Document struct {
				Statement []struct {
					Action any `json:"Action"`
				} `json:"Statement"`
			} `json:"Document"`
		} `json:"PolicyVersion"`
		Statement []struct {
			Action any `json:"Action"`
		} `json:"Statement"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	stmts := doc.Statement
	if len(stmts) == 0 {
		stmts = doc.PolicyVersion.Document.Statement
	}
	var got []string
	for _, s := range stmts {
		switch a := s.Action.(type) {
		case string:
			got = append(got, a)
		case []any:
			for _, x := range a {
				got = append(got, x.(string))
			}
		}
	}
	want := append([]string(nil), ManagedExecutionPolicy...)
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("AmazonECSTaskExecutionRolePolicy grants %v; the list has %v", got, want)
	}
}
