"""`/components/schemas/PrometheusInnerAlert` in openapi.yaml"""

from ..models.prometheus_inner_alert_label import PrometheusInnerAlertLabel
from ..types import Model


class PrometheusInnerAlert(Model, kw_only=True, frozen=True):
    """`/components/schemas/PrometheusInnerAlert` in openapi.yaml"""

    status: str
    labels: PrometheusInnerAlertLabel
