package catalog

// ManagedExecutionPolicy is what the AWS managed policy
// AmazonECSTaskExecutionRolePolicy grants, all on Resource "*": the usual
// alternative to a generated execution role.
var ManagedExecutionPolicy = []string{
	"ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer",
	"ecr:BatchGetImage", "logs:CreateLogStream", "logs:PutLogEvents",
}
