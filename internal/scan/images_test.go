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
	if len(bs) != 1 || bs[0].file != "docker/web.Dockerfile" || bs[0].context != "web" || strings.Join(bs[0].repos, ",") != "web" {
		t.Errorf("builds = %+v", bs)
	}
}

func TestRunBuildsFollowCd(t *testing.T) {
	bs := runBuildsIn("cd backend\ndocker build -t $R/api:$SHA .\ncd ..\ndocker build -f ./$SVC/Dockerfile .\n", "services")
	if len(bs) != 2 || bs[0].context != "services/backend" || bs[0].file != "" || bs[1].context != "services" || bs[1].file != "services/$SVC/Dockerfile" {
		t.Errorf("builds = %+v", bs)
	}
	for in, want := range map[string]string{"./$SVC/Dockerfile": "./*/Dockerfile", "${A}-${{ inputs.b }}/x": "*-*/x", "plain": "plain"} {
		if got := shellGlob(in); got != want {
			t.Errorf("shellGlob(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestUnclaimedImages: the code of an image no task definition in the
// repository runs is never dropped: a workflow that builds it and deploys
// to ECS gives it a task role named by a parameter; otherwise its calls
// are said. A placeholder image is one iamfit cannot resolve, not a
// public image: the task gets the unclaimed builds' code.
func TestUnclaimedImages(t *testing.T) {
	deploy := head + `      - run: |
          docker build -f ./$SVC/Dockerfile -t 111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1 .
          aws ecs update-service --cluster c --service s --force-new-deployment
`
	worker := "import boto3\nboto3.client('sqs').send_message(QueueUrl='https://sqs.eu-west-1.amazonaws.com/111122223333/jobs')\n"
	tests := []struct {
		name   string
		files  map[string]string
		role   string // the task role's ARN suffix, "" for none
		needs  string
		warned string
	}{
		{"built for an ECS deploy: a parameter role", map[string]string{
			".github/workflows/d.yml": deploy, "worker/Dockerfile": "FROM python:3\nCOPY . .\n", "worker/main.py": worker,
		}, "{{TaskRoleArn_worker}}", "sqs:SendMessage arn:aws:sqs:eu-west-1:111122223333:jobs", "go to the task role {{TaskRoleArn_worker}}"},
		{"no ECS deploy: said, in no role", map[string]string{
			"worker/Dockerfile": "FROM python:3\nCOPY . .\n", "worker/main.py": worker,
		}, "", "", "its calls are in no role"},
		{"placeholder image", map[string]string{
			"ops/td.json":       `{"family": "w", "taskRoleArn": "w-task", "containerDefinitions": [{"name": "w", "image": "REPLACE_ME_IMAGE"}]}`,
			"worker/Dockerfile": "FROM python:3\nCOPY . .\n", "worker/main.py": worker,
		}, ":role/w-task", "sqs:SendMessage arn:aws:sqs:eu-west-1:111122223333:jobs", ""},
		{"public image: not the repository's code", map[string]string{
			"ops/td.json":       `{"family": "w", "taskRoleArn": "w-task", "containerDefinitions": [{"name": "cache", "image": "redis:7"}]}`,
			"worker/Dockerfile": "FROM python:3\nCOPY . .\n", "worker/main.py": worker,
		}, ":role/w-task", "", "its calls are in no role"},
		{"task definition without a task role", map[string]string{
			"ops/td.json":       `{"family": "worker", "executionRoleArn": "arn:aws:iam::111122223333:role/x", "containerDefinitions": [{"name": "worker", "image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/worker:1"}]}`,
			"worker/Dockerfile": "FROM python:3\nCOPY . .\n", "worker/main.py": worker,
		}, "", "", "has no taskRoleArn, but the code of its image"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := repo(t, Options{}, tt.files)
			var task *need.Role
			for _, r := range res.Roles {
				if r.Kind == need.Task {
					task = r
				}
			}
			switch {
			case tt.role == "" && task != nil:
				t.Errorf("task role %s, want none", task.ARN)
			case tt.role != "" && (task == nil || !strings.HasSuffix(task.ARN, tt.role)):
				t.Errorf("task role %v, want %s", task, tt.role)
			case task != nil:
				if got := strings.Join(needStrings(task), "\n"); got != tt.needs {
					t.Errorf("needs:\n%s\nwant:\n%s", got, tt.needs)
				}
			}
			var warned []string
			for _, d := range res.Diagnostics {
				if d.Check == "task-role-code" {
					warned = append(warned, d.Message)
				}
			}
			if tt.warned == "" && len(warned) > 0 || tt.warned != "" && (len(warned) != 1 || !strings.Contains(warned[0], tt.warned)) {
				t.Errorf("task-role-code warnings %q, want one with %q", warned, tt.warned)
			}
		})
	}
}

// TestMonorepoImages: images built from the repository root that copy
// all of it run their own directory's code and the shared packages, not
// the other images' directories.
func TestMonorepoImages(t *testing.T) {
	steps := `      - run: |
          docker build -f web/Dockerfile -t 111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1 .
          docker build -f worker/Dockerfile -t 111122223333.dkr.ecr.eu-west-1.amazonaws.com/worker:1 .
`
	td := func(name string) string {
		return `{"family": "` + name + `", "taskRoleArn": "` + name + `-task", "containerDefinitions": [{"name": "` + name + `", "image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/` + name + `:1"}]}`
	}
	res := analyzeSteps(t, steps, map[string]string{
		"ops/web.json": td("web"), "ops/worker.json": td("worker"),
		"web/Dockerfile":       "FROM node:22\nCOPY . .\n",
		"worker/Dockerfile":    "FROM node:22\nCOPY . .\n",
		"web/src/a.ts":         "import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';\nnew SendMessageCommand({ QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/jobs' });\n",
		"worker/src/b.ts":      "import { SQSClient, DeleteMessageCommand } from '@aws-sdk/client-sqs';\nnew DeleteMessageCommand({ QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/jobs' });\n",
		"packages/shared/s.ts": "import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';\nnew GetObjectCommand({ Bucket: 'media', Key: 'k' });\n",
	})
	for role, want := range map[string]string{
		":role/web-task":    "s3:GetObject arn:aws:s3:::media/k\nsqs:SendMessage arn:aws:sqs:eu-west-1:111122223333:jobs",
		":role/worker-task": "s3:GetObject arn:aws:s3:::media/k\nsqs:DeleteMessage arn:aws:sqs:eu-west-1:111122223333:jobs",
	} {
		if got := strings.Join(needStrings(roleByARN(t, res, role)), "\n"); got != want {
			t.Errorf("%s:\n%s\nwant:\n%s", role, got, want)
		}
	}
}

func TestPlaceholderRegion(t *testing.T) {
	res := repo(t, Options{}, map[string]string{
		"td.json": `{"family": "w", "taskRoleArn": "w-task", "containerDefinitions": [{"name": "w", "image": "REPLACE_ME_IMAGE",
  "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "g", "awslogs-region": "REPLACE_ME_REGION"}}}]}`,
		"app/Dockerfile": "FROM python:3\nCOPY . .\n",
		"app/main.py":    "import boto3\nboto3.client('dynamodb').get_item(TableName='t', Key={})\n",
	})
	if got, want := strings.Join(needStrings(roleByARN(t, res, ":role/w-task")), "\n"), "dynamodb:GetItem arn:aws:dynamodb:{{Region}}:{{AccountId}}:table/t"; got != want {
		t.Errorf("task role:\n%s\nwant:\n%s", got, want)
	}
}
