"""`client.secrets`, the wire side: secret bodies. Values are sent, never logged, never
returned. The methods are in `_async/secrets.py`."""

from __future__ import annotations

import base64
import dataclasses
import os
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ._engine import EngineBase
from ._errors import not_supported
from ._models import Secret
from ._validation import check_secret_name

if TYPE_CHECKING:
    from pyopenfaas._generated.models import SecretBody


def secret_body(name: str, value: str | bytes, namespace: str | None) -> SecretBody:
    """`value` for text, `rawValue` (base64) for bytes, as faas-provider expects."""
    from pyopenfaas._generated.models import SecretBody

    check_secret_name(name)
    if isinstance(value, str):
        return SecretBody(name=name, namespace=namespace, value=value)
    if isinstance(value, bytes | bytearray):
        raw = base64.b64encode(bytes(value)).decode("ascii")
        return SecretBody(name=name, namespace=namespace, raw_value=raw)
    raise TypeError(f"secret value must be str or bytes, not {type(value).__name__}")


DEFAULT_FOLDER = ".secrets"  # faas-cli's localSecretsDir, relative to the current folder


@dataclasses.dataclass(frozen=True, slots=True)
class AppliedSecret:
    """What `secrets.apply_folder` did with one file: `created`, `updated`, or `skipped` with the `reason`
    (a name that is not a valid secret name, or an empty value). The value is never kept."""

    name: str
    status: Literal["created", "updated", "skipped"]
    reason: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class _SecretFile:
    name: str
    value: bytes = dataclasses.field(repr=False)
    reason: str = ""


def read_secret_folder(path: str | os.PathLike[str], *, trim: bool) -> list[_SecretFile]:
    """Every file of the folder, by name (sub-folders ignored), read before anything is sent, as faas-cli's
    `secret apply` reads `.secrets/`: the file name is the secret's name; one that is not a valid name, or
    whose value is empty (after trimming surrounding whitespace, with `trim`), is skipped with its reason."""
    folder = Path(path)
    if not folder.is_dir():
        raise NotADirectoryError(f"secrets folder {str(folder)!r} is not a folder")
    files = []
    for entry in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if entry.is_dir():
            continue
        try:
            check_secret_name(entry.name)
        except ValueError as exc:
            files.append(_SecretFile(entry.name, b"", reason=str(exc)))
            continue
        value = entry.read_bytes()
        value = value.strip() if trim else value
        files.append(_SecretFile(entry.name, value, reason="" if value else "the file is empty"))
    return files


def check_update_supported(api: EngineBase) -> None:
    if api.settings.cluster_type == "swarm":
        raise not_supported(
            "PUT", f"{api.settings.base_url}/system/secrets", "the Swarm provider cannot update secrets"
        )


def secret_description(name: str, namespace: str | None) -> Secret:
    return Secret(name=check_secret_name(name), namespace=namespace)
