"""The API reference (docs/reference/) names every public name: each entry of a public module's __all__."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "reference"
MODULES = ["pyopenfaas", "pyopenfaas.auth", "pyopenfaas.stack", "pyopenfaas.builder", "pyopenfaas.testing"]


def documented() -> set[str]:
    """Names rendered by a `::: module.Name` block, or listed under `members:` of a `::: module` block."""
    names: set[str] = set()
    for page in REFERENCE.glob("*.md"):
        module = None
        for line in page.read_text(encoding="utf-8").splitlines():
            if match := re.fullmatch(r"::: ([\w.]+)", line.strip()):
                target = match.group(1)
                module = target if target in MODULES else None
                names.add(target)
            elif module and (member := re.fullmatch(r"\s+- (\w+)", line)):
                names.add(f"{module}.{member.group(1)}")
    return names


@pytest.mark.parametrize("module_name", MODULES)
def test_every_public_name_has_a_reference_entry(module_name: str) -> None:
    module = importlib.import_module(module_name)
    rendered = documented()
    missing = [name for name in module.__all__ if f"{module_name}.{name}" not in rendered]
    # A re-exported name (StackError, TokenExchangeAuth, ...) may be documented under any of its modules.
    missing = [name for name in missing if not any(f"{other}.{name}" in rendered for other in MODULES)]
    assert not missing, f"{module_name}: no reference entry for {missing}"


def test_every_reference_page_is_in_the_site_navigation() -> None:
    nav = (REFERENCE.parents[1] / "mkdocs.yml").read_text(encoding="utf-8")
    for page in REFERENCE.glob("*.md"):
        assert f"reference/{page.name}" in nav, f"{page.name} is not in mkdocs.yml's nav"
