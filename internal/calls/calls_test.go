package calls

import (
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/catalog"
)

// TestSurfacesInCatalog: every prefix the surface table names is a
// service of the catalog.
func TestSurfacesInCatalog(t *testing.T) {
	cat := catalog.MustLoad()
	for name, prefix := range surfaces {
		if cat.Service(prefix) == nil {
			t.Errorf("surfaces[%q] = %q: not a catalog service", name, prefix)
		}
		if name != strings.ToLower(name) {
			t.Errorf("surfaces[%q]: names are compared in lower case", name)
		}
	}
}

// TestExceptionsInCatalog: every exception names catalog actions and the
// page it comes from, and is not the default it replaces.
func TestExceptionsInCatalog(t *testing.T) {
	cat := catalog.MustLoad()
	for key, e := range exceptions {
		if !strings.HasPrefix(e.doc, "https://docs.aws.amazon.com/") {
			t.Errorf("exceptions[%s]: no AWS documentation page", key)
		}
		for _, a := range e.actions {
			if cat.Action(a) == nil {
				t.Errorf("exceptions[%s]: the catalog has no %s", key, a)
			}
		}
		if len(e.actions) == 1 && strings.EqualFold(e.actions[0], key) {
			t.Errorf("exceptions[%s] is the default", key)
		}
	}
}

