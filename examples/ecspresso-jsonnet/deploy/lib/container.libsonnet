{
  logs(group, prefix):: {
    logDriver: 'awslogs',
    options: { 'awslogs-group': group, 'awslogs-region': 'eu-central-1', 'awslogs-stream-prefix': prefix },
  },
}
