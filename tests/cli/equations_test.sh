#!/usr/bin/env bash
# plexus-cli equations end to end (docs/equations.md): a CSV curve to a formula (text and JSON), the learned curves of
# a trained run with the generator's expressions beside them, metrics.json's equations, and clear errors.
# Usage: equations_test.sh PATH/TO/plexus-cli
set -u
cli=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/expect.sh"

# y = -1.5·x + 2·tanh(x) on [-4, 4], 120 points, with a header line.
awk 'BEGIN { print "x,y"; for (i = 0; i < 120; i++) { x = -4 + 8 * i / 119; e = exp(2 * x);
             printf "%.10f,%.10f\n", x, -1.5 * x + 2 * (e - 1) / (e + 1) } }' > "$work/curve.csv"
expect 0 "chosen: f\(x\) = .*1\.50·x.*2\.00·tanh\(x\)|chosen: f\(x\) = .*2\.00·tanh\(x\).*1\.50·x" -- \
  "$cli" equations --csv "$work/curve.csv" --threads 2
expect 0 '"best": \{"expression": "[^"]*tanh\(x\)[^"]*", "complexity": 8' -- \
  "$cli" equations --csv "$work/curve.csv" --json --threads 2
expect 0 '"pareto": \[\{"expression"' -- "$cli" equations --csv "$work/curve.csv" --json --cycles 3

printf 'x,y\n0,1\n1,2\n2,oops\n' > "$work/bad.csv"
expect 2 "bad.csv, line 4: expected two finite numbers" -- "$cli" equations --csv "$work/bad.csv"
printf 'x,y\n0,1\n' > "$work/short.csv"
expect 2 "expected at least 3 points" -- "$cli" equations --csv "$work/short.csv"
expect 2 "cannot open" -- "$cli" equations --csv "$work/none.csv"
expect 2 "give either RUN_DIR or --csv" -- "$cli" equations "$work/run" --csv "$work/curve.csv"
expect 2 "max-complexity: expected 3 or more" -- "$cli" equations --csv "$work/curve.csv" --max-complexity 2
expect 2 "has no checkpoint" -- "$cli" equations "$work"

# A trained run: per type its update function, the shared transfer function, the generator's form beside each.
expect 0 "Simulated" -- "$cli" simulate --preset demo_tiny --out "$work/run" --set simulation.n_frames=2000
expect 0 "trained 300 iterations" -- "$cli" train "$work/run" --iterations 300 --metrics-every 100
expect 0 "update function φ\*, cluster 0.*generator \(true type [0-9]\): .*tanh\(u\).*transfer function ψ\*.*generator: " -- \
  bash -c "'$cli' equations '$work/run' --cycles 4 --threads 2 | tr '\n' ' '"
expect 0 '"truth": \{"expression": "[^"]*tanh\(x\)' -- "$cli" equations "$work/run" --json --cycles 4
expect 0 "equation .*update function" -- "$cli" evaluate "$work/run" --rollout-frames 0
checks=$((checks + 1))
if ! grep -q '"equations": \[' "$work/run/metrics.json"; then
  failures=$((failures + 1))
  echo "FAIL: metrics.json has no equations"
fi

echo "equations_test: $((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
