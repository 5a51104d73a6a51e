from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.prometheus_inner_alert import PrometheusInnerAlert


T = TypeVar("T", bound="PrometheusAlert")


@_attrs_define
class PrometheusAlert:
    """The subset of an Alertmanager webhook payload the gateway reads.

    Attributes:
        status (str):
        receiver (str):
        alerts (list[PrometheusInnerAlert]):
    """

    status: str
    receiver: str
    alerts: list[PrometheusInnerAlert]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status

        receiver = self.receiver

        alerts = []
        for alerts_item_data in self.alerts:
            alerts_item = alerts_item_data.to_dict()
            alerts.append(alerts_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "receiver": receiver,
                "alerts": alerts,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.prometheus_inner_alert import PrometheusInnerAlert

        d = dict(src_dict)
        status = d.pop("status")

        receiver = d.pop("receiver")

        alerts = []
        _alerts = d.pop("alerts")
        for alerts_item_data in _alerts:
            alerts_item = PrometheusInnerAlert.from_dict(alerts_item_data)

            alerts.append(alerts_item)

        prometheus_alert = cls(
            status=status,
            receiver=receiver,
            alerts=alerts,
        )

        prometheus_alert.additional_properties = d
        return prometheus_alert

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
