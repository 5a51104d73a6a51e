"""`load_stack` from an http(s) URL (the Go SDK's ParseYAMLFile fetches one with a GET): a 2xx body is parsed
as a file's text would be (substitution, filter, regex); anything else is a `StackError` naming the URL, never
its credentials or query. Served here by a real HTTP server on 127.0.0.1 (an ephemeral port)."""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyopenfaas.stack import StackError, load_stack

STACK = """\
version: 1.0
provider:
  name: openfaas
functions:
  api-a:
    image: ghcr.io/acme/api-a:${TAG:-latest}
    environment_file: [env.yml]
  api-b:
    image: ghcr.io/acme/api-b:1
  worker:
    image: ghcr.io/acme/worker:1
"""
ROUTES: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/stack.yml": (200, {"Content-Type": "text/yaml"}, STACK.encode()),
    "/moved.yml": (302, {"Location": "/stack.yml"}, b""),
    "/missing.yml": (404, {}, b"404: Not Found"),
    "/broken.yml": (500, {}, b"oops"),
    "/binary.yml": (200, {}, b"\xff\xfe\x00"),
}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status, headers, body = ROUTES[self.path.split("?")[0]]
        self.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "env.yml").write_text("environment:\n  FROM_FILE: yes-here\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_url_loads_like_a_file(server: str, here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAG", "v7")
    stack = load_stack(f"{server}/stack.yml")
    assert list(stack.functions) == ["api-a", "api-b", "worker"]
    assert stack.functions["api-a"].image == "ghcr.io/acme/api-a:v7"
    assert stack.functions["api-a"].environment == {"FROM_FILE": "yes-here"}  # relative to the current folder
    assert stack.url == f"{server}/stack.yml"
    assert stack.root == here


def test_selection_and_substitution_still_apply(server: str, here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAG", "v7")
    assert list(load_stack(f"{server}/stack.yml", filter="api-*").functions) == ["api-a", "api-b"]
    assert list(load_stack(f"{server}/stack.yml", regex="^w").functions) == ["worker"]
    raw = load_stack(f"{server}/stack.yml", envsubst=False, filter="api-a").functions["api-a"]
    assert raw.image == "ghcr.io/acme/api-a:${TAG:-latest}"


def test_redirects_are_followed(server: str, here: Path) -> None:
    assert list(load_stack(f"{server}/moved.yml").functions) == ["api-a", "api-b", "worker"]


@pytest.mark.parametrize(("path", "status"), [("/missing.yml", "HTTP 404 Not Found"), ("/broken.yml", "HTTP 500")])
def test_an_error_status_is_a_stack_error(server: str, path: str, status: str) -> None:
    url = server.replace("http://", "http://user:hunter2@") + path + "?token=abc123"
    with pytest.raises(StackError, match=f"cannot fetch the stack file: {status}") as caught:
        load_stack(url)
    assert caught.value.path == server + path
    assert "hunter2" not in str(caught.value)
    assert "abc123" not in str(caught.value)


def test_an_unreachable_url_is_a_stack_error() -> None:
    with socket.socket() as listener:  # a port nothing listens on once it is closed
        listener.bind(("127.0.0.1", 0))
        port = listener.getsockname()[1]
    with pytest.raises(StackError, match=r"cannot fetch the stack file: ConnectError") as caught:
        load_stack(f"http://127.0.0.1:{port}/stack.yml")
    assert caught.value.path == f"http://127.0.0.1:{port}/stack.yml"


def test_an_answer_that_is_not_text_is_a_stack_error(server: str) -> None:
    with pytest.raises(StackError, match=r"/binary.yml: the stack file is not UTF-8 text"):
        load_stack(f"{server}/binary.yml")


def test_a_path_that_looks_like_a_file_is_still_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "http:").mkdir()
    (tmp_path / "http:" / "stack.yml").write_text(STACK.replace("    environment_file: [env.yml]\n", ""))
    assert load_stack(Path("http:/stack.yml")).url is None


@pytest.mark.parametrize(
    ("url", "message"),
    [("http://user:hunter2@host:abc/s.yml", "Invalid port: 'abc'"), ("https://", "it names no host")],
)
def test_a_malformed_url_is_a_value_error(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=f"invalid stack file URL: {message}") as caught:
        load_stack(url)
    assert "hunter2" not in str(caught.value)
