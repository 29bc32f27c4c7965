#!/usr/bin/python3
"""Peer timings for bench/cluster.bench.ts: sklearn KMeans and GaussianMixture on the same data,
from the same initial parameters, with the same fixed iteration counts. Prints one JSON line.

usage: sklearn_cluster.py DATA.f64 n d k kmeans_iters gmm_iters reps
(DATA.f64 holds X (n×d) then the k×d initial centres, little-endian float64)."""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.mixture import GaussianMixture
from threadpoolctl import threadpool_info

path, n, d, k, km_iters, gmm_iters, reps = sys.argv[1], *map(int, sys.argv[2:])
raw = np.fromfile(path, dtype="<f8")
X = raw[: n * d].reshape(n, d)
C0 = raw[n * d:].reshape(k, d)


def best(fn):
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        r = fn()
        times.append(time.perf_counter() - t0)
    return min(times), r


# warm-up (imports, first-call dispatch) on a slice, then the timed runs
KMeans(k, init=C0, n_init=1, max_iter=2, tol=0.0, algorithm="lloyd").fit(X[:5000])
GaussianMixture(k, covariance_type="full", means_init=C0, max_iter=2, tol=0.0).fit(X[:5000])
t_km, km = best(lambda: KMeans(k, init=C0, n_init=1, max_iter=km_iters, tol=0.0, algorithm="lloyd").fit(X))
prec0 = np.array([np.eye(d)] * k)
t_gmm, g = best(lambda: GaussianMixture(k, covariance_type="full", weights_init=np.full(k, 1 / k), means_init=C0,
                                        precisions_init=prec0, max_iter=gmm_iters, tol=0.0).fit(X))
threads = max((t.get("num_threads", 1) for t in threadpool_info()), default=1)
print(json.dumps({"kmeans_s": t_km, "kmeans_iter": int(km.n_iter_), "kmeans_inertia": float(km.inertia_),
                  "gmm_s": t_gmm, "gmm_iter": int(g.n_iter_), "gmm_lower_bound": float(g.lower_bound_),
                  "sklearn": sklearn.__version__, "threads": threads}))
