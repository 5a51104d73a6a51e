"""The fake builder's answers, byte for byte as pro-builder writes them (Go's compact JSON, `http.Error`'s text
answers, NDJSON flushed a result at a time), in-process and over HTTP."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import io
import json
import tarfile
from pathlib import Path

import httpx
import pytest
import yaml
from pyopenfaas._spec import SpecRequest, SpecResponse, SpecValidator
from pyopenfaas.testing import FakeBuilder
from werkzeug.datastructures import Headers

from .conftest import SECRET


def signed_tar(image: str = "img:1", dockerfile: bytes = b"FROM scratch\nRUN true\n") -> tuple[bytes, dict[str, str]]:
    """A build tar as faas-cli writes it, signed with the fake's secret, and the headers to send it with."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        config = b'{"image":"%s"}' % image.encode()
        for name, data in (("context/Dockerfile", dockerfile), ("com.openfaas.docker.config", config)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    body = buffer.getvalue()
    signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    return body, {"X-Build-Signature": signature, "Content-Type": "application/octet-stream"}


def test_streamed_results_are_compact_ndjson(fake: FakeBuilder) -> None:
    body, headers = signed_tar()
    with httpx.Client(transport=fake.transport()) as client:
        response = client.post("http://b/build", content=body, headers={**headers, "Accept": "application/x-ndjson"})
    assert (response.status_code, response.headers["Content-Type"]) == (200, "application/x-ndjson")
    lines = response.text.splitlines()
    assert lines[0].startswith('{"log":["v: ')
    assert lines[0].endswith('"],"status":"in_progress","duration":0.004}')
    duration = json.loads(lines[-1])["duration"]
    assert lines[-1] == f'{{"image":"img:1","status":"success","duration":{duration}}}'


def test_a_failed_build_is_a_500_with_the_whole_result(fake: FakeBuilder) -> None:
    fake.fail("img:*", "exit code: 1")
    body, headers = signed_tar()
    response = httpx.Client(transport=fake.transport()).post("http://b/build", content=body, headers=headers)
    assert (response.status_code, response.headers["Content-Type"]) == (500, "application/json")
    assert list(json.loads(response.content)) == ["log", "image", "status", "error", "duration"]
    assert b'"status":"failed","error":"exit code: 1"' in response.content
    assert fake.builds[0].status == "failed"


def test_an_unusable_tar_fails_at_once_without_a_log(fake: FakeBuilder) -> None:
    signature = "sha256=" + hmac.new(SECRET.encode(), b"not a tar", hashlib.sha256).hexdigest()
    client = httpx.Client(transport=fake.transport())
    response = client.post("http://b/build", content=b"not a tar", headers={"X-Build-Signature": signature})
    assert response.status_code == 500
    result = response.json()
    assert result == {"image": "", "status": "failed", "error": result["error"], "duration": 0.0}
    assert result["error"].startswith("unable to unpack the build tar")
    assert fake.builds == []


@pytest.mark.parametrize(
    ("method", "path", "status", "text"),
    [
        ("POST", "/build", 401, "valid hash prefixes: [sha1=, sha256=], got: \n"),
        ("GET", "/build", 405, "Method not allowed\n"),
        ("GET", "/nowhere", 404, "404 page not found\n"),
    ],
)
def test_errors_are_go_http_error_text(fake: FakeBuilder, method: str, path: str, status: int, text: str) -> None:
    response = httpx.Client(transport=fake.transport()).request(method, "http://b" + path)
    assert (response.status_code, response.text) == (status, text)
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_served_over_http_the_results_are_chunked(fake: FakeBuilder) -> None:
    body, headers = signed_tar()
    with fake.serve() as url, httpx.Client(base_url=url) as client:
        streamed = client.post("/build", content=body, headers={**headers, "Accept": "application/x-ndjson"})
        key = client.get("/publickey")
        health = client.get("/healthz")
    assert streamed.headers["Transfer-Encoding"] == "chunked"
    assert json.loads(streamed.text.splitlines()[-1])["status"] == "success"
    assert key.content == b'{"key_id":"%s","algorithm":"nacl/box","public_key":"%s"}' % (
        fake.key_id.encode(), fake.public_key.encode(),
    )  # fmt: skip
    assert (health.status_code, health.text) == (200, "OK")


def builder_spec() -> SpecValidator:
    document = yaml.safe_load((Path(__file__).resolve().parents[2] / "builder-openapi.yaml").read_text())
    return SpecValidator(document=document)


def spec_request(
    method: str, path: str, headers: dict[str, str] | None = None, body: bytes | None = None
) -> SpecRequest:
    """The request as openapi-core reads it, at the builder spec's server (port 8081)."""
    request = SpecRequest.build(method, path, headers=headers, body=body)
    return dataclasses.replace(request, host_url="http://127.0.0.1:8081")


def test_every_answer_is_one_builder_openapi_yaml_describes(fake: FakeBuilder) -> None:
    """Each operation of builder-openapi.yaml, answered by the fake over HTTP, validated by openapi-core: a build
    as one result and as a stream, a failed build, an unusable tar, a wrong signature, the key, the health."""
    validator = builder_spec()
    body, headers = signed_tar()
    stream = {**headers, "Accept": "application/x-ndjson"}
    bad = {"X-Build-Signature": "sha256=" + "0" * 64, "Content-Type": "application/octet-stream"}
    exchanges: list[tuple[str, str, dict[str, str], bytes]] = [
        ("POST", "/build", headers, body),
        ("POST", "/build", stream, body),
        ("POST", "/build", bad, body),
        ("GET", "/publickey", {}, b""),
        ("GET", "/healthz", {}, b""),
    ]
    seen = []
    with fake.serve() as url, httpx.Client(base_url=url) as client:
        for method, path, sent, content in exchanges:
            response = client.request(method, path, headers=sent, content=content or None)
            seen.append((path, response.status_code))
            request = spec_request(method, path, sent, content or None)
            answer = SpecResponse(response.status_code, response.content, Headers(list(response.headers.items())))
            assert validator.response_departures(request, answer) == [], (method, path, response.text)
        fake.fail("img:*", "exit code: 1")
        failed = client.post("/build", headers=headers, content=body)
        assert failed.status_code == 500
        request = spec_request("POST", "/build", headers, body)
        answer = SpecResponse(500, failed.content, Headers(list(failed.headers.items())))
        assert validator.response_departures(request, answer) == []
    assert seen == [("/build", 200), ("/build", 200), ("/build", 401), ("/publickey", 200), ("/healthz", 200)]
    assert validator.spec_operations() == {("POST", "/build"), ("GET", "/publickey"), ("GET", "/healthz")}


def test_an_answer_the_builder_spec_does_not_describe_is_a_departure() -> None:
    validator = builder_spec()
    request = spec_request("GET", "/publickey")
    answer = SpecResponse(200, b'{"key_id":1}', Headers({"Content-Type": "application/json"}))
    assert validator.response_departures(request, answer) != []
