#!/usr/bin/env python3
"""PyTorch CPU peer for @astro/spectral-emulator's benchmarks (run by bench/run.ts in the same run).

Times, for the released bundle's architecture (MLP 3→128→128→500, GELU tanh):
  - inference: batch 256 of labels → 500-pixel spectra, spectra/s (torch.inference_mode);
  - one training step: L1 loss + AdamW on a batch of 256, steps/s.
Prints one JSON object. Threads: argv[1] (default 1, to match single-threaded WebAssembly).
"""
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

threads = (os.cpu_count() or 1) if (len(sys.argv) > 1 and sys.argv[1] == "all") else int(sys.argv[1]) if len(sys.argv) > 1 else 1
torch.set_num_threads(threads)
torch.manual_seed(0)
net = torch.nn.Sequential(
    torch.nn.Linear(3, 128), torch.nn.GELU(approximate="tanh"),
    torch.nn.Linear(128, 128), torch.nn.GELU(approximate="tanh"),
    torch.nn.Linear(128, 500),
)
x = torch.rand(256, 3)
y = torch.rand(256, 500)


def best_rate(fn, reps, rounds=5):
    """Median over `rounds` (after the caller's warm-up) of the seconds per call."""
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        times.append((time.perf_counter() - t0) / reps)
    return statistics.median(times)


with torch.inference_mode():
    for _ in range(20):
        net(x)
    t_pred = best_rate(lambda: net(x), 50)

opt = torch.optim.AdamW(net.parameters(), lr=1e-3)


def step():
    opt.zero_grad()
    loss = (net(x) - y).abs().mean()
    loss.backward()
    opt.step()


for _ in range(10):
    step()
t_step = best_rate(step, 20)
print(json.dumps({"threads": threads, "torch": torch.__version__, "predict_spectra_per_s": 256 / t_pred, "train_steps_per_s": 1 / t_step}))
