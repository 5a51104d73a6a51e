"""The answers of stack.diff, secrets.apply_folder and the sealing functions are typed as documented: `mypy
--strict` checks this file (`make typecheck`), and pytest runs it against the fake gateway."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, assert_type

from pyopenfaas import AppliedSecret, OpenFaaS
from pyopenfaas.builder import KeyPair, derive_key_id, generate_key_pair, seal_secrets, unseal_secrets
from pyopenfaas.stack import FieldChange, FunctionDiff, StackDiff, load_stack
from pyopenfaas.testing import FakeGateway


def test_diff_and_apply_folder_types(tmp_path: Path) -> None:
    (tmp_path / "stack.yml").write_text("provider: {name: openfaas}\nfunctions:\n  fn: {image: 'x:1'}\n")
    (tmp_path / ".secrets").mkdir()
    (tmp_path / ".secrets" / "token").write_text("t")
    with OpenFaaS("http://gateway", transport=FakeGateway().transport(), env={}) as client:
        client.functions.deploy("fn", "x:0")
        diff = client.stack.diff(load_stack(tmp_path / "stack.yml"))
        assert_type(diff, StackDiff)
        assert_type(diff.functions, tuple[FunctionDiff, ...])
        assert_type(diff.has_changes, bool)
        [function] = diff.changed
        assert_type(function.status, Literal["new", "changed", "unchanged"])
        [change] = function.changes
        assert_type(change, FieldChange)
        assert_type(change.old, str | None)
        assert change == FieldChange("image", "x:0", "x:1")
        [applied] = client.secrets.apply_folder(tmp_path / ".secrets")
        assert_type(applied, AppliedSecret)
        assert_type(applied.status, Literal["created", "updated", "skipped"])
        assert applied == AppliedSecret("token", "created")


def test_sealing_types() -> None:
    pair = generate_key_pair()
    assert_type(pair, KeyPair)
    assert_type(pair.key_id, str)
    assert_type(derive_key_id(pair.public_key), str)
    opened = unseal_secrets(seal_secrets({"a": "b"}, pair.public_key), pair.private_key)
    assert_type(opened, dict[str, bytes])
    assert opened == {"a": b"b"}
