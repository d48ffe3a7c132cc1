package calls

import "github.com/iamfit/iamfit/internal/catalog"

// exception is an operation whose IAM actions are not the catalog's
// prefix:Operation. No actions means the call needs no permission.
type exception struct {
	actions []string
	doc     string // the AWS page that says so
}

const (
	s3Perms  = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html"
	s3MPU    = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions"
	sqsBatch = "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_AddPermission.html"
	ddbTx    = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html"
	wsConn   = "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-control-access-iam.html"
)

// exceptions are keyed by "prefix:Operation". Every action named here is
// checked against the catalog by TestExceptionsInCatalog.
var exceptions = map[string]exception{
	// Amazon S3: several operations are authorized by an older or broader
	// action (the S3 API Reference's "Permissions" section of each page).
	"s3:ListObjectsV2":                      {[]string{"s3:ListBucket"}, "https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html"},
	"s3:ListObjects":                        {[]string{"s3:ListBucket"}, "https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html"},
	"s3:HeadObject":                         {[]string{"s3:GetObject"}, "https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html"},
	"s3:HeadBucket":                         {[]string{"s3:ListBucket"}, "https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html"},
	"s3:ListBuckets":                        {[]string{"s3:ListAllMyBuckets"}, "https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html"},
	"s3:CopyObject":                         {[]string{"s3:GetObject", "s3:PutObject"}, "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html"}, // GetObject on the CopySource
	"s3:UploadPartCopy":                     {[]string{"s3:GetObject", "s3:PutObject"}, "https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html"},
	"s3:DeleteObjects":                      {[]string{"s3:DeleteObject"}, "https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html"},
	"s3:CreateMultipartUpload":              {[]string{"s3:PutObject"}, s3MPU},
	"s3:UploadPart":                         {[]string{"s3:PutObject"}, s3MPU},
	"s3:CompleteMultipartUpload":            {[]string{"s3:PutObject"}, s3MPU},
	"s3:ListObjectVersions":                 {[]string{"s3:ListBucketVersions"}, s3Perms},
	"s3:ListMultipartUploads":               {[]string{"s3:ListBucketMultipartUploads"}, s3Perms},
	"s3:ListParts":                          {[]string{"s3:ListMultipartUploadParts"}, s3Perms},
	"s3:GetBucketLifecycleConfiguration":    {[]string{"s3:GetLifecycleConfiguration"}, s3Perms},
	"s3:PutBucketLifecycleConfiguration":    {[]string{"s3:PutLifecycleConfiguration"}, s3Perms},
	"s3:GetBucketNotificationConfiguration": {[]string{"s3:GetBucketNotification"}, s3Perms},
	"s3:PutBucketNotificationConfiguration": {[]string{"s3:PutBucketNotification"}, s3Perms},

	// Amazon SQS: the batch operations are authorized by the single ones.
	"sqs:SendMessageBatch":             {[]string{"sqs:SendMessage"}, sqsBatch},
	"sqs:DeleteMessageBatch":           {[]string{"sqs:DeleteMessage"}, sqsBatch},
	"sqs:ChangeMessageVisibilityBatch": {[]string{"sqs:ChangeMessageVisibility"}, sqsBatch},

	// Amazon SNS: PublishBatch is authorized by sns:Publish.
	"sns:PublishBatch": {[]string{"sns:Publish"}, "https://docs.aws.amazon.com/sns/latest/api/API_PublishBatch.html"},

	// DynamoDB transactions: each item operation by its own action. The
	// items are not read from code, so a write transaction needs them all.
	"dynamodb:TransactGetItems":   {[]string{"dynamodb:GetItem"}, ddbTx},
	"dynamodb:TransactWriteItems": {[]string{"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"}, ddbTx},

	// AWS Lambda: Invoke is lambda:InvokeFunction.
	"lambda:Invoke":                   {[]string{"lambda:InvokeFunction"}, "https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html"},
	"lambda:InvokeWithResponseStream": {[]string{"lambda:InvokeFunction"}, "https://docs.aws.amazon.com/lambda/latest/api/API_InvokeWithResponseStream.html"},

	// Amazon Bedrock: Converse is authorized as InvokeModel.
	"bedrock:Converse":       {[]string{"bedrock:InvokeModel"}, "https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html"},
	"bedrock:ConverseStream": {[]string{"bedrock:InvokeModelWithResponseStream"}, "https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html"},

	// API Gateway WebSocket management API: one action for the connections.
	"execute-api:PostToConnection": {[]string{"execute-api:ManageConnections"}, wsConn},
	"execute-api:GetConnection":    {[]string{"execute-api:ManageConnections"}, wsConn},
	"execute-api:DeleteConnection": {[]string{"execute-api:ManageConnections"}, wsConn},

	// AWS CodeDeploy: creating a deployment also reads its deployment
	// configuration and registers the revision with the application.
	"codedeploy:CreateDeployment": {[]string{"codedeploy:CreateDeployment", "codedeploy:GetDeploymentConfig", "codedeploy:RegisterApplicationRevision"},
		"https://docs.aws.amazon.com/codedeploy/latest/userguide/auth-and-access-control-permissions-reference.html"},

	// AWS STS: GetCallerIdentity needs no permission, and an explicit deny
	// does not stop it.
	"sts:GetCallerIdentity": {nil, "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html"},
}

// Actions returns the IAM actions a call of operation op on the service
// (any surface name) needs: the documented exception, else the catalog's
// prefix:Operation. It returns an *UnknownError when neither has it, and
// no actions for a call that needs no permission.
func Actions(service, op string, cat *catalog.Catalog) ([]string, error) {
	key := Prefix(service) + ":" + op
	if e, ok := exceptions[key]; ok {
		return e.actions, nil
	}
	a := cat.Action(key)
	if a == nil {
		return nil, &UnknownError{Service: service, Operation: op, Action: key}
	}
	return []string{a.String()}, nil
}
