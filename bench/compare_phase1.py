#!/usr/bin/python3
"""The phase-1 step (docs/ALGORITHM.md section 3) written the way a user would in PyTorch and in
NumPy, timed on the shapes of bench-phase1. Prints one JSON line per (library, dtype, shape).

Uses Debian's python3-torch and python3-numpy. Reports which BLAS NumPy uses: the reference
BLAS is ~100x slower than OpenBLAS, which would make any comparison meaningless."""
import json
import math
import os
import sys
import time

import numpy as np

try:
    import torch
except ImportError:  # the NumPy rows still run
    torch = None


def blas_name():
    try:
        from threadpoolctl import threadpool_info
        infos = [i for i in threadpool_info() if i.get("user_api") == "blas"]
        if infos:
            i = infos[0]
            return "%s %s (%s)" % (i.get("internal_api"), i.get("version"), i.get("architecture"))
    except Exception:  # threadpoolctl missing: fall back to numpy's build info
        pass
    return "unknown"


def best_of(fn, repeats=5):
    fn()  # warm up
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def numpy_step(X, W, a, y):
    n = X.shape[0]
    Z = X @ W.T
    A = np.abs(Z)
    f = (A + np.log1p(np.exp(-2 * A)) - math.log(2)) @ a
    r = f - y
    D = (r[:, None] * a[None, :]) * np.tanh(Z) / n
    return D.T @ X


def torch_step(X, W, a, y):
    n = X.shape[0]
    Z = X @ W.T
    f = (Z.abs() + torch.log1p(torch.exp(-2 * Z.abs())) - math.log(2)) @ a
    r = f - y
    D = (r[:, None] * a[None, :]) * torch.tanh(Z) / n
    return D.T @ X


def main():
    shapes = [(1024, 16384, 256), (1024, 16384, 32)]
    threads = int(os.environ.get("THREADS", "1"))
    if torch is not None:
        torch.set_num_threads(threads)
    rng = np.random.default_rng(0)
    blas = blas_name()
    if "openblas" not in blas.lower():
        print("compare_phase1: NumPy uses BLAS '%s', not OpenBLAS: the reference rows are not a fair "
              "comparison (scripts/setup --bench installs libopenblas0-pthread)" % blas, file=sys.stderr)
    print(json.dumps({"blas": blas, "numpy": np.__version__,
                      "torch": torch.__version__ if torch else None, "threads": threads}))
    for dtype in ("float32", "float64"):
        for d, n, m in shapes:
            X = rng.standard_normal((n, d)).astype(dtype)
            W = (1e-3 * rng.standard_normal((m, d))).astype(dtype)
            a = np.where(np.arange(m) < m // 2, 1.0, -1.0).astype(dtype)
            y = rng.standard_normal(n).astype(dtype)
            flops = 4.0 * n * d * m
            t = best_of(lambda: numpy_step(X, W, a, y))
            print(json.dumps({"library": "numpy", "dtype": dtype, "d": d, "n1": n, "m": m,
                              "step_s": t, "gflops": flops / t / 1e9}))
            # The step's two products alone: the rate OpenBLAS reaches on these shapes.
            D = rng.standard_normal((n, m)).astype(dtype)
            for op, fn in (("X @ W.T", lambda: X @ W.T), ("D.T @ X", lambda: D.T @ X)):
                t = best_of(fn)
                print(json.dumps({"library": "numpy", "op": op, "dtype": dtype, "d": d, "n1": n,
                                  "m": m, "op_s": t, "gflops": flops / 2 / t / 1e9}))
            if torch is not None:
                tX, tW, ta, ty = (torch.from_numpy(v) for v in (X, W, a, y))
                with torch.no_grad():
                    t = best_of(lambda: torch_step(tX, tW, ta, ty))
                print(json.dumps({"library": "torch", "dtype": dtype, "d": d, "n1": n, "m": m,
                                  "step_s": t, "gflops": flops / t / 1e9,
                                  "x_bytes": tX.element_size() * tX.nelement()}))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
