terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

variable "code_deploy_config" {
  type        = string
  description = "Not determined by the repository's files (iamfit parameter CodeDeployConfig)"
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
      "Sid"      = "ApplicationAutoscalingAnyResource"
      "Effect"   = "Allow"
      "Action"   = ["application-autoscaling:DescribeScalableTargets", "application-autoscaling:DescribeScalingPolicies", "cloudformation:ListExports", "codedeploy:GetDeploymentTarget", "codedeploy:StopDeployment", "ecr:GetAuthorizationToken", "ecs:DeregisterTaskDefinition", "ecs:ListTaskDefinitions", "elasticloadbalancing:DescribeTargetGroups"]
      "Resource" = "*"
      }, {
      "Sid"      = "CloudformationStack"
      "Effect"   = "Allow"
      "Action"   = "cloudformation:DescribeStacks"
      "Resource" = "arn:${data.aws_partition.current.partition}:cloudformation:us-east-1:567890123456:stack/shop-network/*"
      }, {
      "Sid"      = "CodedeployApplication"
      "Effect"   = "Allow"
      "Action"   = ["codedeploy:BatchGetApplications", "codedeploy:GetApplicationRevision", "codedeploy:RegisterApplicationRevision"]
      "Resource" = "arn:${data.aws_partition.current.partition}:codedeploy:us-east-1:567890123456:application:AppECS-shop-web"
      }, {
      "Sid"      = "CodedeployDeploymentconfig"
      "Effect"   = "Allow"
      "Action"   = "codedeploy:GetDeploymentConfig"
      "Resource" = "arn:${data.aws_partition.current.partition}:codedeploy:us-east-1:567890123456:deploymentconfig:${var.code_deploy_config}"
      }, {
      "Sid"      = "CodedeployDeploymentgroup"
      "Effect"   = "Allow"
      "Action"   = ["codedeploy:BatchGetDeploymentGroups", "codedeploy:CreateDeployment", "codedeploy:GetDeployment", "codedeploy:ListDeployments"]
      "Resource" = "arn:${data.aws_partition.current.partition}:codedeploy:us-east-1:567890123456:deploymentgroup:AppECS-shop-web/DgpECS-shop-web"
      }, {
      "Sid"      = "EcrRepository"
      "Effect"   = "Allow"
      "Action"   = "ecr:BatchGetImage"
      "Resource" = "arn:${data.aws_partition.current.partition}:ecr:us-east-1:567890123456:repository/shop-web"
      }, {
      "Sid"      = "EcsCluster"
      "Effect"   = "Allow"
      "Action"   = "ecs:DescribeClusters"
      "Resource" = "arn:${data.aws_partition.current.partition}:ecs:us-east-1:567890123456:cluster/shop"
      }, {
      "Sid"      = "EcsService"
      "Effect"   = "Allow"
      "Action"   = ["ecs:DescribeServices", "ecs:TagResource", "ecs:UntagResource", "ecs:UpdateService"]
      "Resource" = "arn:${data.aws_partition.current.partition}:ecs:us-east-1:567890123456:service/shop/web"
      }, {
      "Sid"      = "EcsTaskDefinition"
      "Effect"   = "Allow"
      "Action"   = "ecs:RegisterTaskDefinition"
      "Resource" = "arn:${data.aws_partition.current.partition}:ecs:us-east-1:567890123456:task-definition/shop-web:*"
      }, {
      "Sid"      = "EcsTaskDefinitionOnCreate"
      "Effect"   = "Allow"
      "Action"   = "ecs:TagResource"
      "Resource" = "arn:${data.aws_partition.current.partition}:ecs:us-east-1:567890123456:task-definition/shop-web:*"
      "Condition" = {
        "StringEquals" = {
          "ecs:CreateAction" = "RegisterTaskDefinition"
        }
      }
      }, {
      "Sid"      = "IamRoleGetRole"
      "Effect"   = "Allow"
      "Action"   = "iam:GetRole"
      "Resource" = ["arn:${data.aws_partition.current.partition}:iam::567890123456:role/shop-web-execution", "arn:${data.aws_partition.current.partition}:iam::567890123456:role/shop-web-task"]
      }, {
      "Sid"      = "IamRolePassRole"
      "Effect"   = "Allow"
      "Action"   = "iam:PassRole"
      "Resource" = ["arn:${data.aws_partition.current.partition}:iam::567890123456:role/shop-web-execution", "arn:${data.aws_partition.current.partition}:iam::567890123456:role/shop-web-task"]
      "Condition" = {
        "StringEquals" = {
          "iam:PassedToService" = "ecs-tasks.amazonaws.com"
        }
      }
      }, {
      "Sid"      = "SecretsmanagerSecret"
      "Effect"   = "Allow"
      "Action"   = ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]
      "Resource" = "arn:${data.aws_partition.current.partition}:secretsmanager:us-east-1:567890123456:secret:shop/stripe-??????"
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
          "aws:SourceArn" = "arn:${data.aws_partition.current.partition}:ecs:us-east-1:567890123456:*"
        }
        "StringEquals" = {
          "aws:SourceAccount" = "567890123456"
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
      "Resource" = "arn:${data.aws_partition.current.partition}:ecr:us-east-1:567890123456:repository/shop-web"
      }, {
      "Sid"      = "LogsLogStream"
      "Effect"   = "Allow"
      "Action"   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      "Resource" = "arn:${data.aws_partition.current.partition}:logs:us-east-1:567890123456:log-group:/ecs/shop-web:log-stream:web/*"
      }, {
      "Sid"      = "SecretsmanagerSecret"
      "Effect"   = "Allow"
      "Action"   = "secretsmanager:GetSecretValue"
      "Resource" = "arn:${data.aws_partition.current.partition}:secretsmanager:us-east-1:567890123456:secret:shop/stripe-??????"
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
          "aws:SourceArn" = "arn:${data.aws_partition.current.partition}:ecs:us-east-1:567890123456:*"
        }
        "StringEquals" = {
          "aws:SourceAccount" = "567890123456"
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
