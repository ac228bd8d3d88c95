#!/usr/bin/env python3
"""The recovered W by (receiver type, sender type) block (docs/reproduction.md, supp_14).

For each block: the least-squares slope and R² of the learned (ψ*-corrected) weights against the true ones; then the
whole matrix, and the whole matrix with every block divided by its own slope (what a per-block correction could give
at best). Pure Python (no numpy), a few seconds at N = 1000.

Usage:
  plexus-cli export RUN --learned --format csv --to L      # L/learned_W.csv
  plexus-cli export RUN --format csv --frames 0:0 --to T   # T/connectivity.csv, T/neurons.csv
  tools/w_blocks.py L/learned_W.csv T/connectivity.csv T/neurons.csv
"""
import csv
import sys


def load_matrix(path):
    return [[float(v) for v in row] for row in csv.reader(open(path)) if row and not row[0].startswith('#')]


def fit(xs, ys):
    """Slope and R² of the least-squares line y = a·x + b."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / sxx, (sxy * sxy / (sxx * syy) if syy > 0 else 0.0)


def main(learned_path, true_path, neurons_path):
    learned, truth = load_matrix(learned_path), load_matrix(true_path)
    types = [int(r['type']) for r in csv.DictReader(open(neurons_path))]
    n, kinds = len(types), sorted(set(types))
    if len(learned) != n or len(truth) != n:
        sys.exit(f"w_blocks: {n} neurons in {neurons_path} but {len(learned)} rows in {learned_path} "
                 f"and {len(truth)} in {true_path}")
    slope = {}
    print("receiver sender  slope     R²")
    for r in kinds:
        for s in kinds:
            pairs = [(truth[i][j], learned[i][j]) for i in range(n) if types[i] == r
                     for j in range(n) if types[j] == s and i != j]
            a, r2 = fit([p[0] for p in pairs], [p[1] for p in pairs])
            slope[(r, s)] = a
            print(f"{r:8d} {s:6d} {a:6.3f} {r2:6.3f}")
    xs, ys, rescaled = [], [], []
    for i in range(n):
        for j in range(n):
            if i != j:
                xs.append(truth[i][j])
                ys.append(learned[i][j])
                rescaled.append(learned[i][j] / slope[(types[i], types[j])])
    print("all blocks: slope %.3f R² %.4f" % fit(xs, ys))
    print("each block divided by its slope: slope %.3f R² %.4f" % fit(xs, rescaled))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
