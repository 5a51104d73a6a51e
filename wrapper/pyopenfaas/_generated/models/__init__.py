"""Contains all the data models used in inputs/outputs"""

from .delete_function_request import DeleteFunctionRequest
from .function import Function
from .function_deployment import FunctionDeployment
from .function_resources import FunctionResources
from .function_usage import FunctionUsage
from .gateway_info import GatewayInfo
from .log_entry import LogEntry
from .namespace import Namespace
from .prometheus_alert import PrometheusAlert
from .prometheus_inner_alert import PrometheusInnerAlert
from .prometheus_inner_alert_label import PrometheusInnerAlertLabel
from .provider_info import ProviderInfo
from .scale_service_request import ScaleServiceRequest
from .secret import Secret
from .secret_body import SecretBody
from .string_map import StringMap
from .version_info import VersionInfo

__all__ = (
    "DeleteFunctionRequest",
    "Function",
    "FunctionDeployment",
    "FunctionResources",
    "FunctionUsage",
    "GatewayInfo",
    "LogEntry",
    "Namespace",
    "PrometheusAlert",
    "PrometheusInnerAlert",
    "PrometheusInnerAlertLabel",
    "ProviderInfo",
    "ScaleServiceRequest",
    "Secret",
    "SecretBody",
    "StringMap",
    "VersionInfo",
)
