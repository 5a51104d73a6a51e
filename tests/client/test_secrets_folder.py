"""client.secrets.apply_folder against the fake gateway (faas-netes and faasd), from faas-cli's `secret apply`:
one secret per file of `.secrets/` named after the file, sub-folders ignored, an invalid name or an empty value
skipped, surrounding whitespace trimmed by default; existing secrets updated in place, the rest created."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyopenfaas import AppliedSecret, AsyncOpenFaaS, OpenFaaS
from pyopenfaas.testing import FakeGateway

FLAVOURS = pytest.mark.parametrize(
    "flavour",
    [
        pytest.param("faas-netes", marks=pytest.mark.fake_gateway(flavour="faas-netes")),
        pytest.param("faasd", marks=pytest.mark.fake_gateway(flavour="faasd")),
    ],
)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with a `.secrets/` folder, the current folder for the test."""
    secrets = tmp_path / ".secrets"
    (secrets / "nested").mkdir(parents=True)
    (secrets / "nested" / "ignored").write_text("never read")
    (secrets / "db-password").write_text("  hunter2\n")
    (secrets / "api-key").write_text("k-1\n")
    (secrets / "tls.crt").write_bytes(b"\x00\x01binary\xff")
    (secrets / ".gitignore").write_text("*\n")
    (secrets / "Bad_Name").write_text("x")
    (secrets / "empty").write_text(" \n")
    monkeypatch.chdir(tmp_path)
    return secrets


@FLAVOURS
def test_apply_folder(flavour: str, openfaas_client: OpenFaaS, fake_gateway: FakeGateway, folder: Path) -> None:
    openfaas_client.secrets.create("api-key", "old")
    before = len(fake_gateway.requests)
    applied = openfaas_client.secrets.apply_folder()  # .secrets in the current folder, as faas-cli
    assert [(a.name, a.status) for a in applied] == [
        (".gitignore", "skipped"),
        ("Bad_Name", "skipped"),
        ("api-key", "updated"),
        ("db-password", "created"),
        ("empty", "skipped"),
        ("tls.crt", "created"),
    ]
    assert "invalid secret name" in applied[0].reason
    assert applied[4] == AppliedSecret("empty", "skipped", "the file is empty")
    assert fake_gateway.secret_value("api-key") == b"k-1"
    assert fake_gateway.secret_value("db-password") == b"hunter2"
    assert fake_gateway.secret_value("tls.crt") == b"\x00\x01binary\xff"
    sent = [(r.method, r.path) for r in fake_gateway.requests[before:]]
    assert sent == [
        ("GET", "/system/secrets"),
        ("PUT", "/system/secrets"),
        ("POST", "/system/secrets"),
        ("POST", "/system/secrets"),
    ]
    assert "hunter2" not in repr(applied)


def test_untrimmed_values_and_a_path_as_text(
    tmp_path: Path, openfaas_client: OpenFaaS, fake_gateway: FakeGateway
) -> None:
    (tmp_path / "token").write_bytes(b"abc\n")
    applied = openfaas_client.secrets.apply_folder(tmp_path, trim=False)
    assert applied == [AppliedSecret("token", "created")]
    assert fake_gateway.secret_value("token") == b"abc\n"
    (tmp_path / "token").write_bytes(b"def")
    assert openfaas_client.secrets.apply_folder(str(tmp_path)) == [AppliedSecret("token", "updated")]
    assert fake_gateway.secret_value("token") == b"def"


def test_nothing_to_send_sends_nothing(tmp_path: Path, openfaas_client: OpenFaaS, fake_gateway: FakeGateway) -> None:
    (tmp_path / "UPPER").write_text("x")
    assert [a.status for a in openfaas_client.secrets.apply_folder(tmp_path)] == ["skipped"]
    assert fake_gateway.requests == []


def test_a_missing_folder_is_refused(tmp_path: Path, openfaas_client: OpenFaaS, fake_gateway: FakeGateway) -> None:
    with pytest.raises(NotADirectoryError, match=r"secrets folder .*nowhere.* is not a folder"):
        openfaas_client.secrets.apply_folder(tmp_path / "nowhere")
    assert fake_gateway.requests == []


@pytest.mark.fake_gateway(flavour="faasd", ce_limits=False)  # namespaces, as on faasd Pro
def test_in_a_namespace(tmp_path: Path, openfaas_client: OpenFaaS, fake_gateway: FakeGateway) -> None:
    openfaas_client.namespaces.create("staging")
    (tmp_path / "token").write_text("abc")
    openfaas_client.secrets.create("token", "old")  # the same name elsewhere is not this one
    before = len(fake_gateway.requests)
    assert openfaas_client.secrets.apply_folder(tmp_path, "staging") == [AppliedSecret("token", "created")]
    assert fake_gateway.secret_value("token", namespace="staging") == b"abc"
    assert fake_gateway.secret_value("token") == b"old"
    assert fake_gateway.requests[before].query == "namespace=staging"


@pytest.mark.anyio
async def test_async_apply_folder(
    async_openfaas_client: AsyncOpenFaaS, fake_gateway: FakeGateway, folder: Path
) -> None:
    applied = await async_openfaas_client.secrets.apply_folder(folder)
    assert [a.name for a in applied if a.status == "created"] == ["api-key", "db-password", "tls.crt"]
    assert fake_gateway.secret_value("db-password") == b"hunter2"
