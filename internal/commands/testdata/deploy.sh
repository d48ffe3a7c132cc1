#!/usr/bin/env bash
set -euo pipefail

# Deploy the services of one environment to ECS.
ENVIRONMENT="${ENVIRONMENT:-staging}"
AWS_REGION="${AWS_REGION:-us-east-1}"
export AWS_REGION
ACCOUNT_ID=$(aws sts get-caller-identity --query Account --output text)
REGISTRY="${ACCOUNT_ID}.dkr.ecr.${AWS_REGION}.amazonaws.com"
CLUSTER="app-${ENVIRONMENT}"
TAG="${GITHUB_SHA::7}"
SERVICES=(web api worker scheduler)

log() {
  echo "[$(date -u +%H:%M:%S)] $*" >&2
}

ensure_repository() {
  local name=$1
  if ! aws ecr describe-repositories --repository-names "$name" >/dev/null 2>&1; then
    log "creating repository $name"
    aws ecr create-repository --repository-name "$name" \
      --image-scanning-configuration scanOnPush=true \
      --image-tag-mutability IMMUTABLE
  fi
}

aws ecr get-login-password --region "$AWS_REGION" | docker login --username AWS --password-stdin "$REGISTRY"

# --- service web ---
ensure_repository "web"
docker build -t "$REGISTRY/web:$TAG" -f services/web/Dockerfile .
docker push "$REGISTRY/web:$TAG"
TASK_DEF=$(aws ecs describe-task-definition --task-definition "web-${ENVIRONMENT}" --query taskDefinition)
NEW_TASK_DEF=$(echo "$TASK_DEF" | jq --arg IMAGE "$REGISTRY/web:$TAG" '.containerDefinitions[0].image = $IMAGE')
aws ecs register-task-definition --cli-input-json file://- <<JSON
$NEW_TASK_DEF
JSON
case "$ENVIRONMENT" in
  production) DESIRED=4 ;;
  staging|dev) DESIRED=1 ;;
  *) log "unknown environment $ENVIRONMENT"; exit 1 ;;
esac
aws ecs update-service --cluster "$CLUSTER" --service "web" \
  --task-definition "web-${ENVIRONMENT}" --desired-count "$DESIRED" \
  --force-new-deployment

# --- service api ---
ensure_repository "api"
docker build -t "$REGISTRY/api:$TAG" -f services/api/Dockerfile .
docker push "$REGISTRY/api:$TAG"
TASK_DEF=$(aws ecs describe-task-definition --task-definition "api-${ENVIRONMENT}" --query taskDefinition)
NEW_TASK_DEF=$(echo "$TASK_DEF" | jq --arg IMAGE "$REGISTRY/api:$TAG" '.containerDefinitions[0].image = $IMAGE')
aws ecs register-task-definition --cli-input-json file://- <<JSON
$NEW_TASK_DEF
JSON
case "$ENVIRONMENT" in
  production) DESIRED=4 ;;
  staging|dev) DESIRED=1 ;;
  *) log "unknown environment $ENVIRONMENT"; exit 1 ;;
esac
aws ecs update-service --cluster "$CLUSTER" --service "api" \
  --task-definition "api-${ENVIRONMENT}" --desired-count "$DESIRED" \
  --force-new-deployment

# --- service worker ---
ensure_repository "worker"
docker build -t "$REGISTRY/worker:$TAG" -f services/worker/Dockerfile .
docker push "$REGISTRY/worker:$TAG"
TASK_DEF=$(aws ecs describe-task-definition --task-definition "worker-${ENVIRONMENT}" --query taskDefinition)
NEW_TASK_DEF=$(echo "$TASK_DEF" | jq --arg IMAGE "$REGISTRY/worker:$TAG" '.containerDefinitions[0].image = $IMAGE')
aws ecs register-task-definition --cli-input-json file://- <<JSON
$NEW_TASK_DEF
JSON
case "$ENVIRONMENT" in
  production) DESIRED=4 ;;
  staging|dev) DESIRED=1 ;;
  *) log "unknown environment $ENVIRONMENT"; exit 1 ;;
esac
aws ecs update-service --cluster "$CLUSTER" --service "worker" \
  --task-definition "worker-${ENVIRONMENT}" --desired-count "$DESIRED" \
  --force-new-deployment

# --- service scheduler ---
ensure_repository "scheduler"
docker build -t "$REGISTRY/scheduler:$TAG" -f services/scheduler/Dockerfile .
docker push "$REGISTRY/scheduler:$TAG"
TASK_DEF=$(aws ecs describe-task-definition --task-definition "scheduler-${ENVIRONMENT}" --query taskDefinition)
NEW_TASK_DEF=$(echo "$TASK_DEF" | jq --arg IMAGE "$REGISTRY/scheduler:$TAG" '.containerDefinitions[0].image = $IMAGE')
aws ecs register-task-definition --cli-input-json file://- <<JSON
$NEW_TASK_DEF
JSON
case "$ENVIRONMENT" in
  production) DESIRED=4 ;;
  staging|dev) DESIRED=1 ;;
  *) log "unknown environment $ENVIRONMENT"; exit 1 ;;
esac
aws ecs update-service --cluster "$CLUSTER" --service "scheduler" \
  --task-definition "scheduler-${ENVIRONMENT}" --desired-count "$DESIRED" \
  --force-new-deployment

