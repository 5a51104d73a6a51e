"""`/components/schemas/PrometheusAlert` in openapi.yaml: The subset of an Alertmanager webhook payload the gateway reads."""

from ..models.prometheus_inner_alert import PrometheusInnerAlert
from ..types import Model


class PrometheusAlert(Model, kw_only=True, frozen=True):
    """The subset of an Alertmanager webhook payload the gateway reads."""

    status: str
    receiver: str
    alerts: list[PrometheusInnerAlert]
