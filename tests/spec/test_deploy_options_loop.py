"""Deployment fields and the name rule come from openapi.yaml alone: a property added to `FunctionDeployment`
becomes a keyword of `functions.deploy`, and a changed `Name` schema changes what the client refuses, through the
generator with no hand edit (run on a scratch copy of the spec and of the package)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]

DEPLOY_WITH_THE_NEW_FIELD = textwrap.dedent(
    """
    import json
    import httpx
    from pyopenfaas import DeployOptions, OpenFaaS

    sent = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content))
        return httpx.Response(202)

    with OpenFaaS("http://gateway.test:8080", env={}, transport=httpx.MockTransport(answer)) as client:
        client.functions.deploy("figlet", "img:1", owner_team="edge")
        try:
            client.functions.deploy("a" * 21, "img:1")
        except ValueError as error:
            print(error)
        try:
            client.functions.deploy("figlet", "img:1", deprecated_field="x")
        except TypeError as error:
            print(error)
    print(sorted(DeployOptions.__optional_keys__ & {"owner_team", "deprecated_field"}))
    print(sent)
    """
)


def test_a_deployment_field_and_the_name_rule_reach_the_client_from_the_spec(tmp_path: Path) -> None:
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text())
    schemas = spec["components"]["schemas"]
    schemas["FunctionDeployment"]["properties"]["ownerTeam"] = {"type": "string"}
    schemas["FunctionDeployment"]["properties"]["deprecatedField"] = {"type": "string", "deprecated": True}
    schemas["Name"]["maxLength"] = 20
    changed = tmp_path / "openapi.yaml"
    changed.write_text(yaml.safe_dump(spec, sort_keys=False))

    package = tmp_path / "site" / "pyopenfaas"
    shutil.copytree(ROOT / "wrapper" / "pyopenfaas", package, ignore=shutil.ignore_patterns("_generated"))
    generate = [sys.executable, str(ROOT / "tools" / "generate.py"), "--spec", str(changed)]
    subprocess.run([*generate, "--output", str(package / "_generated")], check=True, capture_output=True)

    run = subprocess.run(
        [sys.executable, "-c", DEPLOY_WITH_THE_NEW_FIELD],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(tmp_path / "site"), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert run.returncode == 0, run.stderr
    too_long, unknown, options, bodies = run.stdout.splitlines()
    assert too_long.startswith(f"invalid function name {'a' * 21!r}: use at most 20 ")
    assert unknown.startswith("unexpected keyword argument 'deprecated_field'")  # deprecated fields are left out
    assert options == "['owner_team']"
    assert bodies == str([{"service": "figlet", "image": "img:1", "ownerTeam": "edge"}])
