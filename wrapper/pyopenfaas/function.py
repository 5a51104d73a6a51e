"""For code that runs inside an OpenFaaS function: the secrets the function was deployed with.

    from pyopenfaas.function import read_secret

    api_key = read_secret("api-key")  # /var/openfaas/secrets/api-key, surrounding whitespace stripped

OpenFaaS mounts each secret a function names in its deployment (`secrets: [...]` in stack.yaml) as a file in
`/var/openfaas/secrets`, or in the folder the environment variable `secret_mount_path` names, as the Go SDK's
`ReadSecret` reads them. This module imports only the standard library (no httpx): a function's cold start
does not pay for the client.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "SECRETS_PATH",
    "SecretError",
    "SecretNotFoundError",
    "read_secret",
    "read_secret_bytes",
    "read_secrets",
    "secrets_path",
]

SECRETS_PATH = "/var/openfaas/secrets"
"""Where OpenFaaS mounts a function's secrets, unless `secret_mount_path` says otherwise."""
_MOUNT_PATH_ENV = "secret_mount_path"

Folder = str | os.PathLike[str]


class SecretError(Exception):
    """A secret cannot be read: an unreadable file or folder, or a value that is not UTF-8 text.
    The message names the secret and the file, never the value."""


class SecretNotFoundError(SecretError, LookupError):
    """No such secret is mounted: the function's deployment does not list it (or it has another name)."""

    def __init__(self, name: str, path: Path) -> None:
        super().__init__(
            f"secret {name!r} is not mounted at {str(path)!r}: list it in the function's secrets (stack.yaml "
            "`secrets:`, or `secrets=[...]` on deploy) and check it exists in the function's namespace"
        )
        self.name = name
        self.path = path

    def __reduce__(self) -> tuple[type[SecretNotFoundError], tuple[str, Path], dict[str, object]]:
        return type(self), (self.name, self.path), self.__dict__  # Exception's own passes the message alone


def secrets_path(path: Folder | None = None) -> Path:
    """The secrets folder: `path` when given, else `$secret_mount_path` when set and not empty, else
    `/var/openfaas/secrets`."""
    if path is not None:
        return Path(path)
    return Path(os.environ.get(_MOUNT_PATH_ENV) or SECRETS_PATH)


def read_secret_bytes(name: str, *, path: Folder | None = None) -> bytes:
    """The secret `name` exactly as stored (a binary secret, created from a file's bytes).
    `SecretNotFoundError` when it is not mounted; `ValueError` for a name that cannot be a secret's."""
    _check_name(name)
    file = secrets_path(path) / name
    try:
        return file.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        raise SecretNotFoundError(name, file) from None
    except OSError as exc:
        raise SecretError(
            f"cannot read secret {name!r} at {str(file)!r}: {exc.strerror or type(exc).__name__}"
        ) from None


def read_secret(name: str, *, path: Folder | None = None, strip: bool = True) -> str:
    """The secret `name` as text (UTF-8), surrounding whitespace stripped unless `strip=False` (the Go SDK
    strips it too: `faas-cli secret create --from-file` keeps a file's final newline).
    `SecretNotFoundError` when it is not mounted; `SecretError` when it is not UTF-8 (use `read_secret_bytes`)."""
    value = read_secret_bytes(name, path=path)
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError:
        raise SecretError(f"secret {name!r} is not UTF-8 text: read it with read_secret_bytes") from None
    return text.strip() if strip else text


def read_secrets(*, path: Folder | None = None, strip: bool = True) -> dict[str, str]:
    """Every secret mounted for this function, by name, as `read_secret` reads them. `{}` when none is
    mounted (the folder does not exist). Kubernetes' own entries (`..data` and the like) are left out."""
    folder = secrets_path(path)
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except (FileNotFoundError, NotADirectoryError):
        return {}
    except OSError as exc:
        raise SecretError(f"cannot list the secrets in {str(folder)!r}: {exc.strerror or type(exc).__name__}") from None
    return {
        entry.name: read_secret(entry.name, path=folder, strip=strip)
        for entry in entries
        if not entry.name.startswith(".") and entry.is_file()
    }


def _check_name(name: object) -> None:
    if not isinstance(name, str):
        raise TypeError(f"a secret's name is a str, not {type(name).__name__}")
    if not name or name.startswith(".") or any(bad in name for bad in "/\\\0"):
        raise ValueError(f"{name!r} cannot be a secret's name (empty, a path, or starting with '.')")
