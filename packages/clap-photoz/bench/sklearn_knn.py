#!/usr/bin/env python3
"""scikit-learn peer of the KNN stage in bench/run.ts: KNeighborsRegressor (algorithm 'auto', one job) on the
same standardised colours, timed in the same run. Arguments: queries.npy corpus.npy k repeats. Prints JSON:
fit time, median/min/max kneighbors time over `repeats` runs after one warm-up, and the neighbour indices of
the first 20 queries (to check that both find the same neighbours)."""
import json
import statistics
import sys
import time

import numpy as np
from sklearn import __version__ as sklearn_version
from sklearn.neighbors import KNeighborsRegressor

q = np.load(sys.argv[1]).astype(np.float64)
c = np.load(sys.argv[2]).astype(np.float64)
k, repeats = int(sys.argv[3]), int(sys.argv[4])
t0 = time.perf_counter()
model = KNeighborsRegressor(n_neighbors=k, n_jobs=1).fit(c, np.zeros(len(c)))
fit_s = time.perf_counter() - t0
model.kneighbors(q)  # warm-up
times = []
for _ in range(repeats):
    t0 = time.perf_counter()
    _, idx = model.kneighbors(q)
    times.append(time.perf_counter() - t0)
print(json.dumps({
    "sklearn": sklearn_version, "algorithm": model._fit_method, "fit_s": fit_s,
    "kneighbors_s": {"median": statistics.median(times), "min": min(times), "max": max(times), "runs": repeats},
    "first_indices": idx[:20].tolist(),
}))
