"""The stack file parser and the deployment mapping, against fixtures written from faas-cli's rules:
stack/schema.go (field names), go-sdk stack_test.go (filter and regex tables, provider and version errors),
faas-cli's deploy (environment: inline, then environment_file over it in order, then --env) and its gateway
precedence (flag, then provider.gateway, then OPENFAAS_URL, then the default)."""

from __future__ import annotations

import tempfile
import textwrap
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyopenfaas.stack import Deployment, Resources, StackError, StackWarning, load_stack

FIXTURE = Path(__file__).parent / "fixtures" / "project" / "stack.yaml"

FIVE = """\
version: 1.0
provider:
  name: openfaas
  gateway: http://127.0.0.1:8080
functions:
  url-ping: {lang: python, handler: ./sample/url-ping, image: alexellis/faas-url-ping}
  nodejs-echo: {lang: node, handler: ./sample/nodejs-echo, image: alexellis/faas-nodejs-echo}
  imagemagick: {lang: dockerfile, handler: ./sample/imagemagick, image: functions/resizer}
  ruby-echo: {lang: ruby, handler: ./sample/ruby-echo, image: alexellis/ruby-echo}
  abcd-eeee: {lang: node, handler: ./sample/abcd-eeee, image: stuff2/stuff23423}
"""


HEAD = "version: 1.0\nprovider:\n  name: openfaas\n  gateway: http://127.0.0.1:8080\nfunctions:"


def write(tmp_path: Path, text: str, name: str = "stack.yml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


@pytest.fixture
def five(tmp_path: Path) -> Path:
    return write(tmp_path, FIVE)


def test_fixture_parses_every_field(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGISTRY", "registry.example.com/team")
    monkeypatch.delenv("TAG", raising=False)
    stack = load_stack(FIXTURE)
    assert list(stack.functions) == ["hello", "api-orders", "api-users"]
    assert stack.provider.gateway == "http://127.0.0.1:8080"
    assert stack.version == "1.0"
    hello = stack.functions["hello"]
    assert hello.image == "registry.example.com/team/hello:latest"
    assert hello.lang == "python3"
    assert hello.handler == "./hello"
    assert hello.secrets == ("api-key",)
    assert hello.limits == Resources(memory="128Mi", cpu="100m")
    assert hello.requests == Resources(memory="64Mi")
    assert hello.readonly_root_filesystem is True
    assert hello.build_args == {"GO111MODULE": "on"}
    assert hello.build_options == ("dev",)
    assert hello.build_secrets == {"pip_token": ".secrets/pip_token.txt"}
    assert hello.platforms == "linux/amd64,linux/arm64"
    assert stack.functions["api-users"].skip_build is True
    assert [t.name for t in stack.configuration.templates] == ["python3"]
    assert stack.configuration.copy == ("./common",)


def test_environment_files_win_over_inline_later_files_over_earlier() -> None:
    hello = load_stack(FIXTURE).functions["hello"]
    assert hello.environment_file == ("env/common.yaml", "env/prod.yaml")
    # Scalars are read as written, as Go's YAML decodes them into strings: 8080 -> "8080", true -> "true".
    assert hello.environment == {
        "write_timeout": "10s", "port": "8080", "debug": "true",
        "mode": "prod", "shared": "1", "region": "us",
    }  # fmt: skip


def test_deployment_maps_like_faas_cli_deploy() -> None:
    stack = load_stack(FIXTURE, filter="hello", envsubst=False)
    (deployment,) = stack.deployments(env={"region": "ap", "extra": "x"})
    assert deployment == Deployment(
        name="hello",
        image="${REGISTRY:-ttl.sh/pyopenfaas}/hello:${TAG:-latest}",
        namespace="staging",
        env_process="python3 index.py",
        env_vars={
            "write_timeout": "10s",
            "port": "8080",
            "debug": "true",
            "mode": "prod",
            "shared": "1",
            "region": "ap",
            "extra": "x",
        },
        constraints=("node.platform.os == linux",),
        secrets=("api-key",),
        labels={"com.openfaas.scale.min": "2"},
        annotations={"topic": "orders"},
        limits={"memory": "128Mi", "cpu": "100m"},
        requests={"memory": "64Mi"},
        read_only_root_filesystem=True,
    )
    # The caller's namespace wins over the function's (faas-cli: the --namespace flag first).
    assert stack.deployments(namespace="prod")[0].namespace == "prod"


def test_envsubst_default_used_when_unset_or_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGISTRY", "")
    monkeypatch.setenv("TAG", "v2")
    assert load_stack(FIXTURE).functions["hello"].image == "ttl.sh/pyopenfaas/hello:v2"


def test_envsubst_unset_plain_reference_is_empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYOPENFAAS_UNSET", raising=False)
    path = write(tmp_path, FIVE.replace("alexellis/ruby-echo", "ruby${PYOPENFAAS_UNSET}-echo"))
    assert load_stack(path).functions["ruby-echo"].image == "ruby-echo"


@pytest.mark.parametrize(
    ("regex", "expected"),
    [
        ("node", ["nodejs-echo"]),
        ("echo", ["nodejs-echo", "ruby-echo"]),
        (".+-.+", ["abcd-eeee", "nodejs-echo", "ruby-echo", "url-ping"]),
        ("^[^-]+$", ["imagemagick"]),
        ("^.{8}$", ["url-ping"]),
        ("e{2}", ["abcd-eeee"]),
        ("", ["abcd-eeee", "imagemagick", "nodejs-echo", "ruby-echo", "url-ping"]),
    ],
)
def test_regex_selects_by_search(five: Path, regex: str, expected: list[str]) -> None:
    assert sorted(load_stack(five, regex=regex).functions) == expected


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("*echo", ["nodejs-echo", "ruby-echo"]),
        ("*-*", ["abcd-eeee", "nodejs-echo", "ruby-echo", "url-ping"]),
        ("imagemagick", ["imagemagick"]),
        ("*", ["abcd-eeee", "imagemagick", "nodejs-echo", "ruby-echo", "url-ping"]),
        ("**", ["abcd-eeee", "imagemagick", "nodejs-echo", "ruby-echo", "url-ping"]),
        ("url-?ing", []),  # only '*' is special in faas-cli's glob
    ],
)
def test_filter_is_a_star_glob(five: Path, pattern: str, expected: list[str]) -> None:
    if not expected:
        with pytest.raises(StackError, match="no functions matching filter 'url-\\?ing'"):
            load_stack(five, filter=pattern)
        return
    assert sorted(load_stack(five, filter=pattern).functions) == expected


