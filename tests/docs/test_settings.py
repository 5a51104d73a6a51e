"""Every environment variable pyopenfaas reads is in the README's settings table, docs/configuration.md and
.env.example."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pyopenfaas import _config, auth

ROOT = Path(__file__).resolve().parents[2]
VARIABLES = sorted(
    [value for name, value in vars(_config).items() if name.startswith("ENV_") and isinstance(value, str)]
    + [auth.TOKEN_MOUNT_PATH_ENV]
)


def test_the_variables_are_found() -> None:
    assert {"OPENFAAS_URL", "OPENFAAS_TOKEN", "FAAS_DEBUG", "token_mount_path"} <= set(VARIABLES)


@pytest.mark.parametrize("document", ["README.md", "docs/configuration.md"])
def test_every_variable_has_a_table_row(document: str) -> None:
    text = (ROOT / document).read_text(encoding="utf-8")
    missing = [name for name in VARIABLES if not re.search(rf"^\| `{name}` \|", text, re.MULTILINE)]
    assert not missing, f"{document}: no table row for {missing}"


def test_the_dotenv_example_names_every_variable() -> None:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    missing = [name for name in VARIABLES if not re.search(rf"^#? ?{name}=", text, re.MULTILINE)]
    assert not missing, f".env.example: no line for {missing}"
