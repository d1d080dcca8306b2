#!/usr/bin/env python3
"""The one catalogue of bad invocations of every mimkit command.  The contract: each error is exactly
one line on stderr starting with "mimkit: " that names the option or key (and, where there are
some, the allowed values); exit code 2 for an invalid invocation (bad value, unknown option, key
or command, parse error), 1 for a failure at run time (unreadable or unwritable file, a run that
diverges).  Usage: cli_errors.py [wrapper ...] path/to/mimkit"""
import os
import shlex
import subprocess
import sys
import tempfile

mimkit = sys.argv[1:]
if not mimkit:
    sys.exit("usage: cli_errors.py [wrapper ...] path/to/mimkit")
# Every case runs in its own directory, so the binary itself must not be a relative path.
if os.path.exists(mimkit[-1]):
    mimkit[-1] = os.path.abspath(mimkit[-1])
failures = []
TIMEOUT = 5  # seconds; every case takes milliseconds, a hang is a failure


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


# Tiny sizes: every run or sweep point takes milliseconds.
TINY = ["--set", "d=8", "--set", "n1=64", "--set", "n2=64", "--set", "ntest=64", "--set", "m=4",
        "--set", "T1=2", "--set", "r=1", "--set", "link=he2(z1)", "--quiet"]
RUN = ["run"] + TINY
SWEEP = ["sweep", "--preset", "default"] + TINY + ["--seeds", "1"]
DATA = ["data", "--d", "8", "--n", "10"]


def line(point, points, key, alpha, sweep="00000000000000f1"):
    return ('{"point": %d, "points": %d, "point_key": "%s", "sweep": {"id": "%s", "format": 2, '
            '"grid": "alpha=4,8", "seeds": 1, "dtype": "float"}, "grid": {"alpha": %d, '
            '"seed": 0}, "phase1": {"min_cosine": 0.5}}\n' % (point, points, key, sweep, alpha))


GOOD = line(0, 2, "00000000000000a0", 4) + line(1, 2, "00000000000000a1", 8)
FIRST = line(0, 2, "00000000000000a0", 4)
DIR = None  # a directory instead of a file

# An instruction set this build does not contain (neon on x86, avx2 on aarch64).
version = subprocess.run(mimkit + ["--version"], capture_output=True, text=True)
compiled = next((l.split(":", 1)[1].split() for l in version.stdout.splitlines()
                 if l.startswith("isa compiled:")), [])
absent = next((isa for isa in ("neon", "avx512", "avx2") if isa not in compiled), None)

