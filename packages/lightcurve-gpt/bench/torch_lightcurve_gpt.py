#!/usr/bin/python3
"""The LightCurveGPT architecture in PyTorch (CPU), timed on the same next-patch task as
bench/run.ts: MLP patch embedding (flux + time), learned positions, causal pre-norm blocks
(GELU MLP ×4), final LayerNorm, linear next-patch head, Huber loss, AdamW.
Threads pinned: THREADS "1" (torch.set_num_threads(1), the default) or "all" (os.cpu_count()).
After 3 warm-up steps, times `runs` runs of `steps` steps each and prints JSON
{step_ms_runs: [ms per step of each run], step_cpu_ms_runs: [process CPU ms per step], params, torch, threads}.
Args: dim layers heads patch patches batch steps runs [threads]."""
import json
import os
import sys
import time

import torch
import torch.nn as nn

dim, layers, heads, P, T, B, steps, runs = (int(a) for a in sys.argv[1:9])
threads_arg = sys.argv[9] if len(sys.argv) > 9 else "1"
torch.manual_seed(0)
torch.set_num_threads(1 if threads_arg == "1" else (os.cpu_count() or 1))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.n1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.n2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, mask):
        h = self.n1(x)
        x = x + self.attn(h, h, h, attn_mask=mask, need_weights=False)[0]
        return x + self.mlp(self.n2(x))


class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Sequential(nn.Linear(P + 1, dim), nn.GELU(), nn.Linear(dim, dim))
        self.pos = nn.Parameter(torch.randn(T, dim))
        self.blocks = nn.ModuleList([Block() for _ in range(layers)])
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, P)

    def forward(self, flux, t):
        h = self.embed(torch.cat([flux, t[..., None] / 30], -1)) + self.pos
        mask = torch.triu(torch.ones(T, T, dtype=torch.bool), 1)
        for b in self.blocks:
            h = b(h, mask)
        return self.head(self.norm(h))


m = GPT()
opt = torch.optim.AdamW(m.parameters(), lr=1e-3, weight_decay=0.01)
flux = torch.randn(B, T, P)
t = torch.arange(T, dtype=torch.float32).expand(B, T)
loss_fn = nn.HuberLoss(delta=1.0)


def step():
    opt.zero_grad()
    pred = m(flux, t)
    loss = loss_fn(pred[:, :-1], flux[:, 1:])
    loss.backward()
    torch.nn.utils.clip_grad_norm_(m.parameters(), 1.0)
    opt.step()


for _ in range(3):
    step()
runs_ms, cpu_ms = [], []
for _ in range(runs):
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(steps):
        step()
    runs_ms.append(1000 * (time.perf_counter() - t0) / steps)
    cpu_ms.append(1000 * (time.process_time() - c0) / steps)
print(json.dumps({'step_ms_runs': runs_ms, 'step_cpu_ms_runs': cpu_ms, 'params': sum(p.numel() for p in m.parameters()),
                  'torch': torch.__version__, 'threads': torch.get_num_threads()}))
