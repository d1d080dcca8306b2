#!/usr/bin/env python3
"""The catalogue of bad invocations: each gets exactly one line on stderr starting with
"mimkit: " that names what is wrong, and the documented exit code (2 invalid invocation, 1 a
failed run such as an unreadable or protected file). Usage: cli_catalogue.py [wrapper ...] mimkit"""
import os
import subprocess
import sys
import tempfile

mimkit = sys.argv[1:-1] + [os.path.abspath(sys.argv[-1])]
failures = []
TINY = ["--set", "d=8", "--set", "n1=64", "--set", "n2=64", "--set", "ntest=32", "--set", "m=4",
        "--set", "T1=2", "--quiet"]

# (argv, expected exit code, fragment of the one stderr line)
CASES = [
    (["run", "--set", "m=7"], 2, "m = 7 must be even"),
    (["run", "--set", "r=5", "--set", "d=3"], 2, "r = 5 exceeds d = 3"),
    (["run", "--set", "d=0"], 2, "d = 0 is out of range"),
    (["run", "--set", "eta1=nan"], 2, "eta1"),
    (["run", "--set", "eta1=-1"], 2, "eta1 = -1 is out of range"),
    (["run", "--set", "huber_delta=0"], 2, "huber_delta = 0"),
    (["run", "--set", "eat1=0.1"], 2, "did you mean 'eta1'"),
    (["run", "--set", "loss=hubr"], 2, "did you mean 'huber'"),
    (["run", "--set", "activation=relu"], 2, "cannot train phase 1"),
    (["run", "--set", "T1=1e99"], 2, "T1 = '1e99' is not an integer"),
    (["run", "--set", "tile_rows=0"], 2, "tile_rows = 0"),
    (["run", "--set", "shards=0"], 2, "shards = 0"),
    (["run", "--set", "shards=300"], 2, "allowed: 1..256"),
    (["run", "--set", "link=he2(z1"], 2, "position 7"),
    (["run", "--set", "link=z3"], 2, "z3 at position 1 exceeds r = 2"),
    (["run", "--set", "link=foo(z1)"], 2, "link"),
    (["run", "--set", "noise=1e999"], 2, "noise"),
    (["run", "--set", "n1=0"], 2, "n1 = 0"),
    (["run", "--set", "variant=foo"], 2, "layerwise, dls22, online, random_features"),
    (["run", "--set", "spectral_T=bogus"], 2, "spectral_T"),
    (["run", "--set", "trace=1000"], 2, "trace = 1000"),
    (["run", "--set", "mode=disk"], 2, "materialize, stream"),
    (["run", "--set", "m"], 2, "is not key=value"),
    (["run", "--threads", "0"], 2, "--threads"),
    (["run", "--threads", "1000"], 2, "1..256"),
    (["run", "--arch", "sse9"], 2, "unknown instruction set 'sse9'"),
    (["run", "--dtype", "half"], 2, "float, double"),
    (["run", "--preset", "nope"], 2, "unknown preset 'nope'"),
    (["run", "--seed", "1"], 2, "did you mean --set"),
    (["run", "--config", "missing.cfg"], 1, "cannot read 'missing.cfg'"),
    (["run", "--config", "bad.cfg"], 2, "bad.cfg:3"),
    (["run", "--config", "unknown.cfg"], 2, "did you mean 'beta1'"),
    (["run", "--out", "exists.json"] + TINY, 1, "refusing to overwrite"),
    (["data"], 2, "--d: is required"),
    (["data", "--d", "abc", "--n", "3"], 2, "'abc' is not allowed"),
    (["data", "--d", "4", "--n", "0"], 2, "--n"),
    (["data", "--d", "4", "--n", "3", "--format", "xml"], 2, "summary, csv, npy, hash"),
    (["data", "--d", "4", "--n", "3", "--dataset", "train"], 2, "fit1, fit2, test"),
    (["data", "--d", "4", "--n", "3", "--r", "5"], 2, "r = 5 exceeds d = 4"),
    (["data", "--d", "4", "--n", "3", "--link", "he13(z1)"], 2, "exceeds 12"),
    (["data", "--d", "4", "--n", "3", "--out", "exists.csv"], 1, "--force"),
    (["sweep"], 2, "--preset: is required"),
    (["sweep", "--preset", "default", "--shard", "3/3"], 2, "0 <= I < N"),
    (["sweep", "--preset", "default", "--shard", "x"], 2, "--shard"),
    (["sweep", "--preset", "default", "--grid", "alpha"], 2, "key=v1,v2"),
    (["sweep", "--preset", "default", "--grid", "m=1:10:0"], 2, "count in 1..10000"),
    (["sweep", "--preset", "default", "--grid", "nokey=1,2"], 2, "unknown key 'nokey'"),
    (["sweep", "--preset", "default", "--grid", "m=3,4"], 2, "must be even"),
    (["sweep", "--preset", "default", "--out", "exists.jsonl"], 1, "--resume"),
    (["sweep", "--preset", "default", "--out", "garbage.jsonl", "--resume"], 2,
     "garbage.jsonl:1 is not a JSON line"),
    (["merge"], 2, "usage: mimkit merge"),
    (["merge", "garbage.jsonl"], 2, "line 1"),
    (["merge", "exists.jsonl"], 2, "not a sweep line"),
    (["plot", "missing.jsonl", "--x", "a", "--y", "b"], 1, "cannot read"),
    (["plot", "garbage.jsonl", "--x", "a", "--y", "b"], 2, "garbage.jsonl:1"),
    (["plot", "truncated.jsonl", "--x", "alpha", "--y", "phase1.min_cosine"], 2,
     "truncated.jsonl:2"),
    (["plot", "exists.jsonl", "--y", "b"], 2, "--x: is required"),
    (["plot", "--x", "a"], 2, "needs a FILE.jsonl"),
    (["dta"], 2, "did you mean 'data'"),
    (["--versio"], 2, "did you mean '--version'"),
    (["presets", "--all"], 2, "unknown option"),
]

with tempfile.TemporaryDirectory() as tmp:
    os.chdir(tmp)
    with open("bad.cfg", "w") as f:
        f.write("# three lines\nd = 16\nT1 = x\n")
    with open("unknown.cfg", "w") as f:
        f.write("beta = 0.5\n")
    for name in ("exists.json", "exists.csv"):
        open(name, "w").close()
    with open("exists.jsonl", "w") as f:
        f.write('{"a": 1}\n')
    with open("garbage.jsonl", "w") as f:
        f.write("garbage\n")
    with open("truncated.jsonl", "w") as f:
        f.write('{"grid": {"alpha": 2}, "phase1": {"min_cosine": 0.5}}\n{"grid": {"alp')
    for argv, code, fragment in CASES:
        try:
            r = subprocess.run(mimkit + argv, capture_output=True, text=True, timeout=60)
        except subprocess.TimeoutExpired:
            print("FAIL %s: hangs" % argv)
            failures.append(argv)
            continue
        lines = r.stderr.strip().splitlines() if r.stderr.strip() else []
        # `merge` with no file prints its usage (two lines) by design.
        one_line = len(lines) == 1 or argv == ["merge"]
        ok = (r.returncode == code and one_line and lines and
              (lines[0].startswith("mimkit: ") or argv == ["merge"]) and fragment in r.stderr)
        print("%s %s -> %d %s" % ("ok  " if ok else "FAIL", " ".join(argv), r.returncode,
                                  lines[0] if lines else "(nothing on stderr)"))
        if not ok:
            failures.append(argv)
    print("%d cases, %d failed" % (len(CASES), len(failures)))
sys.exit(1 if failures else 0)
