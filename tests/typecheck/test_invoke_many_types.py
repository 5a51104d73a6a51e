"""`invoke_many`'s results are typed by its error mode: `mypy --strict` checks this file (`make typecheck`), and
pytest runs it, so the types asserted here are the ones the calls really return."""

from __future__ import annotations

from typing import assert_type

import anyio
from pyopenfaas import AsyncInvocationResponse, AsyncOpenFaaS, InvocationResponse, OpenFaaS, OpenFaaSError
from pyopenfaas.testing import FakeGateway, FunctionRequest, FunctionResponse


def gateway() -> FakeGateway:
    fake = FakeGateway(flavour="faasd")

    def echo(request: FunctionRequest) -> FunctionResponse:
        return FunctionResponse(request.body, status=500 if request.body == b"fail" else 200)

    fake.deploy("echo", handler=echo)
    return fake


def test_raising_mode_yields_responses_only() -> None:
    with OpenFaaS("http://gateway", transport=gateway().transport(), env={}) as client:
        for index, response in client.functions.invoke_many("echo", [b"a", b"b"]):
            assert_type(index, int)
            assert_type(response, InvocationResponse)
            assert isinstance(response, InvocationResponse)
            assert response.content == [b"a", b"b"][index]


def test_returning_mode_yields_responses_or_errors() -> None:
    with OpenFaaS("http://gateway", transport=gateway().transport(), env={}) as client:
        outcomes = dict(client.functions.invoke_many("echo", [b"a", b"fail"], return_exceptions=True))
        for outcome in outcomes.values():
            assert_type(outcome, InvocationResponse | OpenFaaSError)
        assert isinstance(outcomes[0], InvocationResponse)
        assert isinstance(outcomes[1], OpenFaaSError)
        flag: bool = False
        for _, either in client.functions.invoke_many("echo", [b"a"], return_exceptions=flag):
            assert_type(either, InvocationResponse | OpenFaaSError)


def test_json_payloads_are_typed_as_payloads_are() -> None:
    with OpenFaaS("http://gateway", transport=gateway().transport(), env={}) as client:
        documents = [{"id": 1}, {"id": 2}]
        for index, response in client.functions.invoke_many("echo", json_payloads=documents):
            assert_type(response, InvocationResponse)
            assert response.json() == documents[index]
        for _, outcome in client.functions.invoke_many("echo", json_payloads=[[1]], return_exceptions=True):
            assert_type(outcome, InvocationResponse | OpenFaaSError)
        # Neither, or both: refused by the type checker (an unused ignore fails `make typecheck`) and at run time.
        try:
            client.functions.invoke_many("echo")  # type: ignore[call-overload]
        except ValueError:
            pass
        else:
            raise AssertionError("invoke_many without payloads was accepted")
        try:
            client.functions.invoke_many("echo", [b"a"], json_payloads=[{}])  # type: ignore[call-overload]
        except ValueError:
            pass
        else:
            raise AssertionError("invoke_many with both kinds of payloads was accepted")


def test_async_modes_are_typed_alike() -> None:
    async def main() -> None:
        async with AsyncOpenFaaS("http://gateway", transport=gateway().transport(), env={}) as client:
            async for _, response in client.functions.invoke_many("echo", [b"a"]):
                assert_type(response, AsyncInvocationResponse)
                assert isinstance(response, AsyncInvocationResponse)
            async for _, outcome in client.functions.invoke_many("echo", [b"fail"], return_exceptions=True):
                assert_type(outcome, AsyncInvocationResponse | OpenFaaSError)
                assert isinstance(outcome, OpenFaaSError)
            async for _, sent in client.functions.invoke_many("echo", json_payloads=[{"a": 1}]):
                assert_type(sent, AsyncInvocationResponse)
                assert sent.json() == {"a": 1}

    anyio.run(main)
