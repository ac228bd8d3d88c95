# Sourced by cli_test.sh (uses its expect, $cli, $work, checks, failures): nothing is lost under misuse.
# Each block names the defect it guards against (docs/training.md, "Run folders").

check() { # check DESCRIPTION CONDITION...
  local what=$1
  shift
  checks=$((checks + 1))
  if ! "$@"; then
    failures=$((failures + 1))
    echo "FAIL: $what"
  fi
}

dead_pid() { # a process id that is not running
  sh -c 'exit 0' &
  local p=$!
  wait $p
  echo $p
}

m=$work/misuse
expect 0 "Simulated" -- "$cli" simulate --preset demo_tiny --out "$m/a" --set simulation.n_frames=300
expect 0 "Simulated" -- "$cli" simulate --preset demo_tiny --out "$m/b" --set simulation.n_frames=300 \
  --set simulation.n_neurons=60

# Option validation: counts and intervals are positive, threads are capped.
expect 2 "--iterations: expected a positive integer, got 0" -- "$cli" train "$m/a" --iterations 0
expect 2 "--iterations: expected a positive integer, got -5" -- "$cli" train "$m/a" --iterations -5
expect 2 "--metrics-every: expected a positive integer" -- "$cli" train "$m/a" --metrics-every 0
expect 2 "--checkpoint-every: expected a positive integer" -- "$cli" train "$m/a" --checkpoint-every -1
expect 2 "--threads: expected at most" -- timeout 20 "$cli" train "$m/a" --threads 100000
expect 2 "training needs about .* reduce training.batch_size" -- \
  "$cli" train "$m/a" --iterations 10 --set training.batch_size=100000000
expect 2 "training needs about .* reduce graph_model.hidden_dim" -- \
  "$cli" train "$m/a" --iterations 10 --set graph_model.hidden_dim=1000000
check "a refused training left no checkpoint" test ! -e "$m/a/checkpoints"

# --set overrides are validated together: their order does not matter.
expect 0 "Simulated" -- "$cli" simulate --preset fig_3 --out "$m/fig3" --set simulation.n_neurons=512 \
  --set simulation.n_input_neurons=256 --set simulation.n_frames=20 --set simulation.start_frame=0
# The memory refusal counts W and leaves no folder behind; an unwritable place is refused before simulating.
expect 2 "W .*n_neurons² .*reduce simulation.n_neurons" -- \
  "$cli" simulate --preset demo_tiny --out "$m/huge" --set simulation.n_neurons=100000
check "the memory refusal left a folder" test ! -e "$m/huge"
touch "$m/a_file"
expect 2 "a_file/x: cannot create the run folder" -- "$cli" simulate --preset demo_tiny --out "$m/a_file/x"

# Stale temporaries of a killed writer are swept when the folder is next used.
dead=$(dead_pid)
mkdir -p "$m/a/checkpoints"
echo junk >"$m/a/.dataset.h5.tmp-$dead-0"
echo junk >"$m/a/checkpoints/.it_000000040.pt.tmp-$dead-1"
expect 0 "trained 60 iterations" -- "$cli" train "$m/a" --iterations 60 --metrics-every 20 --checkpoint-every 20
check "stale temporaries were swept" test -z "$(find "$m/a" -name '.*.tmp-*')"

# One process per run folder; the lock of a killed (kill -9) process does not block.
"$cli" train "$m/a" --resume --iterations 100000000 --metrics-every 100000 >"$m/holder.log" 2>&1 &
holder=$!
for _ in $(seq 100); do grep -q "training " "$m/holder.log" 2>/dev/null && break; sleep 0.1; done
expect 2 "is in use by pid $holder \\(plexus-cli train .*--resume" -- "$cli" train "$m/a" --resume --iterations 80
expect 2 "is in use by pid $holder" -- "$cli" simulate --preset demo_tiny --out "$m/a" --force
kill -9 $holder
wait $holder 2>/dev/null
expect 0 "from iteration" -- "$cli" train "$m/a" --resume --iterations 80 --metrics-every 20

# Ctrl-C after the checkpoint is saved: exit 130, and --resume continues from it.
"$cli" train "$m/a" --resume --iterations 100000000 --metrics-every 100000 >"$m/stopped.log" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q "training " "$m/stopped.log" 2>/dev/null && break; sleep 0.1; done
sleep 0.5
kill -INT $pid
wait $pid
code=$?
check "Ctrl-C during train exits 130 (got $code)" test "$code" -eq 130
check "Ctrl-C during train saved a checkpoint" grep -q "checkpoint saved" "$m/stopped.log"

