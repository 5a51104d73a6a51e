"""The build context and tar, from the facts: template/<lang>/ with the handler in function/ (the handler is
the context for lang: dockerfile), handler's build/ and template/ skipped, configuration.copy copied in and
refused outside the project; the tar holds context/, com.openfaas.docker.config ({image, buildArgs, platforms,
skipPush}) and, with secrets, com.openfaas.secrets; X-Build-Signature is sha256=<hex HMAC-SHA256 of the tar>."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import tarfile
from pathlib import Path

import httpx
import pytest
from pyopenfaas.builder import BuildConfig, BuildContext, FunctionBuilder
from pyopenfaas.stack import Stack, StackError, load_stack

PROJECT = Path(__file__).parents[1] / "stack" / "fixtures" / "project"


@pytest.fixture
def stack() -> Stack:
    return load_stack(PROJECT / "stack.yaml")


def tar_members(body: bytes) -> dict[str, bytes | None]:
    with tarfile.open(fileobj=io.BytesIO(body)) as archive:
        return {
            m.name: (archive.extractfile(m).read() if m.isfile() else None)  # type: ignore[union-attr]
            for m in archive.getmembers()
        }


def send(context: BuildContext, image: str, **options: object) -> httpx.Request:
    """Build with a transport that keeps the request (its body read in full) and answers success."""
    sent: list[httpx.Request] = []

    def keep(request: httpx.Request) -> httpx.Response:
        request.read()
        sent.append(request)
        return httpx.Response(200, json={"status": "success", "image": image, "log": []})

    client = httpx.Client(transport=httpx.MockTransport(keep))
    with FunctionBuilder("http://builder", hmac_secret="payload-secret", http_client=client) as builder:
        builder.build(context, image, **options)  # type: ignore[arg-type]
    return sent[0]


def test_template_then_handler_in_function_folder(stack: Stack) -> None:
    context = BuildContext.for_function(stack.functions["hello"], stack)
    files = {name: path for name, path in context.entries.items() if path.is_file()}
    assert sorted(files) == [
        "Dockerfile",
        "function/common/shared.txt",
        "function/handler.py",
        "function/requirements.txt",
        "index.py",
        "template.yml",
    ]
    # The handler's file wins over the template's default handler; build/ and template/ are skipped.
    assert files["function/handler.py"] == PROJECT / "hello" / "handler.py"
    assert not any("leftover" in name or "ignored" in name for name in context.entries)


def test_dockerfile_lang_uses_the_handler_as_context(stack: Stack) -> None:
    context = BuildContext.for_function(stack.functions["api-orders"], stack)
    assert sorted(name for name, path in context.entries.items() if path.is_file()) == [
        "Dockerfile",
        "common/shared.txt",
    ]


@pytest.mark.parametrize("path", ["../outside", ".", "/etc"])
def test_copy_outside_the_project_is_refused(tmp_path: Path, path: str) -> None:
    (tmp_path / "fn").mkdir()
    (tmp_path / "fn" / "Dockerfile").write_text("FROM scratch\n")
    (tmp_path / "stack.yml").write_text(
        "provider: {name: openfaas}\nfunctions:\n  fn: {lang: dockerfile, handler: ./fn, image: x}\n"
        f"configuration:\n  copy: ['{path}']\n"
    )
    stack = load_stack(tmp_path / "stack.yml")
    with pytest.raises(StackError, match=r"configuration.copy: .* (is outside the project|is the whole project)"):
        BuildContext.for_function(stack.functions["fn"], stack)


def test_missing_template_says_where_templates_come_from(stack: Stack, tmp_path: Path) -> None:
    with pytest.raises(StackError, match=r"template 'python3' not found in .*faas-cli template pull"):
        BuildContext.for_function(stack.functions["hello"], stack, template_dir=tmp_path)


def test_tar_layout_config_and_signature(stack: Stack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # where the tar is written, so we can see it is removed
    context = BuildContext.for_function(stack.functions["hello"], stack)
    request = send(context, "ttl.sh/hello:1h", build_args={"A": "1"}, platforms=["linux/amd64"], skip_push=True)
    body = request.content
    assert request.headers["Content-Type"] == "application/octet-stream"
    assert request.headers["Content-Length"] == str(len(body))
    expected = hmac.new(b"payload-secret", body, hashlib.sha256).hexdigest()
    assert request.headers["X-Build-Signature"] == f"sha256={expected}"
    members = tar_members(body)
    assert json.loads(members["com.openfaas.docker.config"] or b"") == {
        "image": "ttl.sh/hello:1h",
        "buildArgs": {"A": "1"},
        "platforms": ["linux/amd64"],
        "skipPush": True,
    }
    assert "com.openfaas.secrets" not in members  # only with build secrets
    assert members["context/function/handler.py"] == (PROJECT / "hello" / "handler.py").read_bytes()
    assert members["context/Dockerfile"] == (PROJECT / "template" / "python3" / "Dockerfile").read_bytes()
    assert all(name in ("com.openfaas.docker.config", "context") or name.startswith("context/") for name in members)
    assert list(tmp_path.iterdir()) == []  # the temporary tar is gone


def test_minimal_config_omits_empty_fields(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    request = send(BuildContext.from_directory(tmp_path), "img:1")
    assert json.loads(tar_members(request.content)["com.openfaas.docker.config"] or b"") == {"image": "img:1"}
    assert BuildConfig(image="img:1").to_json() == b'{"image": "img:1"}'


def test_from_directory_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    with pytest.raises(NotADirectoryError):
        BuildContext.from_directory(tmp_path / "f")


def handler_folder_project(tmp_path: Path, manifest: str) -> Stack:
    """A project whose `go` template's template.yml is `manifest` (faas-cli's golang-middleware template,
    for one, names `handler_folder: function`; others name `src` or `handler`)."""
    template = tmp_path / "template" / "go"
    (template / "function").mkdir(parents=True)
    (template / "Dockerfile").write_text("FROM scratch\n")
    (template / "function" / "default.go").write_text("package function\n")
    (template / "template.yml").write_text(manifest)
    (tmp_path / "fn").mkdir()
    (tmp_path / "fn" / "handler.go").write_text("package function // mine\n")
    (tmp_path / "stack.yml").write_text(
        "provider: {name: openfaas}\nfunctions:\n  fn: {lang: go, handler: ./fn, image: x}\n"
    )
    return load_stack(tmp_path / "stack.yml")


@pytest.mark.parametrize(
    ("manifest", "inside"),
    [
        ("language: go\nhandler_folder: src\n", "src/handler.go"),
        ("language: go\nhandler_folder: ./handlers/main/\n", "handlers/main/handler.go"),
        ("language: go\nhandler_folder: /abs\n", "abs/handler.go"),  # Go's path.Join keeps it inside
        ("language: go\nhandler_folder: .\n", "handler.go"),
        ("language: go\nhandler_folder: ''\n", "function/handler.go"),  # empty: faas-cli's default
        ("language: go\n", "function/handler.go"),
    ],
)
def test_the_handler_goes_where_the_template_says(tmp_path: Path, manifest: str, inside: str) -> None:
    stack = handler_folder_project(tmp_path, manifest)
    context = BuildContext.for_function(stack.functions["fn"], stack)
    assert context.entries[inside] == tmp_path / "fn" / "handler.go"
    assert context.entries["function/default.go"] == tmp_path / "template" / "go" / "function" / "default.go"
    handlers = sorted(name for name in context.entries if name.endswith("handler.go"))
    assert handlers == [inside]


@pytest.mark.parametrize("folder", ["..", "../up", "a/../../up"])
def test_a_handler_folder_outside_the_context_is_refused(tmp_path: Path, folder: str) -> None:
    stack = handler_folder_project(tmp_path, f"language: go\nhandler_folder: '{folder}'\n")
    with pytest.raises(StackError, match=r"functions.fn: the template's handler_folder .* is outside the build"):
        BuildContext.for_function(stack.functions["fn"], stack)


def test_a_handler_folder_that_is_not_text_is_refused(tmp_path: Path) -> None:
    stack = handler_folder_project(tmp_path, "language: go\nhandler_folder: [src]\n")
    with pytest.raises(StackError, match=r"handler_folder must be a string"):
        BuildContext.for_function(stack.functions["fn"], stack)


def test_the_handler_folder_reaches_the_builder(tmp_path: Path) -> None:
    stack = handler_folder_project(tmp_path, "language: go\nhandler_folder: src\n")
    request = send(BuildContext.for_function(stack.functions["fn"], stack), "ttl.sh/fn:1h")
    members = tar_members(request.content)
    assert members["context/src/handler.go"] == b"package function // mine\n"
    assert "context/function/handler.go" not in members
