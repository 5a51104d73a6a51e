"""An in-memory OpenFaaS gateway for tests, demos and local development.

>>> from pyopenfaas.testing import FakeGateway
>>> gateway = FakeGateway(flavour="faasd")
>>> gateway.deploy("hello", handler=lambda request: f"Hello, {request.text}")

Use ``gateway.transport()`` as an httpx transport (no sockets), or ``with gateway.serve() as url:``
for a real HTTP server on 127.0.0.1. The pytest plugin provides the ``fake_gateway``,
``openfaas_client`` and ``async_openfaas_client`` fixtures; ``python -m pyopenfaas.testing`` runs one.
"""

from ._gateway import FakeGateway
from ._http import Reply
from ._transport import FakeTransport
from ._types import FunctionRequest, FunctionResponse, Handler, HandlerResult, RecordedRequest

__all__ = [
    "FakeGateway",
    "FakeTransport",
    "FunctionRequest",
    "FunctionResponse",
    "Handler",
    "HandlerResult",
    "RecordedRequest",
    "Reply",
]
