"""The HTTP front end (keep-alive, chunked bodies, framing) and ``python -m pyopenfaas.testing``."""

from __future__ import annotations

import http.client
import io
import re
import socket
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest
from pyopenfaas.testing import FakeGateway, FunctionResponse
from pyopenfaas.testing.__main__ import main

from .conftest import SSL_CONTEXT


@pytest.fixture
def served() -> Iterator[tuple[FakeGateway, str]]:
    with FakeGateway() as gateway, gateway.serve() as url:
        gateway.deploy("echo")
        yield gateway, url


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def test_it_listens_on_loopback_on_a_free_port(served: tuple[FakeGateway, str]) -> None:
    _, url = served
    assert url.startswith("http://127.0.0.1:")
    assert port_of(url) > 0


def test_keep_alive(served: tuple[FakeGateway, str]) -> None:
    _, url = served
    connection = http.client.HTTPConnection("127.0.0.1", port_of(url), timeout=5)
    for index in range(3):  # three requests over one connection
        connection.request("POST", "/function/echo", body=f"call {index}".encode())
        response = connection.getresponse()
        assert (response.status, response.read()) == (200, f"call {index}".encode())
        assert response.getheader("Connection") is None
    connection.request("GET", "/healthz", headers={"Connection": "close"})
    response = connection.getresponse()
    assert response.getheader("Connection") == "close"
    assert response.read() == b"OK"
    connection.close()


def test_http_1_0_closes_unless_asked(served: tuple[FakeGateway, str]) -> None:
    _, url = served
    with socket.create_connection(("127.0.0.1", port_of(url)), timeout=5) as sock:
        sock.sendall(b"GET /healthz HTTP/1.0\r\n\r\n")
        reply = b""
        while chunk := sock.recv(4096):
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"Connection: close\r\n" in reply
    assert reply.endswith(b"\r\n\r\nOK")


def test_chunked_and_expect_continue_request_bodies(served: tuple[FakeGateway, str]) -> None:
    _, url = served
    with httpx.Client(base_url=url, trust_env=False, verify=SSL_CONTEXT) as client:
        response = client.post("/function/echo", content=iter([b"one ", b"two ", b"three"]))  # chunked
        assert response.content == b"one two three"
    with socket.create_connection(("127.0.0.1", port_of(url)), timeout=5) as sock:
        sock.sendall(b"POST /function/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n")
        assert sock.recv(4096) == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(b"hi")
        assert sock.recv(4096).endswith(b"\r\n\r\nhi")


def test_head_and_bodiless_statuses(served: tuple[FakeGateway, str]) -> None:
    gateway, url = served
    gateway.deploy("nothing", handler=lambda request: FunctionResponse(b"ignored", status=204))
    with httpx.Client(base_url=url, trust_env=False, verify=SSL_CONTEXT) as client:
        head = client.head("/function/echo")
        assert (head.status_code, head.content) == (200, b"")
        nothing = client.post("/function/nothing")
        assert (nothing.status_code, nothing.content) == (204, b"")
        assert client.get("/healthz").text == "OK"  # the connection is still in step


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"NONSENSE\r\n\r\n",
        b"GET /healthz HTTP/1.1\r\nno colon here\r\n\r\n",
        b"POST /function/echo HTTP/1.1\r\nContent-Length: lots\r\n\r\n",
        b"POST /function/echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    ],
)
def test_malformed_requests_get_400(served: tuple[FakeGateway, str], request_bytes: bytes) -> None:
    _, url = served
    with socket.create_connection(("127.0.0.1", port_of(url)), timeout=5) as sock:
        sock.sendall(request_bytes)
        assert sock.recv(4096).startswith(b"HTTP/1.1 400 Bad Request\r\n")
        assert sock.recv(4096) == b""  # and the connection is closed


def test_percent_encoded_paths_are_decoded(served: tuple[FakeGateway, str]) -> None:
    gateway, url = served
    gateway.deploy("path", handler=lambda request: request.path)
    with httpx.Client(base_url=url, trust_env=False, verify=SSL_CONTEXT) as client:
        assert client.get("/function/path/a%20b").text == "/a b"


