"""Build contexts and the signed build tar: assembled from files on disk, written to a temporary file (never
whole in memory), signed with HMAC-SHA256 while it is written.

Tar layout (go-sdk `builder.MakeTar`): the context under `context/`, the build config as the JSON file
`com.openfaas.docker.config`, and sealed build secrets, when there are any, as `com.openfaas.secrets`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import io
import json
import os
import posixpath
import tarfile
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import yaml

from ._errors import StackError
from ._stack_model import Stack, StackFunction

CONFIG_FILE = "com.openfaas.docker.config"
SECRETS_FILE = "com.openfaas.secrets"
HANDLER_FOLDER = "function"  # where the handler goes when the template's template.yml names no handler_folder
_SKIPPED_IN_HANDLER = frozenset({"build", "template"})
_CHUNK = 256 * 1024


@dataclasses.dataclass(frozen=True, slots=True)
class BuildContext:
    """The files of a Docker build context: each path inside the context (POSIX, relative) and the file or
    folder on disk it comes from. Nothing is copied until the tar is written."""

    entries: Mapping[str, Path]

    @classmethod
    def from_directory(cls, path: str | os.PathLike[str]) -> BuildContext:
        """Everything under `path`, as it is (the Dockerfile at its top)."""
        root = Path(path)
        if not root.is_dir():
            raise NotADirectoryError(f"build context {str(root)!r} is not a folder")
        entries: dict[str, Path] = {}
        _overlay(entries, root, "")
        return cls(entries)

    @classmethod
    def for_function(
        cls, function: StackFunction, stack: Stack, *, template_dir: str | os.PathLike[str] | None = None
    ) -> BuildContext:
        """The context faas-cli builds for a stack function: `template/<lang>/` with the handler copied into
        the folder its `template.yml` names as `handler_folder` (`function/` when it names none; for
        `lang: dockerfile` the handler is the context), the handler's `build` and
        `template` folders skipped, and `configuration.copy` paths copied in. Paths are relative to the stack
        file's folder, and a copy path outside it is refused. Templates come from the local `template/`
        folder (`template_dir`); fetching them is faas-cli's job (`faas-cli template pull`)."""
        root = stack.root.resolve()
        where = f"functions.{function.name}"
        if not function.lang:
            raise StackError(f"{where}.lang is required to build", path=str(stack.path))
        if not function.handler:
            raise StackError(f"{where}.handler is required to build", path=str(stack.path))
        handler = root / function.handler
        if not handler.is_dir():
            raise StackError(f"{where}.handler {function.handler!r} is not a folder", path=str(stack.path))
        entries: dict[str, Path] = {}
        if function.lang == "dockerfile":
            handler_prefix = ""
        else:
            templates = Path(template_dir) if template_dir is not None else root / "template"
            template = templates / function.lang
            if not (template / "Dockerfile").is_file():
                raise StackError(
                    f"{where}: template {function.lang!r} not found in {templates} (templates are read from a "
                    "local template/ folder: run 'faas-cli template pull' or 'faas-cli template store pull')",
                    path=str(stack.path),
                )
            _overlay(entries, template, "")
            handler_prefix = _handler_prefix(_manifest(template, stack), where, stack)
        _overlay(entries, handler, handler_prefix, skip=_SKIPPED_IN_HANDLER)
        for extra in stack.configuration.copy:
            source = _in_project(extra, root, stack)
            relative = source.relative_to(root).as_posix()
            if source.is_dir():
                _overlay(entries, source, f"{handler_prefix}{relative}/")
            else:
                entries[handler_prefix + relative] = source
        return cls(entries)


def build_args_for(
    function: StackFunction, stack: Stack, template_dir: str | os.PathLike[str] | None
) -> dict[str, str]:
    """The function's `build_args`, plus `ADDITIONAL_PACKAGE` from its `build_options` as the template's
    `template.yml` lists them (faas-cli's rule; packages already given are kept, duplicates dropped)."""
    args = dict(function.build_args)
    if not function.build_options or function.lang in (None, "dockerfile"):
        return args
    templates = Path(template_dir) if template_dir is not None else stack.root / "template"
    available = _manifest(templates / function.lang, stack, required=True)
    listed = available.get("build_options")
    options: dict[str, list[object]] = {
        str(option.get("name")): option.get("packages") or []
        for option in (listed if isinstance(listed, list) else [])
        if isinstance(option, dict)
    }
    packages = args.get("ADDITIONAL_PACKAGE", "").split()
    for name in function.build_options:
        if name not in options:
            raise StackError(
                f"functions.{function.name}.build_options: {name!r} is not one of {sorted(options)} "
                f"offered by the {function.lang} template",
                path=str(stack.path),
            )
        packages.extend(str(package) for package in options[name])
    args["ADDITIONAL_PACKAGE"] = " ".join(dict.fromkeys(packages))
    return args


