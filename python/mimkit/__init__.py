"""mimkit from Python: Gaussian multi-index data, layer-wise training and spectral baselines.

The C++ library does the work (same kernels, same bytes as the ``mimkit`` command-line tool);
this package turns keyword arguments into its configuration and its results into dicts and
numpy arrays.

- ``run(config=None, **keys) -> dict``: one run; the dict is the CLI's JSON report (same keys).
- ``data(d=, n=, ...) -> (X, y, U)``: samples of the model as numpy arrays, the bytes of
  ``mimkit data``.
- ``Trainer(...)``: init, ``train()``, ``network()`` / ``set_network()``,
  ``phase1_objective()``.
- ``sweep(preset=, grid=, seeds=)``: one dict per grid point x seed, the lines of ``mimkit sweep``.
- ``presets()``, ``keys()``, ``digest()``, ``compiled_isas()``, ``supported_isas()``.

Configuration keys (``keys()`` lists them with their defaults and ranges) are keyword
arguments, or a ``config`` dict, or ``config`` text of ``key = value`` lines; they apply in the
order preset, config, keywords, like the CLI's ``--preset``, ``--config``, ``--set``. Values may
be str, int, float or bool. Bad keys and values raise ``ConfigError`` (a ``ValueError``) whose
text is the library's, did-you-mean included, e.g. ``etaa: unknown key 'etaa' (did you mean
'eta1'?)``.

Execution options (never change a result): ``threads`` (1..256, default 1), ``arch`` (``auto``,
``scalar``, ``avx2``, ``avx512``, ``neon``; default ``$MIMKIT_ARCH`` or ``auto``) and ``dtype``
(``'float'`` or ``'double'``; this one does change the numbers).

The GIL is released while the library computes, so other Python threads run meanwhile. Ctrl-C
(SIGINT) stops a run between two steps and raises ``KeyboardInterrupt``; it is checked between
steps of phase 1, the spectral estimator and phase 2 and between tiles of ``data()``, not inside
``Trainer(...)``'s set-up or ``phase1_objective()``.

Errors are ``mimkit.Error`` subclasses carrying ``.code``, ``.field`` and ``.message``:
``ConfigError`` (also a ValueError), ``NumericalError`` (also an ArithmeticError: a run
diverged, or a link gave NaN), ``ArenaError`` (also a MemoryError), ``FileError`` (also an
OSError), ``InternalError`` (also a RuntimeError: a bug).
"""

import collections
import collections.abc
import json
import numbers
import os

from . import _core
from ._core import ArenaError, ConfigError, Error, FileError, InternalError, NumericalError

__version__ = _core.version()

__all__ = [
    "ArenaError", "ConfigError", "Error", "FileError", "InternalError", "Network",
    "NumericalError", "Trainer", "compiled_isas", "data", "digest", "git_commit", "keys",
    "presets", "run", "supported_isas", "sweep", "sweep_points",
]

_PYTHON_LINK = ("a Python callable is a link of mimkit.data() only: run(), Trainer and sweep() "
                "take a link spec such as 'he2(z1)+0.5*he2(z2)' (help(mimkit.data) says why)")


