#!/usr/bin/env python3
"""mimkit plot writes well-formed SVG with the expected series, medians and log ticks, and bad
invocations fail with exit code 2.  Usage: plot_check.py [wrapper ...] path/to/mimkit"""
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

mimkit = sys.argv[1:]
failures = []
NS = "{http://www.w3.org/2000/svg}"


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


with tempfile.TemporaryDirectory() as tmp:
    data = os.path.join(tmp, "fixture.jsonl")
    with open(data, "w") as f:
        for variant in ("layerwise", "dls22"):
            for alpha in (2, 8, 32):
                for seed, value in enumerate((0.1, 0.5, 0.3)):
                    row = {"grid": {"alpha": alpha, "variant": variant, "seed": seed},
                           "config": {"d": 64},
                           "phase1": {"min_cosine": value * alpha / 32 +
                                      (0.2 if variant == "layerwise" else 0)}}
                    f.write(json.dumps(row) + "\n")
        f.write(json.dumps({"grid": {"alpha": 8, "variant": "dls22", "seed": 9},
                            "error": {"code": "numerical_error"}}) + "\n")
    svg = os.path.join(tmp, "fig.svg")
    r = subprocess.run(mimkit + ["plot", data, "--x", "alpha", "--y", "phase1.min_cosine",
                                 "--group", "variant", "--logx", "--out", svg],
                       capture_output=True, text=True)
    check(r.returncode == 0, "plot succeeds: " + r.stderr.strip())
    root = ET.parse(svg).getroot()
    check(root.tag == NS + "svg", "the output is well-formed XML with an svg root")
    series = root.findall(".//%sg[@class='series']" % NS)
    names = sorted(g.get("data-series") for g in series)
    check(names == ["variant = dls22", "variant = layerwise"], "one series per group: %s" % names)
    for g in series:
        check(len(g.findall(NS + "polyline")) == 1, "one line per series")
        points = g.findall("%scircle[@class='point']" % NS)
        check([float(p.get("data-x")) for p in points] == [2, 8, 32], "three x values, sorted")
        offset = 0.2 if g.get("data-series").endswith("layerwise") else 0
        for p in points:
            alpha = float(p.get("data-x"))
            # Median of (0.1, 0.5, 0.3) * alpha / 32 is 0.3 * alpha / 32; quartiles 0.2 and 0.4.
            check(abs(float(p.get("data-median")) - (0.3 * alpha / 32 + offset)) < 1e-12,
                  "median at alpha=%g" % alpha)
            check(abs(float(p.get("data-q1")) - (0.2 * alpha / 32 + offset)) < 1e-12 and
                  abs(float(p.get("data-q3")) - (0.4 * alpha / 32 + offset)) < 1e-12,
                  "quartiles at alpha=%g" % alpha)
    legend = [t.text for t in root.findall(".//%stext[@class='legend-entry']" % NS)]
    check(sorted(legend) == names, "legend entries equal the series")
    xticks = [float(t.get("data-value")) for t in root.findall(".//%sg[@class='xticks']/%stext" % (NS, NS))]
    import math
    mantissas = sorted({round(v / 10 ** math.floor(math.log10(v)), 9) for v in xticks})
    check(10 in xticks and set(mantissas) <= {1, 2, 5} and xticks == sorted(xticks),
          "log x axis ticks are 1-2-5 x powers of ten: %s" % xticks)

    def bad(args, fragment, code=2):
        r = subprocess.run(mimkit + ["plot"] + args, capture_output=True, text=True)
        lines = r.stderr.strip().splitlines()
        check(r.returncode == code and len(lines) == 1 and fragment in r.stderr,
              "bad invocation %s -> exit %d, one line with '%s' (got %d: %s)" %
              (args, code, fragment, r.returncode, r.stderr.strip()))

    # An unreadable file is an I/O failure (exit 1); malformed input is a usage error (exit 2).
    bad([os.path.join(tmp, "missing.jsonl"), "--x", "alpha", "--y", "m"], "cannot read", 1)
    broken = os.path.join(tmp, "broken.jsonl")
    with open(broken, "w") as f:
        f.write('{"grid": {"alpha": 2}}\n{"grid": \n')
    bad([broken, "--x", "alpha", "--y", "phase1.min_cosine"], "broken.jsonl:2")
    bad([data, "--x", "alpha", "--y", "phase9.nothing", "--out", os.path.join(tmp, "x.svg")],
        "no points")
    bad([data, "--y", "phase1.min_cosine"], "--x")
    r = subprocess.run(mimkit + ["plot", data, "--x", "alpha", "--y", "phase1.min_cosine",
                                 "--out", svg], capture_output=True, text=True)
    check(r.returncode != 0 and "--force" in r.stderr, "an existing figure is not overwritten")

sys.exit(1 if failures else 0)
