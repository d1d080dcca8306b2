"""mimkit.sweep: a grid of configurations x seeds, one dict per point.

The points, their order, their ``point_key`` and ``grid`` and the dict of each point are those of
``mimkit sweep`` (tests/python/test_sweep.py compares them with ``mimkit sweep --dry-run``): a
preset's grid text is expanded by the CLI's rules, point k is grid combination k // seeds (first
axis slowest) with seed = base seed + k % seeds, and point_key is the digest of the resolved
configuration, so dicts from Python and lines from the CLI can be mixed and merged.
"""

import json
import math
import re

from . import _config, _core, _error, _isa, _text
from ._core import ConfigError, NumericalError

_MAX_POINTS = 1000000
_JSON_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")


def _c_round(v):
    """C's round(): halves away from zero (Python's round() rounds halves to even)."""
    r = math.floor(abs(v))
    if abs(v) - r >= 0.5:
        r += 1
    return math.copysign(r, v)


def _format_number(v):
    if abs(v - _c_round(v)) < 1e-9 * (1 + abs(v)) and abs(v) < 1e15:
        return "%.0f" % _c_round(v)
    return "%.6g" % v


def _parse_f64(text):
    """The CLI's number rule: the whole text is one finite decimal number, else None."""
    if not text or text != text.strip() or "_" in text:
        return None
    try:
        v = float(text)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def _json_value(text):
    """A grid value as the CLI writes it into "grid": numbers and true/false bare, else a str."""
    if _JSON_NUMBER.fullmatch(text):
        return json.loads(text)
    v = _parse_f64(text)
    if v is not None:
        return v
    if text in ("true", "false"):
        return text == "true"
    return text


def _expand_range(axis, spec):
    parts = spec.split(":")
    log = len(parts) == 4 and parts[3] == "log"
    lo = _parse_f64(parts[0]) if len(parts) in (3, 4) else None
    hi = _parse_f64(parts[1]) if len(parts) in (3, 4) else None
    digits = len(parts) in (3, 4) and re.fullmatch("[0-9]{1,20}", parts[2])
    count = int(parts[2]) if digits else 0
    if ((len(parts) != 3 and not log) or lo is None or hi is None or not 1 <= count <= 10000
            or (log and (lo <= 0 or hi <= 0))):
        raise _error("grid", f"'{axis}': a range is lo:hi:count or lo:hi:count:log with count in "
                     "1..10000 (and lo, hi > 0 for log)")
    values = []
    for i in range(count):
        t = 0.0 if count == 1 else i / (count - 1)
        values.append(_format_number(lo * math.pow(hi / lo, t) if log else lo + (hi - lo) * t))
    return values


def _parse_axis(text):
    """'key=v1,v2,...' | 'key=lo:hi:count' | 'key=lo:hi:count:log' -> (key, [value texts])."""
    key, eq, spec = text.partition("=")
    if not eq or not key or not spec:
        raise _error("grid", f"'{text}' is not key=v1,v2,... or key=lo:hi:count[:log]")
    if ":" in spec:
        return key, _expand_range(text, spec)
    values = spec.split(",")
    if "" in values:
        raise _error("grid", f"'{text}' has an empty value")
    return key, values


def _axes(grid):
    """A grid (a dict {key: [values]} or the CLI's 'key=...;key=...' text) as checked axes."""
    if isinstance(grid, str):
        axes = [_parse_axis(a) for a in grid.split(";") if a]
    else:
        axes = []
        for key, values in grid.items():
            if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
                raise TypeError(f"grid: the values of '{key}' must be a list, not "
                                f"{type(values).__name__}")
            axes.append((key, [_text(key, v) for v in values]))
            if not axes[-1][1]:
                raise _error("grid", f"'{key}' has no values")
    # Check keys and values before the first run; integer keys take rounded values, as in
    # the CLI (ranges give 5.03968 where T1 needs 5).
    probe = _core.Config()
    checked = []
    for key, values in axes:
        if any(key == k for k, _ in checked):
            raise _error("grid", f"key '{key}' has two axes")
        out = []
        for v in values:
            try:
                probe.set(key, v)
            except ConfigError as e:
                x = _parse_f64(v)
                rounded = _format_number(_c_round(x)) if x is not None else None
                try:
                    if rounded is None:
                        raise e
                    probe.set(key, rounded)
                    v = rounded
                except ConfigError:
                    raise _error("grid", str(e)) from None
            if v in out:
                raise _error("grid", f"{key} = {v} appears twice")
            out.append(v)
        checked.append((key, out))
    return checked