def _text(key, value):
    """A config value as the library's text: bools as true/false, floats round-trip exactly."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return repr(float(value))
    if key == "link" and callable(value):
        raise TypeError("link: " + _PYTHON_LINK)
    raise TypeError(f"{key}: a {type(value).__name__} is not a config value "
                    "(allowed: str, int, float, bool)")


def _error(field, message, code="invalid_argument"):
    """A ConfigError as the library raises them: str() is 'field: message'."""
    e = ConfigError(f"{field}: {message}")
    e.code, e.field, e.message = code, field, message
    return e


def _config(preset, config, keys):
    """A _core.Config from a preset name, a dict or "key = value" text, then keywords."""
    c = _core.Config()
    if preset is not None:
        try:
            c.apply_preset(preset)
        except ConfigError as e:  # the library names the CLI's flag
            raise _error("preset", e.message, e.code) from None
    if isinstance(config, str):
        c.apply_text(config, "config")
    elif isinstance(config, collections.abc.Mapping):
        for key, value in config.items():
            c.set(key, _text(key, value))
    elif config is not None:
        raise TypeError("config must be a dict, 'key = value' text or None, not "
                        f"{type(config).__name__}")
    for key, value in keys.items():
        c.set(key, _text(key, value))
    return c


def _isa(arch):
    """The ISA name for an arch request; None reads MIMKIT_ARCH, like the CLI."""
    if arch is None:
        return _core.select_isa(os.environ.get("MIMKIT_ARCH", "auto"), "MIMKIT_ARCH")
    return _core.select_isa(arch, "arch")


def run(config=None, *, preset=None, threads=1, arch=None, dtype="float", **keys):
    """Runs phase 1, the spectral estimator (if spectral=True), phase 2 and the metrics.

    Returns the CLI's JSON report as a dict: config, version, isa, dtype, threads,
    footprint_bytes, timings, phase1 {alignment, cosines, min_cosine, subspace_distance,
    per_direction, train_loss}, phase2 {test_error, train_loss}, spectral (when it ran), trace
    (when trace > 0), weights_digest. Example: ``mimkit.run(d=256, alpha=8, spectral=True)``.
    """
    c = _config(preset, config, keys)
    return json.loads(_core.run(c, _isa(arch), threads, dtype))


def data(*, d, n, r=1, link="he2(z1)", seed=0, dataset="fit1", noise=0.0, dtype="float",
         arch=None, tile_rows=256):
    """n samples of y = g(U x) + noise * xi as numpy arrays (X, y, U).

    X is (n, d), y is (n,), U is (r, d) with orthonormal rows, all of ``dtype`` ('float' is
    float32, 'double' float64) and C-contiguous: the same bytes as ``mimkit data`` with the same
    options (``mimkit.digest(X, y)`` equals its ``--format hash``), and the rows of dataset
    ``dataset`` ('fit1', 'fit2' or 'test') that a run with the same d, r, link, noise and seed
    trains on. Sample i is a pure function of (seed, dataset, i); tile_rows only sets how many
    rows are generated between two Ctrl-C checks.

    ``link`` is a spec ('he2(z1)+0.5*he2(z2)', 'z1*z2', 'relu(z1)', 'norm2', ...) or a Python
    callable g(z1, ..., zr) -> float, called once per sample with the GIL held (about a
    microsecond each). Its labels are bit-reproducible if it is a pure function written with
    + - * / and integer powers; libm functions (math.tanh, numpy ufuncs) may differ in the last
    bit between platforms. An exception it raises stops generation and propagates.

    Why a Python callable cannot be the link of run(), Trainer or sweep(): a run regenerates
    its test set (and in stream mode fit1 and fit2, online batches too) tile by tile inside
    training, on the worker threads. A Python link would run there, taking the GIL for every
    sample (serialising the workers) and allocating a Python float per call, breaking the
    contract that training does no heap allocation after set-up; and the library's run API
    takes the link as text, so it could not be passed anyway.
    """
    return _core.data(d, r, link, n, seed, dataset, float(noise), dtype, _isa(arch), tile_rows)


Network = collections.namedtuple("Network", "W b a")
Network.__doc__ = """The two-layer network f(x) = sum_j a_j sigma(W_j . x + b_j): W (m, d), b (m,), a (m,)."""


class Trainer:
    """A configured run, split into set-up and training, with access to the network.

    ``Trainer(config=None, *, preset=None, threads=1, arch=None, dtype='float', **keys)``
    validates the configuration, allocates the one arena the run needs (``footprint_bytes``),
    generates the data and initialises the network. The arena belongs to this object and is
    freed with it; every array it returns is a copy, valid for as long as you keep it, whatever
    happens to the Trainer. Its ``threads`` worker threads live as long as it does. One call at
    a time per Trainer (another thread gets a ValueError).
    """

    def __init__(self, config=None, *, preset=None, threads=1, arch=None, dtype="float", **keys):
        c = _config(preset, config, keys)
        self._core = _core.Trainer(c, _isa(arch), threads, dtype)
        self.dtype = dtype
        self.threads = threads

    def train(self):
        """Phase 1, the spectral estimator, phase 2 and the metrics: the report dict of run().
        Training starts from the current parameters: a second call continues from where the
        first left them (set_network() puts back an initialisation)."""
        return json.loads(self._core.train())

    def network(self):
        """Copies of the current parameters, a Network(W, b, a) of numpy arrays."""
        return Network(*self._core.network())

    def set_network(self, W, b, a):
        """Replaces the parameters: W (m, d), b (m,), a (m,), converted to the Trainer's dtype."""
        self._core.set_network(W, b, a)

    def phase1_objective(self, gradient=False):
        """The phase-1 loss (1/n1) sum loss(f(x_i), y_i) on fit1 at the current parameters;
        with gradient=True, (loss, G) with G its gradient in W, (m, d), without weight decay."""
        return self._core.phase1_objective(gradient)

    @property
    def U(self):
        """The hidden subspace U, (r, d) with orthonormal rows, of the Trainer's dtype (a copy)."""
        return self._core.subspace()

    @property
    def config(self):
        """The resolved configuration (n1 from alpha, dls22's T1 and beta1) as a dict."""
        return json.loads(self._core.config())

    @property
    def footprint_bytes(self):
        """Bytes of the arena this Trainer owns (the library's exact plan())."""
        return self._core.footprint()

    @property
    def isa(self):
        """The kernel set the Trainer runs."""
        return self._core.isa()


def presets():
    """The named configurations: dicts with name, description, settings, grid and seeds."""
    return _core.presets()


def keys():
    """Every config key with its one-line description (meaning, default, range), in order."""
    return dict(_core.keys())


def digest(*buffers):
    """FNV-1a (64-bit) of the bytes of C-contiguous buffers, fed in order, as 16 hex digits:
    ``digest(X, y)`` is ``mimkit data --format hash``, ``digest(W, b, a)`` a run's
    weights_digest."""
    return _core.digest(*buffers)


def compiled_isas():
    """The kernel sets built into this library, e.g. ['scalar', 'avx2', 'avx512']."""
    return _core.compiled_isas().split()


def supported_isas():
    """The compiled kernel sets this CPU and OS can run."""
    return _core.supported_isas()


def git_commit():
    """The git commit the library was built from, or 'unknown'."""
    return _core.git_commit()


from ._sweep import sweep, sweep_points  # noqa: E402  (uses _config, _isa and _text above)
