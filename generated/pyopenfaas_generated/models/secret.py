from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Secret")


@_attrs_define
class Secret:
    """Either `value` (text) or `rawValue` (base64 of binary data) carries the secret.

    Attributes:
        name (str):
        namespace (str | Unset):
        value (str | Unset):
        raw_value (str | Unset):
    """

    name: str
    namespace: str | Unset = UNSET
    value: str | Unset = UNSET
    raw_value: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        namespace = self.namespace

        value = self.value

        raw_value = self.raw_value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
            }
        )
        if namespace is not UNSET:
            field_dict["namespace"] = namespace
        if value is not UNSET:
            field_dict["value"] = value
        if raw_value is not UNSET:
            field_dict["rawValue"] = raw_value

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        namespace = d.pop("namespace", UNSET)

        value = d.pop("value", UNSET)

        raw_value = d.pop("rawValue", UNSET)

        secret = cls(
            name=name,
            namespace=namespace,
            value=value,
            raw_value=raw_value,
        )

        secret.additional_properties = d
        return secret

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
