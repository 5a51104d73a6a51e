"""Hypothesis strategies for what a broken or hostile gateway (or the proxy in front of it) may answer.

An `Answer` is a status, headers and a body. Each read operation gets bodies of the shape it expects with
every field replaced, now and then, by any JSON value; and, whatever the operation, bodies that are not
JSON, JSON of another shape, HTML error pages from a proxy, empty bodies, huge bodies, NDJSON with broken
lines, truncated JSON, and bodies whose Content-Encoding lies.

Included since the client bugs they found were fixed: JSON nested deeper than the recursion limit, integers too
large for a float, undecodable charsets, and encoded bodies on a 2xx other than 200.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass

import httpx
from hypothesis import strategies as st

INTEGERS = st.one_of(st.integers(min_value=-(2**63), max_value=2**64), st.sampled_from([10**400, -(10**400)]))

json_scalars = st.none() | st.booleans() | INTEGERS | st.floats() | st.text(max_size=16)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=10,
)


# A wrong value for a field: flat, so that drawing one is cheap (the recursive kind is drawn for whole bodies).
junk: st.SearchStrategy[object] = st.one_of(
    json_scalars,
    st.just([]),
    st.just({}),
    st.lists(json_scalars, max_size=2),
    st.dictionaries(st.text(max_size=4), json_scalars, max_size=2),
)


def _or_junk(strategy: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    """Mostly the right type, sometimes a JSON value of another type."""
    return st.one_of(strategy, strategy, junk)


strings = st.text(max_size=24)
string_maps = st.dictionaries(st.text(max_size=12), st.text(max_size=12), max_size=3)
string_lists = st.lists(st.text(max_size=12), max_size=3)
counts = st.one_of(st.integers(0, 10), st.integers(-5, -1), st.floats(), st.sampled_from([1.5, 2.0, 1e300]))
times = st.one_of(
    st.sampled_from(
        [
            "0001-01-01T00:00:00Z",
            "2024-01-02T03:04:05Z",
            "2024-01-02T03:04:05.123456789+02:00",
            "2024-02-30T03:04:05Z",
            "2024-01-02T25:61:61Z",
            "2024-01-02T03:04:05+99:99",
            "2024-01-02 03:04:05z",
            "2024-01-02",
            "yesterday",
            "",
        ]
    ),
    st.datetimes().map(lambda moment: moment.isoformat() + "Z"),
    strings,
)
resources = st.dictionaries(
    st.sampled_from(["memory", "cpu", "nvidia.com/gpu", "amd.com/gpu", "intel.com/gpu", "disk"]),
    st.text(max_size=8),
    max_size=3,
)
version_objects = st.fixed_dictionaries(
    {}, optional={"release": _or_junk(strings), "sha": _or_junk(strings), "commit_message": _or_junk(strings)}
)

function_items = st.fixed_dictionaries(
    {},
    optional={
        "name": _or_junk(strings),
        "image": _or_junk(strings),
        "namespace": _or_junk(strings),
        "envProcess": _or_junk(strings),
        "envVars": _or_junk(string_maps),
        "constraints": _or_junk(string_lists),
        "secrets": _or_junk(string_lists),
        "labels": _or_junk(string_maps),
        "annotations": _or_junk(string_maps),
        "limits": _or_junk(resources),
        "requests": _or_junk(resources),
        "readOnlyRootFilesystem": _or_junk(st.booleans()),
        "invocationCount": _or_junk(counts),
        "replicas": _or_junk(counts),
        "availableReplicas": _or_junk(counts),
        "createdAt": _or_junk(times),
        "usage": _or_junk(st.fixed_dictionaries({}, optional={"cpu": _or_junk(counts), "totalMemoryBytes": counts})),
    },
)
secret_items = st.fixed_dictionaries(
    {},
    optional={
        "name": _or_junk(strings),
        "namespace": _or_junk(strings),
        "value": _or_junk(strings),
        "rawValue": _or_junk(strings),
    },
)
namespace_objects = st.fixed_dictionaries(
    {}, optional={"name": _or_junk(strings), "labels": _or_junk(string_maps), "annotations": _or_junk(string_maps)}
)
provider_objects = st.fixed_dictionaries(
    {},
    optional={
        "provider": _or_junk(strings),
        "orchestration": _or_junk(strings),
        "version": _or_junk(st.none() | version_objects),
    },
)
info_objects = st.fixed_dictionaries(
    {},
    optional={
        "provider": _or_junk(st.none() | provider_objects),
        "version": _or_junk(version_objects),
        "arch": _or_junk(strings),
    },
)
log_objects = st.fixed_dictionaries(
    {},
    optional={
        "name": _or_junk(strings),
        "namespace": _or_junk(strings),
        "instance": _or_junk(strings),
        "timestamp": _or_junk(times),
        "text": _or_junk(strings),
    },
)


def _ndjson_line(obj: st.SearchStrategy[object]) -> st.SearchStrategy[str]:
    return st.one_of(
        obj.map(json.dumps),
        obj.map(json.dumps),
        json_values.map(json.dumps),
        obj.map(lambda value: json.dumps(value)[: max(1, len(json.dumps(value)) // 2)]),  # a broken line
        st.text(max_size=30).filter(lambda text: "\n" not in text and "\r" not in text),
        st.just(""),
        st.just("   "),
    )


def ndjson(obj: st.SearchStrategy[object]) -> st.SearchStrategy[bytes]:
    return st.tuples(st.lists(_ndjson_line(obj), max_size=6), st.sampled_from(["\n", "\r\n"]), st.booleans()).map(
        lambda parts: (parts[1].join(parts[0]) + (parts[1] if parts[2] else "")).encode()
    )


# The body each read operation expects when all goes well: what its malformed variants start from.
SHAPES: dict[str, st.SearchStrategy[object]] = {
    "functions.list": st.one_of(st.lists(_or_junk(function_items), max_size=4), json_values),
    "functions.get": st.one_of(function_items, function_items, json_values),
    "secrets.list": st.one_of(st.lists(_or_junk(secret_items), max_size=4), json_values),
    "namespaces.list": st.one_of(st.lists(_or_junk(strings), max_size=4), json_values),
    "namespaces.get": st.one_of(namespace_objects, namespace_objects, json_values),
    "info": st.one_of(info_objects, info_objects, json_values),
    "health": json_values,
    "logs": st.one_of(st.lists(log_objects, max_size=4), json_values),  # turned into NDJSON below
}

VALID_FUNCTION = {
    "name": "figlet",
    "image": "ghcr.io/openfaas/figlet:latest",
    "namespace": "openfaas-fn",
    "replicas": 1,
    "availableReplicas": 1,
    "createdAt": "2024-01-02T03:04:05Z",
}
VALID_LOG_LINE = {
    "name": "figlet",
    "namespace": "openfaas-fn",
    "instance": "figlet-1",
    "timestamp": "2024-01-02T03:04:05.5Z",
    "text": "hello",
}


def html_page(status: int, title: str) -> bytes:
    return (
        f"<!DOCTYPE html>\n<html><head><title>{status} {title}</title></head>\n"
        f"<body><center><h1>{status} {title}</h1></center><hr><center>nginx</center></body></html>\n"
    ).encode()


HUGE = {
    "junk": b"\x00\xff<html>" * 200_000,  # 1.4 MB, not JSON
    "long string": json.dumps({"name": "x" * 1_000_000, "image": "y" * 1_000_000}).encode(),
    "long list": json.dumps([VALID_FUNCTION] * 5_000).encode(),
    "long ndjson": "\n".join([json.dumps(VALID_LOG_LINE)] * 5_000).encode(),
    "one huge line": json.dumps({**VALID_LOG_LINE, "text": "z" * 2_000_000}).encode(),
    "whitespace": b" " * 2_000_000,
}


DEEP = b"[" * 100_000 + b"]" * 100_000  # nested far deeper than the recursion limit


@dataclass(frozen=True)
class Answer:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    kind: str
    honest_encoding: bool = True

    def response(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(self.status, headers=list(self.headers), content=self.body, request=request)

    def __repr__(self) -> str:
        body = self.body if len(self.body) <= 200 else self.body[:200] + b"...(%d bytes)" % len(self.body)
        return f"Answer({self.status}, {self.headers!r}, {body!r}, kind={self.kind!r})"


# Built once: strategies made inside a draw would be rebuilt (and re-analysed) for every example.
KINDS = st.sampled_from(
    ["shaped", "shaped", "shaped", "json", "empty", "bytes", "text", "html", "huge", "truncated", "ndjson", "deep"]
)
STATUSES = st.one_of(st.just(200), st.just(200), st.sampled_from([201, 202, 203, 204]), st.integers(100, 599))
CONTENT_TYPES = st.sampled_from(
    [
        None,
        "application/json",
        "application/json; charset=utf-8",
        "application/json; charset=utf-16",
        "application/json; charset=no-such-charset",
        "text/html",
        "text/plain; charset=latin-1",
        "application/x-ndjson",
        "application/octet-stream",
    ]
)
ENCODINGS = st.sampled_from([None, None, None, None, "gzip-valid", "gzip", "br", "deflate", "x-unknown"])
LOCATIONS = st.sampled_from(["/system/functions", "http://elsewhere.invalid/x", "ftp://x/", "http://[::1", ""])
RETRY_AFTERS = st.sampled_from(["0", "1", "-3", "soon", "Wed, 21 Oct 2015 07:28:00 GMT"])
HTML_PAGES = st.builds(html_page, st.sampled_from([502, 503, 504, 403, 200]), st.sampled_from(["Bad Gateway", "OK"]))
HUGE_NAMES = st.sampled_from(sorted(HUGE))
LOG_NDJSON = ndjson(log_objects)
MIXED_NDJSON = ndjson(st.one_of(log_objects, function_items))
SHAPED_JSON = {operation: shape.map(json.dumps) for operation, shape in SHAPES.items()}
SHAPED_JSON["logs"] = st.one_of(LOG_NDJSON, LOG_NDJSON, json_values.map(json.dumps))


@st.composite
def answers(draw: st.DrawFn, operation: str) -> Answer:
    kind = draw(KINDS)
    body: str | bytes
    if kind == "shaped":
        body = draw(SHAPED_JSON[operation])
    elif kind == "json":
        body = json.dumps(draw(json_values))
    elif kind == "empty":
        body = b""
    elif kind == "bytes":
        body = draw(st.binary(max_size=120))
    elif kind == "text":
        body = draw(st.text(max_size=120))
    elif kind == "html":
        body = draw(HTML_PAGES)
    elif kind == "huge":
        which = draw(HUGE_NAMES)
        kind, body = f"huge {which}", HUGE[which]
    elif kind == "deep":
        body = DEEP
    elif kind == "truncated":
        whole = draw(SHAPED_JSON[operation])
        body = whole[: draw(st.integers(0, max(0, len(whole) - 1)))]
    else:
        body = draw(MIXED_NDJSON)
    payload = body.encode() if isinstance(body, str) else body

    status = draw(STATUSES)
    headers: list[tuple[str, str]] = []
    content_type = draw(CONTENT_TYPES)
    if content_type is not None:
        headers.append(("Content-Type", content_type))
    encoding = draw(ENCODINGS)
    if encoding == "gzip-valid":
        payload = gzip.compress(payload, compresslevel=1)
        headers.append(("Content-Encoding", "gzip"))
    elif encoding is not None:
        headers.append(("Content-Encoding", encoding))
    if 300 <= status < 400 and draw(st.booleans()):
        headers.append(("Location", draw(LOCATIONS)))
    if status in (429, 502, 503, 504) and draw(st.booleans()):
        headers.append(("Retry-After", draw(RETRY_AFTERS)))
    honest = encoding in (None, "gzip-valid")
    return Answer(status, tuple(headers), payload, kind, honest_encoding=honest)
