#!/usr/bin/env bash
# Installs every Debian 12 package Plexus needs to build, run and test.
# Idempotent: when everything is present it only checks and returns (about a second).
# Works as root or through sudo; says clearly what to do when neither is possible.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git
  # GUI: Qt 6 Widgets, OpenGL widgets, SVG export, plots
  qt6-base-dev libqt6opengl6-dev qt6-svg-dev libgl-dev
  libqcustomplot-dev libqcustomplot2.1-qt6
  # 3-D network view
  libvtk9-dev
  # movie export (MP4 through FFmpeg's libraries)
  libavcodec-dev libavformat-dev libavutil-dev libswscale-dev
  # GNN training: LibTorch with OpenMP OpenBLAS (never libopenblas0-pthread: it fights torch's OpenMP pool)
  libtorch-dev libopenblas0-openmp
  # simulation, analysis, configs, datasets, stimulus movies
  libeigen3-dev libyaml-cpp-dev libhdf5-dev libtiff-dev libpng-dev
  # headless UI and GL tests
  xvfb xauth
  # benchmark baseline (PyTorch-Python reference step, tools/)
  python3 python3-torch
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

conflicting=()
if dpkg-query -W -f='${Status}' libopenblas0-pthread 2>/dev/null | grep -q "install ok installed"; then
  conflicting+=(libopenblas0-pthread)
fi

if [ ${#missing[@]} -eq 0 ] && [ ${#conflicting[@]} -eq 0 ]; then
  echo "plexus setup: all ${#packages[@]} packages present."
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  sudo_cmd=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo_cmd=(sudo)
elif command -v sudo >/dev/null 2>&1 && [ -t 0 ]; then
  sudo_cmd=(sudo)
else
  echo "plexus setup: these packages are missing: ${missing[*]} ${conflicting[*]:+(and ${conflicting[*]} must be removed)}" >&2
  echo "plexus setup: installing them needs root. Run this script as root or as a user with sudo rights," >&2
  echo "  or ask an administrator to run: apt-get install ${missing[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "plexus setup: installing ${#missing[@]} package(s): ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if [ ${#conflicting[@]} -gt 0 ]; then
  echo "plexus setup: removing ${conflicting[*]} (it fights LibTorch's OpenMP thread pool)"
  "${sudo_cmd[@]}" apt-get remove -y -qq "${conflicting[@]}"
fi
# Make sure the OpenMP OpenBLAS is the active BLAS/LAPACK alternative.
for alt in libblas.so.3 liblapack.so.3; do
  path=$(update-alternatives --list "$alt-x86_64-linux-gnu" 2>/dev/null | grep openblas-openmp || true)
  if [ -n "$path" ]; then "${sudo_cmd[@]}" update-alternatives --set "$alt-x86_64-linux-gnu" "$path" >/dev/null; fi
done
echo "plexus setup: done."
