package calls

import "strings"

// argNames are the surface spellings of parameters that are not the API
// name in another case: CloudTrail logs S3's Bucket as bucketName and
// CopyObject's source as its HTTP header.
var argNames = map[string]string{
	"bucketName":        "Bucket",
	"x-amz-copy-source": "CopySource",
}

// ArgName returns the API parameter name, in Pascal case, of a surface's
// spelling: an aws CLI option ("queue-url", "table-name"), a CloudTrail
// request parameter ("queueUrl", "bucketName") or a boto3 keyword
// ("TableName").
func ArgName(s string) string {
	if n, ok := argNames[s]; ok {
		return n
	}
	return Operation(s)
}

// Operation returns the API form of an operation name: "head-object"
// (aws CLI), "head_object" (boto3) and "HeadObject" all give "HeadObject";
// "list-objects-v2" gives "ListObjectsV2".
func Operation(s string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}
