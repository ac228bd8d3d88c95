#!/usr/bin/env bash
# Slow check (label `slow`): a sparse experiment reproduced at reduced size with its fast recipe — supp_8_1 (50 % of W
# non-zero, two-phase training: no L1 for two epochs, then L1) on 200 neurons and 20 000 frames, 30 000 iterations
# (about a minute of one core). Asserts W R² ≥ 0.99, |slope − 1| ≤ 0.05, 4 types at matched accuracy ≥ 0.95.
# Usage: sparse_reproduction.sh PATH/TO/plexus-cli
set -eu
cli=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$cli" reproduce supp_8_1 --out "$work/supp_8_1" --iterations 30000 --threads 1 \
  --set simulation.n_neurons=200 --set simulation.n_frames=20000 >"$work/reproduce.log" 2>&1 ||
  { tail -20 "$work/reproduce.log"; exit 1; }
python3 - "$work/supp_8_1/reproduction.json" <<'PY'
import json, sys
rows = {r["metric"]: r["measured"] for r in json.load(open(sys.argv[1]))["rows"]}
r2, slope = rows["W R² (corrected)"], rows["W slope (corrected)"]
types, accuracy = rows["types found"], rows["type accuracy (matched)"]
print(f"supp_8_1 at 200 neurons: W R² {r2:.4f}, slope {slope:.3f}, {types:.0f} types, accuracy {accuracy:.3f}")
ok = r2 >= 0.99 and abs(slope - 1) <= 0.05 and types == 4 and accuracy >= 0.95
print("1 passed, 0 failed" if ok else "0 passed, 1 failed")
sys.exit(0 if ok else 1)
PY
