"""`python -m pyopenfaas.testing --demo`: the guides' set-up, served, and export lines that really point at it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import httpx
import pytest
from pyopenfaas import OpenFaaS
from pyopenfaas.builder import FunctionBuilder


def _exports(process: subprocess.Popen[str]) -> dict[str, str]:
    assert process.stdout is not None
    environment = {}
    for line in process.stdout:
        if line.strip().startswith("export "):
            name, _, value = line.strip().removeprefix("export ").partition("=")
            environment[name] = value
            if name == "IDP_CLIENT_SECRET":  # the last line of the banner
                break
    return environment


# `python -m pyopenfaas.testing` as a terminal runs it: a test run from a background job (`make check &`) would
# pass its ignored SIGINT on, and Python leaves an ignored SIGINT ignored.
CTRL_C_ENABLED = (
    "import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "sys.argv[0] = 'pyopenfaas.testing'; runpy.run_module('pyopenfaas.testing', run_name='__main__')"
)


def test_demo_serves_what_its_banner_exports() -> None:
    pytest.importorskip("jwt", reason="the demo's IAM lines need pyopenfaas[testing] (PyJWT, cryptography)")
    process = subprocess.Popen(
        [sys.executable, "-c", CTRL_C_ENABLED, "--demo", "--port", "0"], stdout=subprocess.PIPE, text=True
    )
    try:
        exported = _exports(process)
        assert set(exported) == {
            "OPENFAAS_URL",
            "OPENFAAS_USER",
            "OPENFAAS_PASSWORD",
            "DEMO_BEARER_TOKEN",
            "BUILDER_URL",
            "BUILDER_PAYLOAD_SECRET",
            "token_mount_path",
            "IDP_TOKEN_URL",
            "IDP_CLIENT_ID",
            "IDP_CLIENT_SECRET",
        }
        with OpenFaaS(env=exported) as client:
            assert client.functions.invoke("figlet", "Hello").text == "HELLO"
            entries = [entry.text for entry in client.functions.logs("figlet", tail=1)]
            assert entries == ["POST / - 200 OK - ContentLength: 5B"]
        with FunctionBuilder(exported["BUILDER_URL"], hmac_secret=exported["BUILDER_PAYLOAD_SECRET"]) as builder:
            assert builder.public_key()
        assert os.path.exists(os.path.join(exported["token_mount_path"], "openfaas-token"))
        # Without the exported password (or token) the gateway refuses /system/*.
        assert httpx.get(exported["OPENFAAS_URL"] + "/system/functions").status_code == 401
        bearer = {"Authorization": f"Bearer {exported['DEMO_BEARER_TOKEN']}"}
        assert httpx.get(exported["OPENFAAS_URL"] + "/system/functions", headers=bearer).status_code == 200
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        finally:
            if process.poll() is None:  # never leave a server behind, even when the test fails
                process.kill()
                process.wait()
    assert process.returncode == 0
    assert not os.path.exists(exported["token_mount_path"])  # its temporary folder goes with it


def test_demo_refuses_auth_options() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pyopenfaas.testing", "--demo", "--auth"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert "--demo sets up its own auth: leave out --auth" in result.stderr
