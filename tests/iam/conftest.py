"""Fixtures for the IAM tests."""

from __future__ import annotations

import pytest

from tests.support.fixtures import kind

__all__ = ["kind"]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
