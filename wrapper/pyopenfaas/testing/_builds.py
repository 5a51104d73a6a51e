"""The fake builder's core, without HTTP: its keys, the builds it ran and the failures asked for; unpacking and
checking a build tar, opening sealed build secrets, and BuildKit-shaped build logs."""

from __future__ import annotations

import base64
import dataclasses
import datetime
import fnmatch
import io
import json
import re
import tarfile
import threading
from typing import Any

import yaml

CONFIG = "com.openfaas.docker.config"
SECRETS = "com.openfaas.secrets"
_KEEP_CONTENT = 1 << 20
_INSTRUCTION = re.compile(
    r"^\s*(FROM|RUN|COPY|ADD|WORKDIR|ENV|ARG|USER|EXPOSE|CMD|ENTRYPOINT|HEALTHCHECK|LABEL)\s+(.*)$", re.I
)
DEFAULT_FAILURE = (
    'failed to solve: process "/bin/sh -c pip install -r requirements.txt" did not complete successfully: exit code: 1'
)


@dataclasses.dataclass
class RecordedBuild:
    """One build the fake accepted: its config, the context's files (sizes; contents up to 1 MiB) and the
    build secrets it unsealed."""

    image: str
    build_args: dict[str, str]
    platforms: list[str]
    skip_push: bool
    sizes: dict[str, int]
    contents: dict[str, bytes]
    secrets: dict[str, bytes]
    streamed: bool
    status: str = "success"


@dataclasses.dataclass(frozen=True, slots=True)
class Outcome:
    """What one build reports: its log lines, then the final result (`success`, or `failed` with `error`)."""

    lines: list[str]
    final: dict[str, Any]


class BadBuild(Exception):
    """The tar cannot be built: the builder answers a `failed` result with this text as its error."""


