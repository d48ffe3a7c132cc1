package tf

// returns is what the attributes of one resource type or data source
// evaluate to, as the type's page of the Terraform AWS provider
// documentation describes them (section "Attribute Reference"). Values are
// formats: ${Name} is the resource's name (the name argument, where the
// configuration sets it), ${ParamName} the same without a leading slash
// (an SSM parameter's ARN), ${Region} and ${Account} where it is created,
// ${Partition} and ${DNSSuffix} the region's, ${Path} a role's path. A *
// or ? stands for characters AWS generates, which only an IAM wildcard
// matches (wild says which). ${SecretARN:ARG} is the ARN of the secret
// the argument names by its ARN or its name. An attribute the table does
// not list but the block sets as an argument is that argument's value.
type returns struct {
	doc string
	// name is the argument that names the resource; "" when AWS generates
	// the identifier (a KMS key id).
	name  string
	attrs map[string]string
	// identifies, for the attributes that are an identifier an API takes
	// but not the resource's ARN (a KMS key id), is the ARN they name.
	identifies map[string]string
	// wild says what a * or ? of the formats stands for.
	wild string
	// ownARN is the attribute that, when Terraform generates the name, is
	// a parameter of its own rather than an ARN with the name left open:
	// a role's, which the output creates and names by its ARN.
	ownARN string
}

// Where the provider documents each type: the resource's page is
// resourceDocs + "s3_bucket#attribute-reference", a data source's
// dataDocs + "iam_role#attribute-reference".
const (
	resourceDocs = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/"
	dataDocs     = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/"
)

const (
	s3ARN      = "arn:${Partition}:s3:::${Name}"
	sqsURL     = "https://sqs.${Region}.${DNSSuffix}/${Account}/${Name}"
	sqsARN     = "arn:${Partition}:sqs:${Region}:${Account}:${Name}"
	snsARN     = "arn:${Partition}:sns:${Region}:${Account}:${Name}"
	tableARN   = "arn:${Partition}:dynamodb:${Region}:${Account}:table/${Name}"
	secretARN  = "arn:${Partition}:secretsmanager:${Region}:${Account}:secret:${Name}-??????"
	paramARN   = "arn:${Partition}:ssm:${Region}:${Account}:parameter/${ParamName}"
	keyARN     = "arn:${Partition}:kms:${Region}:${Account}:key/${Name}"
	groupARN   = "arn:${Partition}:logs:${Region}:${Account}:log-group:${Name}"
	repoARN    = "arn:${Partition}:ecr:${Region}:${Account}:repository/${Name}"
	repoURL    = "${Account}.dkr.ecr.${Region}.${DNSSuffix}/${Name}"
	roleARN    = "arn:${Partition}:iam::${Account}:role${Path}${Name}"
	secretWild = "Secrets Manager ends a secret's ARN with a hyphen and six characters it generates, matched by ??????"
)

