package tf

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

func TestParse(t *testing.T) {
	const cfg = `
data "aws_iam_policy_document" "doc" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::b/$${aws:username}/*", "${aws_s3_bucket.b.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = [var.org]
    }
  }
}

resource "aws_iam_role" "r" {
  assume_role_policy = data.aws_iam_policy_document.doc.json
  inline_policy {
    name   = "x"
    policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sqs:SendMessage", Resource = aws_sqs_queue.q.arn }] })
  }
}

resource "aws_s3_bucket_policy" "p" {
  policy = "{\"Statement\":[]}"
}
`
	f := source.NewFile("main.tf", []byte(cfg))
	docs, err := Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		addr, where string
		typ         policy.Type
	}{
		{"data.aws_iam_policy_document.doc", "", policy.Any},
		{"aws_iam_role.r", "inline_policy[0].policy", policy.Identity},
		{"aws_s3_bucket_policy.p", "policy", policy.Resource},
	}
	if len(docs) != len(want) {
		t.Fatalf("got %d documents, want %d", len(docs), len(want))
	}
	for i, w := range want {
		if docs[i].Address != w.addr || docs[i].Where != w.where || docs[i].Type != w.typ {
			t.Errorf("doc %d = %s %q %s, want %s %q %s", i, docs[i].Address, docs[i].Where, docs[i].Type, w.addr, w.where, w.typ)
		}
	}
	p, diags := policy.ParseValue(f, docs[0].Value, policy.Resource)
	if len(diags) > 0 {
		t.Fatalf("data source: %v", diags)
	}
	s := p.Statements[0]
	if got := s.Resource.Values[0].Value; got != "arn:aws:s3:::b/${aws:username}/*" {
		t.Errorf("escaped policy variable = %q", got)
	}
	if got := s.Resource.Values[1].Value; got != "${aws_s3_bucket.b.arn}/*" {
		t.Errorf("reference = %q", got)
	}
	if !s.Principal.Wildcard {
		t.Errorf("principals type * is not Principal \"*\"")
	}
	if got := s.Resource.Values[0].Pos; got.Line != 5 || got.Col != 18 {
		t.Errorf("resource at %s, want 5:18", got)
	}
	if len(s.Conditions) != 1 || s.Conditions[0].Values[0].Value != "${var.org}" {
		t.Errorf("condition = %+v", s.Conditions)
	}
}

func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("..", "lint", "testdata", "*", "*.tf"))
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("resource \"aws_iam_policy\" \"p\" { policy = <<EOF\n{\"Statement\": [\nEOF\n}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		Parse(source.NewFile("fuzz.tf", data))
	})
}
