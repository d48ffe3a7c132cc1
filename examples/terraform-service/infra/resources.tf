resource "aws_s3_bucket" "uploads" {
  bucket = "${local.prefix}-uploads"
}

resource "aws_sqs_queue" "jobs" {
  name = "${local.prefix}-jobs"
}

resource "aws_dynamodb_table" "orders" {
  name         = "${local.prefix}-orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }
}

resource "aws_sns_topic" "events" {}

resource "aws_secretsmanager_secret" "payments" {
  name = "${var.env}/payments-api-key"
}

resource "aws_ssm_parameter" "feature_flags" {
  name  = "/${var.env}/shop/feature-flags"
  type  = "String"
  value = "{}"
}

resource "aws_kms_key" "reports" {}

resource "aws_cloudwatch_log_group" "shop" {
  name = "/ecs/${local.prefix}"
}

resource "aws_ecr_repository" "api" {
  name = "shop-api"
}

resource "aws_ecr_repository" "worker" {
  name = "shop-worker"
}
