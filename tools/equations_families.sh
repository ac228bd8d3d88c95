#!/usr/bin/env bash
# The generator's function families as exact curves (docs/equations.md, "The generator's families"): each written
# with awk on 200 points, searched by `plexus-cli equations --csv --truth`, one line per curve:
# the true formula, the chosen one, whether the structure matches and the largest constant error, seconds.
# Usage: tools/equations_families.sh [PATH/TO/plexus-cli] [THREADS]
set -eu
cli=${1:-build/app/plexus-cli}
threads=${2:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# name | awk expression of x | the same formula for --truth | range low | range high
families=(
  "PDE_N2 φ type 0|-1*x + 1*th(x)|-1*x + 1*tanh(x)|-5|5"
  "PDE_N2 φ type 1|-1*x + 2*th(x)|-1*x + 2*tanh(x)|-5|5"
  "PDE_N2 φ type 2|-2*x + 1*th(x)|-2*x + 1*tanh(x)|-5|5"
  "PDE_N2 φ type 3|-2*x + 2*th(x)|-2*x + 2*tanh(x)|-5|5"
  "PDE_N2 φ supp_12 (s 7, c 3)|-3*x + 7*th(x)|-3*x + 7*tanh(x)|-5|5"
  "PDE_N2 ψ|th(x)|tanh(x)|-5|5"
  "PDE_N4 ψ w 2|th(x/2)|tanh(x/2)|-8|8"
  "PDE_N4 ψ w 4|th(x/4)|tanh(x/4)|-8|8"
  "PDE_N4 ψ w 8|th(x/8)|tanh(x/8)|-8|8"
  "PDE_N4 ψ w 4, h 0.5|th((x - 0.5)/4)|tanh((x - 0.5)/4)|-8|8"
  "PDE_N4 ψ w 2, h -1|th((x + 1)/2)|tanh((x + 1)/2)|-8|8"
  "PDE_N5 ψ w_i 2, w_j 4|th(x/2) - x*log(4)/50|tanh(x/2) - x*log(4)/50|-8|8"
  "PDE_N5 ψ w_i 8, w_j 8|th(x/8) - x*log(8)/50|tanh(x/8) - x*log(8)/50|-8|8"
  "PDE_N5 ψ w_i 1, w_j 2|th(x) - x*log(2)/50|tanh(x) - x*log(2)/50|-8|8"
)
for f in "${families[@]}"; do
  IFS='|' read -r name awkexpr truth low high <<<"$f"
  awk -v lo="$low" -v hi="$high" "function th(v) { return (exp(2*v) - 1)/(exp(2*v) + 1) }
       BEGIN { print \"x,y\"; for (i = 0; i < 200; i++) { x = lo + (hi - lo)*i/199; printf \"%.15g,%.15g\n\", x, $awkexpr } }" \
    > "$work/curve.csv"
  start=$(date +%s.%N)
  out=$("$cli" equations --csv "$work/curve.csv" --truth "$truth" --threads "$threads" 2>/dev/null)
  seconds=$(echo "$(date +%s.%N) - $start" | bc)
  chosen=$(grep "chosen:" <<<"$out" | sed 's/ *chosen: f(x) = //')
  structure=$(grep -o "structure [a-z]*" <<<"$out" | head -1)
  worst=$(grep -oE "error [0-9.]+ %" <<<"$out" | awk '{ if ($2 > m) m = $2 } END { printf "%.3f %%", m }')
  printf "%s | %s | %s | %s | largest constant error %s | %.1f s\n" "$name" "$truth" "$chosen" "$structure" "$worst" "$seconds"
done
