"""A Kubernetes workload invoking an auth-protected function through OpenFaaS IAM.

In the cluster, the pod mounts a projected service-account token with the audience the gateway's JwtIssuer
expects, at /var/secrets/tokens/openfaas-token (or under the folder named by `token_mount_path`), and
OPENFAAS_URL points at the gateway (http://gateway.openfaas:8080). The workload exchanges that identity for a
gateway token, then calls the function, deployed with `jwt_auth=true`, with a token scoped to it alone. Tokens
are cached and renewed before they expire; the kubelet's rotation of the file is picked up at each exchange.

    python examples/k8s_function_auth.py [FUNCTION [PAYLOAD]]

By default it plays the cluster's part with pyopenfaas.testing's fake IAM gateway on 127.0.0.1, whatever
OPENFAAS_URL says: it writes a service-account token into a temporary token_mount_path, deploys FUNCTION with
jwt_auth=true, and runs the same workload code against it. With PYOPENFAAS_REAL_GATEWAY=1, in the pod, it runs
the workload against the gateway OPENFAAS_URL points to.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from pyopenfaas import OpenFaaS
from pyopenfaas.auth import ServiceAccountTokenSource, TokenExchangeAuth


def workload(function: str, payload: str) -> None:
    """What runs in the pod: settings from the environment, identity from the mounted token."""
    auth = TokenExchangeAuth(ServiceAccountTokenSource())
    with OpenFaaS(auth=auth, function_auth=True) as client:
        for attempt in (1, 2):  # the second call reuses both cached tokens
            response = client.functions.invoke(function, payload)
            print(f"call {attempt}: {response.status_code} {response.text!r}")


@contextlib.contextmanager
def simulated_cluster(function: str) -> Iterator[None]:
    """A fake IAM gateway serving `function` (jwt_auth=true), and the token the kubelet would mount."""
    from pyopenfaas.testing import FakeGateway, FunctionRequest

    def shout(request: FunctionRequest) -> str:
        return request.text.upper()

    with FakeGateway(iam=True) as gateway, gateway.serve() as url, tempfile.TemporaryDirectory() as mount:
        assert gateway.iam is not None
        gateway.deploy(function, handler=shout, env_vars={"jwt_auth": "true"})
        token = gateway.iam.service_account_token("invoker", "default")
        Path(mount, "openfaas-token").write_text(token, encoding="utf-8")
        os.environ.update({"OPENFAAS_URL": url, "token_mount_path": mount})
        print(f"fake IAM gateway on {url}; service-account token in {mount}/openfaas-token")
        yield
        unauthenticated = [
            r for r in gateway.requests if r.path.startswith("/function/") and "Authorization" not in r.headers
        ]
        print(
            f"gateway exchanges: {gateway.iam.exchanges}, function-token exchanges: {gateway.iam.function_exchanges}, "
            f"calls without a token: {len(unauthenticated)}"
        )


def main(argv: list[str]) -> None:
    function = argv[0] if argv else "protected-echo"
    payload = argv[1] if len(argv) > 1 else "hello from the cluster"
    if os.environ.get("PYOPENFAAS_REAL_GATEWAY") == "1":
        if not os.environ.get("OPENFAAS_URL"):
            sys.exit("PYOPENFAAS_REAL_GATEWAY=1 but OPENFAAS_URL is not set: which gateway should the workload call?")
        workload(function, payload)
        return
    with simulated_cluster(function):
        workload(function, payload)


if __name__ == "__main__":
    main(sys.argv[1:])