# --- service mailer ---
ensure_repository "mailer"
docker build -t "$REGISTRY/mailer:$TAG" -f services/mailer/Dockerfile .
docker push "$REGISTRY/mailer:$TAG"
TASK_DEF=$(aws ecs describe-task-definition --task-definition "mailer-${ENVIRONMENT}" --query taskDefinition)
NEW_TASK_DEF=$(echo "$TASK_DEF" | jq --arg IMAGE "$REGISTRY/mailer:$TAG" '.containerDefinitions[0].image = $IMAGE')
aws ecs register-task-definition --cli-input-json file://- <<JSON
$NEW_TASK_DEF
JSON
case "$ENVIRONMENT" in
  production) DESIRED=4 ;;
  staging|dev) DESIRED=1 ;;
  *) log "unknown environment $ENVIRONMENT"; exit 1 ;;
esac
aws ecs update-service --cluster "$CLUSTER" --service "mailer" \
  --task-definition "mailer-${ENVIRONMENT}" --desired-count "$DESIRED" \
  --force-new-deployment

# --- service reports ---
ensure_repository "reports"
docker build -t "$REGISTRY/reports:$TAG" -f services/reports/Dockerfile .
docker push "$REGISTRY/reports:$TAG"
TASK_DEF=$(aws ecs describe-task-definition --task-definition "reports-${ENVIRONMENT}" --query taskDefinition)
NEW_TASK_DEF=$(echo "$TASK_DEF" | jq --arg IMAGE "$REGISTRY/reports:$TAG" '.containerDefinitions[0].image = $IMAGE')
aws ecs register-task-definition --cli-input-json file://- <<JSON
$NEW_TASK_DEF
JSON
case "$ENVIRONMENT" in
  production) DESIRED=4 ;;
  staging|dev) DESIRED=1 ;;
  *) log "unknown environment $ENVIRONMENT"; exit 1 ;;
esac
aws ecs update-service --cluster "$CLUSTER" --service "reports" \
  --task-definition "reports-${ENVIRONMENT}" --desired-count "$DESIRED" \
  --force-new-deployment

# --- service search ---
ensure_repository "search"
docker build -t "$REGISTRY/search:$TAG" -f services/search/Dockerfile .
docker push "$REGISTRY/search:$TAG"
TASK_DEF=$(aws ecs describe-task-definition --task-definition "search-${ENVIRONMENT}" --query taskDefinition)
NEW_TASK_DEF=$(echo "$TASK_DEF" | jq --arg IMAGE "$REGISTRY/search:$TAG" '.containerDefinitions[0].image = $IMAGE')
aws ecs register-task-definition --cli-input-json file://- <<JSON
$NEW_TASK_DEF
JSON
case "$ENVIRONMENT" in
  production) DESIRED=4 ;;
  staging|dev) DESIRED=1 ;;
  *) log "unknown environment $ENVIRONMENT"; exit 1 ;;
esac
aws ecs update-service --cluster "$CLUSTER" --service "search" \
  --task-definition "search-${ENVIRONMENT}" --desired-count "$DESIRED" \
  --force-new-deployment

# --- service billing ---
ensure_repository "billing"
docker build -t "$REGISTRY/billing:$TAG" -f services/billing/Dockerfile .
docker push "$REGISTRY/billing:$TAG"
TASK_DEF=$(aws ecs describe-task-definition --task-definition "billing-${ENVIRONMENT}" --query taskDefinition)
NEW_TASK_DEF=$(echo "$TASK_DEF" | jq --arg IMAGE "$REGISTRY/billing:$TAG" '.containerDefinitions[0].image = $IMAGE')
aws ecs register-task-definition --cli-input-json file://- <<JSON
$NEW_TASK_DEF
JSON
case "$ENVIRONMENT" in
  production) DESIRED=4 ;;
  staging|dev) DESIRED=1 ;;
  *) log "unknown environment $ENVIRONMENT"; exit 1 ;;
esac
aws ecs update-service --cluster "$CLUSTER" --service "billing" \
  --task-definition "billing-${ENVIRONMENT}" --desired-count "$DESIRED" \
  --force-new-deployment

# --- service gateway ---
ensure_repository "gateway"
docker build -t "$REGISTRY/gateway:$TAG" -f services/gateway/Dockerfile .
docker push "$REGISTRY/gateway:$TAG"
TASK_DEF=$(aws ecs describe-task-definition --task-definition "gateway-${ENVIRONMENT}" --query taskDefinition)
NEW_TASK_DEF=$(echo "$TASK_DEF" | jq --arg IMAGE "$REGISTRY/gateway:$TAG" '.containerDefinitions[0].image = $IMAGE')
aws ecs register-task-definition --cli-input-json file://- <<JSON
$NEW_TASK_DEF
JSON
case "$ENVIRONMENT" in
  production) DESIRED=4 ;;
  staging|dev) DESIRED=1 ;;
  *) log "unknown environment $ENVIRONMENT"; exit 1 ;;
esac
aws ecs update-service --cluster "$CLUSTER" --service "gateway" \
  --task-definition "gateway-${ENVIRONMENT}" --desired-count "$DESIRED" \
  --force-new-deployment

for svc in "${SERVICES[@]}"; do
  log "waiting for $svc"
  until aws ecs wait services-stable --cluster "$CLUSTER" --services "$svc"; do
    sleep 10
  done
done

if [[ "$ENVIRONMENT" == production ]]; then
  aws cloudfront create-invalidation --distribution-id "$CF_DISTRIBUTION" --paths '/*'
  aws s3 sync ./static "s3://assets-${ENVIRONMENT}/" --delete
fi
echo "deployed=$TAG" >> "$GITHUB_OUTPUT"
