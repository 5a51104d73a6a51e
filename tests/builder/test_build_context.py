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

import pytest
from pyopenfaas._build_context import BuildConfig, SignedTar, _SigningWriter, build_args_for, write_signed_tar
from pyopenfaas.builder import BuildContext
from pyopenfaas.stack import Stack, StackError, load_stack

PROJECT = Path(__file__).parents[1] / "stack" / "fixtures" / "project"


@pytest.fixture
def stack() -> Stack:
    return load_stack(PROJECT / "stack.yaml")


def tar_members(tar: SignedTar) -> dict[str, bytes | None]:
    with tarfile.open(tar.path) as archive:
        return {
            m.name: (archive.extractfile(m).read() if m.isfile() else None)  # type: ignore[union-attr]
            for m in archive.getmembers()
        }


def test_rfc4231_vector_through_the_signing_writer() -> None:
    # RFC 4231, test case 2: HMAC-SHA256(key="Jefe", "what do ya want for nothing?").
    writer = _SigningWriter(io.BytesIO(), b"Jefe")  # type: ignore[arg-type]
    writer.write(b"what do ya want ")
    writer.write(b"for nothing?")
    assert writer.signature() == "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    assert writer.size == 28


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


def test_build_options_become_additional_package(stack: Stack) -> None:
    args = build_args_for(stack.functions["hello"], stack, None)
    assert args == {"GO111MODULE": "on", "ADDITIONAL_PACKAGE": "make gcc"}


def test_tar_layout_config_and_signature(stack: Stack) -> None:
    context = BuildContext.for_function(stack.functions["hello"], stack)
    config = BuildConfig(image="ttl.sh/hello:1h", build_args={"A": "1"}, platforms=("linux/amd64",), skip_push=True)
    tar = write_signed_tar(context, config, b"payload-secret", sealed=b"sealed: yes\n")
    try:
        data = tar.path.read_bytes()
        assert tar.size == len(data)
        expected = hmac.new(b"payload-secret", data, hashlib.sha256).hexdigest()
        assert tar.signature == f"sha256={expected}"
        members = tar_members(tar)
        assert json.loads(members["com.openfaas.docker.config"] or b"") == {
            "image": "ttl.sh/hello:1h",
            "buildArgs": {"A": "1"},
            "platforms": ["linux/amd64"],
            "skipPush": True,
        }
        assert members["com.openfaas.secrets"] == b"sealed: yes\n"
        assert members["context/function/handler.py"] == (PROJECT / "hello" / "handler.py").read_bytes()
        assert members["context/Dockerfile"] == (PROJECT / "template" / "python3" / "Dockerfile").read_bytes()
        assert all(name in ("com.openfaas.docker.config", "com.openfaas.secrets") or name == "context"
                   or name.startswith("context/") for name in members)  # fmt: skip
    finally:
        tar.remove()
    assert not tar.path.exists()


def test_minimal_config_omits_empty_fields() -> None:
    assert json.loads(BuildConfig(image="img:1").to_json()) == {"image": "img:1"}


def test_from_directory_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    with pytest.raises(NotADirectoryError):
        BuildContext.from_directory(tmp_path / "f")
