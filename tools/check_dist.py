"""Check the built wheel and sdist (make check-dist): metadata, and exactly the files a user should get.

The wheel must hold every tracked file of the package (the generated client in pyopenfaas/_generated included),
with pyopenfaas/_generated/openapi.yaml byte for byte the repository's openapi.yaml (the contract check reads it),
py.typed, the licence and the pytest plugin's entry point, with README.md as its long description; neither
archive may hold tests, benchmarks or examples. Then the wheel is installed, as the README tells a user to
(`pip install dist/pyopenfaas-*.whl`), into a fresh virtual environment, which must import it from there and
answer `python -m pyopenfaas.testing --help` with the `--demo` option. The dependencies come from this
environment (a `.pth` file), so the check needs no network. Usage: python tools/check_dist.py DIST_FOLDER
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import venv
import zipfile
from email.parser import Parser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "wrapper/pyopenfaas"
FORBIDDEN = ("tests/", "benchmarks/", "examples/", "docs/", "tools/", ".venv/", "__pycache__")
SPEC_IN_WHEEL = "pyopenfaas/_generated/openapi.yaml"
SDIST_REQUIRED = {"pyproject.toml", "README.md", "LICENSE", "openapi.yaml", "PKG-INFO"}


def tracked(folder: str) -> list[str]:
    out = subprocess.run(["git", "ls-files", folder], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line]


def expected_wheel_files() -> set[str]:
    return {"pyopenfaas/" + path.removeprefix(PACKAGE + "/") for path in tracked(PACKAGE)}


def check_metadata(text: str, where: str, problems: list[str]) -> None:
    meta = Parser().parsestr(text)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    version = {}
    exec((ROOT / PACKAGE / "_version.py").read_text(encoding="utf-8"), version)  # noqa: S102 - our own file
    wanted = {
        "Name": "pyopenfaas",
        "Version": version["__version__"],
        "License-Expression": "MIT",
        "Requires-Python": ">=3.11",
        "Description-Content-Type": "text/markdown",
    }
    for field, value in wanted.items():
        if meta.get(field) != value:
            problems.append(f"{where}: {field} is {meta.get(field)!r}, expected {value!r}")
    if meta.get_payload().strip() != readme.strip():
        problems.append(f"{where}: the long description is not README.md")


def check_wheel(path: Path, problems: list[str]) -> None:
    with zipfile.ZipFile(path) as wheel:
        names = set(wheel.namelist())
        dist_info = next(name.split("/")[0] for name in names if name.split("/")[0].endswith(".dist-info"))
        check_metadata(wheel.read(f"{dist_info}/METADATA").decode(), path.name, problems)
        entry_points = wheel.read(f"{dist_info}/entry_points.txt").decode()
        if SPEC_IN_WHEEL in names and wheel.read(SPEC_IN_WHEEL) != (ROOT / "openapi.yaml").read_bytes():
            problems.append(f"{path.name}: {SPEC_IN_WHEEL} is not the repository's openapi.yaml")
    package = {name for name in names if not name.startswith(dist_info)}
    for missing in sorted(expected_wheel_files() - package):
        problems.append(f"{path.name}: {missing} is missing")
    for extra in sorted(package - expected_wheel_files()):
        problems.append(f"{path.name}: {extra} should not be shipped")
    for required in (
        SPEC_IN_WHEEL,
        "pyopenfaas/py.typed",
        "pyopenfaas/_generated/__init__.py",
        "pyopenfaas/_sync/client.py",
    ):
        if required not in package:
            problems.append(f"{path.name}: {required} is missing")
    if f"{dist_info}/licenses/LICENSE" not in names:
        problems.append(f"{path.name}: the LICENSE file is missing")
    if "pyopenfaas = pyopenfaas.testing._pytest_plugin" not in entry_points:
        problems.append(f"{path.name}: the pytest11 entry point is missing")


def check_sdist(path: Path, problems: list[str]) -> None:
    with tarfile.open(path) as sdist:
        members = sdist.getmembers()
        top = members[0].name.split("/")[0]
        names = {member.name.removeprefix(top + "/") for member in members}
        pkg_info = sdist.extractfile(f"{top}/PKG-INFO")
        assert pkg_info is not None
        check_metadata(pkg_info.read().decode(), path.name, problems)
    for required in sorted(SDIST_REQUIRED - names):
        problems.append(f"{path.name}: {required} is missing")
    for needed in tracked(PACKAGE):
        if needed not in names:
            problems.append(f"{path.name}: {needed} is missing")
    for name in sorted(names):
        if name.startswith(FORBIDDEN) or "/__pycache__/" in name:
            problems.append(f"{path.name}: {name} should not be shipped")


def check_install(wheel: Path, problems: list[str]) -> None:
    """Install the wheel alone into a fresh venv and use it from there."""
    with tempfile.TemporaryDirectory(prefix="pyopenfaas-wheel-") as folder:
        env = Path(folder, "venv")
        venv.EnvBuilder(with_pip=False).create(env)
        python = env / "bin" / "python"
        site = Path(
            subprocess.run(
                [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
        )
        # The wheel, unpacked as pip would (no network, no dependency resolution).
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(site)  # noqa: S202 - the wheel we just built and checked
        (site / "zz-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
        script = (
            "import pathlib, sys, pyopenfaas, pyopenfaas.testing;"
            f"sys.exit(0 if pathlib.Path(pyopenfaas.__file__).is_relative_to({str(site)!r}) else 3)"
        )
        result = subprocess.run([python, "-c", script], capture_output=True, text=True, check=False)
        if result.returncode != 0:
            problems.append(f"the installed wheel does not import from its venv: {result.returncode} {result.stderr}")
            return
        demo = subprocess.run(
            [python, "-m", "pyopenfaas.testing", "--help"], capture_output=True, text=True, check=False
        )
        if demo.returncode != 0 or "--demo" not in demo.stdout:
            problems.append(f"python -m pyopenfaas.testing --help from the wheel failed: {demo.stderr}")


def main(folder: str) -> int:
    dist = Path(folder)
    wheels, sdists = sorted(dist.glob("*.whl")), sorted(dist.glob("*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        print(f"expected one wheel and one sdist in {dist}, found {[p.name for p in dist.iterdir()]}")
        return 1
    problems: list[str] = []
    check_wheel(wheels[0], problems)
    check_sdist(sdists[0], problems)
    if not problems:
        check_install(wheels[0], problems)
    for problem in problems:
        print(problem)
    if not problems:
        print(f"{wheels[0].name} and {sdists[0].name}: metadata and contents as expected; the wheel installs and runs")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
