#!/usr/bin/env python3
"""mimkit theory: the printed predictions are the library's (checked against closed forms in
tests/test_theory.cpp), the JSON is well formed, and bad invocations are one-line errors with exit
code 2.  Usage: cli_theory.py [wrapper ...] path/to/mimkit"""
import hashlib
import json
import math
import subprocess
import sys

mimkit = sys.argv[1:]
if not mimkit:
    sys.exit("usage: cli_theory.py [wrapper ...] path/to/mimkit")
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def run(*args):
    return subprocess.run(mimkit + ["theory"] + list(args), capture_output=True, text=True,
                          timeout=120)


# z1*z2 with T = sign: alpha_c solves (2/pi) l (l^2 - 1) = l^2 + 1 (2.933124047594479), the best
# threshold is 0.59375 (Defilippis et al. 2025), and at alpha = 16 the overlap is 0.8285.
p = run("--link", "z1*z2", "--T", "sign", "--json")
check(p.returncode == 0 and p.stderr == "", "z1*z2 sign --json exits 0 silently")
doc = json.loads(p.stdout)
check(doc["r"] == 2 and doc["T"] == "sign", "r inferred from the link, T echoed")
for k, d in enumerate(doc["directions"]):
    check(abs(d["alpha_c"] - 2.933124047594479) < 1e-6, "direction %d alpha_c = 2.933124" % k)
    check(abs(abs(d["mu"]) - 2 / math.pi) < 1e-12, "direction %d |mu| = 2/pi" % k)
check(abs(doc["alpha_opt"] - 0.59375) < 1e-4, "alpha_opt = 0.59375")
curve = doc["curve"]
check(len(curve) == 9 and abs(curve[0]["alpha"] - 0.25) < 1e-12 and abs(curve[-1]["alpha"] - 16) < 1e-9,
      "default alpha grid 0.25..16, 9 points")
check(all(c["overlap"] == [0, 0] for c in curve if c["alpha"] < 2.93), "no outlier below alpha_c")
check(abs(curve[-1]["overlap"][0] - 0.8285) < 1e-3, "overlap 0.8285 at alpha = 16")
check(abs(curve[-1]["cosines"][0] - math.sqrt(curve[-1]["overlap"][0])) < 1e-9,
      "cosines are sqrt(overlap) of kept outliers")

p = run("--link", "z1*z2", "--T", "sign", "--alpha", "8")
check(p.returncode == 0 and "2.93312" in p.stdout and "alpha_opt" in p.stdout,
      "text output names alpha_c and alpha_opt")

# The theory is built from + - * / sqrt and exact scalings only: the same bytes on every ISA and
# under qemu (checked on x86-64 and aarch64). A change here is a change of the algorithm.
p = run("--link", "z1*z2", "--T", "clip", "--json")
check(hashlib.sha256(p.stdout.encode()).hexdigest() ==
      "6fedd55ef0c12b1033586db8bbb3a65816988b22ca9abf630f2ef657a5cc97ba",
      "golden digest of theory --link z1*z2 --T clip --json")

# --jsonl: one line per alpha, keyed like a sweep's lines (grid.alpha, grid.loss, d) for mimkit plot.
p = run("--link", "z1*z2", "--T", "absolute", "--alpha", "2,8", "--jsonl")
lines = [json.loads(l) for l in p.stdout.splitlines()]
check(len(lines) == 2 and lines[1]["grid"] == {"alpha": 8, "loss": "absolute", "d": "infinity"},
      "--jsonl: one line per alpha with grid.alpha, grid.loss and d = infinity")
check(lines[0]["theory"]["min_cosine"] == 0 and abs(lines[1]["theory"]["min_cosine"] - 0.79588) < 1e-4,
      "--jsonl: theory.min_cosine 0 below alpha_c, 0.79588 at alpha = 8")

# What phase 1 can grow (section 9.6): with mean(T) = 0 and pure power iteration it is S_T's
# selection, from alpha_c; for E1's link with T = sign (mean -0.28) u1 only from alpha = 43.8,
# the threshold tests/test_theory.cpp checks against runs.
check(all(abs(d["alpha_phase1"] - 2.933124047594479) < 1e-4 for d in doc["directions"])
      if "alpha_phase1" in doc["directions"][0] else False,
      "z1*z2, sign: phase 1 grows each direction from alpha_c")
check(lines[1]["theory"]["phase1_min_cosine"] == lines[1]["theory"]["min_cosine"] and
      lines[0]["theory"]["phase1_min_cosine"] == 0 and
      all(r > 1 for r in lines[1]["theory"]["phase1_rate"]),
      "--jsonl: phase1_min_cosine and rates > 1 above alpha_c")
p = run("--link", "he2(z1)+0.5*he2(z2)", "--T", "absolute", "--alpha", "16,64", "--json")
doc = json.loads(p.stdout)
d0 = doc["directions"][0]
check(abs(d0["alpha_phase1"] - 43.84) < 0.01 and d0["alpha_c"] < 1.5,
      "E1's link, sign: u1 grows in phase 1 from 43.84 (S_T: from 1.41): %s" % d0["alpha_phase1"])
