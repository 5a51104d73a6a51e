"""Runs every Python example of README.md and docs/ against the fake gateway (Sybil), so the docs cannot drift.

The examples of one page run in order, in one namespace, against a fresh ``FakeGateway`` (faas-netes, no auth)
and a fresh ``FakeBuilder``. Every ``OpenFaaS``/``AsyncOpenFaaS`` and ``FunctionBuilder``/``AsyncFunctionBuilder``
an example makes, whatever URL it names, is served by them in-process: the URL is still parsed and checked as
usual, only the transport is the fake's. The environment holds no pyopenfaas settings but
``OPENFAAS_URL=http://127.0.0.1:8080``, no faas-cli config is found, and the working directory is a fresh
temporary folder. A page prepares what its examples need in hidden blocks
(``<!-- invisible-code-block: python ... -->``), with these names:

- ``gateway``: the current ``FakeGateway``; ``use_gateway(**options)`` replaces it by a new one (``iam=True``
  also writes a service-account token of its fake IAM under ``token_mount_path``).
- ``fake_builder``, ``builder_secret``: the ``FakeBuilder`` and its HMAC secret.
- ``monkeypatch``: a ``pytest.MonkeyPatch`` undone after the page.

``<!-- skip: next "reason" -->`` skips the next example, with its reason.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pyopenfaas
import pyopenfaas.builder
import pytest
from pyopenfaas import _config, auth
from pyopenfaas.testing import FakeBuilder, FakeGateway
from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser

BUILDER_SECRET = "docs-builder-secret"  # noqa: S105
# Every variable pyopenfaas reads, from where the code names them.
_SETTINGS = [value for key, value in vars(_config).items() if key.startswith("ENV_")] + [auth.TOKEN_MOUNT_PATH_ENV]


class _Page:
    """What one page's examples run against; undone by close()."""

    def __init__(self, namespace: dict[str, Any]) -> None:
        self.namespace = namespace
        self.monkeypatch = pytest.MonkeyPatch()
        self.folder = tempfile.TemporaryDirectory(prefix="pyopenfaas-docs-")
        self.gateway = FakeGateway()
        self.builder = FakeBuilder(BUILDER_SECRET)
        for name in _SETTINGS:
            self.monkeypatch.delenv(name, raising=False)
        self.monkeypatch.setenv("OPENFAAS_URL", "http://127.0.0.1:8080")
        self.monkeypatch.setenv("OPENFAAS_CONFIG", os.path.join(self.folder.name, "no-faas-cli-config"))
        work = Path(self.folder.name, "work")
        work.mkdir()
        self.monkeypatch.chdir(work)
        self._route_clients()
        namespace.update(
            gateway=self.gateway,
            use_gateway=self.use_gateway,
            fake_builder=self.builder,
            builder_secret=BUILDER_SECRET,
            monkeypatch=self.monkeypatch,
        )

    def use_gateway(self, **options: Any) -> FakeGateway:
        """Replace the page's fake gateway by ``FakeGateway(**options)``."""
        self.gateway.close()
        self.gateway = self.namespace["gateway"] = FakeGateway(**options)
        if self.gateway.iam is not None:
            mount = Path(self.folder.name, "tokens")
            mount.mkdir(exist_ok=True)
            (mount / "openfaas-token").write_text(self.gateway.iam.service_account_token(), encoding="utf-8")
            self.monkeypatch.setenv("token_mount_path", str(mount))
        return self.gateway

    def _route_clients(self) -> None:
        def gateway_transport(kwargs: dict[str, Any]) -> None:
            if kwargs.get("transport") is None and kwargs.get("http_client") is None:
                # verify and max_connections configure the default transport, which the fake replaces.
                kwargs.pop("verify", None)
                kwargs.pop("max_connections", None)
                kwargs["transport"] = self.gateway.transport()

        def builder_client(http: type[httpx.Client] | type[httpx.AsyncClient]) -> Callable[[dict[str, Any]], None]:
            def inject(kwargs: dict[str, Any]) -> None:
                if kwargs.get("http_client") is None:
                    kwargs["http_client"] = http(transport=self.builder.transport())

            return inject

        for module, name, inject in (
            (pyopenfaas, "OpenFaaS", gateway_transport),
            (pyopenfaas, "AsyncOpenFaaS", gateway_transport),
            (pyopenfaas.builder, "FunctionBuilder", builder_client(httpx.Client)),
            (pyopenfaas.builder, "AsyncFunctionBuilder", builder_client(httpx.AsyncClient)),
        ):
            self.monkeypatch.setattr(module, name, _routed(getattr(module, name), inject))

    def close(self) -> None:
        self.gateway.close()
        self.monkeypatch.undo()
        self.folder.cleanup()


def _routed(cls: type, inject: Callable[[dict[str, Any]], None]) -> type:
    """A subclass of `cls` whose constructor lets `inject` fill in its keyword arguments first."""

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        inject(kwargs)
        cls.__init__(self, *args, **kwargs)  # type: ignore[misc]  # cls is the class extended, not an instance

    return type(cls.__name__, (cls,), {"__init__": __init__, "__qualname__": cls.__qualname__})


def _setup(namespace: dict[str, Any]) -> None:
    namespace["_page"] = _Page(namespace)


def _teardown(namespace: dict[str, Any]) -> None:
    namespace["_page"].close()


pytest_collect_file = Sybil(
    parsers=[PythonCodeBlockParser(), SkipParser()],
    patterns=["README.md", "docs/*.md", "docs/**/*.md"],
    setup=_setup,
    teardown=_teardown,
).pytest()
