"""The demo set-up behind ``python -m pyopenfaas.testing --demo``: the fake gateway (basic auth, OpenFaaS IAM
when its extra is installed) and the fake Function Builder, with the functions the guides call preloaded.

Every preloaded function writes one log line per call, shaped like of-watchdog's (``POST / - 200 OK -
ContentLength: 5B``), so ``logs(name, follow=True)`` has something to show.
"""

from __future__ import annotations

import contextlib
import hmac
import importlib.util
import itertools
import json
import secrets
import shlex
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Literal

from ._builder import FakeBuilder
from ._flavours import Flavour
from ._gateway import FakeGateway
from ._queue import QueueConfig
from ._types import FunctionRequest, FunctionResponse, Handler, HandlerResult

DEMO_USER = "admin"
WEBHOOK_KEY = "not-a-real-key"
DEFAULT_BUILDER_PORT = 8081
IDP_CLIENT_ID = "ci-bot"


def _inspect(request: FunctionRequest) -> HandlerResult:
    return {
        "method": request.method,
        "path": request.path,
        "query": list(request.query.multi_items()),
        "content_type": request.headers.get("Content-Type"),
        "request_id": request.headers.get("X-Request-Id"),
        "size": len(request.body),
    }


def _resize(request: FunctionRequest) -> HandlerResult:
    if not request.body:
        return FunctionResponse("no image", status=400)
    return b"PNG:" + request.body[:8]


def _signed(algorithm: Literal["sha256", "sha1"]) -> Handler:
    """A function that checks X-Hub-Signature: ``<algorithm>=<hex HMAC of the body>`` with WEBHOOK_KEY."""

    def check(request: FunctionRequest) -> HandlerResult:
        expected = f"{algorithm}=" + hmac.new(WEBHOOK_KEY.encode(), request.body, algorithm).hexdigest()
        if hmac.compare_digest(request.headers.get("X-Hub-Signature", ""), expected):
            return "valid"
        return FunctionResponse("bad signature", status=401)

    return check


def _callback(request: FunctionRequest) -> HandlerResult:
    # A callback receiver: what the queue worker posted shows in this function's logs.
    request.log(
        f"callback {request.headers.get('X-Call-Id')} status={request.headers.get('X-Function-Status')} "
        f"body={request.body!r}"
    )
    return None


def _flaky() -> Handler:
    answers = itertools.cycle([503, 503, 200])

    def flaky(request: FunctionRequest) -> HandlerResult:
        status = next(answers)
        return FunctionResponse("busy" if status == 503 else "done", status=status)

    return flaky


# name: (handler, what it does), in the order the banner lists them.
FUNCTIONS: dict[str, tuple[Handler, str]] = {
    "echo": (lambda request: request.body, "answers with the body it receives"),
    "figlet": (lambda request: request.text.upper(), "answers in capitals (the real one draws ASCII art)"),
    "inspect": (_inspect, "answers with what it received, as JSON"),
    "resize": (_resize, "400 'no image' on an empty body, else b'PNG:' + the first 8 bytes"),
    "report": (lambda request: "".join(f"row {n}\n" for n in range(1, 1001)), "1,000 lines of text"),
    "webhook": (_signed("sha256"), f"checks X-Hub-Signature (HMAC-SHA256 with key {WEBHOOK_KEY!r})"),
    "legacy-hook": (_signed("sha1"), "checks X-Hub-Signature as faas-cli before 0.17.1 signed it (HMAC-SHA1)"),
    "on-resized": (_callback, "a callback receiver: logs what it is sent"),
    "broken": (
        lambda request: FunctionResponse("database unreachable", status=500),
        "always fails: 500 'database unreachable'",
    ),
    "cold": (lambda request: request.body, "never ready: 0 of its 1 replica available (calls get 503)"),
}
# Functions with state of their own: a fresh handler for each gateway.
STATEFUL: dict[str, tuple[Callable[[], Handler], str]] = {
    "flaky": (_flaky, "answers 503 'busy' twice, then 200 'done', in turn"),
}
_NOT_READY = "cold"


def _logged(handler: Handler) -> Handler:
    """``handler``, writing one watchdog-like log line per call."""

    def call(request: FunctionRequest) -> HandlerResult:
        result = handler(request)
        status = result.status if isinstance(result, FunctionResponse) else 200
        body = result.body if isinstance(result, FunctionResponse) else result
        size = len(body if isinstance(body, bytes | str) else json.dumps(body) if body is not None else b"")
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = ""
        request.log(f"{request.method} {request.path or '/'} - {status} {phrase} - ContentLength: {size}B")
        return result

    return call


def iam_available() -> bool:
    """Whether the fake IAM's libraries (``pyopenfaas[testing]``: PyJWT, cryptography) are installed."""
    return all(importlib.util.find_spec(name) is not None for name in ("jwt", "cryptography"))


