#!/usr/bin/env bash
# Training throughput with the Studio open vs headless plexus-cli, on the fig_2 experiment (N = 1000), plus the
# Studio's redraw and input-to-redraw times. Usage: tools/bench_studio.sh [seconds] (default 90).
# Simulates fig_2 into a temporary folder first (~15 s, 800 MB). Prints one line per measurement.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-90}
cli=./build/app/plexus-cli
run=$(mktemp -d)/fig_2
$cli simulate --preset fig_2 --out "$run" >/dev/null 2>&1
rate() { tr '\r' '\n' | grep -E "it/s" | tail -1 | sed -E 's/.* ([0-9.]+) it\/s.*/\1/'; }
iterations=$(( seconds * 40 ))
for threads in 1 2; do
  r=$($cli train "$run" --iterations "$iterations" --threads "$threads" --restart 2>&1 | rate)
  echo "{\"mode\": \"headless plexus-cli train\", \"threads\": $threads, \"iterations_per_second\": $r}"
done
# The Studio's default: all cores but one for training (the window keeps one).
rm -rf "$run/checkpoints" "$run/metrics.csv"
json=$(xvfb-run -a -s "-screen 0 1920x1200x24" ./build/app/plexus --run "$run" --bench-ui "$seconds" 2>/dev/null | grep '^{')
echo "{\"mode\": \"Studio (default threads)\", \"result\": $json}"
rm -rf "$(dirname "$run")"
