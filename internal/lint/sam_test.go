package lint

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/cfn"
	"github.com/iamfit/iamfit/internal/source"
)

// samValue is a value a user would give a template's parameter.
func samValue(template, param string) string {
	switch {
	case param == "SecretArn":
		return "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"
	case param == "CertificateArn":
		return "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"
	case param == "TaskDefinition":
		return "web:3"
	case template == "SSMParameterWithSlashPrefixReadPolicy":
		return "/app/db"
	}
	return "example-" + strings.ToLower(param)
}

// TestSAMPolicyTemplates lints every SAM policy template iamfit knows, as
// a user writes it, with every check: none gives a warning or an error
// (what AWS's definitions have whatever the parameters is an info), and
// every one is expanded. The infos, by check, are AWS's own: duplicate
// actions, actions IAM does not have (sqs:DeleteMessageBatch), actions on
// ARNs their resource types do not have.
func TestSAMPolicyTemplates(t *testing.T) {
	templates := cfn.SAMPolicyTemplates()
	names := make([]string, 0, len(templates))
	for n := range templates {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("Transform: AWS::Serverless-2016-10-31\nResources:\n")
	for i, n := range names {
		fmt.Fprintf(&b, "  F%d:\n    Type: AWS::Serverless::Function\n    Properties:\n      Policies:\n        - %s:", i, n)
		if len(templates[n]) == 0 {
			b.WriteString(" {}\n")
			continue
		}
		b.WriteString("\n")
		for _, p := range templates[n] {
			fmt.Fprintf(&b, "            %s: %q\n", p, samValue(n, p))
		}
	}
	f := source.NewFile("sam.yaml", []byte(b.String()))
	byCheck := map[string]int{}
	infos := 0
	for _, d := range Template(f, catalog.MustLoad(), Checks()) {
		if d.Severity != source.Info || !strings.Contains(d.Message, "as AWS defines it") {
			t.Errorf("%s", d)
			continue
		}
		byCheck[d.Check]++
		infos++
	}
	docs, problems := mustParse(t, f).Policies()
	if len(docs) != len(names) || len(problems) > 0 {
		t.Errorf("%d documents of %d templates, problems %v", len(docs), len(names), problems)
	}
	t.Logf("%d templates: %d infos on AWS's definitions, by check %v", len(names), infos, byCheck)
}

func mustParse(t *testing.T, f *source.File) *cfn.Template {
	t.Helper()
	tp, err := cfn.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	return tp
}
