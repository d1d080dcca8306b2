#!/usr/bin/env python3
"""Sweeps: shards together equal one sweep, a SIGKILLed sweep resumes to the same lines, and
merge rejects missing or duplicate points.  Usage: sweep_check.py [wrapper ...] path/to/mimkit"""
import os
import signal
import subprocess
import sys
import tempfile
import time

from sweep_results import results

mimkit = sys.argv[1:]
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


BASE = ["--preset", "default", "--set", "d=16", "--set", "n2=256", "--set", "ntest=128",
        "--set", "m=8", "--set", "T1=5", "--set", "tile_rows=64",
        "--grid", "alpha=4,8,16", "--grid", "loss=squared,absolute", "--seeds", "2", "--quiet"]


def sweep(out, *extra):
    return subprocess.run(mimkit + ["sweep"] + BASE + ["--out", out] + list(extra),
                          capture_output=True, text=True)


with tempfile.TemporaryDirectory() as tmp:
    whole = os.path.join(tmp, "whole.jsonl")
    r = sweep(whole)
    check(r.returncode == 0, "an unsharded sweep succeeds: " + r.stderr.strip())
    ref = results(whole)
    check(len(ref) == 12, "3 alphas x 2 losses x 2 seeds = 12 lines (got %d)" % len(ref))

    shards = [os.path.join(tmp, "shard%d.jsonl" % i) for i in range(3)]
    for i, path in enumerate(shards):
        r = sweep(path, "--shard", "%d/3" % i)
        check(r.returncode == 0, "shard %d/3 succeeds" % i)
    merged = os.path.join(tmp, "merged.jsonl")
    r = subprocess.run(mimkit + ["merge"] + shards + ["--out", merged], capture_output=True,
                       text=True)
    check(r.returncode == 0, "merge of the three shards succeeds: " + r.stderr.strip())
    check(results(merged) == ref, "the merged shards equal the unsharded sweep")

    r = subprocess.run(mimkit + ["merge"] + shards[:2], capture_output=True, text=True)
    check(r.returncode != 0 and "missing" in r.stderr, "merge reports missing points")
    r = subprocess.run(mimkit + ["merge", shards[0], shards[0]], capture_output=True, text=True)
    check(r.returncode != 0 and "twice" in r.stderr, "merge reports duplicate points")

    r = sweep(whole)
    check(r.returncode != 0 and "--resume" in r.stderr,
          "an existing output is never overwritten without --resume or --force")

    # A results file belongs to one sweep: resuming it with other settings, another dtype or
    # another grid is refused naming what differs, and nothing is appended.
    before = open(whole).read()
    r = sweep(whole, "--resume", "--set", "T1=6")
    check(r.returncode == 2 and "another sweep" in r.stderr and "T1 = 5 there, 6 here" in r.stderr,
          "--resume with another --set is refused naming the key: " + r.stderr.strip())
    r = sweep(whole, "--resume", "--dtype", "double")
    check(r.returncode == 2 and "dtype 'float' vs 'double'" in r.stderr,
          "--resume with another dtype is refused: " + r.stderr.strip())
    r = subprocess.run(mimkit + ["sweep"] + BASE[:-7] + ["--grid", "alpha=4,8", "--seeds", "2",
                                                         "--quiet", "--out", whole, "--resume"],
                       capture_output=True, text=True)
    check(r.returncode == 2 and "grid" in r.stderr,
          "--resume with another grid is refused: " + r.stderr.strip())
    check(open(whole).read() == before, "a refused --resume leaves the file as it was")

    # Shards of two different sweeps do not merge.
    other = os.path.join(tmp, "other1.jsonl")
    r = sweep(other, "--shard", "1/3", "--set", "T1=6")
    r = subprocess.run(mimkit + ["merge", shards[0], other, shards[2]], capture_output=True,
                       text=True)
    check(r.returncode == 2 and "another sweep" in r.stderr and "T1 = 5" in r.stderr,
          "merge of shards run with different --set is refused: " + r.stderr.strip())

    # Two writers on one file: the second is refused while the first holds the lock.
    locked = os.path.join(tmp, "locked.jsonl")
    slow_point = ["--set", "d=128", "--set", "T1=400", "--set", "m=32"]
    p = subprocess.Popen(mimkit + ["sweep"] + BASE + slow_point + ["--out", locked],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not os.path.exists(locked) and p.poll() is None:
        time.sleep(0.005)
    r = sweep(locked, "--resume", *slow_point)
    p.send_signal(signal.SIGKILL)
    p.wait()
    check(r.returncode == 1 and "another mimkit sweep is writing" in r.stderr,
          "a second sweep on a file being written is refused: " + r.stderr.strip())

    # Without a preset: the defaults and the given grid; --shard auto follows a Slurm array.
    custom = os.path.join(tmp, "custom.jsonl")
    r = subprocess.run(mimkit + ["sweep", "--grid", "alpha=4,8", "--set", "d=16", "--set",
                                 "T1=2", "--quiet", "--out", custom], capture_output=True,
                       text=True)
    check(r.returncode == 0 and len(results(custom)) == 2,
          "a sweep without --preset runs its grid from the defaults: " + r.stderr.strip())
    env = dict(os.environ, SLURM_ARRAY_TASK_ID="5", SLURM_ARRAY_TASK_MIN="4",
               SLURM_ARRAY_TASK_COUNT="3")
    r = subprocess.run(mimkit + ["sweep"] + BASE + ["--shard", "auto", "--dry-run"],
                       capture_output=True, text=True, env=env)
    listed = [int(l.split()[0]) for l in r.stdout.splitlines()]
    check(r.returncode == 0 and listed == [1, 4, 7, 10],
          "--shard auto takes task 5 of an array starting at 4 as shard 1/3: %s" % listed)

    # Kill a sweep at several moments with SIGKILL, resume each time: same lines in the end.
    killed = os.path.join(tmp, "killed.jsonl")
    for delay in (0.05, 0.2, 0.4):
        p = subprocess.Popen(mimkit + ["sweep"] + BASE + ["--out", killed, "--resume"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        p.send_signal(signal.SIGKILL)
        p.wait()
    # A partial last line, as a kill in the middle of a write would leave.
    with open(killed, "a") as f:
        f.write('{"point": 3, "points": 12, "point_k')
    r = sweep(killed, "--resume")
    check(r.returncode == 0, "resuming after SIGKILLs succeeds: " + r.stderr.strip())
    check(results(killed) == ref, "a killed and resumed sweep has exactly the uninterrupted lines")

    # SIGINT stops after the current point (exit 130), keeping every finished line whole. Slower
    # points (d = 128, T1 = 200) so the signal lands in the middle of the sweep.
    slow = ["--set", "d=128", "--set", "T1=200", "--set", "m=16"]
    interrupted = os.path.join(tmp, "interrupted.jsonl")
    p = subprocess.Popen(mimkit + ["sweep"] + BASE + slow + ["--out", interrupted],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    # Interrupt once two points are done, whatever the machine's speed (qemu is ~50x slower).
    while p.poll() is None:
        if os.path.exists(interrupted) and open(interrupted).read().count("\n") >= 2:
            break
        time.sleep(0.005)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate()
    partial = results(interrupted) if os.path.exists(interrupted) else {}
    check(p.returncode == 130 and "interrupted" in err,
          "SIGINT stops the sweep after the current point (exit %d, %d lines)" %
          (p.returncode, len(partial)))
    r = sweep(interrupted, "--resume", *slow)
    full = results(interrupted)
    check(r.returncode == 0 and len(full) == 12 and all(full[k] == v for k, v in partial.items()),
          "the lines kept at SIGINT are whole, and --resume completes the sweep")

sys.exit(1 if failures else 0)