def test_no_match_is_an_error_naming_the_file(five: Path) -> None:
    with pytest.raises(StackError) as caught:
        load_stack(five, regex="RANDOMREGEX")
    assert caught.value.path == str(five)
    assert "no functions matching regex 'RANDOMREGEX'" in str(caught.value)


def test_filter_and_regex_together_refused(five: Path) -> None:
    with pytest.raises(ValueError, match="not both"):
        load_stack(five, filter="*", regex=".*")


@pytest.mark.parametrize("regex", ["[", "*"])
def test_invalid_regex_is_a_value_error(five: Path, regex: str) -> None:
    with pytest.raises(ValueError, match="invalid regex"):
        load_stack(five, regex=regex)


def test_provider_must_be_openfaas(tmp_path: Path) -> None:
    path = write(tmp_path, "version: 1.0\nprovider:\n  name: faas\n")
    with pytest.raises(
        StackError, match=r"""stack.yml:3: \['openfaas'\] is the only valid "provider.name", but you gave: faas"""
    ):
        load_stack(path)


def test_unsupported_version(tmp_path: Path) -> None:
    path = write(tmp_path, "version: 1.35\nprovider:\n  name: openfaas\n")
    with pytest.raises(StackError, match=r"stack.yml:1: .*only valid versions for the stack file - found: 1.35"):
        load_stack(path)


def test_missing_version_is_1_0(tmp_path: Path) -> None:
    assert load_stack(write(tmp_path, "provider:\n  name: openfaas\n")).version == "1.0"


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "provider:\n  name: openfaas\nfunctions:\n  a: [unclosed\n  b: {}\n")
    with pytest.raises(StackError) as caught:
        load_stack(path)
    assert caught.value.path == str(path)
    assert caught.value.line == 5
    assert str(caught.value).startswith(f"{path}:5: ")


def test_wrong_type_names_the_field_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, FIVE + "  bad:\n    image: x\n    secrets: api-key\n")
    with pytest.raises(StackError, match=r"stack.yml:13: functions.bad.secrets must be a list"):
        load_stack(path)


def test_bad_bool_and_missing_image(tmp_path: Path) -> None:
    with pytest.raises(StackError, match=r":8: functions.a.skip_build must be true or false"):
        load_stack(write(tmp_path, HEAD + "\n  a:\n    image: x\n    skip_build: maybe\n"))
    with pytest.raises(StackError, match=r":7: functions.b.image is required"):
        load_stack(write(tmp_path, HEAD + "\n  b:\n    lang: node\n"))


def test_invalid_function_name(tmp_path: Path) -> None:
    with pytest.raises(StackError, match=r":7: invalid function name 'Bad_Name'"):
        load_stack(write(tmp_path, HEAD + "\n  Bad_Name:\n    image: x\n"))


