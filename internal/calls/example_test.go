package calls_test

import (
	"fmt"

	"github.com/iamfit/iamfit/internal/calls"
	"github.com/iamfit/iamfit/internal/catalog"
)

// A call named by its aws CLI spelling needs what the API operation needs:
// CopyObject reads its source and writes its destination.
func ExampleNeeds() {
	c := calls.Call{
		Service:   "s3api",
		Operation: calls.Operation("copy-object"),
		Args: map[string][]string{
			calls.ArgName("copy-source"): {"incoming/1.csv"},
			calls.ArgName("bucket"):      {"reports"},
			calls.ArgName("key"):         {"copy/1.csv"},
		},
		Region: "eu-west-1", Account: "111122223333",
	}
	needs, err := calls.Needs(c, catalog.MustLoad())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, n := range needs {
		fmt.Println(n.Action, n.Resource)
	}
	// Output:
	// s3:GetObject arn:aws:s3:::incoming/1.csv
	// s3:PutObject arn:aws:s3:::reports/copy/1.csv
}

func ExamplePrefix() {
	for _, s := range []string{"@aws-sdk/client-sfn", "bedrock-runtime", "deploy", "monitoring.amazonaws.com", "s3"} {
		fmt.Println(s, "->", calls.Prefix(s))
	}
	// Output:
	// @aws-sdk/client-sfn -> states
	// bedrock-runtime -> bedrock
	// deploy -> codedeploy
	// monitoring.amazonaws.com -> cloudwatch
	// s3 -> s3
}
