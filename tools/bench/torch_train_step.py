#!/usr/bin/python3
"""Reference transformer training step in PyTorch CPU, the peer of @astro/core's bench.

Model (identical to packages/core/bench/reference-model.ts): input x [B, T, D] → 2 pre-norm blocks
(LayerNorm → 4-head self-attention → residual; LayerNorm → MLP D→4D→D with GELU → residual) → LayerNorm →
Linear(D, D); MSE loss against a target; AdamW(lr 1e-3, weight_decay 0.01).
B = 32, T = 128, D = 128. Prints JSON {"matmul_gflops": ..., "train_step_ms": ...} for the thread count
given on the command line ("1" or "all").
Usage: /usr/bin/python3 tools/bench/torch_train_step.py 1|all [steps]
"""
import json
import os
import sys
import time

import torch
import torch.nn as nn

threads = sys.argv[1] if len(sys.argv) > 1 else "1"
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 10
torch.set_num_threads(1 if threads == "1" else os.cpu_count())
torch.manual_seed(0)
B, T, D, H = 32, 128, 128, 4


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1 = nn.LayerNorm(D)
        self.attn = nn.MultiheadAttention(D, H, batch_first=True)
        self.ln2 = nn.LayerNorm(D)
        self.mlp = nn.Sequential(nn.Linear(D, 4 * D), nn.GELU(), nn.Linear(4 * D, D))

    def forward(self, x):
        h = self.ln1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        return x + self.mlp(self.ln2(x))


model = nn.Sequential(Block(), Block(), nn.LayerNorm(D), nn.Linear(D, D))
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
x = torch.randn(B, T, D)
y = torch.randn(B, T, D)


def step():
    opt.zero_grad(set_to_none=True)
    loss = torch.mean((model(x) - y) ** 2)
    loss.backward()
    opt.step()
    return loss.item()


for _ in range(3):
    step()
times = []
for _ in range(steps):
    t0 = time.perf_counter()
    step()
    times.append((time.perf_counter() - t0) * 1000)
times.sort()

a = torch.randn(1024, 1024)
torch.mm(a, a)
mm = []
for _ in range(5):
    t0 = time.perf_counter()
    torch.mm(a, a)
    mm.append(time.perf_counter() - t0)
mm.sort()
print(json.dumps({
    "threads": torch.get_num_threads(),
    "train_step_ms": times[len(times) // 2],
    "matmul_gflops": 2 * 1024 ** 3 / mm[len(mm) // 2] / 1e9,
    "torch_version": torch.__version__,
}))
