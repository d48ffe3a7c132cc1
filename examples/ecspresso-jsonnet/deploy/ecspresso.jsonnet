local must_env = std.native('must_env');
local stage = std.extVar('stage');
{
  region: must_env('AWS_REGION'),
  cluster: 'jobs-' + stage,
  service: '',
  task_definition: 'task-def.jsonnet',
  plugins: [
    {
      name: 'tfstate',
      config: { url: 's3://jobs-terraform/' + stage + '/terraform.tfstate' },
      func_prefix: 'infra_',
    },
  ],
}
