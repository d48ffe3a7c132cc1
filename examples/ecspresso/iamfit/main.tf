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

resource "aws_iam_role" "api_deploy" {
  name = "api-deploy"
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
          "token.actions.githubusercontent.com:sub" = "repo:octo-org/api:ref:refs/heads/main"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "api_deploy" {
  name = "iamfit-generated"
  role = aws_iam_role.api_deploy.id
  policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [{
      "Sid"      = "ApplicationAutoscalingAnyResource"
      "Effect"   = "Allow"
      "Action"   = ["application-autoscaling:DescribeScalableTargets", "application-autoscaling:DescribeScalingPolicies", "ecr:GetAuthorizationToken", "ecs:DescribeTaskDefinition"]
      "Resource" = "*"
      }, {
      "Sid"      = "EcrRepository"
      "Effect"   = "Allow"
      "Action"   = ["ecr:BatchCheckLayerAvailability", "ecr:CompleteLayerUpload", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"]
      "Resource" = "arn:${data.aws_partition.current.partition}:ecr:ap-northeast-1:345678901234:repository/api"
      }, {
      "Sid"      = "EcsService"
      "Effect"   = "Allow"
      "Action"   = ["ecs:DescribeServiceDeployments", "ecs:DescribeServices", "ecs:ListServiceDeployments", "ecs:UpdateService"]
      "Resource" = "arn:${data.aws_partition.current.partition}:ecs:ap-northeast-1:345678901234:service/api/api"
      }, {
      "Sid"      = "EcsServiceDeployment"
      "Effect"   = "Allow"
      "Action"   = "ecs:DescribeServiceDeployments"
      "Resource" = "arn:${data.aws_partition.current.partition}:ecs:ap-northeast-1:345678901234:service-deployment/api/api/*"
      }, {
      "Sid"      = "EcsTask"
      "Effect"   = "Allow"
      "Action"   = "ecs:DescribeTasks"
      "Resource" = "arn:${data.aws_partition.current.partition}:ecs:ap-northeast-1:345678901234:task/api/*"
      }, {
      "Sid"      = "EcsTaskDefinitionRegisterTaskDefinition"
      "Effect"   = "Allow"
      "Action"   = "ecs:RegisterTaskDefinition"
      "Resource" = "arn:${data.aws_partition.current.partition}:ecs:ap-northeast-1:345678901234:task-definition/api:*"
      }, {
      "Sid"      = "EcsTaskDefinitionRunTask"
      "Effect"   = "Allow"
      "Action"   = "ecs:RunTask"
      "Resource" = "arn:${data.aws_partition.current.partition}:ecs:ap-northeast-1:345678901234:task-definition/api:*"
      "Condition" = {
        "ArnEquals" = {
          "ecs:cluster" = "arn:${data.aws_partition.current.partition}:ecs:ap-northeast-1:345678901234:cluster/api"
        }
      }
      }, {
      "Sid"      = "IamRole"
      "Effect"   = "Allow"
      "Action"   = "iam:PassRole"
      "Resource" = ["arn:${data.aws_partition.current.partition}:iam::345678901234:role/api-execution", "arn:${data.aws_partition.current.partition}:iam::345678901234:role/api-task"]
      "Condition" = {
        "StringEquals" = {
          "iam:PassedToService" = "ecs-tasks.amazonaws.com"
        }
      }
      }, {
      "Sid"      = "LogsLogStream"
      "Effect"   = "Allow"
      "Action"   = "logs:GetLogEvents"
      "Resource" = "arn:${data.aws_partition.current.partition}:logs:ap-northeast-1:345678901234:log-group:/ecs/api:log-stream:api/api/*"
      }, {
      "Sid"      = "S3Object"
      "Effect"   = "Allow"
      "Action"   = "s3:GetObject"
      "Resource" = "arn:${data.aws_partition.current.partition}:s3:::api-tfstate/ecs/terraform.tfstate"
      }, {
      "Sid"      = "SecretsmanagerSecret"
      "Effect"   = "Allow"
      "Action"   = "secretsmanager:DescribeSecret"
      "Resource" = "arn:${data.aws_partition.current.partition}:secretsmanager:ap-northeast-1:345678901234:secret:api/database-url-??????"
      }, {
      "Sid"      = "SsmParameter"
      "Effect"   = "Allow"
      "Action"   = "ssm:GetParameter"
      "Resource" = "arn:${data.aws_partition.current.partition}:ssm:ap-northeast-1:345678901234:parameter/api/feature-flags"
    }]
  })
}

resource "aws_iam_role" "api_execution" {
  name = "api-execution"
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
          "aws:SourceArn" = "arn:${data.aws_partition.current.partition}:ecs:ap-northeast-1:345678901234:*"
        }
        "StringEquals" = {
          "aws:SourceAccount" = "345678901234"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "api_execution" {
  name = "iamfit-generated"
  role = aws_iam_role.api_execution.id
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
      "Resource" = "arn:${data.aws_partition.current.partition}:ecr:ap-northeast-1:345678901234:repository/api"
      }, {
      "Sid"      = "LogsLogStream"
      "Effect"   = "Allow"
      "Action"   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      "Resource" = "arn:${data.aws_partition.current.partition}:logs:ap-northeast-1:345678901234:log-group:/ecs/api:log-stream:api/*"
      }, {
      "Sid"      = "SecretsmanagerSecret"
      "Effect"   = "Allow"
      "Action"   = "secretsmanager:GetSecretValue"
      "Resource" = "arn:${data.aws_partition.current.partition}:secretsmanager:ap-northeast-1:345678901234:secret:api/database-url-??????"
    }]
  })
}

resource "aws_iam_role" "api_task" {
  name = "api-task"
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
          "aws:SourceArn" = "arn:${data.aws_partition.current.partition}:ecs:ap-northeast-1:345678901234:*"
        }
        "StringEquals" = {
          "aws:SourceAccount" = "345678901234"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "api_task" {
  name = "iamfit-generated"
  role = aws_iam_role.api_task.id
  policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [{
      "Sid"      = "SsmmessagesAnyResource"
      "Effect"   = "Allow"
      "Action"   = ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"]
      "Resource" = "*"
    }]
  })
}

output "api_deploy_arn" {
  value = aws_iam_role.api_deploy.arn
}

output "api_execution_arn" {
  value = aws_iam_role.api_execution.arn
}

output "api_task_arn" {
  value = aws_iam_role.api_task.arn
}
