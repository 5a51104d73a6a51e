from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.prometheus_inner_alert_label import PrometheusInnerAlertLabel


T = TypeVar("T", bound="PrometheusInnerAlert")


@_attrs_define
class PrometheusInnerAlert:
    """
    Attributes:
        status (str):
        labels (PrometheusInnerAlertLabel):
    """

    status: str
    labels: PrometheusInnerAlertLabel
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status

        labels = self.labels.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "labels": labels,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.prometheus_inner_alert_label import PrometheusInnerAlertLabel

        d = dict(src_dict)
        status = d.pop("status")

        labels = PrometheusInnerAlertLabel.from_dict(d.pop("labels"))

        prometheus_inner_alert = cls(
            status=status,
            labels=labels,
        )

        prometheus_inner_alert.additional_properties = d
        return prometheus_inner_alert

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
