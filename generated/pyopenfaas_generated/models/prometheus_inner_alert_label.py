from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PrometheusInnerAlertLabel")


@_attrs_define
class PrometheusInnerAlertLabel:
    """
    Attributes:
        alertname (str):
        function_name (str):
        namespace (str | Unset):
    """

    alertname: str
    function_name: str
    namespace: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        alertname = self.alertname

        function_name = self.function_name

        namespace = self.namespace

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "alertname": alertname,
                "function_name": function_name,
            }
        )
        if namespace is not UNSET:
            field_dict["namespace"] = namespace

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        alertname = d.pop("alertname")

        function_name = d.pop("function_name")

        namespace = d.pop("namespace", UNSET)

        prometheus_inner_alert_label = cls(
            alertname=alertname,
            function_name=function_name,
            namespace=namespace,
        )

        prometheus_inner_alert_label.additional_properties = d
        return prometheus_inner_alert_label

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
