terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

data "aws_caller_identity" "current" {
}

variable "done" {
  type        = string
  description = "Not determined by the repository's files (iamfit parameter Done)"
}

variable "env" {
  type        = string
  description = "Not determined by the repository's files (iamfit parameter Env)"
}

variable "events_key" {
  type        = string
  description = "Not determined by the repository's files (iamfit parameter EventsKey)"
}

data "aws_partition" "current" {
}

data "aws_region" "current" {
}

variable "scratch" {
  type        = string
  description = "Not determined by the repository's files (iamfit parameter Scratch)"
}

resource "aws_iam_openid_connect_provider" "github" {
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}

resource "aws_iam_role" "execution_role" {
  assume_role_policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [{
      "Sid"    = "EcsTasks"
      "Effect" = "Allow"
      "Principal" = {
        "Service" = "ecs-tasks.amazonaws.com"
      }
      "Action" = "sts:AssumeRole"
      "Condition" = {
        "ArnLike" = {
          "aws:SourceArn" = "arn:${data.aws_partition.current.partition}:ecs:${data.aws_region.current.id}:${data.aws_caller_identity.current.account_id}:*"
        }
        "StringEquals" = {
          "aws:SourceAccount" = data.aws_caller_identity.current.account_id
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "execution_role" {
  name = "iamfit-generated"
  role = aws_iam_role.execution_role.id
  policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [{
      "Sid"      = "EcrAnyResource"
      "Effect"   = "Allow"
      "Action"   = "ecr:GetAuthorizationToken"
      "Resource" = "*"
      }, {
      "Sid"      = "EcrRepository"
      "Effect"   = "Allow"
      "Action"   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
      "Resource" = ["arn:${data.aws_partition.current.partition}:ecr:${data.aws_region.current.id}:${data.aws_caller_identity.current.account_id}:repository/api", "arn:${data.aws_partition.current.partition}:ecr:${data.aws_region.current.id}:${data.aws_caller_identity.current.account_id}:repository/reports", "arn:${data.aws_partition.current.partition}:ecr:${data.aws_region.current.id}:${data.aws_caller_identity.current.account_id}:repository/worker"]
      }, {
      "Sid"      = "LogsLogStream"
      "Effect"   = "Allow"
      "Action"   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      "Resource" = ["arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.id}:${data.aws_caller_identity.current.account_id}:log-group:/ecs/shop-${var.env}:log-stream:api/*", "arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.id}:${data.aws_caller_identity.current.account_id}:log-group:/ecs/shop-${var.env}:log-stream:reports/*", "arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.id}:${data.aws_caller_identity.current.account_id}:log-group:/ecs/shop-${var.env}:log-stream:worker/*"]
      }, {
      "Sid"      = "SecretsmanagerSecret"
      "Effect"   = "Allow"
      "Action"   = "secretsmanager:GetSecretValue"
      "Resource" = "arn:${data.aws_partition.current.partition}:secretsmanager:${data.aws_region.current.id}:${data.aws_caller_identity.current.account_id}:secret:${var.env}/payments-api-key-??????"
    }]
  })
}

resource "aws_iam_role" "worker_role" {
  assume_role_policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [{
      "Sid"    = "EcsTasks"
      "Effect" = "Allow"
      "Principal" = {
        "Service" = "ecs-tasks.amazonaws.com"
      }
      "Action" = "sts:AssumeRole"
      "Condition" = {
        "ArnLike" = {
          "aws:SourceArn" = "arn:${data.aws_partition.current.partition}:ecs:${data.aws_region.current.id}:${data.aws_caller_identity.current.account_id}:*"
        }
        "StringEquals" = {
          "aws:SourceAccount" = data.aws_caller_identity.current.account_id
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "worker_role" {
  name = "iamfit-generated"
  role = aws_iam_role.worker_role.id
  policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [{
      "Sid"      = "DynamodbTable"
      "Effect"   = "Allow"
      "Action"   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
      "Resource" = "arn:${data.aws_partition.current.partition}:dynamodb:${data.aws_region.current.id}:${data.aws_caller_identity.current.account_id}:table/${var.env}-orders"
      }, {
      "Sid"      = "KmsKey"
      "Effect"   = "Allow"
      "Action"   = "kms:Encrypt"
      "Resource" = "arn:${data.aws_partition.current.partition}:kms:${data.aws_region.current.id}:${data.aws_caller_identity.current.account_id}:key/${var.events_key}"
      }, {
      "Sid"      = "S3ObjectGetObject"
      "Effect"   = "Allow"
      "Action"   = "s3:GetObject"
      "Resource" = "arn:${data.aws_partition.current.partition}:s3:::acme-${var.env}-uploads/incoming/*"
      }, {
      "Sid"      = "S3ObjectAbortMultipartUpload"
      "Effect"   = "Allow"
      "Action"   = ["s3:AbortMultipartUpload", "s3:PutObject"]
      "Resource" = "arn:${data.aws_partition.current.partition}:s3:::${var.scratch}/work/*"
      }, {
      "Sid"      = "SecretsmanagerSecret"
      "Effect"   = "Allow"
      "Action"   = "secretsmanager:GetSecretValue"
      "Resource" = "arn:${data.aws_partition.current.partition}:secretsmanager:${data.aws_region.current.id}:${data.aws_caller_identity.current.account_id}:secret:${var.env}/payments-api-key-??????"
      }, {
      "Sid"      = "SnsTopic"
      "Effect"   = "Allow"
      "Action"   = "sns:Publish"
      "Resource" = "arn:${data.aws_partition.current.partition}:sns:${data.aws_region.current.id}:${data.aws_caller_identity.current.account_id}:${var.done}"
      }, {
      "Sid"      = "SqsQueue"
      "Effect"   = "Allow"
      "Action"   = ["sqs:DeleteMessage", "sqs:ReceiveMessage"]
      "Resource" = "arn:${data.aws_partition.current.partition}:sqs:${data.aws_region.current.id}:${data.aws_caller_identity.current.account_id}:${var.env}-jobs"
    }]
  })
}

resource "aws_iam_role" "import_value_env_api_task_role" {
  assume_role_policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [{
      "Sid"    = "EcsTasks"
      "Effect" = "Allow"
      "Principal" = {
        "Service" = "ecs-tasks.amazonaws.com"
      }
      "Action" = "sts:AssumeRole"
      "Condition" = {
        "ArnLike" = {
          "aws:SourceArn" = "arn:${data.aws_partition.current.partition}:ecs:${data.aws_region.current.id}:${data.aws_caller_identity.current.account_id}:*"
        }
        "StringEquals" = {
          "aws:SourceAccount" = data.aws_caller_identity.current.account_id
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "import_value_env_api_task_role" {
  name = "iamfit-generated"
  role = aws_iam_role.import_value_env_api_task_role.id
  policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [{
      "Sid"      = "DynamodbTable"
      "Effect"   = "Allow"
      "Action"   = ["dynamodb:GetItem", "dynamodb:PutItem"]
      "Resource" = "arn:${data.aws_partition.current.partition}:dynamodb:${data.aws_region.current.id}:${data.aws_caller_identity.current.account_id}:table/${var.env}-orders"
      }, {
      "Sid"      = "SnsTopic"
      "Effect"   = "Allow"
      "Action"   = "sns:Publish"
      "Resource" = "arn:${data.aws_partition.current.partition}:sns:${data.aws_region.current.id}:${data.aws_caller_identity.current.account_id}:${var.done}"
      }, {
      "Sid"      = "SqsQueue"
      "Effect"   = "Allow"
      "Action"   = "sqs:SendMessage"
      "Resource" = "arn:${data.aws_partition.current.partition}:sqs:${data.aws_region.current.id}:${data.aws_caller_identity.current.account_id}:${var.env}-jobs"
    }]
  })
}

resource "aws_iam_role" "reports_role" {
  assume_role_policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [{
      "Sid"    = "EcsTasks"
      "Effect" = "Allow"
      "Principal" = {
        "Service" = "ecs-tasks.amazonaws.com"
      }
      "Action" = "sts:AssumeRole"
      "Condition" = {
        "ArnLike" = {
          "aws:SourceArn" = "arn:${data.aws_partition.current.partition}:ecs:${data.aws_region.current.id}:${data.aws_caller_identity.current.account_id}:*"
        }
        "StringEquals" = {
          "aws:SourceAccount" = data.aws_caller_identity.current.account_id
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "reports_role" {
  name = "iamfit-generated"
  role = aws_iam_role.reports_role.id
  policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [{
      "Sid"      = "S3Bucket"
      "Effect"   = "Allow"
      "Action"   = "s3:ListBucket"
      "Resource" = "arn:${data.aws_partition.current.partition}:s3:::acme-${var.env}-uploads"
      }, {
      "Sid"      = "S3Object"
      "Effect"   = "Allow"
      "Action"   = "s3:GetObject"
      "Resource" = "arn:${data.aws_partition.current.partition}:s3:::acme-${var.env}-uploads/*"
      }, {
      "Sid"      = "SsmParameter"
      "Effect"   = "Allow"
      "Action"   = "ssm:GetParameter"
      "Resource" = "arn:${data.aws_partition.current.partition}:ssm:${data.aws_region.current.id}:${data.aws_caller_identity.current.account_id}:parameter/${var.env}/reports/enabled"
    }]
  })
}

output "execution_role_arn" {
  description = "The role's ARN: store it as the secret or variable ExecutionRole.Arn that the workflows read"
  value       = aws_iam_role.execution_role.arn
}

output "worker_role_arn" {
  description = "The role's ARN: store it as the secret or variable WorkerRole.Arn that the workflows read"
  value       = aws_iam_role.worker_role.arn
}

output "import_value_env_api_task_role_arn" {
  description = "The role's ARN: store it as the secret or variable ImportValueEnvApiTaskRoleArn that the workflows read"
  value       = aws_iam_role.import_value_env_api_task_role.arn
}

output "reports_role_arn" {
  description = "The role's ARN: store it as the secret or variable ReportsRole.Arn that the workflows read"
  value       = aws_iam_role.reports_role.arn
}
