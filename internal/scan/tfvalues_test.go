package scan

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/source"
)

const tfResources = `variable "env" {
  default = "prod"
}

resource "aws_s3_bucket" "uploads" {
  bucket = "acme-${var.env}-uploads"
}

resource "aws_s3_bucket" "scratch" {}

resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_sns_topic" "done" {}

resource "aws_dynamodb_table" "orders" {
  name = "orders"
}

resource "aws_secretsmanager_secret" "db" {
  name = "app/db"
}

resource "aws_kms_key" "key" {}

resource "aws_iam_role" "task" {
  name = "app-task"
}

resource "aws_iam_role" "exec" {}

resource "aws_ecs_task_definition" "app" {
  family             = "app"
  task_role_arn      = aws_iam_role.task.arn
  execution_role_arn = aws_iam_role.exec.arn
  container_definitions = jsonencode([{
    name  = "app"
    image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1"
    secrets = [{ name = "DB", valueFrom = aws_secretsmanager_secret.db.arn }]
    environment = [
`

// TestTerraformValueFlow: a task definition's environment, set from the
// configuration's resources, reaches the code's environment look-ups as
// the names and ARNs Terraform gives them (tf's returnValues table); the
// roles are the configuration's, the execution role's secret read is the
// secret's ARN.
func TestTerraformValueFlow(t *testing.T) {
	rows := []struct {
		env, call, want string
	}{
		// .bucket is the bucket's name: its default-built name; with no
		// bucket argument, a parameter named after the reference.
		{"aws_s3_bucket.uploads.bucket", `s3.put_object(Bucket=os.environ["V0"], Key="a.txt", Body=b"")`, "s3:PutObject arn:aws:s3:::acme-prod-uploads/a.txt"},
		{"aws_s3_bucket.scratch.id", `s3.get_object(Bucket=os.environ["V1"], Key="b")`, "s3:GetObject arn:aws:s3:::{{aws_s3_bucket.scratch.bucket}}/b"},
		// .url of a queue is its URL.
		{"aws_sqs_queue.jobs.url", `sqs.send_message(QueueUrl=os.environ["V2"], MessageBody="x")`, "sqs:SendMessage arn:aws:sqs:eu-west-1:111122223333:jobs"},
		// .arn of a topic Terraform names.
		{"aws_sns_topic.done.arn", `sns.publish(TopicArn=os.environ["V3"], Message="x")`, "sns:Publish arn:aws:sns:eu-west-1:111122223333:{{aws_sns_topic.done.name}}"},
		{"aws_dynamodb_table.orders.name", `ddb.get_item(TableName=os.environ["V4"], Key={})`, "dynamodb:GetItem arn:aws:dynamodb:eu-west-1:111122223333:table/orders"},
		{"aws_dynamodb_table.orders.arn", `ddb.put_item(TableName=os.environ["V5"], Item={})`, "dynamodb:PutItem arn:aws:dynamodb:eu-west-1:111122223333:table/orders"},
		// .arn of a secret ends in six characters Secrets Manager generates.
		{"aws_secretsmanager_secret.db.arn", `sm.get_secret_value(SecretId=os.environ["V6"])`, "secretsmanager:GetSecretValue arn:aws:secretsmanager:eu-west-1:111122223333:secret:app/db-??????"},
		// .arn of a key: the id KMS generates is a parameter.
		{"aws_kms_key.key.arn", `kms.decrypt(KeyId=os.environ["V7"], CiphertextBlob=b"")`, "kms:Decrypt arn:aws:kms:eu-west-1:111122223333:key/{{aws_kms_key.key.id}}"},
		{`"${aws_s3_bucket.uploads.bucket}"`, `s3.delete_object(Bucket=os.environ["V8"], Key="c")`, "s3:DeleteObject arn:aws:s3:::acme-prod-uploads/c"},
		// .key_id names the key (arn:...:key/ID).
		{"aws_kms_key.key.key_id", `kms.generate_data_key(KeyId=os.environ["V9"], KeySpec="AES_256")`, "kms:GenerateDataKey arn:aws:kms:eu-west-1:111122223333:key/{{aws_kms_key.key.id}}"},
	}
	var tfText, code strings.Builder
	tfText.WriteString(tfResources)
	code.WriteString("import os\nimport boto3\ns3 = boto3.client('s3')\nsqs = boto3.client('sqs')\nsns = boto3.client('sns')\nddb = boto3.client('dynamodb')\nsm = boto3.client('secretsmanager')\nkms = boto3.client('kms')\n")
	var want []string
	for i, r := range rows {
		fmt.Fprintf(&tfText, "      { name = \"V%d\", value = %s },\n", i, r.env)
		code.WriteString(r.call + "\n")
		want = append(want, r.want)
	}
	tfText.WriteString("    ]\n  }])\n}\n")
	sort.Strings(want)
	dir := t.TempDir()
	for name, body := range map[string]string{"terraform/main.tf": tfText.String(), "app/main.py": code.String(),
		".github/workflows/w.yml": head + "      - run: aws ecs update-service --cluster c --service app --force-new-deployment\n"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Analyze(Options{Dir: dir, Repo: "o/r"})
	if err != nil {
		t.Fatal(err)
	}
	var task, exec *need.Role
	for _, r := range res.Roles {
		switch r.Kind {
		case need.Task:
			task = r
		case need.Execution:
			exec = r
		}
	}
	if task == nil || exec == nil {
		t.Fatalf("no task or execution role in %v", res.Roles)
	}
	if task.ARN != "arn:aws:iam::111122223333:role/app-task" {
		t.Errorf("task role %s, want the role named app-task in the deploy's account", task.ARN)
	}
	if exec.ARN != "{{aws_iam_role.exec.arn}}" {
		t.Errorf("execution role %s, want the parameter of the role Terraform names", exec.ARN)
	}
	if got := needStrings(task); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("task role needs:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	if got := strings.Join(needStrings(exec), "\n"); !strings.Contains(got, "secretsmanager:GetSecretValue arn:aws:secretsmanager:eu-west-1:111122223333:secret:app/db-??????") {
		t.Errorf("execution role needs lack the secret's read:\n%s", got)
	}
	// What the values assume is said at the values.
	var notes []string
	for _, d := range res.Diagnostics {
		if d.Check == "terraform-value" {
			if d.Severity != source.Info {
				t.Errorf("%s: not info", d)
			}
			notes = append(notes, d.String())
		}
	}
	for _, w := range []string{
		"environment V0: var.env is its default",
		"environment V1: aws_s3_bucket.scratch sets no bucket: Terraform generates the name",
		"environment V6: aws_secretsmanager_secret.db: Secrets Manager ends a secret's ARN",
		"environment V7: aws_kms_key.key: AWS generates its identifier",
		"execution_role_arn: aws_iam_role.exec: Terraform names the role",
	} {
		if !strings.Contains(strings.Join(notes, "\n"), w) {
			t.Errorf("notes lack %q:\n%s", w, strings.Join(notes, "\n"))
		}
	}
}

// TestTerraformVarsSet: a variable that a workflow sets at apply is a
// parameter, not its default; a -var-file of the repository gives its
// values, one iamfit cannot read makes every variable a parameter.
func TestTerraformVarsSet(t *testing.T) {
	tfText := `variable "bucket" {
  default = "dev-bucket"
}
variable "queue" {
  default = "dev-queue"
}
resource "aws_ecs_task_definition" "app" {
  family        = "app"
  task_role_arn = "arn:aws:iam::111122223333:role/app"
  container_definitions = jsonencode([{
    name        = "app"
    image       = "nginx"
    environment = [{ name = "BUCKET", value = var.bucket }, { name = "QUEUE", value = var.queue }]
  }])
}
`
	code := "import os\nimport boto3\ns3 = boto3.client('s3')\nsqs = boto3.client('sqs')\n" +
		"s3.get_object(Bucket=os.environ['BUCKET'], Key='k')\nsqs.send_message(QueueUrl=os.environ['QUEUE'], MessageBody='x')\n"
	for _, tc := range []struct{ name, run, want string }{
		{"-var-file of the repository", "terraform apply -var-file=${{ github.workspace }}/env/prod.tfvars", "s3:GetObject arn:aws:s3:::prod-bucket/k\nsqs:SendMessage arn:aws:sqs:eu-west-1:111122223333:dev-queue"},
		{"defaults", "terraform apply -auto-approve", "s3:GetObject arn:aws:s3:::dev-bucket/k\nsqs:SendMessage arn:aws:sqs:eu-west-1:111122223333:dev-queue"},
		{"TF_VAR", "TF_VAR_bucket=prod-bucket terraform apply -auto-approve", "s3:GetObject arn:aws:s3:::{{bucket}}/k\nsqs:SendMessage arn:aws:sqs:eu-west-1:111122223333:dev-queue"},
		{"-var", "terraform apply -var queue=prod-queue -auto-approve", "s3:GetObject arn:aws:s3:::dev-bucket/k\nsqs:SendMessage arn:aws:sqs:eu-west-1:111122223333:{{queue}}"},
		{"-var-file", "terraform apply -var-file=${{ inputs.env }}.tfvars", "s3:GetObject arn:aws:s3:::{{bucket}}/k\nsqs:SendMessage arn:aws:sqs:eu-west-1:111122223333:{{queue}}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, body := range map[string]string{"main.tf": tfText, "app/main.py": code, "env/prod.tfvars": "bucket = \"prod-bucket\"\n",
				".github/workflows/w.yml": head + "      - run: " + tc.run + "\n"} {
				p := filepath.Join(dir, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			res, err := Analyze(Options{Dir: dir, Repo: "o/r"})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range res.Roles {
				if r.Kind == need.Task {
					got := needStrings(r)
					sort.Strings(got)
					if strings.Join(got, "\n") != tc.want {
						t.Errorf("task role needs:\n%s\nwant:\n%s", strings.Join(got, "\n"), tc.want)
					}
					return
				}
			}
			t.Fatal("no task role")
		})
	}
}

// TestTerraformFamilies: two root modules that declare one family with
// different roles are two task definitions (dev and prod); one family a
// workflow deploys from its own file is the workflow's, and the output
// says the Terraform definition is not read.
func TestTerraformFamilies(t *testing.T) {
	env := func(name string) string {
		return `module "app" {
  source = "../../modules/app"
  env    = "` + name + `"
}
`
	}
	files := map[string]string{
		"envs/dev/main.tf":  env("dev"),
		"envs/prod/main.tf": env("prod"),
		"modules/app/main.tf": `variable "env" {}
resource "aws_iam_role" "task" {
  name = "app-${var.env}"
}
resource "aws_ecs_task_definition" "app" {
  family        = "app"
  task_role_arn = aws_iam_role.task.arn
  container_definitions = jsonencode([{ name = "app", image = "nginx" }])
}
resource "aws_ecs_task_definition" "web" {
  family        = "web"
  task_role_arn = aws_iam_role.task.arn
  container_definitions = jsonencode([{ name = "web", image = "nginx" }])
}
`,
		"ecs/web.json": `{"family": "web", "taskRoleArn": "arn:aws:iam::111122223333:role/web-from-file",
  "containerDefinitions": [{"name": "web", "image": "nginx"}]}`,
		".github/workflows/w.yml": head + `      - uses: aws-actions/amazon-ecs-deploy-task-definition@v2
        with:
          task-definition: ecs/web.json
          service: web
          cluster: c
`,
	}
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Analyze(Options{Dir: dir, Repo: "o/r"})
	if err != nil {
		t.Fatal(err)
	}
	var tasks []string
	for _, r := range res.Roles {
		if r.Kind == need.Task {
			tasks = append(tasks, r.ARN)
		}
	}
	sort.Strings(tasks)
	want := "arn:aws:iam::111122223333:role/app-dev arn:aws:iam::111122223333:role/app-prod arn:aws:iam::111122223333:role/web-from-file"
	if strings.Join(tasks, " ") != want {
		t.Errorf("task roles %q, want %s", tasks, want)
	}
	said := 0
	for _, d := range res.Diagnostics {
		if strings.Contains(d.Message, "family web is the one the workflows or a template deploy") {
			said++
		}
	}
	if said != 1 { // the two calls' notes are one: the same module, line and message
		t.Errorf("the web family's Terraform definition is not said to be the workflow's: %d notes", said)
	}
}
