#!/usr/bin/env bash
# Measures iamfit on about 1 GB of gzipped synthetic CloudTrail logs from
# internal/cloudtrail/ctgen, in the three shapes logs come in:
#
#   s3      450 files of 20,000 records, as CloudTrail delivers them to S3
#   lookup  2 files of 3.8 million events, aws cloudtrail lookup-events output
#   small   100,000 files of 80 records
#
#   scripts/bench-cloudtrail.sh [DIR [SHAPE...]]   # DIR keeps the logs between runs
#
# Prints the wall time and, where /usr/bin/time exists, the peak memory
# (maximum resident set size) of explain --cloudtrail and generate
# --cloudtrail on each. The unit benchmarks are go test -bench .
# ./internal/cloudtrail; TestManyFilesNoResidue checks the live heap.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-${TMPDIR:-/tmp}/iamfit-ct1g}
shift || true
shapes=("$@")
[ ${#shapes[@]} -gt 0 ] || shapes=(s3 lookup small)
bin=$(mktemp -d)/iamfit
go build -o "$bin" ./cmd/iamfit
gen() {
	local shape=$1 out=$dir/$1
	[ -e "$out/.complete" ] && return
	echo "writing the $shape logs to $out (a few minutes)" >&2
	case $shape in
	s3) go run ./internal/cloudtrail/ctgen -records 20000 -files 450 -gzip -out "$out" ;;
	lookup) go run ./internal/cloudtrail/ctgen -lookup -records 3800000 -files 2 -gzip -out "$out" ;;
	small) go run ./internal/cloudtrail/ctgen -records 80 -files 100000 -gzip -out "$out" ;;
	esac
	touch "$out/.complete"
}
measure() {
	local name=$1
	shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f "$name: %e s wall, %U s user, %M KB peak RSS" "$bin" "$@" >/dev/null 2>/tmp/iamfit-bench.err || true
		tail -n 1 /tmp/iamfit-bench.err
	else
		TIMEFORMAT="$name: %R s wall, %U s user"
		time "$bin" "$@" >/dev/null
	fi
}
for shape in "${shapes[@]}"; do
	gen "$shape"
	echo "$shape: $(du -sh --apparent-size "$dir/$shape" | cut -f1) in $(find "$dir/$shape" -name '*.gz' | wc -l) files"
	measure "$shape explain --cloudtrail" explain --cloudtrail "$dir/$shape"
	measure "$shape generate --cloudtrail" generate --cloudtrail "$dir/$shape" --principal arn:aws:iam::123456789012:role/gh-deploy
done
