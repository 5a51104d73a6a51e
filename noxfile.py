"""`make matrix`: the test suite against the oldest and the newest versions pyproject.toml allows, per Python.

Every session is one Python (3.11 to 3.13) and one end of the ranges: ``newest`` installs the latest release of
every dependency; ``oldest`` pins each runtime dependency (and the ``builder``/``testing`` extras) to the lower
bound pyproject.toml declares, so a bound that no longer holds fails here. The test tools (pytest, hypothesis,
...) are the newest in both. A Python that is not installed is skipped with a message, not failed (CI is sure to
have 3.11 only); interpreters are found on PATH or in pyenv's folder, never downloaded.

    nox                                  # every session
    nox -s "tests-3.11(oldest)"          # one
    nox -- -x -q                         # arguments after -- go to pytest
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import nox
from packaging.requirements import Requirement
from packaging.version import Version

nox.options.error_on_missing_interpreters = False  # nox fails on a missing Python when $CI is set: skip instead
nox.options.download_python = "never"
nox.options.default_venv_backend = "venv"
nox.options.sessions = ["tests"]

ROOT = Path(__file__).parent
PYTHONS = ["3.11", "3.12", "3.13"]
# The extras whose lower bounds count: the runtime dependencies' and the optional features'. The test tools
# (the `test` extra's own entries) are always the newest.
RUNTIME_EXTRAS = ["builder", "testing"]
PYTEST_ARGS = ["-q", "-p", "no:cacheprovider"]
PINNED_TOOLS = [
    line
    for line in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["dev"]
    if "==" in line
]


def _find_pyenv_pythons() -> None:
    """Put pyenv's interpreters on PATH ahead of its shims, which fail for a version that is not the global one."""
    folders = [
        str(path.parent)
        for version in PYTHONS
        for path in Path.home().glob(f".pyenv/versions/{version}.*/bin/python{version}")
    ]
    os.environ["PATH"] = os.pathsep.join([*folders, os.environ.get("PATH", "")])


def lowest_pins(python: str) -> list[str]:
    """`name==lower-bound` for every runtime requirement that applies on `python` ("3.12"): the highest lower
    bound when several do (a later Python may need a later release)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in RUNTIME_EXTRAS:
        requirements += project["optional-dependencies"][extra]
    pins: dict[str, Version] = {}
    for line in requirements:
        requirement = Requirement(line)
        if requirement.marker and not requirement.marker.evaluate({"python_version": python}):
            continue
        lower = [Version(spec.version) for spec in requirement.specifier if spec.operator in (">=", "==", "~=")]
        if len(lower) != 1:
            raise ValueError(f"{line!r}: a runtime requirement needs one lower bound for the oldest session")
        pins[requirement.name] = max(lower[0], pins.get(requirement.name, lower[0]))
    return [f"{name}=={version}" for name, version in pins.items()]


_find_pyenv_pythons()


@nox.session(python=PYTHONS)
@nox.parametrize("versions", [nox.param("oldest", id="oldest"), nox.param("newest", id="newest")])
def tests(session: nox.Session, versions: str) -> None:
    """The test suite with the oldest or the newest allowed versions."""
    if versions == "oldest":
        constraints = Path(session.create_tmp()) / "oldest.txt"
        constraints.write_text("\n".join(lowest_pins(str(session.python))) + "\n")
        session.install("-e", ".[test]", "-c", str(constraints))
    else:
        session.install("--upgrade", "-e", ".[test]")
    # The dev tools the tests run (the generator, unasync, ruff: pinned), and requests (test_schema, benchmarks).
    session.install("requests", *PINNED_TOOLS)
    session.run("python", "-m", "pip", "list", "--format=freeze", silent=False)
    session.run("python", "-m", "pytest", *PYTEST_ARGS, *session.posargs)
