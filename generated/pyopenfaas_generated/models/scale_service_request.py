from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ScaleServiceRequest")


@_attrs_define
class ScaleServiceRequest:
    """
    Attributes:
        service_name (str): A DNS-1123 label, as faas-netes and faasd require.
        replicas (int): The CE gateway clamps to 1..5 and CE providers refuse 0; Pro providers scale to zero.
        namespace (str | Unset): A DNS-1123 label, as faas-netes and faasd require.
    """

    service_name: str
    replicas: int
    namespace: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        service_name = self.service_name

        replicas = self.replicas

        namespace = self.namespace

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "serviceName": service_name,
                "replicas": replicas,
            }
        )
        if namespace is not UNSET:
            field_dict["namespace"] = namespace

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        service_name = d.pop("serviceName")

        replicas = d.pop("replicas")

        namespace = d.pop("namespace", UNSET)

        scale_service_request = cls(
            service_name=service_name,
            replicas=replicas,
            namespace=namespace,
        )

        scale_service_request.additional_properties = d
        return scale_service_request

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
