"""`/components/schemas/PrometheusInnerAlertLabel` in openapi.yaml"""

from ..types import Model


class PrometheusInnerAlertLabel(Model, kw_only=True, frozen=True):
    """`/components/schemas/PrometheusInnerAlertLabel` in openapi.yaml"""

    alertname: str
    function_name: str
    namespace: str | None = None