class Builds:
    """The builder's state, guarded by one lock: its sealing key pair (made on first use), the failures asked
    for and the builds it ran."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._private: Any = None
        self._failures: list[tuple[str, str]] = []
        self.recorded: list[RecordedBuild] = []

    def private_key(self) -> Any:
        import nacl.public

        with self._lock:
            if self._private is None:
                self._private = nacl.public.PrivateKey.generate()
            return self._private

    @property
    def public_key(self) -> str:
        return base64.b64encode(bytes(self.private_key().public_key)).decode("ascii")

    @property
    def key_id(self) -> str:
        return self.public_key[:8]

    def fail(self, pattern: str, error: str) -> None:
        with self._lock:
            self._failures.append((pattern, error))

    def reset(self) -> None:
        with self._lock:
            self._failures.clear()
            self.recorded.clear()

    def run(self, body: bytes, *, streamed: bool) -> Outcome:
        """Build the tar in `body`: unpacked, checked and recorded, with its log; a failed result when the tar
        cannot be used or the image matches a failure asked for."""
        try:
            build, dockerfile = self._unpack(body, streamed)
        except BadBuild as exc:
            return Outcome([], {"image": "", "status": "failed", "error": str(exc)})
        with self._lock:
            error = next((e for pattern, e in self._failures if fnmatch.fnmatchcase(build.image, pattern)), None)
            if error is not None:
                build.status = "failed"
            self.recorded.append(build)
        lines = _build_log(dockerfile, build.image, failing=error is not None)
        if error is not None:
            return Outcome(lines, {"image": build.image, "status": "failed", "error": error})
        return Outcome(lines, {"image": build.image, "status": "success"})

    def _unpack(self, body: bytes, streamed: bool) -> tuple[RecordedBuild, str]:
        config: dict[str, Any] | None = None
        sealed: bytes | None = None
        sizes: dict[str, int] = {}
        contents: dict[str, bytes] = {}
        try:
            with tarfile.open(fileobj=io.BytesIO(body), mode="r|") as tar:
                for member in tar:
                    name = member.name
                    if name.startswith("/") or ".." in name.split("/"):
                        raise BadBuild(f"unsafe path in the build tar: {name}")
                    if name == CONFIG:
                        config = _json_object(_read(tar, member))
                    elif name == SECRETS:
                        sealed = _read(tar, member)
                    elif name == "context" or name.startswith("context/"):
                        if member.isfile():
                            inside = name.removeprefix("context/")
                            sizes[inside] = member.size
                            if member.size <= _KEEP_CONTENT:
                                contents[inside] = _read(tar, member)
                    else:
                        raise BadBuild(f"unexpected entry in the build tar: {name}")
        except tarfile.TarError as exc:
            raise BadBuild(f"unable to unpack the build tar: {exc}") from None
        if config is None:
            raise BadBuild(f"no {CONFIG} in the build tar")
        image = config.get("image")
        if not isinstance(image, str) or not image:
            raise BadBuild(f"{CONFIG}: no image given")
        if "Dockerfile" not in contents:
            raise BadBuild("no Dockerfile at the top of the build context")
        build = RecordedBuild(
            image=image,
            build_args=dict(config.get("buildArgs") or {}),
            platforms=list(config.get("platforms") or []),
            skip_push=bool(config.get("skipPush")),
            sizes=sizes,
            contents=contents,
            secrets=self._unseal(sealed) if sealed is not None else {},
            streamed=streamed,
        )
        return build, contents["Dockerfile"].decode("utf-8", "replace")

    def _unseal(self, sealed: bytes) -> dict[str, bytes]:
        import nacl.exceptions
        import nacl.public

        try:
            envelope = yaml.safe_load(sealed)
        except yaml.YAMLError as exc:
            raise BadBuild(f"invalid sealed envelope: {exc}") from None
        if not isinstance(envelope, dict) or envelope.get("version") != "v1":
            raise BadBuild('unsupported envelope version, expected "v1"')
        if envelope.get("algorithm") != "nacl/box":
            raise BadBuild('unsupported algorithm, expected "nacl/box"')
        if envelope.get("key_id") not in (None, "", self.key_id):
            raise BadBuild(f"build secrets were sealed for key {envelope.get('key_id')}, not {self.key_id}")
        try:
            sender = nacl.public.PublicKey(base64.b64decode(envelope["public_key"], validate=True))
            box = nacl.public.Box(self.private_key(), sender)
            return {
                str(name): box.decrypt(base64.b64decode(value, validate=True))
                for name, value in (envelope.get("secrets") or {}).items()
            }
        except (KeyError, TypeError, ValueError, nacl.exceptions.CryptoError) as exc:
            raise BadBuild(f"unable to unseal build secrets: {exc}") from None


def _json_object(data: bytes) -> dict[str, Any]:
    try:
        value = json.loads(data)
    except ValueError:
        raise BadBuild(f"{CONFIG} is not JSON") from None
    if not isinstance(value, dict):
        raise BadBuild(f"{CONFIG} is not a JSON object")
    return value


def _read(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    file = tar.extractfile(member)
    return file.read() if file else b""


def _build_log(dockerfile: str, image: str, *, failing: bool) -> list[str]:
    """BuildKit progress as the builder relays it ("v: <time> <vertex>", "s: <time> <status> <n>"), one line per
    step of the Dockerfile; a failing build stops at its first RUN step."""
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    steps = [f"{m[1].upper()} {m[2].strip()}" for line in dockerfile.splitlines() if (m := _INSTRUCTION.match(line))]
    lines = [
        f"v: {now} [internal] load build definition from Dockerfile",
        f"s: {now} transferring dockerfile: {len(dockerfile)}",
        f"v: {now} [internal] load build definition from Dockerfile 0.00s",
        f"v: {now} [internal] load .dockerignore",
        f"v: {now} [internal] load build context",
    ]
    for index, step in enumerate(steps, 1):
        lines.append(f"v: {now} [build {index:>2}/{len(steps)}] {step}")
        if failing and step.startswith("RUN"):
            lines.append(f'l: {now} ERROR: process "/bin/sh -c {step[4:]}" did not complete successfully')
            return lines
        lines.append(f"v: {now} [build {index:>2}/{len(steps)}] {step} 0.00s")
    lines += [f"v: {now} exporting to image", f"s: {now} pushing {image} 0", f"v: {now} exporting to image 0.02s"]
    return lines
