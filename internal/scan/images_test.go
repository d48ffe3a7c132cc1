package scan

import (
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/need"
)

// TestImageAttribution: the task role gets the code its image is built
// from (the workflow's docker build -f FILE CONTEXT, the Dockerfile's
// COPY sources), not the repository's other code.
func TestImageAttribution(t *testing.T) {
	steps := `      - run: docker build -f services/api/Dockerfile -t $REGISTRY/api:${{ github.sha }} .
      - uses: aws-actions/amazon-ecs-deploy-task-definition@v2
        with:
          task-definition: td.json
          cluster: prod
          service: api
`
	res := analyzeSteps(t, steps, map[string]string{
		"td.json": `{"family": "api", "executionRoleArn": "arn:aws:iam::111122223333:role/api-exec", "taskRoleArn": "api-task",
 "containerDefinitions": [{"name": "server", "image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:1"}]}`,
		"services/api/Dockerfile":   "FROM python:3.12\nCOPY services/api/ /app/\nCOPY lib/ /app/lib/\n",
		"services/api/main.py":      "import boto3\nboto3.client('sqs').send_message(QueueUrl='https://sqs.eu-west-1.amazonaws.com/111122223333/jobs')\n",
		"services/admin/main.py":    "import boto3\nboto3.client('s3').delete_bucket(Bucket='everything')\n",
		"services/admin/Dockerfile": "FROM python:3.12\nCOPY . /app/\n",
		"lib/notify.py":             "import boto3\nboto3.client('sns').publish(TopicArn='arn:aws:sns:eu-west-1:111122223333:news')\n",
		"tools/backfill.py":         "import boto3\nboto3.client('dynamodb').scan(TableName='orders')\n",
	})
	var task *need.Role
	for _, r := range res.Roles {
		if r.Kind == need.Task {
			task = r
		}
	}
	if task == nil {
		t.Fatal("no task role")
	}
	got := strings.Join(needStrings(task), "\n")
	want := "sns:Publish arn:aws:sns:eu-west-1:111122223333:news\nsqs:SendMessage arn:aws:sqs:eu-west-1:111122223333:jobs"
	if got != want {
		t.Errorf("task role:\n%s\nwant:\n%s", got, want)
	}
}

func TestRunBuilds(t *testing.T) {
	bs := runBuilds("docker buildx build --platform linux/amd64 \\\n  -t $R/web:1 --push -f docker/web.Dockerfile ./web && docker push x")
	if len(bs) != 1 || bs[0].file != "docker/web.Dockerfile" || bs[0].context != "./web" || strings.Join(bs[0].repos, ",") != "web" {
		t.Errorf("builds = %+v", bs)
	}
}
