#!/usr/bin/env python3
"""mimkit plot writes well-formed SVG with the expected series, medians and log ticks; every seed
as a dot, diverged runs as marks, the success fraction, the table, styles per second key, the
log-log fit and traces, each checked against numbers computed here from the fixture; bad
invocations fail with exit code 2.  Usage: plot_check.py [wrapper ...] path/to/mimkit"""
import csv
import io
import itertools
import json
import math
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
        points = g.findall("%s*[@class='point']" % NS)
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
    mantissas = sorted({round(v / 10 ** math.floor(math.log10(v)), 9) for v in xticks})
    check(10 in xticks and set(mantissas) <= {1, 2, 5} and xticks == sorted(xticks),
          "log x axis ticks are 1-2-5 x powers of ten: %s" % xticks)

    counter = itertools.count()

    # ---- every seed visible, diverged runs marked, no success panel unless asked
    for g in series:
        for p in g.findall("%s*[@class='point']" % NS):
            x = float(p.get("data-x"))
            dots = sorted(float(s.get("data-y")) for s in g.findall("%s*[@class='seed']" % NS)
                          if float(s.get("data-x")) == x)
            offset = 0.2 if g.get("data-series").endswith("layerwise") else 0
            want = sorted(v * x / 32 + offset for v in (0.1, 0.5, 0.3))
            check(len(dots) == 3 and all(abs(a - b) < 1e-12 for a, b in zip(dots, want)),
                  "one dot per seed with its value at %s x=%g: %s" % (g.get("data-series"), x, dots))
            check(p.get("data-count") == "3", "data-count is the number of seeds")
    marks = root.findall(".//%s*[@class='diverged']" % NS)
    check(len(marks) == 1 and marks[0].get("data-x") == "8" and marks[0].get("data-count") == "1"
          and marks[0].get("data-series") == "variant = dls22",
          "the diverged line is one mark at its x in its series")
    notes = [t.text for t in root.findall(".//%stext[@class='note']" % NS)]
    check(any(n and n.startswith("\u00d7 1 run diverged") for n in notes),
          "the legend counts the diverged run: %s" % notes)
    check(root.findall(".//%s*[@class='success']" % NS) == [], "no success panel without --success")

    def plot(args):
        out = os.path.join(tmp, "plot%d.svg" % next(counter))
        r = subprocess.run(mimkit + ["plot"] + args + ["--out", out, "--force"],
                           capture_output=True, text=True)
        check(r.returncode == 0, "plot %s succeeds: %s" % (" ".join(args), r.stderr.strip()))
        return ET.parse(out).getroot() if r.returncode == 0 else ET.Element("none")

    def quantile(values, q):
        v = sorted(values)
        pos = q * (len(v) - 1)
        i = int(pos)
        return v[i] + (pos - i) * (v[i + 1] - v[i]) if i + 1 < len(v) else v[i]

    # ---- a bimodal point: the dots and the success fraction show what the median hides
    bimodal = os.path.join(tmp, "bimodal.jsonl")
    seeds = (0.79, 0.02, 0.01, 0.78, 0.79)
    with open(bimodal, "w") as f:
        for t1, vals in ((40, (0.7, 0.71, 0.69, 0.72, 0.7)), (80, seeds)):
            for s, v in enumerate(vals):
                f.write(json.dumps({"grid": {"T1": t1, "seed": s}, "phase1": {"min_cosine": v}})
                        + "\n")
        f.write(json.dumps({"grid": {"T1": 80, "seed": 5}, "error": {"code": "numerical_error"}})
                + "\n")
    root = plot([bimodal, "--x", "T1", "--y", "phase1.min_cosine", "--success",
                 "phase1.min_cosine>0.5"])
    p80 = [p for p in root.iter() if p.get("class") == "point" and p.get("data-x") == "80"]
    check(len(p80) == 1 and abs(float(p80[0].get("data-median")) - 0.78) < 1e-12,
          "the bimodal point's median is 0.78")
    dots = sorted(float(e.get("data-y")) for e in root.iter()
                  if e.get("class") == "seed" and e.get("data-x") == "80")
    check(dots == sorted(seeds), "all five seeds of the bimodal point are drawn: %s" % dots)
    succ = {e.get("data-x"): e for e in root.iter() if e.get("class") == "success"}
    # 3 of the 5 seeds clear 0.5; the diverged sixth run counts as a failure.
    check(set(succ) == {"40", "80"}, "one success marker per x")
    if "80" in succ:
        e = succ["80"]
        check(e.get("data-k") == "3" and e.get("data-count") == "6" and
              abs(float(e.get("data-success")) - 0.5) < 1e-15,
              "success at T1=80 is 3 of 6 runs (the diverged one fails)")
        title = e.find(NS + "title")
        check(title is not None and "3 of 6 seeds" in title.text and "> 0.5" in title.text,
              "the success marker's tooltip says 3 of 6 seeds: %s" %
              (title.text if title is not None else None))
    if "40" in succ:
        check(succ["40"].get("data-k") == "5" and succ["40"].get("data-count") == "5",
              "success at T1=40 is 5 of 5")
    caption = [t.text for t in root.iter() if t.get("class") == "panel-caption"]
    check(caption == ["share of seeds with phase1.min_cosine > 0.5"], "the panel says its condition")
    # '<' conditions, and the table: exactly the figure's numbers.
    r = subprocess.run(mimkit + ["plot", bimodal, "--x", "T1", "--y", "phase1.min_cosine",
                                 "--success", "phase1.min_cosine<0.05", "--format", "csv"],
                       capture_output=True, text=True)
    check(r.returncode == 0, "--format csv succeeds: " + r.stderr.strip())
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    check([row["T1"] for row in rows] == ["40", "80"], "one csv row per x")
    for row in rows:
        vals = (0.7, 0.71, 0.69, 0.72, 0.7) if row["T1"] == "40" else seeds
        exp = {"n": len(vals), "median": quantile(vals, 0.5), "q1": quantile(vals, 0.25),
               "q3": quantile(vals, 0.75), "min": min(vals), "max": max(vals)}
        check(all(abs(float(row[k]) - v) < 1e-15 for k, v in exp.items()),
              "csv row T1=%s: n, median, quartiles, min, max %s" % (row["T1"], row))
        low = sum(v < 0.05 for v in vals)
        runs = len(vals) + (row["T1"] == "80")
        check(row["successes"] == str(low) and row["runs"] == str(runs) and
              abs(float(row["success"]) - low / runs) < 1e-15 and
              row["diverged"] == str(int(row["T1"] == "80")),
              "csv success columns at T1=%s (< condition): %s" % (row["T1"], row))

    # The plain table printed besides the figure quotes the figure's numbers.
    fig = os.path.join(tmp, "e.svg")
    r = subprocess.run(mimkit + ["plot", data, "--x", "alpha", "--y", "phase1.min_cosine",
                                 "--group", "variant", "--table", "--out", fig],
                       capture_output=True, text=True)
    check(r.returncode == 0 and os.path.exists(fig), "--table writes the SVG too: " + r.stderr)
    lines = r.stdout.strip().splitlines()
    head = lines[0].split()
    check(head == ["variant", "alpha", "n", "median", "q1", "q3", "min", "max", "diverged"],
          "table header: %s" % head)
    svgpoints = {(p.get("data-series"), float(p.get("data-x"))): p
                 for p in ET.parse(fig).getroot().iter() if p.get("class") == "point"}
    ok = len(lines) == 7
    for l in lines[1:]:
        f = l.split()
        p = svgpoints.get(("variant = " + f[0], float(f[1])))
        ok = ok and p is not None and f[2] == p.get("data-count") and all(
            float(f[3 + i]) == float("%.4g" % float(p.get(a)))
            for i, a in enumerate(("data-median", "data-q1", "data-q3", "data-min", "data-max")))
    check(ok, "every table row is a figure point, rounded to 4 digits")
    r = subprocess.run(mimkit + ["plot", data, "--x", "alpha", "--y", "phase1.min_cosine",
                                 "--group", "variant", "--format", "markdown"],
                       capture_output=True, text=True)
    md = r.stdout.splitlines()
    check(r.returncode == 0 and md[0].startswith("| variant") and set(md[1]) <= {"|", "-", " "}
          and len(md) == 8, "--format markdown: header, rule and 6 rows")

    # Two metrics: the diverged run is marked in both series but counted once.
    twom = os.path.join(tmp, "twometrics.jsonl")
    with open(twom, "w") as f:
        for s in range(3):
            f.write(json.dumps({"grid": {"alpha": 4, "seed": s}, "phase1": {"min_cosine": 0.5},
                                "spectral": {"min_cosine": 0.4}}) + "\n")
        f.write(json.dumps({"grid": {"alpha": 4, "seed": 3}, "error": {"code": "x"}}) + "\n")
    root = plot([twom, "--x", "alpha", "--y", "phase1.min_cosine,spectral.min_cosine"])
    marks = [e for e in root.iter() if e.get("class") == "diverged"]
    notes = [e.get("data-diverged") for e in root.iter() if e.get("data-diverged")]
    check(len(marks) == 2 and notes == ["1"], "one diverged run: a mark per metric, counted once")

    # ---- two grouping keys: colour by the first, line style and marker by the second
    two = os.path.join(tmp, "two.jsonl")
    with open(two, "w") as f:
        for d in (64, 128, 256):
            for variant in ("a", "b"):
                for alpha in (1, 10):  # decades: the log axis would end at the points
                    f.write(json.dumps({"grid": {"d": d, "variant": variant, "alpha": alpha},
                                        "phase1": {"min_cosine": 0.1 * alpha}}) + "\n")
    root = plot([two, "--x", "alpha", "--y", "phase1.min_cosine", "--group", "d,variant", "--logx"])
    frame = [r for r in root.iter(NS + "rect") if r.get("stroke") == "#333333"][0]
    left, right = float(frame.get("x")), float(frame.get("x")) + float(frame.get("width"))
    cx = [float(e.get("cx")) for e in root.iter(NS + "circle") if e.get("class") == "seed"]
    check(cx and all(left + 2 < v < right - 2 for v in cx),
          "six series' side-by-side seed dots stay inside the panel (%g..%g): %g..%g" %
          (left, right, min(cx), max(cx)))
    groups = [g for g in root.iter() if g.get("class") == "series"]
    stroke, dash, shape = {}, {}, {}
    for g in groups:
        d, v = [part.split(" = ")[1] for part in g.get("data-series").split(", ")]
        line = [e for e in g if e.get("class") == "median"][0]
        point = [e for e in g if e.get("class") == "point"][0]
        stroke.setdefault(d, set()).add(g.get("stroke"))
        dash.setdefault(v, set()).add(line.get("stroke-dasharray"))
        shape.setdefault(v, set()).add(point.tag)
    check(len(groups) == 6 and all(len(s) == 1 for s in stroke.values()) and
          len(set.union(*stroke.values())) == 3, "one colour per d: %s" % stroke)
    check(all(len(s) == 1 for s in dash.values()) and dash["a"] != dash["b"] and
          shape["a"] != shape["b"], "one dash and marker per variant: %s %s" % (dash, shape))
    legend = [t.text for t in root.iter() if t.get("class") == "legend-entry"]
    check(legend == ["d = 64", "d = 128", "d = 256", "variant = a", "variant = b"],
          "the legend names colours then styles: %s" % legend)

    # ---- --fit loglog: y = c x^k by least squares over the medians
    fitf = os.path.join(tmp, "fit.jsonl")
    xs, noise = (128, 256, 512, 1024, 2048), (1.1, 0.95, 1.0, 1.05, 0.9)
    with open(fitf, "w") as f:
        for x, e in zip(xs, noise):
            for s, jitter in enumerate((0.98, 1.0, 1.02)):  # the median is 3e-6 x^2 e
                f.write(json.dumps({"grid": {"d": x, "seed": s},
                                    "timings": {"total_s": 3e-6 * x * x * e * jitter}}) + "\n")
    root = plot([fitf, "--x", "d", "--y", "timings.total_s", "--logx", "--logy", "--fit", "loglog",
                 "--ylabel", "time (s)", "--title", "E6"])
    lx = [math.log10(x) for x in xs]
    ly = [math.log10(3e-6 * x * x * e) for x, e in zip(xs, noise)]
    mx, my = sum(lx) / 5, sum(ly) / 5
    sxx = sum((a - mx) ** 2 for a in lx)
    k = sum((a - mx) * (b - my) for a, b in zip(lx, ly)) / sxx
    c = my - k * mx
    se = math.sqrt(sum((b - c - k * a) ** 2 for a, b in zip(lx, ly)) / 3 / sxx)
    fits = [e for e in root.iter() if e.get("class") == "fit"]
    check(len(fits) == 1 and abs(float(fits[0].get("data-slope")) - k) < 1e-12 and
          abs(float(fits[0].get("data-intercept")) - c) < 1e-12 and
          abs(float(fits[0].get("data-slope-se")) - se) < 1e-12 and fits[0].get("data-n") == "5",
          "the fitted slope, intercept and standard error match an independent fit (k=%.4f)" % k)
    text = [t.text for t in root.iter() if t.get("class") == "legend-fit"]
    check(text == ["fit: slope %.2f \u00b1 %.2f" % (k, se)], "the legend gives the slope: %s" % text)
    titles = [t.text for t in root.iter() if t.tag == NS + "text" and t.get("font-weight") == "bold"]
    check(titles == ["E6"], "--title is the title")

    # ---- --vline: reference lines at their x on the same axis as the data, even outside it
    vf = os.path.join(tmp, "vline.jsonl")
    with open(vf, "w") as f:
        for a in (1, 4, 16):
            f.write(json.dumps({"grid": {"alpha": a, "seed": 0}, "phase1": {"min_cosine": 0.1 * a}})
                    + "\n")
    root = plot([vf, "--x", "alpha", "--y", "phase1.min_cosine", "--logx",
                 "--vline", "4=alpha_c 4", "--vline", "100"])
    vl = [e for e in root.iter() if e.get("class") == "vline"]
    pts = {e.get("data-x"): e for e in root.iter() if e.get("class") == "point"}
    check([(e.get("data-x"), e.get("data-label")) for e in vl] == [("4", "alpha_c 4"),
                                                                    ("100", "100")],
          "one line per --vline, labelled (default: its x): %s" % [e.attrib for e in vl])
    if len(vl) == 2 and "4" in pts and "1" in pts and "16" in pts:
        px = {k: float(pts[k].get("cx") or pts[k].get("x", "nan")) for k in ("1", "4", "16")}
        x4, x100 = float(vl[0].get("x1")), float(vl[1].get("x1"))
        step = (px["16"] - px["1"]) / math.log10(16)
        check(abs(x4 - px["4"]) < 0.02 and abs(x100 - (px["1"] + 2 * step)) < 0.05,
              "a line sits where its x is on the log axis (4 at the point, 100 two decades on): "
              "%.2f vs %.2f, %.2f vs %.2f" % (x4, px["4"], x100, px["1"] + 2 * step))
    labels = [t.text for t in root.iter() if t.get("class") == "vline-label"]
    check(labels == ["alpha_c 4", "100"], "the labels are drawn: %s" % labels)

    # ---- trace mode: one thin line per run, the median per step
    tracef = os.path.join(tmp, "trace.jsonl")
    runs = {}
    with open(tracef, "w") as f:
        for d in (64, 128):
            for s in range(3):
                tr = [{"step": t, "min_cosine": (t + 1) * 0.1 * (s + 1) / d * 64,
                       "mass": [0.5, 0.01 * t * (s + 1)]} for t in range(4)]
                runs[(d, s)] = tr
                f.write(json.dumps({"grid": {"d": d, "seed": s}, "phase1": {"min_cosine": 0},
                                    "trace": tr}) + "\n")
        f.write(json.dumps({"grid": {"d": 64, "seed": 3}, "error": {"code": "numerical_error"}})
                + "\n")
    root = plot([tracef, "--x", "trace.step", "--y", "trace.mass.1", "--group", "d",
                 "--success", "trace.mass.1>0.025"])
    lines = [e for e in root.iter() if e.get("class") == "run"]
    check(len(lines) == 6, "one thin line per run: %d" % len(lines))
    ok = True
    for e in lines:
        d, s = int(e.get("data-series").split(" = ")[1]), int(e.get("data-seed"))
        want = [t["mass"][1] for t in runs[(d, s)]]
        got = [float(v) for v in e.get("data-y").split()]
        ok = ok and got == want and e.get("data-x").split() == ["0", "1", "2", "3"]
    check(ok, "each run line carries its own trace values")
    check([e for e in root.iter() if e.get("class") == "seed"] == [], "no seed dots in a trace")
    for e in root.iter():
        if e.get("class") == "point":
            d, t = int(e.get("data-series").split(" = ")[1]), int(e.get("data-x"))
            vals = [runs[(d, s)][t]["mass"][1] for s in range(3)]
            check(abs(float(e.get("data-median")) - quantile(vals, 0.5)) < 1e-15,
                  "trace median at d=%d step %d" % (d, t))
        if e.get("class") == "success":
            d, t = int(e.get("data-series").split(" = ")[1]), int(e.get("data-x"))
            k = sum(runs[(d, s)][t]["mass"][1] > 0.025 for s in range(3))
            n = 3 + (d == 64)  # the diverged run fails at every step
            check(e.get("data-k") == str(k) and e.get("data-count") == str(n),
                  "trace success at d=%d step %d: %s of %s" % (d, t, k, n))
    # Same input, same bytes: the jitter is deterministic.
    a, b = os.path.join(tmp, "a.svg"), os.path.join(tmp, "b.svg")
    for out in (a, b):
        subprocess.run(mimkit + ["plot", bimodal, "--x", "T1", "--y", "phase1.min_cosine",
                                 "--out", out], capture_output=True)
    check(open(a, "rb").read() == open(b, "rb").read(), "the same input draws the same bytes")

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
    y = ["--x", "alpha", "--y", "phase1.min_cosine"]
    bad([data] + y + ["--success", "phase1.min_cosine=0.5"], "--success")
    bad([data] + y + ["--success", "phase1.min_cosine>high"], "--success")
    bad([data] + y + ["--fit", "linear"], "--fit")
    bad([data] + y + ["--format", "png"], "--format")
    bad([data] + y + ["--vline", "two=alpha_c"], "--vline")
    bad([data] + y + ["--table", "--out", "-"], "--table")
    bad([data] + y + ["--table", "--format", "csv"], "--table")
    bad([data, "--x", "trace.step", "--y", "phase1.min_cosine"], "trace")
    bad([data, "--x", "alpha", "--y", "trace.min_cosine"], "trace")
    r = subprocess.run(mimkit + ["plot", data, "--x", "alpha", "--y", "phase1.min_cosine",
                                 "--out", svg], capture_output=True, text=True)
    check(r.returncode != 0 and "--force" in r.stderr, "an existing figure is not overwritten")

sys.exit(1 if failures else 0)
