#!/usr/bin/env bash
# Stability without ground truth (docs/recordings.md): the demo network observed as a microscope would
# (plexus-cli simulate --observe), trained twice — two seeds on the same frames, then two halves of the recording
# imported apart — and compared with plexus-cli evaluate --compare. One markdown row per case and split.
# Usage: tools/stability.sh [OUT_DIR=runs/stability] [SPECS...]   (about 8 min per observation on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
cli=build/app/plexus-cli
out=${1:-runs/stability}
shift || true
specs=("$@")
[ ${#specs[@]} -gt 0 ] || specs=("every=1" "every=2,noise=0.05")
iterations=20000
mkdir -p "$out"
row() { # metrics.json of the first run, the split's name, the observation
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
s = m["without_truth"]["stability"]
w = m["without_truth"]
print(f"| `{sys.argv[3]}` | {sys.argv[2]} | {s['W']['r2']:.3f} / {s['W']['slope']:.3f} | {s['clusters'][0]} / {s['clusters'][1]} "
      f"| {s['clusters_adjusted_rand']:.3f} | {s['update_r2']:.3f} / {s['transfer_r2']:.3f} | {w['one_step_r2']:.3f} |")
PY
}
echo "| observation | split | W R² / slope (one against the other) | clusters | ARI | φ* / ψ* R² | one-step R² (first) |"
echo "|---|---|---|---|---|---|---|"
for spec in "${specs[@]}"; do
  name="${spec//[=,]/_}"
  # The derivative as docs/recordings.md recommends for noisy frames: a wider Savitzky–Golay window.
  derivative=""
  import_derivative=()
  case "$spec" in *noise*) derivative=",window=31,smooth=1"; import_derivative=(--window 31 --smooth-activity) ;; esac
  # Two seeds on the same frames.
  a="$out/$name/seed_a" b="$out/$name/seed_b"
  rm -rf "$out/$name" && mkdir -p "$out/$name"
  "$cli" simulate --preset demo --out "$a" --observe "$spec$derivative" >/dev/null 2>&1
  cp -r "$a" "$b"
  "$cli" train "$a" --iterations $iterations >/dev/null 2>&1
  "$cli" train "$b" --iterations $iterations --set training.seed=17 >/dev/null 2>&1
  "$cli" evaluate "$a" --rollout-frames 200 --no-equations --compare "$b" >/dev/null 2>&1
  row "$a/metrics.json" "two seeds" "$spec"
  # Two halves of the recording, imported as a recording (no truth) and trained apart.
  raw="$out/$name/raw"
  "$cli" simulate --preset demo --out "$raw" --observe "$spec" >/dev/null 2>&1
  "$cli" export "$raw" --format csv --to "$raw/csv" >/dev/null 2>&1
  frames=$("$cli" info "$raw" | sed -n 's/^shape *\([0-9]*\) frames.*/\1/p')
  half=$((frames / 2))
  h1="$out/$name/half_1" h2="$out/$name/half_2"
  "$cli" import "$raw/csv/activity.csv" --format csv --frames "0:$((half - 1))" "${import_derivative[@]}" --out "$h1" >/dev/null 2>&1
  "$cli" import "$raw/csv/activity.csv" --format csv --frames "$half:" "${import_derivative[@]}" --out "$h2" >/dev/null 2>&1
  "$cli" train "$h1" --iterations $iterations >/dev/null 2>&1
  "$cli" train "$h2" --iterations $iterations >/dev/null 2>&1
  "$cli" evaluate "$h1" --rollout-frames 200 --no-equations --compare "$h2" >/dev/null 2>&1
  row "$h1/metrics.json" "two halves ($half frames each)" "$spec"
done
