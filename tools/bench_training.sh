#!/usr/bin/env bash
# Training throughput of the fig_2 model (B = 8) at one size, three ways, interleaved so that they share the machine's
# state: Plexus' hand-written CPU step, Plexus with LibTorch autograd, and the same per-node step in PyTorch-Python
# (Debian's python3-torch). Prints every run's JSON line, then the medians and the ratios.
#   tools/bench_training.sh [NEURONS=1000] [THREADS=2] [REPEATS=3] [ITERATIONS=400]
set -euo pipefail
cd "$(dirname "$0")/.."
neurons=${1:-1000}
threads=${2:-2}
repeats=${3:-3}
iterations=${4:-400}
cli=build/app/plexus-cli
[[ -x $cli ]] || { echo "build first: tools/build.sh" >&2; exit 1; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for ((r = 1; r <= repeats; r++)); do
  "$cli" bench train --neurons "$neurons" --threads "$threads" --iterations "$iterations" | tee -a "$log"
  "$cli" bench train --neurons "$neurons" --threads "$threads" --iterations "$iterations" --autograd | tee -a "$log"
  /usr/bin/python3 tools/bench_pytorch_step.py --neurons "$neurons" --threads "$threads" \
    --iterations "$iterations" | sed 's/^{/{"python": true, /' | tee -a "$log"
done
python3 - "$log" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
def median(select):
    values = [r["ms_per_it"] for r in rows if select(r)]
    return statistics.median(values) if values else float("nan")
kernels = median(lambda r: not r.get("python") and r.get("step") == "cpu kernels")
autograd = median(lambda r: not r.get("python") and str(r.get("step", "")).startswith("autograd"))
python = median(lambda r: r.get("python"))
print(f"median ms/iteration: cpu kernels {kernels:.2f} ({1000 / kernels:.1f} it/s), "
      f"autograd {autograd:.2f} ({1000 / autograd:.1f} it/s), PyTorch-Python {python:.2f} ({1000 / python:.1f} it/s)")
print(f"speed-up of the cpu kernels: {autograd / kernels:.2f}x over autograd, {python / kernels:.2f}x over PyTorch-Python")
PY
