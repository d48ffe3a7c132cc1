variable "family" {}
variable "image" {}
variable "execution_role_arn" {}
variable "task_role_arn" {}
variable "queue_url" {}
variable "reports_bucket" {}
variable "reports_key_id" {}
variable "log_group" {}

data "aws_region" "current" {}

resource "aws_ecs_task_definition" "this" {
  family                   = var.family
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = var.execution_role_arn
  task_role_arn            = var.task_role_arn
  container_definitions = templatefile("${path.module}/containers.json.tpl", {
    image          = var.image
    queue_url      = var.queue_url
    reports_bucket = var.reports_bucket
    reports_key_id = var.reports_key_id
    log_group      = var.log_group
    region         = data.aws_region.current.name
  })
}
