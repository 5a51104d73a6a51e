"""Realistic gateway payloads, as faas-netes and faasd write them.

See docs/gateway-behaviour.md, Status codes by provider and Result shapes."""

from __future__ import annotations

from typing import Any

# faas-netes: a function with everything set, two replicas, a real creation time with nanoseconds.
FAAS_NETES_FUNCTION: dict[str, Any] = {
    "name": "figlet",
    "image": "ghcr.io/openfaas/figlet:latest",
    "namespace": "openfaas-fn",
    "envProcess": "figlet",
    "envVars": {"write_debug": "true"},
    "constraints": ["node.platform.os == linux"],
    "secrets": ["api-key"],
    "labels": {"com.openfaas.scale.min": "1", "team": "edge"},
    "annotations": {"prometheus.io.scrape": "false"},
    "limits": {"memory": "128Mi", "cpu": "200m", "nvidia.com/gpu": "1"},
    "requests": {"memory": "64Mi", "cpu": "100m"},
    "readOnlyRootFilesystem": True,
    "invocationCount": 1337,
    "replicas": 2,
    "availableReplicas": 2,
    "createdAt": "2026-11-20T09:14:07.123456789Z",
}

# faasd: scaled to zero, so replicas/availableReplicas are omitted; zero createdAt; no resources.
FAASD_FUNCTION: dict[str, Any] = {
    "name": "nodeinfo",
    "image": "ghcr.io/openfaas/nodeinfo:latest",
    "namespace": "openfaas-fn",
    "envProcess": "node index.js",
    "labels": {},
    "annotations": {},
    "invocationCount": 0,
    "createdAt": "0001-01-01T00:00:00Z",
}

DEPLOYMENT: dict[str, Any] = {
    "service": "figlet",
    "image": "ghcr.io/openfaas/figlet:latest",
    "namespace": "openfaas-fn",
    "envProcess": "figlet",
    "envVars": {"write_debug": "true"},
    "constraints": ["node.platform.os == linux"],
    "secrets": ["api-key"],
    "labels": {"team": "edge"},
    "annotations": {"topic": "cron"},
    "limits": {"memory": "128Mi", "amd.com/gpu": "1", "intel.com/gpu": "2"},
    "requests": {"cpu": "100m"},
    "readOnlyRootFilesystem": True,
}

# faasd reports binary secrets in rawValue (base64); text secrets in value.
SECRET_RAW: dict[str, Any] = {"name": "tls-key", "namespace": "openfaas-fn", "rawValue": "AAEC/f7/"}
SECRET_TEXT: dict[str, Any] = {"name": "api-key", "namespace": "openfaas-fn", "value": "s3cr3t"}
SECRET_DESCRIPTION: dict[str, Any] = {"name": "api-key", "namespace": "openfaas-fn"}

LOG_ENTRY: dict[str, Any] = {
    "name": "figlet",
    "namespace": "openfaas-fn",
    "instance": "figlet-7d4b9c6f5-x2x9q",
    "timestamp": "2026-11-20T09:15:00.000000001Z",
    "text": "Forked fprocess 42",
}

GATEWAY_INFO_FAAS_NETES: dict[str, Any] = {
    "provider": {
        "provider": "faas-netes-ce",
        "orchestration": "kubernetes",
        "version": {"commit_message": "Release 0.18.13", "sha": "5d1b2c", "release": "0.18.13"},
    },
    "version": {"commit_message": "Bump", "sha": "a1b2c3d", "release": "0.27.12"},
    "arch": "x86_64",
}

# The gateway sends provider: null when the provider's /system/info could not be parsed, and "dev" builds.
GATEWAY_INFO_FAASD: dict[str, Any] = {
    "provider": None,
    "version": {"sha": "dirty", "release": "dev"},
    "arch": "arm64",
}

GATEWAY_INFO_FAASD_PROVIDER: dict[str, Any] = {
    "provider": {"provider": "faasd-ce", "orchestration": "containerd", "version": None},
    "version": {"sha": "0f0f0f", "release": "0.27.12"},
    "arch": "aarch64",
}

NAMESPACE: dict[str, Any] = {"name": "staging", "labels": {"openfaas": "1"}, "annotations": {"owner": "ci"}}

SCALE_REQUEST: dict[str, Any] = {"serviceName": "figlet", "namespace": "openfaas-fn", "replicas": 3}
SCALE_REQUEST_NO_NAMESPACE: dict[str, Any] = {"serviceName": "figlet", "replicas": 1}
DELETE_REQUEST: dict[str, Any] = {"functionName": "figlet", "namespace": "openfaas-fn"}

ALERT: dict[str, Any] = {
    "status": "firing",
    "receiver": "scale-up",
    "alerts": [
        {
            "status": "firing",
            "labels": {
                "alertname": "APIHighInvocationRate",
                "function_name": "figlet",
                "namespace": "openfaas-fn",
            },
        }
    ],
}
