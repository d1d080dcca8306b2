#!/usr/bin/python3
"""A whole mimkit run (data, phase 1, phase 2, test error) written the way a user would in
PyTorch, timed next to `mimkit run` on the same configuration, one thread each, best of 3 (the
mimkit time includes starting the process and its end-of-run metrics). Prints one JSON line per
(library, dtype) and a ratio table on stderr.

  bench/compare_run.py MIMKIT [d n1 m T1]      (defaults 1024 16384 256 10)

The PyTorch run follows docs/ALGORITHM.md: X ~ N(0, I), y = he2(z1) + 0.5 he2(z2) with z = U x, the symmetric
initialisation (rows of norm eps0, a = +-1), T1 gradient steps on the squared loss with logcosh and weight decay, then the ridge
solve for a on relu(W x + b) features and the test error. Its numbers are not mimkit's (other
random streams); only the times are compared."""
import json
import subprocess
import sys
import time

import torch

from compare_phase1 import torch_step  # the phase-1 gradient, as timed there

ETA1, BETA1, EPS0, LAMBDA2, N2, NTEST = 0.5, 0.8, 1e-3, 1e-3, 4096, 4096


def torch_run(d, n1, m, T1, dtype):
    g = torch.Generator().manual_seed(0)
    U = torch.linalg.qr(torch.randn(d, 2, generator=g, dtype=dtype))[0].T

    def sample(n):
        X = torch.randn(n, d, generator=g, dtype=dtype)
        z = X @ U.T
        return X, (z[:, 0] ** 2 - 1) + 0.5 * (z[:, 1] ** 2 - 1)

    X1, y1 = sample(n1)
    V = torch.randn(m // 2, d, generator=g, dtype=dtype)
    W = torch.cat([V, V]) * (EPS0 / torch.cat([V, V]).norm(dim=1, keepdim=True))
    a = torch.where(torch.arange(m) < m // 2, 1.0, -1.0).to(dtype)
    for _ in range(T1):
        W = W - ETA1 * (torch_step(X1, W, a, y1) + BETA1 * W)
    W = W / W.norm(dim=1, keepdim=True)
    b = torch.randn(m, generator=g, dtype=dtype)
    X2, y2 = sample(N2)
    Phi = torch.relu(X2 @ W.T + b)
    a2 = torch.linalg.solve(Phi.T @ Phi / N2 + LAMBDA2 * torch.eye(m, dtype=dtype), Phi.T @ y2 / N2)
    Xt, yt = sample(NTEST)
    # docs/ALGORITHM.md section 6: mean squared error over Var(y), 1 = the trivial predictor.
    return float(((torch.relu(Xt @ W.T + b) @ a2 - yt) ** 2).mean() / yt.var())


def best_of(fn, repeats=3):
    """(shortest wall time, result of that call) over `repeats` calls."""
    best = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        t = time.perf_counter() - t0
        if best is None or t < best[0]:
            best = (t, out)
    return best


def main():
    if len(sys.argv) not in (2, 6):
        sys.exit("usage: compare_run.py MIMKIT [d n1 m T1]")
    mimkit = sys.argv[1]
    d, n1, m, T1 = (int(v) for v in (sys.argv[2:6] if len(sys.argv) == 6 else (1024, 16384, 256, 10)))
    torch.set_num_threads(1)
    torch_run(64, 256, 8, 2, torch.float32)  # PyTorch's one-time initialisation, not timed
    rows = []
    for dtype, name in ((torch.float32, "float"), (torch.float64, "double")):
        t_torch, err = best_of(lambda: torch_run(d, n1, m, T1, dtype))
        cmd = [mimkit, "run", "--quiet", "--threads", "1", "--dtype", name] + sum(
            (["--set", "%s=%s" % kv] for kv in (("d", d), ("n1", n1), ("m", m), ("T1", T1),
                                                 ("n2", N2), ("ntest", NTEST))), [])
        t_mimkit, out = best_of(lambda: json.loads(
            subprocess.run(cmd, check=True, capture_output=True, text=True).stdout))
        for lib, t, e in (("torch", t_torch, err), ("mimkit", t_mimkit, out["phase2"]["test_error"])):
            row = {"library": lib, "dtype": name, "d": d, "n1": n1, "m": m, "T1": T1, "run_s": t,
                   "test_error": e}
            print(json.dumps(row))
            rows.append(row)
        print("%s d=%d n1=%d m=%d T1=%d: mimkit %.2f s, torch %.2f s, ratio %.2f" % (
            name, d, n1, m, T1, t_mimkit, t_torch, t_mimkit / t_torch), file=sys.stderr)


if __name__ == "__main__":
    main()
