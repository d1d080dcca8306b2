#!/usr/bin/env python3
"""scripts/e7-analysis on a synthetic sweep whose answers are known in closed form: the median
cosine is linear in log alpha, so the crossing of a level is exact; the crossings per d follow
a + b d^(-1/3) exactly, so the extrapolation must return a; the theory columns must be what
`mimkit theory` prints. usage: e7_analysis_check.py [wrapper ...] path/to/mimkit"""
import json
import math
import os
import subprocess
import sys
import tempfile

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts", "e7-analysis")
mimkit = sys.argv[1:]
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


# Crossing of 0.3 at d: x(d) = 1.5 + 4 d^(-1/3). The network's median cosine is
# 0.3 + 0.25 log(alpha / x(d)) (seeds spread symmetrically around it, so the median is exact);
# S_T never reaches the level.
alphas = [0.5 * 2 ** (k / 2) for k in range(9)]


def network(d, a, off):
    return 0.3 + 0.25 * math.log(a / (1.5 + 4 * d ** (-1.0 / 3))) + off


def write_sweep(path, spectral):
    """Three seeds at offsets -0.05, 0, 0.05 around the network's median; S_T from spectral(alpha,
    seed, network's cosine)."""
    with open(path, "w") as f:
        for d in (256, 1024, 4096):
            for a in alphas:
                for s, off in enumerate((-0.05, 0.0, 0.05)):
                    cos = network(d, a, off)
                    f.write(json.dumps({
                        "grid": {"d": d, "alpha": a, "seed": s},
                        "config": {"link": "z1*z2", "r": 2, "loss": "huber", "huber_delta": 1,
                                   "d": d, "alpha": a, "eta1": 1, "beta1": 1, "T1": 12,
                                   "spectral_T": "loss"},
                        "phase1": {"min_cosine": cos},
                        "spectral": {"min_cosine": spectral(a, s, cos)}}) + "\n")

with tempfile.TemporaryDirectory() as tmp:
    sweep = os.path.join(tmp, "e7.jsonl")
    write_sweep(sweep, lambda a, s, cos: 0.01)
    r = subprocess.run([sys.executable, SCRIPT, sweep, "--mimkit", " ".join(mimkit),
                        "--boot", "50"], capture_output=True, text=True)
    check(r.returncode == 0, "e7-analysis runs: %s" % r.stderr.strip())
    rows = [l for l in r.stdout.splitlines() if l.startswith("| z1*z2")]
    check(len(rows) == 2, "one row per estimator: %d" % len(rows))
    if len(rows) == 2:
        net = [c.strip() for c in rows[0].split("|")[1:-1]]
        st = [c.strip() for c in rows[1].split("|")[1:-1]]
        check(net[2] == "network" and st[2] == "S_T", "rows are the network then S_T")
        for d in (256, 1024, 4096):
            want = "d=%d: %.3g [" % (d, 1.5 + 4 * d ** (-1.0 / 3))
            check(want in net[3], "the crossing at d=%d is exact: %s in %s" % (d, want, net[3]))
        check(net[4].startswith("1.5 "), "the extrapolation returns a = 1.5: %s" % net[4])
        check(st[3].count("> ") == 3 and st[4] == "-",
              "an estimator that never crosses is '> max' per d and has no extrapolation: %s"
              % st[3:5])
        th = json.loads(subprocess.run(mimkit + ["theory", "--link", "z1*z2", "--T", "huber",
                                                 "--json"], capture_output=True,
                                       text=True).stdout)
        alpha_c = max(d["alpha_c"] for d in th["directions"])
        check(net[6] == "%.3g" % alpha_c and net[7] == "%.3g" % th["alpha_opt"],
              "alpha_c and alpha_opt are the theory's: %s %s vs %.3g %.3g" %
              (net[6], net[7], alpha_c, th["alpha_opt"]))
        tx = float(net[5])
        check(alpha_c < tx < 2 * alpha_c, "the theory's crossing lies above alpha_c: %s" % tx)
        check(net[8] == "%.3g" % alpha_c, "with mean(T) = 0, phase 1 grows from alpha_c: %s" % net[8])
    # The gain table: T1 = 12 at eta1 = beta1 = 1; S_T (0.01) never reaches the level, so no run
    # qualifies and the table is empty.
    check(r.stdout.rstrip().endswith("|---|---|---|---|"), "no runs where S_T did not find span U")
    # The gain table against an independent count: S_T from alpha = 2 at 0.9, or (seed 1) just
    # above the network; the network as above; the rates come from mimkit theory itself.
    def spectral(a, s, cos):
        return 0.0 if a < 2 else (cos + 0.03 if s == 1 else 0.9)

    write_sweep(sweep, spectral)
    th = json.loads(subprocess.run(
        mimkit + ["theory", "--link", "z1*z2", "--T", "huber", "--alpha",
                  ",".join(repr(a) for a in alphas), "--json"],
        capture_output=True, text=True).stdout)
    want = {}
    for a, p in zip(alphas, th["curve"]):
        if a < 2:
            continue
        g = min(p["phase1_rate"]) ** 12
        b = next(i for i, hi in enumerate((1, 2, 4, 8, float("inf"))) if g < hi)
        for d in (256, 1024, 4096):
            for s, off in enumerate((-0.05, 0.0, 0.05)):
                cos = network(d, a, off)
                st = spectral(a, s, cos)
                if st < 0.3:
                    continue
                diff = cos - st
                n, k = want.get(b, (0, 0))
                want[b] = (n + 1, k + (diff >= -0.05))
    r = subprocess.run([sys.executable, SCRIPT, sweep, "--mimkit", " ".join(mimkit),
                        "--boot", "10"], capture_output=True, text=True)
    names = ["0-1", "1-2", "2-4", "4-8", "8-inf"]
    got = {}
    for l in r.stdout.splitlines():
        cells = [c.strip() for c in l.split("|")[1:-1]]
        if len(cells) == 4 and cells[0] in names:
            got[names.index(cells[0])] = (int(cells[1]), int(cells[2].split()[0]))
    check(got == want and len(want) >= 2, "gain bins: runs and runs within 0.05 as counted "
          "here: %s vs %s" % (got, want))
sys.exit(1 if failures else 0)
