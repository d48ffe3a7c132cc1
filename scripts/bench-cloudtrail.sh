#!/usr/bin/env bash
# Measures iamfit on about 1 GB of gzipped synthetic CloudTrail logs:
# 450 files of 20,000 records (10.5 GB of JSON) from internal/cloudtrail/ctgen.
#
#   scripts/bench-cloudtrail.sh [DIR]    # DIR keeps the logs between runs
#
# Prints the wall time and, where /usr/bin/time exists, the peak memory of
# explain --cloudtrail and generate --cloudtrail. The unit benchmarks are
# go test -bench . ./internal/cloudtrail.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-${TMPDIR:-/tmp}/iamfit-ct1g}
files=${FILES:-450}
if [ ! -e "$dir/.complete" ]; then
	echo "writing $files log files to $dir (a few minutes)" >&2
	go run ./internal/cloudtrail/ctgen -records 20000 -files "$files" -gzip -out "$dir"
	touch "$dir/.complete"
fi
bin=$(mktemp -d)/iamfit
go build -o "$bin" ./cmd/iamfit
du -sh "$dir"
measure() {
	local name=$1
	shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f "$name: %e s wall, %U s user, %M KB peak" "$bin" "$@" >/dev/null
	else
		TIMEFORMAT="$name: %R s wall, %U s user"
		time "$bin" "$@" >/dev/null
	fi
}
measure "explain --cloudtrail" explain --cloudtrail "$dir"
measure "generate --cloudtrail" generate --cloudtrail "$dir" --principal arn:aws:iam::123456789012:role/gh-deploy
