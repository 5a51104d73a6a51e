"""Regenerate the typed clients from their OpenAPI descriptions (used by `make generate` and
`make check-generated`): the gateway's from openapi.yaml, the Function Builder's from builder-openapi.yaml.

openapi-python-client renders our templates (generator-templates/) for each: msgspec structs for the schemas,
which are also the public result types, and a typed `request(...)` per operation.

Runs the pinned openapi-python-client into a scratch folder, then compares the warnings it printed with
`generator-warnings.txt`: a warning that is not listed there (with its reason) fails the run. The target
folder is replaced only when generation succeeded, so a broken spec never leaves a half-deleted client.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# package -> (its description, the folder that receives it)
PACKAGES = {
    "pyopenfaas_generated": ("openapi.yaml", "generated"),
    "_generated_builder": ("builder-openapi.yaml", "wrapper/pyopenfaas"),
}
WARNING = re.compile(r"^WARNING (.+)$", re.MULTILINE)


def listed_warnings() -> set[str]:
    text = (ROOT / "generator-warnings.txt").read_text()
    return {line.split("  #", 1)[0].strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output", type=Path, help="one folder that receives every package (default: their own)")
    parser.add_argument("--spec", type=Path, help="the gateway's description, in place of openapi.yaml")
    args = parser.parse_args()
    for package, (spec, folder) in PACKAGES.items():
        source = args.spec if args.spec and spec == "openapi.yaml" else ROOT / spec
        status = generate(source, (args.output or ROOT / folder) / package)
        if status:
            return status
    return 0


def generate(spec: Path, target: Path) -> int:
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".generate-", dir=target.parent) as scratch:
        status = generate_into(spec, Path(scratch) / target.name)
        if status == 0:
            if target.exists():
                shutil.rmtree(target)
            (Path(scratch) / target.name).rename(target)
            print(f"generated {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
    return status


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


if __name__ == "__main__":
    sys.exit(main())
