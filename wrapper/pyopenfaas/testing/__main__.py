"""``python -m pyopenfaas.testing``: run a fake OpenFaaS gateway over HTTP until interrupted."""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shlex
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from ._demo import DEFAULT_BUILDER_PORT, serve_demo
from ._demo import banner as demo_banner
from ._flavours import FLAVOURS
from ._gateway import FakeGateway
from ._queue import CE_BODY_LIMIT, QueueConfig


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pyopenfaas.testing", description="Run a fake OpenFaaS gateway.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port to listen on; 0 picks a free one (default: 8080)")
    parser.add_argument(
        "--flavour",
        "--flavor",
        dest="flavour",
        choices=list(FLAVOURS),
        default="faas-netes",
        help="the provider whose behaviour to copy (default: faas-netes)",
    )
    parser.add_argument(
        "--auth", action="store_true", help="require basic auth on /system/* as admin, with a generated password"
    )
    parser.add_argument("--username", help="require basic auth on /system/* with this user (needs --password)")
    parser.add_argument("--password", help="the basic auth password (never printed)")
    parser.add_argument("--token", help="accept this bearer token on /system/* (never printed)")
    parser.add_argument(
        "--iam", action="store_true", help="run OpenFaaS IAM: /oauth/token, gateway tokens, function auth (jwt_auth)"
    )
    parser.add_argument("--issuer", default="http://gateway.openfaas:8080", help="the IAM issuer (with --iam)")
    parser.add_argument(
        "--token-mount-path",
        type=Path,
        metavar="DIR",
        help="with --iam: write a service-account token to DIR/openfaas-token (point token_mount_path at DIR)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="serve the guides' set-up: the gateway (basic auth; IAM with pyopenfaas[testing]) with their functions "
        "preloaded, and a fake Function Builder; prints the export lines to paste",
    )
    parser.add_argument(
        "--builder-port",
        type=int,
        help=f"with --demo: the builder's port (default: {DEFAULT_BUILDER_PORT}, or a free one with --port 0)",
    )
    queue = parser.add_argument_group("async queue (/async-function/)")
    queue.add_argument(
        "--queue", choices=["ce", "pro"], default="ce", help="queue worker edition: CE (default) or Pro-like"
    )
    queue.add_argument("--queue-workers", type=int, default=1, metavar="N", help="queue workers (default: 1)")
    queue.add_argument(
        "--max-inflight", type=int, default=1, metavar="N", help="calls at once per worker (Pro only; default: 1)"
    )
    queue.add_argument(
        "--body-limit",
        type=int,
        default=CE_BODY_LIMIT,
        metavar="BYTES",
        help=f"largest queued body (another value: Pro only; default: {CE_BODY_LIMIT})",
    )
    queue.add_argument("--ack-wait", type=float, default=30.0, metavar="SECONDS", help="redeliver after (default: 30)")
    queue.add_argument("--retry-attempts", type=int, default=10, metavar="N", help="Pro retries (default: 10)")
    queue.add_argument(
        "--retry-wait", type=float, default=10.0, metavar="SECONDS", help="Pro's first back-off (default: 10)"
    )
    queue.add_argument(
        "--callback-keep-alive",
        action="store_true",
        help="reuse connections to callback receivers (the real worker opens one per callback)",
    )
    return parser


def queue_config(parser: argparse.ArgumentParser, args: argparse.Namespace) -> QueueConfig:
    """The queue the command line asks for; a usage error if it is not one."""
    try:
        return QueueConfig(
            edition=args.queue,
            workers=args.queue_workers,
            max_inflight=args.max_inflight,
            body_limit=args.body_limit,
            ack_wait=args.ack_wait,
            max_retry_attempts=args.retry_attempts,
            initial_retry_wait=args.retry_wait,
            callback_keep_alive=args.callback_keep_alive,
        )
    except ValueError as exc:
        parser.error(str(exc))


