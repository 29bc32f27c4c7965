#!/usr/bin/env python3
"""PyTorch CPU peer of the image-encoder benchmark (bench/images.ts): the same CNN (conv3x3-GELU-avgpool x2,
conv3x3-GELU-mean, MLP to an L2-normalised latent), timed on n random 32x32x5 images: forward (encode, batches
of 256) and one training pass (forward + backward of a mean-latent loss, batches of 128), each the median of
`repeats` runs after one warm-up, with torch pinned to 1 thread and then with all of its default threads.
Arguments: n [repeats]. Prints JSON."""
import json
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

n, size, c1, c2, c3 = int(sys.argv[1]), 32, 16, 32, 32
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
# torch's default may already be 1 (OMP_NUM_THREADS); 'all' means every CPU of the machine
all_threads = max(torch.get_num_threads(), os.cpu_count() or 1)
torch.manual_seed(0)
conv1, conv2, conv3 = torch.nn.Conv2d(5, c1, 3, padding=1), torch.nn.Conv2d(c1, c2, 3, padding=1), torch.nn.Conv2d(c2, c3, 3, padding=1)
l1, l2 = torch.nn.Linear(c3, 64), torch.nn.Linear(64, 8)
params = [p for m in (conv1, conv2, conv3, l1, l2) for p in m.parameters()]


def fwd(x):
    h = F.avg_pool2d(F.gelu(conv1(x)), 2)
    h = F.avg_pool2d(F.gelu(conv2(h)), 2)
    h = F.gelu(conv3(h)).mean(dim=(2, 3))
    z = l2(F.gelu(l1(h)))
    return z / (z.norm(dim=1, keepdim=True) + 1e-8)


x = torch.randn(n, 5, size, size)


def timed(f):
    f()  # warm-up
    t = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        f()
        t.append(time.perf_counter() - t0)
    return {"median": statistics.median(t), "min": min(t), "max": max(t), "runs": repeats}


def encode():
    with torch.no_grad():
        for s in range(0, n, 256):
            fwd(x[s:s + 256])


def train():
    for s in range(0, n, 128):
        for p in params:
            p.grad = None
        fwd(x[s:s + 128]).sum().backward()


out = {"torch": torch.__version__}
for name, threads in (("1thread", 1), ("all_threads", all_threads)):
    torch.set_num_threads(threads)
    out[name] = {"threads": torch.get_num_threads(), "encode_s": timed(encode), "train_s": timed(train)}
print(json.dumps(out))