def _manifest(template: Path, stack: Stack, *, required: bool = False) -> dict[str, object]:
    """The template's `template.yml` as a mapping (`{}` when it has none and none is `required`)."""
    manifest = template / "template.yml"
    if not required and not manifest.exists():
        return {}
    try:
        data = yaml.safe_load(manifest.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise StackError(f"cannot read the template's template.yml: {exc}", path=str(manifest)) from None
    if not isinstance(data, dict):
        raise StackError("the template's template.yml is not a mapping", path=str(manifest))
    return data


def _handler_prefix(manifest: Mapping[str, object], where: str, stack: Stack) -> str:
    """Where the handler goes in the context: `handler_folder/`, joined to the context as Go's `path.Join`
    does (cleaned, a leading `/` kept inside), refused when it would leave the context."""
    folder = manifest.get("handler_folder")
    if folder is None or folder == "":
        return HANDLER_FOLDER + "/"
    if not isinstance(folder, str):
        raise StackError(f"{where}: the template's handler_folder must be a string", path=str(stack.path))
    cleaned = posixpath.normpath(folder.lstrip("/"))
    if cleaned == ".." or cleaned.startswith("../"):
        raise StackError(
            f"{where}: the template's handler_folder {folder!r} is outside the build context", path=str(stack.path)
        )
    return "" if cleaned == "." else cleaned + "/"


def _overlay(entries: dict[str, Path], source: Path, prefix: str, skip: frozenset[str] = frozenset()) -> None:
    """Add every file and folder under `source` at `prefix`, over what is there already."""
    for top, folders, files in os.walk(source):
        here = Path(top)
        relative = here.relative_to(source).as_posix()
        base = prefix if relative == "." else f"{prefix}{relative}/"
        if here == source and skip:
            folders[:] = [name for name in folders if name not in skip]
            files = [name for name in files if name not in skip]
        folders.sort()
        for name in folders:  # a link to a folder is kept as a link (os.walk does not follow it)
            entries[base + name] = here / name
        for name in sorted(files):
            entries[base + name] = here / name


def _in_project(path: str, root: Path, stack: Stack) -> Path:
    """`path` (relative to the project) resolved, refused when it is the project itself or outside it."""
    resolved = (root / path).resolve()
    if resolved == root:
        raise StackError(f"configuration.copy: {path!r} is the whole project", path=str(stack.path))
    if not resolved.is_relative_to(root):
        raise StackError(f"configuration.copy: {path!r} is outside the project {root}", path=str(stack.path))
    if not resolved.exists():
        raise StackError(f"configuration.copy: {path!r} does not exist", path=str(stack.path))
    return resolved


@dataclasses.dataclass(frozen=True, slots=True)
class BuildConfig:
    """`com.openfaas.docker.config`: what the builder builds and where it pushes it."""

    image: str
    build_args: Mapping[str, str] = dataclasses.field(default_factory=dict)
    platforms: Sequence[str] = ()
    skip_push: bool = False

    def to_json(self) -> bytes:
        body: dict[str, object] = {"image": self.image}
        if self.build_args:
            body["buildArgs"] = dict(self.build_args)
        if self.platforms:
            body["platforms"] = list(self.platforms)
        if self.skip_push:
            body["skipPush"] = True
        return json.dumps(body).encode("utf-8")


class _SigningWriter:
    """A write-only file that signs and counts what passes through it."""

    def __init__(self, file: io.BufferedWriter, key: bytes) -> None:
        self._file = file
        self._mac = hmac.new(key, digestmod=hashlib.sha256)
        self.size = 0

    def write(self, data: bytes) -> int:
        self._file.write(data)
        self._mac.update(data)
        self.size += len(data)
        return len(data)

    def signature(self) -> str:
        return "sha256=" + self._mac.hexdigest()


@dataclasses.dataclass(frozen=True, slots=True)
class SignedTar:
    """A build tar in a temporary file, its size and its `X-Build-Signature` value."""

    path: Path
    size: int
    signature: str

    def chunks(self) -> Iterator[bytes]:
        with self.path.open("rb") as file:
            while chunk := file.read(_CHUNK):
                yield chunk

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


def write_signed_tar(context: BuildContext, config: BuildConfig, key: bytes, sealed: bytes | None) -> SignedTar:
    """Write the build tar to a temporary file, signing it on the way; the caller removes it."""
    handle, name = tempfile.mkstemp(prefix="pyopenfaas-build-", suffix=".tar")
    try:
        with os.fdopen(handle, "wb") as file:
            writer = _SigningWriter(file, key)
            with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:  # type: ignore[call-overload]
                tar.addfile(_folder("context"))
                for inside, source in context.entries.items():
                    info = tar.gettarinfo(str(source), arcname=f"context/{inside}")
                    info.uid = info.gid = 0
                    info.uname = info.gname = ""
                    if info.isreg():
                        with source.open("rb") as content:
                            tar.addfile(info, content)
                    else:
                        tar.addfile(info)
                _add_bytes(tar, CONFIG_FILE, config.to_json())
                if sealed is not None:
                    _add_bytes(tar, SECRETS_FILE, sealed)
        return SignedTar(Path(name), writer.size, writer.signature())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def _folder(name: str) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE
    info.mode = 0o755
    return info


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o664
    tar.addfile(info, io.BytesIO(data))
