package tf

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/source"
)

// roles renders what Read says of the roles: per role its address, name,
// whether the file declares it and where, its policies (resource,
// argument, line, the data source they come from) and unresolved ARNs;
// then the strays.
func roles(c *Config) string {
	var b strings.Builder
	for _, r := range c.Roles {
		fmt.Fprintf(&b, "%s name=%q declared=%v at %s unresolved=%q\n", r.Address, r.Name, r.Declared, r.Pos, r.Unresolved)
		for _, d := range r.Policies {
			fmt.Fprintf(&b, "  %s %s at %s", d.Address, d.Where, d.Pos)
			if d.From != "" {
				fmt.Fprintf(&b, " from %s", d.From)
			}
			if d.Value == nil {
				b.WriteString(" unread")
			}
			b.WriteString("\n")
		}
	}
	for _, s := range c.Strays {
		fmt.Fprintf(&b, "stray %s role=%q at %s\n", s.Address, s.Role, s.Pos)
	}
	return b.String()
}

func TestReadRoles(t *testing.T) {
	for _, tc := range []struct{ name, tf, want string }{{
		name: "inline policies, counted over every inline_policy block",
		tf: `resource "aws_iam_role" "r" {
  name = "r"
  inline_policy {
    name = "empty"
  }
  inline_policy {
    policy = jsonencode({ Statement = [] })
  }
}`,
		want: `aws_iam_role.r name="r" declared=true at 1:1 unresolved=[]
  aws_iam_role.r inline_policy[1].policy at 7:5
`,
	}, {
		name: "aws_iam_role_policy by id, by name and by the role's name",
		tf: `resource "aws_iam_role_policy" "by_id" {
  role   = aws_iam_role.r.id
  policy = jsonencode({})
}
resource "aws_iam_role" "r" {
  name = "deploy"
}
resource "aws_iam_role_policy" "by_name" {
  role   = aws_iam_role.r.name
  policy = "{}"
}
resource "aws_iam_role_policy" "literal" {
  role   = "deploy"
  policy = jsonencode({})
}
resource "aws_iam_role_policy" "no_policy" {
  role = "deploy"
}`,
		want: `aws_iam_role.r name="deploy" declared=true at 5:1 unresolved=[]
  aws_iam_role_policy.by_id policy at 3:3
  aws_iam_role_policy.by_name policy at 10:3
  aws_iam_role_policy.literal policy at 14:3
`,
	}, {
		name: "attachments and managed_policy_arns: aws_iam_policy by arn or id, other ARNs unresolved",
		tf: `resource "aws_iam_role" "r" {
  managed_policy_arns = [aws_iam_policy.listed.arn, "arn:aws:iam::aws:policy/ReadOnlyAccess"]
}
resource "aws_iam_policy" "listed" {
  policy = jsonencode({})
}
resource "aws_iam_policy" "attached" {
  policy = jsonencode({})
}
resource "aws_iam_role_policy_attachment" "a" {
  role       = aws_iam_role.r.name
  policy_arn = aws_iam_policy.attached.id
}
resource "aws_iam_role_policy_attachment" "b" {
  role       = aws_iam_role.r.id
  policy_arn = var.boundary_arn
}`,
		want: `aws_iam_role.r name="" declared=true at 1:1 unresolved=["arn:aws:iam::aws:policy/ReadOnlyAccess" "${var.boundary_arn}"]
  aws_iam_policy.attached policy at 8:3
  aws_iam_policy.listed policy at 5:3
`,
	}, {
		name: "roles made elsewhere, named by a literal or a variable, sorted among the declared",
		tf: `resource "aws_iam_role_policy" "ext" {
  role   = "external"
  policy = jsonencode({})
}
resource "aws_iam_role" "r" {}
resource "aws_iam_role_policy_attachment" "ext" {
  role       = "external"
  policy_arn = "arn:aws:iam::aws:policy/PowerUserAccess"
}
resource "aws_iam_role_policy" "var" {
  role   = var.role_name
  policy = jsonencode({})
}`,
		want: `aws_iam_role_policy.ext name="external" declared=false at 1:1 unresolved=["arn:aws:iam::aws:policy/PowerUserAccess"]
  aws_iam_role_policy.ext policy at 3:3
aws_iam_role.r name="" declared=true at 5:1 unresolved=[]
aws_iam_role_policy.var name="${var.role_name}" declared=false at 10:1 unresolved=[]
  aws_iam_role_policy.var policy at 12:3
`,
	}, {
		name: "strays: a role of the configuration the file does not declare, or none",
		tf: `resource "aws_iam_role_policy_attachment" "lost" {
  role       = aws_iam_role.elsewhere.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
resource "aws_iam_role_policy" "none" {
  policy = jsonencode({})
}`,
		want: `stray aws_iam_role_policy_attachment.lost role="${aws_iam_role.elsewhere.name}" at 1:1
stray aws_iam_role_policy.none role="" at 5:1
`,
	}, {
		name: "a data source's document through .json and .minified_json, declared after; a file() unread",
		tf: `resource "aws_iam_role" "r" {
  name = "r"
}
resource "aws_iam_role_policy" "json" {
  role   = aws_iam_role.r.id
  policy = data.aws_iam_policy_document.d.json
}
resource "aws_iam_role_policy" "min" {
  role   = aws_iam_role.r.id
  policy = data.aws_iam_policy_document.d.minified_json
}
resource "aws_iam_role_policy" "file" {
  role   = aws_iam_role.r.id
  policy = file("p.json")
}
resource "aws_iam_role_policy" "missing" {
  role   = aws_iam_role.r.id
  policy = data.aws_iam_policy_document.nosuch.json
}
data "aws_iam_policy_document" "d" {
  statement {
    actions = ["s3:GetObject"]
  }
}`,
		want: `aws_iam_role.r name="r" declared=true at 1:1 unresolved=[]
  aws_iam_role_policy.json policy at 6:3 from data.aws_iam_policy_document.d
  aws_iam_role_policy.min policy at 10:3 from data.aws_iam_policy_document.d
  aws_iam_role_policy.file policy at 14:3 unread
  aws_iam_role_policy.missing policy at 18:3 from data.aws_iam_policy_document.nosuch unread
`,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Read(source.NewFile("main.tf", []byte(tc.tf)))
			if err != nil {
				t.Fatal(err)
			}
			if got := roles(c); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

// TestReadDocuments: Documents are what lint reads (written in place);
// Policies are every permission policy, a data source's shared with it.
func TestReadDocuments(t *testing.T) {
	c, err := Read(source.NewFile("main.tf", []byte(`data "aws_iam_policy_document" "d" {
  statement {
    actions = ["s3:GetObject"]
  }
}
resource "aws_iam_policy" "p" {
  policy = data.aws_iam_policy_document.d.json
}
resource "aws_iam_role" "r" {
  assume_role_policy = jsonencode({})
}
`)))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range c.Documents {
		got = append(got, d.Address+" "+d.Where)
	}
	if want := "data.aws_iam_policy_document.d |aws_iam_role.r assume_role_policy"; strings.Join(got, "|") != want {
		t.Errorf("documents = %q, want %q", strings.Join(got, "|"), want)
	}
	if len(c.Policies) != 1 || c.Policies[0].Value != c.Documents[0].Value {
		t.Errorf("the policy does not share the data source's document: %+v", c.Policies)
	}
}

// TestValues: what the reader evaluates (functions of the standard
// library, interpolations of them) and decodes (heredoc escapes), and
// what it leaves as "${...}".
func TestValues(t *testing.T) {
	for _, tc := range []struct{ name, policy, want string }{
		{"format", `jsonencode({ Resource = format("arn:aws:s3:::%s/*", var.bucket) })`, `{"Resource":"arn:aws:s3:::${var.bucket}/*"}`},
		{"join and concat", `jsonencode({ Action = concat(["s3:GetObject"], [join(":", ["s3", "PutObject"])]) })`, `{"Action":["s3:GetObject","s3:PutObject"]}`},
		{"a function in a template", `jsonencode({ Resource = "arn:aws:s3:::${format("%s-logs", var.b)}" })`, `{"Resource":"arn:aws:s3:::${var.b}-logs"}`},
		{"a function the reader does not know", `jsonencode({ Resource = file("x") })`, `{"Resource":"${file(\"x\")}"}`},
		{"a call that fails", `jsonencode({ Action = concat(var.a, ["x"]) })`, `{"Action":"${concat(var.a, [\"x\"])}"}`},
		{"a reference with an index", `jsonencode({ Resource = aws_s3_bucket.b[0].arn })`, `{"Resource":"${aws_s3_bucket.b[0].arn}"}`},
		{"heredoc escapes", "<<EOT\n{\"Resource\": \"arn:aws:s3:::b/$${aws:username}\", \"%%{x}\": 1}\nEOT", `{"%{x}":1,"Resource":"arn:aws:s3:::b/${aws:username}"}`},
		{"heredoc rendered", "<<EOT\n{\"Action\": ${jsonencode(var.actions)}}\nEOT", `{"Action":"${var.actions}"}`},
		{"string interpolated", `"{\"Resource\": \"${aws_sns_topic.t.arn}\"}"`, `{"Resource":"${aws_sns_topic.t.arn}"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			docs, err := Parse(source.NewFile("main.tf", []byte("resource \"aws_iam_policy\" \"p\" {\n  policy = "+tc.policy+"\n}\n")))
			if err != nil {
				t.Fatal(err)
			}
			if len(docs) != 1 || docs[0].Value == nil {
				t.Fatalf("docs = %+v", docs)
			}
			data, _ := json.Marshal(docs[0].Value.Interface())
			if string(data) != tc.want {
				t.Errorf("got %s, want %s", data, tc.want)
			}
		})
	}
}
