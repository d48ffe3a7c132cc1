variable "service" {
  type = string
}

data "aws_iam_policy_document" "deploy" {
  statement {
    sid       = "Push"
    actions   = ["ecr:GetAuthorisationToken", "ecr:PutImage"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "task" {
  name = "task"
  role = "task"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["esc:RunTask", "${var.service}:Get*"]
      Resource = "arn:aws:ecs:us-east-1:123456789012:task-definition/app:*"
    }]
  })
}

resource "aws_iam_policy" "read" {
  name   = "read"
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "arn:aws:s3:::b/$${aws:username}/*"}
  ]
}
EOF
}

resource "aws_iam_policy" "from_data" {
  name   = "deploy"
  policy = data.aws_iam_policy_document.deploy.json
}
