#!/usr/bin/python3
"""The same encoder as bench/run.ts in PyTorch (CPU): patch embedding (Linear 20→dim), log-std token,
learned positions, pre-norm transformer layers (GELU MLP ×4), final LayerNorm. Prints spectra/s as JSON.
Usage: /usr/bin/python3 torch_embed.py TOKENS DIM DEPTH HEADS BATCH"""
import json, sys, time
import torch

tokens, dim, depth, heads, batch = (int(a) for a in sys.argv[1:6])
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
best = float("inf")
with torch.inference_mode():
    m(p, s)
    for _ in range(5):
        t = time.perf_counter(); m(p, s); best = min(best, time.perf_counter() - t)
print(json.dumps({"spectra_per_s": batch / best, "threads": torch.get_num_threads()}))
