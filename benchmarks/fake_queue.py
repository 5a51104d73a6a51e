"""How fast the fake gateway's queue posts callbacks: ``python -m benchmarks.fake_queue [--calls N]``.

A trivial receiver (asyncio, its own process) answers 200 to every POST. The fake (in this process) is
paused while N calls are queued through its transport, then resumed: the time until the queue is idle again
covers N function calls and N callbacks over real HTTP. Printed per queue set-up, in callbacks per second.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time

import httpx
from pyopenfaas.testing import FakeGateway, QueueConfig

_OK = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
_OK_CLOSE = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


class _Receiver(asyncio.Protocol):
    """Just enough HTTP/1.1: read a head and a Content-Length body, answer 200, close if asked."""

    count = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport: asyncio.Transport = transport  # type: ignore[assignment]
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            head = self.buffer[:end].lower()
            start = head.find(b"content-length:")
            length = int(head[start + 15 :].split(b"\r\n", 1)[0]) if start >= 0 else 0
            if len(self.buffer) < end + 4 + length:
                return
            self.buffer = self.buffer[end + 4 + length :]
            _Receiver.count += 1
            if b"connection: close" in head:
                self.transport.write(_OK_CLOSE)
                self.transport.close()
                return
            self.transport.write(_OK)


async def _receive() -> None:
    server = await asyncio.get_running_loop().create_server(_Receiver, "127.0.0.1", 0, backlog=1024)
    print(server.sockets[0].getsockname()[1], flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    print(_Receiver.count, flush=True)


def _rate(config: QueueConfig, url: str, calls: int) -> float:
    with FakeGateway(queue=config) as gateway:
        gateway.deploy("fn")
        client = httpx.Client(transport=gateway.transport(), base_url="http://fake")
        gateway.queue.pause()
        headers = {"X-Callback-Url": url}
        for _ in range(calls):
            client.post("/async-function/fn", content=b"x", headers=headers)
        started = time.perf_counter()
        gateway.queue.resume()
        gateway.wait_idle(timeout=None)
        elapsed = time.perf_counter() - started
        stats = gateway.queue.stats
        assert stats.callbacks_posted == calls, stats
    return calls / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fake_queue")
    parser.add_argument("--calls", type=int, default=20_000)
    args = parser.parse_args()
    receiver = subprocess.Popen(
        [sys.executable, "-c", "from benchmarks.fake_queue import _receive; import asyncio; asyncio.run(_receive())"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert receiver.stdin is not None
    assert receiver.stdout is not None
    url = f"http://127.0.0.1:{receiver.stdout.readline().strip()}/done"
    setups = [
        ("CE, 1 worker, Connection: close (as the real one)", QueueConfig()),
        ("CE, 1 worker, keep-alive", QueueConfig(callback_keep_alive=True)),
        ("CE, 4 workers, keep-alive", QueueConfig(workers=4, callback_keep_alive=True)),
        ("Pro-like, 1 worker x max_inflight 8, keep-alive", QueueConfig(edition="pro", max_inflight=8,
                                                                         callback_keep_alive=True)),
    ]  # fmt: skip
    total = 0
    for name, config in setups:
        rate = _rate(config, url, args.calls)
        total += args.calls
        print(f"{name:52} {rate:8,.0f} callbacks/s", flush=True)
    receiver.stdin.write("\n")
    receiver.stdin.flush()
    received = int(receiver.stdout.readline())
    receiver.wait()
    print(f"receiver got {received:,} of {total:,} callbacks")


if __name__ == "__main__":
    main()