def banner(
    url: str,
    flavour: str,
    *,
    username: str | None,
    generated_password: str | None,
    token: bool,
    iam: bool = False,
    token_mount_path: Path | None = None,
    queue: QueueConfig | None = None,
) -> str:
    """What the command prints once listening: the gateway, whether auth is on, and the lines that point
    a client (pyopenfaas or faas-cli) at it. Only a password generated here is shown; one the user chose
    on the command line stays out of the terminal's scrollback."""
    schemes = [name for name, on in (("basic", username is not None), ("bearer", token), ("IAM", iam)) if on]
    auth = f"{' or '.join(schemes)} auth on /system/*" if schemes else "no auth"
    lines = [f"Fake OpenFaaS gateway ({flavour}, {auth}) listening on {url} (Ctrl-C to stop)"]
    if queue is not None and queue.edition == "pro":
        lines.append(f"  async queue: Pro-like, {queue.workers} worker(s) x max_inflight {queue.max_inflight}")
    lines.append("")
    lines.append(f"  export OPENFAAS_URL={url}")
    if username is not None:
        lines.append(f"  export OPENFAAS_USER={shlex.quote(username)}")
        if generated_password is not None:
            lines.append(f"  export OPENFAAS_PASSWORD={shlex.quote(generated_password)}")
        else:
            lines.append("  export OPENFAAS_PASSWORD=...  # the --password you gave")
    elif token:
        lines.append("  export OPENFAAS_TOKEN=...  # the --token you gave")
    if token_mount_path is not None:
        lines.append(f"  export token_mount_path={shlex.quote(str(token_mount_path))}  # a service-account token")
    return "\n".join(lines)


def _reason(exc: OSError) -> str:
    return os.strerror(exc.errno) if exc.errno else str(exc)


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the command line and serve until Ctrl-C or SIGTERM."""
    parser = _parser()
    args = parser.parse_args(argv)
    # SIGTERM (kill, process managers) stops as Ctrl-C does, with the clean-up: a shell's background job ignores
    # SIGINT, so Ctrl-C alone cannot be the only way out.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    if args.demo:
        _demo(parser, args)
        return
    if args.builder_port is not None:
        parser.error("--builder-port needs --demo")
    generated = None
    if args.auth:
        if args.username is not None or args.password is not None:
            parser.error("--auth generates the credentials: leave out --username and --password")
        generated = secrets.token_urlsafe(18)
        args.username, args.password = "admin", generated
    if (args.username is None) != (args.password is None):
        parser.error("--username and --password go together")
    if (args.token_mount_path is not None or args.issuer != parser.get_default("issuer")) and not args.iam:
        parser.error("--issuer and --token-mount-path need --iam")
    queue = queue_config(parser, args)
    gateway = FakeGateway(
        flavour=args.flavour,
        username=args.username,
        password=args.password,
        token=args.token,
        iam=args.iam,
        issuer=args.issuer,
        queue=queue,
    )
    if gateway.iam is not None and args.token_mount_path is not None:
        args.token_mount_path.mkdir(parents=True, exist_ok=True)
        (args.token_mount_path / "openfaas-token").write_text(gateway.iam.service_account_token(), encoding="utf-8")
    with gateway, contextlib.ExitStack() as stack:
        try:
            url = stack.enter_context(gateway.serve(args.host, args.port, access_log=sys.stderr))
        except OSError as exc:
            sys.exit(
                f"python -m pyopenfaas.testing: cannot listen on {args.host}:{args.port}: {_reason(exc)} "
                "(is another gateway running there? choose another --port, or --port 0 for a free one)"
            )
        # Ctrl-C may come as soon as the banner is out (a script waiting for it): be ready for it before.
        with contextlib.suppress(KeyboardInterrupt):
            print(
                banner(
                    url,
                    args.flavour,
                    username=args.username,
                    generated_password=generated,
                    token=bool(args.token),
                    iam=args.iam,
                    token_mount_path=args.token_mount_path,
                    queue=queue,
                ),
                flush=True,
            )
            threading.Event().wait()


def _demo(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Serve the guides' set-up (``--demo``) until Ctrl-C."""
    chosen = [f"--{name}" for name in ("auth", "username", "password", "token", "iam") if getattr(args, name)]
    if chosen or args.token_mount_path is not None:
        parser.error(f"--demo sets up its own auth: leave out {' '.join(chosen) or '--token-mount-path'}")
    builder_port = args.builder_port
    if builder_port is None:
        builder_port = 0 if args.port == 0 else DEFAULT_BUILDER_PORT
    with contextlib.ExitStack() as stack:
        try:
            demo = stack.enter_context(
                serve_demo(args.host, args.port, builder_port, flavour=args.flavour, queue=queue_config(parser, args))
            )
        except OSError as exc:
            sys.exit(
                f"python -m pyopenfaas.testing: cannot listen on {args.host}:{args.port} and port {builder_port}: "
                f"{_reason(exc)} (choose other ports with --port and --builder-port, or --port 0 for free ones)"
            )
        with contextlib.suppress(KeyboardInterrupt):
            print(demo_banner(demo, args.flavour), flush=True)
            threading.Event().wait()


if __name__ == "__main__":
    main()
