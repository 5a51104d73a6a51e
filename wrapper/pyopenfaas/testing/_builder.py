"""A fake OpenFaaS Function Builder (pro-builder): checks the HMAC signature, unpacks and checks the tar, opens
sealed build secrets with its private key, and streams build logs shaped like BuildKit's through the builder.

Wire behaviour, from the go-sdk `builder` package and its test data (testdata/buildlogs.ndjson), faas-cli's
remote builder, and alexellis/hmac (which the builder uses to check `X-Build-Signature`):

- `POST /build`: 401 with hmac's error text when the signature is missing or wrong; otherwise a build. With
  `Accept: application/x-ndjson` the answer is 200 and NDJSON results (`{"log": [...], "status":
  "in_progress", "duration": s}` ..., then `{"image": ..., "status": "success"}` or a `failed` result with
  `error`); without it, one JSON result: 200 on success, 500 with the failed result otherwise.
- `GET /publickey`: `{"key_id", "algorithm": "nacl/box", "public_key"}`.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import datetime
import fnmatch
import hashlib
import hmac
import http.server
import json
import re
import tarfile
import tempfile
import threading
from collections.abc import AsyncIterator, Iterator
from typing import IO, Any

import httpx
import yaml

_CONFIG = "com.openfaas.docker.config"
_SECRETS = "com.openfaas.secrets"
_NDJSON = "application/x-ndjson"
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


@dataclasses.dataclass
class _Reply:
    status: int
    headers: dict[str, str]
    body: bytes | Iterator[bytes]


class _BadBuild(Exception):
    pass


class FakeBuilder:
    """An in-memory Function Builder. `transport()` serves httpx in-process; `serve()` runs it on 127.0.0.1.

    `fail(pattern, error)` makes builds of images matching the glob `pattern` fail with `error` (BuildKit's
    wording by default). `builds` records every build that passed the signature check.
    """

    def __init__(self, hmac_secret: str | bytes = "fake-builder-payload-secret") -> None:  # noqa: S107
        self._key = (hmac_secret.encode() if isinstance(hmac_secret, str) else hmac_secret).strip()
        self._private: Any = None
        self._failures: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self.builds: list[RecordedBuild] = []

    # ---- keys ----------------------------------------------------------------------------------------------

    def _private_key(self) -> Any:
        import nacl.public

        with self._lock:
            if self._private is None:
                self._private = nacl.public.PrivateKey.generate()
            return self._private

    @property
    def public_key(self) -> str:
        """The builder's Curve25519 public key, base64 (what `/publickey` answers)."""
        return base64.b64encode(bytes(self._private_key().public_key)).decode("ascii")

    @property
    def key_id(self) -> str:
        return self.public_key[:8]

    def fail(self, pattern: str = "*", error: str = DEFAULT_FAILURE) -> None:
        """Fail the builds of images matching `pattern` with `error`."""
        self._failures.append((pattern, error))

    def reset(self) -> None:
        """Forget the failures asked for with `fail` and the recorded `builds` (the keys stay)."""
        with self._lock:
            self._failures.clear()
            self.builds.clear()

    # ---- requests ------------------------------------------------------------------------------------------

    def _handle(self, method: str, path: str, headers: httpx.Headers, body: IO[bytes], digest: str) -> _Reply:
        """Answer one request; `body` holds the request body, `digest` its hex HMAC-SHA256 with our secret."""
        if path == "/publickey" and method == "GET":
            key = {"key_id": self.key_id, "algorithm": "nacl/box", "public_key": self.public_key}
            return _Reply(200, {"Content-Type": "application/json"}, json.dumps(key).encode())
        if path == "/healthz" and method == "GET":
            return _Reply(200, {"Content-Type": "text/plain"}, b"OK")
        if path != "/build":
            return _Reply(404, {"Content-Type": "text/plain; charset=utf-8"}, b"404 page not found\n")
        if method != "POST":
            return _Reply(405, {"Content-Type": "text/plain; charset=utf-8"}, b"Method not allowed\n")
        problem = self._check_signature(headers.get("X-Build-Signature", ""), digest)
        if problem:
            return _Reply(401, {"Content-Type": "text/plain; charset=utf-8"}, (problem + "\n").encode())
        streamed = _NDJSON in headers.get("Accept", "")
        try:
            build, dockerfile = self._unpack(body, streamed)
        except _BadBuild as exc:
            return self._answer(streamed, [], {"image": "", "status": "failed", "error": str(exc)}, 0.0)
        error = next((e for pattern, e in self._failures if fnmatch.fnmatchcase(build.image, pattern)), None)
        lines = _build_log(dockerfile, build.image, failing=error is not None)
        if error is not None:
            build.status = "failed"
            final: dict[str, Any] = {"image": build.image, "status": "failed", "error": error}
        else:
            final = {"image": build.image, "status": "success"}
        with self._lock:
            self.builds.append(build)
        return self._answer(streamed, lines, final, 0.004 * (len(lines) + 1))

    def _check_signature(self, header: str, digest: str) -> str:
        # alexellis/hmac's Validate, word for word.
        if header.startswith("sha256="):
            given = header.removeprefix("sha256=")
        elif header.startswith("sha1="):
            return "invalid message digest or secret"  # we sign with SHA-256 only
        else:
            return f"valid hash prefixes: [sha1=, sha256=], got: {header}"
        return "" if hmac.compare_digest(given.lower(), digest) else "invalid message digest or secret"

    def _unpack(self, body: IO[bytes], streamed: bool) -> tuple[RecordedBuild, str]:
        config: dict[str, Any] | None = None
        sealed: bytes | None = None
        sizes: dict[str, int] = {}
        contents: dict[str, bytes] = {}
        try:
            with tarfile.open(fileobj=body, mode="r|") as tar:
                for member in tar:
                    name = member.name
                    if name.startswith("/") or ".." in name.split("/"):
                        raise _BadBuild(f"unsafe path in the build tar: {name}")
                    if name == _CONFIG:
                        config = _json_object(_read(tar, member))
                    elif name == _SECRETS:
                        sealed = _read(tar, member)
                    elif name == "context" or name.startswith("context/"):
                        if member.isfile():
                            inside = name.removeprefix("context/")
                            sizes[inside] = member.size
                            if member.size <= _KEEP_CONTENT:
                                contents[inside] = _read(tar, member)
                    else:
                        raise _BadBuild(f"unexpected entry in the build tar: {name}")
        except tarfile.TarError as exc:
            raise _BadBuild(f"unable to unpack the build tar: {exc}") from None
        if config is None:
            raise _BadBuild(f"no {_CONFIG} in the build tar")
        image = config.get("image")
        if not isinstance(image, str) or not image:
            raise _BadBuild(f"{_CONFIG}: no image given")
        if "Dockerfile" not in contents:
            raise _BadBuild("no Dockerfile at the top of the build context")
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
            raise _BadBuild(f"invalid sealed envelope: {exc}") from None
        if not isinstance(envelope, dict) or envelope.get("version") != "v1":
            raise _BadBuild('unsupported envelope version, expected "v1"')
        if envelope.get("algorithm") != "nacl/box":
            raise _BadBuild('unsupported algorithm, expected "nacl/box"')
        if envelope.get("key_id") not in (None, "", self.key_id):
            raise _BadBuild(f"build secrets were sealed for key {envelope.get('key_id')}, not {self.key_id}")
        try:
            sender = nacl.public.PublicKey(base64.b64decode(envelope["public_key"], validate=True))
            box = nacl.public.Box(self._private_key(), sender)
            return {
                str(name): box.decrypt(base64.b64decode(value, validate=True))
                for name, value in (envelope.get("secrets") or {}).items()
            }
        except (KeyError, TypeError, ValueError, nacl.exceptions.CryptoError) as exc:
            raise _BadBuild(f"unable to unseal build secrets: {exc}") from None

    def _answer(self, streamed: bool, lines: list[str], final: dict[str, Any], duration: float) -> _Reply:
        final["duration"] = round(duration, 3)
        if not streamed:
            body = json.dumps({"log": lines, **final}).encode()
            status = 200 if final["status"] == "success" else 500
            return _Reply(status, {"Content-Type": "application/json"}, body)

        def ndjson() -> Iterator[bytes]:
            for index, line in enumerate(lines):
                record = {"log": [line], "status": "in_progress", "duration": round(0.004 * (index + 1), 3)}
                yield json.dumps(record).encode() + b"\n"
            yield json.dumps(final).encode() + b"\n"

        return _Reply(200, {"Content-Type": _NDJSON}, ndjson())

    # ---- front ends ----------------------------------------------------------------------------------------

    def transport(self) -> FakeBuilderTransport:
        """An httpx transport (sync and async) serving this builder in-process."""
        return FakeBuilderTransport(self)

    @contextlib.contextmanager
    def serve(self, port: int = 0) -> Iterator[str]:
        """Serve on 127.0.0.1 (a free port by default) for the `with` block; yields the base URL."""
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        server.daemon_threads = True
        # serve_forever polls for shutdown(): every 0.5 s by default, which a stop would wait for.
        thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.01}, name="fake-builder", daemon=True
        )
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()
            server.server_close()
            thread.join()


