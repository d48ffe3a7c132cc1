[
  {
    "name": "worker",
    "image": "${image}",
    "essential": true,
    "environment": [
      {"name": "JOBS_QUEUE_URL", "value": "${queue_url}"},
      {"name": "REPORTS_BUCKET", "value": "${reports_bucket}"},
      {"name": "REPORTS_KEY_ID", "value": "${reports_key_id}"}
    ],
    "logConfiguration": {
      "logDriver": "awslogs",
      "options": {
        "awslogs-group": "${log_group}",
        "awslogs-region": "${region}",
        "awslogs-stream-prefix": "worker"
      }
    }
  }
]