// returnValues is the one table of what references to a configuration's
// resources and data sources evaluate to: the types whose names and ARNs
// application code is given through its environment, and the roles of
// task definitions. Data sources are keyed "data.TYPE".
var returnValues = map[string]returns{
	// id: the name of the bucket; arn: "Will be of format
	// arn:aws:s3:::bucketname"; bucket_domain_name: "bucketname.s3.amazonaws.com";
	// bucket_regional_domain_name: the domain name including the region.
	"aws_s3_bucket": {doc: resourceDocs + "s3_bucket#attribute-reference", name: "bucket", attrs: map[string]string{
		"id": "${Name}", "bucket": "${Name}", "arn": s3ARN,
		"bucket_domain_name":          "${Name}.s3.${DNSSuffix}",
		"bucket_regional_domain_name": "${Name}.s3.${Region}.${DNSSuffix}",
	}},
	"data.aws_s3_bucket": {doc: dataDocs + "s3_bucket#attribute-reference", name: "bucket", attrs: map[string]string{
		"id": "${Name}", "bucket": "${Name}", "arn": s3ARN,
		"bucket_domain_name":          "${Name}.s3.${DNSSuffix}",
		"bucket_regional_domain_name": "${Name}.s3.${Region}.${DNSSuffix}",
	}},
	// arn; id: "URL for the created Amazon SQS queue"; url: "Same as id".
	"aws_sqs_queue": {doc: resourceDocs + "sqs_queue#attribute-reference", name: "name", attrs: map[string]string{
		"id": sqsURL, "url": sqsURL, "arn": sqsARN, "name": "${Name}",
	}},
	"data.aws_sqs_queue": {doc: dataDocs + "sqs_queue#attribute-reference", name: "name", attrs: map[string]string{
		"url": sqsURL, "arn": sqsARN, "name": "${Name}",
	}},
	// id: "The ARN of the SNS topic"; arn: "clone of id".
	"aws_sns_topic": {doc: resourceDocs + "sns_topic#attribute-reference", name: "name", attrs: map[string]string{
		"id": snsARN, "arn": snsARN, "name": "${Name}",
	}},
	"data.aws_sns_topic": {doc: dataDocs + "sns_topic#attribute-reference", name: "name", attrs: map[string]string{
		"id": snsARN, "arn": snsARN, "name": "${Name}",
	}},
	// arn: ARN of the table; id: name of the table; stream_arn: the
	// table's stream, labelled with a timestamp DynamoDB sets.
	"aws_dynamodb_table": {doc: resourceDocs + "dynamodb_table#attribute-reference", name: "name", attrs: map[string]string{
		"id": "${Name}", "name": "${Name}", "arn": tableARN, "stream_arn": tableARN + "/stream/*",
	}, wild: "DynamoDB names the stream with a label it generates, matched by *"},
	"data.aws_dynamodb_table": {doc: dataDocs + "dynamodb_table#attribute-reference", name: "name", attrs: map[string]string{
		"id": "${Name}", "name": "${Name}", "arn": tableARN, "stream_arn": tableARN + "/stream/*",
	}, wild: "DynamoDB names the stream with a label it generates, matched by *"},
	// id and arn: ARN of the secret (the import example:
	// arn:aws:secretsmanager:us-east-1:123456789012:secret:example-123456).
	"aws_secretsmanager_secret": {doc: resourceDocs + "secretsmanager_secret#attribute-reference", name: "name", attrs: map[string]string{
		"id": secretARN, "arn": secretARN, "name": "${Name}",
	}, wild: secretWild},
	// Arguments arn or name; id and arn: the ARN of the secret.
	"data.aws_secretsmanager_secret": {doc: dataDocs + "secretsmanager_secret#attribute-reference", name: "name", attrs: map[string]string{
		"id": secretARN, "arn": secretARN, "name": "${Name}",
	}, wild: secretWild},
	// arn: "The ARN of the secret"; secret_id: "either the Amazon Resource
	// Name (ARN) or the friendly name of the secret".
	"aws_secretsmanager_secret_version": {doc: resourceDocs + "secretsmanager_secret_version#attribute-reference", attrs: map[string]string{
		"arn": "${SecretARN:secret_id}",
	}, wild: secretWild},
	"data.aws_secretsmanager_secret_version": {doc: dataDocs + "secretsmanager_secret_version#attribute-reference", attrs: map[string]string{
		"arn": "${SecretARN:secret_id}",
	}, wild: secretWild},
	// arn: The ARN of the parameter; name.
	"aws_ssm_parameter": {doc: resourceDocs + "ssm_parameter#attribute-reference", name: "name", attrs: map[string]string{
		"arn": paramARN, "name": "${Name}",
	}},
	"data.aws_ssm_parameter": {doc: dataDocs + "ssm_parameter#attribute-reference", name: "name", attrs: map[string]string{
		"arn": paramARN, "name": "${Name}",
	}},
	// arn: ARN of the key; key_id: "The globally unique identifier for
	// the key", which KMS generates; id: the key's id.
	"aws_kms_key": {doc: resourceDocs + "kms_key#attribute-reference", attrs: map[string]string{
		"arn": keyARN, "key_id": "${Name}", "id": "${Name}",
	}, identifies: map[string]string{"key_id": keyARN, "id": keyARN}},
	// name: "alias/..."; arn: the ARN of the key alias.
	"aws_kms_alias": {doc: resourceDocs + "kms_alias#attribute-reference", name: "name", attrs: map[string]string{
		"arn": "arn:${Partition}:kms:${Region}:${Account}:${Name}", "name": "${Name}",
	}},
	// arn: "Any :* suffix added by the API ... is removed"; the log group
	// is imported by its name.
	"aws_cloudwatch_log_group": {doc: resourceDocs + "cloudwatch_log_group#attribute-reference", name: "name", attrs: map[string]string{
		"id": "${Name}", "name": "${Name}", "arn": groupARN,
	}},
	"data.aws_cloudwatch_log_group": {doc: dataDocs + "cloudwatch_log_group#attribute-reference", name: "name", attrs: map[string]string{
		"name": "${Name}", "arn": groupARN,
	}},
	// arn; registry_id; repository_url "in the form
	// aws_account_id.dkr.ecr.region.amazonaws.com/repositoryName".
	"aws_ecr_repository": {doc: resourceDocs + "ecr_repository#attribute-reference", name: "name", attrs: map[string]string{
		"arn": repoARN, "name": "${Name}", "registry_id": "${Account}", "repository_url": repoURL,
	}},
	"data.aws_ecr_repository": {doc: dataDocs + "ecr_repository#attribute-reference", name: "name", attrs: map[string]string{
		"arn": repoARN, "name": "${Name}", "registry_id": "${Account}", "repository_url": repoURL,
	}},
	// arn; id: Name of the role; name.
	"aws_iam_role": {doc: resourceDocs + "iam_role#attribute-reference", name: "name", attrs: map[string]string{
		"arn": roleARN, "id": "${Name}", "name": "${Name}",
	}, ownARN: "arn"},
	// id: the friendly role name; arn (its path is the role's, which the
	// data source reads: iamfit takes it to be /, and says so).
	"data.aws_iam_role": {doc: dataDocs + "iam_role#attribute-reference", name: "name", attrs: map[string]string{
		"arn": roleARN, "id": "${Name}", "name": "${Name}",
	}},
	// account_id: the account of the credentials.
	"data.aws_caller_identity": {doc: dataDocs + "caller_identity#attribute-reference", attrs: map[string]string{
		"account_id": "${Account}", "id": "${Account}",
	}},
	// region (and the deprecated name): the provider's region.
	"data.aws_region": {doc: dataDocs + "region#attribute-reference", attrs: map[string]string{
		"region": "${Region}", "name": "${Region}", "id": "${Region}",
	}},
	// partition and dns_suffix of the provider's region.
	"data.aws_partition": {doc: dataDocs + "partition#attribute-reference", attrs: map[string]string{
		"partition": "${Partition}", "id": "${Partition}", "dns_suffix": "${DNSSuffix}",
	}},
}
