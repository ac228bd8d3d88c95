#!/usr/bin/env bash
# Sets everything up, builds, and runs the test suite (all labels but `slow` and `gpu`).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
tools/build.sh -DPLEXUS_BUILD_TESTS=ON
cd build
ctest --output-on-failure --label-exclude "slow|gpu" --timeout 900 "$@"
