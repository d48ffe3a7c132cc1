package cloudtrail

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"time"
)

// SyntheticOptions shape a synthetic log.
type SyntheticOptions struct {
	Records int
	Seed    int64
	Account string
	Region  string
	Role    string // the deploy role whose session makes most calls
	Start   time.Time
	// Lookup writes the output of aws cloudtrail lookup-events
	// ({"Events": [{"EventId": ..., "CloudTrailEvent": "<record JSON>"}]})
	// instead of a log file as S3 delivers it.
	Lookup bool
}

// Synthetic writes a CloudTrail log ({"Records": [...]}) of a deploy
// pipeline's life: ECR pushes, ECS deploys, a few calls denied with their
// messages, other principals' noise, and failed web identity (GitHub,
// through the account's IAM OIDC provider) and SAML assumptions, in the
// forms CloudTrail writes them (see WebIdentityOf).
// The same options always give the same bytes.
func Synthetic(w io.Writer, o SyntheticOptions) error {
	rnd := rand.New(rand.NewSource(o.Seed))
	if o.Account == "" {
		o.Account = "123456789012"
	}
	if o.Region == "" {
		o.Region = "us-east-1"
	}
	if o.Role == "" {
		o.Role = "gh-deploy"
	}
	if o.Start.IsZero() {
		o.Start = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	}
	roleARN := "arn:aws:iam::" + o.Account + ":role/" + o.Role
	session := "arn:aws:sts::" + o.Account + ":assumed-role/" + o.Role + "/GitHubActions"
	type ev = map[string]any
	identity := func(arnStr, issuer string) ev {
		id := ev{"type": "AssumedRole", "principalId": "AROAEXAMPLE:GitHubActions", "arn": arnStr, "accountId": o.Account}
		if issuer != "" {
			id["sessionContext"] = ev{"sessionIssuer": ev{"type": "Role", "arn": issuer, "accountId": o.Account}}
		}
		return id
	}
	head, tail := `{"Records":[`, "]}\n"
	if o.Lookup {
		head, tail = `{"Events":[`, "],\"NextToken\":null}\n"
	}
	if _, err := io.WriteString(w, head); err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	// A second source gives the fields that differ in every real event
	// (ids, addresses, session dates), so that the logs compress about as
	// well as real ones (around 10:1) without changing the event mix.
	noise := rand.New(rand.NewSource(o.Seed + 1))
	uuid := func() string {
		return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", noise.Uint32(), noise.Intn(1<<16), noise.Intn(1<<16), noise.Intn(1<<16), noise.Int63n(1<<48))
	}
	for i := 0; i < o.Records; i++ {
		t := o.Start.Add(time.Duration(i) * 7 * time.Second)
		rec := ev{
			"eventVersion":       "1.08",
			"eventTime":          t.Format(time.RFC3339),
			"awsRegion":          o.Region,
			"sourceIPAddress":    fmt.Sprintf("%d.%d.%d.%d", 20+noise.Intn(200), noise.Intn(256), noise.Intn(256), noise.Intn(256)),
			"userAgent":          "aws-sdk-js/3.0 GitHubActions",
			"recipientAccountId": o.Account,
			"eventID":            uuid(),
			"requestID":          uuid(),
			"eventType":          "AwsApiCall",
			"readOnly":           false,
			"managementEvent":    true,
			"eventCategory":      "Management",
			"tlsDetails": ev{"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
				"clientProvidedHostHeader": "api." + o.Region + ".amazonaws.com"},
			"responseElements": ev{"requestId": uuid(), "sessionToken": fmt.Sprintf("%016x%016x", noise.Uint64(), noise.Uint64())},
		}
		switch k := rnd.Intn(20); {
		case k < 5:
			rec["eventSource"], rec["eventName"] = "ecr.amazonaws.com", "GetAuthorizationToken"
			rec["userIdentity"] = identity(session, roleARN)
			rec["requestParameters"] = ev{}
		case k < 10:
			names := []string{"InitiateLayerUpload", "UploadLayerPart", "CompleteLayerUpload", "PutImage", "BatchCheckLayerAvailability"}
			rec["eventSource"], rec["eventName"] = "ecr.amazonaws.com", names[rnd.Intn(len(names))]
			rec["userIdentity"] = identity(session, roleARN)
			rec["requestParameters"] = ev{"repositoryName": "web", "registryId": o.Account}
			rec["resources"] = []ev{{"ARN": "arn:aws:ecr:" + o.Region + ":" + o.Account + ":repository/web", "accountId": o.Account}}
		case k < 12:
			rec["eventSource"], rec["eventName"] = "ecs.amazonaws.com", "RegisterTaskDefinition"
			rec["userIdentity"] = identity(session, roleARN)
			rec["requestParameters"] = ev{"family": "web", "executionRoleArn": "arn:aws:iam::" + o.Account + ":role/web-execution",
				"taskRoleArn": "arn:aws:iam::" + o.Account + ":role/web-task", "containerDefinitions": []ev{{"name": "web", "image": "x"}}}
		case k < 15:
			name := []string{"UpdateService", "DescribeServices"}[rnd.Intn(2)]
			rec["eventSource"], rec["eventName"] = "ecs.amazonaws.com", name
			rec["userIdentity"] = identity(session, roleARN)
			if name == "UpdateService" {
				rec["requestParameters"] = ev{"cluster": "prod", "service": "web", "taskDefinition": "web:42"}
			} else {
				rec["requestParameters"] = ev{"cluster": "prod", "services": []string{"web"}}
			}
		case k < 16:
			rec["eventSource"], rec["eventName"] = "ecs.amazonaws.com", "DeleteService"
			rec["userIdentity"] = identity(session, roleARN)
			rec["requestParameters"] = ev{"cluster": "prod", "service": "web"}
			rec["errorCode"] = "AccessDeniedException"
			rec["errorMessage"] = "User: " + session + " is not authorized to perform: ecs:DeleteService on resource: arn:aws:ecs:" + o.Region + ":" + o.Account + ":service/prod/web because no identity-based policy allows the ecs:DeleteService action"
		case k < 17 && i%5 == 4:
			// A person's console federation through the company's SAML
			// provider, refused by the role's trust policy.
			rec["eventSource"], rec["eventName"] = "sts.amazonaws.com", "AssumeRoleWithSAML"
			rec["userIdentity"] = ev{"type": "SAMLUser", "principalId": "Kx2cW9ExampleQ1/8Zr3Tn0=:jdoe@example.com",
				"userName": "jdoe@example.com", "identityProvider": "Kx2cW9ExampleQ1/8Zr3Tn0="}
			rec["requestParameters"] = ev{"roleArn": "arn:aws:iam::" + o.Account + ":role/admin", "roleSessionName": "jdoe@example.com",
				"principalArn": "arn:aws:iam::" + o.Account + ":saml-provider/corp-idp", "sAMLAssertionID": "_" + uuid(), "durationSeconds": 3600}
			rec["responseElements"] = nil
			rec["errorCode"] = "AccessDenied"
			rec["errorMessage"] = "Not authorized to perform sts:AssumeRoleWithSAML"
		case k < 17:
			// GitHub's tokens go through the account's IAM OIDC provider:
			// CloudTrail names its ARN, and the principal id starts with it.
			sub := []string{"repo:octo-org/web:ref:refs/heads/feature-x", "repo:octo-org/web:pull_request", "repo:octo-org/web:ref:refs/heads/main"}[rnd.Intn(3)]
			provider := "arn:aws:iam::" + o.Account + ":oidc-provider/token.actions.githubusercontent.com"
			rec["eventSource"], rec["eventName"] = "sts.amazonaws.com", "AssumeRoleWithWebIdentity"
			rec["userIdentity"] = ev{"type": "WebIdentityUser", "principalId": provider + ":sts.amazonaws.com:" + sub,
				"userName": sub, "identityProvider": provider}
			rec["requestParameters"] = ev{"roleArn": roleARN, "roleSessionName": "GitHubActions"}
			rec["responseElements"] = nil
			rec["additionalEventData"] = ev{"identityProviderConnectionVerificationMethod": "IAMTrustStore"}
			rec["errorCode"] = "AccessDenied"
			rec["errorMessage"] = "Not authorized to perform sts:AssumeRoleWithWebIdentity"
		default:
			rec["eventSource"], rec["eventName"] = "s3.amazonaws.com", "GetObject"
			rec["userIdentity"] = identity("arn:aws:sts::"+o.Account+":assumed-role/analytics/job", "arn:aws:iam::"+o.Account+":role/analytics")
			rec["requestParameters"] = ev{"bucketName": "reports", "key": fmt.Sprintf("daily/%d.csv", i)}
		}
		if i > 0 {
			if _, err := io.WriteString(w, ","); err != nil {
				return err
			}
		}
		if o.Lookup {
			raw, err := json.Marshal(rec)
			if err != nil {
				return err
			}
			rec = ev{"EventId": rec["eventID"], "EventName": rec["eventName"], "ReadOnly": "false",
				"EventTime": rec["eventTime"], "EventSource": rec["eventSource"], "Resources": []ev{},
				"CloudTrailEvent": string(raw)}
		}
		if err := enc.Encode(rec); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, tail)
	return err
}