check(doc["curve"][0]["phase1_rate"][0] < 1 < doc["curve"][1]["phase1_rate"][0] and
      doc["curve"][1]["phase1_min_cosine"] == 0,
      "rate below 1 at alpha = 16, above at 64; u2 does not grow, so the smallest cosine is 0")
# With eta1 = 0.5, beta1 = 1 the rates are (0.5 + 0.5 |o + E[T]|) / (0.5 + 0.5 max |edge + E[T]|)
# from the same curve; the threshold does not depend on the step.
p = run("--link", "he2(z1)+0.5*he2(z2)", "--T", "absolute", "--alpha", "16,64", "--eta1",
        "0.5", "--json")
half = json.loads(p.stdout)
ok = half["eta1"] == 0.5 and half["directions"][0]["alpha_phase1"] == d0["alpha_phase1"]
for c in half["curve"]:
    m = half["mean_T"]
    edge = max(abs(c["bulk_top"] + m), abs(c["bulk_bottom"] + m))
    for k in range(2):
        want = (0.5 + 0.5 * abs(c["outlier"][k] + m)) / (0.5 + 0.5 * edge)
        ok = ok and abs(c["phase1_rate"][k] - want) < 1e-12
check(ok, "--eta1 0.5: rates from the closed form, the same threshold")
p = run("--link", "he2(z1)+0.5*he2(z2)", "--T", "absolute", "--alpha", "4", "--json")
check(abs(json.loads(p.stdout)["directions"][1]["alpha_phase1"] - 8757) < 1,
      "u2 grows from about 8757")
p = run("--link", "relu(z1)+z2^2", "--T", "absolute", "--alpha", "4", "--json")
check([d["alpha_phase1"] for d in json.loads(p.stdout)["directions"]] == ["infinity"] * 2,
      "T = sign(y) = 1 (y > 0): M_T = 0, no outlier ever: \"infinity\"")

# Unbounded T: thresholds are not predicted, and JSON says so with null.
p = run("--link", "z1*z2", "--T", "y", "--json", "--alpha", "4")
doc = json.loads(p.stdout)
check(all(not d["predicted"] and d["alpha_c"] is None for d in doc["directions"]),
      "T = y on z1*z2: not predicted, alpha_c null")
check(doc["curve"][0]["bulk_top"] is None, "unbounded bulk edge is null")

# r from the link, norm2 needs --r.
p = run("--link", "norm2", "--r", "4", "--T", "optimal", "--json", "--alpha", "4")
check(p.returncode == 0 and abs(json.loads(p.stdout)["alpha_opt"] - 2) < 1e-6,
      "norm2, r = 4: alpha_opt = 2")

# The phase-1 dynamics of a (tiny) run configuration.
p = run("--phase1", "--set", "d=32", "--set", "m=4", "--set", "T1=5", "--json")
check(p.returncode == 0, "--phase1 --json exits 0")
doc = json.loads(p.stdout)
check(len(doc["steps"]) == 6 and doc["steps"][0]["step"] == 0, "one point per step 0..T1")
check(all(0 <= s["alignment"] <= 1 for s in doc["steps"]), "alignment in [0, 1]")
check(doc["T"] == "y" and len(doc["mu"]) == 2, "the loss's T and M_T's eigenvalues")
p = run("--phase1", "--preset", "calibration", "--set", "T1=3")
check(p.returncode == 0 and "alignment" in p.stdout, "--phase1 text output")

# Errors: one line on stderr, exit 2, naming the option and what is allowed.
for args, fragments in [
    (["--T", "sgn"], ["--T", "'sgn'", "allowed"]),
    (["--alpha", "0"], ["--alpha", "allowed"]),
    (["--alpha", "1:2"], ["--alpha", "lo:hi:count"]),
    (["--r", "9"], ["--r", "9"]),
    (["--link", "z3", "--r", "2"], ["z3", "exceeds r = 2"]),
    (["--nodes", "7"], ["nodes", "even"]),
    (["--eta1", "0"], ["--eta1", "allowed"]),
    (["--beta1", "-1"], ["--beta1", "allowed"]),
    (["--phase1", "--eta1", "1"], ["--phase1", "--eta1"]),
    (["--link", "sqrt(z1)"], ["link", "not finite"]),
    (["--phase1", "--link", "z1"], ["--phase1", "--link"]),
    (["--set", "d=4"], ["--phase1", "--set"]),
    (["--phase1", "--set", "variant=dls22"], ["variant", "allowed: layerwise, online"]),
    (["--phase1", "--set", "m=4096"], ["m = 4096", "allowed"]),
    (["--bogus"], ["--bogus", "unknown option"]),
]:
    p = run(*args)
    lines = p.stderr.splitlines()
    want = 1 if "not finite" in fragments else 2
    ok = (p.returncode == want and len(lines) == 1 and lines[0].startswith("mimkit: ") and
          all(f in lines[0] for f in fragments))
    check(ok, "theory %s -> exit %d, %s (got %d: %s)" % (" ".join(args), want, fragments,
                                                         p.returncode, p.stderr.strip()))

p = run("--help")
check(p.returncode == 0 and "usage: mimkit theory" in p.stdout, "--help")

if failures:
    sys.exit("%d failure(s)" % len(failures))
