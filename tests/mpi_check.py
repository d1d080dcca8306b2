#!/usr/bin/env python3
"""mpirun -n 2 mimkit sweep writes the same lines as a single-process sweep (order aside).
Usage: mpi_check.py MPIRUN path/to/mimkit"""
import os
import subprocess
import sys
import tempfile

from sweep_results import results

mpirun, mimkit = sys.argv[1], sys.argv[2]
ARGS = ["sweep", "--preset", "default", "--set", "d=16", "--set", "m=8", "--set", "T1=5",
        "--set", "n2=256", "--set", "ntest=128", "--grid", "alpha=4,8,16",
        "--grid", "variant=layerwise,dls22", "--seeds", "2", "--quiet"]


with tempfile.TemporaryDirectory() as tmp:
    single, multi = os.path.join(tmp, "single.jsonl"), os.path.join(tmp, "multi.jsonl")
    subprocess.run([mimkit] + ARGS + ["--out", single], check=True)
    r = subprocess.run([mpirun, "--allow-run-as-root", "--oversubscribe", "-n", "2", mimkit] +
                       ARGS + ["--out", multi], capture_output=True, text=True)
    print(r.stdout, r.stderr)
    if r.returncode != 0:
        print("FAIL: mpirun exited with", r.returncode)
        sys.exit(1)
    a, b = results(single), results(multi)
    print("single-process lines:", len(a), "MPI lines:", len(b))
    if len(a) != 12 or a != b:
        print("FAIL: the MPI sweep differs from the single-process sweep")
        sys.exit(1)
    print("ok   mpirun -n 2 equals the single-process sweep")
