"""Settings resolution: arguments > environment > faas-cli config file > defaults, and every bad value."""

from __future__ import annotations

import base64
import logging
from collections.abc import Generator
from pathlib import Path

import httpx
import pytest
from pyopenfaas import AsyncOpenFaaS, ConfigurationError, NotSupportedError, OpenFaaS


class Recorder:
    """A mock transport that records requests and answers 200 with an empty JSON list."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, json=[])

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


def sent_auth(recorder: Recorder, client: OpenFaaS) -> str | None:
    client.functions.list()
    sent: str | None = recorder.requests[-1].headers.get("Authorization")
    return sent


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def write_config(folder: Path, gateway: str, auth: str, token: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.yml").write_text(
        f"auths:\n- gateway: http://unrelated:8080\n  auth: basic\n  token: {base64.b64encode(b'x:y').decode()}\n"
        f"- gateway: {gateway}\n  auth: {auth}\n  token: {token}\n"
    )
    return folder


# ---- gateway URL -------------------------------------------------------------------------------------------------


def test_default_gateway() -> None:
    assert OpenFaaS(env={}).base_url == "http://127.0.0.1:8080"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("http://gw:8080/", "http://gw:8080"),
        ("gw:8080", "http://gw:8080"),
        ("https://gw.example.com///", "https://gw.example.com"),
        ("https://example.com/openfaas/", "https://example.com/openfaas"),
        ("  http://[::1]:8080  ", "http://[::1]:8080"),
    ],
)
def test_url_normalisation(given: str, expected: str) -> None:
    assert OpenFaaS(given, env={}).base_url == expected


@pytest.mark.parametrize("bad", ["", "ftp://gw", "http://", "http://gw:99999", "http://bad host", "http://gw/?q=1"])
def test_unusable_url_is_a_configuration_error_showing_the_value(bad: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        OpenFaaS(bad, env={})
    if bad:
        assert repr(bad.strip())[1:-1] in str(info.value) or bad.strip() in str(info.value)


TYPOS = [
    "http//127.0.0.1:8080",
    "http:/127.0.0.1:8080",
    "https//gw.example.com",
    "https:/gw.example.com/openfaas",
    "http:127.0.0.1",
    "http:gw",
    "http://http//127.0.0.1:8080",
    "http://gw:8080//openfaas",
    "htp://127.0.0.1:8080",
]


@pytest.mark.parametrize("typo", TYPOS)
def test_mistyped_urls_are_refused_naming_the_value_and_where_it_came_from(typo: str) -> None:
    for kwargs, source in [
        ({"base_url": typo, "env": {}}, "base_url argument"),
        ({"env": {"OPENFAAS_URL": typo}}, "OPENFAAS_URL"),
        ({"env": {"OPENFAAS_GATEWAY_ADDR": typo}}, "OPENFAAS_GATEWAY_ADDR"),
    ]:
        with pytest.raises(ConfigurationError) as info:
            OpenFaaS(**kwargs)  # type: ignore[arg-type]
        assert repr(typo) in str(info.value)
        assert source in str(info.value)


@pytest.mark.parametrize("typo", TYPOS[:3])
def test_mistyped_url_in_the_faas_cli_config_is_refused(tmp_path: Path, typo: str) -> None:
    folder = write_config(tmp_path / "of", typo, "oauth2", "jwt-token")
    with pytest.raises(ConfigurationError) as info:
        OpenFaaS("http://gw:8080", config_dir=folder, env={})
    assert repr(typo) in str(info.value)
    assert str(folder / "config.yml") in str(info.value)
    assert "jwt-token" not in str(info.value)


@pytest.mark.parametrize("good", ["gw:8080", "localhost", "my-gw.example.com:31112/openfaas", "[::1]:8080"])
def test_host_and_port_without_scheme_are_not_mistaken_for_typos(good: str) -> None:
    assert OpenFaaS(good, env={}).base_url == f"http://{good}"


def test_url_credentials_are_taken_out_and_never_shown(recorder: Recorder) -> None:
    client = OpenFaaS("http://alice:s3cret@gw:8080", env={}, transport=recorder.transport)
    assert client.base_url == "http://gw:8080"
    assert sent_auth(recorder, client) == basic("alice", "s3cret")
    assert "s3cret" not in repr(client)
    with pytest.raises(ConfigurationError) as info:
        OpenFaaS("ftp://alice:s3cret@gw", env={})
    assert "s3cret" not in str(info.value)


def test_path_prefix_is_kept_on_every_request(recorder: Recorder) -> None:
    client = OpenFaaS("https://example.com/openfaas/", env={}, transport=recorder.transport)
    client.functions.list()
    assert str(recorder.requests[-1].url) == "https://example.com/openfaas/system/functions"


def test_openfaas_url_wins_over_gateway_addr() -> None:
    env = {"OPENFAAS_URL": "http://url:1", "OPENFAAS_GATEWAY_ADDR": "http://addr:2"}
    assert OpenFaaS(env=env).base_url == "http://url:1"
    assert OpenFaaS(env={"OPENFAAS_GATEWAY_ADDR": "http://addr:2"}).base_url == "http://addr:2"


def test_argument_wins_over_environment() -> None:
    assert OpenFaaS("http://arg:3", env={"OPENFAAS_URL": "http://url:1"}).base_url == "http://arg:3"


# ---- credentials ------------------------------------------------------------------------------------------------


def test_no_credentials_send_no_authorization(recorder: Recorder) -> None:
    assert sent_auth(recorder, OpenFaaS(env={}, transport=recorder.transport)) is None


def test_environment_basic_auth_with_default_user(recorder: Recorder) -> None:
    client = OpenFaaS(env={"OPENFAAS_PASSWORD": "pw"}, transport=recorder.transport)
    assert sent_auth(recorder, client) == basic("admin", "pw")
    client = OpenFaaS(env={"OPENFAAS_USER": "bob", "OPENFAAS_PASSWORD": "pw"}, transport=recorder.transport)
    assert sent_auth(recorder, client) == basic("bob", "pw")


def test_environment_bearer_token(recorder: Recorder) -> None:
    client = OpenFaaS(env={"OPENFAAS_TOKEN": "tok"}, transport=recorder.transport)
    assert sent_auth(recorder, client) == "Bearer tok"


def test_password_file_strips_the_trailing_newline(tmp_path: Path, recorder: Recorder) -> None:
    secret = tmp_path / "basic-auth-password"
    secret.write_text("from-file\n")
    client = OpenFaaS(env={"OPENFAAS_PASSWORD_FILE": str(secret)}, transport=recorder.transport)
    assert sent_auth(recorder, client) == basic("admin", "from-file")


def test_password_file_problems(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="cannot be read"):
        OpenFaaS(env={"OPENFAAS_PASSWORD_FILE": str(tmp_path / "missing")})
    empty = tmp_path / "empty"
    empty.write_text("\n")
    with pytest.raises(ConfigurationError, match="is empty"):
        OpenFaaS(env={"OPENFAAS_PASSWORD_FILE": str(empty)})
    with pytest.raises(ConfigurationError, match="only one of OPENFAAS_PASSWORD and OPENFAAS_PASSWORD_FILE"):
        OpenFaaS(env={"OPENFAAS_PASSWORD": "a", "OPENFAAS_PASSWORD_FILE": str(empty)})


def test_token_and_password_together_are_refused() -> None:
    with pytest.raises(ConfigurationError, match="OPENFAAS_TOKEN"):
        OpenFaaS(env={"OPENFAAS_PASSWORD": "a", "OPENFAAS_TOKEN": "b"})
    with pytest.raises(ConfigurationError, match="password and token"):
        OpenFaaS(password="a", token="b", env={})
    with pytest.raises(ConfigurationError, match="without a password"):
        OpenFaaS(username="bob", env={})


def test_a_user_name_without_a_password_is_refused_from_arguments_and_environment_alike(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="without a password"):
        OpenFaaS(username="bob", env={})
    with pytest.raises(ConfigurationError) as info:
        OpenFaaS(env={"OPENFAAS_USER": "bob"})
    assert "OPENFAAS_USER is set but OPENFAAS_PASSWORD (or OPENFAAS_PASSWORD_FILE) is not" in str(info.value)
    secret = tmp_path / "password"
    secret.write_text("pw")
    OpenFaaS(env={"OPENFAAS_USER": "bob", "OPENFAAS_PASSWORD_FILE": str(secret)})
    OpenFaaS(env={"OPENFAAS_USER": "bob", "OPENFAAS_TOKEN": "tok"})  # a token needs no user


def test_a_401_without_credentials_says_where_they_were_looked_for(tmp_path: Path) -> None:
    from pyopenfaas import AuthenticationError
    from pyopenfaas.testing import FakeGateway

    gateway = FakeGateway(username="admin", password="gateway-pw")
    write_config(tmp_path / ".openfaas", "http://other:8080", "oauth2", "other-token")
    client = OpenFaaS("http://gw:8080", env={"HOME": str(tmp_path)}, transport=gateway.transport())
    with pytest.raises(AuthenticationError) as info:
        client.functions.list()
    message = str(info.value)
    assert "invalid credentials (no credentials were configured for http://gw:8080" in message
    assert "OPENFAAS_PASSWORD, OPENFAAS_PASSWORD_FILE, OPENFAAS_TOKEN" in message
    assert f"{tmp_path / '.openfaas' / 'config.yml'} (no entry for http://gw:8080)" in message
    assert "other-token" not in message

    missing = OpenFaaS("http://gw:8080", config_dir=tmp_path / "none", env={}, transport=gateway.transport())
    with pytest.raises(AuthenticationError, match=r"config.yml \(no such file\)"):
        missing.info()

    # With credentials that are wrong, the message is the gateway's alone.
    wrong = OpenFaaS("http://gw:8080", password="wrong-pw", env={}, transport=gateway.transport())
    with pytest.raises(AuthenticationError) as info:
        wrong.functions.list()
    assert "no credentials were configured" not in str(info.value)
    assert "wrong-pw" not in str(info.value)


def test_arguments_win_over_environment_credentials(recorder: Recorder) -> None:
    env = {"OPENFAAS_USER": "env", "OPENFAAS_PASSWORD": "env-pw"}
    client = OpenFaaS(username="arg", password="arg-pw", env=env, transport=recorder.transport)
    assert sent_auth(recorder, client) == basic("arg", "arg-pw")
    client = OpenFaaS(token="arg-token", env=env, transport=recorder.transport)
    assert sent_auth(recorder, client) == "Bearer arg-token"


def test_custom_httpx_auth(recorder: Recorder) -> None:
    class Custom(httpx.Auth):
        def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
            request.headers["Authorization"] = "Custom yes"
            yield request

    client = OpenFaaS(auth=Custom(), env={}, transport=recorder.transport)
    assert sent_auth(recorder, client) == "Custom yes"
    client.functions.invoke("echo", b"x")
    assert "Authorization" not in recorder.requests[-1].headers


# ---- faas-cli config file ----------------------------------------------------------------------------------------


def test_faas_cli_basic_login_is_used(tmp_path: Path, recorder: Recorder) -> None:
    token = base64.b64encode(b"admin:from-login").decode()
    folder = write_config(tmp_path / "of", "http://gw:8080/", "basic", token)
    client = OpenFaaS("gw:8080", env={"OPENFAAS_CONFIG": str(folder)}, transport=recorder.transport)
    assert sent_auth(recorder, client) == basic("admin", "from-login")


def test_faas_cli_oauth2_token_is_used(tmp_path: Path, recorder: Recorder) -> None:
    folder = write_config(tmp_path / "of", "https://gw.example.com", "oauth2", "jwt-token")
    client = OpenFaaS("https://gw.example.com/", config_dir=folder, env={}, transport=recorder.transport)
    assert sent_auth(recorder, client) == "Bearer jwt-token"


def test_faas_cli_config_under_home(tmp_path: Path, recorder: Recorder) -> None:
    token = base64.b64encode(b"u:p").decode()
    write_config(tmp_path / ".openfaas", "http://127.0.0.1:8080", "basic", token)
    client = OpenFaaS(env={"HOME": str(tmp_path)}, transport=recorder.transport)
    assert sent_auth(recorder, client) == basic("u", "p")


def test_faas_cli_config_for_another_gateway_is_ignored(tmp_path: Path, recorder: Recorder) -> None:
    folder = write_config(tmp_path / "of", "http://other:8080", "oauth2", "nope")
    client = OpenFaaS("http://gw:8080", config_dir=folder, env={}, transport=recorder.transport)
    assert sent_auth(recorder, client) is None


def test_environment_wins_over_faas_cli_config(tmp_path: Path, recorder: Recorder) -> None:
    folder = write_config(tmp_path / "of", "http://gw:8080", "oauth2", "from-file")
    env = {"OPENFAAS_CONFIG": str(folder), "OPENFAAS_TOKEN": "from-env"}
    client = OpenFaaS("http://gw:8080", env=env, transport=recorder.transport)
    assert sent_auth(recorder, client) == "Bearer from-env"


@pytest.mark.parametrize(
    ("auth", "token", "message"),
    [
        ("basic", "not base64!", "not base64 of user:password"),
        ("basic", base64.b64encode(b"no-colon").decode(), "not base64 of user:password"),
        ("kerberos", "x", "unknown auth 'kerberos'"),
    ],
)
def test_bad_faas_cli_entries(tmp_path: Path, auth: str, token: str, message: str) -> None:
    folder = write_config(tmp_path / "of", "http://gw:8080", auth, token)
    with pytest.raises(ConfigurationError, match=message) as info:
        OpenFaaS("http://gw:8080", config_dir=folder, env={})
    assert token not in str(info.value) or auth == "kerberos"


def test_unparsable_faas_cli_config(tmp_path: Path) -> None:
    (tmp_path / "config.yml").write_text("auths: [unclosed\n")
    with pytest.raises(ConfigurationError, match="cannot be read"):
        OpenFaaS(config_dir=tmp_path, env={})


# ---- .env, namespace, cluster type, debug ------------------------------------------------------------------------


def test_the_dotenv_example_loads_as_shipped(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("OPENFAAS_URL", "OPENFAAS_GATEWAY_ADDR", "OPENFAAS_USER", "OPENFAAS_PASSWORD", "OPENFAAS_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OPENFAAS_CONFIG", str(tmp_path))
    example = Path(__file__).parents[2] / ".env.example"
    assert OpenFaaS.from_env(env_file=example).base_url == "http://127.0.0.1:8080"


def test_from_env_reads_a_dotenv_file_under_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, recorder: Recorder
) -> None:
    for name in ("OPENFAAS_URL", "OPENFAAS_GATEWAY_ADDR", "OPENFAAS_TOKEN", "OPENFAAS_PASSWORD", "OPENFAAS_NAMESPACE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    dotenv = tmp_path / ".env"
    dotenv.write_text('OPENFAAS_URL="http://from-file:1"\nexport OPENFAAS_TOKEN=file-token # comment\n')
    client = OpenFaaS.from_env(env_file=dotenv, transport=recorder.transport)
    assert client.base_url == "http://from-file:1"
    assert sent_auth(recorder, client) == "Bearer file-token"
    monkeypatch.setenv("OPENFAAS_URL", "http://from-env:2")
    assert OpenFaaS.from_env(env_file=dotenv).base_url == "http://from-env:2"
    with pytest.raises(ConfigurationError, match="does not exist"):
        OpenFaaS.from_env(env_file=tmp_path / "missing.env")


def test_env_example_lists_every_variable() -> None:
    from pyopenfaas import _config

    example = (Path(__file__).resolve().parents[2] / ".env.example").read_text()
    names = [value for key, value in vars(_config).items() if key.startswith("ENV_")]
    assert len(names) == 10
    for name in names:
        assert name in example


def test_default_namespace_from_environment(recorder: Recorder) -> None:
    client = OpenFaaS(env={"OPENFAAS_NAMESPACE": "staging"}, transport=recorder.transport)
    assert client.namespace == "staging"
    client.functions.list()
    assert recorder.requests[-1].url.params["namespace"] == "staging"
    client.functions.invoke("echo")
    assert recorder.requests[-1].url.path == "/function/echo.staging"
    assert OpenFaaS(namespace="dev", env={"OPENFAAS_NAMESPACE": "staging"}).namespace == "dev"


def test_bad_namespace_settings() -> None:
    with pytest.raises(ConfigurationError, match="OPENFAAS_NAMESPACE"):
        OpenFaaS(env={"OPENFAAS_NAMESPACE": "Not_Valid"})
    with pytest.raises(ValueError, match="'Not_Valid'"):
        OpenFaaS(namespace="Not_Valid", env={})


def test_cluster_type_is_checked() -> None:
    with pytest.raises(ConfigurationError, match="kubernetes, faasd, swarm") as info:
        OpenFaaS(env={"OPENFAAS_CLUSTER_TYPE": "nomad"})
    assert "'nomad'" in str(info.value)
    OpenFaaS(env={"OPENFAAS_CLUSTER_TYPE": "faasd"})


def test_repr_shows_the_cluster_type_configured_or_learned_but_never_credentials() -> None:
    client = OpenFaaS(env={"OPENFAAS_CLUSTER_TYPE": "faasd", "OPENFAAS_PASSWORD": "s3cret-pw"})
    assert repr(client) == (
        "OpenFaaS(base_url='http://127.0.0.1:8080', auth='basic', namespace=None, cluster_type='faasd')"
    )
    assert "s3cret-pw" not in repr(client)
    assert client.with_options(max_retries=0).cluster_type == "faasd"

    from pyopenfaas.testing import FakeGateway

    for flavour, expected in [("faasd", "faasd"), ("faas-netes", "kubernetes")]:
        gateway = FakeGateway(flavour=flavour)  # type: ignore[arg-type]
        learner = OpenFaaS("http://gw", transport=gateway.transport(), env={})
        before = learner.cluster_type
        assert "cluster_type=None" in repr(learner)
        learner.info()
        assert (before, learner.cluster_type) == (None, expected)
        assert f"cluster_type={expected!r}" in repr(learner)
    # A configured type is not overridden by what the gateway says.
    configured = OpenFaaS("http://gw", cluster_type="swarm", transport=FakeGateway().transport(), env={})
    configured.info()
    assert configured.cluster_type == "swarm"


def test_swarm_cannot_update_secrets(recorder: Recorder) -> None:
    client = OpenFaaS(env={"OPENFAAS_CLUSTER_TYPE": "swarm"}, transport=recorder.transport)
    with pytest.raises(NotSupportedError, match="Swarm"):
        client.secrets.update("api-key", "v")
    with pytest.raises(NotSupportedError):
        client.secrets.apply("api-key", "v")
    assert recorder.requests == []
    client.secrets.create("api-key", "v")
    assert len(recorder.requests) == 1


def test_faas_debug_logs_requests_without_credentials(
    recorder: Recorder, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    logger = logging.getLogger("pyopenfaas")
    handlers, level = list(logger.handlers), logger.level
    try:
        client = OpenFaaS(env={"FAAS_DEBUG": "1", "OPENFAAS_PASSWORD": "hunter2"}, transport=recorder.transport)
        with caplog.at_level(logging.DEBUG, logger="pyopenfaas"):
            client.functions.list()
        assert any("GET http://127.0.0.1:8080/system/functions -> 200" in r.getMessage() for r in caplog.records)
        assert "hunter2" not in caplog.text
        assert "GET http://127.0.0.1:8080/system/functions -> 200" in capsys.readouterr().err
    finally:
        logger.handlers[:] = handlers
        logger.setLevel(level)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"timeout": -1}, ValueError),
        ({"timeout": "5"}, ValueError),
        ({"max_retries": -1}, ValueError),
        ({"max_connections": 0}, ValueError),
        ({"verify": "/no/such/ca.pem"}, ConfigurationError),
    ],
)
def test_bad_client_options(kwargs: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        OpenFaaS(env={}, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(error):
        AsyncOpenFaaS(env={}, transport=httpx.AsyncHTTPTransport() if "verify" not in kwargs else None, **kwargs)  # type: ignore[arg-type]


def test_http_client_and_transport_are_exclusive() -> None:
    with pytest.raises(ConfigurationError, match="not both"):
        OpenFaaS(env={}, http_client=httpx.Client(), transport=httpx.HTTPTransport())


def test_with_options_shares_the_pool_and_changes_defaults(recorder: Recorder) -> None:
    client = OpenFaaS(env={}, transport=recorder.transport, timeout=30)
    quick = client.with_options(timeout=1.5, max_retries=0)
    quick.functions.list()
    assert recorder.requests[-1].extensions["timeout"]["read"] == 1.5
    client.functions.list()
    assert recorder.requests[-1].extensions["timeout"]["read"] == 30
    quick.close()
    client.functions.list()  # the clone does not close the shared pool
    assert len(recorder.requests) == 3
