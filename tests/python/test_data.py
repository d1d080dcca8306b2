"""mimkit.data: the bytes of `mimkit data`, as numpy arrays, and Python callables as links."""
import math
import re

import numpy as np
import pytest

import mimkit

GOLDEN = dict(d=100, r=3, link="he2(z1)+z2*z3", n=1000, seed=7)


def golden_digests(source_root):
    text = (source_root / "tests" / "golden.hpp").read_text()
    return {dtype: re.search(rf'MIMKIT_GOLDEN_DATA_{tag} "([0-9a-f]{{16}})"', text).group(1)
            for dtype, tag in (("float", "F32"), ("double", "F64"))}


def fnv1a(*buffers):
    """FNV-1a 64 written out here, independent of the library's digest.hpp."""
    h = 0xCBF29CE484222325
    for b in buffers:
        for byte in memoryview(b).cast("B"):
            h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


@pytest.mark.parametrize("dtype", ["float", "double"])
def test_data_has_the_golden_cli_digest_on_every_isa(source_root, dtype):
    want = golden_digests(source_root)[dtype]
    for isa in mimkit.supported_isas():
        X, y, U = mimkit.data(dtype=dtype, arch=isa, **GOLDEN)
        assert X.dtype == y.dtype == U.dtype == np.dtype(np.float32 if dtype == "float"
                                                          else np.float64)
        assert mimkit.digest(X, y) == want, isa


def test_the_digest_is_fnv1a_of_the_bytes():
    X, y, _ = mimkit.data(d=7, n=33, seed=3)
    assert mimkit.digest(X, y) == fnv1a(X.tobytes(), y.tobytes())
    assert mimkit.digest(b"") == "cbf29ce484222325"
    with pytest.raises(ValueError, match="C-contiguous"):
        mimkit.digest(X[:, ::2])


def test_data_matches_the_cli_npy_file(cli, tmp_path):
    X, y, _ = mimkit.data(d=5, n=300, r=2, link="z1*z2", seed=11, dataset="test", noise=0.25,
                          dtype="double")
    out = tmp_path / "d.npy"
    code, _, err = cli("data", "--d", "5", "--n", "300", "--r", "2", "--link", "z1*z2", "--seed",
                       "11", "--dataset", "test", "--noise", "0.25", "--dtype", "double",
                       "--format", "npy", "--out", str(out))
    assert code == 0, err
    assert np.array_equal(np.load(out), np.column_stack([X, y]))


def test_shapes_tiling_and_the_subspace():
    X, y, U = mimkit.data(d=64, n=1000, r=3, link="he2(z1)+z2*z3", seed=5, dtype="double")
    assert X.shape == (1000, 64) and y.shape == (1000,) and U.shape == (3, 64)
    assert X.flags.c_contiguous and X.flags.owndata
    np.testing.assert_allclose(U @ U.T, np.eye(3), atol=1e-12)
    # Labels are the link of z = U x (double precision: the library casts z to double).
    z = X @ U.T
    np.testing.assert_allclose(y, z[:, 0] ** 2 - 1 + z[:, 1] * z[:, 2], rtol=1e-12, atol=1e-12)
    # Rows are a function of (seed, dataset, row): any tiling gives the same bytes.
    X2, y2, _ = mimkit.data(d=64, n=1000, r=3, link="he2(z1)+z2*z3", seed=5, dtype="double",
                            tile_rows=7)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    # Datasets are independent draws.
    X3, _, U3 = mimkit.data(d=64, n=1000, r=3, seed=5, dataset="fit2", dtype="double")
    assert np.array_equal(U, U3) and not np.array_equal(X, X3)


def test_a_python_link_gives_the_bytes_of_the_same_spec():
    spec = mimkit.data(d=30, n=500, r=3, link="z1*z2 + 0.5*z3", seed=2, noise=0.1)
    python = mimkit.data(d=30, n=500, r=3, link=lambda z1, z2, z3: z1 * z2 + 0.5 * z3, seed=2,
                         noise=0.1)
    for a, b in zip(spec, python):
        assert np.array_equal(a, b)


def test_a_python_link_exception_propagates():
    calls = []

    def link(z1):
        calls.append(z1)
        if len(calls) == 40:
            raise ZeroDivisionError("from the link")
        return z1

    with pytest.raises(ZeroDivisionError, match="from the link"):
        mimkit.data(d=4, n=100, link=link)
    assert len(calls) == 40   # generation stopped at the failing row


def test_a_link_giving_nan_is_a_numerical_error():
    with pytest.raises(mimkit.NumericalError, match="^link: the label of row 0 of fit1 is not "
                       "finite"):
        mimkit.data(d=4, n=10, link=lambda z1: math.nan)
    with pytest.raises(TypeError, match="link"):
        mimkit.data(d=4, n=10, link=lambda z1: "one")
    with pytest.raises(TypeError, match="spec string or a callable"):
        mimkit.data(d=4, n=10, link=3)


@pytest.mark.parametrize("kwargs, field", [
    (dict(d=0, n=10), "d"),
    (dict(d=4, n=0), "n"),
    (dict(d=4, n=10, r=5), "r"),
    (dict(d=4, n=10, dataset="train"), "dataset"),
    (dict(d=4, n=10, link="he2(z2)"), "link"),
    (dict(d=4, n=10, noise=-1), "noise"),
    (dict(d=4, n=10, dtype="half"), "dtype"),
])
def test_data_errors_name_the_argument(kwargs, field):
    with pytest.raises(mimkit.ConfigError) as info:
        mimkit.data(**kwargs)
    assert info.value.field == field


@pytest.mark.parametrize("dtype", ["float", "double"])
def test_cli_export_u_is_the_models_subspace(cli, tmp_path, dtype):
    """mimkit data --export-u writes U: the same matrix mimkit.data returns, as .npy and CSV."""
    args = ["data", "--d", "12", "--r", "3", "--link", "z1*z2+z3", "--n", "4", "--seed", "5",
            "--dtype", dtype, "--format", "hash"]
    code, _, err = cli(*args, "--export-u", str(tmp_path / "u.npy"))
    assert code == 0, err
    code, _, err = cli(*args, "--export-u", str(tmp_path / "u.csv"))
    assert code == 0, err
    _, _, U = mimkit.data(d=12, r=3, link="z1*z2+z3", n=4, seed=5, dtype=dtype)
    from_npy = np.load(tmp_path / "u.npy")
    from_csv = np.loadtxt(tmp_path / "u.csv", delimiter=",")
    assert from_npy.dtype == np.float64 and from_npy.shape == (3, 12)
    assert np.array_equal(from_npy, U.astype(np.float64))
    assert np.array_equal(from_csv, from_npy)
    assert np.allclose(from_npy @ from_npy.T, np.eye(3), atol=1e-6)
