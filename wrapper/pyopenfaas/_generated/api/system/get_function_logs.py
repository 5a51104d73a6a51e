"""`GET /system/logs`: Stream a function's logs as newline-delimited JSON"""

from __future__ import annotations

import datetime

from ...types import Request, no_answer, rfc3339


def request(
    *,
    name: str,
    namespace: str | None = None,
    instance: str | None = None,
    tail: int | None = None,
    follow: bool | None = None,
    since: datetime.datetime | None = None,
) -> Request[None]:
    """One `LogEntry` JSON object per line, flushed per message. The gateway copies only the body, so
    the Content-Type seen by clients is sniffed (often `text/plain`): parse by line. With
    `follow=true` the stream stays open until the gateway's write timeout or the client leaves.
    A provider without log support gives 501; a provider-side 422 (bad `since` or `tail`) reaches
    the client as 500.

    A 200 answer's body (str) is not decoded.
    """
    params: dict[str, str] = {"name": name}
    if namespace is not None:
        params["namespace"] = namespace
    if instance is not None:
        params["instance"] = instance
    if tail is not None:
        params["tail"] = str(tail)
    if follow is not None:
        params["follow"] = "true" if follow else "false"
    if since is not None:
        params["since"] = rfc3339(since)
    return Request("GET", "/system/logs", no_answer, params or None)
