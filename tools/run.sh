#!/usr/bin/env bash
# Sets everything up, builds, and runs Plexus on its default demo experiment.
# (Until the desktop Studio lands, this simulates the `demo` experiment into runs/demo and prints a summary.)
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
tools/build.sh
./build/app/plexus-cli simulate --preset demo --out runs/demo --force
./build/app/plexus-cli info runs/demo
echo
echo "Next: ./build/app/plexus-cli --help   (export, import, presets, bench)"