func TestPrefix(t *testing.T) {
	for in, want := range map[string]string{
		"s3": "s3", "s3api": "s3", "s3.amazonaws.com": "s3", "@aws-sdk/client-s3": "s3", "client-sfn": "states",
		"cloudwatchlogs": "logs", "cloudwatch-logs": "logs", "logs": "logs", "stepfunctions": "states", "sfn": "states",
		"elbv2": "elasticloadbalancing", "elasticloadbalancingv2": "elasticloadbalancing", "elastic-load-balancing-v2": "elasticloadbalancing",
		"deploy": "codedeploy", "bedrock-runtime": "bedrock", "bedrockruntime": "bedrock", "resourcegroupstaggingapi": "tag",
		"tagging.amazonaws.com": "tag", "apigatewaymanagementapi": "execute-api", "sesv2": "ses", "email.amazonaws.com": "ses",
		"monitoring.amazonaws.com": "cloudwatch", "secrets-manager": "secretsmanager", "ECS": "ecs", "ecs.amazonaws.com.cn": "ecs",
	} {
		if got := Prefix(in); got != want {
			t.Errorf("Prefix(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestActions(t *testing.T) {
	cat := catalog.MustLoad()
	tests := []struct{ service, op, want string }{
		{"s3", "GetObject", "s3:GetObject"},
		{"s3api", "ListObjectsV2", "s3:ListBucket"},
		{"s3", "HeadObject", "s3:GetObject"},
		{"s3", "HeadBucket", "s3:ListBucket"},
		{"s3", "ListBuckets", "s3:ListAllMyBuckets"},
		{"s3", "CopyObject", "s3:GetObject s3:PutObject"},
		{"s3", "DeleteObjects", "s3:DeleteObject"},
		{"s3", "CreateMultipartUpload", "s3:PutObject"},
		{"s3", "UploadPart", "s3:PutObject"},
		{"s3", "ListObjectVersions", "s3:ListBucketVersions"},
		{"sqs", "SendMessageBatch", "sqs:SendMessage"},
		{"sqs", "DeleteMessageBatch", "sqs:DeleteMessage"},
		{"sqs", "ReceiveMessage", "sqs:ReceiveMessage"},
		{"dynamodb", "Query", "dynamodb:Query"},
		{"dynamodb", "TransactWriteItems", "dynamodb:PutItem dynamodb:UpdateItem dynamodb:DeleteItem dynamodb:ConditionCheckItem"},
		{"dynamodb", "TransactGetItems", "dynamodb:GetItem"},
		{"ssm", "GetParametersByPath", "ssm:GetParametersByPath"},
		{"secrets-manager", "GetSecretValue", "secretsmanager:GetSecretValue"},
		{"cloudwatchlogs", "PutLogEvents", "logs:PutLogEvents"},
		{"sfn", "StartExecution", "states:StartExecution"},
		{"lambda", "Invoke", "lambda:InvokeFunction"},
		{"bedrock-runtime", "Converse", "bedrock:InvokeModel"},
		{"apigatewaymanagementapi", "PostToConnection", "execute-api:ManageConnections"},
		{"sts", "GetCallerIdentity", ""},
	}
	for _, tt := range tests {
		got, err := Actions(tt.service, tt.op, cat)
		if err != nil {
			t.Errorf("%s %s: %v", tt.service, tt.op, err)
			continue
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("%s %s = %v, want %s", tt.service, tt.op, got, tt.want)
		}
	}
	if _, err := Actions("s3", "NoSuchOperation", cat); err == nil {
		t.Error("an unknown operation must be an error")
	}
}

func args(kv ...string) map[string][]string {
	m := map[string][]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = append(m[kv[i]], kv[i+1])
	}
	return m
}

func TestNeeds(t *testing.T) {
	cat := catalog.MustLoad()
	const r, a = "eu-west-1", "111122223333"
	tests := []struct {
		c    Call
		want string
	}{
		{Call{Service: "s3", Operation: "GetObject", Args: args("Bucket", "b", "Key", "a/b")}, "s3:GetObject arn:aws:s3:::b/a/b"},
		{Call{Service: "s3", Operation: "PutObject"}, "s3:PutObject arn:aws:s3:::{{BucketName}}/*"},
		{Call{Service: "s3", Operation: "CopyObject", Args: args("Bucket", "dst", "Key", "k", "CopySource", "/src/a%20b.txt?versionId=1")},
			"s3:GetObject arn:aws:s3:::src/a b.txt|s3:PutObject arn:aws:s3:::dst/k"},
		{Call{Service: "sqs", Operation: "SendMessage", Args: args("QueueUrl", "https://sqs.eu-west-1.amazonaws.com/111122223333/jobs")}, "sqs:SendMessage arn:aws:sqs:eu-west-1:111122223333:jobs"},
		{Call{Service: "sqs", Operation: "GetQueueUrl", Args: args("QueueName", "jobs")}, "sqs:GetQueueUrl arn:aws:sqs:eu-west-1:111122223333:jobs"},
		{Call{Service: "sqs", Operation: "ListQueues"}, "sqs:ListQueues *"},
		{Call{Service: "dynamodb", Operation: "Query", Args: args("TableName", "t", "IndexName", "i")},
			"dynamodb:Query arn:aws:dynamodb:eu-west-1:111122223333:table/t|dynamodb:Query arn:aws:dynamodb:eu-west-1:111122223333:table/t/index/i"},
		{Call{Service: "ssm", Operation: "GetParameters", Args: args("Names", "/a", "Names", "b")},
			"ssm:GetParameters arn:aws:ssm:eu-west-1:111122223333:parameter/a|ssm:GetParameters arn:aws:ssm:eu-west-1:111122223333:parameter/b"},
		{Call{Service: "kms", Operation: "Decrypt", Args: args("KeyId", "alias/app")}, "kms:Decrypt arn:aws:kms:eu-west-1:111122223333:key/* [kms:RequestAlias=alias/app]"},
		{Call{Service: "kms", Operation: "Decrypt", Args: args("KeyId", "1234abcd")}, "kms:Decrypt arn:aws:kms:eu-west-1:111122223333:key/1234abcd"},
		{Call{Service: "ecs", Operation: "DescribeServices", Args: args("Cluster", "arn:aws:ecs:eu-west-1:111122223333:cluster/prod", "Services", "a", "Services", "b")},
			"ecs:DescribeServices arn:aws:ecs:eu-west-1:111122223333:service/prod/a|ecs:DescribeServices arn:aws:ecs:eu-west-1:111122223333:service/prod/b"},
		{Call{Service: "ecs", Operation: "RunTask", Args: args("TaskDefinition", "app:3")},
			"ecs:RunTask arn:aws:ecs:eu-west-1:111122223333:task-definition/app:* [ecs:cluster=arn:aws:ecs:eu-west-1:111122223333:cluster/default]" +
				"|iam:PassRole {{TaskRoleArn_app}} [iam:PassedToService=ecs-tasks.amazonaws.com]|iam:PassRole {{ExecutionRoleArn_app}} [iam:PassedToService=ecs-tasks.amazonaws.com]"},
		{Call{Service: "ecs", Operation: "DescribeClusters", Args: args("Clusters", "prod")}, "ecs:DescribeClusters arn:aws:ecs:eu-west-1:111122223333:cluster/prod"},
		{Call{Service: "deploy", Operation: "GetApplication", Args: args("ApplicationName", "app")}, "codedeploy:GetApplication arn:aws:codedeploy:eu-west-1:111122223333:application:app"},
		{Call{Service: "cloudwatchlogs", Operation: "PutLogEvents", Args: args("LogGroupName", "/ecs/app", "LogStreamName", "s")},
			"logs:PutLogEvents arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/app:log-stream:s"},
		{Call{Service: "s3", Operation: "GetObject", Known: []string{"arn:aws:s3:::b", "arn:aws:s3:::b/k"}}, "s3:GetObject arn:aws:s3:::b/k"},
		{Call{Service: "sts", Operation: "GetCallerIdentity"}, ""},
		{Call{Service: "s3", Operation: "ListBuckets"}, "s3:ListAllMyBuckets *"},
		{Call{Service: "cloudwatch", Operation: "PutMetricData", Args: args("Namespace", "App")}, "cloudwatch:PutMetricData * [cloudwatch:namespace=App]"},
		{Call{Service: "sesv2", Operation: "SendEmail", Args: args("FromEmailAddress", "shop@example.com")},
			"ses:SendEmail arn:aws:ses:eu-west-1:111122223333:identity/shop@example.com|ses:SendEmail arn:aws:ses:eu-west-1:111122223333:identity/example.com"},
		{Call{Service: "bedrock-runtime", Operation: "InvokeModel", Args: args("ModelId", "anthropic.claude-3-haiku-20240307-v1:0")},
			"bedrock:InvokeModel arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"},
		{Call{Service: "bedrock-runtime", Operation: "Converse", Args: args("ModelId", "eu.anthropic.claude-3-haiku-20240307-v1:0")},
			"bedrock:InvokeModel arn:aws:bedrock:eu-west-1:111122223333:inference-profile/eu.anthropic.claude-3-haiku-20240307-v1:0|bedrock:InvokeModel arn:aws:bedrock:*::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"},
		{Call{Service: "bedrock-runtime", Operation: "Converse"},
			"bedrock:InvokeModel arn:aws:bedrock:eu-west-1::foundation-model/{{ModelId}}|bedrock:InvokeModel arn:aws:bedrock:eu-west-1:111122223333:inference-profile/{{ModelId}}"},
		{Call{Service: "amp", Operation: "QueryMetrics"}, "aps:QueryMetrics arn:aws:aps:eu-west-1:111122223333:workspace/{{WorkspaceId}}"},
		{Call{Service: "resource-groups-tagging-api", Operation: "GetResources"}, "tag:GetResources *"},
		{Call{Service: "apigatewaymanagementapi", Operation: "PostToConnection", Args: args("ConnectionId", "c1")},
			"execute-api:ManageConnections arn:aws:execute-api:eu-west-1:111122223333:{{WebSocketApiId}}/{{WebSocketStage}}/POST/@connections/*"},
		// The tables of a batch are its RequestItems' keys; a transaction's
		// item actions each on the tables of their kind of item
		// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html).
		{Call{Service: "dynamodb", Operation: "BatchWriteItem", Args: args("TableName", "a", "TableName", "b")},
			"dynamodb:BatchWriteItem arn:aws:dynamodb:eu-west-1:111122223333:table/a|dynamodb:BatchWriteItem arn:aws:dynamodb:eu-west-1:111122223333:table/b"},
		{Call{Service: "dynamodb", Operation: "TransactWriteItems", Args: args("TableName", "a", "TableName", "b", "TransactItems.Put", "a", "TransactItems.Delete", "b", "TransactItems.Put", "b")},
			"dynamodb:PutItem arn:aws:dynamodb:eu-west-1:111122223333:table/a|dynamodb:PutItem arn:aws:dynamodb:eu-west-1:111122223333:table/b|dynamodb:DeleteItem arn:aws:dynamodb:eu-west-1:111122223333:table/b"},
		{Call{Service: "dynamodb", Operation: "TransactWriteItems"},
			"dynamodb:PutItem arn:aws:dynamodb:eu-west-1:111122223333:table/{{TableName}}|dynamodb:UpdateItem arn:aws:dynamodb:eu-west-1:111122223333:table/{{TableName}}|" +
				"dynamodb:DeleteItem arn:aws:dynamodb:eu-west-1:111122223333:table/{{TableName}}|dynamodb:ConditionCheckItem arn:aws:dynamodb:eu-west-1:111122223333:table/{{TableName}}"},
		// An undetermined argument is the parameter the reader named
		// after its value's source.
		{Call{Service: "s3", Operation: "GetObject", Params: map[string]string{"Bucket": "Store.bucket"}}, "s3:GetObject arn:aws:s3:::{{Store.bucket}}/*"},
		{Call{Service: "sqs", Operation: "SendMessage", Params: map[string]string{"QueueUrl": "send.queue_url"}}, "sqs:SendMessage arn:aws:sqs:eu-west-1:111122223333:{{send.queue_url}}"},
		{Call{Service: "lambda", Operation: "Invoke", Params: map[string]string{"FunctionName": "cfg.fn"}}, "lambda:InvokeFunction arn:aws:lambda:eu-west-1:111122223333:function:{{cfg.fn}}"},
		{Call{Service: "dynamodb", Operation: "GetItem", Params: map[string]string{"TableName": "table"}}, "dynamodb:GetItem arn:aws:dynamodb:eu-west-1:111122223333:table/{{table}}"},
		{Call{Service: "kms", Operation: "DeleteAlias", Args: args("AliasName", "alias/app")},
			"kms:DeleteAlias arn:aws:kms:eu-west-1:111122223333:alias/app|kms:DeleteAlias {{KeyArn}}"},
	}
	for _, tt := range tests {
		tt.c.Region, tt.c.Account = r, a
		needs, err := Needs(tt.c, cat)
		if err != nil {
			t.Errorf("%s.%s: %v", tt.c.Service, tt.c.Operation, err)
			continue
		}
		var got []string
		for _, n := range needs {
			s := n.Action + " " + n.Resource
			for _, c := range n.Conditions {
				s += " [" + c.Key + "=" + strings.Join(c.Values, "|") + "]"
			}
			got = append(got, s)
		}
		if strings.Join(got, "|") != tt.want {
			t.Errorf("%s.%s:\n got %q\nwant %q", tt.c.Service, tt.c.Operation, strings.Join(got, "|"), tt.want)
		}
	}
}

func TestNames(t *testing.T) {
	for in, want := range map[string]string{"queue-url": "QueueUrl", "table-name": "TableName", "bucketName": "Bucket", "key": "Key",
		"x-amz-copy-source": "CopySource", "TableName": "TableName", "list-objects-v2": "ListObjectsV2", "get_object": "GetObject"} {
		if got := ArgName(in); got != want {
			t.Errorf("ArgName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestWaitersInCatalog: every waiter polls an operation the table knows.
func TestWaitersInCatalog(t *testing.T) {
	cat := catalog.MustLoad()
	for key, op := range waiters {
		svc, _, _ := strings.Cut(key, " ")
		if _, err := Actions(svc, op, cat); err != nil {
			t.Errorf("waiters[%s]: %v", key, err)
		}
	}
}

// TestQueueARN: queue URLs, names and ARNs, with parameters where a
// CloudFormation queue's URL leaves the region, account or name open.
func TestQueueARN(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"https://sqs.eu-west-1.amazonaws.com/123456789012/jobs", "arn:aws:sqs:eu-west-1:123456789012:jobs"},
		{"https://eu-west-1.queue.amazonaws.com/123456789012/jobs.fifo", "arn:aws:sqs:eu-west-1:123456789012:jobs.fifo"},
		{"https://sqs.{{Region}}.amazonaws.com/{{AccountId}}/{{Jobs}}", "arn:aws:sqs:{{Region}}:{{AccountId}}:{{Jobs}}"},
		{"https://sqs.eu-west-1.amazonaws.com/123456789012/{{Env}}-jobs", "arn:aws:sqs:eu-west-1:123456789012:{{Env}}-jobs"},
		{"jobs", "arn:aws:sqs:us-east-1:999999999999:jobs"},
		{"arn:aws:sqs:eu-west-1:123456789012:jobs", "arn:aws:sqs:eu-west-1:123456789012:jobs"},
	} {
		if got := QueueARN("us-east-1", "999999999999", c.in); got != c.want {
			t.Errorf("QueueARN(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
