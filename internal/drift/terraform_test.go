package drift

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/source"
)

// summary renders what Read keeps of a file: per role its id, name,
// position, unresolved ARNs and documents (their place and JSON), then
// the notes.
func summary(ks []*Kept, notes []source.Diagnostic) string {
	var b strings.Builder
	for _, k := range ks {
		fmt.Fprintf(&b, "%s name=%q at %s unresolved=%q\n", k.ID, k.Name, k.Pos, k.Unresolved)
		for _, d := range k.Docs {
			data, _ := json.Marshal(d.Root.Interface())
			fmt.Fprintf(&b, "  %s %s\n", d.Where, data)
		}
	}
	for _, n := range notes {
		fmt.Fprintf(&b, "note %s\n", n)
	}
	return b.String()
}

func TestReadTerraform(t *testing.T) {
	for _, tc := range []struct {
		name, tf, want string
	}{{
		name: "data source, partition and account, a variable name",
		tf: `variable "aws_role_name" {}
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "here" {}

resource "aws_iam_role_policy" "push" {
  name   = "push"
  role   = aws_iam_role.aws_role.id
  policy = data.aws_iam_policy_document.push.json
}

data "aws_iam_policy_document" "push" {
  statement {
    sid       = "Push"
    actions   = ["ecr:PutImage"]
    resources = ["arn:${data.aws_partition.current.partition}:ecr:${data.aws_region.here.name}:${data.aws_caller_identity.current.account_id}:repository/web"]
    condition {
      test     = "StringLike"
      variable = "aws:PrincipalTag/team"
      values   = [var.team, "$${aws:username}"]
    }
  }
}

resource "aws_iam_role" "aws_role" {
  name               = var.aws_role_name
  assume_role_policy = "{}"
}
`,
		want: `aws_iam_role.aws_role name="{{aws_role_name}}" at 25:1 unresolved=[]
  main.tf:9 aws_iam_role_policy.push policy {"Statement":[{"Action":["ecr:PutImage"],"Condition":{"StringLike":{"aws:PrincipalTag/team":["{{team}}","${aws:username}"]}},"Effect":"Allow","Resource":["arn:aws:ecr:{{Region}}:{{AccountId}}:repository/web"],"Sid":"Push"}],"Version":"2012-10-17"}
`,
	}, {
		name: "inline policy, heredoc policy attached by name",
		tf: `resource "aws_iam_role" "deploy" {
  name               = "deploy"
  assume_role_policy = "{}"
  inline_policy {
    name = "push"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [
        { Effect = "Allow", Action = "ecr:GetAuthorizationToken", Resource = "*" },
        { Effect = "Allow", Action = ["s3:GetObject"], Resource = "${aws_s3_bucket.b.arn}/*", Condition = { Bool = { "aws:SecureTransport" = true } } },
      ]
    })
  }
}

resource "aws_iam_policy" "extra" {
  name   = "extra"
  policy = <<EOT
{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "ecr:DeleteRepository", "Resource": "arn:aws:ecr:eu-west-1:${var.account}:repository/web"}]
}
EOT
}

resource "aws_iam_role_policy_attachment" "extra" {
  role       = aws_iam_role.deploy.name
  policy_arn = aws_iam_policy.extra.arn
}
`,
		want: `aws_iam_role.deploy name="deploy" at 1:1 unresolved=[]
  main.tf:6 aws_iam_role.deploy inline_policy {"Statement":[{"Action":"ecr:GetAuthorizationToken","Effect":"Allow","Resource":"*"},{"Action":["s3:GetObject"],"Condition":{"Bool":{"aws:SecureTransport":true}},"Effect":"Allow","Resource":"{{aws_s3_bucket.b.arn}}/*"}],"Version":"2012-10-17"}
  main.tf:18 aws_iam_policy.extra policy {"Statement":[{"Action":"ecr:DeleteRepository","Effect":"Allow","Resource":"arn:aws:ecr:eu-west-1:{{account}}:repository/web"}],"Version":"2012-10-17"}
`,
	}, {
		name: "managed_policy_arns, literal role names, a role made elsewhere, a role not declared",
		tf: `resource "aws_iam_policy" "read" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = format("arn:aws:s3:::%s/*", var.bucket) }] })
}

resource "aws_iam_role" "app" {
  name                = "app"
  managed_policy_arns = [aws_iam_policy.read.arn, "arn:aws:iam::aws:policy/ReadOnlyAccess"]
}

resource "aws_iam_role_policy" "by_name" {
  role   = "app"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = join(":", ["sqs", "SendMessage"]), Resource = "*" }] })
}

resource "aws_iam_role_policy" "ext" {
  role   = "external"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sns:Publish", Resource = "*" }] })
}

resource "aws_iam_role_policy_attachment" "ext" {
  role       = "external"
  policy_arn = aws_iam_policy.read.id
}

resource "aws_iam_role_policy_attachment" "ext_managed" {
  role       = "external"
  policy_arn = "arn:aws:iam::aws:policy/PowerUserAccess"
}

resource "aws_iam_role_policy_attachment" "lost" {
  role       = aws_iam_role.missing.name
  policy_arn = aws_iam_policy.read.arn
}

resource "aws_iam_role_policy" "other" {
  role   = var.other_role
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sqs:ReceiveMessage", Resource = "*" }] })
}
`,
		want: `aws_iam_role.app name="app" at 5:1 unresolved=["arn:aws:iam::aws:policy/ReadOnlyAccess"]
  main.tf:12 aws_iam_role_policy.by_name policy {"Statement":[{"Action":"sqs:SendMessage","Effect":"Allow","Resource":"*"}]}
  main.tf:2 aws_iam_policy.read policy {"Statement":[{"Action":"s3:GetObject","Effect":"Allow","Resource":"arn:aws:s3:::{{bucket}}/*"}]}
aws_iam_role_policy.ext name="external" at 15:1 unresolved=["arn:aws:iam::aws:policy/PowerUserAccess"]
  main.tf:17 aws_iam_role_policy.ext policy {"Statement":[{"Action":"sns:Publish","Effect":"Allow","Resource":"*"}]}
  main.tf:2 aws_iam_policy.read policy {"Statement":[{"Action":"s3:GetObject","Effect":"Allow","Resource":"arn:aws:s3:::{{bucket}}/*"}]}
aws_iam_role_policy.other name="{{other_role}}" at 35:1 unresolved=[]
  main.tf:37 aws_iam_role_policy.other policy {"Statement":[{"Action":"sqs:ReceiveMessage","Effect":"Allow","Resource":"*"}]}
note main.tf:30:1: info: aws_iam_role_policy_attachment.lost attaches to "{{aws_iam_role.missing.name}}", a role this file does not declare: not compared [check]
`,
	}, {
		name: "heredoc escapes and interpolations, a string, minified_json, a shared document",
		tf: `resource "aws_iam_role" "r" {
  name = "r"
}

resource "aws_iam_role_policy" "heredoc" {
  role   = aws_iam_role.r.id
  policy = <<-EOT
    {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/$${aws:username}/*"}]}
  EOT
}

resource "aws_iam_role_policy" "interpolated" {
  role   = aws_iam_role.r.id
  policy = <<EOT
{"Statement": [{"Effect": "Allow", "Action": ${jsonencode(var.actions)}, "Resource": "arn:aws:sqs:${data.aws_region.r.region}:*:q"}]}
EOT
}

resource "aws_iam_role_policy" "string" {
  role   = aws_iam_role.r.name
  policy = "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"sns:Publish\", \"Resource\": \"${aws_sns_topic.t.arn}\"}]}"
}

data "aws_iam_policy_document" "d" {
  statement {
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.k[0].arn]
  }
}

resource "aws_iam_role_policy" "minified" {
  role   = aws_iam_role.r.id
  policy = data.aws_iam_policy_document.d.minified_json
}

resource "aws_iam_role_policy" "again" {
  role   = "r"
  policy = data.aws_iam_policy_document.d.json
}
`,
		want: `aws_iam_role.r name="r" at 1:1 unresolved=[]
  main.tf:7 aws_iam_role_policy.heredoc policy {"Statement":[{"Action":"s3:GetObject","Effect":"Allow","Resource":"arn:aws:s3:::b/${aws:username}/*"}]}
  main.tf:14 aws_iam_role_policy.interpolated policy {"Statement":[{"Action":"{{actions}}","Effect":"Allow","Resource":"arn:aws:sqs:{{Region}}:*:q"}]}
  main.tf:21 aws_iam_role_policy.string policy {"Statement":[{"Action":"sns:Publish","Effect":"Allow","Resource":"{{aws_sns_topic.t.arn}}"}]}
  main.tf:33 aws_iam_role_policy.minified policy {"Statement":[{"Action":["kms:Decrypt"],"Effect":"Allow","Resource":["{{aws_kms_key.k.0.arn}}"]}],"Version":"2012-10-17"}
  main.tf:38 aws_iam_role_policy.again policy {"Statement":[{"Action":["kms:Decrypt"],"Effect":"Allow","Resource":["{{aws_kms_key.k.0.arn}}"]}],"Version":"2012-10-17"}
`,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			ks, notes, err := Read(source.NewFile("main.tf", []byte(tc.tf)))
			if err != nil {
				t.Fatal(err)
			}
			if got := summary(ks, notes); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

func TestReadTerraformErrors(t *testing.T) {
	for _, tc := range []struct{ name, tf, want string }{
		{"a file", `resource "aws_iam_policy" "p" {
  policy = file("p.json")
}`, "main.tf:2: aws_iam_policy.p: policy is not a policy iamfit can read (jsonencode, a heredoc or aws_iam_policy_document)"},
		{"invalid JSON", `resource "aws_iam_role_policy" "p" {
  role = "x"
  policy = <<EOT
{"Statement": [
EOT
}`, "main.tf:3 aws_iam_role_policy.p policy: invalid JSON: unexpected end of JSON input"},
		{"HCL", `resource "aws_iam_role" "r" {`, "main.tf:1:29: Unclosed configuration block: There is no closing brace for this block before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Read(source.NewFile("main.tf", []byte(tc.tf)))
			if err == nil || err.Error() != tc.want {
				t.Errorf("err = %v, want %s", err, tc.want)
			}
		})
	}
}
