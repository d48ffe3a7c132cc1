#!/usr/bin/env bash
# Whole-process comparisons of iamfit with its peers on the same inputs,
# the rows of the performance issue: simulate (100,000 JSON Lines requests)
# against @cloud-copilot/iam-simulate's runUnsafeSimulation, actions (1,000
# distinct patterns) against @cloud-copilot/iam-expand, lint (AWS's managed
# policies, ../shared/aws-managed-policies, and 1,000 and 10,000 generated
# policies) against parliament, and generate (50 and 500 workflows), which
# has no peer. A peer that is not installed is skipped.
#
#   scripts/bench-peers.sh            # RUNS=5 runs of each, alternating
#   PEERS=/path/to/npm/prefix scripts/bench-peers.sh
#
# The npm peers are looked up in $PEERS/node_modules (npm install --prefix
# $PEERS @cloud-copilot/iam-simulate @cloud-copilot/iam-expand), then in
# the global node_modules; parliament on PATH (pip install parliament),
# then in $PEERS/bin.
# Each figure is the median CPU time (user + system) of the runs: on a
# shared machine it is steadier than wall time. The in-process benchmarks
# are go test -bench . ./internal/cli ./internal/eval ./internal/lint.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
runs=${RUNS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# IAMFIT=/path/to/iamfit measures another build (an older one, for a
# before and after).
bin=${IAMFIT:-$work/iamfit}
if [ -z "${IAMFIT:-}" ]; then
	go build -o "$bin" ./cmd/iamfit
fi

# cpu NAME CMD... runs CMD $REPEAT times (1 unless set: /usr/bin/time
# counts in hundredths of a second) with stdin from $STDIN (or /dev/null)
# and appends its CPU seconds per run to $work/NAME. compare runs the peer
# $PEER_REPEAT times when that is set (a slow peer needs no repeating).
cpu() {
	local name=$1
	shift
	/usr/bin/time -o "$work/t" -f "%U %S" bash -c 'for _ in $(seq "$0"); do "$@" <"$STDIN" >/dev/null 2>&1 || true; done' \
		"${REPEAT:-1}" "$@" || true
	tail -1 "$work/t" | awk -v n="${REPEAT:-1}" '{ printf "%.4f\n", ($1 + $2) / n }' >>"$work/$name"
}
export STDIN=/dev/null
median() { sort -n "$work/$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# compare ROW PEER-NAME PEER-CMD -- IAMFIT-CMD: alternating runs, medians
# and the ratio.
compare() {
	local row=$1 peer=$2
	shift 2
	local peercmd=() ours=()
	while [ "$1" != "--" ]; do peercmd+=("$1"); shift; done
	shift
	ours=("$@")
	rm -f "$work/peer" "$work/ours"
	for _ in $(seq "$runs"); do
		if [ -n "$peer" ]; then REPEAT=${PEER_REPEAT:-${REPEAT:-1}} cpu peer "${peercmd[@]}"; fi
		cpu ours "${ours[@]}"
	done
	if [ -n "$peer" ]; then
		awk -v row="$row" -v peer="$peer" -v p="$(median peer)" -v o="$(median ours)" \
			'BEGIN { printf "%-34s %-34s %8.4f s  iamfit %8.4f s  %6.1fx\n", row, peer, p, o, (o > 0 ? p / o : 0) }'
	else
		awk -v row="$row" -v o="$(median ours)" 'BEGIN { printf "%-34s %-34s %8s    iamfit %8.4f s\n", row, "(no peer)", "", o }'
	fi
}
npmbin() {
	local d
	for d in "${PEERS:+$PEERS/node_modules}" "$(npm root -g 2>/dev/null || true)"; do
		if [ -n "$d" ] && [ -e "$d/$1" ]; then
			echo "$d"
			return
		fi
	done
}

# simulate: the policy and requests of BenchmarkSimulateBatch100k.
cat >"$work/policy.json" <<'JSON'
{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["ecs:UpdateService", "ecs:DescribeServices"], "Resource": "arn:aws:ecs:us-east-1:111111111111:service/prod/*",
   "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}},
  {"Effect": "Deny", "Action": "ecs:*", "Resource": "arn:aws:ecs:*:*:service/admin/*"},
  {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}
JSON
awk 'BEGIN { for (i = 0; i < 100000; i++) { svc = (i % 10 == 0) ? "admin" : "prod";
	printf "{\"principal\": \"arn:aws:sts::111111111111:assumed-role/deploy/run-%d\", \"action\": \"ecs:UpdateService\", \"resource\": \"arn:aws:ecs:us-east-1:111111111111:service/%s/app-%d\", \"context\": {\"aws:RequestedRegion\": \"us-east-1\"}}\n", i, svc, i % 97 } }' >"$work/requests.jsonl"
nm=$(npmbin @cloud-copilot/iam-simulate)
STDIN=$work/requests.jsonl compare "simulate 100k JSON Lines" "${nm:+iam-simulate runUnsafeSimulation}" \
	env NODE_PATH="$nm" node scripts/peers/simulate.cjs "$work/policy.json" -- \
	"$bin" simulate --policy "$work/policy.json"

# actions: 1,000 distinct patterns, a service and the first word of one of
# its actions each (as BenchmarkActions1000 makes them).
"$bin" actions '*' >"$work/all-actions"
awk '{ split($1, a, ":"); w = a[2]; m = match(substr(w, 2), /[A-Z]/); if (m) w = substr(w, 1, m)
	p = a[1] ":" w "*"; if (!(p in seen)) { seen[p] = 1; print p; if (++n == 1000) exit } }' "$work/all-actions" >"$work/patterns"
