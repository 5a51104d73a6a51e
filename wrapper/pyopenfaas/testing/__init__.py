"""An in-memory OpenFaaS gateway for tests, demos and local development.

>>> from pyopenfaas.testing import FakeGateway
>>> gateway = FakeGateway(flavour="faasd")
>>> gateway.deploy("hello", handler=lambda request: f"Hello, {request.text}")

Use ``gateway.transport()`` as an httpx transport (no sockets), or ``with gateway.serve() as url:``
for a real HTTP server on 127.0.0.1. The pytest plugin provides the ``fake_gateway``,
``openfaas_client`` and ``async_openfaas_client`` fixtures; ``python -m pyopenfaas.testing`` runs one.
``FakeBuilder`` is a fake Function Builder (sealed build secrets need ``pyopenfaas[builder]``).
``FakeGateway(queue=QueueConfig(...))`` configures the async queue (CE or Pro-like); ``gateway.queue``
(a :class:`FakeQueue`) has switches for tests (drop, duplicate, delay, fail, pause, ...) and counters.
``FakeGateway(iam=True)`` adds OpenFaaS IAM (``gateway.iam``, a :class:`FakeIAM`; needs
``pip install 'pyopenfaas[testing]'``).
"""

from typing import TYPE_CHECKING, Any

from .._public import publish
from ._builder import FakeBuilder
from ._builds import RecordedBuild
from ._gateway import FakeGateway
from ._http import Reply
from ._queue import FakeQueue, QueueConfig, QueueStats
from ._transport import FakeBuilderTransport, FakeTransport
from ._types import FunctionRequest, FunctionResponse, Handler, HandlerResult, RecordedRequest

if TYPE_CHECKING:
    from ._iam import FakeIAM

__all__ = [
    "FakeBuilder",
    "FakeBuilderTransport",
    "FakeGateway",
    "FakeIAM",
    "FakeQueue",
    "FakeTransport",
    "FunctionRequest",
    "FunctionResponse",
    "Handler",
    "HandlerResult",
    "QueueConfig",
    "QueueStats",
    "RecordedBuild",
    "RecordedRequest",
    "Reply",
]


def __getattr__(name: str) -> Any:
    # FakeIAM signs tokens with PyJWT and cryptography: loaded only when asked for.
    if name == "FakeIAM":
        from ._iam import FakeIAM

        return FakeIAM
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


publish(__name__, globals())
