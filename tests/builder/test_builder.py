"""The builder client against the fake builder: signature checked (401 with hmac's text when wrong), the tar
unpacked and checked, secrets opened with the builder's private key, NDJSON results streamed, failures on
request. Sync and async twins, in-process and over a served socket."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterator
from contextlib import aclosing, closing
from pathlib import Path
from typing import assert_type

import httpx
import pytest
from pyopenfaas import APIConnectionError, APIResponseValidationError, AuthenticationError, ConfigurationError
from pyopenfaas.builder import AsyncFunctionBuilder, BuildContext, BuildError, BuildResult, FunctionBuilder
from pyopenfaas.stack import load_stack
from pyopenfaas.testing import FakeBuilder

from .conftest import SECRET

PROJECT = Path(__file__).parents[1] / "stack" / "fixtures" / "project"
ORDERS = PROJECT / "orders"


def test_build_returns_the_final_result(builder: FunctionBuilder, fake: FakeBuilder) -> None:
    result = builder.build(ORDERS, "ttl.sh/orders:1h", build_args={"A": "1"}, platforms=["linux/arm64"])
    assert result.status == "success"
    assert result.image == "ttl.sh/orders:1h"
    assert any("[build  4/6] RUN --mount=type=secret,id=pip_token" in line for line in result.log)
    [build] = fake.builds
    assert (build.image, build.build_args, build.platforms, build.streamed) == (
        "ttl.sh/orders:1h", {"A": "1"}, ["linux/arm64"], False,
    )  # fmt: skip
    assert build.contents["Dockerfile"] == (ORDERS / "Dockerfile").read_bytes()


def test_stream_yields_log_lines_then_success(builder: FunctionBuilder, fake: FakeBuilder) -> None:
    results = list(builder.build_stream(ORDERS, "ttl.sh/orders:1h"))
    assert all(r.status == "in_progress" and len(r.log) == 1 for r in results[:-1])
    assert results[-1] == BuildResult(status="success", image="ttl.sh/orders:1h", duration=results[-1].duration)
    assert results[0].log[0].endswith("[internal] load build definition from Dockerfile")
    assert fake.builds[0].streamed


def test_failed_build_raises_with_the_builders_error(builder: FunctionBuilder, fake: FakeBuilder) -> None:
    fake.fail("ttl.sh/orders:*", "exit code: 1")
    with pytest.raises(
        BuildError, match=r"failure while building or pushing image ttl.sh/orders:1h: exit code: 1"
    ) as e:
        builder.build(ORDERS, "ttl.sh/orders:1h")
    assert e.value.error == "exit code: 1"
    assert any("did not complete successfully" in line for line in e.value.log)


def test_reset_forgets_failures_and_builds(builder: FunctionBuilder, fake: FakeBuilder) -> None:
    assert builder.build(ORDERS, "ttl.sh/orders:1").status == "success"
    fake.fail("ttl.sh/orders:*", "exit code: 1")
    with pytest.raises(BuildError):
        builder.build(ORDERS, "ttl.sh/orders:2")
    fake.reset()
    assert fake.builds == []
    assert builder.build(ORDERS, "ttl.sh/orders:3").status == "success"
    assert [build.image for build in fake.builds] == ["ttl.sh/orders:3"]


def test_failed_build_streamed_is_the_last_result(builder: FunctionBuilder, fake: FakeBuilder) -> None:
    fake.fail()
    *_, last = builder.build_stream(ORDERS, "ttl.sh/orders:1h")
    assert (last.status, last.done) == ("failed", True)
    assert "did not complete successfully" in last.error


def test_wrong_secret_is_401_with_the_builders_text(fake: FakeBuilder) -> None:
    client = httpx.Client(transport=fake.transport())
    builder = FunctionBuilder("http://builder", hmac_secret="wrong-secret-value", http_client=client)
    with builder, pytest.raises(AuthenticationError) as caught:
        builder.build(ORDERS, "ttl.sh/orders:1h")
    assert caught.value.status_code == 401
    assert "wrong-secret-value" not in str(caught.value)
    assert caught.value.body == "invalid message digest or secret"
    assert fake.builds == []


def test_missing_signature_is_401(fake: FakeBuilder) -> None:
    response = httpx.Client(transport=fake.transport()).post("http://builder/build", content=b"x")
    assert (response.status_code, response.text) == (401, "valid hash prefixes: [sha1=, sha256=], got: \n")


def test_build_secrets_are_sealed_and_opened_by_the_builder(builder: FunctionBuilder, fake: FakeBuilder) -> None:
    builder.build(ORDERS, "ttl.sh/orders:1h", build_secrets={"pip_token": "s3cr3t", "ca.crt": b"\x00\x01"})
    assert fake.builds[0].secrets == {"pip_token": b"s3cr3t", "ca.crt": b"\x00\x01"}


def test_pinned_public_key_is_used_without_asking(fake: FakeBuilder) -> None:
    asked: list[str] = []

    def record(request: httpx.Request) -> None:
        asked.append(request.url.path)

    client = httpx.Client(transport=fake.transport(), event_hooks={"request": [record]})
    with FunctionBuilder("http://b", hmac_secret=SECRET, public_key=fake.public_key, http_client=client) as builder:
        builder.build(ORDERS, "img:1", build_secrets={"k": "v"})
    assert asked == ["/build"]
    assert fake.builds[0].secrets == {"k": b"v"}


def test_secrets_sealed_to_another_key_fail_the_build(fake: FakeBuilder) -> None:
    other = FakeBuilder().public_key
    client = httpx.Client(transport=fake.transport())
    builder = FunctionBuilder("http://b", hmac_secret=SECRET, public_key=other, http_client=client)
    with builder, pytest.raises(BuildError, match="sealed for key"):
        builder.build(ORDERS, "img:1", build_secrets={"k": "v"})


def test_tar_without_dockerfile_is_refused(builder: FunctionBuilder, tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text("print()")
    with pytest.raises(BuildError, match="no Dockerfile at the top of the build context"):
        builder.build(tmp_path, "img:1")


def test_stack_function_context_reaches_the_builder(builder: FunctionBuilder, fake: FakeBuilder) -> None:
    stack = load_stack(PROJECT / "stack.yaml")
    context = BuildContext.for_function(stack.functions["hello"], stack)
    builder.build(context, "img:1")
    contents = fake.builds[0].contents
    assert contents["function/handler.py"] == (PROJECT / "hello" / "handler.py").read_bytes()
    assert contents["function/common/shared.txt"] == b"shared by every function\n"


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (b'{"status":"in_progress"}\nnot json\n', "malformed build result line 2 from the builder .*'not json'"),
        (b'{"status":"in_progress","log":["step"]}\n', "ended before the builder reported success or failure"),
        (b'{"status":"in_progress","log":"step"}\n', r"malformed build result line 1 from the builder .*\$\.log"),
    ],
    ids=["not-json", "no-verdict", "wrong-shape"],
)
def test_malformed_build_streams(answer: bytes, error: str) -> None:
    client = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(200, content=answer)))
    builder = FunctionBuilder("http://b", hmac_secret=SECRET, http_client=client)
    with builder, pytest.raises(APIResponseValidationError, match=error):
        list(builder.build_stream(ORDERS, "img:1"))


def test_bad_arguments_raise_before_sending(builder: FunctionBuilder, fake: FakeBuilder) -> None:
    with pytest.raises(ValueError, match="image"):
        builder.build_stream(ORDERS, "")
    with pytest.raises(TypeError, match="platforms must be a list"):
        builder.build(ORDERS, "img:1", platforms="linux/amd64")
    with pytest.raises(ValueError, match="hmac_secret"):
        FunctionBuilder("http://b", hmac_secret="  ")
    with pytest.raises(ConfigurationError, match="unusable builder URL"):
        FunctionBuilder("ftp://b", hmac_secret="x")
    assert fake.builds == []


def test_served_builder_over_http(fake: FakeBuilder) -> None:
    with fake.serve() as url, FunctionBuilder(url, hmac_secret=SECRET) as builder:
        results = list(builder.build_stream(ORDERS, "ttl.sh/orders:1h", build_secrets={"pip_token": "t"}))
        assert builder.public_key().public_key == fake.public_key
    assert results[-1].status == "success"
    assert fake.builds[0].secrets == {"pip_token": b"t"}


def test_repr_hides_the_secret(builder: FunctionBuilder) -> None:
    assert repr(builder) == "FunctionBuilder('http://builder:8080')"


@pytest.mark.anyio
async def test_async_build_and_stream(async_builder: AsyncFunctionBuilder, fake: FakeBuilder) -> None:
    result = await async_builder.build(ORDERS, "img:1", build_secrets={"k": "v"})
    assert result.status == "success"
    results = [r async for r in async_builder.build_stream(ORDERS, "img:2")]
    assert results[-1].image == "img:2"
    assert [b.image for b in fake.builds] == ["img:1", "img:2"]
    assert fake.builds[0].secrets == {"k": b"v"}


@pytest.mark.anyio
async def test_async_failure_and_auth(async_builder: AsyncFunctionBuilder, fake: FakeBuilder) -> None:
    fake.fail("img:*", "boom")
    with pytest.raises(BuildError, match="boom"):
        await async_builder.build(ORDERS, "img:1")
    client = httpx.AsyncClient(transport=fake.transport())
    async with AsyncFunctionBuilder("http://b", hmac_secret="wrong", http_client=client) as wrong:
        with pytest.raises(AuthenticationError):
            await wrong.build(ORDERS, "img:1")


STEP = b'{"status":"in_progress","log":["step"]}\n'


def test_a_stream_left_early_is_a_generator_whose_close_ends_the_answer() -> None:
    closed = []

    class Endless(httpx.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            while True:
                yield STEP

        def close(self) -> None:
            closed.append(True)

    client = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(200, stream=Endless())))
    with FunctionBuilder("http://b", hmac_secret=SECRET, http_client=client) as builder:
        with closing(builder.build_stream(ORDERS, "img:1")) as stream:
            assert_type(stream, Generator[BuildResult, None, None])
            assert next(stream).log == ["step"]
            assert closed == []
        assert closed == [True]


@pytest.mark.anyio
async def test_an_async_stream_left_early_is_a_generator_whose_aclose_ends_the_answer() -> None:
    closed = []

    class Endless(httpx.AsyncByteStream):
        async def __aiter__(self) -> AsyncIterator[bytes]:
            while True:
                yield STEP

        async def aclose(self) -> None:
            closed.append(True)

    transport = httpx.MockTransport(lambda request: httpx.Response(200, stream=Endless()))
    async with AsyncFunctionBuilder(
        "http://b", hmac_secret=SECRET, http_client=httpx.AsyncClient(transport=transport)
    ) as builder:
        async with aclosing(builder.build_stream(ORDERS, "img:1")) as stream:
            assert_type(stream, AsyncGenerator[BuildResult, None])
            assert (await anext(stream)).log == ["step"]
            assert closed == []
        assert closed == [True]


def test_connection_dropped_mid_stream_says_so() -> None:
    class Cut(httpx.SyncByteStream):
        def __iter__(self):  # type: ignore[no-untyped-def]
            yield b'{"status":"in_progress","log":["step 1"]}\n'
            raise httpx.ReadError("connection reset by peer")

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        return httpx.Response(200, stream=Cut())

    client = httpx.Client(transport=httpx.MockTransport(handler))
    with FunctionBuilder("http://b", hmac_secret=SECRET, http_client=client) as builder:
        stream = builder.build_stream(ORDERS, "img:1")
        assert next(stream).log == ["step 1"]
        with pytest.raises(
            APIConnectionError, match=r"connection reset by peer \(the stream was cut after 1 results\)"
        ):
            next(stream)


def test_secrets_never_travel_or_show_in_plaintext(fake: FakeBuilder, caplog: pytest.LogCaptureFixture) -> None:
    secret_value = b"pip-Zq8-sekrit-token"
    hmac_secret = "hmac-Xy9-sekrit"
    bodies: list[bytes] = []

    def keep_then_refuse(request: httpx.Request) -> httpx.Response:
        bodies.append(request.read())
        return httpx.Response(401, text="invalid message digest or secret\n")

    caplog.set_level("DEBUG")
    client = httpx.Client(transport=httpx.MockTransport(keep_then_refuse))
    builder = FunctionBuilder("http://b", hmac_secret=hmac_secret, public_key=fake.public_key, http_client=client)
    with builder, pytest.raises(AuthenticationError) as caught:
        builder.build(ORDERS, "img:1", build_secrets={"pip_token": secret_value})
    assert secret_value not in bodies[0]  # sealed in the tar, never plain
    assert hmac_secret.encode() not in bodies[0]
    for text in (str(caught.value), repr(builder), caplog.text):
        assert hmac_secret not in text
        assert secret_value.decode() not in text
    refused = FunctionBuilder("http://127.0.0.1:9", hmac_secret=hmac_secret)
    with refused, pytest.raises(APIConnectionError) as unreachable:
        refused.build(ORDERS, "img:1")
    assert hmac_secret not in str(unreachable.value)


def test_results_arrive_while_the_build_runs() -> None:
    pulled: list[int] = []

    def lines() -> Iterator[bytes]:
        for index in range(3):
            pulled.append(index)
            yield b'{"status":"in_progress","log":["step %d"]}\n' % index
        pulled.append(3)
        yield b'{"status":"success","image":"img:1"}\n'

    def answer(request: httpx.Request) -> httpx.Response:
        request.read()
        return httpx.Response(200, content=lines())

    client = httpx.Client(transport=httpx.MockTransport(answer))
    with FunctionBuilder("http://b", hmac_secret=SECRET, http_client=client) as builder:
        stream = builder.build_stream(ORDERS, "img:1")
        first = next(stream)
        assert (first.log, pulled) == (["step 0"], [0])  # not buffered: the builder has sent one line so far
        assert [result.status for result in stream] == ["in_progress", "in_progress", "success"]


def test_requests_carry_the_sdk_user_agent_and_no_cookies() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        if request.url.path == "/healthz":
            return httpx.Response(200, text="OK")
        return httpx.Response(200, headers={"Set-Cookie": "session=abc"}, json={"status": "success", "image": "i:1"})

    with FunctionBuilder("http://b", hmac_secret=SECRET, transport=httpx.MockTransport(answer)) as builder:
        assert builder.build(ORDERS, "i:1").image == "i:1"
        builder.build(ORDERS, "i:1")
        assert builder.health() is True
    assert [r.headers.get("Cookie") for r in seen] == [None, None, None]
    assert all(r.headers["User-Agent"].startswith("pyopenfaas/") for r in seen)


def test_a_build_is_sent_again_only_when_it_never_left() -> None:
    attempts: list[int] = []

    def refuse(request: httpx.Request) -> httpx.Response:
        attempts.append(len(request.read()))
        if len(attempts) == 1:
            raise httpx.ConnectError("connection refused", request=request)
        if len(attempts) == 2:
            raise httpx.ReadError("connection reset by peer", request=request)
        raise AssertionError("sent a third time")

    client = httpx.Client(transport=httpx.MockTransport(refuse))
    with FunctionBuilder("http://b", hmac_secret=SECRET, http_client=client) as builder:
        builder._api.sleep = lambda seconds: None  # no waiting between the attempts
        with pytest.raises(APIConnectionError, match="connection reset by peer"):
            builder.build(ORDERS, "img:1")
    assert len(attempts) == 2
    assert attempts[0] == attempts[1] > 0  # the whole tar, both times


def test_public_key_answer_is_checked() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"public_key": "a2V5", "algorithm": "rsa"})

    client = httpx.Client(transport=httpx.MockTransport(answer))
    builder = FunctionBuilder("http://b", hmac_secret=SECRET, http_client=client)
    with builder, pytest.raises(APIResponseValidationError, match="unsupported build secrets algorithm 'rsa'"):
        builder.public_key()


@pytest.mark.anyio
async def test_async_builder_over_http_with_its_default_transport(fake: FakeBuilder) -> None:
    with fake.serve() as url:
        async with AsyncFunctionBuilder(url, hmac_secret=SECRET) as builder:
            results = [r async for r in builder.build_stream(ORDERS, "img:1", build_secrets={"k": "v"})]
            final = await builder.build(ORDERS, "img:2")
            assert await builder.health() is True
    assert (results[-1].status, final.status) == ("success", "success")
    assert [(b.image, b.streamed, b.secrets) for b in fake.builds] == [
        ("img:1", True, {"k": b"v"}),
        ("img:2", False, {}),
    ]
