#!/usr/bin/python3
"""numpy's standard_normal throughput, the reference bench/run-normals compares mimkit with.

Prints one JSON object per line: {"generator", "dtype", "n", "normals_per_s", ...}.
n = 4096 matches bench-normals' row (per-call overhead included, as a caller filling rows pays
it); n = 1 << 20 shows numpy's asymptotic rate. Each figure is the best of several timeit
repeats, since on a shared machine the minimum is the least disturbed run.

Run it with Debian's /usr/bin/python3 (python3-numpy): the pyenv python3 on PATH has no numpy.
The OPENBLAS_* variables set on some machines do not matter: the generator does not use BLAS.
"""

import argparse
import json
import platform
import sys
import timeit

import numpy as np

SEED = 20240607


def measure(dtype, n, repeats, min_seconds):
    rng = np.random.default_rng(SEED)
    out = np.empty(n, dtype=dtype)

    def fill():
        # out= avoids timing an allocation per call, like the C++ benchmarks' fixed buffer.
        rng.standard_normal(n, dtype=dtype, out=out)

    timer = timeit.Timer(fill)
    number, _ = timer.autorange()
    # autorange stops at >= 0.2 s; scale up so one repeat lasts about min_seconds.
    number = max(1, int(number * min_seconds / 0.2))
    best = min(timer.repeat(repeat=repeats, number=number)) / number
    return {
        "generator": "numpy",
        "dtype": np.dtype(dtype).name,
        "n": n,
        "normals_per_s": n / best,
        "seconds_per_call": best,
        "calls_per_repeat": number,
        "repeats": repeats,
        "numpy": np.__version__,
        "python": platform.python_version(),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--min-seconds", type=float, default=0.2,
                        help="approximate length of one repeat")
    parser.add_argument("--sizes", type=int, nargs="+", default=[4096, 1 << 20])
    args = parser.parse_args()
    for dtype in (np.float32, np.float64):
        for n in args.sizes:
            print(json.dumps(measure(dtype, n, args.repeats, args.min_seconds)))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
