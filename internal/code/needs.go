package code

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/source"
)

// sdkServices maps SDK service names (Go package, boto3 name, JS client
// package) to IAM service prefixes where they differ.
var sdkServices = map[string]string{
	"cloudwatchlogs": "logs", "cloudwatch-logs": "logs", "sfn": "states", "stepfunctions": "states",
	"eventbridge": "events", "elasticloadbalancingv2": "elasticloadbalancing", "elbv2": "elasticloadbalancing",
	"sesv2": "ses", "secrets-manager": "secretsmanager", "cloudwatch": "cloudwatch", "dynamodbstreams": "dynamodb",
	"lambda": "lambda", "ecr-public": "ecr-public",
}

// IAMService returns the IAM prefix of an SDK service name.
func IAMService(sdk string) string {
	if p, ok := sdkServices[sdk]; ok {
		return p
	}
	return sdk
}

// opActions lists the operations whose IAM actions are not service:Operation.
// A nil list means the call needs no permission.
var opActions = map[string][]string{
	"s3:ListObjectsV2":                 {"s3:ListBucket"},
	"s3:ListObjects":                   {"s3:ListBucket"},
	"s3:HeadObject":                    {"s3:GetObject"},
	"s3:HeadBucket":                    {"s3:ListBucket"},
	"s3:CopyObject":                    {"s3:GetObject", "s3:PutObject"},
	"s3:DeleteObjects":                 {"s3:DeleteObject"},
	"s3:CreateMultipartUpload":         {"s3:PutObject"},
	"s3:UploadPart":                    {"s3:PutObject"},
	"s3:CompleteMultipartUpload":       {"s3:PutObject"},
	"s3:UploadPartCopy":                {"s3:GetObject", "s3:PutObject"},
	"s3:ListObjectVersions":            {"s3:ListBucketVersions"},
	"s3:ListMultipartUploads":          {"s3:ListBucketMultipartUploads"},
	"s3:ListParts":                     {"s3:ListMultipartUploadParts"},
	"sqs:SendMessageBatch":             {"sqs:SendMessage"},
	"sqs:DeleteMessageBatch":           {"sqs:DeleteMessage"},
	"sqs:ChangeMessageVisibilityBatch": {"sqs:ChangeMessageVisibility"},
	"dynamodb:TransactGetItems":        {"dynamodb:GetItem"},
	"dynamodb:TransactWriteItems":      {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"},
	"sts:GetCallerIdentity":            nil,
}

// Actions returns the IAM actions an SDK call needs, or an error when the
// catalog does not know them.
func Actions(service, op string, cat *catalog.Catalog) ([]string, error) {
	prefix := IAMService(service)
	key := prefix + ":" + op
	if acts, ok := opActions[key]; ok {
		return acts, nil
	}
	a := cat.Action(key)
	if a == nil {
		return nil, fmt.Errorf("no IAM action %s for the %s call %s", key, service, op)
	}
	return []string{a.String()}, nil
}

// Context resolves what the code leaves to the environment.
type Context struct {
	Region, Account string
	// Env is the container environment from the task definition.
	Env map[string]string
}

// Param writes a parameter the way the rest of iamfit does.
func Param(name string) string { return "{{" + name + "}}" }

// value returns an argument's value: the literal, the environment
// variable's value from the task definition, or a parameter named after
// the variable (or the argument).
func (c Call) value(ctx Context, name string) (string, bool) {
	if v, ok := c.Args[name]; ok {
		return v, true
	}
	if env, ok := c.Env[name]; ok {
		if v, ok := ctx.Env[env]; ok {
			return v, true
		}
		return Param(env), true
	}
	return "", false
}

var sqsURLRe = regexp.MustCompile(`^https://(?:sqs\.)?([a-z0-9-]+)\.(?:queue\.)?amazonaws\.com/(\d{12})/([\w-]+(?:\.fifo)?)$`)

// queueARN turns a queue URL (or name) into its ARN.
func queueARN(ctx Context, v string) string {
	if m := sqsURLRe.FindStringSubmatch(v); m != nil {
		return fmt.Sprintf("arn:aws:sqs:%s:%s:%s", m[1], m[2], m[3])
	}
	if u, err := url.Parse(v); err == nil && u.Scheme != "" {
		parts := strings.Split(strings.Trim(u.Path, "/"), "/")
		if len(parts) == 2 {
			return fmt.Sprintf("arn:aws:sqs:%s:%s:%s", ctx.Region, parts[0], parts[1])
		}
	}
	if strings.HasPrefix(v, "{{") {
		return fmt.Sprintf("arn:aws:sqs:%s:%s:%s", ctx.Region, ctx.Account, v)
	}
	return fmt.Sprintf("arn:aws:sqs:%s:%s:%s", ctx.Region, ctx.Account, v)
}

// Resources returns the ARNs an action of the call touches, from its
// arguments (literal or from the environment), else with parameters.
func Resources(c Call, action string, ctx Context, cat *catalog.Catalog) []string {
	return resources(c, action, ctx, cat)
}

// resources returns the ARNs an action of the call touches.
func resources(c Call, action string, ctx Context, cat *catalog.Catalog) []string {
	get := func(name, param string) string {
		if v, ok := c.value(ctx, name); ok {
			return v
		}
		return Param(param)
	}
	a := cat.Action(action)
	if a != nil && a.WildcardOnly() {
		return []string{"*"}
	}
	r, a2 := ctx.Region, ctx.Account
	switch IAMService(c.Service) {
	case "s3":
		bucket := get("Bucket", "BucketName")
		if a != nil && supports(a, "object") {
			key := "*"
			if k, ok := c.value(ctx, "Key"); ok {
				key = k
			} else if p, ok := c.value(ctx, "Prefix"); ok {
				key = p + "*"
			}
			return []string{"arn:aws:s3:::" + bucket + "/" + key}
		}
		return []string{"arn:aws:s3:::" + bucket}
	case "sqs":
		if v, ok := c.value(ctx, "QueueUrl"); ok {
			return []string{queueARN(ctx, v)}
		}
		return []string{queueARN(ctx, get("QueueName", "QueueName"))}
	case "dynamodb":
		table := get("TableName", "TableName")
		if strings.HasPrefix(table, "arn:") {
			table = table[strings.LastIndex(table, "/")+1:]
		}
		out := []string{fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s", r, a2, table)}
		if idx, ok := c.value(ctx, "IndexName"); ok {
			out = append(out, fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s/index/%s", r, a2, table, idx))
		}
		return out
	case "ssm":
		if p, ok := c.value(ctx, "Path"); ok {
			return []string{fmt.Sprintf("arn:aws:ssm:%s:%s:parameter/%s*", r, a2, strings.TrimPrefix(p, "/"))}
		}
		n := get("Name", "ParameterName")
		if strings.HasPrefix(n, "arn:") {
			return []string{n}
		}
		return []string{fmt.Sprintf("arn:aws:ssm:%s:%s:parameter/%s", r, a2, strings.TrimPrefix(n, "/"))}
	case "secretsmanager":
		id := get("SecretId", "SecretName")
		if strings.HasPrefix(id, "arn:") {
			return []string{id}
		}
		return []string{fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:%s-??????", r, a2, id)}
	case "sns":
		return []string{get("TopicArn", "TopicArn")}
	case "cloudformation":
		return []string{fmt.Sprintf("arn:aws:cloudformation:%s:%s:stack/%s/*", r, a2, get("StackName", "StackName"))}
	case "kms":
		return []string{get("KeyId", "KeyArn")}
	}
	// Others: the action's first resource type, with parameters.
	if a != nil {
		for _, res := range a.Resources {
			if res.Type != nil {
				return []string{fillFormat(res.Type.ARN, r, a2)}
			}
		}
	}
	return []string{"*"}
}

func supports(a *catalog.Action, typ string) bool {
	for _, r := range a.Resources {
		if r.Name == typ {
			return true
		}
	}
	return false
}

var formatVar = regexp.MustCompile(`\$\{([A-Za-z0-9]+)\}`)

func fillFormat(format, region, account string) string {
	return formatVar.ReplaceAllStringFunc(format, func(m string) string {
		switch name := formatVar.FindStringSubmatch(m)[1]; name {
		case "Partition":
			return "aws"
		case "Region":
			return region
		case "Account":
			return account
		default:
			return Param(name)
		}
	})
}

// Needs turns SDK calls into needs. Calls whose actions the catalog does
// not know are reported, not guessed.
func Needs(calls []Call, ctx Context, cat *catalog.Catalog) ([]need.Need, []source.Diagnostic) {
	var out []need.Need
	var diags []source.Diagnostic
	for _, c := range calls {
		acts, err := Actions(c.Service, c.Operation, cat)
		if err != nil {
			diags = append(diags, source.Diagnostic{File: c.File, Pos: source.Pos{Line: c.Line, Col: 1},
				Severity: source.Warning, Message: err.Error() + "; its needs are not included", Check: "unknown-call"})
			continue
		}
		for _, act := range acts {
			for _, res := range resources(c, act, ctx, cat) {
				out = append(out, need.Need{Action: act, Resource: res,
					Why:  fmt.Sprintf("%s %s.%s", c.Lang, c.Service, c.Operation),
					File: c.File, Pos: source.Pos{Line: c.Line, Col: 1}})
			}
		}
	}
	return out, diags
}
