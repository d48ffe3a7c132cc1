#!/usr/bin/env bash
# Runs this repository's pre-commit hooks (.pre-commit-hooks.yaml) with
# pre-commit try-repo against examples/, where Debian's pre-commit package
# installs; otherwise says why it is skipped. Called by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v pre-commit >/dev/null 2>&1; then
	if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pre-commit) >/dev/null 2>&1 || true
	fi
fi
if ! command -v pre-commit >/dev/null 2>&1; then
	echo "pre-commit hooks: SKIPPED: the pre-commit package does not install here (Debian's pre-commit needs apt-get as root)"
	exit 0
fi

# try-repo takes the hooks from a git repository's HEAD: commit the
# checkout as it is into a scratch clone.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git ls-files -z -co --exclude-standard | tar --null -T - -cf - | (mkdir -p "$work/hooks" && tar -xf - -C "$work/hooks")
(cd "$work/hooks" && git init -q && git add -A && git -c user.name=ci -c user.email=ci@localhost commit -qm hooks)
export PRE_COMMIT_HOME="$work/cache"

# The target: a git repository holding one example.
cp -r examples/push-to-ecr "$work/target"
(cd "$work/target" && git init -q && git add -A && git -c user.name=ci -c user.email=ci@localhost commit -qm example)
cd "$work/target"
rev=$(git -C "$work/hooks" rev-parse HEAD)
cat >.pre-commit-config.yaml <<YAML
repos:
  - repo: $work/hooks
    rev: $rev
    hooks:
      - id: iamfit-lint
        files: ^(policy|trust)\.json$
      - id: iamfit-check
        args: [--repo, octo-org/web, iamfit/main.tf]
YAML
pre-commit run --all-files --show-diff-on-failure
# The hook must fail on drift: a kept policy that lacks a permission.
sed -i 's/"ecr:PutImage", //' iamfit/main.tf
if pre-commit run iamfit-check --all-files >"$work/drift.log" 2>&1; then
	cat "$work/drift.log"
	echo "pre-commit hooks: iamfit-check passed a drifted policy" >&2
	exit 1
fi
grep -q MISSING "$work/drift.log"
echo "pre-commit hooks ok"
