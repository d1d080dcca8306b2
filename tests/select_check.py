#!/usr/bin/env python3
"""mimkit select keeps, per group of every grid key but the --over ones (so per seed), the line
with the best --by value, on a fixture whose answer is known by construction and is recomputed
here independently; diverged lines are never chosen but counted; test metrics, --over seed and
overwriting the input are refused.  Usage: select_check.py [wrapper ...] path/to/mimkit"""
import json
import os
import subprocess
import sys
import tempfile

mimkit = sys.argv[1:]
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


T1S, MS = (10, 20, 40), (32, 64)


def best_t1(alpha, m, seed):
    """The T1 with the lowest validation error, by construction (varies with the seed)."""
    return T1S[(seed + alpha + m // 32) % 3]


def fixture():
    """Lines of a sweep over alpha, T1, m and seed. Validation error is 0.1 at best_t1 and grows
    with |T1 - best| elsewhere; test error is lowest somewhere else, so choosing on test would
    give another answer. Special groups: (alpha 4, m 32, seed 0) has its best line diverged;
    (alpha 8, m 64, seed 2) diverged everywhere; (alpha 8, m 32, seed 1) ties T1 = 10 and 40."""
    rows = []
    point = 0
    for alpha in (4, 8):
        for t1 in T1S:
            for m in MS:
                for seed in range(3):
                    best = best_t1(alpha, m, seed)
                    row = {"point": point, "point_key": "%016x" % point,
                           "grid": {"alpha": alpha, "T1": t1, "m": m, "seed": seed},
                           "config": {"alpha": alpha, "T1": t1, "m": m, "seed": seed}}
                    point += 1
                    diverged = ((alpha, m, seed) == (4, 32, 0) and t1 == best) or \
                        (alpha, m, seed) == (8, 64, 2)
                    if diverged:
                        row["error"] = {"code": "numerical_error", "message": "diverged"}
                    else:
                        val = 0.1 + 0.001 * abs(t1 - best)
                        if (alpha, m, seed) == (8, 32, 1) and t1 in (10, 40):
                            val = 0.05
                        row["phase2"] = {"validation_error": val,
                                         "test_error": 0.1 + 0.001 * abs(t1 - T1S[(seed + 1) % 3])}
                    rows.append(row)
    return rows


def expected(rows, over, maximise=False):
    """Independent selection: group, drop lines without a value, take min (first on ties)."""
    groups = {}
    for r in rows:
        key = tuple((k, v) for k, v in r["grid"].items() if k not in over)
        groups.setdefault(key, []).append(r)
    out = {}
    for key, members in groups.items():
        scored = [r for r in members if "phase2" in r]
        pick = None
        for r in scored:
            v = r["phase2"]["validation_error"]
            if pick is None or (v > pick[0] if maximise else v < pick[0]):
                pick = (v, r)
        out[key] = (pick, len(members), len(members) - len(scored), members[0])
    return out


with tempfile.TemporaryDirectory() as tmp:
    rows = fixture()
    src = os.path.join(tmp, "sweep.jsonl")
    with open(src, "w") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")

    def select(args, out):
        r = subprocess.run(mimkit + ["select", src] + args + ["--out", out],
                           capture_output=True, text=True)
        check(r.returncode == 0, "select %s succeeds: %s" % (" ".join(args), r.stderr.strip()))
        if r.returncode != 0:
            return []
        return [json.loads(l) for l in open(out)]

    for over, maximise in ((["T1"], False), (["T1", "m"], False), (["T1"], True)):
        out = os.path.join(tmp, "sel-%s-%d.jsonl" % ("-".join(over), maximise))
        got = select(["--over", ",".join(over), "--by", "phase2.validation_error"] +
                     (["--max"] if maximise else []), out)
        want = expected(rows, over, maximise)
        label = "--over %s%s" % (",".join(over), " --max" if maximise else "")
        check(len(got) == len(want), "%s: one line per group (%d)" % (label, len(want)))
        order = [tuple((k, v) for k, v in g["grid"].items() if k not in over) for g in got]
        check(order == list(dict.fromkeys(
            tuple((k, v) for k, v in r["grid"].items() if k not in over) for r in rows)),
            "%s: groups in the order of their first line" % label)
        for line, key in zip(got, order):
            pick, k, unscored, first = want[key]
            sel = line.get("selected", {})
            check(sel.get("by") == "phase2.validation_error" and sel.get("candidates") == k and
                  sel.get("unscored") == unscored, "%s %s: by, %d candidates, %d unscored" %
                  (label, dict(key), k, unscored))
            body = {kk: vv for kk, vv in line.items() if kk != "selected"}
            if pick is None:
                check(sel.get("value") is None and sel.get("over") is None and body == first
                      and "error" in body, "%s %s: all diverged: first line, value null" %
                      (label, dict(key)))
                continue
            check(body == pick[1], "%s %s: the chosen line is written unchanged (T1 %s)" %
                  (label, dict(key), pick[1]["grid"]["T1"]))
            check(sel.get("value") == pick[0] and
                  sel.get("over") == {o: pick[1]["grid"][o] for o in over},
                  "%s %s: value and over %s" % (label, dict(key), sel.get("over")))
        if over == ["T1"] and not maximise:
            # By construction, in words: each seed gets its own best T1.
            by_key = {tuple(sorted(dict(k).items())): l for k, l in zip(order, got)}
            for alpha in (4, 8):
                for m in MS:
                    for seed in range(3):
                        l = by_key[tuple(sorted({"alpha": alpha, "m": m, "seed": seed}.items()))]
                        if (alpha, m, seed) == (8, 64, 2):
                            continue
                        want_t1 = best_t1(alpha, m, seed)
                        if (alpha, m, seed) == (4, 32, 0):  # best diverged: next nearest
                            want_t1 = min((t for t in T1S if t != want_t1),
                                          key=lambda t: abs(t - best_t1(alpha, m, seed)))
                        if (alpha, m, seed) == (8, 32, 1):  # tie 10 vs 40: the first line
                            want_t1 = 10
                        check(l["selected"]["over"] == {"T1": want_t1},
                              "alpha=%d m=%d seed=%d chooses T1=%d" % (alpha, m, seed, want_t1))

    # The selected file plots; the all-diverged group stays a diverged run.
    out = os.path.join(tmp, "sel-T1-0.jsonl")
    r = subprocess.run(mimkit + ["plot", out, "--x", "alpha", "--y", "phase2.test_error",
                                 "--group", "m", "--format", "csv"], capture_output=True, text=True)
    check(r.returncode == 0 and r.stdout.splitlines()[1:] and
          sum(int(l.split(",")[-1]) for l in r.stdout.splitlines()[1:]) == 1,
          "plot of the selection counts the all-diverged seed: %s" % r.stdout)

    def bad(args, fragments, code=2, files=None):
        r = subprocess.run(mimkit + ["select"] + args, capture_output=True, text=True)
        lines = r.stderr.strip().splitlines()
        check(r.returncode == code and len(lines) == 1 and all(f in r.stderr for f in fragments),
              "bad %s -> exit %d, one line with %s (got %d: %s)" %
              (args, code, fragments, r.returncode, r.stderr.strip()))

    by = ["--by", "phase2.validation_error"]
    bad([src, "--over", "T1", "--by", "phase2.test_error"], ["--by", "test data", "forbids"])
    bad([src, "--over", "T1", "--by", "Test.score"], ["--by", "test data"])
    bad([src, "--over", "seed"] + by, ["--over", "seed"])
    bad([src, "--over", "T2"] + by, ["--over", "no key 'T2'", "alpha, T1, m, seed"])
    bad([src, "--over", "T1", "--by", "phase2.nothing"], ["--by", "no line"])
    bad([src] + by, ["--over", "required"])
    bad([src, "--over", "T1"], ["--by", "required"])
    bad([src, "--over", "T1", "--mx"] + by, ["--mx", "did you mean --max"])
    bad([src, "--over", "T1", "--out", src, "--force"] + by, ["--out", "is the input"])
    bad([], ["needs a FILE.jsonl"])
    bad([os.path.join(tmp, "missing.jsonl"), "--over", "T1"] + by, ["cannot read"], 1)
    exists = os.path.join(tmp, "exists.jsonl")
    open(exists, "w").write("x\n")
    bad([src, "--over", "T1", "--out", exists] + by, ["--out", "--force"], 1)
    check(open(exists).read() == "x\n", "an existing output is left alone")
    bad([os.path.join(tmp, "sel-T1-0.jsonl"), "--over", "T1"] + by, ["already selected"])
    nogrid = os.path.join(tmp, "nogrid.jsonl")
    open(nogrid, "w").write('{"phase2": {"validation_error": 1}}\n')
    bad([nogrid, "--over", "T1"] + by, ["nogrid.jsonl:1", "no grid"])
    broken = os.path.join(tmp, "broken.jsonl")
    open(broken, "w").write(json.dumps(rows[0]) + "\n{\"grid\": \n")
    bad([broken, "--over", "T1"] + by, ["broken.jsonl:2"])

sys.exit(1 if failures else 0)
