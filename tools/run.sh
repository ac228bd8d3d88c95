#!/usr/bin/env bash
# Sets everything up, builds, and runs Plexus on its default demo experiment: simulate the `demo` network,
# train the GNN on its activity (about 3 minutes on 2 cores), and score what it recovered.
# (When the desktop Studio lands, this opens it on the demo instead.)
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
tools/build.sh
cli=./build/app/plexus-cli
$cli simulate --preset demo --out runs/demo --force
$cli train runs/demo --restart --metrics-every 1000
$cli evaluate runs/demo
echo
echo "The run is in runs/demo (config.yaml, dataset.h5, checkpoints/, metrics.csv, metrics.json)."
echo "Next: $cli --help"
