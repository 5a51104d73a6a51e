"""Go's ``net/url.Parse`` errors, which the gateway returns for an unparsable ``X-Callback-Url``."""

from __future__ import annotations

import re

_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*")
_BAD_ESCAPE = re.compile(r"%(?![0-9a-fA-F]{2})")
_PORT = re.compile(r"(:[0-9]*)?")
# Bytes Go refuses in a host name (shouldEscape in encodeHost mode, ASCII only).
_HOST_OK = re.compile(r"[A-Za-z0-9!$&'()*+,;=:\[\]<>\"._~%-]*")
_USERINFO_OK = re.compile(r"[A-Za-z0-9\-._:~!$&'()*+,;=%@]*")
_GO_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}


def go_quote(text: str) -> str:
    """``text`` as Go's ``%q`` writes it (ASCII control characters escaped)."""
    out = []
    for char in text:
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif char in _GO_ESCAPES:
            out.append(_GO_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\x{ord(char):02x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _escape_problem(text: str) -> str | None:
    match = _BAD_ESCAPE.search(text)
    return f"invalid URL escape {go_quote(text[match.start() : match.start() + 3])}" if match else None


def _host_problem(host: str) -> str | None:
    if host.startswith("["):
        end = host.rfind("]")
        if end < 0:
            return "missing ']' in host"
        port = host[end + 1 :]
    else:
        colon = host.rfind(":")
        port = host[colon:] if colon >= 0 else ""
    if not _PORT.fullmatch(port):
        return f"invalid port {go_quote(port)} after host"
    if problem := _escape_problem(host):
        return problem
    if bad := next((char for char in host if ord(char) < 0x80 and not _HOST_OK.fullmatch(char)), None):
        return f"invalid character {go_quote(bad)} in host name"
    return None


def parse_problem(url: str) -> str | None:
    """The error ``url.Parse(url)`` returns, written as Go writes it (``parse "URL": reason``), or None."""
    reason = _reason(url)
    return None if reason is None else f"parse {go_quote(url)}: {reason}"


def _reason(url: str) -> str | None:
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in url):
        return "net/url: invalid control character in URL"
    url, _, fragment = url.partition("#")
    if problem := _escape_problem(fragment):
        return problem
    if url.startswith(":"):
        return "missing protocol scheme"
    scheme, colon, rest = url.partition(":")
    if not colon or not _SCHEME.fullmatch(scheme):
        scheme, rest = "", url
    rest = rest.partition("?")[0]
    if not rest.startswith("/"):
        if scheme:
            return None  # an opaque URL, e.g. mailto:x
        if ":" in rest.partition("/")[0]:
            return "first path segment in URL cannot contain colon"
    if rest.startswith("//") and (scheme or not rest.startswith("///")):
        authority, slash, path = rest[2:].partition("/")
        rest = slash + path
        userinfo, at, host = authority.rpartition("@")
        if at and not _USERINFO_OK.fullmatch(userinfo):
            return "net/url: invalid userinfo"
        if problem := _host_problem(host):
            return problem
    return _escape_problem(rest)
