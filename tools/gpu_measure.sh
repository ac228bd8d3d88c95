#!/usr/bin/env bash
# The GPU measurements that docs/benchmarks.md and docs/reproduction.md still lack (PDE_N4, PDE_N5 and fig_3 on one
# GPU), as one script that fits the device machine's 15 minutes: build against the machine's CUDA LibTorch, time a
# training step of each model, then train fig_3's fast recipe for a few minutes and evaluate it. Every command has
# its own time limit and its log; a failing one does not stop the others. Results go to $OUT (the device machine's
# folder that comes back), or runs/gpu_measure here.
#
# On the device machine, from the project root, with .dev/ carried (.dev/debs from ../shared/gpu/fetch-debs.sh and
# .dev/build-on-gpu.sh; docs/benchmarks.md, "GPU"):
#     bash tools/gpu_measure.sh [MINUTES_OF_FIG_3_TRAINING]        (default 4)
# Here, to check the script itself on the CPU (no build, tiny sizes):
#     PLEXUS_CLI=build/app/plexus-cli PLEXUS_DEVICE=cpu PLEXUS_BENCH_ITERATIONS=5 tools/gpu_measure.sh 0.1
set -uo pipefail

minutes=${1:-4}
device=${PLEXUS_DEVICE:-cuda}
iterations=${PLEXUS_BENCH_ITERATIONS:-300}
out=${OUT:-runs/gpu_measure}
work=${PLEXUS_WORK:-/tmp/plexus_gpu_runs}
mkdir -p "$out" "$work"
start=$(date +%s)
stamp() { echo "[$(( $(date +%s) - start )) s] $*" | tee -a "$out/steps.log"; }

cli=${PLEXUS_CLI:-}
if [ -z "$cli" ]; then
    stamp "build"
    if ! timeout 300 bash .dev/build-on-gpu.sh > "$out/build.log" 2>&1; then
        stamp "build failed (build.log)"; exit 1
    fi
    cli=/tmp/b/app/plexus-cli
fi
{ nvidia-smi; nproc; } > "$out/machine.txt" 2>&1 || true

# One training step per model at B = 8 (docs/benchmarks.md, "The step per model"): the autograd step on the GPU.
for run in "fig_2 1000,8000" "supp_13 1000" "supp_14 1000" "fig_3 2048"; do
    set -- $run
    stamp "bench train $1 at N = $2"
    timeout 150 "$cli" bench train --device "$device" --preset "$1" --neurons "$2" --iterations "$iterations" \
        > "$out/bench_$1.txt" 2>&1 || stamp "bench $1 ended with $?"
done

# fig_3's fast recipe for a few minutes: its live W R² and Ω* against time, to set beside the CPU curve
# (docs/results/fig_3_fast_metrics.csv) and project the time to the targets.
stamp "reproduce fig_3 for $minutes minutes"
timeout $(( ${minutes%.*} * 60 + 300 )) "$cli" reproduce fig_3 --device "$device" --budget-minutes "$minutes" \
    --out "$work/fig_3" > "$out/reproduce_fig_3.log" 2>&1 || stamp "reproduce fig_3 ended with $?"
for f in metrics.csv metrics.json reproduction.json; do
    [ -f "$work/fig_3/$f" ] && cp "$work/fig_3/$f" "$out/fig_3_$f"
done
stamp "done"
