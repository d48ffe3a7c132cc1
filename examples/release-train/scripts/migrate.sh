#!/bin/sh
# Runs the database migration task once per release.
set -eu
aws ecs run-task --cluster train-prod --task-definition train-migrate --launch-type FARGATE
