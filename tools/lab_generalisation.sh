#!/usr/bin/env bash
# The paper's generalisation tests (Supp 5, Supp 6; docs/lab.md) over several draws of the new network, on a trained
# run: one line per draw (R² and slope at frames 400 and 800, mean neuron r) and the medians.
# Usage: tools/lab_generalisation.sh RUN_DIR [DRAWS=15]
set -euo pipefail
run=${1:?usage: tools/lab_generalisation.sh RUN_DIR [DRAWS]}
draws=${2:-15}
cli=$(dirname "$0")/../build/app/plexus-cli
for preset in supp_5 supp_6; do
  for seed in $(seq 1 "$draws"); do
    "$cli" perturb "$run" --preset "$preset" --seed "$seed" --threads 1 --json 2>/dev/null |
      python3 -c "import json, sys
r = json.load(sys.stdin)['rollout']
print('$preset', $seed, *('%.3f' % v for v in (r['frame_400']['r2'], r['frame_400']['slope'], r['frame_800']['r2'],
                                                r['frame_800']['slope'], r['mean_neuron_correlation'])))"
  done
done | tee /dev/stderr | python3 -c "import statistics, sys
rows = [line.split() for line in sys.stdin]
for preset in ('supp_5', 'supp_6'):
    values = [list(map(float, r[2:])) for r in rows if r[0] == preset]
    print(preset, 'median of', len(values), ' '.join('%.3f' % statistics.median(v[i] for v in values) for i in range(5)))"
