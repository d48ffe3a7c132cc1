#!/usr/bin/env bash
# Entry point of the iamfit GitHub Action (action.yml): lint policies and
# templates into SARIF for code scanning, run the drift gate
# (generate --check) on the kept policies, write a Markdown job summary,
# and fail at the configured severity. Runs locally too: every input is an
# environment variable, and $IAMFIT names the binary.
#
#   INPUT_LINT      paths to lint, space-separated ("" skips lint; default .)
#   INPUT_CHECK     kept policies/templates for generate --check ("" skips it)
#   INPUT_CHECK_ARGS more generate flags, such as --match NAME=KEPT or --var Name=value
#   INPUT_DIR       the repository whose workflows to read (default .)
#   INPUT_REPO      owner/name (default $GITHUB_REPOSITORY, else the origin remote)
#   INPUT_FAIL_ON   error, warning, info or none (default error)
#   INPUT_SARIF     where to write the SARIF (default iamfit.sarif)
set -uo pipefail

iamfit=${IAMFIT:-iamfit}
lint_paths=${INPUT_LINT-.}
check_files=${INPUT_CHECK-}
dir=${INPUT_DIR:-.}
repo=${INPUT_REPO:-${GITHUB_REPOSITORY:-}}
fail_on=${INPUT_FAIL_ON:-error}
sarif=${INPUT_SARIF:-iamfit.sarif}
summary=${GITHUB_STEP_SUMMARY:-/dev/null}
out=${GITHUB_OUTPUT:-/dev/null}

case $fail_on in
error | warning | info | none) ;;
*) echo "iamfit action: fail-on must be error, warning, info or none, not '$fail_on'" >&2; exit 2 ;;
esac

status=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fence() { # a Markdown code block of a file, at most 200 lines
	echo '```'
	head -n 200 "$1"
	if [ "$(wc -l <"$1")" -gt 200 ]; then echo "... (truncated; see the job log)"; fi
	echo '```'
}

{
	echo "## iamfit"
	echo
} >>"$summary"

if [ -n "$lint_paths" ]; then
	# shellcheck disable=SC2086 # the paths are a space-separated list
	"$iamfit" lint --format sarif --fail-on info $lint_paths >"$sarif" 2>"$tmp/lint.err"
	rc=$?
	if [ $rc -ge 2 ]; then
		cat "$tmp/lint.err" >&2
		echo "iamfit action: lint could not read its inputs" >&2
		exit $rc
	fi
	threshold=$fail_on
	[ "$fail_on" = none ] && threshold=info
	# shellcheck disable=SC2086
	"$iamfit" lint --format text --fail-on "$threshold" $lint_paths >"$tmp/lint.txt" 2>"$tmp/lint.err"
	rc=$?
	cat "$tmp/lint.txt"
	counts=$(tail -n 1 "$tmp/lint.err")
	{
		echo "### lint: ${counts:-no findings}"
		echo
		if [ -s "$tmp/lint.txt" ]; then fence "$tmp/lint.txt"; fi
		echo "SARIF for code scanning: \`$sarif\`"
		echo
	} >>"$summary"
	echo "sarif=$sarif" >>"$out"
	echo "lint-exit=$rc" >>"$out"
	if [ $rc -eq 1 ] && [ "$fail_on" != none ]; then
		echo "iamfit action: lint findings at or over $fail_on" >&2
		status=1
	fi
fi

if [ -n "$check_files" ]; then
	args=(generate --dir "$dir" --check)
	[ -n "$repo" ] && args=(generate --repo "$repo" --dir "$dir" --check)
	# shellcheck disable=SC2086 # space-separated lists
	"$iamfit" "${args[@]}" ${INPUT_CHECK_ARGS:-} $check_files >"$tmp/check.txt" 2>"$tmp/check.err"
	rc=$?
	cat "$tmp/check.txt"
	if [ $rc -ge 2 ]; then
		cat "$tmp/check.err" >&2
		{
			echo "### generate --check: could not run"
			echo
			fence "$tmp/check.err"
		} >>"$summary"
		exit $rc
	fi
	verdict="the kept policies are up to date"
	[ $rc -eq 1 ] && verdict="DRIFTED: the kept policies do not match what the workflows need"
	{
		echo "### generate --check: $verdict"
		echo
		fence "$tmp/check.txt"
	} >>"$summary"
	echo "check-exit=$rc" >>"$out"
	if [ $rc -eq 1 ]; then
		echo "iamfit action: the kept policies drifted from what the workflows need" >&2
		status=1
	fi
fi

exit $status
