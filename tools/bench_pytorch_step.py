#!/usr/bin/python3
"""The per-node fig_2 training step written in PyTorch-Python, as the baseline for `plexus-cli bench train`.

Same model and loss as Plexus (docs/method.md §B/C): psi* evaluated once per neuron (1 -> 64 -> 64 -> 1), phi* on [u, a]
(3 -> 64 -> 64 -> 1), message = psi @ W.T with W masked by a zero-diagonal mask, loss = ||P - Y||_2 plus
B * ||phi*(0, a)||_2, Adam with one group per tensor (lrs of fig_2). Data are random frames of the right shape
(the step's cost does not depend on the values).

Run with Debian's python3-torch:  /usr/bin/python3 tools/bench_pytorch_step.py [--neurons 1000] [--threads 2]
Prints one JSON line.
"""
import argparse
import json
import time

import torch


def mlp(inputs, hidden=64, layers=3):
    modules = []
    for layer in range(layers):
        linear = torch.nn.Linear(inputs if layer == 0 else hidden, 1 if layer == layers - 1 else hidden)
        if layer > 0:
            torch.nn.init.normal_(linear.weight, std=0.1)
            torch.nn.init.zeros_(linear.bias)
        modules.append(linear)
        if layer < layers - 1:
            modules.append(torch.nn.ReLU())
    return torch.nn.Sequential(*modules)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--neurons", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--iterations", type=int, default=300)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    n, b = args.neurons, args.batch
    update, transfer = mlp(3), mlp(1)
    latent = torch.nn.Parameter(torch.ones(n, 2))
    weights = torch.nn.Parameter(torch.randn(n, n))
    mask = 1.0 - torch.eye(n)
    optimizer = torch.optim.Adam([
        {"params": [latent], "lr": 7.5e-4},
        {"params": update.parameters(), "lr": 5e-4},
        {"params": [weights], "lr": 1e-3},
        {"params": transfer.parameters(), "lr": 5e-4},
    ])
    frames = torch.randn(2000, n) * 7.0
    targets = torch.randn(2000, n) * 3.0

    def step():
        k = torch.randint(0, 2000, (b,))
        u, y = frames[k], targets[k]
        a = latent.unsqueeze(0).expand(b, n, 2)
        phi = update(torch.cat([u.unsqueeze(-1), a], -1)).squeeze(-1)
        psi = transfer(u.unsqueeze(-1)).squeeze(-1)
        prediction = phi + psi @ (weights * mask).t()
        zero = update(torch.cat([torch.zeros(n, 1), latent], -1))
        loss = (prediction - y).norm() + b * zero.norm()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    for _ in range(20):
        step()
    start = time.perf_counter()
    for _ in range(args.iterations):
        step()
    seconds = time.perf_counter() - start
    print(json.dumps({"bench": "train_pytorch_python", "neurons": n, "batch": b, "threads": args.threads,
                      "iterations": args.iterations, "it_per_s": round(args.iterations / seconds, 1),
                      "ms_per_it": round(1000 * seconds / args.iterations, 2), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
