"""Send tests/iam/test_middleware_probes.py's probes to a real of-watchdog and to the fake; print what differs.

The table's expected answers come from here: a real watchdog (``jwt_auth=true``, ``jwt_auth_local=true``)
reads discovery and keys from a fake gateway served on 127.0.0.1:8000, and each probe goes to both. Ports 8000
and 8080 are fixed by the watchdog, so run it in a network namespace of its own:

    go build -o of-watchdog .   # in a checkout of openfaas/of-watchdog (vendor/ holds faas-middleware)
    unshare -rn .venv/bin/python tools/probe_middleware.py path/to/of-watchdog

Exits 1 when an answer differs (status, the middleware's headers, or the body) from the table or the fake.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "wrapper")]

from pyopenfaas.testing import FakeGateway  # noqa: E402

from tests.iam import test_middleware_probes as probes  # noqa: E402

ISSUER = "http://127.0.0.1:8000"
KEEP = ("content-type", "www-authenticate", "x-openfaas-internal", "x-content-type-options")


def answer(client: httpx.Client, url: str, authorization: str | None) -> tuple[int, list[tuple[str, str]], str]:
    # httpx sends no trailing blank in a header; Go's server would trim it anyway.
    headers = {} if authorization is None else {"Authorization": authorization.rstrip()}
    response = client.post(url, headers=headers, content=b"hi")
    kept = sorted((key.lower(), value) for key, value in response.headers.multi_items() if key.lower() in KEEP)
    return response.status_code, kept, response.text


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def main(watchdog: str) -> int:
    subprocess.run(["ip", "link", "set", "lo", "up"], check=False)  # a fresh namespace's loopback is down
    probes.ISSUER = ISSUER  # the watchdog reads the issuer from the fake's discovery document
    environment = {
        **os.environ,
        "mode": "streaming",
        "fprocess": "cat",
        "OPENFAAS_NAME": "echo",
        "OPENFAAS_NAMESPACE": "openfaas-fn",
        "jwt_auth": "true",
        "jwt_auth_local": "true",
    }
    differ = 0
    with FakeGateway(iam=True, issuer=ISSUER) as gateway, gateway.serve("127.0.0.1", 8000) as url:
        gateway.deploy("echo", env_vars={"jwt_auth": "true"})
        minter = probes.Minter(gateway)
        with tempfile.TemporaryFile() as log, subprocess.Popen([watchdog], env=environment, stderr=log) as process:
            try:
                while not _listening(8080):
                    time.sleep(0.05)
                with httpx.Client(trust_env=False, timeout=10) as client:
                    for name, make, status, body in probes.PROBES:
                        authorization = None
                        if make is not None:
                            token = make(minter)
                            authorization = "bearer " + token[1:] if token.startswith("!") else f"Bearer {token}"
                        real = answer(client, "http://127.0.0.1:8080/", authorization)
                        fake = answer(client, f"{url}/function/echo", authorization)
                        if real != fake or real[0::2] != (status, body):
                            differ += 1
                            print(f"{name}\n  table: {status} {body!r}\n  real:  {real}\n  fake:  {fake}")
            finally:
                process.terminate()
    print(f"{len(probes.PROBES) - differ} of {len(probes.PROBES)} probes identical")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
