"""A tour of pyopenfaas: every gateway operation, printed as a transcript.

By default it starts pyopenfaas.testing's fake gateway on 127.0.0.1 (basic auth on, faas-netes flavour) and
tours that, whatever OPENFAAS_URL says. With PYOPENFAAS_REAL_GATEWAY=1 (`make demo REAL_GATEWAY=1`) it tours
the gateway OPENFAAS_URL (or OPENFAAS_GATEWAY_ADDR) points to, with the credentials from the environment or
`faas-cli login`: it deploys, scales and deletes a function and a secret there.
"""

from __future__ import annotations

import contextlib
import datetime
import http.server
import os
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

from pyopenfaas import NotFoundError, NotSupportedError, OpenFaaS, OpenFaaSError

FUNCTION = "pyopenfaas-tour"
IMAGE = "ghcr.io/openfaas/alpine:latest"  # the watchdog running `cat`: echoes its input
SECRET = "pyopenfaas-tour-key"


def step(title: str) -> None:
    print(f"\n== {title}")


def show(label: str, value: Any) -> None:
    print(f"   {label:<22} {value}")


class CallbackReceiver:
    """A one-shot HTTP server on 127.0.0.1 that records the queue worker's callback."""

    def __init__(self) -> None:
        self.received = threading.Event()
        self.headers: dict[str, str] = {}
        self.body = b""
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                receiver.body = self.rfile.read(length)
                receiver.headers = dict(self.headers.items())
                self.send_response(202)
                self.end_headers()
                receiver.received.set()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/callback"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@contextlib.contextmanager
def gateway() -> Iterator[tuple[OpenFaaS, bool]]:
    """A client for the configured gateway, or for a fake one started here (second item: is it fake?)."""
    configured = os.environ.get("OPENFAAS_URL") or os.environ.get("OPENFAAS_GATEWAY_ADDR")
    if os.environ.get("PYOPENFAAS_REAL_GATEWAY") == "1":
        if not configured:
            sys.exit("PYOPENFAAS_REAL_GATEWAY=1 but OPENFAAS_URL is not set: which gateway should the tour use?")
        with OpenFaaS() as client:
            print(f"PYOPENFAAS_REAL_GATEWAY=1: touring the real gateway at {client.base_url}")
            yield client, False
        return
    if configured:
        print(
            f"OPENFAAS_URL is set ({configured}), but the tour leaves it alone: it deploys and deletes functions "
            "and secrets. Run `make demo REAL_GATEWAY=1` to tour that gateway."
        )

    from pyopenfaas.testing import FakeGateway, FunctionRequest

    fake = FakeGateway(username="admin", password="tour-password")

    @fake.handler(FUNCTION)
    def tour_function(request: FunctionRequest) -> Any:
        request.log(f"{request.method} {request.path or '/'} with {len(request.body)} bytes")
        if request.method == "GET":
            return {"path": request.path, "query": dict(request.query)}
        return request.body

    with fake, fake.serve() as url:
        print(f"Touring pyopenfaas.testing.FakeGateway at {url} (faas-netes flavour, basic auth)")
        with OpenFaaS(url, username="admin", password="tour-password", env={}) as client:
            yield client, True


def tour(client: OpenFaaS, fake: bool) -> None:
    step("The gateway")
    show("client", repr(client))
    show("healthy", client.health())
    info = client.info()
    provider = info.provider
    show("gateway version", f"{info.version.release} ({info.arch})")
    show("provider", f"{provider.name} on {provider.orchestration}" if provider else "unknown")

    step("Deploy (apply: update, or deploy when absent)")
    client.functions.apply(FUNCTION, IMAGE, env_process="cat", labels={"app": "pyopenfaas-tour"})
    ready = client.functions.wait_ready(FUNCTION, timeout=120)
    show("ready", f"{ready.name}: {ready.available_replicas}/{ready.replicas} replicas")

    step("List and describe")
    for function in client.functions.list():
        show(function.name, f"{function.image}, {function.available_replicas} ready")
    described = client.functions.get(FUNCTION)
    show("labels", described.labels)
    show("created at", described.created_at)

    step("Invoke")
    response = client.functions.invoke(FUNCTION, "Hello from pyopenfaas")
    show("text", f"{response.status_code} {response.text!r} (call id {response.call_id})")
    response = client.functions.invoke(FUNCTION, json={"greeting": "hello", "n": 1})
    show("JSON", f"{response.status_code} {response.json()}")
    response = client.functions.invoke(FUNCTION, b"sub-path body", path="/api/v1/items")
    show("sub-path", f"{response.status_code} {response.content!r}")
    response = client.functions.invoke(FUNCTION, method="GET", path="/search", query={"q": "openfaas", "page": "2"})
    show("GET with query", f"{response.status_code} {response.text.strip()!r}")

    step("Invoke asynchronously, with a callback")
    receiver = CallbackReceiver()
    try:
        queued = client.functions.invoke_async(FUNCTION, "queued work", callback_url=receiver.url)
        show("accepted", f"{queued.status_code}, call id {queued.call_id}")
        if receiver.received.wait(10 if fake else 30):
            show("callback status", receiver.headers.get("X-Function-Status"))
            show("callback call id", receiver.headers.get("X-Call-Id"))
            show("callback body", repr(receiver.body))
        else:
            show("callback", f"not received at {receiver.url} (the gateway's queue worker cannot reach this machine?)")
    except NotFoundError:
        show("async", "this gateway has no queue (NATS) configured: /async-function is 404")
    finally:
        receiver.close()

    step("Scale and wait until ready")
    client.functions.scale(FUNCTION, 2)
    ready = client.functions.wait_ready(FUNCTION, timeout=120)
    show("scaled", f"{ready.replicas} desired, {ready.available_replicas} available")

    step("Logs (the last 5 lines, then those from the last minute)")
    try:
        with client.functions.logs(FUNCTION, tail=5) as entries:
            for entry in entries:
                when = entry.timestamp.strftime("%H:%M:%S") if entry.timestamp else "--:--:--"
                show(when, f"[{entry.instance}] {entry.text}")
        recent = list(client.functions.logs(FUNCTION, since=datetime.timedelta(minutes=1)))
        show("last minute", f"{len(recent)} lines")
    except NotSupportedError:
        show("logs", "this provider does not serve logs (501)")

    step("Secrets")
    client.secrets.apply(SECRET, "first value")
    client.secrets.update(SECRET, b"\x00binary\xff")
    show("listed", [secret.name for secret in client.secrets.list()])
    client.secrets.delete(SECRET)
    show("after delete", [secret.name for secret in client.secrets.list()])

    step("Namespaces")
    show("namespaces", client.namespaces.list())

    step("Clean up")
    client.functions.delete(FUNCTION)
    try:
        client.functions.get(FUNCTION)
    except NotFoundError as exc:
        show("deleted", f"get now raises NotFoundError: {exc}")


def main() -> int:
    started = time.perf_counter()
    try:
        with gateway() as (client, fake):
            tour(client, fake)
    except OpenFaaSError as exc:
        print(f"\ntour failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(f"\nTour finished in {time.perf_counter() - started:.1f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
