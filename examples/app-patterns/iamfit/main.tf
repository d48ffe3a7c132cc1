terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

variable "cluster_name" {
  type        = string
  description = "Not determined by the repository's files (iamfit parameter ClusterName)"
}

data "aws_partition" "current" {
}

variable "web_image_repository" {
  type        = string
  description = "Not determined by the repository's files (iamfit parameter WebImageRepository)"
}

variable "web_socket_api_id" {
  type        = string
  description = "Not determined by the repository's files (iamfit parameter WebSocketApiId)"
}

variable "web_socket_stage" {
  type        = string
  description = "Not determined by the repository's files (iamfit parameter WebSocketStage)"
}

resource "aws_iam_openid_connect_provider" "github" {
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}

resource "aws_iam_role" "catalog_execution" {
  name = "catalog-execution"
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
          "aws:SourceArn" = "arn:${data.aws_partition.current.partition}:ecs:eu-west-1:123456789012:*"
        }
        "StringEquals" = {
          "aws:SourceAccount" = "123456789012"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "catalog_execution" {
  name = "iamfit-generated"
  role = aws_iam_role.catalog_execution.id
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
      "Resource" = "arn:${data.aws_partition.current.partition}:ecr:eu-west-1:123456789012:repository/catalog"
      }, {
      "Sid"      = "LogsLogStream"
      "Effect"   = "Allow"
      "Action"   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      "Resource" = "arn:${data.aws_partition.current.partition}:logs:eu-west-1:123456789012:log-group:/ecs/catalog:log-stream:catalog/*"
    }]
  })
}

resource "aws_iam_role" "orders_execution" {
  name = "orders-execution"
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
          "aws:SourceArn" = "arn:${data.aws_partition.current.partition}:ecs:eu-west-1:123456789012:*"
        }
        "StringEquals" = {
          "aws:SourceAccount" = "123456789012"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "orders_execution" {
  name = "iamfit-generated"
  role = aws_iam_role.orders_execution.id
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
      "Resource" = "arn:${data.aws_partition.current.partition}:ecr:eu-west-1:123456789012:repository/orders-py"
      }, {
      "Sid"      = "LogsLogStream"
      "Effect"   = "Allow"
      "Action"   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      "Resource" = "arn:${data.aws_partition.current.partition}:logs:eu-west-1:123456789012:log-group:/ecs/orders-firelens:log-stream:router/*"
      }, {
      "Sid"      = "SsmParameter"
      "Effect"   = "Allow"
      "Action"   = "ssm:GetParameters"
      "Resource" = "arn:${data.aws_partition.current.partition}:ssm:eu-west-1:123456789012:parameter/orders/log-api-key"
    }]
  })
}

resource "aws_iam_role" "web_execution" {
  name = "web-execution"
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
          "aws:SourceArn" = "arn:${data.aws_partition.current.partition}:ecs:eu-west-1:123456789012:*"
        }
        "StringEquals" = {
          "aws:SourceAccount" = "123456789012"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "web_execution" {
  name = "iamfit-generated"
  role = aws_iam_role.web_execution.id
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
      "Resource" = "arn:${data.aws_partition.current.partition}:ecr:eu-west-1:123456789012:repository/${var.web_image_repository}"
      }, {
      "Sid"      = "LogsLogStream"
      "Effect"   = "Allow"
      "Action"   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      "Resource" = "arn:${data.aws_partition.current.partition}:logs:eu-west-1:123456789012:log-group:/ecs/web-firelens:log-stream:router/*"
    }]
  })
}

