"""The IAM switches of the pytest fixtures and of `python -m pyopenfaas.testing`."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from pyopenfaas import AsyncOpenFaaS, OpenFaaS
from pyopenfaas.auth import ServiceAccountTokenSource, TokenExchangeAuth
from pyopenfaas.testing import FakeGateway
from pyopenfaas.testing.__main__ import main

pytestmark = pytest.mark.anyio


@pytest.mark.fake_gateway(iam=True)
def test_the_fixture_clients_use_iam(fake_gateway: FakeGateway, openfaas_client: OpenFaaS) -> None:
    assert fake_gateway.iam is not None
    fake_gateway.deploy("secure", env_vars={"jwt_auth": "true"})
    assert openfaas_client.functions.invoke("secure", b"x", function_auth=True).content == b"x"
    assert [fn.name for fn in openfaas_client.functions.list()] == ["secure"]
    assert (fake_gateway.iam.exchanges, fake_gateway.iam.function_exchanges) == (1, 1)


@pytest.mark.fake_gateway(iam=True)
async def test_the_async_fixture_client_uses_iam(
    fake_gateway: FakeGateway, async_openfaas_client: AsyncOpenFaaS
) -> None:
    fake_gateway.deploy("secure", env_vars={"jwt_auth": "true"})
    assert (await async_openfaas_client.functions.invoke("secure", b"y")).content == b"y"


def test_without_the_switch_there_is_no_iam(fake_gateway: FakeGateway) -> None:
    assert fake_gateway.iam is None


def test_the_command_line_serves_iam_and_mounts_a_token(tmp_path: Path) -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "pyopenfaas.testing", "--port", "0", "--iam", "--token-mount-path", str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
    ) as server:
        try:
            assert server.stdout is not None
            line = server.stdout.readline()
            match = re.search(r"\(faas-netes, IAM auth on /system/\*\) listening on (http://\S+)", line)
            assert match, line
            exports = [server.stdout.readline().strip() for _ in range(3)]
            assert exports[1:] == [
                f"export OPENFAAS_URL={match.group(1)}",
                f"export token_mount_path={tmp_path}  # a service-account token",
            ]
            source = ServiceAccountTokenSource(tmp_path / "openfaas-token")
            with OpenFaaS(match.group(1), auth=TokenExchangeAuth(source), env={}) as client:
                assert client.functions.list() == []
        finally:
            server.terminate()


@pytest.mark.fake_gateway(iam=True)
def test_openfaas_env_mounts_a_service_account_token(fake_gateway: FakeGateway, openfaas_env: str) -> None:
    fake_gateway.deploy("secure", env_vars={"jwt_auth": "true"})
    with OpenFaaS(auth=TokenExchangeAuth(ServiceAccountTokenSource()), function_auth=True) as client:
        assert client.base_url == openfaas_env
        assert client.functions.invoke("secure", b"from env").content == b"from env"


def test_the_command_line_refuses_iam_options_without_iam(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        main(["--token-mount-path", str(tmp_path)])
