"""The one fault server of the suite: HTTP/1.1 on 127.0.0.1 (ephemeral ports) that misbehaves on purpose, written
on raw sockets so that a test controls every byte and every pause: a body sent in pieces, a stall, a reset, a reply
cut in the middle, a TLS handshake, a forward proxy. Every test that needs a misbehaving server uses it.

It runs in one of two places, for one reason: who may block.

- `FaultServer` (threaded.py) serves from threads of its own, so a test may drive a client that blocks (`OpenFaaS`)
  as well as an async one: the client tests (tests/client); TLS, connection errors and timeouts (tests/transport).
  Behaviours are plain functions; they wait on `threading.Event`s, bounded by PATIENCE.
- `serve` (onloop.py) runs its handlers on the test's own event loop, so handler and test share `asyncio.Event`s
  with no thread in between: the transport tests of pools, proxies and the default transport, streamed bodies.
  `forward_proxy` is built on it.

Both end everything they started when their block ends.
"""

from tests.support.faultserver.onloop import Exchange, Handler, Server, forward_proxy, serve, wait
from tests.support.faultserver.threaded import PATIENCE, Behaviour, Conn, FaultServer, Received, answer

__all__ = [
    "PATIENCE",
    "Behaviour",
    "Conn",
    "Exchange",
    "FaultServer",
    "Handler",
    "Received",
    "Server",
    "answer",
    "forward_proxy",
    "serve",
    "wait",
]
