from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="FunctionResources")


@_attrs_define
class FunctionResources:
    """Kubernetes-style resource quantities.

    Attributes:
        memory (str | Unset):
        cpu (str | Unset):
        nvidia_comgpu (str | Unset):
        amd_comgpu (str | Unset):
        intel_comgpu (str | Unset):
    """

    memory: str | Unset = UNSET
    cpu: str | Unset = UNSET
    nvidia_comgpu: str | Unset = UNSET
    amd_comgpu: str | Unset = UNSET
    intel_comgpu: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        memory = self.memory

        cpu = self.cpu

        nvidia_comgpu = self.nvidia_comgpu

        amd_comgpu = self.amd_comgpu

        intel_comgpu = self.intel_comgpu

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if memory is not UNSET:
            field_dict["memory"] = memory
        if cpu is not UNSET:
            field_dict["cpu"] = cpu
        if nvidia_comgpu is not UNSET:
            field_dict["nvidia.com/gpu"] = nvidia_comgpu
        if amd_comgpu is not UNSET:
            field_dict["amd.com/gpu"] = amd_comgpu
        if intel_comgpu is not UNSET:
            field_dict["intel.com/gpu"] = intel_comgpu

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        memory = d.pop("memory", UNSET)

        cpu = d.pop("cpu", UNSET)

        nvidia_comgpu = d.pop("nvidia.com/gpu", UNSET)

        amd_comgpu = d.pop("amd.com/gpu", UNSET)

        intel_comgpu = d.pop("intel.com/gpu", UNSET)

        function_resources = cls(
            memory=memory,
            cpu=cpu,
            nvidia_comgpu=nvidia_comgpu,
            amd_comgpu=amd_comgpu,
            intel_comgpu=intel_comgpu,
        )

        function_resources.additional_properties = d
        return function_resources

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