resource "aws_iam_role" "catalog_task" {
  name = "catalog-task"
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
          "aws:SourceArn" = "arn:${data.aws_partition.current.partition}:ecs:eu-west-1:123456789012:*"
        }
        "StringEquals" = {
          "aws:SourceAccount" = "123456789012"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "catalog_task" {
  name = "iamfit-generated"
  role = aws_iam_role.catalog_task.id
  policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [{
      "Sid"      = "AnyResource"
      "Effect"   = "Allow"
      "Action"   = ["s3:ListAllMyBuckets", "tag:GetResources", "xray:GetSamplingRules", "xray:GetSamplingStatisticSummaries", "xray:GetSamplingTargets", "xray:PutTelemetryRecords", "xray:PutTraceSegments"]
      "Resource" = "*"
      }, {
      "Sid"      = "BedrockFoundationModel"
      "Effect"   = "Allow"
      "Action"   = "bedrock:InvokeModel"
      "Resource" = "arn:${data.aws_partition.current.partition}:bedrock:eu-west-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"
      }, {
      "Sid"      = "DynamodbIndex"
      "Effect"   = "Allow"
      "Action"   = "dynamodb:Query"
      "Resource" = "arn:${data.aws_partition.current.partition}:dynamodb:eu-west-1:123456789012:table/catalog-items/index/by-category"
      }, {
      "Sid"      = "DynamodbTable"
      "Effect"   = "Allow"
      "Action"   = ["dynamodb:GetItem", "dynamodb:Query"]
      "Resource" = "arn:${data.aws_partition.current.partition}:dynamodb:eu-west-1:123456789012:table/catalog-items"
      }, {
      "Sid"      = "EcsTask"
      "Effect"   = "Allow"
      "Action"   = "ecs:UpdateTaskProtection"
      "Resource" = "arn:${data.aws_partition.current.partition}:ecs:eu-west-1:123456789012:task/${var.cluster_name}/*"
      }, {
      "Sid"      = "KmsKey"
      "Effect"   = "Allow"
      "Action"   = "kms:Decrypt"
      "Resource" = "arn:${data.aws_partition.current.partition}:kms:eu-west-1:123456789012:key/*"
      "Condition" = {
        "StringEquals" = {
          "kms:RequestAlias" = "alias/catalog"
        }
      }
      }, {
      "Sid"      = "S3Bucket"
      "Effect"   = "Allow"
      "Action"   = "s3:ListBucket"
      "Resource" = "arn:${data.aws_partition.current.partition}:s3:::acme-catalog-assets"
      }, {
      "Sid"      = "S3ObjectAbortMultipartUpload"
      "Effect"   = "Allow"
      "Action"   = ["s3:AbortMultipartUpload", "s3:PutObject"]
      "Resource" = ["arn:${data.aws_partition.current.partition}:s3:::acme-catalog-assets/archive/*", "arn:${data.aws_partition.current.partition}:s3:::acme-catalog-assets/images/*"]
      }, {
      "Sid"      = "S3ObjectGetObject"
      "Effect"   = "Allow"
      "Action"   = "s3:GetObject"
      "Resource" = ["arn:${data.aws_partition.current.partition}:s3:::acme-catalog-assets/images/*.png", "arn:${data.aws_partition.current.partition}:s3:::acme-catalog-assets/reports/$${*}.csv"]
      }, {
      "Sid"      = "SqsQueue"
      "Effect"   = "Allow"
      "Action"   = "sqs:SendMessage"
      "Resource" = "arn:${data.aws_partition.current.partition}:sqs:eu-west-1:123456789012:catalog-events"
    }]
  })
}

resource "aws_iam_role" "orders_task" {
  name = "orders-task"
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
          "aws:SourceArn" = "arn:${data.aws_partition.current.partition}:ecs:eu-west-1:123456789012:*"
        }
        "StringEquals" = {
          "aws:SourceAccount" = "123456789012"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "orders_task" {
  name = "iamfit-generated"
  role = aws_iam_role.orders_task.id
  policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [{
      "Sid"      = "BedrockFoundationModel"
      "Effect"   = "Allow"
      "Action"   = "bedrock:InvokeModel"
      "Resource" = ["arn:${data.aws_partition.current.partition}:bedrock:*::foundation-model/anthropic.claude-3-haiku-20240307-v1:0", "arn:${data.aws_partition.current.partition}:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-3-haiku-20240307-v1:0"]
      }, {
      "Sid"      = "DynamodbIndex"
      "Effect"   = "Allow"
      "Action"   = "dynamodb:Query"
      "Resource" = "arn:${data.aws_partition.current.partition}:dynamodb:eu-west-1:123456789012:table/orders-prod/index/by-customer"
      }, {
      "Sid"      = "DynamodbTable"
      "Effect"   = "Allow"
      "Action"   = ["dynamodb:BatchWriteItem", "dynamodb:GetItem", "dynamodb:Query"]
      "Resource" = "arn:${data.aws_partition.current.partition}:dynamodb:eu-west-1:123456789012:table/orders-prod"
      }, {
      "Sid"      = "FirehoseDeliverystream"
      "Effect"   = "Allow"
      "Action"   = "firehose:PutRecordBatch"
      "Resource" = "arn:${data.aws_partition.current.partition}:firehose:eu-west-1:123456789012:deliverystream/orders-logs"
      }, {
      "Sid"      = "S3Bucket"
      "Effect"   = "Allow"
      "Action"   = "s3:ListBucket"
      "Resource" = "arn:${data.aws_partition.current.partition}:s3:::acme-receipts"
      }, {
      "Sid"      = "S3ObjectPutObject"
      "Effect"   = "Allow"
      "Action"   = "s3:PutObject"
      "Resource" = "arn:${data.aws_partition.current.partition}:s3:::acme-receipts/archive/receipts/*.pdf"
      }, {
      "Sid"      = "S3ObjectAbortMultipartUpload"
      "Effect"   = "Allow"
      "Action"   = ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"]
      "Resource" = "arn:${data.aws_partition.current.partition}:s3:::acme-receipts/receipts/*.pdf"
      }, {
      "Sid"      = "S3ObjectGetObject"
      "Effect"   = "Allow"
      "Action"   = "s3:GetObject"
      "Resource" = "arn:${data.aws_partition.current.partition}:s3:::acme-receipts/templates/receipt.html"
      }, {
      "Sid"      = "S3ObjectDeleteObject"
      "Effect"   = "Allow"
      "Action"   = "s3:DeleteObject"
      "Resource" = "arn:${data.aws_partition.current.partition}:s3:::acme-receipts/tmp/*"
      }, {
      "Sid"      = "SesIdentity"
      "Effect"   = "Allow"
      "Action"   = "ses:SendEmail"
      "Resource" = ["arn:${data.aws_partition.current.partition}:ses:eu-west-1:123456789012:identity/example.com", "arn:${data.aws_partition.current.partition}:ses:eu-west-1:123456789012:identity/orders@example.com"]
      }, {
      "Sid"      = "SqsQueue"
      "Effect"   = "Allow"
      "Action"   = ["sqs:DeleteMessage", "sqs:ReceiveMessage"]
      "Resource" = "arn:${data.aws_partition.current.partition}:sqs:eu-west-1:123456789012:orders"
      }, {
      "Sid"      = "TagAnyResource"
      "Effect"   = "Allow"
      "Action"   = "tag:GetResources"
      "Resource" = "*"
    }]
  })
}

