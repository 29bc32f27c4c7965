#!/usr/bin/env python3
"""emcee peer for @astro/spectral-emulator's sampleLabels benchmark (run by bench/run.ts in the same run).

The posterior of test/fixtures/payne_mcmc.json: 5 labels + radial velocity of a 300-pixel slice of
the real per-pixel APOGEE Payne (float64 numpy), uniform prior over the label box, Gaussian χ².
Times emcee's EnsembleSampler (32 walkers, stretch move) in ensemble steps/s, both with one
log-probability call per walker (emcee's default) and with vectorize=True (all proposals of a
half-ensemble in one numpy call, as sampleLabels batches them). Prints one JSON object.
argv[1]: steps (default 300). numpy is held to one thread, like WebAssembly.
"""
import json
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
from pathlib import Path  # noqa: E402

import emcee  # noqa: E402
import numpy as np  # noqa: E402

steps = int(sys.argv[1]) if len(sys.argv) > 1 else 300
here = Path(__file__).resolve().parent
repo = here.parents[2]
data = Path(os.environ.get("ASTRO_DATA_DIR", repo.parent / "shared" / "data")) / "spectra" / "payne-apogee-nn"
fx = json.loads((here.parent / "test" / "fixtures" / "payne_mcmc.json").read_text())
a, b = fx["first_pixel"], fx["first_pixel"] + fx["num_pixels"]
w0 = np.load(data / "w_array_0.npy").astype(np.float64)[a:b]
w1 = np.load(data / "w_array_1.npy").astype(np.float64)[a:b]
b0 = np.load(data / "b_array_0.npy").astype(np.float64)[a:b]
b1 = np.load(data / "b_array_1.npy").astype(np.float64)[a:b]
x_min = np.load(data / "x_min.npy").astype(np.float64)
x_max = np.load(data / "x_max.npy").astype(np.float64)
wave = np.load(data / "wavelength.npy").astype(np.float64)[a:b]
flux = np.asarray(fx["flux"])
ivar = 1.0 / fx["sigma"] ** 2
C = 299792.458


def model_batch(theta):  # [n, 6] → [n, P]
    s = (theta[:, :5] - x_min) / (x_max - x_min) - 0.5
    h = 1.0 / (1.0 + np.exp(-(np.einsum("pjk,nk->npj", w0, s) + b0)))
    f = np.einsum("pj,npj->np", w1, h) + b1
    return np.stack([np.interp(wave / (1 + rv / C), wave, fi) for fi, rv in zip(f, theta[:, 5])])


def log_prob_batch(theta):
    theta = np.atleast_2d(theta)
    ok = np.all((theta[:, :5] >= x_min) & (theta[:, :5] <= x_max), axis=1) & (np.abs(theta[:, 5]) <= 300)
    out = np.full(len(theta), -np.inf)
    if ok.any():
        r = flux - model_batch(theta[ok])
        out[ok] = -0.5 * ivar * np.sum(r * r, axis=1)
    return out


def log_prob(theta):
    return log_prob_batch(theta)[0]


def time_run(vectorize):
    rng = np.random.default_rng(0)
    p0 = np.asarray(fx["lsq"]["params"]) + 0.1 * np.asarray(fx["lsq"]["errors"]) * rng.standard_normal((32, 6))
    sampler = emcee.EnsembleSampler(32, 6, log_prob_batch if vectorize else log_prob, vectorize=vectorize)
    sampler.run_mcmc(p0, 10, progress=False)  # warm-up
    t0 = time.perf_counter()
    sampler.run_mcmc(None, steps, progress=False)
    return steps / (time.perf_counter() - t0)


print(json.dumps({"emcee": emcee.__version__, "numpy": np.__version__, "steps": steps,
                  "steps_per_s": time_run(False), "vectorized_steps_per_s": time_run(True)}))
