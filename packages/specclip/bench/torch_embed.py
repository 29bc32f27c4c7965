#!/usr/bin/python3
"""The encoder of bench/run.ts in PyTorch (CPU), with the *same weights and inputs*: patch embedding
(Linear W→dim), log-std token (Linear 1→dim), learned positions, pre-norm transformer layers
(exact-GELU MLP ×4, LayerNorm eps 1e-5), final LayerNorm — torch.nn.TransformerEncoder (its
fast path in eval mode), loaded from the float32 weights and inputs that run.ts wrote.
Threads are pinned: THREADS is "1" (torch.set_num_threads(1)) or "all" (os.cpu_count()).
Prints JSON: per-batch wall and CPU times in ms of REPS forward passes after one warm-up pass,
their median, min and max, spectra/s at the median, and max |ours − torch| of the outputs
(checks that both sides compute the same function). If torch cannot be imported it prints
{"error": ...} and exits with status 0, so the caller reports the peer as missing and goes on.
Usage: /usr/bin/python3 torch_embed.py MANIFEST.json THREADS [REPS]
MANIFEST: {tokens, window, dim, depth, heads, batch, bin, tensors: [{name, shape, offset}]}
(offsets in float32 elements into the little-endian file `bin`)."""
import json
import os
import statistics
import sys
import time

try:
    import numpy as np
    import torch
except Exception as e:  # noqa: BLE001 - any import failure means "peer missing"
    print(json.dumps({"error": f"{type(e).__name__}: {e}"}))
    sys.exit(0)

man = json.load(open(sys.argv[1]))
threads_arg = sys.argv[2] if len(sys.argv) > 2 else "1"
reps = int(sys.argv[3]) if len(sys.argv) > 3 else 5
torch.set_num_threads(1 if threads_arg == "1" else (os.cpu_count() or 1))
tokens, window, dim, depth, heads, batch = (man[k] for k in ("tokens", "window", "dim", "depth", "heads", "batch"))
flat = np.fromfile(man["bin"], dtype="<f4")
T = {t["name"]: torch.from_numpy(flat[t["offset"]:t["offset"] + int(np.prod(t["shape"]))].reshape(t["shape"]).copy()) for t in man["tensors"]}


class Enc(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.patch_embed = torch.nn.Linear(window, dim)
        self.std_embed = torch.nn.Linear(1, dim)
        self.pos_embed = torch.nn.Parameter(torch.zeros(tokens + 1, dim))
        layer = torch.nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.0, activation="gelu", batch_first=True, norm_first=True)
        self.blocks = torch.nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
        self.norm = torch.nn.LayerNorm(dim)

    def forward(self, p, s):
        x = torch.cat([self.std_embed(s)[:, None], self.patch_embed(p)], 1) + self.pos_embed
        return self.norm(self.blocks(x))


m = Enc().eval()
with torch.no_grad():
    for n in ("patch_embed", "std_embed", "norm"):
        getattr(m, n).weight.copy_(T[f"{n}.weight"])
        getattr(m, n).bias.copy_(T[f"{n}.bias"])
    m.pos_embed.copy_(T["pos_embed"])
    for i, L in enumerate(m.blocks.layers):
        b = f"blocks.{i}."
        L.self_attn.in_proj_weight.copy_(torch.cat([T[b + f"attn.{x}.weight"] for x in "qkv"], 0))
        L.self_attn.in_proj_bias.copy_(torch.cat([T[b + f"attn.{x}.bias"] for x in "qkv"], 0))
        L.self_attn.out_proj.weight.copy_(T[b + "attn.out.weight"])
        L.self_attn.out_proj.bias.copy_(T[b + "attn.out.bias"])
        for ours, theirs in (("norm1", L.norm1), ("norm2", L.norm2), ("mlp.layers.0", L.linear1), ("mlp.layers.1", L.linear2)):
            theirs.weight.copy_(T[b + ours + ".weight"])
            theirs.bias.copy_(T[b + ours + ".bias"])
p, s = T["input.patches"], T["input.logStd"]
ms, cpu = [], []
with torch.inference_mode():
    y = m(p, s)  # warm-up
    diff = float((y - T["output.tokens"]).abs().max()) if "output.tokens" in T else None
    for _ in range(reps):
        t, c = time.perf_counter(), time.process_time()
        m(p, s)
        ms.append(1000 * (time.perf_counter() - t))
        cpu.append(1000 * (time.process_time() - c))
med = statistics.median(ms)
print(json.dumps({
    "torch": torch.__version__,
    "threads": torch.get_num_threads(),
    "batch_ms": ms,
    "batch_cpu_ms": cpu,
    "median_ms": med,
    "min_ms": min(ms),
    "max_ms": max(ms),
    "median_cpu_ms": statistics.median(cpu),
    "spectra_per_s": batch / (med / 1000),
    "max_abs_diff_vs_ours": diff,
}))
