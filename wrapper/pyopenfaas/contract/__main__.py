"""``python -m pyopenfaas.contract``: check a live gateway against openapi.yaml; exit 0 (conforms), 1 (departs) or
2 (usage or connection error)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from .._errors import APIConnectionError, APIStatusError, ConfigurationError
from ._check import DEFAULT_IMAGE, check

PROG = "python -m pyopenfaas.contract"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Check that a gateway answers as openapi.yaml describes. Credentials come from the usual "
        "settings (OPENFAAS_USER/OPENFAAS_PASSWORD, OPENFAAS_TOKEN, the faas-cli config) and are never printed.",
    )
    parser.add_argument("url", nargs="?", help="the gateway (default: OPENFAAS_URL, else the faas-cli default)")
    parser.add_argument(
        "--write",
        action="store_true",
        help="also create, invoke and remove a scratch secret and function in --namespace (without it, only GETs)",
    )
    parser.add_argument("--namespace", help="the namespace to read, and with --write the one to write to")
    parser.add_argument(
        "--image", default=DEFAULT_IMAGE, help=f"the scratch function's image (default: {DEFAULT_IMAGE})"
    )
    parser.add_argument("--username", help="basic auth user (with --password-stdin)")
    parser.add_argument("--password-stdin", action="store_true", help="read the basic auth password from stdin")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request (default: 30)")
    parser.add_argument(
        "--ready-timeout", type=float, default=120.0, help="seconds to wait for the scratch function (default: 120)"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON (for CI)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the check; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.write and args.namespace is None:
        parser.error("--write needs --namespace: the namespace the scratch function and secret may be created in")
    if args.password_stdin and args.username is None:
        parser.error("--password-stdin needs --username")
    options: dict[str, Any] = {"timeout": args.timeout}
    if args.username is not None:
        options["username"] = args.username
        if args.password_stdin:
            options["password"] = sys.stdin.readline().rstrip("\r\n")
    try:
        report = check(
            args.url,
            write=args.write,
            namespace=args.namespace,
            image=args.image,
            ready_timeout=args.ready_timeout,
            **options,
        )
    except (ImportError, ValueError, ConfigurationError, APIConnectionError, APIStatusError) as exc:
        if args.json:
            print(json.dumps({"error": str(exc)}))
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    print(report.to_json() if args.json else report.table())
    return report.exit_status


if __name__ == "__main__":
    sys.exit(main())
