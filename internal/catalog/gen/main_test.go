package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/catalog"
)

var update = flag.Bool("update", false, "rewrite testdata/want.tsv")

func TestConvert(t *testing.T) {
	got, err := convert(os.DirFS("testdata/pkg"))
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "want.tsv")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("convert output differs from %s (run with -update):\n%s", golden, got)
	}
	// The output must be readable by the catalog package.
	c, err := catalog.Parse(string(got))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	a := c.Action("ecs:RunTask")
	if a == nil || a.Access != catalog.Write || a.Description != "Grants permission to start a task" {
		t.Fatalf("ecs:RunTask = %+v", a)
	}
	if len(a.Resources) != 1 || !a.Resources[0].Required || a.Resources[0].Type == nil ||
		strings.Join(a.Resources[0].DependentActions, ",") != "iam:PassRole" {
		t.Errorf("RunTask resources = %+v", a.Resources)
	}
	if tr := c.Action("ecs:TagResource"); tr == nil || tr.Access != catalog.Tagging {
		t.Errorf("TagResource = %+v", tr)
	}
	if !c.Service("ecr").RCP || c.Service("ecs").RCP {
		t.Error("rcp flags wrong")
	}
	if c.ConditionKey("aws:SourceIp") == nil {
		t.Error("global keys missing")
	}
}

func TestConvertRejects(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("testdata/pkg")); err != nil {
		t.Fatal(err)
	}
	bad := `{"x": {"name": "X", "description": "", "accessLevel": "Sometimes", "resourceTypes": [], "conditionKeys": [], "dependentActions": []}}`
	if err := os.WriteFile(filepath.Join(dir, "data/actions/ecr.json"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := convert(os.DirFS(dir)); err == nil || !strings.Contains(err.Error(), "access level") {
		t.Errorf("unknown access level: err = %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "data/actions/ecr.json"), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := convert(os.DirFS(dir)); err == nil {
		t.Error("malformed JSON accepted")
	}
}
