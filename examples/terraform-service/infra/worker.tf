module "worker" {
  source             = "../modules/worker"
  family             = "${local.prefix}-worker"
  image              = "${aws_ecr_repository.worker.repository_url}:latest"
  execution_role_arn = aws_iam_role.execution.arn
  task_role_arn      = aws_iam_role.worker.arn
  queue_url          = aws_sqs_queue.jobs.url
  reports_bucket     = aws_s3_bucket.uploads.bucket
  reports_key_id     = aws_kms_key.reports.key_id
  log_group          = aws_cloudwatch_log_group.shop.name
}