@dataclass(frozen=True)
class Demo:
    """A served demo: its components and the environment variables that point a program at them."""

    gateway: FakeGateway
    builder: FakeBuilder
    environment: dict[str, str] = field(repr=False)  # holds the generated password and secrets

    def exports(self) -> str:
        """The ``export`` lines a reader pastes into a shell."""
        return "\n".join(f"export {name}={shlex.quote(value)}" for name, value in self.environment.items())


def _charge(request: FunctionRequest) -> HandlerResult:
    return f"charged {request.text}"


def build_gateway(
    flavour: Flavour, password: str, token: str, *, iam: bool, queue: QueueConfig | None = None
) -> FakeGateway:
    """The demo gateway with its functions deployed (``billing``, which needs IAM, only with ``iam``)."""
    gateway = FakeGateway(flavour=flavour, username=DEMO_USER, password=password, token=token, iam=iam, queue=queue)
    handlers = {name: handler for name, (handler, _) in FUNCTIONS.items()}
    handlers.update((name, make()) for name, (make, _) in STATEFUL.items())
    for name, handler in handlers.items():
        gateway.deploy(name, handler=_logged(handler))
    gateway.set_replicas(_NOT_READY, 1, available=0)
    if iam:
        gateway.deploy("billing", env_vars={"jwt_auth": "true"}, handler=_logged(_charge))
    return gateway


@contextlib.contextmanager
def serve_demo(
    host: str = "127.0.0.1",
    port: int = 8080,
    builder_port: int = DEFAULT_BUILDER_PORT,
    *,
    flavour: Flavour = "faas-netes",
    queue: QueueConfig | None = None,
) -> Iterator[Demo]:
    """Serve the demo gateway and builder until the block ends (port 0: a free port; ``queue``: its async queue)."""
    password, token = secrets.token_urlsafe(18), secrets.token_urlsafe(24)
    builder_secret = secrets.token_urlsafe(24)
    iam = iam_available()
    gateway = build_gateway(flavour, password, token, iam=iam, queue=queue)
    builder = FakeBuilder(builder_secret)
    builder.fail("*:broken", "exit code: 1")  # for the guides' failed builds
    with contextlib.ExitStack() as stack:
        stack.enter_context(gateway)
        url = stack.enter_context(gateway.serve(host, port))
        builder_url = stack.enter_context(builder.serve(builder_port))
        environment = {
            "OPENFAAS_URL": url,
            "OPENFAAS_USER": DEMO_USER,
            "OPENFAAS_PASSWORD": password,
            # A static bearer token the gateway accepts too, as an OpenFaaS Pro gateway would (OPENFAAS_TOKEN
            # cannot hold it: pyopenfaas refuses a password and a token at once).
            "DEMO_BEARER_TOKEN": token,
            "BUILDER_URL": builder_url,
            "BUILDER_PAYLOAD_SECRET": builder_secret,
        }
        if gateway.iam is not None:
            tokens = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pyopenfaas-demo-")))
            (tokens / "openfaas-token").write_text(gateway.iam.service_account_token(), encoding="utf-8")
            # The fake IAM plays an identity provider too: a client for the client-credentials grant.
            client_secret = secrets.token_urlsafe(24)
            gateway.iam.add_client(IDP_CLIENT_ID, client_secret)
            environment.update(
                token_mount_path=str(tokens),
                IDP_TOKEN_URL=f"{url}/oauth/token",
                IDP_CLIENT_ID=IDP_CLIENT_ID,
                IDP_CLIENT_SECRET=client_secret,
            )
        yield Demo(gateway, builder, environment)


def banner(demo: Demo, flavour: str) -> str:
    """What ``--demo`` prints once listening."""
    iam = "with OpenFaaS IAM" if demo.gateway.iam is not None else "no IAM: pip install 'pyopenfaas[testing]' for it"
    lines = [
        f"Fake OpenFaaS gateway ({flavour}, basic auth on /system/*, {iam}) listening on "
        f"{demo.environment['OPENFAAS_URL']}",
        f"Fake Function Builder listening on {demo.environment['BUILDER_URL']}: builds of images tagged "
        "'broken' fail (Ctrl-C stops both)",
        "",
        "Functions:",
    ]
    lines += [f"  {name:<11} {what}" for name, (_, what) in [*FUNCTIONS.items(), *STATEFUL.items()]]
    if demo.gateway.iam is not None:
        lines.append(f"  {'billing':<11} needs a function token (jwt_auth=true): answers 'charged <body>'")
    lines += ["", "Paste into the shell that runs your code:", ""]
    lines += [f"  {line}" for line in demo.exports().splitlines()]
    return "\n".join(lines)