# (argv after the binary, files to create, expected exit code, fragments of the stderr line,
#  extra environment).  Cases marked "contract" fail against the binary this was written for.
CASES = [
    # --- top level
    ([], {}, 2, ["command"], {}),  # contract: prints the 20-line help to stderr
    (["rnu"], {}, 2, ["unknown command 'rnu'", "did you mean 'run'"], {}),
    (["swep"], {}, 2, ["unknown command 'swep'", "did you mean 'sweep'"], {}),
    (["dta"], {}, 2, ["unknown command 'dta'", "did you mean 'data'"], {}),
    (["frobnicate"], {}, 2, ["unknown command 'frobnicate'", "mimkit --help"], {}),
    (["--versoin"], {}, 2, ["unknown command '--versoin'", "did you mean '--version'"], {}),
    (["--version", "extra"], {}, 2, ["extra"], {}),  # contract: exit 0, 'extra' ignored
    (["--version"], {}, 2, ["MIMKIT_ARCH", "sse9", "allowed: auto, scalar, avx2, avx512, neon"],
     {"MIMKIT_ARCH": "sse9"}),
    (["ru\nn"], {}, 2, ["unknown command"], {}),  # contract: the newline splits the message
    # --- presets
    (["presets", "extra"], {}, 2, ["extra", "unexpected argument"], {}),
    (["presets", "--bogus"], {}, 2, ["--bogus", "unknown option"], {}),
    # --- run: --set values
    (RUN + ["--set", "m=3"], {}, 2, ["m = 3", "even", "allowed: 2..65536, even"], {}),
    (RUN + ["--set", "r=9"], {}, 2, ["r = 9", "exceeds d = 8", "allowed: 1..min(d, 64)"], {}),
    (RUN + ["--set", "r=65"], {}, 2, ["r = 65", "allowed: 1..64"], {}),
    (RUN + ["--set", "d=0"], {}, 2, ["d = 0", "allowed: 1..2^31"], {}),
    (RUN + ["--set", "d=8.5"], {}, 2, ["d = '8.5'", "not an integer", "allowed: 1..2^31"], {}),
    (RUN + ["--set", "eta1=nan"], {}, 2, ["eta1", "'nan'", "allowed: a finite number > 0"], {}),
    (RUN + ["--set", "eta1=-1"], {}, 2, ["eta1 = -1", "allowed: a finite number > 0"], {}),
    (RUN + ["--set", "eta1=1e400"], {}, 2, ["eta1", "allowed: a finite number > 0"], {}),
    (RUN + ["--set", "noise=inf"], {}, 2, ["noise", "allowed: a finite number >= 0"], {}),
    (RUN + ["--set", "alpha=-1"], {}, 2, ["alpha = -1", "allowed: a finite number >= 0"], {}),
    (RUN + ["--set", "huber_delta=0"], {}, 2,
     ["huber_delta = 0", "allowed: a finite number > 0"], {}),
    (RUN + ["--set", "eat1=0.5"], {}, 2, ["unknown key 'eat1'", "did you mean 'eta1'"], {}),
    (RUN + ["--set", "loss=hubr"], {}, 2,
     ["loss", "'hubr'", "did you mean 'huber'", "allowed: squared, absolute, huber"], {}),
    (RUN + ["--set", "activation=relu"], {}, 2,
     ["activation", "relu", "allowed: logcosh, quadratic"], {}),
    (RUN + ["--set", "activation2=tanh"], {}, 2,
     ["activation2", "'tanh'", "allowed: logcosh, quadratic, relu"], {}),
    (RUN + ["--set", "variant=sgd"], {}, 2,
     ["variant", "'sgd'", "allowed: layerwise, dls22, online, random_features"], {}),
    (RUN + ["--set", "preprocess=maybe"], {}, 2,
     ["preprocess", "'maybe'", "allowed: true, false"], {}),
    (RUN + ["--set", "mode=lazy"], {}, 2, ["mode", "'lazy'", "allowed: materialize, stream"], {}),
    (RUN + ["--set", "T1=1e99"], {}, 2, ["T1", "1e99", "allowed: 0..1000000"], {}),
    (RUN + ["--set", "T2=-1"], {}, 2, ["T2", "allowed: 0..10000000"], {}),
    (RUN + ["--set", "seed=-1"], {}, 2, ["seed", "allowed: 0..2^64-1"], {}),
    (RUN + ["--set", "trace=4097"], {}, 2, ["trace = 4097", "allowed: 0..4096"], {}),
    (RUN + ["--set", "tile_rows=0"], {}, 2, ["tile_rows = 0", "allowed: 1..65536"], {}),
    (RUN + ["--set", "shards=0"], {}, 2, ["shards = 0", "allowed: 1..256"], {}),
    (RUN + ["--set", "spectral=true", "--set", "spectral_iters=0"], {}, 2,
     ["spectral_iters = 0", "allowed: 1..1000000"], {}),
    (RUN + ["--set", "phase2=exact", "--set", "lambda2=0"], {}, 2,
     ["lambda2 = 0", "allowed: lambda2 > 0, or phase2 = gd"], {}),
    (RUN + ["--set", "link=he2(z1"], {}, 2, ["link", "expected ')'", "'he2(z1'"], {}),
    (RUN + ["--set", "r=2", "--set", "link=z3"], {}, 2,
     ["link", "z3", "exceeds r = 2", "allowed: z1..z2"], {}),
    (RUN + ["--set", "link=foo(z1)"], {}, 2,
     ["link", "unknown function 'foo'", "he0..he12, relu, abs, sign, sqrt"], {}),
    (RUN + ["--set", "link=he13(z1)"], {}, 2, ["link", "degree 13", "12"], {}),
    (RUN + ["--set", "link=" + "z1+" * 100 + "z1"], {}, 2,
     ["link", "allowed: at most 255 characters"], {}),
    (RUN + ["--set", "eat1\nx=3"], {}, 2, ["unknown key"], {}),  # contract: 3 lines
    (RUN + ["--set", "shards=300"], {}, 2, ["shards = 300", "allowed: 1..256"], {}),
    (RUN + ["--set", "noise=1e999"], {}, 2, ["noise", "allowed: a finite number >= 0"], {}),
    (RUN + ["--set", "n1=0"], {}, 2, ["n1 = 0", "allowed: 1..2^40"], {}),
    (RUN + ["--set", "spectral_T=bogus"], {}, 2,
     ["spectral_T", "'bogus'", "allowed: identity, sign, clip, abs, loss"], {}),
    (RUN + ["--seed", "1"], {}, 2, ["--seed", "did you mean --set"], {}),
    (RUN + ["--config", "beta.cfg"], {"beta.cfg": "beta = 0.5\n"}, 2,
     ["beta.cfg:1", "did you mean 'beta1'"], {}),
    # --- run: options
    (RUN + ["--set", "d"], {}, 2, ["--set", "'d' is not key=value"], {}),
    (RUN + ["--set", "=5"], {}, 2, ["--set", "'=5' is not key=value"], {}),
    (RUN + ["--threads", "0"], {}, 2, ["--threads", "'0'", "allowed: an integer in 1..256"], {}),
    (RUN + ["--threads", "1000"], {}, 2,
     ["--threads", "'1000'", "allowed: an integer in 1..256"], {}),
    (RUN + ["--threads", "abc"], {}, 2, ["--threads", "'abc'", "allowed"], {}),
    (RUN + ["--threads"], {}, 2, ["--threads", "needs a value"], {}),
    (RUN + ["--arch", "sse9"], {}, 2,
     ["--arch", "'sse9'", "allowed: auto, scalar, avx2, avx512, neon"], {}),
    (RUN + ["--dtype", "half"], {}, 2, ["--dtype", "'half'", "allowed: float, double"], {}),
    (RUN + ["--preset", "nope"], {}, 2, ["--preset", "unknown preset 'nope'", "default"], {}),
    (RUN + ["--bogus"], {}, 2, ["--bogus", "unknown option"], {}),
    (RUN + ["extra"], {}, 2, ["extra", "unexpected argument"], {}),
    (RUN + ["--config", "missing.cfg"], {}, 1,
     ["--config", "'missing.cfg'", "No such file"], {}),
    (RUN + ["--config", "bad3.cfg"],
     {"bad3.cfg": "# line 1 is a comment\nd = 8\neta1 0.5\nm = 4\n"}, 2,
     ["bad3.cfg:3", "expected 'key = value'"], {}),
    (RUN + ["--config", "unknown.cfg"], {"unknown.cfg": "d = 8\neat1 = 0.5\n"}, 2,
     ["unknown.cfg:2", "unknown key 'eat1'", "did you mean 'eta1'"], {}),
    (RUN + ["--config", "range.cfg"], {"range.cfg": "d = 8\n\n# m must be even\nm = 5\n"}, 2,
     ["range.cfg:4", "m = 5", "allowed: 2..65536, even"], {}),
    (RUN + ["--config", "empty.cfg"], {"empty.cfg": "d = 8\nm = 4\neta1 = \n"}, 2,
     ["empty.cfg:3", "eta1", "allowed: a finite number > 0"], {}),
    (RUN + ["--config", "section.cfg"], {"section.cfg": "[run]\nd = 8\n"}, 2,
     ["section.cfg:1", "expected 'key = value'"], {}),
    (RUN + ["--config", "cfgdir"], {"cfgdir": DIR}, 1, ["--config", "cfgdir"], {}),  # contract
    (RUN + ["--out", "exists.json"], {"exists.json": "x\n"}, 1,
     ["--out", "'exists.json' exists", "--force"], {}),
    (RUN + ["--out", "nodir/x.json"], {}, 1, ["--out", "nodir/x.json", "No such file"], {}),
    (RUN + ["--set", "eta1=1e308"], {}, 2, ["eta1 = 1e+308", "overflows float"], {}),
    (RUN + ["--dtype", "double", "--set", "eta1=1e308"], {}, 1, ["phase1", "eta1"], {}),
    (RUN + ["--set", "eps0=1e-300"], {}, 2, ["eps0 = 1e-300", "underflows float"], {}),
    (RUN + ["--set", "r=1", "--set", "link=he9(z1)", "--set", "d=32", "--set", "n1=2048",
            "--set", "T1=40", "--set", "m=16"], {}, 1,
     ["phase1", "blew up", "eta1"], {}),
    # --- data
    (["data", "--n", "10"], {}, 2, ["--d", "required"], {}),
    (["data", "--d", "8"], {}, 2, ["--n", "required"], {}),
    (["data", "--d", "abc", "--n", "10"], {}, 2,
     ["--d", "'abc'", "allowed: an integer in 1..2147483648"], {}),
    (["data", "--d", "0", "--n", "10"], {}, 2, ["--d", "'0'", "allowed"], {}),
    (["data", "--d", "8", "--n", "-5"], {}, 2, ["--n", "'-5'", "allowed"], {}),
    (DATA + ["--format", "xml"], {}, 2, ["--format", "'xml'", "allowed: summary, csv, npy, hash"],
     {}),
    (DATA + ["--dataset", "train"], {}, 2, ["--dataset", "'train'", "allowed: fit1, fit2, test"],
     {}),
    (DATA + ["--dtype", "half"], {}, 2, ["--dtype", "allowed: float, double"], {}),
    (DATA + ["--r", "9"], {}, 2, ["--r", "r = 9", "exceeds d = 8"], {}),
    (DATA + ["--r", "2", "--link", "z3"], {}, 2, ["link", "z3", "allowed: z1..z2"], {}),
    (DATA + ["--noise", "-1"], {}, 2, ["--noise", "'-1'", "allowed"], {}),
    (DATA + ["--tile-rows", "0"], {}, 2, ["--tile-rows", "allowed: an integer in 1..65536"], {}),
    (DATA + ["--frmat", "csv"], {}, 2, ["--frmat", "did you mean --format"], {}),
    (DATA + ["--out", "exists.csv"], {"exists.csv": "x\n"}, 1,
     ["--out", "'exists.csv' exists", "--force"], {}),
    (DATA + ["--out", "nodir/x.csv"], {}, 1, ["--out", "nodir/x.csv"], {}),
    (DATA[:-1] + ["0"], {}, 2, ["--n", "'0'", "allowed"], {}),
    (DATA + ["--link", "he13(z1)"], {}, 2, ["link", "degree 13", "12"], {}),
    # --- sweep
    (["sweep", "--grid", "alpha=4,8"], {}, 2, ["--out", "required without --preset"], {}),
    (SWEEP + ["--shard", "auto", "--out", "s.jsonl"], {}, 2,
     ["--shard", "SLURM_ARRAY_TASK_ID", "unset"], {}),
    (RUN, {}, 2, ["MIMKIT_THREADS", "'0'", "allowed: an integer in 1..256"],
     {"MIMKIT_THREADS": "0"}),
    (["sweep", "--preset", "nope"], {}, 2, ["--preset", "unknown preset 'nope'"], {}),
    (SWEEP + ["--shard", "3/3", "--out", "s.jsonl"], {}, 2, ["--shard", "'3/3'", "0 <= I < N"],
     {}),
    (SWEEP + ["--shard", "x", "--out", "s.jsonl"], {}, 2, ["--shard", "'x'", "0 <= I < N"], {}),
    (SWEEP + ["--seeds", "0", "--out", "s.jsonl"], {}, 2,
     ["--seeds", "allowed: an integer in 1..100000"], {}),
    (SWEEP + ["--grid", "alpha", "--out", "s.jsonl"], {}, 2,
     ["--grid", "'alpha'", "key=v1,v2,... or key=lo:hi:count"], {}),
    (SWEEP + ["--grid", "m=1:10:0", "--out", "s.jsonl"], {}, 2,
     ["--grid", "'m=1:10:0'", "count in 1..10000"], {}),
    (SWEEP + ["--grid", "alpha=0:10:3:log", "--out", "s.jsonl"], {}, 2,
     ["--grid", "lo, hi > 0 for log"], {}),
    (SWEEP + ["--grid", "alpha=4,,8", "--out", "s.jsonl"], {}, 2, ["--grid", "empty value"], {}),
    (SWEEP + ["--grid", "nokey=1,2", "--out", "s.jsonl"], {}, 2,
     ["--grid", "unknown key 'nokey'"], {}),
    (SWEEP + ["--grid", "loss=squared,hubr", "--out", "s.jsonl"], {}, 2,
     ["--grid", "did you mean 'huber'", "allowed: squared, absolute, huber"], {}),
    (SWEEP + ["--grid", "m=3,4", "--out", "s.jsonl"], {}, 2, ["--grid", "m = 3", "even"], {}),
    # contract: both exit 0; the first yields grid {"alpha": 4, "alpha": 8}, the second two
    # points with one point_key, a file that mimkit merge then rejects
    (SWEEP + ["--grid", "alpha=4", "--grid", "alpha=8", "--dry-run"], {}, 2,
     ["--grid", "alpha"], {}),
    (SWEEP + ["--grid", "alpha=4,4", "--dry-run"], {}, 2, ["--grid", "alpha"], {}),
    (SWEEP + ["--config", "bad3.cfg", "--out", "s.jsonl"], {"bad3.cfg": "d = 8\nm = 4\nT1\n"},
     2, ["bad3.cfg:3", "expected 'key = value'"], {}),
    (SWEEP + ["--grid", "alpha=4", "--out", "s.jsonl"], {"s.jsonl": GOOD}, 1,
     ["--out", "'s.jsonl' exists", "--resume", "--force"], {}),
    (SWEEP + ["--grid", "alpha=4,8", "--out", "s.jsonl", "--resume"],
     {"s.jsonl": "not json at all\n"}, 2, ["--out", "s.jsonl:1", "not a JSON line"], {}),
    (SWEEP + ["--grid", "alpha=4,8", "--out", "s.jsonl", "--resume"], {"s.jsonl": FIRST}, 2,
     ["--out", "s.jsonl:1", "another sweep"], {}),
    (SWEEP + ["--grid", "alpha=4,8", "--out", "s.jsonl", "--resume"],
     {"s.jsonl": '{"point": 0, "points": 2}\n'}, 2, ["--out", "s.jsonl:1", "no point_key"], {}),
    (SWEEP + ["--grid", "alpha=4", "--out", "outdir", "--resume"], {"outdir": DIR}, 1,
     ["--out", "outdir"], {}),  # contract: uncaught std::ios_base::failure, abort (134)
    # --- merge
    (["merge"], {}, 2, ["SHARD"], {}),  # contract: two usage lines without "mimkit: "
    (["merge", "dup.jsonl"], {"dup.jsonl": GOOD + FIRST}, 2,
     ["dup.jsonl", "line 3", "point 0 appears twice"], {}),
    (["merge", "a.jsonl", "a.jsonl"], {"a.jsonl": GOOD}, 2, ["a.jsonl", "appears twice"], {}),
    (["merge", "corrupt.jsonl"], {"corrupt.jsonl": FIRST + "not json at all\n"}, 2,
     ["corrupt.jsonl", "line 2"], {}),
    (["merge", "cut.jsonl"], {"cut.jsonl": FIRST + '{"point": 1, "points": 2, "point_k\n'}, 2,
     ["cut.jsonl", "line 2", "unterminated string"], {}),
    (["merge", "nokey.jsonl"], {"nokey.jsonl": '{"a": 1}\n'}, 2,
     ["nokey.jsonl", "line 1", "no point_key"], {}),
    (["merge", "half.jsonl"], {"half.jsonl": FIRST}, 2, ["1 of 2 points are missing"], {}),
    (["merge", "a.jsonl", "b.jsonl"],
     {"a.jsonl": FIRST, "b.jsonl": line(1, 3, "00000000000000b1", 8)}, 2,
     ["b.jsonl", "line 1", "3 points"], {}),
    (["merge", "missing.jsonl"], {}, 1, ["missing.jsonl", "cannot read"], {}),
    (["merge", "a.jsonl", "b.jsonl"],
     {"a.jsonl": FIRST, "b.jsonl": line(0, 2, "00000000000000c0", 4)}, 2,
     ["b.jsonl line 1", "point 0 has key 00000000000000c0 here and 00000000000000a0"], {}),
    (["merge", "a.jsonl", "b.jsonl"],
     {"a.jsonl": FIRST, "b.jsonl": line(1, 2, "00000000000000a0", 8)}, 2,
     ["b.jsonl line 1", "point key 00000000000000a0 is point 1 here and point 0"], {}),
    (["merge", "a.jsonl", "b.jsonl"],
     {"a.jsonl": FIRST, "b.jsonl": line(1, 2, "00000000000000a1", 8, sweep="00000000000000f2")}, 2,
     ["b.jsonl line 1", "another sweep"], {}),
    (["merge", "a.jsonl", "--out", "a.jsonl", "--force"], {"a.jsonl": GOOD}, 2,
     ["--out", "also an input"], {}),
    (["merge", "/dev/zero"], {}, 2, ["/dev/zero", "longer than"], {}),
    (RUN + ["--config", "/dev/zero"], {}, 1, ["--config", "/dev/zero", "larger than"], {}),
    (["plot", "/dev/zero", "--x", "alpha", "--y", "phase1.min_cosine", "--out", "-"], {}, 2,
     ["/dev/zero", "longer than"], {}),
    (["plot", "a.jsonl", "--x", "alpha", "--y", "phase1.min_cosine", "--out", "a.jsonl",
      "--force"], {"a.jsonl": GOOD}, 2, ["--out", "is the input"], {}),
    (SWEEP + ["--grid", "alpha=1:2:5821", "--grid", "eta1=0.1:1:7621", "--grid", "beta1=0:1:4711",
              "--grid", "noise=0:1:853", "--grid", "sigma_b=0:1:1669", "--seeds", "62",
              "--dry-run"], {}, 2, ["--grid", "more than 1000000 points"], {}),
    (["merge", "a.jsonl", "--bogus"], {"a.jsonl": GOOD}, 2, ["--bogus", "unknown option"], {}),
    (["merge", "a.jsonl", "--out", "exists.jsonl"], {"a.jsonl": GOOD, "exists.jsonl": "x\n"}, 1,
     ["--out", "--force"], {}),
    # contract: the first hangs (it counts to 1e15), the next two exit 0 and copy the bad line
    (["merge", "huge.jsonl"], {"huge.jsonl": '{"point": 0, "points": 1e15, "point_key": "a"}\n'},
     2, ["huge.jsonl", "points"], {}),
    (["merge", "neg.jsonl"], {"neg.jsonl": '{"point": 0, "points": -3, "point_key": "a"}\n'}, 2,
     ["neg.jsonl", "points"], {}),
    (["merge", "types.jsonl"], {"types.jsonl": '{"point": "x", "points": 1, "point_key": 5}\n'},
     2, ["types.jsonl", "line 1"], {}),
    (["merge", "shards"], {"shards": DIR}, 1, ["shards"], {}),  # contract: exit 0, no output
    # --- plot
    (["plot", "missing.jsonl", "--x", "alpha", "--y", "phase1.min_cosine"], {}, 1,
     ["cannot read 'missing.jsonl'"], {}),
    (["plot", "bad.jsonl", "--x", "alpha", "--y", "phase1.min_cosine", "--out", "-"],
     {"bad.jsonl": FIRST + "{oops\n"}, 2, ["bad.jsonl:2"], {}),
    (["plot", "a.jsonl", "--x", "alpha", "--y", "phase1.nosuch", "--out", "-"],
     {"a.jsonl": GOOD}, 2, ["no points", "--y phase1.nosuch"], {}),
    (["plot", "a.jsonl", "--y", "phase1.min_cosine", "--out", "-"], {"a.jsonl": GOOD}, 2,
     ["--x", "required"], {}),
    (["plot", "a.jsonl", "--x", "alpha", "--out", "-"], {"a.jsonl": GOOD}, 2,
     ["--y", "required"], {}),
    (["plot"], {}, 2, ["needs a FILE.jsonl"], {}),
    (["plot", "cut.jsonl", "--x", "alpha", "--y", "phase1.min_cosine", "--out", "-"],
     {"cut.jsonl": FIRST + '{"grid": {"alp'}, 2, ["cut.jsonl:2"], {}),
    (["plot", "a.jsonl", "--x", "alpha", "--y", "phase1.min_cosine", "--where", "alpha"],
     {"a.jsonl": GOOD}, 2, ["--where", "'alpha' is not KEY=VALUE"], {}),
    (["plot", "a.jsonl", "--x", "alpha", "--y", "phase1.min_cosine", "--lgox"],
     {"a.jsonl": GOOD}, 2, ["--lgox", "did you mean --logx"], {}),
    (["plot", "a.jsonl", "--x", "alpha", "--y", "phase1.min_cosine", "--out", "exists.svg"],
     {"a.jsonl": GOOD, "exists.svg": "x\n"}, 1, ["--out", "'exists.svg' exists", "--force"], {}),
    (["plot", "plots", "--x", "alpha", "--y", "phase1.min_cosine", "--out", "-"],
     {"plots": DIR}, 1, ["plots"], {}),  # contract: exit 2 "no points" for a directory
]
if absent is not None:
    for argv in (RUN, DATA, SWEEP + ["--out", "s.jsonl"]):
        CASES.append((argv + ["--arch", absent], {}, 2, ["--arch", absent, "not compiled"], {}))