# A checkpoint of another experiment is refused before anything is written.
expect 0 "trained 20 iterations" -- "$cli" train "$m/b" --iterations 20 --metrics-every 10
cp "$m/b/metrics.csv" "$m/b_metrics_before.csv"
foreign=$(ls "$m/a/checkpoints"/*.pt | tail -1)
cp "$foreign" "$m/b/checkpoints/it_999999999.pt"
expect 2 "another experiment.*neurons: checkpoint 100, this run 60" -- "$cli" train "$m/b" --resume --iterations 40
check "metrics.csv untouched by the refused resume" cmp -s "$m/b/metrics.csv" "$m/b_metrics_before.csv"
expect 2 "another experiment" -- "$cli" evaluate "$m/b" --checkpoint "$foreign"
rm "$m/b/checkpoints/it_999999999.pt"
expect 2 "graph_model.hidden_dim: checkpoint 64, this run 32" -- \
  "$cli" train "$m/b" --resume --iterations 40 --set graph_model.hidden_dim=32
expect 2 "no such checkpoint" -- "$cli" evaluate "$m/b" --checkpoint "$m/b/checkpoints/nope.pt"
# Accepted --set values are saved to config.yaml.
expect 0 "trained 40 iterations" -- "$cli" train "$m/b" --resume --iterations 40 --set training.learning_rate_start=0.002
check "accepted --set saved to config.yaml" grep -q "learning_rate_start: 0.002" "$m/b/config.yaml"

# A damaged newest checkpoint: resume falls back to the newest good one and says so.
echo "not a checkpoint" >"$m/b/checkpoints/it_000000999.pt"
expect 0 "damaged.*resuming from an earlier checkpoint" -- "$cli" train "$m/b" --resume --iterations 50
check "the damaged checkpoint is kept aside" test -f "$m/b/checkpoints/damaged/it_000000999.pt"
# A bad metrics.csv line is named with file and line.
echo "garbage,row" >>"$m/b/metrics.csv"
expect 2 "metrics.csv:[0-9]+: expected an iteration number" -- "$cli" train "$m/b" --resume --iterations 60

# A blow-up with a finite loss is divergence (exit 1); --resume goes back to a checkpoint from before it.
expect 0 "trained 60 iterations" -- "$cli" train "$m/b" --restart --iterations 60 --checkpoint-every 10
out=$("$cli" train "$m/b" --resume --iterations 400 --checkpoint-every 1 \
  --set training.learning_rate_start=1000 --set training.learning_rate_embedding_start=1000 2>&1)
code=$?
check "a finite blow-up exits 1 with 'diverged … grew from' (got $code: $(tail -1 <<<"$out"))" \
  test "$code" -eq 1 -a -n "$(grep -o 'diverged at step [0-9]* (the loss per sample grew from' <<<"$out")"
step=$(grep -o 'diverged at step [0-9]*' <<<"$out" | grep -o '[0-9]*$')
out=$("$cli" train "$m/b" --resume --iterations 100 --set training.learning_rate_start=0.001 \
  --set training.learning_rate_embedding_start=0.001 2>&1)
from=$(grep -o 'from iteration [0-9]*' <<<"$out" | grep -o '[0-9]*$')
check "--resume after the blow-up starts before it (from ${from:-?}, diverged at ${step:-?})" \
  test -n "$from" -a -n "$step" -a "${from:-0}" -lt "${step:-0}"
check "the resumed training is healthy: $(tail -1 <<<"$out")" grep -q "trained 100 iterations" <<<"$out"
check "--restart kept the earlier training" test -n "$(ls -d "$m/b"/previous-* 2>/dev/null)"

# Messages: reversed ranges, short roll-outs, npy with a selection.
expect 2 "'5-2' is reversed" -- "$cli" export "$m/a" --format csv --neurons 5-2
expect 2 "frame range 5:2 is reversed" -- "$cli" export "$m/a" --format csv --frames 5:2
expect 2 "apply to --format csv only" -- "$cli" export "$m/a" --format npy --neurons 0-3
expect 0 "100 frames: — @400, — @800" -- "$cli" evaluate "$m/a" --rollout-frames 100

# plexus-cli reproduce: a tiny variant end to end, its table and reproduction.json; a second call continues.
r=$m/reproduce
expect 0 "types found .*= 4 .*FAIL" -- "$cli" reproduce demo_tiny --out "$r" --iterations 200 \
  --set simulation.n_frames=2000
check "reproduction.json has its rows" grep -q '"metric": "type accuracy (matched)"' "$r/reproduction.json"
check "reproduce wrote metrics.json" test -f "$r/metrics.json"
expect 0 "continuing from .*it_000000200.pt" -- "$cli" reproduce demo_tiny --out "$r" --iterations 300 \
  --set simulation.n_frames=2000
expect 2 "no reproduction recipe for 'nope' \\(known: demo, demo_tiny, demo_visual, fig_2" -- "$cli" reproduce nope
expect 2 "fig_2 has no recipe 'slow'" -- "$cli" reproduce fig_2 --recipe slow --out "$m/never"
check "a refused reproduce made no folder" test ! -e "$m/never"
expect 0 "supp_7_5 .*10 000 frames" -- "$cli" reproduce --list
expect 0 "fast \\(default\\).*at most 600000 iterations, 50 minutes of training" -- "$cli" reproduce --list
# The recipe's time budget applies unless the command line gives one; a spent budget ends training, then evaluates.
expect 0 "time budget: 50:00 of training" -- "$cli" reproduce fig_2 --out "$m/timed" --iterations 20 --threads 1 \
  --set simulation.n_neurons=60 --set simulation.n_frames=600
expect 0 "time budget reached: training ended at iteration" -- "$cli" reproduce fig_2 --out "$m/timed" \
  --iterations 200000 --budget-minutes 0.02 --threads 1 --set simulation.n_neurons=60 --set simulation.n_frames=600
# Its progress is the share of the budget spent (not of the 200 000 iterations, which it never nears).
expect 0 "training +[5-9][0-9]\\.[0-9] %" -- "$cli" reproduce fig_2 --out "$m/timed2" \
  --iterations 200000 --budget-minutes 0.02 --threads 1 --set simulation.n_neurons=60 --set simulation.n_frames=600
