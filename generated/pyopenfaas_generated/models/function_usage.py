from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="FunctionUsage")


@_attrs_define
class FunctionUsage:
    """
    Attributes:
        cpu (float | Unset): CPU usage in cores
        total_memory_bytes (float | Unset): Memory in use, in bytes
    """

    cpu: float | Unset = UNSET
    total_memory_bytes: float | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cpu = self.cpu

        total_memory_bytes = self.total_memory_bytes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if cpu is not UNSET:
            field_dict["cpu"] = cpu
        if total_memory_bytes is not UNSET:
            field_dict["totalMemoryBytes"] = total_memory_bytes

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        cpu = d.pop("cpu", UNSET)

        total_memory_bytes = d.pop("totalMemoryBytes", UNSET)

        function_usage = cls(
            cpu=cpu,
            total_memory_bytes=total_memory_bytes,
        )

        function_usage.additional_properties = d
        return function_usage

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
