#!/usr/bin/env bash
# Whole-process comparisons of iamfit with its peers on the same inputs,
# the rows of the performance issue: simulate (100,000 JSON Lines requests)
# against @cloud-copilot/iam-simulate's runUnsafeSimulation, actions (1,000
# distinct patterns) against @cloud-copilot/iam-expand, lint (AWS's managed
# policies, ../shared/aws-managed-policies) against parliament, and
# generate (50 and 500 workflows), which has no peer. A peer that is not
# installed is skipped.
#
#   scripts/bench-peers.sh            # RUNS=5 runs of each, alternating
#   PEERS=/path/to/npm/prefix scripts/bench-peers.sh
#
# The npm peers are looked up in $PEERS/node_modules (npm install --prefix
# $PEERS @cloud-copilot/iam-simulate @cloud-copilot/iam-expand), then in
# the global node_modules; parliament on PATH (pip install parliament).
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
# and appends its CPU seconds per run to $work/NAME.
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
		if [ -n "$peer" ]; then cpu peer "${peercmd[@]}"; fi
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

# lint: AWS's managed policies.
managed=$root/../shared/aws-managed-policies
if [ -d "$managed" ]; then
	n=$(ls "$managed" | wc -l)
	if command -v parliament >/dev/null; then
		compare "lint, $n managed policies" parliament parliament --directory "$managed" -- "$bin" lint --type identity "$managed"
	else
		compare "lint, $n managed policies" "" -- "$bin" lint --type identity "$managed"
	fi
fi

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
