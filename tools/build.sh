#!/usr/bin/env bash
# Configures and builds Plexus (Ninja, Release, ccache). Used by run.sh and test.sh.
#   tools/build.sh [CMAKE_OPTIONS…]                 → ./build, against the system's LibTorch (Debian's, CPU)
#   tools/build.sh --cuda [PREFIX] [CMAKE_OPTIONS…] → ./build-cuda, against a CUDA LibTorch: PREFIX is an unpacked
#       LibTorch archive or a PyTorch installation's CMake prefix; without it, the prefix of `python3 -c "import torch"`
#       (README, "Training on a GPU"). E.g. tools/build.sh --cuda -DPLEXUS_BUILD_GUI=OFF -DPLEXUS_BUILD_TESTS=OFF
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
dir=build
if [ "${1:-}" = "--cuda" ]; then
  shift
  dir=build-cuda
  if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
    prefix=$1
    shift
  else
    prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)' 2>/dev/null) || {
      echo "tools/build.sh --cuda: no PREFIX given and python3 cannot import torch; pass the LibTorch folder" >&2
      exit 2
    }
  fi
  [ -d "$prefix" ] || { echo "tools/build.sh --cuda: $prefix is not a folder" >&2; exit 2; }
  set -- "-DPLEXUS_TORCH_PREFIX=$prefix" "$@"
fi
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build "$dir" --parallel "$jobs"
