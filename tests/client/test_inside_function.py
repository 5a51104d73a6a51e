"""pyopenfaas.function (secrets as a function reads them) and the light imports a function's cold start needs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pyopenfaas.function import (
    SECRETS_PATH,
    SecretError,
    SecretNotFoundError,
    read_secret,
    read_secret_bytes,
    read_secrets,
    secrets_path,
)


@pytest.fixture
def mounted(tmp_path: Path) -> Path:
    """Secrets laid out as Kubernetes mounts them: a timestamped folder, `..data` linking to it, and one link
    per secret through `..data`."""
    stamp = tmp_path / "..2026_12_07_16_00_00.123"
    stamp.mkdir()
    (stamp / "api-key").write_text("s3cret\n")
    (stamp / "cert.der").write_bytes(b"\x30\x82\xff\n")
    (tmp_path / "..data").symlink_to(stamp.name)
    for name in ("api-key", "cert.der"):
        (tmp_path / name).symlink_to(Path("..data") / name)
    return tmp_path


def test_read_secret_strips_as_the_go_sdk_does(mounted: Path) -> None:
    assert read_secret("api-key", path=mounted) == "s3cret"
    assert read_secret("api-key", path=str(mounted), strip=False) == "s3cret\n"
    assert read_secret_bytes("cert.der", path=mounted) == b"\x30\x82\xff\n"


def test_a_missing_secret_is_named(mounted: Path) -> None:
    with pytest.raises(SecretNotFoundError, match="secret 'db-password' is not mounted") as caught:
        read_secret("db-password", path=mounted)
    assert isinstance(caught.value, LookupError)
    assert caught.value.name == "db-password"
    assert caught.value.path == mounted / "db-password"


def test_binary_secrets_are_not_text(mounted: Path) -> None:
    with pytest.raises(SecretError, match=r"'cert\.der' is not UTF-8 text: read it with read_secret_bytes"):
        read_secret("cert.der", path=mounted)


@pytest.mark.parametrize("name", ["", ".", "..", "..data", "../etc/passwd", "a/b", "a\\b", "a\0b"])
def test_names_that_are_paths_are_refused(mounted: Path, name: str) -> None:
    with pytest.raises(ValueError, match="cannot be a secret's name"):
        read_secret_bytes(name, path=mounted)


def test_a_name_must_be_a_str(mounted: Path) -> None:
    with pytest.raises(TypeError, match="not bytes"):
        read_secret(b"api-key", path=mounted)  # type: ignore[arg-type]


def test_an_unreadable_secret_is_a_secret_error(mounted: Path) -> None:
    (mounted / "folder").mkdir()
    with pytest.raises(SecretError, match="cannot read secret 'folder'") as caught:
        read_secret("folder", path=mounted)
    assert not isinstance(caught.value, SecretNotFoundError)


def test_read_secrets_leaves_out_kubernetes_entries(mounted: Path) -> None:
    (mounted / "cert.der").unlink()
    (mounted / "token").write_text(" t \n")
    assert read_secrets(path=mounted) == {"api-key": "s3cret", "token": "t"}
    assert read_secrets(path=mounted, strip=False) == {"api-key": "s3cret\n", "token": " t \n"}


def test_no_secrets_folder_means_no_secrets(tmp_path: Path) -> None:
    assert read_secrets(path=tmp_path / "absent") == {}
    with pytest.raises(SecretNotFoundError):
        read_secret("api-key", path=tmp_path / "absent")


def test_the_folder_comes_from_secret_mount_path(mounted: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("secret_mount_path", raising=False)
    assert secrets_path() == Path(SECRETS_PATH) == Path("/var/openfaas/secrets")
    monkeypatch.setenv("secret_mount_path", "")
    assert secrets_path() == Path(SECRETS_PATH)
    monkeypatch.setenv("secret_mount_path", str(mounted))
    assert read_secret("api-key") == "s3cret"
    assert secrets_path("/elsewhere") == Path("/elsewhere")


def test_function_side_modules_do_not_import_the_client() -> None:
    """A function's cold start: `pyopenfaas.function` and `pyopenfaas.signing` load only the standard library."""
    code = (
        "import sys, pyopenfaas.function, pyopenfaas.signing\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'httpx', 'msgspec', 'anyio', 'httpcore'}))\n"
        "print(sorted(m for m in sys.modules if m.startswith('pyopenfaas')))\n"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    heavy, ours = run.stdout.splitlines()
    assert heavy == "[]"
    assert ours == "['pyopenfaas', 'pyopenfaas._version', 'pyopenfaas.function', 'pyopenfaas.signing']"
