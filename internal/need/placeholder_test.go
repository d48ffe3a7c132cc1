package need

import (
	"strings"
	"testing"
)

func TestPlaceholders(t *testing.T) {
	tests := []struct{ in, name, want, found string }{
		{"prod", "ClusterName", "prod", ""},
		{"YOUR_ECS_CLUSTER", "ClusterName", "{{ClusterName}}", "YOUR_ECS_CLUSTER"},
		{"YOUR_ECS_CLUSTER", "", "{{EcsCluster}}", "YOUR_ECS_CLUSTER"},
		{"MY_AWS_REGION", "Region", "{{Region}}", "MY_AWS_REGION"},
		{"MY_AWS_REGION", "Cluster", "{{Region}}", "MY_AWS_REGION"},
		{"arn:aws:iam::<aws account id>:role/deploy", "RoleArn", "arn:aws:iam::{{AccountId}}:role/deploy", "<aws account id>"},
		{"arn:aws:iam::ACCOUNT_ID:role/deploy", "", "arn:aws:iam::{{AccountId}}:role/deploy", "ACCOUNT_ID"},
		{"arn:aws:iam::123456789012:role/deploy", "", "arn:aws:iam::123456789012:role/deploy", ""},
		{"xxxxxxxxxxxx.dkr.ecr.us-east-1.amazonaws.com/app", "", "{{AccountId}}.dkr.ecr.us-east-1.amazonaws.com/app", "xxxxxxxxxxxx"},
		{"REPLACE_ME", "BucketName", "{{BucketName}}", "REPLACE_ME"},
		{"{{ACCOUNT_ID}}", "", "{{ACCOUNT_ID}}", ""},
		{"arn:aws:ecs:{{Region}}:{{AccountId}}:service/<cluster>/<service>", "", "arn:aws:ecs:{{Region}}:{{AccountId}}:service/{{Cluster}}/{{Service}}", "<cluster>|<service>"},
		{"my_bucket", "BucketName", "my_bucket", ""},
		{"xxxx", "", "xxxx", ""},
	}
	for _, tt := range tests {
		got, found := Placeholders(tt.in, tt.name)
		if got != tt.want || strings.Join(found, "|") != tt.found {
			t.Errorf("Placeholders(%q, %q) = %q, %q; want %q, %q", tt.in, tt.name, got, found, tt.want, tt.found)
		}
		if IsPlaceholder(tt.in) != (tt.found != "") {
			t.Errorf("IsPlaceholder(%q) = %v", tt.in, !(tt.found != ""))
		}
	}
}

// FuzzPlaceholderPrefilter: whatever the expression finds, the prefilter
// lets through.
func FuzzPlaceholderPrefilter(f *testing.F) {
	for _, s := range []string{"prod", "YOUR_ECS_CLUSTER", "<aws account id>", "ACCOUNT_NUMBER", "AWS_ACCOUNT_ID", "REPLACEME",
		"CHANGE_ME", "xXxXxX", "xxxxx", "a<b", "b>a<", "MY_", "{{ACCOUNT_ID}}", "arn:aws:iam::xxxxxxxxxxxx:role/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if placeholderRe().MatchString(s) && !mayHold(s) {
			t.Errorf("%q holds a placeholder the prefilter misses", s)
		}
	})
}
