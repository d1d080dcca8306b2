"""mimkit.sweep: a grid of configurations x seeds, one dict per point.

The points, their order, their ``point_key``, ``sweep`` and ``grid`` and the dict of each point
are those of ``mimkit sweep``: they come from the same C++ code (src/cli/sweep_grid and results,
through _core.SweepPlan), so dicts from Python and lines from the CLI can be mixed and merged
(tests/python/test_sweep.py compares them with the CLI's file).
"""

import json

from . import _config, _core, _error, _isa, _text
from ._core import ConfigError, NumericalError


def _axes(grid):
    """A grid (a dict {key: [values]} or the CLI's 'key=...;key=...' text) in the form the C++
    sweep rules take: the text itself, or [(key, [value texts])]."""
    if isinstance(grid, str):
        return grid
    axes = []
    for key, values in grid.items():
        if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
            raise TypeError(f"grid: the values of '{key}' must be a list, not "
                            f"{type(values).__name__}")
        axes.append((key, [_text(key, v) for v in values]))
    return axes


def _preset(name):
    for p in _core.presets():
        if p["name"] == name:
            return p
    _config(name, None, {})  # raises the ConfigError listing the known presets
    raise AssertionError(name)


def _plan(preset, grid, seeds, config, keys, dtype="float"):
    """The C++ SweepPlan of every point, validated: the CLI's grid rules, point order, keys and
    sweep identity."""
    base = _config(preset, config, keys)
    base.resolve()
    base.validate()
    if grid is None:
        grid = _preset(preset)["grid"] if preset is not None else {}
    if seeds is None:
        seeds = _preset(preset)["seeds"] if preset is not None else 1
    if not isinstance(seeds, int) or not 1 <= seeds <= 100000:
        raise _error("seeds", f"seeds = {seeds!r} is out of range (allowed: 1..100000)")
    try:
        return _core.SweepPlan(base, _axes(grid), seeds, dtype)
    except ConfigError as e:
        if e.field != "--grid":
            raise
        raise _error("grid", e.message, e.code) from None  # the argument is grid= here


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
    points = _plan(preset, grid, seeds, config, keys).points()
    return [{"point": p, "points": len(points), "point_key": key, "grid": json.loads(g)}
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

    Each dict is a ``mimkit sweep`` line: point, points, point_key, sweep (the sweep's
    identity), grid, then run()'s report. A point that diverges gives a dict with config,
    version and error {code, field, message} instead of results, and the sweep goes on. Every
    point is validated before the first runs. Ctrl-C stops the current point with
    KeyboardInterrupt; the dicts already yielded are complete.
    """
    i, n = _shard(shard)
    plan = _plan(preset, grid, seeds, config, keys, dtype)
    isa = _isa(arch)
    return _run_points(plan, i, n, set(skip), isa, threads, dtype)


def _run_points(plan, shard_i, shard_n, skip, isa, threads, dtype):
    for p, c, _, key in plan.points():
        if p % shard_n != shard_i or key in skip:
            continue
        try:
            line = plan.line(p, _core.run(c, isa, threads, dtype))
        except NumericalError as e:
            line = plan.error_line(p, e.field, e.message)
        yield json.loads(line)