def test_the_command_line_runs_a_gateway() -> None:
    command = [sys.executable, "-m", "pyopenfaas.testing", "--port", "0", "--flavour", "faasd"]
    command += ["--username", "admin", "--password", "pw"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None
            banner = process.stdout.readline()
            assert "(faasd, basic auth on /system/*) listening on http://127.0.0.1:" in banner
            url = banner.split(" listening on ")[1].split()[0]
            exports = [process.stdout.readline() for _ in range(4)][1:]
            assert exports == [
                f"  export OPENFAAS_URL={url}\n",
                "  export OPENFAAS_USER=admin\n",
                "  export OPENFAAS_PASSWORD=...  # the --password you gave\n",  # never the one the user chose
            ]
            with httpx.Client(base_url=url, trust_env=False, verify=SSL_CONTEXT) as client:
                assert client.get("/system/info").status_code == 401
                info = client.get("/system/info", auth=("admin", "pw")).json()
                assert info["provider"]["provider"] == "faasd-ce"
        finally:
            process.terminate()  # SIGTERM: stops as Ctrl-C does
        assert process.wait(timeout=10) == 0


def test_the_command_line_wants_both_username_and_password(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--username", "admin"])
    assert exit_info.value.code == 2
    assert "go together" in capsys.readouterr().err


def run_command_line(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pyopenfaas.testing", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)


def test_a_busy_port_is_one_clear_line_not_a_traceback() -> None:
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        result = run_command_line("--port", str(port))
    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in lines[0]
    assert "--port 0" in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "auth", "exports"),
    [
        ((), "no auth", ["OPENFAAS_URL"]),
        (("--auth",), "basic auth on /system/*", ["OPENFAAS_URL", "OPENFAAS_USER", "OPENFAAS_PASSWORD"]),
        (("--token", "chosen-token"), "bearer auth on /system/*", ["OPENFAAS_URL", "OPENFAAS_TOKEN"]),
    ],
)
def test_the_banner_says_whether_auth_is_on_and_how_to_point_a_client_at_it(
    args: tuple[str, ...], auth: str, exports: list[str]
) -> None:
    from pyopenfaas import OpenFaaS
    from pyopenfaas.testing.__main__ import banner

    gateway = FakeGateway(username="admin" if "--auth" in args else None, password="pw" if "--auth" in args else None)
    with gateway, gateway.serve() as url:
        text = banner(
            url,
            "faas-netes",
            username="admin" if "--auth" in args else None,
            generated_password="pw" if "--auth" in args else None,
            token="--token" in args,
        )
        assert f"(faas-netes, {auth}) listening on {url}" in text
        lines = [line.strip() for line in text.splitlines() if "export" in line]
        assert [line.split("=")[0].removeprefix("export ") for line in lines] == exports
        assert "chosen-token" not in text
        if "--auth" in args:  # the generated password is shown, and the exports work as printed
            env = dict(line.removeprefix("export ").split("=", 1) for line in lines)
            assert OpenFaaS(env=env).info().provider is not None


def test_auth_generates_a_password_and_refuses_chosen_credentials(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--auth", "--password", "x"])
    assert exit_info.value.code == 2
    assert "--auth generates the credentials" in capsys.readouterr().err


def test_the_command_line_takes_the_american_spelling_and_logs_each_request() -> None:
    command = [sys.executable, "-m", "pyopenfaas.testing", "--port", "0", "--flavor", "faasd"]
    command += ["--username", "admin", "--password", "s3cret-pw"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None
            banner = process.stdout.readline()
            assert "(faasd, basic auth on /system/*)" in banner
            url = banner.split(" listening on ")[1].split()[0]
            with httpx.Client(base_url=url, trust_env=False, verify=SSL_CONTEXT) as client:
                assert client.get("/system/info", auth=("admin", "wrong-pw")).status_code == 401
                assert client.get("/system/functions?token=in-a-query", auth=("admin", "s3cret-pw")).status_code == 200
                assert client.post("/function/nope", content=b"body-text").status_code == 503
        finally:
            process.terminate()  # SIGTERM: stops as Ctrl-C does
        _, errors = process.communicate(timeout=10)
    assert process.returncode == 0
    lines = errors.splitlines()
    assert len(lines) == 3, errors
    assert re.fullmatch(
        r'127\.0\.0\.1 - - \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d \+0000\] "GET /system/info HTTP/1\.1" 401 \d+', lines[0]
    )
    assert lines[1].endswith('"GET /system/functions HTTP/1.1" 200 2')
    assert lines[2].endswith('"POST /function/nope HTTP/1.1" 503 33')
    for secret in ("s3cret-pw", "wrong-pw", "YWRtaW4", "in-a-query", "body-text", "Authorization"):
        assert secret not in errors


def test_the_help_gives_the_default_flavour_and_both_spellings(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # argparse wraps at the terminal's width, hyphenated words too
    with pytest.raises(SystemExit):
        main(["--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert (
        "--flavour {faas-netes,faasd}, --flavor {faas-netes,faasd}" in shown  # Python 3.11 and 3.12
        or "--flavour, --flavor {faas-netes,faasd}" in shown  # 3.13's argparse names the choices once
    )
    assert "(default: faas-netes)" in shown


def test_serve_writes_no_access_log_unless_asked(capsys: pytest.CaptureFixture[str]) -> None:
    log = io.StringIO()
    with FakeGateway(flavor="faasd") as gateway:
        assert gateway.flavour == "faasd"
        with gateway.serve() as url, httpx.Client(base_url=url, trust_env=False) as client:
            client.get("/system/info")
        with gateway.serve(access_log=log) as url, httpx.Client(base_url=url, trust_env=False) as client:
            client.get("/system/functions?namespace=openfaas-fn")
    assert capsys.readouterr() == ("", "")
    assert log.getvalue().endswith('"GET /system/functions HTTP/1.1" 200 2\n'), log.getvalue()


def test_flavour_and_flavor_must_agree() -> None:
    assert FakeGateway(flavour="faasd", flavor="faasd").flavour == "faasd"
    with pytest.raises(ValueError, match="give one"):
        FakeGateway(flavour="faasd", flavor="faas-netes")
