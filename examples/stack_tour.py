"""A tour of stack files and the Function Builder: what `faas-cli up --remote-builder` does, from Python.

Runs against pyopenfaas.testing's fakes only (a fake gateway and a fake Function Builder, both served on
127.0.0.1), so it never touches a real cluster: it parses examples/stack/stack.yaml, shows the dry run,
builds each function with the builder (streaming its log, sealing the build secret), deploys the stack,
calls a function with an HMAC-signed body, and removes the stack.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

from pyopenfaas import OpenFaaS
from pyopenfaas.builder import FunctionBuilder
from pyopenfaas.stack import UpProgress, load_stack
from pyopenfaas.testing import FakeBuilder, FakeGateway, FunctionRequest

STACK = Path(__file__).parent / "stack" / "stack.yaml"
PAYLOAD_SECRET = "demo-payload-secret"  # the builder's HMAC key (its payload-secret)
SIGNING_KEY = "demo-function-key"


def step(title: str) -> None:
    print(f"\n== {title}")


def progress(event: UpProgress) -> None:
    if event.stage == "log":
        print(f"   {event.function:<6} | {event.line}")
    else:
        print(f"   {event.function:<6} {event.stage} {event.image}")


def main() -> None:
    stack = load_stack(STACK)
    fake_builder = FakeBuilder(hmac_secret=PAYLOAD_SECRET)
    with (
        FakeGateway(flavour="faasd", username="admin", password="demo") as gateway,
        gateway.serve() as gateway_url,
        fake_builder.serve() as builder_url,
        OpenFaaS(gateway_url, username="admin", password="demo", env={}) as client,
        FunctionBuilder(builder_url, hmac_secret=PAYLOAD_SECRET) as builder,
    ):
        step(f"load_stack({STACK.name!r})")
        for function in stack.functions.values():
            print(f"   {function.name:<6} lang={function.lang} image={function.image}")

        step("client.stack.deploy(stack, dry_run=True): the deployments, nothing sent")
        for deployment in client.stack.deploy(stack, dry_run=True):
            print(f"   {deployment.name:<6} env_vars={deployment.env_vars} limits={deployment.limits}")

        step(f"client.stack.up(stack, builder=...): build on {builder_url}, then deploy to {gateway_url}")
        client.stack.up(stack, builder=builder, on_progress=progress)
        build = fake_builder.builds[0]
        print(f"   the builder unsealed: {sorted(build.secrets)}; context files: {sorted(build.sizes)}")
        for deployed in client.functions.list():
            print(f"   deployed: {deployed.name:<6} {deployed.image}")

        step("client.functions.invoke('greet', ..., sign=('X-Hub-Signature', key))")

        def greet(request: FunctionRequest) -> str:
            expected = "sha256=" + hmac.new(SIGNING_KEY.encode(), request.body, hashlib.sha256).hexdigest()
            verdict = "valid" if request.headers.get("X-Hub-Signature") == expected else "INVALID"
            return f"Bonjour, {request.text}! (signature {verdict})"

        gateway.register("greet", greet)
        response = client.functions.invoke("greet", "pyopenfaas", sign=("X-Hub-Signature", SIGNING_KEY))
        print(f"   {response.status_code} {response.text}")

        step("client.stack.remove(stack)")
        print(f"   removed: {client.stack.remove(stack)}")


if __name__ == "__main__":
    main()