mapfile -t pats <"$work/patterns"
nm=$(npmbin @cloud-copilot/iam-expand)
REPEAT=10 compare "actions, ${#pats[@]} patterns" "${nm:+iam-expand}" "$nm/.bin/iam-expand" "${pats[@]}" -- "$bin" actions "${pats[@]}"

# lint: AWS's managed policies, then directories of generated policies.
# parliament reads stdin when it is not a terminal: it gets /dev/null.
parliament=$(PATH="$PATH${PEERS:+:$PEERS/bin}" command -v parliament || true)
# lintrow ROW FLAGS... DIR: iamfit lint FLAGS DIR against parliament
# --directory DIR.
lintrow() {
	local row=$1
	shift
	local dir=${*: -1}
	if [ -n "$parliament" ]; then
		compare "$row" parliament "$parliament" --directory "$dir" -- "$bin" lint "$@"
	else
		compare "$row" "" -- "$bin" lint "$@"
	fi
}
managed=$root/../shared/aws-managed-policies
if [ -d "$managed" ]; then
	lintrow "lint, $(ls "$managed" | wc -l) managed policies" --type identity "$managed"
fi
# gen_policies N DIR writes N policies of 1 to 5 statements into DIR, the
# files BenchmarkLint1000 (internal/cli/bench_test.go) writes: p0000.json
# holds statements 0, p0001.json statements 1 and 2, and so on, "%d" the
# file's number.
gen_policies() {
	awk -v n="$1" -v dir="$2" 'BEGIN {
	s[0] = "{\"Sid\": \"Login\", \"Effect\": \"Allow\", \"Action\": \"ecr:GetAuthorizationToken\", \"Resource\": \"*\"}"
	s[1] = "{\"Sid\": \"Push\", \"Effect\": \"Allow\", \"Action\": [\"ecr:BatchCheckLayerAvailability\", \"ecr:CompleteLayerUpload\", \"ecr:InitiateLayerUpload\", \"ecr:PutImage\", \"ecr:UploadLayerPart\"], \"Resource\": \"arn:aws:ecr:us-east-1:123456789012:repository/app-%d\"}"
	s[2] = "{\"Sid\": \"Deploy\", \"Effect\": \"Allow\", \"Action\": [\"ecs:DescribeServices\", \"ecs:UpdateService\"], \"Resource\": \"arn:aws:ecs:us-east-1:123456789012:service/prod/app-%d\"}"
	s[3] = "{\"Sid\": \"Pass\", \"Effect\": \"Allow\", \"Action\": \"iam:PassRole\", \"Resource\": \"arn:aws:iam::123456789012:role/app-%d\", \"Condition\": {\"StringEquals\": {\"iam:PassedToService\": \"ecs-tasks.amazonaws.com\"}}}"
	s[4] = "{\"Sid\": \"Data\", \"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\", \"s3:PutObject\", \"sqs:*\"], \"Resource\": [\"arn:aws:s3:::bucket-%d/*\", \"*\"]}"
	for (i = 0; i < n; i++) {
		doc = "{\"Version\": \"2012-10-17\", \"Statement\": ["
		for (k = 0; k < 1 + i % 5; k++) {
			t = s[(i + k) % 5]
			gsub(/%d/, i, t)
			doc = doc (k > 0 ? ",\n" : "") t
		}
		f = sprintf("%s/p%04d.json", dir, i)
		print doc "]}" >f
		close(f)
	}
}'
}
# iamfit's run at 1,000 is a few hundredths of a second: repeated.
for n in 1000 10000; do
	mkdir -p "$work/policies$n"
	gen_policies "$n" "$work/policies$n"
	REPEAT=$((n == 1000 ? 10 : 1)) PEER_REPEAT=1 lintrow "lint, $n generated policies" "$work/policies$n"
done

# generate: repositories of 50 and 500 workflows (as BenchmarkGenerate50
# and BenchmarkGenerate500 make them).
for n in 50 500; do
	repo=$work/repo$n
	mkdir -p "$repo/.github/workflows" "$repo/.aws"
	for i in $(seq 0 $((n - 1))); do
		name=$(printf 'svc%02d' "$i")
		sed -e "s/shop-web/$name/g" -e "s#\.aws/task-definition\.json#.aws/$name.json#g" \
			examples/rolling-deploy/.github/workflows/deploy.yml >"$repo/.github/workflows/$name.yml"
		sed "s/shop-web/$name/g" examples/rolling-deploy/.aws/task-definition.json >"$repo/.aws/$name.json"
	done
	compare "generate, $n workflows" "" -- "$bin" generate --repo o/r "$repo"
done
