"""A pytest-httpserver gateway that checks every exchange against openapi.yaml, and its fixtures.

Every request the clients send in tests/client and tests/contract reaches a `ContractServer`, which validates the
request before answering and the canned response it serves (a streamed response once its last chunk is sent).
It also asserts, on the server side, that no `Authorization` header ever reaches `/function/*` or
`/async-function/*`. The `gateway` fixture fails the test on any problem, and when a request went unvalidated.
"""

from __future__ import annotations

import atexit
import base64
import functools
import select
import socket
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response
from werkzeug.datastructures import Headers

from .spec import Contract, SpecRequest, SpecResponse

USERNAME = "admin"
PASSWORD = "pa55-w0rd-xyzzy"  # distinctive, so a leak is found by searching for it
TOKEN = "t0ken-plugh-4242"


def spec_request(request: Request, prefix: str = "") -> SpecRequest:
    path = request.path[len(prefix) :] if prefix and request.path.startswith(prefix + "/") else request.path
    return SpecRequest.build(
        request.method,
        path,
        query=list(request.args.items(multi=True)),
        headers=request.headers,
        body=request.get_data(),
    )


# Every form in which the test clients' gateway credentials can travel.
CREDENTIAL_FORMS = (PASSWORD, TOKEN, base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode())


def _carries_credentials(request: Request) -> bool:
    """The gateway credentials in any header or in the URL. (A caller's own Authorization for a function is fine.)"""
    seen = [value for _, value in request.headers.items()] + [request.full_path]
    return any(form in value for form in CREDENTIAL_FORMS for value in seen)


class ContractServer(HTTPServer):
    """HTTPServer (threaded, 127.0.0.1) whose every exchange is validated against openapi.yaml."""

    def __init__(self, contract: Contract) -> None:
        super().__init__(host="127.0.0.1", port=0, threaded=True)
        self.contract = contract
        self.problems: list[str] = []
        self.validated_requests = 0
        self.operations: set[tuple[str, str]] = set()
        # Set by a test that serves a malformed answer on purpose: response problems are then kept apart, and the
        # test fails if the answer was not, after all, a contract violation.
        self.allow_bad_responses = False
        self.bad_responses: list[str] = []
        # A gateway behind a path prefix (`http://host/openfaas`): the prefix is not part of openapi.yaml's paths.
        self.path_prefix = ""
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._in_flight = 0
        self._connections = 0

    def thread_target(self) -> None:
        # Count connections from accept to close, accepting under the lock so that `wait_idle` sees a connection
        # either waiting in the listen queue or counted: a request a test left in flight reaches no later test.
        server = self.server
        assert server is not None
        accept, close = server.get_request, server.shutdown_request

        def get_request() -> tuple[socket.socket, Any]:
            with self._lock:
                connection = accept()
                self._connections += 1
            return connection

        def shutdown_request(request: Any) -> None:
            try:
                close(request)
            finally:
                with self._idle:
                    self._connections -= 1
                    self._idle.notify_all()

        server.get_request = get_request  # type: ignore[method-assign]
        server.shutdown_request = shutdown_request  # type: ignore[method-assign]
        super().thread_target()

    def _connection_waiting(self) -> bool:
        assert self.server is not None
        return bool(select.select([self.server.socket], [], [], 0)[0])

    def application(self, request: Request) -> Response:
        with self._lock:
            self._in_flight += 1
        try:
            return super().application(request)
        finally:
            with self._idle:
                self._in_flight -= 1
                self._idle.notify_all()

    def wait_idle(self, timeout: float = 10.0) -> None:
        """Wait until every request has been answered and logged (a client may give up before its handler does),
        and every connection is closed: the clients of the test that ends are closed by then, so nothing they sent
        can still arrive."""
        with self._idle:
            idle = self._idle.wait_for(
                lambda: self._in_flight == 0 and self._connections == 0 and not self._connection_waiting(), timeout
            )
            assert idle, f"{self._in_flight} request(s) still running, {self._connections} connection(s) still open"

    def clear(self) -> None:
        super().clear()
        with self._lock:
            self.problems = []
            self.validated_requests = 0
            self.operations = set()
            self.allow_bad_responses = False
            self.bad_responses = []
            self.path_prefix = ""

    def _record(self, problems: list[str]) -> None:
        if problems:
            with self._lock:
                self.problems.extend(problems)

    def _record_response(self, problems: list[str]) -> None:
        if problems and self.allow_bad_responses:
            with self._lock:
                self.bad_responses.extend(problems)
        else:
            self._record(problems)

    def dispatch(self, request: Request) -> Response:
        checked = spec_request(request, self.path_prefix)
        problems = self.contract.request_problems(checked)
        if checked.path.startswith(("/function/", "/async-function/")) and _carries_credentials(request):
            problems.append(f"{request.method} {request.path}: gateway credentials were sent to a function")
        self._record(problems)
        if not problems:
            template = self.contract.template_for(checked.path)
            with self._lock:
                self.validated_requests += 1
                if template is not None:
                    self.operations.add((request.method, template))
        response = super().dispatch(request)
        if response.is_streamed:
            response.response = self._validated_stream(checked, response, response.response)
        else:
            data = response.get_data()
            self._record_response(self.contract.response_problems(checked, _spec_response(response, data)))
        return response

    def _validated_stream(
        self, request: SpecRequest, response: Response, chunks: Iterable[bytes] | Iterable[str]
    ) -> Iterator[bytes]:
        """Pass a streamed body on chunk by chunk; validate it once it has all been sent."""
        seen = bytearray()
        for chunk in chunks:
            data = chunk.encode() if isinstance(chunk, str) else chunk
            seen += data
            yield data
        self._record_response(self.contract.response_problems(request, _spec_response(response, bytes(seen))))


