"""Follow a function's logs as they are written, then stop: a `with` block closes the stream.

Runs against pyopenfaas.testing's fake gateway (served on 127.0.0.1 for the run); the function logs a line per
call while this script reads the stream. With your own gateway, use `OpenFaaS()` and drop the fake.

    python examples/follow_logs.py
"""

from __future__ import annotations

import threading

from pyopenfaas import OpenFaaS
from pyopenfaas.testing import FakeGateway, FunctionRequest

CALLS = 5


def worker(request: FunctionRequest) -> str:
    request.log(f"processing order {request.text}")
    return "done"


def place_orders(url: str) -> None:
    with OpenFaaS(url, env={}) as client:
        for order in range(1, CALLS + 1):
            client.functions.invoke("orders", str(order))


def main() -> None:
    gateway = FakeGateway()
    gateway.deploy("orders", env_process="python worker.py", handler=worker)
    with gateway, gateway.serve() as url, OpenFaaS(url, env={}) as client:
        seen = 0
        # tail=1: the newest line already written (the start-up line), then every new one as it comes.
        with client.functions.logs("orders", follow=True, tail=1) as stream:
            threading.Thread(target=place_orders, args=(url,), daemon=True).start()
            for entry in stream:
                print(f"{entry.timestamp:%H:%M:%S.%f} {entry.instance}: {entry.text}")
                seen += entry.text.startswith("processing")
                if seen == CALLS:
                    break  # leaving the `with` block closes the stream
        print(f"followed {seen} calls")


if __name__ == "__main__":
    main()
