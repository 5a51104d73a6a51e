"""`/components/schemas/StringMap` in openapi.yaml"""

from __future__ import annotations

StringMap = dict[str, str]
