package cfn

// returns is what Ref and Fn::GetAtt give for one resource type, as the
// type's page of the CloudFormation Template Reference documents them
// (section "Return values"). Values are formats: ${Name} is the
// resource's physical name (the name property when the template sets it),
// ${Region}, ${Account}, ${Partition} and ${URLSuffix} are the stack's,
// ${Path} is an IAM path, ${Star} a literal *; a * or ? stands for
// characters the service generates, which only an IAM wildcard matches
// (wildNotes says which).
type returns struct {
	doc string
	// name is the property that names the resource; "" when
	// CloudFormation always generates the identifier (a KMS key id).
	name  string
	ref   string
	attrs map[string]string
	// identifies, for a type whose Ref is an identifier that an API takes
	// but that is not the resource's ARN, is the ARN it names.
	identifies string
}

// refDocs is where the Return values sections are: the type's page is
// refDocs + "aws-resource-<service>-<type>.html#...-return-values".
const refDocs = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/"

// returnValues is the one table of what references to a template's
// resources evaluate to: the resource types whose names and ARNs
// application code is given through its environment.
var returnValues = map[string]returns{
	// Ref returns the bucket name; Arn arn:aws:s3:::DOC-EXAMPLE-BUCKET,
	// DomainName DOC-EXAMPLE-BUCKET.s3.amazonaws.com, RegionalDomainName
	// DOC-EXAMPLE-BUCKET.s3.us-east-2.amazonaws.com.
	"AWS::S3::Bucket": {doc: refDocs + "aws-resource-s3-bucket.html#aws-resource-s3-bucket-return-values",
		name: "BucketName", ref: "${Name}", attrs: map[string]string{
			"Arn":                 "arn:${Partition}:s3:::${Name}",
			"DomainName":          "${Name}.s3.${URLSuffix}",
			"RegionalDomainName":  "${Name}.s3.${Region}.${URLSuffix}",
			"DualStackDomainName": "${Name}.s3.dualstack.${Region}.${URLSuffix}",
		}},
	// Ref returns the queue URL
	// (https://sqs.us-east-2.amazonaws.com/123456789012/ab1-MyQueue-A2BCDEF3GHI4);
	// Arn, QueueName, QueueUrl.
	"AWS::SQS::Queue": {doc: refDocs + "aws-resource-sqs-queue.html#aws-resource-sqs-queue-return-values",
		name: "QueueName", ref: "https://sqs.${Region}.${URLSuffix}/${Account}/${Name}", attrs: map[string]string{
			"Arn":       "arn:${Partition}:sqs:${Region}:${Account}:${Name}",
			"QueueName": "${Name}",
			"QueueUrl":  "https://sqs.${Region}.${URLSuffix}/${Account}/${Name}",
		}},
	// Ref returns the topic ARN; TopicArn, TopicName.
	"AWS::SNS::Topic": {doc: refDocs + "aws-resource-sns-topic.html#aws-resource-sns-topic-return-values",
		name: "TopicName", ref: "arn:${Partition}:sns:${Region}:${Account}:${Name}", attrs: map[string]string{
			"TopicArn":  "arn:${Partition}:sns:${Region}:${Account}:${Name}",
			"TopicName": "${Name}",
		}},
	// Ref returns the table name; Arn
	// arn:aws:dynamodb:us-east-2:123456789012:table/myDynamoDBTable, StreamArn
	// .../table/NAME/stream/2015-11-30T20:10:00.000 (a label DynamoDB sets).
	"AWS::DynamoDB::Table": {doc: refDocs + "aws-resource-dynamodb-table.html#aws-resource-dynamodb-table-return-values",
		name: "TableName", ref: "${Name}", attrs: map[string]string{
			"Arn":       "arn:${Partition}:dynamodb:${Region}:${Account}:table/${Name}",
			"StreamArn": "arn:${Partition}:dynamodb:${Region}:${Account}:table/${Name}/stream/*",
		}},
	"AWS::DynamoDB::GlobalTable": {doc: refDocs + "aws-resource-dynamodb-globaltable.html#aws-resource-dynamodb-globaltable-return-values",
		name: "TableName", ref: "${Name}", attrs: map[string]string{
			"Arn":       "arn:${Partition}:dynamodb:${Region}:${Account}:table/${Name}",
			"StreamArn": "arn:${Partition}:dynamodb:${Region}:${Account}:table/${Name}/stream/*",
		}},
	// Ref returns the secret's ARN,
	// arn:aws:secretsmanager:us-west-2:123456789012:secret:my-path/my-secret-name-1a2b3c:
	// Secrets Manager appends a hyphen and six random characters; Id is the ARN.
	"AWS::SecretsManager::Secret": {doc: refDocs + "aws-resource-secretsmanager-secret.html#aws-resource-secretsmanager-secret-return-values",
		name: "Name", ref: "arn:${Partition}:secretsmanager:${Region}:${Account}:secret:${Name}-??????", attrs: map[string]string{
			"Id": "arn:${Partition}:secretsmanager:${Region}:${Account}:secret:${Name}-??????",
		}},
	// Ref returns the key id (1234abcd-12ab-34cd-56ef-1234567890ab),
	// which KMS generates; Arn, KeyId.
	"AWS::KMS::Key": {doc: refDocs + "aws-resource-kms-key.html#aws-resource-kms-key-return-values",
		ref: "${Name}", identifies: "arn:${Partition}:kms:${Region}:${Account}:key/${Name}", attrs: map[string]string{
			"Arn":   "arn:${Partition}:kms:${Region}:${Account}:key/${Name}",
			"KeyId": "${Name}",
		}},
	// Ref returns the alias name, such as alias/exampleAlias.
	"AWS::KMS::Alias": {doc: refDocs + "aws-resource-kms-alias.html#aws-resource-kms-alias-return-values",
		name: "AliasName", ref: "${Name}"},
	// Ref returns the parameter's name.
	"AWS::SSM::Parameter": {doc: refDocs + "aws-resource-ssm-parameter.html#aws-resource-ssm-parameter-return-values",
		name: "Name", ref: "${Name}"},
	// Ref returns the stream name; Arn
	// arn:aws:kinesis:us-east-2:123456789012:stream/mystream.
	"AWS::Kinesis::Stream": {doc: refDocs + "aws-resource-kinesis-stream.html#aws-resource-kinesis-stream-return-values",
		name: "Name", ref: "${Name}", attrs: map[string]string{
			"Arn": "arn:${Partition}:kinesis:${Region}:${Account}:stream/${Name}",
		}},
	// Ref returns the delivery stream name; Arn
	// arn:aws:firehose:us-east-2:123456789012:deliverystream/delivery-stream-name.
	"AWS::KinesisFirehose::DeliveryStream": {doc: refDocs + "aws-resource-kinesisfirehose-deliverystream.html#aws-resource-kinesisfirehose-deliverystream-return-values",
		name: "DeliveryStreamName", ref: "${Name}", attrs: map[string]string{
			"Arn": "arn:${Partition}:firehose:${Region}:${Account}:deliverystream/${Name}",
		}},
	// Ref returns the event bus name; Arn
	// arn:aws:events:us-east-2:123456789012:event-bus/NAME, Name.
	"AWS::Events::EventBus": {doc: refDocs + "aws-resource-events-eventbus.html#aws-resource-events-eventbus-return-values",
		name: "Name", ref: "${Name}", attrs: map[string]string{
			"Arn":  "arn:${Partition}:events:${Region}:${Account}:event-bus/${Name}",
			"Name": "${Name}",
		}},
	// Ref returns the function name; Arn.
	"AWS::Lambda::Function": {doc: refDocs + "aws-resource-lambda-function.html#aws-resource-lambda-function-return-values",
		name: "FunctionName", ref: "${Name}", attrs: map[string]string{
			"Arn": "arn:${Partition}:lambda:${Region}:${Account}:function:${Name}",
		}},
	// Ref returns the state machine's ARN
	// (arn:aws:states:us-east-1:111122223333:stateMachine:HelloWorld-StateMachine); Arn, Name.
	"AWS::StepFunctions::StateMachine": {doc: refDocs + "aws-resource-stepfunctions-statemachine.html#aws-resource-stepfunctions-statemachine-return-values",
		name: "StateMachineName", ref: "arn:${Partition}:states:${Region}:${Account}:stateMachine:${Name}", attrs: map[string]string{
			"Arn":  "arn:${Partition}:states:${Region}:${Account}:stateMachine:${Name}",
			"Name": "${Name}",
		}},
	// Ref returns the log group name; Arn
	// arn:aws:logs:us-west-1:123456789012:log-group:/mystack-testgroup-12ABC1AB12A1:*.
	"AWS::Logs::LogGroup": {doc: refDocs + "aws-resource-logs-loggroup.html#aws-resource-logs-loggroup-return-values",
		name: "LogGroupName", ref: "${Name}", attrs: map[string]string{
			"Arn": "arn:${Partition}:logs:${Region}:${Account}:log-group:${Name}:${Star}",
		}},
	// Ref returns the repository name; Arn
	// arn:aws:ecr:eu-west-1:123456789012:repository/test-repository,
	// RepositoryUri 123456789012.dkr.ecr.us-west-2.amazonaws.com/repository.
	"AWS::ECR::Repository": {doc: refDocs + "aws-resource-ecr-repository.html#aws-resource-ecr-repository-return-values",
		name: "RepositoryName", ref: "${Name}", attrs: map[string]string{
			"Arn":           "arn:${Partition}:ecr:${Region}:${Account}:repository/${Name}",
			"RepositoryUri": "${Account}.dkr.ecr.${Region}.${URLSuffix}/${Name}",
		}},
	// Ref returns the role name; Arn arn:aws:iam::1234567890:role/MyRole-AJJHDSKSDF
	// (with the role's Path).
	"AWS::IAM::Role": {doc: refDocs + "aws-resource-iam-role.html#aws-resource-iam-role-return-values",
		name: "RoleName", ref: "${Name}", attrs: map[string]string{
			"Arn": "arn:${Partition}:iam::${Account}:role${Path}${Name}",
		}},
	// Ref returns the user pool id (us-east-2_zgaEXAMPLE), which Cognito
	// generates; Arn arn:aws:cognito-idp:us-east-1:123412341234:userpool/us-east-1_123412341.
	"AWS::Cognito::UserPool": {doc: refDocs + "aws-resource-cognito-userpool.html#aws-resource-cognito-userpool-return-values",
		ref: "${Name}", attrs: map[string]string{
			"Arn": "arn:${Partition}:cognito-idp:${Region}:${Account}:userpool/${Name}",
		}},
}