resource "aws_iam_role" "web_task" {
  name = "web-task"
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
          "aws:SourceArn" = "arn:${data.aws_partition.current.partition}:ecs:eu-west-1:123456789012:*"
        }
        "StringEquals" = {
          "aws:SourceAccount" = "123456789012"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "web_task" {
  name = "iamfit-generated"
  role = aws_iam_role.web_task.id
  policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [{
      "Sid"      = "DynamodbIndex"
      "Effect"   = "Allow"
      "Action"   = "dynamodb:Query"
      "Resource" = "arn:${data.aws_partition.current.partition}:dynamodb:eu-west-1:123456789012:table/web-sessions/index/by-user"
      }, {
      "Sid"      = "DynamodbTablePutItem"
      "Effect"   = "Allow"
      "Action"   = "dynamodb:PutItem"
      "Resource" = "arn:${data.aws_partition.current.partition}:dynamodb:eu-west-1:123456789012:table/web-audit"
      }, {
      "Sid"      = "DynamodbTableGetItem"
      "Effect"   = "Allow"
      "Action"   = ["dynamodb:GetItem", "dynamodb:Query"]
      "Resource" = "arn:${data.aws_partition.current.partition}:dynamodb:eu-west-1:123456789012:table/web-sessions"
      }, {
      "Sid"      = "ExecuteApiExecuteApiGeneral"
      "Effect"   = "Allow"
      "Action"   = "execute-api:ManageConnections"
      "Resource" = "arn:${data.aws_partition.current.partition}:execute-api:eu-west-1:123456789012:${var.web_socket_api_id}/${var.web_socket_stage}/POST/@connections/*"
      }, {
      "Sid"      = "S3ObjectGetObject"
      "Effect"   = "Allow"
      "Action"   = ["s3:GetObject", "s3:PutObject"]
      "Resource" = "arn:${data.aws_partition.current.partition}:s3:::acme-media/media/*"
      }, {
      "Sid"      = "S3ObjectAbortMultipartUpload"
      "Effect"   = "Allow"
      "Action"   = ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"]
      "Resource" = "arn:${data.aws_partition.current.partition}:s3:::acme-media/uploads/*"
      }, {
      "Sid"      = "S3ObjectPutObject"
      "Effect"   = "Allow"
      "Action"   = "s3:PutObject"
      "Resource" = "arn:${data.aws_partition.current.partition}:s3:::acme-web-logs/*"
      }, {
      "Sid"      = "SnsTopic"
      "Effect"   = "Allow"
      "Action"   = "sns:Publish"
      "Resource" = "arn:${data.aws_partition.current.partition}:sns:eu-west-1:123456789012:media-events"
      }, {
      "Sid"      = "SqsQueue"
      "Effect"   = "Allow"
      "Action"   = "sqs:SendMessage"
      "Resource" = "arn:${data.aws_partition.current.partition}:sqs:eu-west-1:123456789012:web-jobs"
    }]
  })
}

output "catalog_execution_arn" {
  value = aws_iam_role.catalog_execution.arn
}

output "orders_execution_arn" {
  value = aws_iam_role.orders_execution.arn
}

output "web_execution_arn" {
  value = aws_iam_role.web_execution.arn
}

output "catalog_task_arn" {
  value = aws_iam_role.catalog_task.arn
}

output "orders_task_arn" {
  value = aws_iam_role.orders_task.arn
}

output "web_task_arn" {
  value = aws_iam_role.web_task.arn
}
