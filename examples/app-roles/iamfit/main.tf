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
          "token.actions.githubusercontent.com:sub" = "repo:octo-org/shop:environment:production"
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
      "Resource" = ["arn:${data.aws_partition.current.partition}:ecr:eu-west-1:210987654321:repository/shop-backend", "arn:${data.aws_partition.current.partition}:ecr:eu-west-1:210987654321:repository/shop-frontend", "arn:${data.aws_partition.current.partition}:ecr:eu-west-1:210987654321:repository/shop-worker"]
      }, {
      "Sid"      = "EcsService"
      "Effect"   = "Allow"
      "Action"   = ["ecs:DescribeServices", "ecs:UpdateService"]
      "Resource" = ["arn:${data.aws_partition.current.partition}:ecs:eu-west-1:210987654321:service/shop-prod/backend", "arn:${data.aws_partition.current.partition}:ecs:eu-west-1:210987654321:service/shop-prod/frontend", "arn:${data.aws_partition.current.partition}:ecs:eu-west-1:210987654321:service/shop-prod/worker"]
      }, {
      "Sid"      = "EcsTaskDefinition"
      "Effect"   = "Allow"
      "Action"   = "ecs:RegisterTaskDefinition"
      "Resource" = ["arn:${data.aws_partition.current.partition}:ecs:eu-west-1:210987654321:task-definition/shop-backend:*", "arn:${data.aws_partition.current.partition}:ecs:eu-west-1:210987654321:task-definition/shop-frontend:*", "arn:${data.aws_partition.current.partition}:ecs:eu-west-1:210987654321:task-definition/shop-worker:*"]
      }, {
      "Sid"      = "IamRole"
      "Effect"   = "Allow"
      "Action"   = "iam:PassRole"
      "Resource" = ["arn:${data.aws_partition.current.partition}:iam::210987654321:role/shop-backend-execution", "arn:${data.aws_partition.current.partition}:iam::210987654321:role/shop-backend-task", "arn:${data.aws_partition.current.partition}:iam::210987654321:role/shop-frontend-execution", "arn:${data.aws_partition.current.partition}:iam::210987654321:role/shop-frontend-task", "arn:${data.aws_partition.current.partition}:iam::210987654321:role/shop-worker-execution", "arn:${data.aws_partition.current.partition}:iam::210987654321:role/shop-worker-task"]
      "Condition" = {
        "StringEquals" = {
          "iam:PassedToService" = "ecs-tasks.amazonaws.com"
        }
      }
    }]
  })
}

resource "aws_iam_role" "shop_backend_execution" {
  name = "shop-backend-execution"
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
          "aws:SourceArn" = "arn:${data.aws_partition.current.partition}:ecs:eu-west-1:210987654321:*"
        }
        "StringEquals" = {
          "aws:SourceAccount" = "210987654321"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "shop_backend_execution" {
  name = "iamfit-generated"
  role = aws_iam_role.shop_backend_execution.id
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
      "Resource" = "arn:${data.aws_partition.current.partition}:ecr:eu-west-1:210987654321:repository/shop-backend"
      }, {
      "Sid"      = "LogsLogGroup"
      "Effect"   = "Allow"
      "Action"   = "logs:CreateLogGroup"
      "Resource" = "arn:${data.aws_partition.current.partition}:logs:eu-west-1:210987654321:log-group:/ecs/shop-backend"
      }, {
      "Sid"      = "LogsLogStream"
      "Effect"   = "Allow"
      "Action"   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      "Resource" = "arn:${data.aws_partition.current.partition}:logs:eu-west-1:210987654321:log-group:/ecs/shop-backend:log-stream:backend/*"
      }, {
      "Sid"      = "S3Bucket"
      "Effect"   = "Allow"
      "Action"   = "s3:GetBucketLocation"
      "Resource" = "arn:${data.aws_partition.current.partition}:s3:::shop-config"
      }, {
      "Sid"      = "S3Object"
      "Effect"   = "Allow"
      "Action"   = "s3:GetObject"
      "Resource" = "arn:${data.aws_partition.current.partition}:s3:::shop-config/backend/prod.env"
      }, {
      "Sid"      = "SecretsmanagerSecret"
      "Effect"   = "Allow"
      "Action"   = "secretsmanager:GetSecretValue"
      "Resource" = "arn:${data.aws_partition.current.partition}:secretsmanager:eu-west-1:210987654321:secret:shop/db-Ab12Cd"
      }, {
      "Sid"      = "SsmParameter"
      "Effect"   = "Allow"
      "Action"   = "ssm:GetParameters"
      "Resource" = "arn:${data.aws_partition.current.partition}:ssm:eu-west-1:210987654321:parameter/shop/stripe-key"
    }]
  })
}

