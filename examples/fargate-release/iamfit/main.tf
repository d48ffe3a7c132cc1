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

resource "aws_iam_role" "blog_release" {
  name = "blog-release"
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
          "token.actions.githubusercontent.com:sub" = ["repo:octo-org/blog:ref:refs/heads/main", "repo:octo-org/blog:ref:refs/tags/v*.*.*"]
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "blog_release" {
  name = "iamfit-generated"
  role = aws_iam_role.blog_release.id
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
      "Resource" = "arn:${data.aws_partition.current.partition}:ecr:us-west-2:456789012345:repository/blog"
      }, {
      "Sid"      = "EcsService"
      "Effect"   = "Allow"
      "Action"   = ["ecs:DescribeServices", "ecs:UpdateService"]
      "Resource" = "arn:${data.aws_partition.current.partition}:ecs:us-west-2:456789012345:service/hobby/blog"
      }, {
      "Sid"      = "LogsLogGroup"
      "Effect"   = "Allow"
      "Action"   = ["logs:CreateLogGroup", "logs:PutRetentionPolicy"]
      "Resource" = "arn:${data.aws_partition.current.partition}:logs:us-west-2:456789012345:log-group:/ecs/blog"
    }]
  })
}

output "blog_release_arn" {
  value = aws_iam_role.blog_release.arn
}
