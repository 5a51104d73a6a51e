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
from pathlib import Path
from typing import Any

import httpx
import pyopenfaas
import pyopenfaas.builder
import pytest
from pyopenfaas.testing import FakeBuilder, FakeGateway
from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser

BUILDER_SECRET = "docs-builder-secret"  # noqa: S105
_SETTINGS = (
    "OPENFAAS_URL", "OPENFAAS_GATEWAY_ADDR", "OPENFAAS_USER", "OPENFAAS_PASSWORD", "OPENFAAS_PASSWORD_FILE",
    "OPENFAAS_TOKEN", "OPENFAAS_NAMESPACE", "OPENFAAS_CLUSTER_TYPE", "OPENFAAS_CONFIG", "token_mount_path",
    "FAAS_DEBUG",
)  # fmt: skip


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
        page = self

        def fake_transport(kwargs: dict[str, Any]) -> None:
            if kwargs.get("transport") is None and kwargs.get("http_client") is None:
                # verify and max_connections configure the default transport, which the fake replaces.
                kwargs.pop("verify", None)
                kwargs.pop("max_connections", None)
                kwargs["transport"] = page.gateway.transport()

        class OpenFaaS(pyopenfaas.OpenFaaS):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                fake_transport(kwargs)
                super().__init__(*args, **kwargs)

        class AsyncOpenFaaS(pyopenfaas.AsyncOpenFaaS):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                fake_transport(kwargs)
                super().__init__(*args, **kwargs)

        class FunctionBuilder(pyopenfaas.builder.FunctionBuilder):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                if kwargs.get("http_client") is None:
                    kwargs["http_client"] = httpx.Client(transport=page.builder.transport())
                super().__init__(*args, **kwargs)

        class AsyncFunctionBuilder(pyopenfaas.builder.AsyncFunctionBuilder):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                if kwargs.get("http_client") is None:
                    kwargs["http_client"] = httpx.AsyncClient(transport=page.builder.transport())
                super().__init__(*args, **kwargs)

        for cls in (OpenFaaS, AsyncOpenFaaS, FunctionBuilder, AsyncFunctionBuilder):
            cls.__name__ = cls.__qualname__ = cls.__mro__[1].__name__
        self.monkeypatch.setattr(pyopenfaas, "OpenFaaS", OpenFaaS)
        self.monkeypatch.setattr(pyopenfaas, "AsyncOpenFaaS", AsyncOpenFaaS)
        self.monkeypatch.setattr(pyopenfaas.builder, "FunctionBuilder", FunctionBuilder)
        self.monkeypatch.setattr(pyopenfaas.builder, "AsyncFunctionBuilder", AsyncFunctionBuilder)

    def close(self) -> None:
        self.gateway.close()
        self.monkeypatch.undo()
        self.folder.cleanup()


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
