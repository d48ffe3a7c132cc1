terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

data "aws_partition" "current" {
}

variable "aws_kms_key_reports_id" {
  type        = string
  description = "Not determined by the repository's files (iamfit parameter aws_kms_key.reports.id)"
}

variable "aws_sns_topic_events_name" {
  type        = string
  description = "Not determined by the repository's files (iamfit parameter aws_sns_topic.events.name)"
}

resource "aws_iam_openid_connect_provider" "github" {
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}

resource "aws_iam_role" "shop_deploy" {
  name = "shop-deploy"
  assume_role_policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [{
      "Sid"    = "GitHubActions"
      "Effect" = "Allow"
      "Principal" = {
        "Federated" = aws_iam_openid_connect_provider.github.arn
      }
      "Action" = "sts:AssumeRoleWithWebIdentity"
      "Condition" = {
        "StringEquals" = {
          "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com"
          "token.actions.githubusercontent.com:sub" = "repo:acme/shop:environment:production"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "shop_deploy" {
  name = "iamfit-generated"
  role = aws_iam_role.shop_deploy.id
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
      "Action"   = ["ecr:BatchCheckLayerAvailability", "ecr:CompleteLayerUpload", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"]
      "Resource" = ["arn:${data.aws_partition.current.partition}:ecr:eu-west-1:111122223333:repository/shop-api", "arn:${data.aws_partition.current.partition}:ecr:eu-west-1:111122223333:repository/shop-worker"]
      }, {
      "Sid"      = "EcsService"
      "Effect"   = "Allow"
      "Action"   = "ecs:UpdateService"
      "Resource" = ["arn:${data.aws_partition.current.partition}:ecs:eu-west-1:111122223333:service/shop-prod/api", "arn:${data.aws_partition.current.partition}:ecs:eu-west-1:111122223333:service/shop-prod/worker"]
    }]
  })
}

resource "aws_iam_role" "shop_prod_execution" {
  name = "shop-prod-execution"
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
          "aws:SourceArn" = "arn:${data.aws_partition.current.partition}:ecs:eu-west-1:111122223333:*"
        }
        "StringEquals" = {
          "aws:SourceAccount" = "111122223333"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "shop_prod_execution" {
  name = "iamfit-generated"
  role = aws_iam_role.shop_prod_execution.id
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
      "Resource" = ["arn:${data.aws_partition.current.partition}:ecr:eu-west-1:111122223333:repository/shop-api", "arn:${data.aws_partition.current.partition}:ecr:eu-west-1:111122223333:repository/shop-worker"]
      }, {
      "Sid"      = "LogsLogStream"
      "Effect"   = "Allow"
      "Action"   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      "Resource" = ["arn:${data.aws_partition.current.partition}:logs:eu-west-1:111122223333:log-group:/ecs/shop-prod:log-stream:api/*", "arn:${data.aws_partition.current.partition}:logs:eu-west-1:111122223333:log-group:/ecs/shop-prod:log-stream:worker/*"]
      }, {
      "Sid"      = "SecretsmanagerSecret"
      "Effect"   = "Allow"
      "Action"   = "secretsmanager:GetSecretValue"
      "Resource" = "arn:${data.aws_partition.current.partition}:secretsmanager:eu-west-1:111122223333:secret:prod/payments-api-key-??????"
    }]
  })
}

resource "aws_iam_role" "shop_prod_api" {
  name = "shop-prod-api"
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
          "aws:SourceArn" = "arn:${data.aws_partition.current.partition}:ecs:eu-west-1:111122223333:*"
        }
        "StringEquals" = {
          "aws:SourceAccount" = "111122223333"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "shop_prod_api" {
  name = "iamfit-generated"
  role = aws_iam_role.shop_prod_api.id
  policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [{
      "Sid"      = "DynamodbTable"
      "Effect"   = "Allow"
      "Action"   = ["dynamodb:GetItem", "dynamodb:PutItem"]
      "Resource" = "arn:${data.aws_partition.current.partition}:dynamodb:eu-west-1:111122223333:table/shop-prod-orders"
      }, {
      "Sid"      = "S3Object"
      "Effect"   = "Allow"
      "Action"   = "s3:PutObject"
      "Resource" = "arn:${data.aws_partition.current.partition}:s3:::shop-prod-uploads/orders/*.json"
      }, {
      "Sid"      = "SnsTopic"
      "Effect"   = "Allow"
      "Action"   = "sns:Publish"
      "Resource" = "arn:${data.aws_partition.current.partition}:sns:eu-west-1:111122223333:${var.aws_sns_topic_events_name}"
      }, {
      "Sid"      = "SqsQueue"
      "Effect"   = "Allow"
      "Action"   = "sqs:SendMessage"
      "Resource" = "arn:${data.aws_partition.current.partition}:sqs:eu-west-1:111122223333:shop-prod-jobs"
      }, {
      "Sid"      = "SsmParameter"
      "Effect"   = "Allow"
      "Action"   = "ssm:GetParameter"
      "Resource" = "arn:${data.aws_partition.current.partition}:ssm:eu-west-1:111122223333:parameter/prod/shop/feature-flags"
    }]
  })
}

resource "aws_iam_role" "aws_iam_role_worker" {
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
          "aws:SourceArn" = "arn:${data.aws_partition.current.partition}:ecs:eu-west-1:111122223333:*"
        }
        "StringEquals" = {
          "aws:SourceAccount" = "111122223333"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "aws_iam_role_worker" {
  name = "iamfit-generated"
  role = aws_iam_role.aws_iam_role_worker.id
  policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [{
      "Sid"      = "KmsKey"
      "Effect"   = "Allow"
      "Action"   = "kms:Encrypt"
      "Resource" = "arn:${data.aws_partition.current.partition}:kms:eu-west-1:111122223333:key/${var.aws_kms_key_reports_id}"
      }, {
      "Sid"      = "S3Object"
      "Effect"   = "Allow"
      "Action"   = "s3:PutObject"
      "Resource" = "arn:${data.aws_partition.current.partition}:s3:::shop-prod-uploads/reports/*.bin"
      }, {
      "Sid"      = "SqsQueue"
      "Effect"   = "Allow"
      "Action"   = ["sqs:DeleteMessage", "sqs:ReceiveMessage"]
      "Resource" = "arn:${data.aws_partition.current.partition}:sqs:eu-west-1:111122223333:shop-prod-jobs"
    }]
  })
}

output "shop_deploy_arn" {
  value = aws_iam_role.shop_deploy.arn
}

output "shop_prod_execution_arn" {
  value = aws_iam_role.shop_prod_execution.arn
}

output "shop_prod_api_arn" {
  value = aws_iam_role.shop_prod_api.arn
}

output "aws_iam_role_worker_arn" {
  description = "The role's ARN: store it as the secret or variable aws_iam_role.worker.arn that the workflows read"
  value       = aws_iam_role.aws_iam_role_worker.arn
}
