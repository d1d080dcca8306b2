#!/usr/bin/env python3
"""What goes wrong around a run, and what mimkit does about it: one signal stops any run within
about a second (in a long step, in data generation, in the ridge solve); the memory budget is
checked before any work; outputs are checked before the work and never left half-written (a
full disk, a failed write to stdout); the error catalogue holds under a small ulimit -v.
Usage: cli_failures.py [wrapper ...] path/to/mimkit"""
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time

mimkit = sys.argv[1:]
if os.path.exists(mimkit[-1]):
    mimkit[-1] = os.path.abspath(mimkit[-1])
HERE = os.path.dirname(os.path.abspath(__file__))
failures = []
# Under an emulator (qemu) everything is ~50x slower: latency bounds scale with it.
SLOW = 30.0 if len(mimkit) > 1 else 1.0


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def stop_latency(argv, marker, wait_s):
    """Starts mimkit, waits for `marker` on stderr (or wait_s seconds), sends one SIGTERM and
    returns (exit code, seconds from the signal to the exit, stderr)."""
    p = subprocess.Popen(mimkit + argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    os.set_blocking(p.stderr.fileno(), False)
    err = b""
    start = time.time()
    while p.poll() is None and time.time() - start < wait_s * SLOW:
        chunk = p.stderr.read()
        if chunk:
            err += chunk
        if marker is not None and marker.encode() in err:
            break
        time.sleep(0.02)
    sent = time.time()
    p.send_signal(signal.SIGTERM)
    try:
        p.wait(timeout=30 * SLOW)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
    latency = time.time() - sent
    rest = p.stderr.read() or b""
    return p.returncode, latency, (err + rest).decode(errors="replace")


def limited(fsize=None, as_bytes=None):
    def apply():
        if fsize is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
        if as_bytes is not None:
            resource.setrlimit(resource.RLIMIT_AS, (as_bytes, as_bytes))
    return apply


# --- one signal stops any run within about a second -------------------------------------------
# "About a second" with room for a loaded CI machine; measured here: 0.01-0.05 s.
bound = 2.5 * SLOW
# A phase-1 step of the online variant over 2^22 fresh rows takes many seconds.
code, latency, err = stop_latency(
    ["run", "--set", "variant=online", "--set", "batch=4194304", "--set", "d=256", "--set",
     "m=256", "--set", "T1=2", "--threads", "2"], None, 2.0)
check(code == 130 and latency < bound,
      "SIGTERM inside a long phase-1 step stops the run (exit %s after %.2f s)" % (code, latency))
# Materialising fit1 (scalar kernels: slow on purpose) shows progress and stops between tiles.
code, latency, err = stop_latency(
    ["run", "--arch", "scalar", "--set", "d=1024", "--set", "n1=200000", "--set", "m=8"],
    "data", 20.0)
check(code == 130 and latency < bound and "data" in err,
      "SIGTERM while generating the data stops the run (exit %s after %.2f s)" % (code, latency))
# The exact ridge of a wide network (m = 4096: a Cholesky of seconds) shows progress and stops.
code, latency, err = stop_latency(
    ["run", "--set", "d=16", "--set", "m=4096", "--set", "T1=0", "--set", "n1=64", "--set",
     "n2=512", "--set", "ntest=64", "--set", "shards=1", "--threads", "2"], "phase2", 30.0)
check(code == 130 and latency < bound and "phase2" in err,
      "SIGTERM in the ridge solve stops the run (exit %s after %.2f s)" % (code, latency))

with tempfile.TemporaryDirectory() as tmp:
    os.chdir(tmp)
    TINY = ["--set", "d=8", "--set", "n1=64", "--set", "n2=64", "--set", "ntest=64", "--set",
            "m=4", "--set", "T1=2", "--quiet"]

    # --- the memory budget is checked before any work ----------------------------------------
    r = subprocess.run(mimkit + ["run", "--set", "d=4096", "--set", "n1=400000", "--quiet"],
                       capture_output=True, text=True, preexec_fn=limited(as_bytes=2 << 30))
    check(r.returncode == 1 and "needs 6.1" in r.stderr and "ulimit -v" in r.stderr,
          "a run over ulimit -v is refused up front naming both sizes: " + r.stderr.strip())
    r = subprocess.run(mimkit + ["sweep", "--preset", "default", "--grid", "d=64,4096",
                                 "--set", "n1=400000", "--max-memory", "1G", "--out", "b.jsonl",
                                 "--quiet"], capture_output=True, text=True)
    check(r.returncode == 1 and '{"d": 4096' in r.stderr and "--max-memory" in r.stderr and
          not os.path.exists("b.jsonl"),
          "a sweep with one point over --max-memory runs nothing: " + r.stderr.strip())

    # --- outputs are checked before the work --------------------------------------------------
    start = time.time()
    r = subprocess.run(mimkit + ["run", "--set", "d=512", "--set", "n1=65536", "--set", "T1=50",
                                 "--quiet", "--out", "missing/dir/x.json"],
                       capture_output=True, text=True)
    check(r.returncode == 1 and "missing/dir" in r.stderr and time.time() - start < 2 * SLOW,
          "run --out into a missing directory fails before training: " + r.stderr.strip())
    # Not --quiet: a sweep announces each point before running it.
    r = subprocess.run(mimkit + ["sweep", "--preset", "default"] + TINY[:-1] +
                       ["--out", "a/b/c.jsonl"], capture_output=True, text=True)
    check(r.returncode == 1 and "--out" in r.stderr and "point" not in r.stderr,
          "sweep opens its output before the first point: " + r.stderr.strip())

    # --- a full disk: no partial line, no partial file, the real cause -------------------------
    r = subprocess.run(mimkit + ["sweep", "--preset", "default"] + TINY +
                       ["--grid", "alpha=4,8,16,32", "--out", "full.jsonl"],
                       capture_output=True, text=True, preexec_fn=limited(fsize=6000))
    text = open("full.jsonl").read() if os.path.exists("full.jsonl") else ""
    whole = all(json.loads(l)["point"] >= 0 for l in text.splitlines())
    check(r.returncode == 1 and "File too large" in r.stderr and text.endswith("\n") and whole,
          "a sweep on a full disk keeps whole lines and names the cause: " + r.stderr.strip())
    r = subprocess.run(mimkit + ["data", "--d", "64", "--n", "5000", "--format", "csv", "--out",
                                 "x.csv"], capture_output=True, text=True,
                       preexec_fn=limited(fsize=100000))
    check(r.returncode == 1 and not os.path.exists("x.csv") and
          not os.path.exists("x.csv.partial"),
          "a failed data run leaves no file behind: " + r.stderr.strip())
    r = subprocess.run(mimkit + ["data", "--d", "4", "--n", "10", "--format", "csv", "--out",
                                 "x.csv"], capture_output=True, text=True)
    check(r.returncode == 0 and os.path.exists("x.csv"), "and then a rerun is not blocked")

    # --- stdout on a full device is a failure ---------------------------------------------------
    for argv in (["presets"], ["--help"], ["--version"], ["run", "--keys"],
                 ["sweep", "--preset", "default", "--dry-run"], ["run"] + TINY):
        with open("/dev/full", "w") as full:
            r = subprocess.run(mimkit + argv, stdout=full, stderr=subprocess.PIPE, text=True)
        check(r.returncode == 1 and "No space left" in r.stderr,
              "mimkit %s > /dev/full exits 1: %s" % (" ".join(argv), r.stderr.strip()))

# --- the error catalogue under a small address space: no abort anywhere ------------------------
r = subprocess.run([sys.executable, os.path.join(HERE, "cli_errors.py")] + mimkit,
                   capture_output=True, text=True, preexec_fn=limited(as_bytes=512 << 20))
check(r.returncode == 0, "every catalogue case holds under ulimit -v 512M: " +
      "; ".join(l for l in r.stdout.splitlines() if l.startswith("FAIL"))[:2000])

print("%d failed" % len(failures))
sys.exit(1 if failures else 0)
