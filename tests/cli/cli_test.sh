#!/usr/bin/env bash
# End-to-end checks of plexus-cli as a user runs it: exit codes (0 ok, 2 bad input, 1 other), messages, files.
# Usage: cli_test.sh PATH/TO/plexus-cli [AUTHORS_DATA_DIR]
set -u
cli=$1
authors=${2:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/expect.sh"

expect 0 "demo .*Teaching demo" -- "$cli" presets
expect 0 "n_neurons: 300" -- "$cli" presets --show demo
expect 2 "unknown preset 'nope'.*demo" -- "$cli" simulate --preset nope --out "$work/x"
expect 2 "missing --out" -- "$cli" simulate --preset demo_tiny
expect 2 "exactly one of --preset" -- "$cli" simulate --out "$work/x"
expect 2 "unknown option --outt" -- "$cli" simulate --preset demo_tiny --outt "$work/x"
expect 2 "unknown command 'simulat'" -- "$cli" simulat
expect 2 "simulation.n_neurons: expected a positive integer" -- \
  "$cli" simulate --preset demo_tiny --out "$work/x" --set simulation.n_neurons=-3

expect 0 "Simulated demo_tiny .*100 neurons" -- "$cli" simulate --preset demo_tiny --out "$work/run"
[ -f "$work/run/dataset.h5" ] && [ -f "$work/run/config.yaml" ] || { failures=$((failures + 1)); echo "FAIL: run files missing"; }
expect 2 "already exists; use --force" -- "$cli" simulate --preset demo_tiny --out "$work/run"
expect 0 "Simulated" -- "$cli" simulate --config "$work/run/config.yaml" --out "$work/run" --force --set simulation.n_frames=300
expect 0 "301 frames x 100 neurons" -- "$cli" info "$work/run"
expect 0 "25 25 25 25 neurons" -- "$cli" info "$work/run/dataset.h5"
expect 0 "matches the PDE_N2 equations at all 301 frames" -- "$cli" verify "$work/run"
expect 2 "no such run folder" -- "$cli" info "$work/none"
# What training can run on: the CPU always (its step named), CUDA with its state either way.
expect 0 "^cpu +available +[0-9]+ cores; step: (cpu kernels|autograd)" -- "$cli" info --devices
expect 0 "^cuda +(available|not available) " -- "$cli" info --devices
expect 2 "info --devices takes no RUN_DIR" -- "$cli" info --devices "$work/run"

expect 0 "x_list_0.npy" -- "$cli" export "$work/run" --format npy
expect 0 "activity.csv" -- "$cli" export "$work/run" --format csv --neurons 0-3 --frames 0:9
lines=$(wc -l <"$work/run/export/activity.csv")
checks=$((checks + 1))
[ "$lines" -eq 11 ] || { failures=$((failures + 1)); echo "FAIL: activity.csv has $lines lines, expected 11"; }
expect 2 "--format: expected npy or csv" -- "$cli" export "$work/run" --format xls
expect 0 "imported 301 frames x 100 neurons" -- "$cli" import "$work/run/export" --out "$work/imported"
expect 2 "no true W or parameter table" -- "$cli" verify "$work/imported"

# Training and evaluation as a user runs them, with resume.
expect 0 "trained 120 iterations" -- "$cli" train "$work/run" --iterations 120 --metrics-every 40
expect 2 "holds checkpoints of an earlier training" -- "$cli" train "$work/run" --iterations 160
expect 0 "from iteration 120" -- "$cli" train "$work/run" --iterations 160 --resume --metrics-every 40
rows=$(($(wc -l <"$work/run/metrics.csv") - 1))
checks=$((checks + 1))
[ "$rows" -eq 4 ] || { failures=$((failures + 1)); echo "FAIL: metrics.csv has $rows rows, expected 4"; }
expect 0 "connectivity  raw R²" -- "$cli" evaluate "$work/run" --rollout-frames 100 --no-equations
# The least-squares refit of W (training.connectivity_refit_every): at 20 and 40, and once more at the end (50), whose
# W gets its own metrics row after the step's.
expect 0 "Simulated" -- "$cli" simulate --preset demo_tiny --out "$work/refit" --set simulation.n_frames=300
expect 0 "trained 50 iterations" -- "$cli" train "$work/refit" --iterations 50 --metrics-every 25 \
  --set training.connectivity_refit_every=20
rows=$(grep -c '^50,' "$work/refit/metrics.csv")
checks=$((checks + 1))
[ "$rows" -eq 2 ] || { failures=$((failures + 1)); echo "FAIL: refit: $rows metrics rows at iteration 50, expected 2"; }
checks=$((checks + 1))
grep -q '"accuracy_matched"' "$work/run/metrics.json" || { failures=$((failures + 1)); echo "FAIL: metrics.json"; }
# The what-if lab on the trained run: the paper's preset, hand edits, JSON, the Studio's lab.yaml, and bad edits.
expect 0 "new types 10/20/30/40 %" -- "$cli" perturb "$work/run" --preset supp_5 --frames 100
expect 0 '"frame_400"' -- "$cli" perturb "$work/run" --silence 3,10-12 --cut 4-5 --scale 6-7=2 --gain 0-any=1.5 --json --frames 50
expect 0 "true side only" -- "$cli" perturb "$work/run" --param 1:g=5 --frames 20
expect 0 "silence neuron [0-9]+" -- "$cli" perturb "$work/run" --silence-hubs 2 --frames 20
printf 'frames: 30\nperturbation:\n  silenced: [2]\n' >"$work/run/lab.yaml"
expect 0 "silence neuron 2" -- "$cli" perturb "$work/run" --lab
expect 2 "silence: neuron 100 is not in 0..99" -- "$cli" perturb "$work/run" --silence 100
expect 2 "--cut: expected FROM-TO" -- "$cli" perturb "$work/run" --cut 4
expect 2 "expected 4 proportions" -- "$cli" perturb "$work/run" --types 0.5,0.5
expect 2 "supp_5 or supp_6" -- "$cli" perturb "$work/run" --preset supp_7
expect 2 "has no checkpoint" -- "$cli" perturb "$work/imported"
expect 2 "holds 100 neurons but the config says simulation.n_neurons = 300" -- "$cli" train "$work/run" --preset demo --restart
expect 2 "has no checkpoint" -- "$cli" evaluate "$work/imported"

# A recording without ground truth: a CSV with frame and time columns, imported, trained, evaluated honestly.
"$cli" export "$work/run" --format csv --to "$work/rec" --frames 0:299 >/dev/null 2>&1
expect 0 "100 neurons, 100 kept; 300 frames at 100 Hz \\(the time column\\)" -- "$cli" import "$work/rec/activity.csv" --format csv --out "$work/recording"
expect 0 "types        none" -- "$cli" info "$work/recording"
expect 0 "loss [0-9.e+-]+  clusters" -- "$cli" train "$work/recording" --iterations 60
expect 0 "one-step      du/dt R² .* held-out frames" -- "$cli" evaluate "$work/recording" --rollout-frames 50 --no-equations
checks=$((checks + 1))
grep -q '"ground_truth": false' "$work/recording/metrics.json" || { failures=$((failures + 1)); echo "FAIL: recording metrics.json"; }
expect 0 "learned_W, latents, clusters, function_profiles" -- "$cli" export "$work/recording" --learned --format csv
rows=$(wc -l <"$work/recording/export/learned_W.csv")
checks=$((checks + 1))
[ "$rows" -eq 100 ] || { failures=$((failures + 1)); echo "FAIL: learned_W.csv has $rows rows, expected 100"; }
checks=$((checks + 1))
columns=$(head -1 "$work/recording/export/function_profiles.csv" | tr ',' '\n' | wc -l)
[ "$columns" -eq 128 ] || { failures=$((failures + 1)); echo "FAIL: function_profiles.csv has $columns columns, expected 128"; }
expect 0 "learned_W, latents, clusters" -- "$cli" export "$work/recording" --learned --format npy
# Its second half, trained apart: how far the two agree (stability, no truth needed).
expect 0 "100 neurons, 100 kept; 150 frames" -- "$cli" import "$work/rec/activity.csv" --format csv --frames 150: --out "$work/recording_b"
"$cli" train "$work/recording_b" --iterations 60 >/dev/null 2>&1
expect 0 "stability     against .*recording_b: W R² [0-9.-]+ slope" -- "$cli" evaluate "$work/recording" --rollout-frames 20 --no-equations --compare "$work/recording_b"
checks=$((checks + 1))
grep -q '"stability": {"other_run"' "$work/recording/metrics.json" || { failures=$((failures + 1)); echo "FAIL: stability in metrics.json"; }
expect 2 "--frames 0:400 is outside the recording's 300 frames" -- "$cli" import "$work/rec/activity.csv" --format csv --frames 0:400 --out "$work/r5"
expect 2 "--frames: expected FIRST:LAST" -- "$cli" import "$work/rec/activity.csv" --format csv --frames half --out "$work/r6"
expect 2 "the frame rate is not in the file; give it with --rate" -- "$cli" import "$work/rec/connectivity.csv" --format csv --out "$work/r2"
expect 2 "expected a suite2p output folder" -- "$cli" import "$work/none" --format suite2p --out "$work/r3"
expect 2 "--format: expected suite2p, nwb, csv, npy, hdf5 or authors" -- "$cli" import "$work/rec/activity.csv" --format tiff --out "$work/r4"

# A config with a wrong value names file, line and key; an unknown key warns with the nearest one.
printf 'simulation:\n  n_neurons: 20\n  n_neuron_types: 1\n  params: [[10, 1, 1]]\n  delta_t: -1\n' >"$work/bad.yaml"
expect 2 "bad.yaml:5: simulation.delta_t: expected a positive number" -- "$cli" simulate --config "$work/bad.yaml" --out "$work/b"
printf 'simulation:\n  n_neurons: 20\n  n_neuron_types: 1\n  params: [[10, 1, 1]]\n  n_frame: 10\n' >"$work/typo.yaml"
expect 0 "did you mean 'simulation.n_frames'" -- "$cli" simulate --config "$work/typo.yaml" --out "$work/t"

# The authors' experiment files load as they are (simulated here at a reduced size).
if [ -n "$authors" ] && [ -d "$authors" ]; then
  for f in "$authors"/signal_fig_2.yaml "$authors"/signal_fig_3.yaml "$authors"/signal_fig_supp_14.yaml; do
    out="$work/a_$(basename "$f" .yaml)"
    expect 0 "Simulated" -- "$cli" simulate --config "$f" --out "$out" --set simulation.n_frames=100 \
      --set simulation.start_frame=-10
    expect 0 "matches the PDE_N[245] equations" -- "$cli" verify "$out"
  done
else
  echo "skipped: the authors' experiment files are not beside this checkout (${authors:-no folder given})"
fi

# Ctrl-C (SIGINT) during a simulation: exit 130, no dataset file, no temporary, no folder left behind.
# A background job of a script starts with SIGINT ignored until the program installs its handler: wait for its first
# progress line (the simulation has begun) rather than a fixed time, which a loaded machine can make too short.
"$cli" simulate --preset fig_2 --out "$work/stopped" >"$work/stopped.log" 2>&1 &
pid=$!
for _ in $(seq 300); do
  grep -q "%" "$work/stopped.log" 2>/dev/null && break
  sleep 0.1
done
kill -INT $pid
wait $pid
code=$?
checks=$((checks + 1))
if [ "$code" -ne 130 ] || [ -e "$work/stopped" ]; then
  failures=$((failures + 1))
  echo "FAIL: interrupted simulate exited $code and left: $(ls -A "$work/stopped" 2>&1)"
fi

source "$(dirname "$0")/cli_misuse.sh"

echo "cli_test: $((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
