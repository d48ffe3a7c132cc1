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

variable "tfstate_aws_iam_role_nightly_execution_name" {
  type        = string
  description = "Not determined by the repository's files (iamfit parameter tfstate.aws_iam_role.nightly_execution.name)"
}

resource "aws_iam_openid_connect_provider" "github" {
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}

resource "aws_iam_role" "jobs_release" {
  name = "jobs-release"
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
        }
        "StringLike" = {
          "token.actions.githubusercontent.com:sub" = "repo:octo-org/jobs:ref:refs/tags/v*"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "jobs_release" {
  name = "iamfit-generated"
  role = aws_iam_role.jobs_release.id
  policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [{
      "Sid"      = "EcsAnyResource"
      "Effect"   = "Allow"
      "Action"   = ["ecs:DescribeTaskDefinition", "ecs:ListTaskDefinitions"]
      "Resource" = "*"
      }, {
      "Sid"      = "EcsTaskDefinitionRegisterTaskDefinition"
      "Effect"   = "Allow"
      "Action"   = "ecs:RegisterTaskDefinition"
      "Resource" = "arn:${data.aws_partition.current.partition}:ecs:eu-central-1:456789012345:task-definition/nightly-prod:*"
      }, {
      "Sid"      = "EcsTaskDefinitionRunTask"
      "Effect"   = "Allow"
      "Action"   = "ecs:RunTask"
      "Resource" = "arn:${data.aws_partition.current.partition}:ecs:eu-central-1:456789012345:task-definition/nightly-prod:*"
      "Condition" = {
        "ArnEquals" = {
          "ecs:cluster" = "arn:${data.aws_partition.current.partition}:ecs:eu-central-1:456789012345:cluster/jobs-prod"
        }
      }
      }, {
      "Sid"      = "EcsTaskDefinitionOnCreate"
      "Effect"   = "Allow"
      "Action"   = "ecs:TagResource"
      "Resource" = "arn:${data.aws_partition.current.partition}:ecs:eu-central-1:456789012345:task-definition/nightly-prod:*"
      "Condition" = {
        "StringEquals" = {
          "ecs:CreateAction" = "RegisterTaskDefinition"
        }
      }
      }, {
      "Sid"      = "EcsTaskOnCreate"
      "Effect"   = "Allow"
      "Action"   = "ecs:TagResource"
      "Resource" = "arn:${data.aws_partition.current.partition}:ecs:eu-central-1:456789012345:task/jobs-prod/*"
      "Condition" = {
        "StringEquals" = {
          "ecs:CreateAction" = "RunTask"
        }
      }
      }, {
      "Sid"      = "IamRole"
      "Effect"   = "Allow"
      "Action"   = "iam:PassRole"
      "Resource" = ["arn:${data.aws_partition.current.partition}:iam::456789012345:role/nightly-task-prod", "arn:${data.aws_partition.current.partition}:iam::456789012345:role/${var.tfstate_aws_iam_role_nightly_execution_name}"]
      "Condition" = {
        "StringEquals" = {
          "iam:PassedToService" = "ecs-tasks.amazonaws.com"
        }
      }
      }, {
      "Sid"      = "S3Object"
      "Effect"   = "Allow"
      "Action"   = "s3:GetObject"
      "Resource" = "arn:${data.aws_partition.current.partition}:s3:::jobs-terraform/prod/terraform.tfstate"
      }, {
      "Sid"      = "SsmParameter"
      "Effect"   = "Allow"
      "Action"   = "ssm:GetParameter"
      "Resource" = "arn:${data.aws_partition.current.partition}:ssm:eu-central-1:456789012345:parameter/nightly/prod/bucket"
    }]
  })
}

resource "aws_iam_role" "tfstate_aws_iam_role_nightly_execution_name" {
  name = var.tfstate_aws_iam_role_nightly_execution_name
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
          "aws:SourceArn" = "arn:${data.aws_partition.current.partition}:ecs:eu-central-1:456789012345:*"
        }
        "StringEquals" = {
          "aws:SourceAccount" = "456789012345"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "tfstate_aws_iam_role_nightly_execution_name" {
  name = "iamfit-generated"
  role = aws_iam_role.tfstate_aws_iam_role_nightly_execution_name.id
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
      "Resource" = "arn:${data.aws_partition.current.partition}:ecr:eu-central-1:456789012345:repository/nightly"
      }, {
      "Sid"      = "LogsLogStream"
      "Effect"   = "Allow"
      "Action"   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      "Resource" = "arn:${data.aws_partition.current.partition}:logs:eu-central-1:456789012345:log-group:/ecs/nightly-prod:log-stream:nightly/*"
      }, {
      "Sid"      = "SsmParameter"
      "Effect"   = "Allow"
      "Action"   = "ssm:GetParameters"
      "Resource" = "arn:${data.aws_partition.current.partition}:ssm:eu-central-1:456789012345:parameter/nightly/prod/api-token"
    }]
  })
}

resource "aws_iam_role" "nightly_task_prod" {
  name = "nightly-task-prod"
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
          "aws:SourceArn" = "arn:${data.aws_partition.current.partition}:ecs:eu-central-1:456789012345:*"
        }
        "StringEquals" = {
          "aws:SourceAccount" = "456789012345"
        }
      }
    }]
  })
}

output "jobs_release_arn" {
  value = aws_iam_role.jobs_release.arn
}

output "tfstate_aws_iam_role_nightly_execution_name_arn" {
  value = aws_iam_role.tfstate_aws_iam_role_nightly_execution_name.arn
}

output "nightly_task_prod_arn" {
  value = aws_iam_role.nightly_task_prod.arn
}