def _preset(name):
    for p in _core.presets():
        if p["name"] == name:
            return p
    _config(name, None, {})  # raises the ConfigError listing the known presets
    raise AssertionError(name)


def _plan(preset, grid, seeds, config, keys):
    """(base config, [(index, Config, grid dict, point_key)]): every point, validated."""
    base = _config(preset, config, keys)
    base.resolve()
    base.validate()
    if grid is None:
        grid = _preset(preset)["grid"] if preset is not None else {}
    if seeds is None:
        seeds = _preset(preset)["seeds"] if preset is not None else 1
    if not isinstance(seeds, int) or not 1 <= seeds <= 100000:
        raise _error("seeds", f"seeds = {seeds!r} is out of range (allowed: 1..100000)")
    axes = _axes(grid)
    total = seeds
    for _, values in axes:
        total *= len(values)
    if total > _MAX_POINTS:
        raise _error("grid", f"{total} points is too many (at most 1e6)")
    points = []
    for p in range(total):
        rest, s = divmod(p, seeds)
        idx = [0] * len(axes)
        for a in reversed(range(len(axes))):
            rest, idx[a] = divmod(rest, len(axes[a][1]))
        c = base.copy()
        point_grid = {}
        for (key, values), i in zip(axes, idx):
            c.set(key, values[i])
            point_grid[key] = _json_value(values[i])
        c.seed = (base.seed + s) % (1 << 64)
        point_grid["seed"] = c.seed
        c.resolve()
        try:
            c.validate()
        except ConfigError as e:
            raise _error(e.field, f"point {p} {json.dumps(point_grid)}: {e.message}",
                         e.code) from None
        points.append((p, c, point_grid, _core.digest(c.json().encode())))
    return points


def _shard(shard):
    if shard is None:
        return 0, 1
    i, n = shard
    if not (isinstance(i, int) and isinstance(n, int) and 0 <= i < n):
        raise _error("shard", f"shard = {shard!r} is not (i, n) with 0 <= i < n")
    return i, n


def sweep_points(preset=None, grid=None, seeds=None, config=None, *, shard=None, **keys):
    """The points sweep() would run, without running them: dicts with point, points, point_key
    and grid (what ``mimkit sweep --dry-run`` prints)."""
    i, n = _shard(shard)
    points = _plan(preset, grid, seeds, config, keys)
    return [{"point": p, "points": len(points), "point_key": key, "grid": g}
            for p, _, g, key in points if p % n == i]


def sweep(preset=None, grid=None, seeds=None, config=None, *, shard=None, skip=(), threads=1,
          arch=None, dtype="float", **keys):
    """Runs a grid of configurations x seeds, yielding one dict per point as it finishes.

    - preset: a name from presets(): the base configuration, and the default grid and seeds;
      without one the base is the defaults, the grid empty and seeds 1.
    - grid: {key: [values]} (first key slowest), or the CLI's text 'd=64,128;alpha=2:64:6:log'.
    - seeds: seeds base, base + 1, ... per grid point; config and keywords: over the preset.
    - shard=(i, n): only points k with k % n == i (n shards together are one sweep).
    - skip: point_keys to leave out, e.g. those of the dicts a cancelled sweep already gave.

    Each dict is a ``mimkit sweep`` line: point, points, point_key, grid, then run()'s report.
    A point that diverges gives a dict with config, version and error {code, field, message}
    instead of results, and the sweep goes on. Every point is validated before the first runs.
    Ctrl-C stops the current point with KeyboardInterrupt; the dicts already yielded are
    complete.
    """
    i, n = _shard(shard)
    points = _plan(preset, grid, seeds, config, keys)
    isa = _isa(arch)
    skip = set(skip)
    return _run_points(points, i, n, skip, isa, threads, dtype)


def _run_points(points, shard_i, shard_n, skip, isa, threads, dtype):
    for p, c, point_grid, key in points:
        if p % shard_n != shard_i or key in skip:
            continue
        line = {"point": p, "points": len(points), "point_key": key, "grid": point_grid}
        try:
            line.update(json.loads(_core.run(c, isa, threads, dtype)))
        except NumericalError as e:
            line.update({"config": json.loads(c.json()), "version": _core.version(),
                         "error": {"code": e.code, "field": e.field, "message": e.message}})
        yield line
