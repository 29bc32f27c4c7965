#!/usr/bin/python3
"""PyTorch CPU peer of @astro/core's benchmark, run as a long-lived server so that the bench can
interleave our timings with PyTorch's in the same seconds (on a shared machine the load changes
from one minute to the next; a ratio is only honest when both sides see the same load).

Protocol: one JSON command per line on stdin, one JSON answer per line on stdout.
  {"op": "hello"}                              -> {"torch": version, "threads": n}
  {"op": "matmul", "batch": b, "m": m, "k": k, "n": n, "reps": r}
                                               -> {"ms": [r wall timings of one product], "cpu_ms": [process CPU time]}
  {"op": "step", "reps": r, "B", "T", "D", "H"} -> {"ms": [...], "cpu_ms": [...]} of one training step
  {"op": "embed", "tokens", "dim", "depth", "heads", "batch", "reps"}
                                               -> {"ms": [...]} forward of a pre-norm encoder (inference)
  {"op": "quit"}
The reference step (identical in shape to packages/core/bench/reference-model.ts): x [B, T, D] →
2 pre-norm blocks (LayerNorm → 4-head self-attention → residual; LayerNorm → MLP D→4D→D with GELU →
residual) → LayerNorm → Linear(D, D); MSE loss; AdamW(lr 1e-3, weight_decay 0.01); B = 32, T = 128,
D = 128.
Usage: /usr/bin/python3 tools/bench/torch_peer.py THREADS [cuda]
If torch cannot be imported the first line is {"error": "..."} and the process exits with status 0,
so the caller reports the peer as missing and goes on.
"""
import json
import sys
import time

try:
    import torch
    import torch.nn as nn
except Exception as e:  # noqa: BLE001 - any import failure means "peer missing"
    print(json.dumps({"error": f"{type(e).__name__}: {e}"}), flush=True)
    sys.exit(0)

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
device = sys.argv[2] if len(sys.argv) > 2 else "cpu"
if device == "cuda" and not torch.cuda.is_available():
    print(json.dumps({"error": "torch.cuda.is_available() is False"}), flush=True)
    sys.exit(0)
torch.set_num_threads(threads)
torch.manual_seed(0)


def sync():
    if device == "cuda":
        torch.cuda.synchronize()


def timed(fn, reps, warm=2):
    for _ in range(warm):
        fn()
    sync()
    out, cpu = [], []
    for _ in range(reps):
        c0 = time.process_time()
        t0 = time.perf_counter()
        fn()
        sync()
        out.append((time.perf_counter() - t0) * 1e3)
        cpu.append((time.process_time() - c0) * 1e3)
    return {"ms": out, "cpu_ms": cpu}


class Block(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.ln1 = nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.ln2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x):
        h = self.ln1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        return x + self.mlp(self.ln2(x))


step_state = {}


def step_fn(B=32, T=128, D=128, H=4):
    key = (B, T, D, H)
    if key not in step_state:
        model = nn.Sequential(Block(D, H), Block(D, H), nn.LayerNorm(D), nn.Linear(D, D)).to(device)
        opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
        x = torch.randn(B, T, D, device=device)
        y = torch.randn(B, T, D, device=device)

        def step():
            opt.zero_grad(set_to_none=True)
            loss = torch.mean((model(x) - y) ** 2)
            loss.backward()
            opt.step()
            return loss.item()

        step_state[key] = step
    return step_state[key]


embed_state = {}


def embed_fn(tokens, dim, depth, heads, batch):
    key = (tokens, dim, depth, heads, batch)
    if key not in embed_state:
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.0, activation="gelu", batch_first=True, norm_first=True)
        enc = nn.Sequential(nn.TransformerEncoder(layer, depth, enable_nested_tensor=False), nn.LayerNorm(dim)).to(device).eval()
        x = torch.randn(batch, tokens, dim, device=device)

        def run():
            with torch.inference_mode():
                enc(x)

        embed_state[key] = run
    return embed_state[key]


mats = {}
for line in sys.stdin:
    cmd = json.loads(line)
    op = cmd.get("op")
    try:
        if op == "hello":
            ans = {"torch": torch.__version__, "threads": torch.get_num_threads(), "device": device}
            if device == "cuda":
                ans["gpu"] = torch.cuda.get_device_name(0)
        elif op == "matmul":
            b, m, k, n = cmd.get("batch", 1), cmd["m"], cmd["k"], cmd["n"]
            key = (b, m, k, n)
            if key not in mats:
                mats.clear()
                shape_a = (b, m, k) if b > 1 else (m, k)
                shape_b = (b, k, n) if b > 1 else (k, n)
                mats[key] = (torch.randn(*shape_a, device=device), torch.randn(*shape_b, device=device))
            a, bb = mats[key]
            ans = timed(lambda: torch.matmul(a, bb), cmd.get("reps", 5))
        elif op == "step":
            ans = timed(step_fn(cmd.get("B", 32), cmd.get("T", 128), cmd.get("D", 128), cmd.get("H", 4)), cmd.get("reps", 5), warm=cmd.get("warm", 2))
        elif op == "embed":
            f = embed_fn(cmd["tokens"], cmd["dim"], cmd["depth"], cmd["heads"], cmd["batch"])
            ans = timed(f, cmd.get("reps", 5))
        elif op == "quit":
            break
        else:
            ans = {"error": f"unknown op {op!r}"}
    except Exception as e:  # noqa: BLE001 - report, keep serving
        ans = {"error": f"{type(e).__name__}: {e}"}
    print(json.dumps(ans), flush=True)
