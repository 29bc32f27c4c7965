#!/usr/bin/python3
"""The same encoder as bench/run.ts in PyTorch (CPU): patch embedding (Linear 20→dim), log-std token,
learned positions, pre-norm transformer layers (GELU MLP ×4), final LayerNorm.
Threads are pinned: THREADS is "1" (torch.set_num_threads(1)) or "all" (os.cpu_count()).
Prints JSON: per-batch times in ms of REPS forward passes after one warm-up pass, with their median,
min and max, and spectra/s at the median. If torch cannot be imported it prints {"error": ...} and
exits with status 0, so the caller reports the peer as missing and goes on.
Usage: /usr/bin/python3 torch_embed.py TOKENS DIM DEPTH HEADS BATCH THREADS [REPS]"""
import json
import os
import statistics
import sys
import time

try:
    import torch
except Exception as e:  # noqa: BLE001 - any import failure means "peer missing"
    print(json.dumps({"error": f"{type(e).__name__}: {e}"}))
    sys.exit(0)

tokens, dim, depth, heads, batch = (int(a) for a in sys.argv[1:6])
threads_arg = sys.argv[6] if len(sys.argv) > 6 else "1"
reps = int(sys.argv[7]) if len(sys.argv) > 7 else 5
torch.set_num_threads(1 if threads_arg == "1" else (os.cpu_count() or 1))
torch.manual_seed(0)


class Enc(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.patch_embed = torch.nn.Linear(20, dim)
        self.std_embed = torch.nn.Linear(1, dim)
        self.pos_embed = torch.nn.Parameter(torch.zeros(tokens + 1, dim))
        layer = torch.nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.0, activation="gelu", batch_first=True, norm_first=True)
        self.blocks = torch.nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
        self.norm = torch.nn.LayerNorm(dim)

    def forward(self, p, s):
        x = torch.cat([self.std_embed(s)[:, None], self.patch_embed(p)], 1) + self.pos_embed
        return self.norm(self.blocks(x))


m = Enc().eval()
p = torch.randn(batch, tokens, 20)
s = torch.randn(batch, 1)
ms = []
with torch.inference_mode():
    m(p, s)  # warm-up
    for _ in range(reps):
        t = time.perf_counter()
        m(p, s)
        ms.append(1000 * (time.perf_counter() - t))
med = statistics.median(ms)
print(json.dumps({
    "torch": torch.__version__,
    "threads": torch.get_num_threads(),
    "batch_ms": ms,
    "median_ms": med,
    "min_ms": min(ms),
    "max_ms": max(ms),
    "spectra_per_s": batch / (med / 1000),
}))
