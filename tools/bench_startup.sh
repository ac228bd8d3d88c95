#!/usr/bin/env bash
# Studio startup: seconds from launching `plexus` on a trained run to its complete picture (window shown, model
# restored, roll-out and formulas drawn, screenshot written), minus the screenshot's fixed 0.5 s settling delay.
# Usage: tools/bench_startup.sh RUN [repeats=3]; PLEXUS=path/to/plexus compares another build. One line per try,
# then the median. The run is copied to a temporary folder first (the Studio writes its lock and layout there).
set -euo pipefail
cd "$(dirname "$0")/.."
source_run=${1:?usage: tools/bench_startup.sh RUN [repeats]}
repeats=${2:-3}
plexus=${PLEXUS:-./build/app/plexus}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
times=()
for ((k = 1; k <= repeats; k++)); do
  rm -rf "$work/run" && cp -r "$source_run" "$work/run"
  start=$(date +%s.%N)
  PLEXUS_RUNS_DIR=$work xvfb-run -a -s "-screen 0 1920x1200x24" "$plexus" --run "$work/run" \
    --screenshot "$work/shot.png" >/dev/null 2>&1
  end=$(date +%s.%N)
  t=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s - 0.5 }')
  times+=("$t")
  printf '{"try": %d, "startup_seconds": %.2f}\n' "$k" "$t"
done
median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
printf '{"median_startup_seconds": %.2f, "tries": %d}\n' "$median" "$repeats"
