resource "aws_ecs_task_definition" "api" {
  family                   = "${local.prefix}-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.api.arn

  container_definitions = jsonencode([
    {
      name      = "api"
      image     = "${aws_ecr_repository.api.repository_url}:latest"
      essential = true
      portMappings = [{ containerPort = 8080 }]
      environment = [
        { name = "UPLOADS_BUCKET", value = aws_s3_bucket.uploads.bucket },
        { name = "ORDERS_TABLE", value = aws_dynamodb_table.orders.name },
        { name = "JOBS_QUEUE_URL", value = aws_sqs_queue.jobs.url },
        { name = "EVENTS_TOPIC_ARN", value = aws_sns_topic.events.arn },
        { name = "FLAGS_PARAMETER", value = aws_ssm_parameter.feature_flags.name },
      ]
      secrets = [
        { name = "PAYMENTS_API_KEY", valueFrom = aws_secretsmanager_secret.payments.arn },
      ]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.shop.name
          awslogs-region        = var.region
          awslogs-stream-prefix = "api"
        }
      }
    }
  ])
}