def _json_object(data: bytes) -> dict[str, Any]:
    try:
        value = json.loads(data)
    except ValueError:
        raise _BadBuild(f"{_CONFIG} is not JSON") from None
    if not isinstance(value, dict):
        raise _BadBuild(f"{_CONFIG} is not a JSON object")
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


class _Spool:
    """The request body, spooled to disk past 1 MiB and signed as it arrives."""

    def __init__(self, key: bytes) -> None:
        self.file = tempfile.SpooledTemporaryFile(max_size=_KEEP_CONTENT)  # noqa: SIM115 - closed by close()
        self._mac = hmac.new(key, digestmod=hashlib.sha256)

    def write(self, chunk: bytes) -> None:
        self.file.write(chunk)
        self._mac.update(chunk)

    def finish(self) -> tuple[IO[bytes], str]:
        self.file.seek(0)
        return self.file, self._mac.hexdigest()

    def close(self) -> None:
        self.file.close()


class FakeBuilderTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Serves httpx requests from a `FakeBuilder` in-process, for `httpx.Client` and `httpx.AsyncClient`."""

    def __init__(self, builder: FakeBuilder) -> None:
        self._builder = builder

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        spool = _Spool(self._builder._key)
        try:
            for chunk in request.stream:  # type: ignore[union-attr]
                spool.write(chunk)
            reply = self._builder._handle(request.method, request.url.path, request.headers, *spool.finish())
        finally:
            spool.close()
        return _response(reply)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        spool = _Spool(self._builder._key)
        try:
            async for chunk in request.stream:  # type: ignore[union-attr]
                spool.write(chunk)
            reply = self._builder._handle(request.method, request.url.path, request.headers, *spool.finish())
        finally:
            spool.close()
        return _response(reply)


class _Lines(httpx.SyncByteStream, httpx.AsyncByteStream):
    def __init__(self, lines: Iterator[bytes]) -> None:
        self._lines = lines

    def __iter__(self) -> Iterator[bytes]:
        return self._lines

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for line in self._lines:
            yield line


def _response(reply: _Reply) -> httpx.Response:
    if isinstance(reply.body, bytes):
        return httpx.Response(reply.status, headers=reply.headers, content=reply.body)
    return httpx.Response(reply.status, headers=reply.headers, stream=_Lines(reply.body))


def _handler(builder: FakeBuilder) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "fake-builder"

        def _serve(self) -> None:
            spool = _Spool(builder._key)
            try:
                remaining = int(self.headers.get("Content-Length") or 0)
                while remaining > 0:
                    chunk = self.rfile.read(min(remaining, 256 * 1024))
                    if not chunk:
                        return
                    spool.write(chunk)
                    remaining -= len(chunk)
                headers = httpx.Headers(dict(self.headers.items()))
                reply = builder._handle(self.command, self.path.split("?")[0], headers, *spool.finish())
            finally:
                spool.close()
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if isinstance(reply.body, bytes):
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
                return
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for line in reply.body:
                self.wfile.write(f"{len(line):x}\r\n".encode() + line + b"\r\n")
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")

        do_GET = do_POST = do_PUT = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
