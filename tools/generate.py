"""Regenerate the typed gateway client from openapi.yaml, or with `--builder` the Function Builder's from
builder-openapi.yaml (used by `make generate` and `make check-generated`).

openapi-python-client renders our templates (generator-templates/): msgspec structs for the schemas, which are
also the public result types, and a typed `request(...)` per operation. It writes the package
`wrapper/pyopenfaas/_generated/` (a real folder, shipped as `pyopenfaas._generated`), with a copy of
openapi.yaml in it, which the contract check (`pyopenfaas._spec`) reads. Operations marked `x-not-generated`
(with the reason the wrapper writes them by hand) are left out of what the generator sees; the copy is whole.
The builder's package is `wrapper/pyopenfaas/_generated_builder/`, made with the same templates; its `types.py`
re-exports the gateway package's, so both share one `Request` and one `Model`.

Runs the pinned openapi-python-client into a scratch folder, then compares the warnings it printed with
`generator-warnings.txt`: a warning that is not listed there (with its reason) fails the run. The target
folder is replaced only when generation succeeded, so a broken spec never leaves a half-deleted client.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "pyopenfaas_generated"
SKIP = "x-not-generated"
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
WARNING = re.compile(r"^WARNING (.+)$", re.MULTILINE)
SHARED_TYPES = """\"\"\"The gateway package's `types`, which this package shares.\"\"\"

from pyopenfaas._generated.types import *  # noqa: F403
"""


def listed_warnings() -> set[str]:
    text = (ROOT / "generator-warnings.txt").read_text()
    return {line.split("  #", 1)[0].strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--builder", action="store_true", help="the Function Builder's package, not the gateway's")
    parser.add_argument("--output", type=Path, help="the package folder")
    parser.add_argument("--spec", type=Path, help="the OpenAPI description")
    args = parser.parse_args()
    name = "_generated_builder" if args.builder else "_generated"
    target: Path = args.output or ROOT / "wrapper" / "pyopenfaas" / name
    spec: Path = args.spec or ROOT / ("builder-openapi.yaml" if args.builder else "openapi.yaml")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".generate-", dir=target.parent) as scratch:
        package = Path(scratch) / PACKAGE
        filtered = Path(scratch) / "openapi.yaml"
        filtered.write_text(yaml.safe_dump(generated_part(yaml.safe_load(spec.read_text())), sort_keys=False))
        status = generate_into(filtered, package)
        if status == 0:
            if args.builder:
                (package / "types.py").write_text(SHARED_TYPES)
            else:  # the contract check reads the gateway's spec; the name rule is the gateway's
                shutil.copyfile(spec, package / "openapi.yaml")
                write_rules(spec, package)
            if target.exists():
                shutil.rmtree(target)
            package.rename(target)
            print(f"generated {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
    return status


def generated_part(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec without the operations marked `x-not-generated` (and the paths left with none)."""
    paths = {}
    for path, item in spec.get("paths", {}).items():
        kept = {key: value for key, value in item.items() if key not in METHODS or SKIP not in value}
        if METHODS & kept.keys():
            paths[path] = kept
    return {**spec, "paths": paths}


def generate_into(spec: Path, target: Path) -> int:
    bin_dir = Path(sys.executable).parent
    run = subprocess.run(
        [
            str(bin_dir / "openapi-python-client"),
            "generate",
            "--path",
            str(spec),
            "--config",
            str(ROOT / "generator-config.yaml"),
            "--custom-template-path",
            str(ROOT / "generator-templates"),
            "--meta",
            "none",
            "--output-path",
            str(target),
        ],
        capture_output=True,
        text=True,
        env={"PATH": f"{bin_dir}:/usr/bin:/bin", "LC_ALL": "C.UTF-8"},
        check=False,
    )
    output = run.stdout + run.stderr
    if run.returncode != 0 or "Error(s) encountered" in output or "not in PATH" in output:
        print(output, file=sys.stderr)
        print("generate: openapi-python-client failed", file=sys.stderr)
        return 1
    unexpected = set(WARNING.findall(output)) - listed_warnings()
    if unexpected:
        print(output, file=sys.stderr)
        print("generate: warnings not listed in generator-warnings.txt:", file=sys.stderr)
        for warning in sorted(unexpected):
            print(f"  {warning}", file=sys.stderr)
        return 1
    return 0


def write_rules(spec: Path, target: Path) -> None:
    """`rules.py`: the `Name` schema's constraints, which openapi-python-client does not carry (it makes no
    module for a string schema); the wrapper checks names with them before sending, the fake as providers do."""
    name = yaml.safe_load(spec.read_text())["components"]["schemas"]["Name"]
    (target / "rules.py").write_text(
        f'"""openapi.yaml\'s `Name` schema: {name["description"]}"""\n\n'
        f"NAME_PATTERN = {json.dumps(name['pattern'])}\n"
        f"NAME_MAX_LENGTH = {int(name['maxLength'])}\n"
    )


if __name__ == "__main__":
    sys.exit(main())
