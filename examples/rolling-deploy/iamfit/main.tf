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
      "Resource" = "arn:${data.aws_partition.current.partition}:ecr:eu-west-1:210987654321:repository/shop-web"
      }, {
      "Sid"      = "EcsService"
      "Effect"   = "Allow"
      "Action"   = ["ecs:DescribeServices", "ecs:UpdateService"]
      "Resource" = "arn:${data.aws_partition.current.partition}:ecs:eu-west-1:210987654321:service/shop-prod/shop-web"
      }, {
      "Sid"      = "EcsTaskDefinition"
      "Effect"   = "Allow"
      "Action"   = "ecs:RegisterTaskDefinition"
      "Resource" = "arn:${data.aws_partition.current.partition}:ecs:eu-west-1:210987654321:task-definition/shop-web:*"
      }, {
      "Sid"      = "EcsTaskDefinitionOnCreate"
      "Effect"   = "Allow"
      "Action"   = "ecs:TagResource"
      "Resource" = "arn:${data.aws_partition.current.partition}:ecs:eu-west-1:210987654321:task-definition/shop-web:*"
      "Condition" = {
        "StringEquals" = {
          "ecs:CreateAction" = "RegisterTaskDefinition"
        }
      }
      }, {
      "Sid"      = "IamRole"
      "Effect"   = "Allow"
      "Action"   = "iam:PassRole"
      "Resource" = ["arn:${data.aws_partition.current.partition}:iam::210987654321:role/shop-web-execution", "arn:${data.aws_partition.current.partition}:iam::210987654321:role/shop-web-task"]
      "Condition" = {
        "StringEquals" = {
          "iam:PassedToService" = "ecs-tasks.amazonaws.com"
        }
      }
    }]
  })
}

resource "aws_iam_role" "shop_web_execution" {
  name = "shop-web-execution"
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

resource "aws_iam_role_policy" "shop_web_execution" {
  name = "iamfit-generated"
  role = aws_iam_role.shop_web_execution.id
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
      "Resource" = "arn:${data.aws_partition.current.partition}:ecr:eu-west-1:210987654321:repository/shop-web"
      }, {
      "Sid"      = "LogsLogStream"
      "Effect"   = "Allow"
      "Action"   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      "Resource" = "arn:${data.aws_partition.current.partition}:logs:eu-west-1:210987654321:log-group:/ecs/shop-web:log-stream:web/*"
      }, {
      "Sid"      = "SecretsmanagerSecret"
      "Effect"   = "Allow"
      "Action"   = "secretsmanager:GetSecretValue"
      "Resource" = "arn:${data.aws_partition.current.partition}:secretsmanager:eu-west-1:210987654321:secret:shop/db-AbCdEf"
      }, {
      "Sid"      = "SsmParameter"
      "Effect"   = "Allow"
      "Action"   = "ssm:GetParameters"
      "Resource" = "arn:${data.aws_partition.current.partition}:ssm:eu-west-1:210987654321:parameter/shop/api-key"
    }]
  })
}

resource "aws_iam_role" "shop_web_task" {
  name = "shop-web-task"
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

output "shop_deploy_arn" {
  value = aws_iam_role.shop_deploy.arn
}

output "shop_web_execution_arn" {
  value = aws_iam_role.shop_web_execution.arn
}

output "shop_web_task_arn" {
  value = aws_iam_role.shop_web_task.arn
}
