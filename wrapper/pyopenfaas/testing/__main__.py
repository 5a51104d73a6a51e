"""``python -m pyopenfaas.testing``: run a fake OpenFaaS gateway over HTTP until interrupted."""

from __future__ import annotations

import argparse
import contextlib
import threading
from collections.abc import Sequence

from ._gateway import FakeGateway


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the command line and serve until Ctrl-C."""
    parser = argparse.ArgumentParser(prog="python -m pyopenfaas.testing", description="Run a fake OpenFaaS gateway.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port to listen on; 0 picks a free one (default: 8080)")
    parser.add_argument("--flavour", choices=["faas-netes", "faasd"], default="faas-netes", help="provider behaviour")
    parser.add_argument("--username", help="require basic auth on /system/* with this user")
    parser.add_argument("--password", help="the basic auth password")
    parser.add_argument("--token", help="accept this bearer token on /system/*")
    args = parser.parse_args(argv)
    if (args.username is None) != (args.password is None):
        parser.error("--username and --password go together")
    gateway = FakeGateway(flavour=args.flavour, username=args.username, password=args.password, token=args.token)
    with gateway, gateway.serve(args.host, args.port) as url:
        print(f"Fake OpenFaaS gateway ({args.flavour}) listening on {url} (Ctrl-C to stop)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
