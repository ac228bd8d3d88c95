#!/usr/bin/env bash
# Sets everything up, builds, and opens Plexus Studio on its default demo experiment (runs/demo): press Train and
# watch the GNN recover W, the 4 neuron types and their functions (about 3 minutes on 2 cores).
# Without a display (no $DISPLAY / $WAYLAND_DISPLAY), it runs the same demo with plexus-cli instead and prints
# what was recovered. Extra arguments go to the Studio (e.g. --dark, --preset fig_2 --run runs/fig_2).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
tools/build.sh
if [[ -n "${DISPLAY:-}" || -n "${WAYLAND_DISPLAY:-}" ]]; then
  if [[ -f runs/demo/config.yaml ]]; then
    exec ./build/app/plexus --run runs/demo "$@"
  fi
  exec ./build/app/plexus --preset demo --run runs/demo "$@"
fi
echo "No display found: running the demo with the command-line tool (the Studio needs a desktop session)."
cli=./build/app/plexus-cli
$cli simulate --preset demo --out runs/demo --force
$cli train runs/demo --restart --metrics-every 1000
$cli evaluate runs/demo
echo
echo "The run is in runs/demo (config.yaml, dataset.h5, checkpoints/, metrics.csv, metrics.json)."
echo "On a desktop, open it with: ./build/app/plexus --run runs/demo     More: $cli --help"
