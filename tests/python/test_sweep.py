"""mimkit.sweep: the points and lines of `mimkit sweep`."""
import json

import pytest

import mimkit

SMALL = dict(m=8, T1=4, ntest=256, n2=256)
SMALL_SET = [a for k, v in SMALL.items() for a in ("--set", f"{k}={v}")]


def dry_run(cli, *args):
    code, out, err = cli("sweep", "--dry-run", *args)
    assert code == 0, err
    points = []
    for line in out.splitlines():
        index, key, grid = line.split(" ", 2)
        points.append({"point": int(index), "point_key": key, "grid": json.loads(grid)})
    return points


def plan(points):
    return [{k: p[k] for k in ("point", "point_key", "grid")} for p in points]


@pytest.mark.parametrize("preset", [p["name"] for p in mimkit.presets() if p["grid"]])
def test_preset_points_are_those_of_the_cli(cli, preset):
    assert plan(mimkit.sweep_points(preset)) == dry_run(cli, "--preset", preset)


def test_a_grid_dict_or_text_gives_the_cli_points(cli):
    args = ["--preset", "default", "--grid", "T1=5:320:7:log", "--grid", "variant=dls22,online",
            "--grid", "eta1=0.05:0.5:3", "--seeds", "2", "--set", "seed=9"]
    want = dry_run(cli, *args)
    text = mimkit.sweep_points("default", grid="T1=5:320:7:log;variant=dls22,online;"
                               "eta1=0.05:0.5:3", seeds=2, seed=9)
    assert plan(text) == want
    as_dict = mimkit.sweep_points("default", grid={"T1": [5, 10, 20, 40, 80, 160, 320],
                                                   "variant": ["dls22", "online"],
                                                   "eta1": [0.05, 0.275, 0.5]},
                                  seeds=2, config={"seed": 9})
    assert [p["point_key"] for p in as_dict] == [p["point_key"] for p in want]
    assert all(p["points"] == len(want) for p in as_dict)


def test_sweep_lines_match_the_cli_file(cli, tmp_path):
    out = tmp_path / "s.jsonl"
    code, _, err = cli("sweep", "--preset", "default", "--grid", "alpha=2,4", "--grid",
                       "loss=squared,huber", "--seeds", "2", *SMALL_SET, "--out", str(out),
                       "--quiet", "--dtype", "double", "--threads", "1")
    assert code == 0, err
    want = [json.loads(line) for line in out.read_text().splitlines()]
    got = list(mimkit.sweep("default", grid={"alpha": [2, 4], "loss": ["squared", "huber"]},
                            seeds=2, dtype="double", **SMALL))
    assert len(got) == len(want) == 8
    for g, w in zip(got, want):
        assert list(g) == list(w)   # same keys in the same order
        g.pop("timings"), w.pop("timings")
        assert g == w


def test_shards_partition_the_sweep_and_skip_resumes():
    args = dict(grid={"alpha": [2, 4, 8]}, seeds=2, **SMALL)
    every = [p["point_key"] for p in mimkit.sweep_points(**args)]
    shards = [p["point_key"] for i in range(3) for p in mimkit.sweep_points(shard=(i, 3), **args)]
    assert sorted(shards) == sorted(every) and len(set(every)) == 6
    first = list(mimkit.sweep(shard=(0, 2), **args))
    rest = list(mimkit.sweep(skip={p["point_key"] for p in first}, **args))
    assert sorted(p["point"] for p in first + rest) == list(range(6))


def test_without_a_preset_a_sweep_starts_from_the_defaults():
    points = mimkit.sweep_points(grid={"d": [32]}, seeds=3)
    assert [p["grid"] for p in points] == [{"d": 32, "seed": s} for s in range(3)]
    assert len(mimkit.sweep_points()) == 1


def test_a_diverging_point_is_recorded_and_the_sweep_goes_on():
    lines = list(mimkit.sweep(grid={"eta1": [0.5, 50]}, d=64, T1=200, beta1=0, ntest=256,
                              n2=256))
    assert "error" not in lines[0] and lines[0]["phase1"]["min_cosine"] >= 0
    assert lines[1]["error"]["code"] == "numerical_error" and lines[1]["config"]["eta1"] == 50
    assert "phase1" not in lines[1]


def test_every_point_is_checked_before_the_first_runs():
    with pytest.raises(ValueError, match="^grid: m: "):
        mimkit.sweep(grid={"m": [8, 7]})
    with pytest.raises(ValueError, match=r"^r: point 1 \{\"d\": 1, \"seed\": 0\}: "):
        mimkit.sweep(grid={"d": [8, 1]})
    with pytest.raises(ValueError, match="^grid: T1 = 5 appears twice"):
        mimkit.sweep(grid={"T1": [5, 5.0]})   # integer keys take rounded values, as in the CLI
    with pytest.raises(ValueError, match="^grid: etaa: unknown key 'etaa'"):
        mimkit.sweep(grid="etaa=1,2")
    with pytest.raises(ValueError, match="^grid: 'alpha=1:2': a range is lo:hi:count"):
        mimkit.sweep(grid="alpha=1:2")
    with pytest.raises(ValueError, match="^preset: "):
        mimkit.sweep("e9")
    with pytest.raises(TypeError, match="must be a list"):
        mimkit.sweep(grid={"alpha": 8})