resource "aws_iam_role" "shop_worker_execution" {
  name = "shop-worker-execution"
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
          "aws:SourceArn" = "arn:${data.aws_partition.current.partition}:ecs:eu-west-1:210987654321:*"
        }
        "StringEquals" = {
          "aws:SourceAccount" = "210987654321"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "shop_worker_execution" {
  name = "iamfit-generated"
  role = aws_iam_role.shop_worker_execution.id
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
      "Resource" = "arn:${data.aws_partition.current.partition}:ecr:eu-west-1:210987654321:repository/shop-worker"
      }, {
      "Sid"      = "LogsLogStream"
      "Effect"   = "Allow"
      "Action"   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      "Resource" = "arn:${data.aws_partition.current.partition}:logs:eu-west-1:210987654321:log-group:/ecs/shop-worker:log-stream:worker/*"
    }]
  })
}

resource "aws_iam_role" "shop_frontend_execution" {
  name = "shop-frontend-execution"
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
          "aws:SourceArn" = "arn:${data.aws_partition.current.partition}:ecs:eu-west-1:210987654321:*"
        }
        "StringEquals" = {
          "aws:SourceAccount" = "210987654321"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "shop_frontend_execution" {
  name = "iamfit-generated"
  role = aws_iam_role.shop_frontend_execution.id
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
      "Resource" = "arn:${data.aws_partition.current.partition}:ecr:eu-west-1:210987654321:repository/shop-frontend"
      }, {
      "Sid"      = "LogsLogStream"
      "Effect"   = "Allow"
      "Action"   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      "Resource" = "arn:${data.aws_partition.current.partition}:logs:eu-west-1:210987654321:log-group:/ecs/shop-frontend:log-stream:frontend/*"
    }]
  })
}

resource "aws_iam_role" "reports_execution_role" {
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
          "aws:SourceArn" = "arn:${data.aws_partition.current.partition}:ecs:eu-west-1:210987654321:*"
        }
        "StringEquals" = {
          "aws:SourceAccount" = "210987654321"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "reports_execution_role" {
  name = "iamfit-generated"
  role = aws_iam_role.reports_execution_role.id
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
      "Resource" = "arn:${data.aws_partition.current.partition}:ecr:eu-west-1:210987654321:repository/shop-reports"
      }, {
      "Sid"      = "LogsLogStream"
      "Effect"   = "Allow"
      "Action"   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      "Resource" = "arn:${data.aws_partition.current.partition}:logs:eu-west-1:210987654321:log-group:/ecs/shop-reports:log-stream:reports/*"
    }]
  })
}

resource "aws_iam_role" "shop_backend_task" {
  name = "shop-backend-task"
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
          "aws:SourceArn" = "arn:${data.aws_partition.current.partition}:ecs:eu-west-1:210987654321:*"
        }
        "StringEquals" = {
          "aws:SourceAccount" = "210987654321"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "shop_backend_task" {
  name = "iamfit-generated"
  role = aws_iam_role.shop_backend_task.id
  policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [{
      "Sid"      = "CloudformationStack"
      "Effect"   = "Allow"
      "Action"   = "cloudformation:DescribeStacks"
      "Resource" = "arn:${data.aws_partition.current.partition}:cloudformation:eu-west-1:210987654321:stack/shop-network/*"
      }, {
      "Sid"      = "DynamodbIndex"
      "Effect"   = "Allow"
      "Action"   = "dynamodb:Query"
      "Resource" = "arn:${data.aws_partition.current.partition}:dynamodb:eu-west-1:210987654321:table/shop-orders/index/by-customer"
      }, {
      "Sid"      = "DynamodbTable"
      "Effect"   = "Allow"
      "Action"   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"]
      "Resource" = "arn:${data.aws_partition.current.partition}:dynamodb:eu-west-1:210987654321:table/shop-orders"
      }, {
      "Sid"      = "SqsQueue"
      "Effect"   = "Allow"
      "Action"   = "sqs:SendMessage"
      "Resource" = "arn:${data.aws_partition.current.partition}:sqs:eu-west-1:210987654321:shop-orders"
      }, {
      "Sid"      = "SsmParameter"
      "Effect"   = "Allow"
      "Action"   = "ssm:GetParameter"
      "Resource" = "arn:${data.aws_partition.current.partition}:ssm:eu-west-1:210987654321:parameter/shop/backend/feature-flags"
    }]
  })
}

