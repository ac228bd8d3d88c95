#!/usr/bin/env bash
# How recovery degrades on recording-like data (docs/recordings.md): the demo network simulated, observed with each
# factor at three levels (plexus-cli simulate --observe), trained as many iterations as the demo (20 000, whatever
# the frame count) and evaluated; one markdown row per case.
# Usage: tools/observe_degradation.sh [OUT_DIR=runs/observe] [CASES...]   (about 1.5 min per case on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
cli=build/app/plexus-cli
out=${1:-runs/observe}
shift || true
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=("every=1" "every=2" "every=4" "noise=0.05" "noise=0.1" "noise=0.2"
                                 "smoothing=2" "smoothing=5" "smoothing=10" "every=2,noise=0.05")
echo "| observation | frames | W R² / slope (corrected) | types found / accuracy | min φ* R² | one-step R² | train s |"
echo "|---|---|---|---|---|---|---|"
for spec in "${cases[@]}"; do
  run="$out/${spec//[=,]/_}"
  rm -rf "$run"
  "$cli" simulate --preset demo --out "$run" --observe "$spec" >/dev/null 2>&1
  start=$(date +%s)
  "$cli" train "$run" --iterations 20000 >/dev/null 2>&1
  seconds=$(($(date +%s) - start))
  "$cli" evaluate "$run" --rollout-frames 400 --no-equations >/dev/null 2>&1
  python3 - "$run/metrics.json" "$spec" "$seconds" "$("$cli" info "$run" | sed -n 's/^shape *\([0-9]*\) frames.*/\1/p')" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
c = m["connectivity"]["corrected"]
t = m["types"]
print(f"| `{sys.argv[2]}` | {sys.argv[4]} | {c['r2']:.4f} / {c['slope']:.3f} | {t['clusters']} / {t['accuracy_matched']:.3f} "
      f"| {min(m['functions']['update_r2_per_type']):.3f} | {m['without_truth']['one_step_r2']:.3f} | {sys.argv[3]} |")
PY
done
