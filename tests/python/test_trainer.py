"""mimkit.Trainer: the network as numpy arrays, checked against computations written here."""
import gc

import numpy as np
import pytest

import mimkit

# normalize = false: phase 2 leaves W as phase 1 left it, so the report's phase-1 metrics
# describe the W that network() returns after train().
SMALL = dict(d=48, r=2, alpha=6, m=16, T1=25, normalize=False, seed=4, ntest=512, n2=1024)


def numpy_metrics(W, U):
    """alignment = ||W U^T||_F^2 / ||W||_F^2 and the principal cosines between span U and the
    top-r right singular subspace of W, in double precision."""
    W, U = W.astype(np.float64), U.astype(np.float64)
    alignment = np.sum((W @ U.T) ** 2) / np.sum(W ** 2)
    V = np.linalg.svd(W, full_matrices=False)[2][: U.shape[0]]
    cosines = np.linalg.svd(U @ V.T, compute_uv=False)
    return alignment, cosines


# The library measures in double from the stored W, as numpy_metrics does: only the order of
# the sums and the eigen-solver differ (measured: 2e-15 and 1e-15 in both dtypes).
@pytest.mark.parametrize("dtype", ["float", "double"])
def test_network_after_training_is_what_the_report_measured(dtype):
    t = mimkit.Trainer(dtype=dtype, **SMALL)
    report = t.train()
    W, b, a = t.network()
    assert W.shape == (16, 48) and b.shape == a.shape == (16,) and W.dtype == b.dtype == a.dtype
    assert mimkit.digest(W, b, a) == report["weights_digest"]
    alignment, cosines = numpy_metrics(W, t.U)
    assert alignment == pytest.approx(report["phase1"]["alignment"], rel=1e-12)
    np.testing.assert_allclose(cosines, report["phase1"]["cosines"], rtol=0, atol=1e-9)
    assert report == {**report, "config": t.config}   # the resolved config, n1 from alpha
    assert t.config["n1"] == 6 * 48


def test_the_trainer_and_data_share_one_subspace():
    t = mimkit.Trainer(**SMALL)
    _, _, U = mimkit.data(d=48, r=2, n=1, seed=4, link=t.config["link"])
    assert np.array_equal(t.U, U)


def phase1_numpy(X, y, W, b, a):
    """The squared loss of the logcosh network, (1/n) sum 1/2 (f - y)^2, and its gradient in W:
    G = D^T X / n with D = ((f - y) a^T) * tanh(Z), Z = X W^T + b (ALGORITHM.md section 3)."""
    Z = X @ W.T + b
    f = np.log(np.cosh(Z)) @ a
    res = f - y
    D = np.outer(res, a) * np.tanh(Z)
    return 0.5 * np.mean(res ** 2), D.T @ X / len(y)


# float: Z, f and G are accumulated in float32 over d = 48 terms and n1 = 288 rows, a relative
# error of a few 1e-7 (measured: loss 2e-9, G 2e-7); double: measured 1e-16 and 7e-16.
@pytest.mark.parametrize("dtype, tol", [("float", 1e-5), ("double", 1e-12)])
def test_phase1_objective_and_gradient_match_numpy_on_the_same_data(dtype, tol):
    t = mimkit.Trainer(dtype=dtype, **SMALL)
    cfg = t.config
    X, y, _ = mimkit.data(d=cfg["d"], n=cfg["n1"], r=cfg["r"], link=cfg["link"],
                          seed=cfg["seed"], noise=cfg["noise"], dtype=dtype)
    rng = np.random.default_rng(0)
    W = rng.standard_normal((16, 48)) * 0.3 / np.sqrt(48)
    b = rng.standard_normal(16) * 0.1
    a = rng.choice([-1.0, 1.0], 16)
    t.set_network(W, b, a)
    W, b, a = (v.astype(np.float64) for v in t.network())   # as stored (float32 rounding)
    loss, G = t.phase1_objective(gradient=True)
    want_loss, want_G = phase1_numpy(X.astype(np.float64), y.astype(np.float64), W, b, a)
    assert loss == pytest.approx(want_loss, rel=tol)
    assert np.linalg.norm(G - want_G) <= tol * np.linalg.norm(want_G)
    assert t.phase1_objective() == loss


def test_set_network_round_trips_and_checks_shapes():
    t = mimkit.Trainer(dtype="double", **SMALL)
    W0, b0, a0 = t.network()
    assert np.all(b0 == 0) and sorted(set(a0)) == [-1.0, 1.0]   # the symmetric initialisation
    W = np.arange(16 * 48, dtype=np.float64).reshape(16, 48) / 1000
    t.set_network(W, b0 + 1, a0 * 2)
    W1, b1, a1 = t.network()
    assert np.array_equal(W1, W) and np.array_equal(b1, b0 + 1) and np.array_equal(a1, a0 * 2)
    with pytest.raises(ValueError, match=r"^W: W must have shape \(m, d\) = \(16, 48\)"):
        t.set_network(W.T, b1, a1)
    with pytest.raises(ValueError, match="^a: "):
        t.set_network(W, b1, a1[:3])


def test_arrays_are_copies_that_outlive_the_trainer():
    t = mimkit.Trainer(**SMALL)
    net = t.network()
    U = t.U
    net.W[:] = 7
    U[:] = 0
    assert not np.any(t.network().W == 7) and np.any(t.U != 0)
    t.train()
    W_trained = t.network().W
    del t
    gc.collect()
    # Dropping the Trainer (and its arena) first leaves every array intact and usable.
    assert np.all(net.W == 7) and np.isfinite(W_trained).all() and W_trained.sum() != 0
    # ... and the other order: arrays first, then the Trainer.
    t2 = mimkit.Trainer(**SMALL)
    arrays = t2.network()
    del arrays
    gc.collect()
    assert t2.train()["config"]["m"] == 16
    del t2
    gc.collect()


def test_train_gives_the_report_of_run():
    report = mimkit.Trainer(**SMALL).train()
    assert report["weights_digest"] == mimkit.run(**SMALL)["weights_digest"]


def test_trainer_reports_its_footprint_and_isa():
    t = mimkit.Trainer(arch="scalar", **SMALL)
    assert t.isa == "scalar" and t.footprint_bytes == t.train()["footprint_bytes"] > 0
