"""Shared fixtures: the CLI built next to the module (MIMKIT_CLI, set by tests/python/meson.build)
and the source tree (MIMKIT_SOURCE_ROOT)."""
import json
import os
import pathlib
import subprocess

import pytest

import mimkit


@pytest.fixture(scope="session")
def source_root():
    return pathlib.Path(os.environ.get("MIMKIT_SOURCE_ROOT", pathlib.Path(__file__).parents[2]))


@pytest.fixture(scope="session")
def cli():
    """Runs `mimkit ARGS...`; returns (exit code, stdout, stderr). Skips without the CLI."""
    path = os.environ.get("MIMKIT_CLI")
    if not path:
        pytest.skip("MIMKIT_CLI is not set (the CLI was not built: -Dcli=false)")

    def call(*args):
        p = subprocess.run([path, *args], capture_output=True, text=True, timeout=300)
        return p.returncode, p.stdout, p.stderr

    return call


@pytest.fixture(scope="session")
def cli_json(cli):
    """Runs `mimkit ARGS...` that prints one JSON document; returns it parsed."""
    def call(*args):
        code, out, err = cli(*args)
        assert code == 0, err
        return json.loads(out)

    return call


@pytest.fixture(scope="session")
def child_env():
    """Environment for a child Python that imports the mimkit under test, from any directory."""
    return {**os.environ, "PYTHONPATH": os.path.dirname(os.path.dirname(mimkit.__file__))}
