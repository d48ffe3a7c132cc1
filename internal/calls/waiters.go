package calls

// waiters are the operations that SDK and aws CLI waiters poll, keyed by
// IAM prefix and waiter name in the aws CLI's spelling ("aws ecs wait
// services-stable"); the waiter needs what the operation needs.
var waiters = map[string]string{
	"ecs services-stable":                          "DescribeServices",
	"ecs services-inactive":                        "DescribeServices",
	"ecs tasks-running":                            "DescribeTasks",
	"ecs tasks-stopped":                            "DescribeTasks",
	"cloudformation stack-exists":                  "DescribeStacks",
	"cloudformation stack-create-complete":         "DescribeStacks",
	"cloudformation stack-update-complete":         "DescribeStacks",
	"cloudformation stack-delete-complete":         "DescribeStacks",
	"cloudformation stack-import-complete":         "DescribeStacks",
	"cloudformation stack-rollback-complete":       "DescribeStacks",
	"cloudformation change-set-create-complete":    "DescribeChangeSet",
	"s3 bucket-exists":                             "HeadBucket",
	"s3 bucket-not-exists":                         "HeadBucket",
	"s3 object-exists":                             "HeadObject",
	"s3 object-not-exists":                         "HeadObject",
	"dynamodb table-exists":                        "DescribeTable",
	"dynamodb table-not-exists":                    "DescribeTable",
	"ecr image-scan-complete":                      "DescribeImageScanFindings",
	"ecr lifecycle-policy-preview-complete":        "GetLifecyclePolicyPreview",
	"elasticloadbalancing target-in-service":       "DescribeTargetHealth",
	"elasticloadbalancing target-deregistered":     "DescribeTargetHealth",
	"elasticloadbalancing load-balancer-available": "DescribeLoadBalancers",
	"lambda function-active":                       "GetFunctionConfiguration",
	"lambda function-updated":                      "GetFunctionConfiguration",
	"lambda function-active-v2":                    "GetFunction",
	"lambda function-updated-v2":                   "GetFunction",
	"lambda function-exists":                       "GetFunction",
	"codedeploy deployment-successful":             "GetDeployment",
}

// Waiter returns the operation a waiter of the service (any surface
// name) polls.
func Waiter(service, name string) (string, bool) {
	op, ok := waiters[Prefix(service)+" "+name]
	return op, ok
}
