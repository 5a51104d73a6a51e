"""Realistic gateway payloads for the benchmark server: FunctionStatus and logs.Message, shaped as
docs/gateway-behaviour.md (Result shapes) describes."""

from __future__ import annotations

import json
from typing import Any

_IMAGES = ["ghcr.io/openfaas/figlet:latest", "ghcr.io/openfaas/nodeinfo:latest", "ghcr.io/acme/resize:1.4.2"]


def function_status(i: int) -> dict[str, Any]:
    """The i-th function as faas-netes reports it: everything set, nanosecond creation time."""
    status: dict[str, Any] = {
        "name": f"fn-{i:03d}",
        "image": _IMAGES[i % len(_IMAGES)],
        "namespace": "openfaas-fn",
        "envProcess": "python index.py",
        "envVars": {"write_debug": "true", "read_timeout": "30s", "write_timeout": "30s"},
        "constraints": ["node.platform.os == linux"],
        "secrets": ["api-key", "db-password"],
        "labels": {"com.openfaas.scale.min": "1", "com.openfaas.scale.max": "5", "team": f"team-{i % 7}"},
        "annotations": {"prometheus.io.scrape": "false", "topic": "cron-function"},
        "limits": {"memory": "128Mi", "cpu": "200m"},
        "requests": {"memory": "64Mi", "cpu": "100m"},
        "readOnlyRootFilesystem": True,
        "invocationCount": 1000 + 37 * i,
        "replicas": 1 + i % 3,
        "availableReplicas": 1 + i % 3,
        "createdAt": f"2026-11-{1 + i % 28:02d}T09:14:07.{i:03d}456789Z",
    }
    if i % 4 == 0:  # scaled to zero: Go's omitempty drops the replica counts
        del status["replicas"], status["availableReplicas"]
    return status


def function_list_json(n: int) -> bytes:
    """``GET /system/functions`` body with n functions."""
    return json.dumps([function_status(i) for i in range(n)]).encode()


def function_json(i: int) -> bytes:
    """``GET /system/function/{name}`` body."""
    return json.dumps(function_status(i)).encode()


def log_lines(n: int) -> list[bytes]:
    """n NDJSON log lines, each ``\\n``-terminated, as the provider's json.Encoder writes them."""
    return [
        json.dumps(
            {
                "name": "figlet",
                "namespace": "openfaas-fn",
                "instance": f"figlet-7d4b9c6f5-x2x9{i % 4}",
                "timestamp": f"2026-11-20T09:15:{i % 60:02d}.{i:09d}Z",
                "text": f"2026/11/20 09:15:00 POST / - 200 OK - ContentLength: {i % 997} B (0.0{i % 9}s)",
            },
            separators=(",", ":"),
        ).encode()
        + b"\n"
        for i in range(n)
    ]
