package tf

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/source"
	"github.com/iamfit/iamfit/internal/tree"
)

// writeTree writes files under a temporary directory and walks it.
func writeTree(t testing.TB, files map[string]string) *tree.Tree {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tr, err := tree.Walk(dir, tree.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// describe renders what TaskDefinitions says of a repository: per task
// definition its address, family and roles, each container's image,
// environment, secrets and log options with their positions, the
// patterns and identified resources, then the notes and warnings.
func describe(tds []TaskDefinition, diags []source.Diagnostic) string {
	var b strings.Builder
	at := func(f *source.File, v *jsonpos.Value) string {
		return fmt.Sprintf("%s:%s", f.Name, f.Position(v.Offset))
	}
	for _, td := range tds {
		fmt.Fprintf(&b, "%s at %s:%s region=%s account=%s\n", td.Address, td.File.Name, td.Pos, td.Region, td.Account)
		if td.ExecuteCommand {
			b.WriteString("  a service enables ECS Exec\n")
		}
		for _, r := range []struct {
			what string
			v    *jsonpos.Value
		}{{"family", td.Family}, {"execution", td.ExecutionRole}, {"task", td.TaskRole}} {
			if r.v != nil {
				fmt.Fprintf(&b, "  %s %s (%s)\n", r.what, r.v.Str, at(td.File, r.v))
			}
		}
		for _, r := range []struct {
			what string
			at   *RoleAt
		}{{"execution", td.ExecutionRoleAt}, {"task", td.TaskRoleAt}} {
			if r.at != nil {
				fmt.Fprintf(&b, "  %s role is %s %s at %s:%s\n", r.what, r.at.Module, r.at.Address, r.at.File, r.at.Pos)
			}
		}
		if td.Containers == nil {
			b.WriteString("  containers not read\n")
		} else {
			for _, cd := range td.Containers.Elems {
				name := getCI(cd, "name")
				img := getCI(cd, "image")
				fmt.Fprintf(&b, "  container %s", str(name))
				if img != nil {
					fmt.Fprintf(&b, " image %s (%s)", img.Str, at(td.ContainersFile, img))
				}
				b.WriteString("\n")
				for _, list := range []string{"environment", "secrets"} {
					key := "value"
					if list == "secrets" {
						key = "valueFrom"
					}
					if l := getCI(cd, list); l != nil {
						for _, el := range l.Elems {
							if v := getCI(el, key); v != nil {
								fmt.Fprintf(&b, "    %s %s=%s (%s)\n", list, str(getCI(el, "name")), v.Str, at(td.ContainersFile, v))
							}
						}
					}
				}
				if lc := getCI(cd, "logConfiguration"); lc != nil {
					if o := getCI(lc, "options"); o != nil {
						for _, m := range o.Members {
							fmt.Fprintf(&b, "    log %s=%s\n", m.Key, m.Value.Str)
						}
					}
				}
			}
		}
		for _, m := range []map[string]string{td.EnvPatterns, td.EnvResources} {
			var ks []string
			for k := range m {
				ks = append(ks, k)
			}
			sort.Strings(ks)
			for _, k := range ks {
				fmt.Fprintf(&b, "  env %s -> %s\n", k, m[k])
			}
		}
		for _, d := range append(td.Notes, td.Warnings...) {
			fmt.Fprintf(&b, "  %s\n", d)
		}
	}
	for _, d := range diags {
		fmt.Fprintf(&b, "%s\n", d)
	}
	return b.String()
}

func str(v *jsonpos.Value) string {
	if v == nil {
		return "<nil>"
	}
	return v.Str
}

var update = flag.Bool("update", false, "rewrite the golden files")

// TestTaskDefinitions reads each testdata/taskdefs/NAME.txtar (the
// repository's files, and an "options" section: region=, account=,
// set=VAR:why) and compares what TaskDefinitions says with NAME.out.
func TestTaskDefinitions(t *testing.T) {
	cases, _ := filepath.Glob(filepath.Join("testdata", "taskdefs", "*.txtar"))
	if len(cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range cases {
		name := strings.TrimSuffix(filepath.Base(c), ".txtar")
		t.Run(name, func(t *testing.T) {
			ar, err := txtar.ParseFile(c)
			if err != nil {
				t.Fatal(err)
			}
			files := map[string]string{}
			var opt Options
			set := map[string]string{}
			for _, f := range ar.Files {
				if f.Name != "options" {
					files[f.Name] = string(f.Data)
					continue
				}
				for _, line := range strings.Split(strings.TrimSpace(string(f.Data)), "\n") {
					k, v, _ := strings.Cut(line, "=")
					switch k {
					case "region":
						opt.Region = v
					case "account":
						opt.Account = v
					case "varfile":
						opt.VarFile, opt.VarFileWhy, _ = strings.Cut(v, ":")
					case "set":
						n, why, _ := strings.Cut(v, ":")
						set[n] = why
					}
				}
			}
			opt.Overridden = func(n string) string { return set[n] }
			tds, diags := TaskDefinitions(writeTree(t, files), opt)
			got := describe(tds, diags)
			golden := strings.TrimSuffix(c, ".txtar") + ".out"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// FuzzTaskDefinitions feeds TaskDefinitions configurations whose task
// definition's file, and the template and JSON files it may read, are
// the fuzzer's: it must neither panic nor hang.
func FuzzTaskDefinitions(f *testing.F) {
	cases, _ := filepath.Glob(filepath.Join("testdata", "taskdefs", "*.txtar"))
	for _, c := range cases {
		ar, err := txtar.ParseFile(c)
		if err != nil {
			continue
		}
		for _, file := range ar.Files {
			f.Add(file.Data, []byte(`[{"name": "x", "image": "${image}", "cpu": ${cpu}}]`))
		}
	}
	f.Add([]byte(`resource "aws_ecs_task_definition" "x" {
  family = local.a
  container_definitions = templatefile("t.tpl", { a = local.a })
}
locals {
  a = local.b
  b = [local.a, local.a]
}`), []byte(`${a}`))
	f.Add([]byte("resource \"aws_ecs_task_definition\" \"x\" {\n  container_definitions = <<EOF\n[{\"a\": ${x}\nEOF\n}"), []byte("%{ for x in y }"))
	f.Fuzz(func(t *testing.T, tf, tpl []byte) {
		tr := writeTree(t, map[string]string{
			"main.tf":         "resource \"aws_ecs_task_definition\" \"fuzz\" {\n  family = \"f\"\n  container_definitions = templatefile(\"t.tpl\", {})\n}\n",
			"fuzz.tf":         string(tf),
			"t.tpl":           string(tpl),
			"task.json.tpl":   string(tpl),
			"containers.json": string(tpl),
		})
		TaskDefinitions(tr, Options{})
	})
}

// TestReservedRunes: a file that holds the runes iamfit uses for the
// characters AWS generates is not read, so that none of its characters
// becomes a wildcard.
func TestReservedRunes(t *testing.T) {
	tr := writeTree(t, map[string]string{
		"main.tf":   "resource \"aws_ecs_task_definition\" \"a\" {\n  family = \"a\"\n  container_definitions = file(\"c.json\")\n}\n",
		"c.json":    "[{\"name\": \"a\", \"image\": \"nginx\", \"secrets\": [{\"name\": \"S\", \"valueFrom\": \"arn:aws:secretsmanager:eu-west-1:111122223333:secret:x\uE000\"}]}]",
		"b/main.tf": "resource \"aws_ecs_task_definition\" \"b\" {\n  family = \"b\uE001\"\n  container_definitions = jsonencode([])\n}\n",
	})
	tds, diags := TaskDefinitions(tr, Options{})
	got := describe(tds, diags)
	for _, want := range []string{"containers not read", "c.json holds U+E000 or U+E001", "b/main.tf:1:1: warning: the file holds U+E000 or U+E001"} {
		if !strings.Contains(got, want) {
			t.Errorf("lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "secret:x*") {
		t.Errorf("a reserved rune became a wildcard:\n%s", got)
	}
}
