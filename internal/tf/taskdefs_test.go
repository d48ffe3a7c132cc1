package tf

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

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
		for _, r := range []struct {
			what string
			v    *jsonpos.Value
		}{{"family", td.Family}, {"execution", td.ExecutionRole}, {"task", td.TaskRole}} {
			if r.v != nil {
				fmt.Fprintf(&b, "  %s %s (%s)\n", r.what, r.v.Str, at(td.File, r.v))
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

func TestTaskDefinitionsScratch(t *testing.T) {
	tr := writeTree(t, map[string]string{
		"infra/main.tf": `
provider "aws" { region = "eu-west-1" }
variable "env" { default = "prod" }
locals { name = "shop-${var.env}" }
resource "aws_s3_bucket" "uploads" { bucket = "${local.name}-uploads" }
resource "aws_sqs_queue" "jobs" {}
resource "aws_secretsmanager_secret" "db" { name = "${var.env}/db" }
resource "aws_iam_role" "exec" { name = "shop-exec" }
resource "aws_iam_role" "task" { name_prefix = "shop-task" }
resource "aws_ecs_task_definition" "app" {
  family = local.name
  execution_role_arn = aws_iam_role.exec.arn
  task_role_arn = aws_iam_role.task.arn
  container_definitions = jsonencode([{
    name = "app"
    image = "${aws_ecr_repository.app.repository_url}:latest"
    environment = [
      { name = "BUCKET", value = aws_s3_bucket.uploads.bucket },
      { name = "QUEUE", value = aws_sqs_queue.jobs.url },
    ]
    secrets = [{ name = "DB", valueFrom = aws_secretsmanager_secret.db.arn }]
  }])
}
resource "aws_ecr_repository" "app" { name = "shop" }
`,
	})
	tds, diags := TaskDefinitions(tr, Options{Account: "111122223333"})
	t.Log("\n" + describe(tds, diags))
}
