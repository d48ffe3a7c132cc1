local must_env = std.native('must_env');
local env = std.native('env');
local tfstate = std.native('infra_tfstate');
local ssm = std.native('ssm');
local container = import 'lib/container.libsonnet';
local stage = env('STAGE', 'dev');
{
  family: 'nightly-' + stage,
  executionRoleArn: tfstate('aws_iam_role.nightly_execution.arn'),
  taskRoleArn: 'arn:aws:iam::456789012345:role/nightly-task-' + stage,
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  cpu: '256',
  memory: '512',
  containerDefinitions: [
    {
      name: 'nightly',
      image: '456789012345.dkr.ecr.eu-central-1.amazonaws.com/nightly:' + must_env('IMAGE_TAG'),
      environment: [{ name: 'BUCKET', value: ssm('/nightly/' + stage + '/bucket') }],
      secrets: [{ name: 'API_TOKEN', valueFrom: 'arn:aws:ssm:eu-central-1:456789012345:parameter/nightly/' + stage + '/api-token' }],
      logConfiguration: container.logs('/ecs/nightly-' + stage, 'nightly'),
    },
  ],
  tags: [{ key: 'stage', value: stage }],
}