def _spec_response(response: Response, data: bytes) -> SpecResponse:
    return SpecResponse(response.status_code, data, Headers(response.headers))


@dataclass
class Gateway:
    """The contract server for one test, with the credentials the clients should use."""

    server: ContractServer
    username: str = USERNAME
    password: str = PASSWORD
    token: str = TOKEN

    @property
    def url(self) -> str:
        return self.server.url_for("/").rstrip("/")

    @property
    def requests(self) -> list[Request]:
        return [request for request, _ in self.server.log]

    def only_request(self) -> Request:
        assert len(self.server.log) == 1, [f"{r.method} {r.full_path}" for r in self.requests]
        return self.requests[0]

    def check(self) -> None:
        """Fail on a contract problem, a request no handler expected, or an error in a handler."""
        self.server.wait_idle()
        self.server.check_assertions()
        self.server.check_handler_errors()
        assert not self.server.problems, "\n".join(self.server.problems)
        assert self.server.validated_requests == len(self.server.log), "a request was not validated"
        if self.server.allow_bad_responses:
            assert self.server.bad_responses, "allow_bad_responses was set, but every response matched openapi.yaml"

    def serve_bad_responses(self) -> None:
        """This test serves answers that break openapi.yaml on purpose (to test the client's checks)."""
        self.server.allow_bad_responses = True


@functools.cache
def _shared_contract() -> Contract:
    return Contract()


@functools.cache
def _shared_server() -> ContractServer:
    server = ContractServer(_shared_contract())
    server.start()
    atexit.register(server.stop)
    return server


# One contract and one server for the whole run: tests/client and tests/contract each register these fixtures.
@pytest.fixture(scope="session")
def contract() -> Contract:
    return _shared_contract()


@pytest.fixture(scope="session")
def contract_server() -> ContractServer:
    return _shared_server()


@pytest.fixture
def gateway(contract_server: ContractServer) -> Iterator[Gateway]:
    """A fresh view of the contract server; the test fails on any contract problem it caused."""
    contract_server.wait_idle()
    contract_server.clear()
    gateway = Gateway(contract_server)
    yield gateway
    gateway.check()
    contract_server.clear()
