"""mimkit.run: the CLI's report, its key names and its error texts."""
import pytest

import mimkit

SETTINGS = {"d": 96, "alpha": 4, "m": 32, "T1": 12, "spectral": True, "trace": 3, "ntest": 512,
            "n2": 1024}


def cli_args(settings):
    out = []
    for key, value in settings.items():
        out += ["--set", f"{key}={str(value).lower() if isinstance(value, bool) else value}"]
    return out


def without_timings(report):
    return {k: v for k, v in report.items() if k != "timings"}


@pytest.mark.parametrize("dtype", ["float", "double"])
def test_run_returns_the_cli_report_with_the_same_keys_and_values(cli_json, dtype):
    py = mimkit.run(threads=2, dtype=dtype, **SETTINGS)
    cl = cli_json("run", "--quiet", "--threads", "2", "--dtype", dtype, *cli_args(SETTINGS))
    assert without_timings(py) == without_timings(cl)
    assert py["timings"].keys() == cl["timings"].keys()
    assert py["dtype"] == dtype and "spectral" in py and len(py["trace"]) > 0


def test_the_result_does_not_depend_on_threads_or_isa():
    digests = {mimkit.run(threads=t, arch=isa, **SETTINGS)["weights_digest"]
               for t in (1, 3) for isa in mimkit.supported_isas()}
    assert len(digests) == 1


def test_settings_apply_in_order_preset_config_keywords():
    r = mimkit.run(config={"d": 40, "m": 8, "T1": 3}, preset="calibration", d=48, ntest=256,
                   n2=256)
    assert r["config"]["d"] == 48           # keyword over config
    assert r["config"]["m"] == 8            # config over the preset's m = 64
    assert r["config"]["beta1"] == 1        # the preset's, untouched
    assert r["config"]["n1"] == 8 * 48      # the preset's alpha = 8, resolved
    text = mimkit.run("d = 40\nm = 8  # comment\nT1 = 3\n", ntest=256, n2=256)
    assert (text["config"]["d"], text["config"]["m"], text["config"]["T1"]) == (40, 8, 3)


def test_python_values_reach_the_library_exactly():
    r = mimkit.run(d=32, m=8, T1=2, eta1=0.1 + 0.2, spectral=False, normalize=0, ntest=128,
                   n2=128)
    assert r["config"]["eta1"] == 0.1 + 0.2   # repr round-trips: no decimal rounding on the way
    assert r["config"]["normalize"] is False


@pytest.mark.parametrize("setting", [
    "etaa=1",             # unknown key: did you mean
    "m=7",                # odd
    "link=he2(z1))",      # parse error with position
    "r=100",              # cross-field rule of validate()
    "loss=squard",        # unknown choice: did you mean
    "T1=-1",
])
def test_errors_are_config_errors_with_the_cli_text(cli, setting):
    key, value = setting.split("=", 1)
    with pytest.raises(ValueError) as info:
        mimkit.run(**{key: value})
    code, _, err = cli("run", "--quiet", "--set", setting)
    assert code == 2
    assert err.strip() == f"mimkit: {info.value}"
    assert isinstance(info.value, mimkit.ConfigError) and info.value.code in (
        "invalid_argument", "parse_error")
    assert str(info.value) == f"{info.value.field}: {info.value.message}"


def test_unknown_key_text_names_the_closest_key():
    with pytest.raises(mimkit.ConfigError, match=r"^etaa: unknown key 'etaa' \(did you mean "
                       r"'eta1'\?\)$"):
        mimkit.run(etaa=1)


def test_execution_options_are_checked():
    with pytest.raises(ValueError, match="^dtype: dtype = 'half' is not known"):
        mimkit.run(d=16, dtype="half")
    with pytest.raises(ValueError, match=r"^threads: threads = 0 is out of range \(allowed: "
                       r"1..256\)"):
        mimkit.run(d=16, threads=0)
    with pytest.raises(ValueError, match="^arch: "):
        mimkit.run(d=16, arch="sse9")


def test_arch_defaults_to_mimkit_arch_like_the_cli(monkeypatch):
    monkeypatch.setenv("MIMKIT_ARCH", "scalar")
    assert mimkit.run(d=16, m=4, T1=1, ntest=64, n2=64)["isa"] == "scalar"
    monkeypatch.setenv("MIMKIT_ARCH", "nonsense")
    with pytest.raises(ValueError, match="^MIMKIT_ARCH: "):
        mimkit.run(d=16)


def test_a_value_of_the_wrong_type_is_a_type_error():
    with pytest.raises(TypeError, match="^m: a list is not a config value"):
        mimkit.run(m=[64])
    with pytest.raises(TypeError, match="^link: a Python callable is a link of mimkit.data"):
        mimkit.run(link=lambda z1: z1)


def test_a_diverging_run_is_a_numerical_error():
    with pytest.raises(ArithmeticError) as info:
        mimkit.run(d=64, eta1=50, T1=200, beta1=0, ntest=256, n2=256)
    assert isinstance(info.value, mimkit.NumericalError)
    assert info.value.code == "numerical_error"


def test_keys_and_presets_come_from_the_library(cli):
    keys = mimkit.keys()
    assert list(keys)[:3] == ["d", "r", "link"] and "default" in keys["eta1"]
    _, out, _ = cli("run", "--keys")
    assert [line.split()[0] for line in out.splitlines() if line.strip()] == list(keys)
    names = [p["name"] for p in mimkit.presets()]
    assert "e1-quick" in names and all(p["seeds"] >= 1 for p in mimkit.presets())