def show(argv):
    return " ".join(shlex.quote(a) if "\n" not in a else repr(a) for a in argv)


with tempfile.TemporaryDirectory() as tmp:
    for n, (argv, files, code, fragments, env) in enumerate(CASES):
        cwd = os.path.join(tmp, "case%03d" % n)
        os.mkdir(cwd)
        for name, text in files.items():
            if text is DIR:
                os.mkdir(os.path.join(cwd, name))
            else:
                with open(os.path.join(cwd, name), "w") as f:
                    f.write(text)
        try:
            r = subprocess.run(mimkit + argv, cwd=cwd, capture_output=True, text=True,
                               timeout=TIMEOUT, env=dict(os.environ, **env),
                               stdin=subprocess.DEVNULL)
            rc, err = r.returncode, r.stderr
        except subprocess.TimeoutExpired:
            rc, err = None, "(killed after %d s)" % TIMEOUT
        lines = err.splitlines()
        good = (rc == code and len(lines) == 1 and lines[0].startswith("mimkit: ") and
                all(f in lines[0] for f in fragments))
        what = "mimkit %s -> exit %s, %s" % (show(argv), rc, err.strip()[:300].replace("\n", "\\n"))
        if not good:
            what += "  [expected exit %d and one line 'mimkit: ...' containing %s]" % (
                code, " / ".join(repr(f) for f in fragments))
        check(good, what)

print("%d cases, %d failed" % (len(CASES), len(failures)))
sys.exit(1 if failures else 0)
