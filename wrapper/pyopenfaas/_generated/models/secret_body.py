"""`/components/schemas/Secret` in openapi.yaml: Either `value` (text) or `rawValue` (base64 of binary data) carries the secret."""

from typing import Any, ClassVar

import msgspec

from ..types import Model


class SecretBody(Model, kw_only=True, frozen=True):
    """Either `value` (text) or `rawValue` (base64 of binary data) carries the secret."""

    name: str
    namespace: str | None = None
    value: str | None = None
    raw_value: str | None = msgspec.field(default=None, name="rawValue")

    # Secret values (`x-secret` in openapi.yaml) never appear in a repr.
    _HIDDEN: ClassVar[frozenset[str]] = frozenset(
        {
            "value",
            "raw_value",
        }
    )

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in self.__rich_repr__())
        return f"{type(self).__name__}({shown})"

    def __rich_repr__(self) -> list[tuple[str, Any]]:
        shown = ((name, getattr(self, name)) for name in self.__struct_fields__)
        return [(name, "<hidden>" if name in self._HIDDEN and value is not None else value) for name, value in shown]
