package calls

import "strings"

// surfaces maps the names by which SDKs, the aws CLI and CloudTrail call a
// service to its IAM prefix, where the two differ. A name not listed is
// its own prefix ("s3", "sqs", "ecs"). Names are compared after Prefix's
// normalisation: lower case, without "@aws-sdk/client-" and without
// ".amazonaws.com". Every prefix here is a service of the catalog (see
// TestSurfacesInCatalog).
var surfaces = map[string]string{
	// AWS SDK for Go v2: github.com/aws/aws-sdk-go-v2/service/NAME.
	"cloudwatchlogs":            "logs",
	"cloudwatchevents":          "events",
	"eventbridge":               "events",
	"sfn":                       "states",
	"elasticloadbalancingv2":    "elasticloadbalancing",
	"sesv2":                     "ses",
	"bedrockruntime":            "bedrock",
	"bedrockagent":              "bedrock",
	"bedrockagentruntime":       "bedrock",
	"resourcegroupstaggingapi":  "tag",
	"apigatewaymanagementapi":   "execute-api",
	"apigatewayv2":              "apigateway",
	"ecrpublic":                 "ecr-public",
	"dynamodbstreams":           "dynamodb",
	"configservice":             "config",
	"cognitoidentityprovider":   "cognito-idp",
	"cognitoidentity":           "cognito-identity",
	"applicationautoscaling":    "application-autoscaling",
	"iotdataplane":              "iot",
	"sagemakerruntime":          "sagemaker",
	"kinesisvideomedia":         "kinesisvideo",
	"opensearch":                "es",
	"elasticsearchservice":      "es",
	"opensearchserverless":      "aoss",
	"efs":                       "elasticfilesystem",
	"emr":                       "elasticmapreduce",
	"emrserverless":             "emr-serverless",
	"emrcontainers":             "emr-containers",
	"lexruntimev2":              "lex",
	"lexmodelsv2":               "lex",
	"timestreamwrite":           "timestream",
	"timestreamquery":           "timestream",
	"redshiftdata":              "redshift-data",
	"rdsdata":                   "rds-data",
	"s3control":                 "s3",
	"pinpoint":                  "mobiletargeting",
	"docdb":                     "rds",
	"neptune":                   "rds",
	"marketplacemetering":       "aws-marketplace",
	"costexplorer":              "ce",
	"acmpca":                    "acm-pca",
	"ec2instanceconnect":        "ec2-instance-connect",
	"kinesisanalyticsv2":        "kinesisanalytics",
	"ssmincidents":              "ssm-incidents",
	"ssmcontacts":               "ssm-contacts",
	"appconfigdata":             "appconfig",
	"location":                  "geo",
	"amp":                       "aps",
	"databasemigrationservice":  "dms",
	"transcribestreaming":       "transcribe",
	"personalizeruntime":        "personalize",
	"personalizeevents":         "personalize",
	"qldbsession":               "qldb",
	"kinesisvideoarchivedmedia": "kinesisvideo",
	"cloudsearchdomain":         "cloudsearch",
	"iotdata":                   "iot",
	"sso":                       "sso",
	// IAM Identity Center's admin API is authorized by the sso prefix
	// (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsiamidentitycentersuccessortoawssinglesign-on.html).
	"ssoadmin": "sso",

	// boto3 clients and aws CLI services (mostly the same names).
	"s3api":                 "s3",
	"stepfunctions":         "states",
	"elbv2":                 "elasticloadbalancing",
	"elb":                   "elasticloadbalancing",
	"deploy":                "codedeploy",
	"bedrock-runtime":       "bedrock",
	"bedrock-agent":         "bedrock",
	"bedrock-agent-runtime": "bedrock",
	"iot-data":              "iot",
	"sagemaker-runtime":     "sagemaker",
	"kinesis-video-media":   "kinesisvideo",
	"lex-runtime":           "lex",
	"lexv2-runtime":         "lex",
	"lexv2-models":          "lex",
	"timestream-write":      "timestream",
	"timestream-query":      "timestream",
	"meteringmarketplace":   "aws-marketplace",
	"secrets-manager":       "secretsmanager",
	"cloudwatch-logs":       "logs",
	"cloudwatch-events":     "events",
	"personalize-runtime":   "personalize",
	"personalize-events":    "personalize",
	"iotevents-data":        "iotevents",
	"sso-admin":             "sso",

	// AWS SDK for JavaScript v3: @aws-sdk/client-NAME.
	"elastic-load-balancing-v2":    "elasticloadbalancing",
	"elastic-load-balancing":       "elasticloadbalancing",
	"resource-groups-tagging-api":  "tag",
	"dynamodb-streams":             "dynamodb",
	"config-service":               "config",
	"cognito-identity-provider":    "cognito-idp",
	"application-auto-scaling":     "application-autoscaling",
	"auto-scaling":                 "autoscaling",
	"iot-data-plane":               "iot",
	"elasticsearch-service":        "es",
	"lex-runtime-v2":               "lex",
	"lex-models-v2":                "lex",
	"s3-control":                   "s3",
	"marketplace-metering":         "aws-marketplace",
	"cost-explorer":                "ce",
	"api-gateway":                  "apigateway",
	"route-53":                     "route53",
	"route-53-domains":             "route53domains",
	"service-discovery":            "servicediscovery",
	"kinesis-analytics-v2":         "kinesisanalytics",
	"database-migration-service":   "dms",
	"transcribe-streaming":         "transcribe",
	"kinesis-video-archived-media": "kinesisvideo",

	// AWS SDK for JavaScript v2: new AWS.NAME(), lower case (the others
	// are the Go package names above).
	"cognitoidentityserviceprovider": "cognito-idp",

	// CloudTrail event sources: NAME.amazonaws.com.
	"monitoring": "cloudwatch",
	"email":      "ses",
	"tagging":    "tag",
}

// Prefix returns the IAM service prefix of a surface name: an SDK client
// (Go package "cloudwatchlogs", boto3 "bedrock-runtime", JS
// "@aws-sdk/client-sfn"), an aws CLI service ("s3api", "deploy") or a
// CloudTrail event source ("monitoring.amazonaws.com"). A name that is
// already an IAM prefix is returned as it is.
func Prefix(surface string) string {
	s := strings.ToLower(strings.TrimSpace(surface))
	s = strings.TrimPrefix(s, "@aws-sdk/")
	s = strings.TrimPrefix(s, "client-")
	s = strings.TrimSuffix(s, ".cn")
	s = strings.TrimSuffix(s, ".amazonaws.com")
	if p, ok := surfaces[s]; ok && p != "" {
		return p
	}
	return s
}