resource "aws_iam_role" "shop_worker_task" {
  name = "shop-worker-task"
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
          "aws:SourceArn" = "arn:${data.aws_partition.current.partition}:ecs:eu-west-1:210987654321:*"
        }
        "StringEquals" = {
          "aws:SourceAccount" = "210987654321"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "shop_worker_task" {
  name = "iamfit-generated"
  role = aws_iam_role.shop_worker_task.id
  policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [{
      "Sid"      = "DynamodbTable"
      "Effect"   = "Allow"
      "Action"   = "dynamodb:UpdateItem"
      "Resource" = "arn:${data.aws_partition.current.partition}:dynamodb:eu-west-1:210987654321:table/shop-orders"
      }, {
      "Sid"      = "S3Object"
      "Effect"   = "Allow"
      "Action"   = "s3:PutObject"
      "Resource" = "arn:${data.aws_partition.current.partition}:s3:::shop-invoices/invoices/*.json"
      }, {
      "Sid"      = "SqsQueue"
      "Effect"   = "Allow"
      "Action"   = ["sqs:DeleteMessage", "sqs:ReceiveMessage"]
      "Resource" = "arn:${data.aws_partition.current.partition}:sqs:eu-west-1:210987654321:shop-orders"
    }]
  })
}

resource "aws_iam_role" "shop_frontend_task" {
  name = "shop-frontend-task"
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
          "aws:SourceArn" = "arn:${data.aws_partition.current.partition}:ecs:eu-west-1:210987654321:*"
        }
        "StringEquals" = {
          "aws:SourceAccount" = "210987654321"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "shop_frontend_task" {
  name = "iamfit-generated"
  role = aws_iam_role.shop_frontend_task.id
  policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [{
      "Sid"      = "DynamodbTable"
      "Effect"   = "Allow"
      "Action"   = "dynamodb:GetItem"
      "Resource" = "arn:${data.aws_partition.current.partition}:dynamodb:eu-west-1:210987654321:table/shop-orders"
      }, {
      "Sid"      = "S3Object"
      "Effect"   = "Allow"
      "Action"   = "s3:PutObject"
      "Resource" = "arn:${data.aws_partition.current.partition}:s3:::shop-uploads/uploads/*"
      }, {
      "Sid"      = "SqsQueue"
      "Effect"   = "Allow"
      "Action"   = "sqs:SendMessage"
      "Resource" = "arn:${data.aws_partition.current.partition}:sqs:eu-west-1:210987654321:shop-orders"
      }, {
      "Sid"      = "SsmParameter"
      "Effect"   = "Allow"
      "Action"   = "ssm:GetParameter"
      "Resource" = "arn:${data.aws_partition.current.partition}:ssm:eu-west-1:210987654321:parameter/shop/frontend/api-base"
    }]
  })
}

output "shop_deploy_arn" {
  value = aws_iam_role.shop_deploy.arn
}

output "shop_backend_execution_arn" {
  value = aws_iam_role.shop_backend_execution.arn
}

output "shop_worker_execution_arn" {
  value = aws_iam_role.shop_worker_execution.arn
}

output "shop_frontend_execution_arn" {
  value = aws_iam_role.shop_frontend_execution.arn
}

output "reports_execution_role_arn" {
  description = "The role's ARN: store it as the secret or variable ReportsExecutionRole.Arn that the workflows read"
  value       = aws_iam_role.reports_execution_role.arn
}

output "shop_backend_task_arn" {
  value = aws_iam_role.shop_backend_task.arn
}

output "shop_worker_task_arn" {
  value = aws_iam_role.shop_worker_task.arn
}

output "shop_frontend_task_arn" {
  value = aws_iam_role.shop_frontend_task.arn
}
