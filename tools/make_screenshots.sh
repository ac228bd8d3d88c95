#!/usr/bin/env bash
# Regenerates the user guide's screenshots (docs/images/) with the Studio's own screenshot mode under Xvfb.
# Takes about 10 minutes on 2 cores (simulates and trains the demo and demo_visual into temporary run folders).
set -euo pipefail
cd "$(dirname "$0")/.."
plexus=./build/app/plexus
run=$(mktemp -d)/demo
shot() { xvfb-run -a -s "-screen 0 1920x1200x24" "$plexus" "$@"; }
export PLEXUS_RUNS_DIR=$(dirname "$run")
shot --preset demo --run "$run" --screenshot docs/images/studio-start.png
shot --run "$run" --tour-step 1 --screenshot docs/images/tour-1-simulate.png
shot --run "$run" --train-for 15 --tour-step 3 --screenshot docs/images/tour-3-watch-w.png
shot --run "$run" --train-for "${TRAIN_SECONDS:-180}" --screenshot docs/images/studio-trained.png
shot --run "$run" --tour-step 4 --screenshot docs/images/tour-4-types.png
shot --run "$run" --tour-step 5 --screenshot docs/images/tour-5-functions.png
for panel in connectivity latents functions activity network training; do
  shot --run "$run" --screenshot "docs/images/panel-$panel.png" --panel "$panel"
done
shot --run "$run" --dark --screenshot docs/images/studio-dark.png
shot --run "$run" --explain --screenshot docs/images/studio-explained.png
shot --run "$run" --screenshot docs/images/summary-card.png --panel summary
shot --run "$run" --panel connectivity --figure docs/images/figure-connectivity.png
# A recording (docs/recordings.md): the demo's activity as a CSV, imported without its truth, trained.
./build/app/plexus-cli export "$run" --format csv --to "$(dirname "$run")/csv" >/dev/null
./build/app/plexus-cli import "$(dirname "$run")/csv/activity.csv" --format csv --out "$(dirname "$run")/recording" >/dev/null
./build/app/plexus-cli train "$(dirname "$run")/recording" --iterations 20000 >/dev/null 2>&1
shot --run "$(dirname "$run")/recording" --screenshot docs/images/studio-recording.png
# The lab's teaching walkthrough (docs/lab.md): silence the strongest hub, roll both sides out.
hub=$(./build/app/plexus-cli perturb "$run" --silence-hubs 1 --frames 10 | sed -n 's/^perturbation  silence neuron \([0-9]*\)$/\1/p')
printf 'frames: 1000\nperturbation:\n  silenced: [%s]\n' "$hub" >"$run/lab.yaml"
shot --run "$run" --lab --screenshot docs/images/panel-lab.png --panel lab
shot --run "$run" --lab --screenshot docs/images/studio-lab.png
shot --reproduce demo_tiny --run "$(dirname "$run")/reproduce" --screenshot docs/images/reproduction-table.png --panel reproduction
# The hidden movie (docs/user-guide.md, Stimulus): demo_visual trained with its preset (about 5 minutes).
visual="$(dirname "$run")/visual"
./build/app/plexus-cli train "$visual" --preset demo_visual >/dev/null 2>&1
shot --run "$visual" --screenshot docs/images/studio-visual.png
shot --run "$visual" --screenshot docs/images/panel-stimulus.png --panel stimulus
echo "screenshots in docs/images/ (run folder: $run)"
