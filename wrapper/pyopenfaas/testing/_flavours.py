"""The provider flavours by name: the one place a fake gateway's :class:`Store` is picked."""

from __future__ import annotations

from typing import Literal

from ._faas_netes import FaasNetes
from ._faasd import Faasd
from ._logs import LogBook
from ._state import Store

Flavour = Literal["faas-netes", "faasd"]
FLAVOURS: dict[str, type[Store]] = {store.name: store for store in (FaasNetes, Faasd)}


def new_store(flavour: str, logs: LogBook, *, ce_limits: bool) -> Store:
    """A fresh store for the provider ``flavour``; ValueError for a name not in :data:`FLAVOURS`."""
    if flavour not in FLAVOURS:
        raise ValueError(f"flavour must be {' or '.join(map(repr, FLAVOURS))}, not {flavour!r}")
    return FLAVOURS[flavour](logs, ce_limits=ce_limits)
