"""`response_200` in openapi.yaml"""

from __future__ import annotations

from ..types import Model


class GetTelemetryResponse200(Model, kw_only=True, frozen=True):
    """`response_200` in openapi.yaml"""
