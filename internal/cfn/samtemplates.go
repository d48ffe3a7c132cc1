package cfn

// samPolicyTemplate is one AWS SAM policy template: the parameters it
// takes and the statements (all Allow) it stands for.
type samPolicyTemplate struct {
	Params     []string
	Statements []samStatement
}

// samStatement is one statement of a template. In a resource or condition
// value, ${Name} is the template's parameter Name and ${AWS::...} a pseudo
// parameter, as in the template's Fn::Sub.
type samStatement struct {
	Actions    []string
	Resources  []string
	Conditions []samCondition
}

// samCondition is one condition of a statement: Operator, Key and Value.
type samCondition struct{ Operator, Key, Value string }

// samPolicyTemplates are the AWS SAM policy templates by name: the
// templates the SAM transform accepts in the Policies of an
// AWS::Serverless::Function or AWS::Serverless::StateMachine, as the AWS
// SAM Developer Guide lists them ("AWS SAM policy template list",
// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-policy-template-list.html;
// the "policy template table" of serverless-policy-templates.html).
// Checked against the guide's source (awsdocs/aws-sam-developer-guide,
// its last version of June 2023: 78 templates, 77 the same statements)
// and the definitions the transform applies (aws/serverless-application-
// model, samtranslator/policy_templates_data/policy_templates.json, May
// 2026: 81 templates), which the table follows where they differ: they
// add KMSEncryptPolicy_v2, StepFunctionsCallbackPolicy and
// StepFunctionsExecutionPolicy_v2, and UpdateApplication and
// ListApplicationDependencies to ServerlessRepoReadWriteAccessPolicy.
var samPolicyTemplates = map[string]samPolicyTemplate{
	"AcmGetCertificatePolicy": {
		Params: []string{"CertificateArn"},
		Statements: []samStatement{
			{
				Actions:   []string{"acm:GetCertificate"},
				Resources: []string{"${CertificateArn}"},
			},
		},
	},
	"AMIDescribePolicy": {
		Statements: []samStatement{
			{
				Actions:   []string{"ec2:DescribeImages"},
				Resources: []string{"*"},
			},
		},
	},
	"AthenaQueryPolicy": {
		Params: []string{"WorkGroupName"},
		Statements: []samStatement{
			{
				Actions:   []string{"athena:ListWorkGroups", "athena:GetExecutionEngine", "athena:GetExecutionEngines", "athena:GetNamespace", "athena:GetCatalogs", "athena:GetNamespaces", "athena:GetTables", "athena:GetTable"},
				Resources: []string{"*"},
			},
			{
				Actions:   []string{"athena:StartQueryExecution", "athena:GetQueryResults", "athena:DeleteNamedQuery", "athena:GetNamedQuery", "athena:ListQueryExecutions", "athena:StopQueryExecution", "athena:GetQueryResultsStream", "athena:ListNamedQueries", "athena:CreateNamedQuery", "athena:GetQueryExecution", "athena:BatchGetNamedQuery", "athena:BatchGetQueryExecution", "athena:GetWorkGroup"},
				Resources: []string{"arn:${AWS::Partition}:athena:${AWS::Region}:${AWS::AccountId}:workgroup/${WorkGroupName}"},
			},
		},
	},
	"AWSSecretsManagerGetSecretValuePolicy": {
		Params: []string{"SecretArn"},
		Statements: []samStatement{
			{
				Actions:   []string{"secretsmanager:GetSecretValue"},
				Resources: []string{"${SecretArn}"},
			},
		},
	},
	"AWSSecretsManagerRotationPolicy": {
		Params: []string{"FunctionName"},
		Statements: []samStatement{
			{
				Actions:    []string{"secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"},
				Resources:  []string{"arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:*"},
				Conditions: []samCondition{{Operator: "StringEquals", Key: "secretsmanager:resource/AllowRotationLambdaArn", Value: "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${FunctionName}"}},
			},
			{
				Actions:   []string{"secretsmanager:GetRandomPassword"},
				Resources: []string{"*"},
			},
		},
	},
	"CloudFormationDescribeStacksPolicy": {
		Statements: []samStatement{
			{
				Actions:   []string{"cloudformation:DescribeStacks"},
				Resources: []string{"arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/*"},
			},
		},
	},
	"CloudWatchDashboardPolicy": {
		Statements: []samStatement{
			{
				Actions:   []string{"cloudwatch:GetDashboard", "cloudwatch:ListDashboards", "cloudwatch:PutDashboard", "cloudwatch:ListMetrics"},
				Resources: []string{"*"},
			},
		},
	},
	"CloudWatchDescribeAlarmHistoryPolicy": {
		Statements: []samStatement{
			{
				Actions:   []string{"cloudwatch:DescribeAlarmHistory"},
				Resources: []string{"*"},
			},
		},
	},
	"CloudWatchPutMetricPolicy": {
		Statements: []samStatement{
			{
				Actions:   []string{"cloudwatch:PutMetricData"},
				Resources: []string{"*"},
			},
		},
	},
	"CodeCommitCrudPolicy": {
		Params: []string{"RepositoryName"},
		Statements: []samStatement{
			{
				Actions:   []string{"codecommit:GitPull", "codecommit:GitPush", "codecommit:CreateBranch", "codecommit:DeleteBranch", "codecommit:GetBranch", "codecommit:ListBranches", "codecommit:MergeBranchesByFastForward", "codecommit:MergeBranchesBySquash", "codecommit:MergeBranchesByThreeWay", "codecommit:UpdateDefaultBranch", "codecommit:BatchDescribeMergeConflicts", "codecommit:CreateUnreferencedMergeCommit", "codecommit:DescribeMergeConflicts", "codecommit:GetMergeCommit", "codecommit:GetMergeOptions", "codecommit:BatchGetPullRequests", "codecommit:CreatePullRequest", "codecommit:DescribePullRequestEvents", "codecommit:GetCommentsForPullRequest", "codecommit:GetCommitsFromMergeBase", "codecommit:GetMergeConflicts", "codecommit:GetPullRequest", "codecommit:ListPullRequests", "codecommit:MergePullRequestByFastForward", "codecommit:MergePullRequestBySquash", "codecommit:MergePullRequestByThreeWay", "codecommit:PostCommentForPullRequest", "codecommit:UpdatePullRequestDescription", "codecommit:UpdatePullRequestStatus", "codecommit:UpdatePullRequestTitle", "codecommit:DeleteFile", "codecommit:GetBlob", "codecommit:GetFile", "codecommit:GetFolder", "codecommit:PutFile", "codecommit:DeleteCommentContent", "codecommit:GetComment", "codecommit:GetCommentsForComparedCommit", "codecommit:PostCommentForComparedCommit", "codecommit:PostCommentReply", "codecommit:UpdateComment", "codecommit:BatchGetCommits", "codecommit:CreateCommit", "codecommit:GetCommit", "codecommit:GetCommitHistory", "codecommit:GetDifferences", "codecommit:GetObjectIdentifier", "codecommit:GetReferences", "codecommit:GetTree", "codecommit:GetRepository", "codecommit:UpdateRepositoryDescription", "codecommit:ListTagsForResource", "codecommit:TagResource", "codecommit:UntagResource", "codecommit:GetRepositoryTriggers", "codecommit:PutRepositoryTriggers", "codecommit:TestRepositoryTriggers", "codecommit:GetBranch", "codecommit:GetCommit", "codecommit:UploadArchive", "codecommit:GetUploadArchiveStatus", "codecommit:CancelUploadArchive"},
				Resources: []string{"arn:${AWS::Partition}:codecommit:${AWS::Region}:${AWS::AccountId}:${RepositoryName}"},
			},
		},
	},
	"CodeCommitReadPolicy": {
		Params: []string{"RepositoryName"},
		Statements: []samStatement{
			{
				Actions:   []string{"codecommit:GitPull", "codecommit:GetBranch", "codecommit:ListBranches", "codecommit:BatchDescribeMergeConflicts", "codecommit:DescribeMergeConflicts", "codecommit:GetMergeCommit", "codecommit:GetMergeOptions", "codecommit:BatchGetPullRequests", "codecommit:DescribePullRequestEvents", "codecommit:GetCommentsForPullRequest", "codecommit:GetCommitsFromMergeBase", "codecommit:GetMergeConflicts", "codecommit:GetPullRequest", "codecommit:ListPullRequests", "codecommit:GetBlob", "codecommit:GetFile", "codecommit:GetFolder", "codecommit:GetComment", "codecommit:GetCommentsForComparedCommit", "codecommit:BatchGetCommits", "codecommit:GetCommit", "codecommit:GetCommitHistory", "codecommit:GetDifferences", "codecommit:GetObjectIdentifier", "codecommit:GetReferences", "codecommit:GetTree", "codecommit:GetRepository", "codecommit:ListTagsForResource", "codecommit:GetRepositoryTriggers", "codecommit:TestRepositoryTriggers", "codecommit:GetBranch", "codecommit:GetCommit", "codecommit:GetUploadArchiveStatus"},
				Resources: []string{"arn:${AWS::Partition}:codecommit:${AWS::Region}:${AWS::AccountId}:${RepositoryName}"},
			},
		},
	},
	"CodePipelineLambdaExecutionPolicy": {
		Statements: []samStatement{
			{
				Actions:   []string{"codepipeline:PutJobSuccessResult", "codepipeline:PutJobFailureResult"},
				Resources: []string{"*"},
			},
		},
	},
	"CodePipelineReadOnlyPolicy": {
		Params: []string{"PipelineName"},
		Statements: []samStatement{
			{
				Actions:   []string{"codepipeline:ListPipelineExecutions"},
				Resources: []string{"arn:${AWS::Partition}:codepipeline:${AWS::Region}:${AWS::AccountId}:${PipelineName}"},
			},
		},
	},
	"ComprehendBasicAccessPolicy": {
		Statements: []samStatement{
			{
				Actions:   []string{"comprehend:BatchDetectKeyPhrases", "comprehend:DetectDominantLanguage", "comprehend:DetectEntities", "comprehend:BatchDetectEntities", "comprehend:DetectKeyPhrases", "comprehend:DetectSentiment", "comprehend:BatchDetectDominantLanguage", "comprehend:BatchDetectSentiment"},
				Resources: []string{"*"},
			},
		},
	},
	"CostExplorerReadOnlyPolicy": {
		Statements: []samStatement{
			{
				Actions:   []string{"ce:GetCostAndUsage", "ce:GetDimensionValues", "ce:GetReservationCoverage", "ce:GetReservationPurchaseRecommendation", "ce:GetReservationUtilization", "ce:GetTags"},
				Resources: []string{"*"},
			},
		},
	},
	"DynamoDBBackupFullAccessPolicy": {
		Params: []string{"TableName"},
		Statements: []samStatement{
			{
				Actions:   []string{"dynamodb:CreateBackup", "dynamodb:DescribeContinuousBackups"},
				Resources: []string{"arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}"},
			},
			{
				Actions:   []string{"dynamodb:DeleteBackup", "dynamodb:DescribeBackup", "dynamodb:ListBackups"},
				Resources: []string{"arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}/backup/*"},
			},
		},
	},
	"DynamoDBCrudPolicy": {
		Params: []string{"TableName"},
		Statements: []samStatement{
			{
				Actions:   []string{"dynamodb:GetItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:Scan", "dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem", "dynamodb:BatchGetItem", "dynamodb:DescribeTable", "dynamodb:ConditionCheckItem"},
				Resources: []string{"arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}", "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}/index/*"},
			},
		},
	},
	"DynamoDBReadPolicy": {
		Params: []string{"TableName"},
		Statements: []samStatement{
			{
				Actions:   []string{"dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:DescribeTable"},
				Resources: []string{"arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}", "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}/index/*"},
			},
		},
	},
	"DynamoDBReconfigurePolicy": {
		Params: []string{"TableName"},
		Statements: []samStatement{
			{
				Actions:   []string{"dynamodb:UpdateTable"},
				Resources: []string{"arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}"},
			},
		},
	},
	"DynamoDBRestoreFromBackupPolicy": {
		Params: []string{"TableName"},
		Statements: []samStatement{
			{
				Actions:   []string{"dynamodb:RestoreTableFromBackup"},
				Resources: []string{"arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}/backup/*"},
			},
			{
				Actions:   []string{"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:BatchWriteItem"},
				Resources: []string{"arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}"},
			},
		},
	},
	"DynamoDBStreamReadPolicy": {
		Params: []string{"StreamName", "TableName"},
		Statements: []samStatement{
			{
				Actions:   []string{"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"},
				Resources: []string{"arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}/stream/${StreamName}"},
			},
			{
				Actions:   []string{"dynamodb:ListStreams"},
				Resources: []string{"arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}/stream/*"},
			},
		},
	},
	"DynamoDBWritePolicy": {
		Params: []string{"TableName"},
		Statements: []samStatement{
			{
				Actions:   []string{"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"},
				Resources: []string{"arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}", "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}/index/*"},
			},
		},
	},
	"EC2CopyImagePolicy": {
		Params: []string{"ImageId"},
		Statements: []samStatement{
			{
				Actions:   []string{"ec2:CopyImage"},
				Resources: []string{"arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:image/${ImageId}"},
			},
		},
	},
	"EC2DescribePolicy": {
		Statements: []samStatement{
			{
				Actions:   []string{"ec2:DescribeRegions", "ec2:DescribeInstances"},
				Resources: []string{"*"},
			},
		},
	},
	"EcsRunTaskPolicy": {
		Params: []string{"TaskDefinition"},
		Statements: []samStatement{
			{
				Actions:   []string{"ecs:RunTask"},
				Resources: []string{"arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task-definition/${TaskDefinition}"},
			},
		},
	},
	"EFSWriteAccessPolicy": {
		Params: []string{"AccessPoint", "FileSystem"},
		Statements: []samStatement{
			{
				Actions:    []string{"elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"},
				Resources:  []string{"arn:${AWS::Partition}:elasticfilesystem:${AWS::Region}:${AWS::AccountId}:file-system/${FileSystem}"},
				Conditions: []samCondition{{Operator: "StringEquals", Key: "elasticfilesystem:AccessPointArn", Value: "arn:${AWS::Partition}:elasticfilesystem:${AWS::Region}:${AWS::AccountId}:access-point/${AccessPoint}"}},
			},
		},
	},
	"EKSDescribePolicy": {
		Statements: []samStatement{
			{
				Actions:   []string{"eks:DescribeCluster", "eks:ListClusters"},
				Resources: []string{"*"},
			},
		},
	},
	"ElasticMapReduceAddJobFlowStepsPolicy": {
		Params: []string{"ClusterId"},
		Statements: []samStatement{
			{
				Actions:   []string{"elasticmapreduce:AddJobFlowSteps"},
				Resources: []string{"arn:${AWS::Partition}:elasticmapreduce:${AWS::Region}:${AWS::AccountId}:cluster/${ClusterId}"},
			},
		},
	},
	"ElasticMapReduceCancelStepsPolicy": {
		Params: []string{"ClusterId"},
		Statements: []samStatement{
			{
				Actions:   []string{"elasticmapreduce:CancelSteps"},
				Resources: []string{"arn:${AWS::Partition}:elasticmapreduce:${AWS::Region}:${AWS::AccountId}:cluster/${ClusterId}"},
			},
		},
	},
	"ElasticMapReduceModifyInstanceFleetPolicy": {
		Params: []string{"ClusterId"},
		Statements: []samStatement{
			{
				Actions:   []string{"elasticmapreduce:ModifyInstanceFleet", "elasticmapreduce:ListInstanceFleets"},
				Resources: []string{"arn:${AWS::Partition}:elasticmapreduce:${AWS::Region}:${AWS::AccountId}:cluster/${ClusterId}"},
			},
		},
	},
	"ElasticMapReduceModifyInstanceGroupsPolicy": {
		Params: []string{"ClusterId"},
		Statements: []samStatement{
			{
				Actions:   []string{"elasticmapreduce:ModifyInstanceGroups", "elasticmapreduce:ListInstanceGroups"},
				Resources: []string{"arn:${AWS::Partition}:elasticmapreduce:${AWS::Region}:${AWS::AccountId}:cluster/${ClusterId}"},
			},
		},
	},
	"ElasticMapReduceSetTerminationProtectionPolicy": {
		Params: []string{"ClusterId"},
		Statements: []samStatement{
			{
				Actions:   []string{"elasticmapreduce:SetTerminationProtection"},
				Resources: []string{"arn:${AWS::Partition}:elasticmapreduce:${AWS::Region}:${AWS::AccountId}:cluster/${ClusterId}"},
			},
		},
	},
	"ElasticMapReduceTerminateJobFlowsPolicy": {
		Params: []string{"ClusterId"},
		Statements: []samStatement{
			{
				Actions:   []string{"elasticmapreduce:TerminateJobFlows"},
				Resources: []string{"arn:${AWS::Partition}:elasticmapreduce:${AWS::Region}:${AWS::AccountId}:cluster/${ClusterId}"},
			},
		},
	},
	"ElasticsearchHttpPostPolicy": {
		Params: []string{"DomainName"},
		Statements: []samStatement{
			{
				Actions:   []string{"es:ESHttpPost", "es:ESHttpPut"},
				Resources: []string{"arn:${AWS::Partition}:es:${AWS::Region}:${AWS::AccountId}:domain/${DomainName}/*"},
			},
		},
	},
	"EventBridgePutEventsPolicy": {
		Params: []string{"EventBusName"},
		Statements: []samStatement{
			{
				Actions:   []string{"events:PutEvents"},
				Resources: []string{"arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/${EventBusName}"},
			},
		},
	},
	"FilterLogEventsPolicy": {
		Params: []string{"LogGroupName"},
		Statements: []samStatement{
			{
				Actions:   []string{"logs:FilterLogEvents"},
				Resources: []string{"arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${LogGroupName}:log-stream:*"},
			},
		},
	},
	"FirehoseCrudPolicy": {
		Params: []string{"DeliveryStreamName"},
		Statements: []samStatement{
			{
				Actions:   []string{"firehose:CreateDeliveryStream", "firehose:DeleteDeliveryStream", "firehose:DescribeDeliveryStream", "firehose:PutRecord", "firehose:PutRecordBatch", "firehose:UpdateDestination"},
				Resources: []string{"arn:${AWS::Partition}:firehose:${AWS::Region}:${AWS::AccountId}:deliverystream/${DeliveryStreamName}"},
			},
		},
	},
	"FirehoseWritePolicy": {
		Params: []string{"DeliveryStreamName"},
		Statements: []samStatement{
			{
				Actions:   []string{"firehose:PutRecord", "firehose:PutRecordBatch"},
				Resources: []string{"arn:${AWS::Partition}:firehose:${AWS::Region}:${AWS::AccountId}:deliverystream/${DeliveryStreamName}"},
			},
		},
	},
	"KinesisCrudPolicy": {
		Params: []string{"StreamName"},
		Statements: []samStatement{
			{
				Actions:   []string{"kinesis:AddTagsToStream", "kinesis:CreateStream", "kinesis:DecreaseStreamRetentionPeriod", "kinesis:DeleteStream", "kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetShardIterator", "kinesis:IncreaseStreamRetentionPeriod", "kinesis:ListTagsForStream", "kinesis:MergeShards", "kinesis:PutRecord", "kinesis:PutRecords", "kinesis:SplitShard", "kinesis:RemoveTagsFromStream"},
				Resources: []string{"arn:${AWS::Partition}:kinesis:${AWS::Region}:${AWS::AccountId}:stream/${StreamName}"},
			},
		},
	},
	"KinesisStreamReadPolicy": {
		Params: []string{"StreamName"},
		Statements: []samStatement{
			{
				Actions:   []string{"kinesis:ListStreams", "kinesis:DescribeLimits"},
				Resources: []string{"arn:${AWS::Partition}:kinesis:${AWS::Region}:${AWS::AccountId}:stream/*"},
			},
			{
				Actions:   []string{"kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator"},
				Resources: []string{"arn:${AWS::Partition}:kinesis:${AWS::Region}:${AWS::AccountId}:stream/${StreamName}"},
			},
		},
	},
	"KMSDecryptPolicy": {
		Params: []string{"KeyId"},
		Statements: []samStatement{
			{
				Actions:   []string{"kms:Decrypt"},
				Resources: []string{"arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${KeyId}"},
			},
		},
	},
	"KMSEncryptPolicy": {
		Params: []string{"KeyId"},
		Statements: []samStatement{
			{
				Actions:   []string{"kms:Encrypt"},
				Resources: []string{"arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${KeyId}"},
			},
		},
	},
	"KMSEncryptPolicy_v2": {
		Params: []string{"KeyId"},
		Statements: []samStatement{
			{
				Actions:   []string{"kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:GenerateDataKeyPair", "kms:GenerateDataKeyPairWithoutPlaintext"},
				Resources: []string{"arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${KeyId}"},
			},
		},
	},
	"LambdaInvokePolicy": {
		Params: []string{"FunctionName"},
		Statements: []samStatement{
			{
				Actions:   []string{"lambda:InvokeFunction"},
				Resources: []string{"arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${FunctionName}*"},
			},
		},
	},
	"MobileAnalyticsWriteOnlyAccessPolicy": {
		Statements: []samStatement{
			{
				Actions:   []string{"mobileanalytics:PutEvents"},
				Resources: []string{"*"},
			},
		},
	},
	"OrganizationsListAccountsPolicy": {
		Statements: []samStatement{
			{
				Actions:   []string{"organizations:ListAccounts"},
				Resources: []string{"*"},
			},
		},
	},
	"PinpointEndpointAccessPolicy": {
		Params: []string{"PinpointApplicationId"},
		Statements: []samStatement{
			{
				Actions:   []string{"mobiletargeting:GetEndpoint", "mobiletargeting:UpdateEndpoint", "mobiletargeting:UpdateEndpointsBatch"},
				Resources: []string{"arn:${AWS::Partition}:mobiletargeting:${AWS::Region}:${AWS::AccountId}:apps/${PinpointApplicationId}/endpoints/*"},
			},
		},
	},
	"PollyFullAccessPolicy": {
		Params: []string{"LexiconName"},
		Statements: []samStatement{
			{
				Actions:   []string{"polly:GetLexicon", "polly:DeleteLexicon"},
				Resources: []string{"arn:${AWS::Partition}:polly:${AWS::Region}:${AWS::AccountId}:lexicon/${LexiconName}"},
			},
			{
				Actions:   []string{"polly:DescribeVoices", "polly:ListLexicons", "polly:PutLexicon", "polly:SynthesizeSpeech"},
				Resources: []string{"arn:${AWS::Partition}:polly:${AWS::Region}:${AWS::AccountId}:lexicon/*"},
			},
		},
	},
	"RekognitionDetectOnlyPolicy": {
		Statements: []samStatement{
			{
				Actions:   []string{"rekognition:DetectFaces", "rekognition:DetectLabels", "rekognition:DetectModerationLabels", "rekognition:DetectText"},
				Resources: []string{"*"},
			},
		},
	},
	"RekognitionFacesManagementPolicy": {
		Params: []string{"CollectionId"},
		Statements: []samStatement{
			{
				Actions:   []string{"rekognition:IndexFaces", "rekognition:DeleteFaces", "rekognition:SearchFaces", "rekognition:SearchFacesByImage", "rekognition:ListFaces"},
				Resources: []string{"arn:${AWS::Partition}:rekognition:${AWS::Region}:${AWS::AccountId}:collection/${CollectionId}"},
			},
		},
	},
	"RekognitionFacesPolicy": {
		Statements: []samStatement{
			{
				Actions:   []string{"rekognition:CompareFaces", "rekognition:DetectFaces"},
				Resources: []string{"*"},
			},
		},
	},
	"RekognitionLabelsPolicy": {
		Statements: []samStatement{
			{
				Actions:   []string{"rekognition:DetectLabels", "rekognition:DetectModerationLabels"},
				Resources: []string{"*"},
			},
		},
	},
	"RekognitionNoDataAccessPolicy": {
		Params: []string{"CollectionId"},
		Statements: []samStatement{
			{
				Actions:   []string{"rekognition:CompareFaces", "rekognition:DetectFaces", "rekognition:DetectLabels", "rekognition:DetectModerationLabels"},
				Resources: []string{"arn:${AWS::Partition}:rekognition:${AWS::Region}:${AWS::AccountId}:collection/${CollectionId}"},
			},
		},
	},
	"RekognitionReadPolicy": {
		Params: []string{"CollectionId"},
		Statements: []samStatement{
			{
				Actions:   []string{"rekognition:ListCollections", "rekognition:ListFaces", "rekognition:SearchFaces", "rekognition:SearchFacesByImage"},
				Resources: []string{"arn:${AWS::Partition}:rekognition:${AWS::Region}:${AWS::AccountId}:collection/${CollectionId}"},
			},
		},
	},
	"RekognitionWriteOnlyAccessPolicy": {
		Params: []string{"CollectionId"},
		Statements: []samStatement{
			{
				Actions:   []string{"rekognition:CreateCollection", "rekognition:IndexFaces"},
				Resources: []string{"arn:${AWS::Partition}:rekognition:${AWS::Region}:${AWS::AccountId}:collection/${CollectionId}"},
			},
		},
	},
	"Route53ChangeResourceRecordSetsPolicy": {
		Params: []string{"HostedZoneId"},
		Statements: []samStatement{
			{
				Actions:   []string{"route53:ChangeResourceRecordSets"},
				Resources: []string{"arn:${AWS::Partition}:route53:::hostedzone/${HostedZoneId}"},
			},
		},
	},
	"S3CrudPolicy": {
		Params: []string{"BucketName"},
		Statements: []samStatement{
			{
				Actions:   []string{"s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:GetObjectVersion", "s3:PutObject", "s3:PutObjectAcl", "s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration", "s3:DeleteObject"},
				Resources: []string{"arn:${AWS::Partition}:s3:::${BucketName}", "arn:${AWS::Partition}:s3:::${BucketName}/*"},
			},
		},
	},
	"S3FullAccessPolicy": {
		Params: []string{"BucketName"},
		Statements: []samStatement{
			{
				Actions:   []string{"s3:GetObject", "s3:GetObjectAcl", "s3:GetObjectVersion", "s3:PutObject", "s3:PutObjectAcl", "s3:DeleteObject", "s3:DeleteObjectTagging", "s3:DeleteObjectVersionTagging", "s3:GetObjectTagging", "s3:GetObjectVersionTagging", "s3:PutObjectTagging", "s3:PutObjectVersionTagging"},
				Resources: []string{"arn:${AWS::Partition}:s3:::${BucketName}/*"},
			},
			{
				Actions:   []string{"s3:ListBucket", "s3:GetBucketLocation", "s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration"},
				Resources: []string{"arn:${AWS::Partition}:s3:::${BucketName}"},
			},
		},
	},
	"S3ReadPolicy": {
		Params: []string{"BucketName"},
		Statements: []samStatement{
			{
				Actions:   []string{"s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:GetObjectVersion", "s3:GetLifecycleConfiguration"},
				Resources: []string{"arn:${AWS::Partition}:s3:::${BucketName}", "arn:${AWS::Partition}:s3:::${BucketName}/*"},
			},
		},
	},
	"S3WritePolicy": {
		Params: []string{"BucketName"},
		Statements: []samStatement{
			{
				Actions:   []string{"s3:PutObject", "s3:PutObjectAcl", "s3:PutLifecycleConfiguration"},
				Resources: []string{"arn:${AWS::Partition}:s3:::${BucketName}", "arn:${AWS::Partition}:s3:::${BucketName}/*"},
			},
		},
	},
	"SageMakerCreateEndpointConfigPolicy": {
		Params: []string{"EndpointConfigName"},
		Statements: []samStatement{
			{
				Actions:   []string{"sagemaker:CreateEndpointConfig"},
				Resources: []string{"arn:${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}:endpoint-config/${EndpointConfigName}"},
			},
		},
	},
	"SageMakerCreateEndpointPolicy": {
		Params: []string{"EndpointName"},
		Statements: []samStatement{
			{
				Actions:   []string{"sagemaker:CreateEndpoint"},
				Resources: []string{"arn:${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}:endpoint/${EndpointName}"},
			},
		},
	},
	"ServerlessRepoReadWriteAccessPolicy": {
		Statements: []samStatement{
			{
				Actions:   []string{"serverlessrepo:CreateApplication", "serverlessrepo:CreateApplicationVersion", "serverlessrepo:UpdateApplication", "serverlessrepo:GetApplication", "serverlessrepo:ListApplications", "serverlessrepo:ListApplicationVersions", "serverlessrepo:ListApplicationDependencies"},
				Resources: []string{"arn:${AWS::Partition}:serverlessrepo:${AWS::Region}:${AWS::AccountId}:applications/*"},
			},
		},
	},
	"SESBulkTemplatedCrudPolicy": {
		Params: []string{"IdentityName"},
		Statements: []samStatement{
			{
				Actions:   []string{"ses:GetIdentityVerificationAttributes", "ses:SendEmail", "ses:SendRawEmail", "ses:SendTemplatedEmail", "ses:SendBulkTemplatedEmail", "ses:VerifyEmailIdentity"},
				Resources: []string{"arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${IdentityName}"},
			},
		},
	},
	"SESBulkTemplatedCrudPolicy_v2": {
		Params: []string{"IdentityName", "TemplateName"},
		Statements: []samStatement{
			{
				Actions:   []string{"ses:SendEmail", "ses:SendRawEmail", "ses:SendTemplatedEmail", "ses:SendBulkTemplatedEmail"},
				Resources: []string{"arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${IdentityName}", "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:template/${TemplateName}"},
			},
			{
				Actions:   []string{"ses:GetIdentityVerificationAttributes", "ses:VerifyEmailIdentity"},
				Resources: []string{"*"},
			},
		},
	},
	"SESCrudPolicy": {
		Params: []string{"IdentityName"},
		Statements: []samStatement{
			{
				Actions:   []string{"ses:GetIdentityVerificationAttributes", "ses:SendEmail", "ses:SendRawEmail", "ses:VerifyEmailIdentity"},
				Resources: []string{"arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${IdentityName}"},
			},
		},
	},
	"SESEmailTemplateCrudPolicy": {
		Statements: []samStatement{
			{
				Actions:   []string{"ses:CreateTemplate", "ses:GetTemplate", "ses:ListTemplates", "ses:UpdateTemplate", "ses:DeleteTemplate", "ses:TestRenderTemplate"},
				Resources: []string{"*"},
			},
		},
	},
	"SESSendBouncePolicy": {
		Params: []string{"IdentityName"},
		Statements: []samStatement{
			{
				Actions:   []string{"ses:SendBounce"},
				Resources: []string{"arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${IdentityName}"},
			},
		},
	},
	"SNSCrudPolicy": {
		Params: []string{"TopicName"},
		Statements: []samStatement{
			{
				Actions:   []string{"sns:ListSubscriptionsByTopic", "sns:CreateTopic", "sns:SetTopicAttributes", "sns:Subscribe", "sns:Publish"},
				Resources: []string{"arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${TopicName}*"},
			},
		},
	},
	"SNSPublishMessagePolicy": {
		Params: []string{"TopicName"},
		Statements: []samStatement{
			{
				Actions:   []string{"sns:Publish"},
				Resources: []string{"arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${TopicName}"},
			},
		},
	},
	"SQSPollerPolicy": {
		Params: []string{"QueueName"},
		Statements: []samStatement{
			{
				Actions:   []string{"sqs:ChangeMessageVisibility", "sqs:ChangeMessageVisibilityBatch", "sqs:DeleteMessage", "sqs:DeleteMessageBatch", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"},
				Resources: []string{"arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${QueueName}"},
			},
		},
	},
	"SQSSendMessagePolicy": {
		Params: []string{"QueueName"},
		Statements: []samStatement{
			{
				Actions:   []string{"sqs:SendMessage*"},
				Resources: []string{"arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${QueueName}"},
			},
		},
	},
	"SSMParameterReadPolicy": {
		Params: []string{"ParameterName"},
		Statements: []samStatement{
			{
				Actions:   []string{"ssm:DescribeParameters"},
				Resources: []string{"*"},
			},
			{
				Actions:   []string{"ssm:GetParameters", "ssm:GetParameter", "ssm:GetParametersByPath"},
				Resources: []string{"arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${ParameterName}"},
			},
		},
	},
	"SSMParameterWithSlashPrefixReadPolicy": {
		Params: []string{"ParameterName"},
		Statements: []samStatement{
			{
				Actions:   []string{"ssm:DescribeParameters"},
				Resources: []string{"*"},
			},
			{
				Actions:   []string{"ssm:GetParameters", "ssm:GetParameter", "ssm:GetParametersByPath"},
				Resources: []string{"arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${ParameterName}"},
			},
		},
	},
	"StepFunctionsCallbackPolicy": {
		Params: []string{"StateMachineName"},
		Statements: []samStatement{
			{
				Actions:   []string{"states:SendTaskFailure", "states:SendTaskHeartbeat", "states:SendTaskSuccess"},
				Resources: []string{"arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:${StateMachineName}"},
			},
		},
	},
	"StepFunctionsExecutionPolicy": {
		Params: []string{"StateMachineName"},
		Statements: []samStatement{
			{
				Actions:   []string{"states:StartExecution"},
				Resources: []string{"arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:${StateMachineName}"},
			},
		},
	},
	"StepFunctionsExecutionPolicy_v2": {
		Params: []string{"StateMachineName"},
		Statements: []samStatement{
			{
				Actions:   []string{"states:StartExecution", "states:StartSyncExecution"},
				Resources: []string{"arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:${StateMachineName}"},
			},
		},
	},
	"TextractDetectAnalyzePolicy": {
		Statements: []samStatement{
			{
				Actions:   []string{"textract:DetectDocumentText", "textract:StartDocumentTextDetection", "textract:StartDocumentAnalysis", "textract:AnalyzeDocument"},
				Resources: []string{"*"},
			},
		},
	},
	"TextractGetResultPolicy": {
		Statements: []samStatement{
			{
				Actions:   []string{"textract:GetDocumentTextDetection", "textract:GetDocumentAnalysis"},
				Resources: []string{"*"},
			},
		},
	},
	"TextractPolicy": {
		Statements: []samStatement{
			{
				Actions:   []string{"textract:*"},
				Resources: []string{"*"},
			},
		},
	},
	"VPCAccessPolicy": {
		Statements: []samStatement{
			{
				Actions:   []string{"ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DetachNetworkInterface"},
				Resources: []string{"*"},
			},
		},
	},
}