def test_unknown_keys_are_reported_with_their_line(tmp_path: Path) -> None:
    path = write(tmp_path, FIVE + "  typo:\n    image: x\n    enviroment:\n      a: b\nextra: 1\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        stack = load_stack(path)
    messages = sorted(str(w.message) for w in caught if issubclass(w.category, StackWarning))
    assert messages == [
        f"{path}:13: unknown key functions.typo.enviroment (ignored)",
        f"{path}:15: unknown key stack.extra (ignored)",
    ]
    assert stack.functions["typo"].environment == {}


def test_missing_environment_file_is_a_stack_error(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + "\n  a:\n    image: x\n    environment_file: [nope.yml]\n")
    with pytest.raises(StackError, match=r"nope.yml: cannot read the environment file"):
        load_stack(path)


def test_environment_file_error_names_that_file(tmp_path: Path) -> None:
    write(tmp_path, "environment: [a, b]\n", name="env.yml")
    path = write(tmp_path, HEAD + "\n  a:\n    image: x\n    environment_file: [env.yml]\n")
    with pytest.raises(StackError, match=r"env.yml:1: environment must be a mapping"):
        load_stack(path)


@pytest.mark.parametrize(
    ("explicit", "yaml_gateway", "environ", "expected"),
    [
        ("http://flag:8080", "http://yaml:8080", {"OPENFAAS_URL": "http://env:8080"}, "http://flag:8080"),
        (None, "http://yaml:8080", {"OPENFAAS_URL": "http://env:8080"}, "http://yaml:8080"),
        (None, None, {"OPENFAAS_URL": "http://env:8080"}, "http://env:8080"),
        # faas-cli: a YAML gateway equal to the default does not hide OPENFAAS_URL.
        (None, "http://127.0.0.1:8080", {"OPENFAAS_URL": "http://env:8080"}, "http://env:8080"),
        (None, None, {}, "http://127.0.0.1:8080"),
    ],
)
def test_gateway_precedence(
    tmp_path: Path, explicit: str | None, yaml_gateway: str | None, environ: dict[str, str], expected: str
) -> None:
    gateway = f"  gateway: {yaml_gateway}\n" if yaml_gateway else ""
    stack = load_stack(write(tmp_path, f"provider:\n  name: openfaas\n{gateway}"))
    assert stack.gateway_url(explicit, environ=environ) == expected


def image_after_substitution(reference: str, environ: dict[str, str]) -> str:
    """`reference` as the image of a one-function stack, read back through load_stack."""
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        path = Path(folder) / "stack.yml"
        path.write_text(f'provider: {{name: openfaas}}\nfunctions:\n  fn:\n    image: "{reference}"\n')
        for name, value in environ.items():
            patch.setenv(name, value)
        return load_stack(path).functions["fn"].image


@settings(max_examples=50, deadline=None)
@given(st.from_regex(r"PYOPENFAAS_T_[A-Z0-9_]{0,8}", fullmatch=True), st.text(alphabet="abc/:-. ", max_size=10))
def test_envsubst_default_only_when_unset_or_empty(name: str, default: str) -> None:
    reference = f"<${{{name}:-{default}}}>"
    assert image_after_substitution(reference, {}) == f"<{default}>"
    assert image_after_substitution(reference, {name: ""}) == f"<{default}>"
    assert image_after_substitution(reference, {name: "set"}) == "<set>"
    assert image_after_substitution(f"x${{{name}}}y", {}) == "xy"
    assert image_after_substitution(f"${{{name}}}", {name: "v:1"}) == "v:1"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (HEAD + "\n  ? [a, b]\n  : {image: x}\n", 6, "functions has a key that is not a string"),
        (HEAD + "\n  a: {image: x}\n  a: {image: y}\n", 7, "functions.a is given twice"),
        (HEAD + "\n  a:\n    image: [x]\n", 7, "functions.a.image must be a string"),
        (HEAD + " {}\nconfiguration:\n  templates: python3\n", 7, "configuration.templates must be a list"),
        (HEAD + " {}\nconfiguration:\n  templates:\n    - source: https://example.com/t\n", 8, ".name is required"),
    ],
)
def test_malformed_structure_names_the_field_and_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(StackError) as caught:
        load_stack(path)
    assert caught.value.path == str(path)
    assert caught.value.line == line
    assert message in str(caught.value)


@pytest.mark.parametrize("content", [b"\xff\xfe not utf-8", None])
def test_an_unreadable_stack_file_is_a_stack_error_naming_it(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "stack.yml"
    if content is None:
        path.mkdir()  # a folder where the file should be
    else:
        path.write_bytes(content)
    with pytest.raises(StackError, match="cannot read the stack file") as caught:
        load_stack(path)
    assert caught.value.path == str(path)
