"""The loop the SDK exists for: a property added to a response schema in openapi.yaml reaches the public result
type through the generator alone, with no hand edit (run on a scratch copy of the spec and of the package)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]

READ_THE_NEW_FIELD = textwrap.dedent(
    """
    import httpx
    from pyopenfaas import Function, OpenFaaS

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"name": "figlet", "image": "img:1", "ownerTeam": "edge"})

    with OpenFaaS("http://gateway.test:8080", env={}, transport=httpx.MockTransport(answer)) as client:
        function = client.functions.get("figlet")
    assert isinstance(function, Function)
    print(function.owner_team)
    """
)


def test_a_property_added_to_a_response_schema_reaches_the_public_type(tmp_path: Path) -> None:
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text())
    spec["components"]["schemas"]["FunctionStatus"]["properties"]["ownerTeam"] = {"type": "string"}
    changed = tmp_path / "openapi.yaml"
    changed.write_text(yaml.safe_dump(spec, sort_keys=False))

    package = tmp_path / "site" / "pyopenfaas"
    shutil.copytree(ROOT / "wrapper" / "pyopenfaas", package, ignore=shutil.ignore_patterns("_generated"))
    generate = [sys.executable, str(ROOT / "tools" / "generate.py"), "--spec", str(changed)]
    subprocess.run([*generate, "--output", str(package / "_generated")], check=True, capture_output=True)

    run = subprocess.run(
        [sys.executable, "-c", READ_THE_NEW_FIELD],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(tmp_path / "site"), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "edge"
