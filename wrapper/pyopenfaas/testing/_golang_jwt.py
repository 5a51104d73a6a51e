"""golang-jwt v5 (v5.3.1, as of-watchdog vendors it) parsing a token the way faas-middleware v1.2.5 calls it:
``ParseWithClaims`` into its ``FunctionClaims`` with the issuer, the issuer as audience and 1 s of leeway.

Every refusal carries golang-jwt's text, with Go's own words inside (``encoding/base64``, ``encoding/json``),
as seen from a real watchdog (gateway-api.md, section 10): the fake's 401s must read the same, byte for byte.
"""

from __future__ import annotations

import decimal
import json
import math
import re
import time
from collections.abc import Callable, Mapping
from typing import Any

from jwt.algorithms import RSAAlgorithm, RSAPSSAlgorithm

from ._gojson import GoJSONError, loads

# golang-jwt's registered signing methods, and how each refuses an RSA key (its Verify checks the key's type).
_RSA = {
    "RS256": RSAAlgorithm(RSAAlgorithm.SHA256),
    "RS384": RSAAlgorithm(RSAAlgorithm.SHA384),
    "RS512": RSAAlgorithm(RSAAlgorithm.SHA512),
    "PS256": RSAPSSAlgorithm(RSAPSSAlgorithm.SHA256),
    "PS384": RSAPSSAlgorithm(RSAPSSAlgorithm.SHA384),
    "PS512": RSAPSSAlgorithm(RSAPSSAlgorithm.SHA512),
}
_WRONG_KEY = {
    **dict.fromkeys(("HS256", "HS384", "HS512"), "HMAC verify expects []byte"),
    **dict.fromkeys(("ES256", "ES384", "ES512"), "ECDSA verify expects *ecdsa.PublicKey"),
    "EdDSA": "Ed25519 verify expects ed25519.PublicKey",
}
_LEEWAY = 1.0
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_BASE64URL = {
    char: value for value, char in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
}
_TIMES = ("exp", "nbf", "iat")
_STRINGS = ("iss", "sub", "jti")
_FIELDS = frozenset((*_TIMES, *_STRINGS, "aud", "function"))


class Refused(Exception):
    """A token golang-jwt refuses; the text follows ``failed to parse JWT token: `` in the 401."""


def parse(
    token: str, *, issuer: str, audience: str | None, key_for: Callable[[str], Any], now: float | None = None
) -> dict[str, Any]:
    """The token's claims (canonical names), or Refused. ``audience`` None checks no audience; ``key_for(kid)``
    is the RSA public key for a ``kid``, or None."""
    parts = token.split(".")
    if len(parts) != 3:
        raise Refused("token is malformed: token contains an invalid number of segments")
    header = _object(_segment(parts[0], "header"), "header", "map[string]interface {}")
    claims = _claims(_segment(parts[1], "claim"))
    alg = header.get("alg")
    if not isinstance(alg, str):
        raise Refused("token is unverifiable: signing method (alg) is unspecified")
    if alg not in _RSA and alg not in _WRONG_KEY and alg != "none":
        raise Refused("token is unverifiable: signing method (alg) is unavailable")
    signature = _segment(parts[2], "signature")
    kid = header.get("kid")
    key = key_for(kid) if isinstance(kid, str) else None
    if key is None:
        shown = kid if isinstance(kid, str) else go_value(kid)
        raise Refused(f"token is unverifiable: error while executing keyfunc: invalid kid: {shown}")
    if alg == "none":
        raise Refused("token signature is invalid: token is unverifiable: 'none' signature type is not allowed")
    if alg in _WRONG_KEY:
        raise Refused(f"token signature is invalid: key is of invalid type: {_WRONG_KEY[alg]}")
    if not _RSA[alg].verify(f"{parts[0]}.{parts[1]}".encode(), key, signature):
        raise Refused("token signature is invalid: crypto/rsa: verification error")
    problems = _problems(claims, issuer, audience, time.time() if now is None else now)
    if problems:
        raise Refused("token has invalid claims: " + ", ".join(problems))
    return claims


def go_base64url(segment: str) -> bytes:
    """``base64.RawURLEncoding.DecodeString``: no padding, CR and LF skipped, leftover bits ignored; an error
    names the offending byte as Go does."""
    out = bytearray()
    quantum: list[int] = []
    for index, char in enumerate(segment):
        value = _BASE64URL.get(char)
        if value is None:
            if char in "\r\n":
                continue
            raise ValueError(f"illegal base64 data at input byte {index}")
        quantum.append(value)
        if len(quantum) == 4:
            bits = quantum[0] << 18 | quantum[1] << 12 | quantum[2] << 6 | quantum[3]
            out += bits.to_bytes(3, "big")
            quantum = []
    if len(quantum) == 1:
        raise ValueError(f"illegal base64 data at input byte {len(segment) - 1}")
    if quantum:
        padded = quantum + [0] * (4 - len(quantum))
        bits = padded[0] << 18 | padded[1] << 12 | padded[2] << 6
        out += bits.to_bytes(3, "big")[: len(quantum) - 1]
    return bytes(out)


def go_value(value: Any) -> str:
    """How Go's ``%v`` prints a decoded JSON value."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _go_float(float(value))
    if isinstance(value, list):
        return "[" + " ".join(go_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{key}:{go_value(value[key])}" for key in sorted(value)) + "]"
    return str(value)


def _go_float(number: float) -> str:
    """``%v`` of a float64: the shortest digits, in exponent form when the exponent is below -4 or 6 and up."""
    if not math.isfinite(number):
        return "NaN" if math.isnan(number) else ("+Inf" if number > 0 else "-Inf")
    shortest = decimal.Decimal(repr(abs(number))).normalize()
    sign = "-" if number < 0 else ""
    exp = shortest.adjusted()
    if number == 0 or -4 <= exp < 6:
        return sign + format(shortest, "f")
    digits = "".join(str(digit) for digit in shortest.as_tuple().digits)
    body = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{sign}{body}e{'-' if exp < 0 else '+'}{abs(exp):02d}"


def _segment(part: str, what: str) -> bytes:
    try:
        return go_base64url(part)
    except ValueError as exc:
        raise Refused(f"token is malformed: could not base64 decode {what}: {exc}") from None


def _object(raw: bytes, what: str, go_type: str) -> dict[str, Any]:
    try:
        value = loads(raw, in_string="in string")
    except GoJSONError as exc:
        raise Refused(f"token is malformed: could not JSON decode {what}: {exc}") from None
    if value is None:
        return {}  # null into a map or struct leaves it empty
    if not isinstance(value, dict):
        raise Refused(
            f"token is malformed: could not JSON decode {what}: {_unmarshal(value, f'Go value of type {go_type}')}"
        )
    return value


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _unmarshal(value: Any, into: str) -> str:
    return f"json: cannot unmarshal {_kind(value)} into {into}"


def _claims(raw: bytes) -> dict[str, Any]:
    """The claims object decoded into FunctionClaims: Go matches names case-insensitively, the last of two
    wins, and the first value that does not fit its field ends decoding with Go's (or golang-jwt's) error."""
    decoded = _object(raw, "claim", "auth.FunctionClaims")
    claims: dict[str, Any] = {}
    for key, value in decoded.items():
        name = key.lower()
        if name not in _FIELDS:
            continue
        problem = _misfit(name, key, value)
        if problem:
            raise Refused(f"token is malformed: could not JSON decode claim: {problem}")
        claims[name] = _permissions(value) if name == "function" and value is not None else value
    return claims


def _permissions(function: dict[str, Any]) -> dict[str, list[str]]:
    """AuthPermissions as Go fills it: ``permissions`` and ``audience`` by any case, a null entry as ``""``."""
    fields: dict[str, list[str]] = {}
    for key, entries in function.items():
        if key.lower() in ("permissions", "audience") and entries is not None:
            fields[key.lower()] = [entry or "" for entry in entries]
    return fields


def _misfit(name: str, key: str, value: Any) -> str | None:
    """Why ``value`` does not fit the field ``name`` (Go's error names it by ``key``, as the token spells it)."""
    if value is None:
        return None
    if name in _STRINGS:
        return None if isinstance(value, str) else _unmarshal(value, f"Go struct field Claims.{key} of type string")
    if name in _TIMES:
        # jwt.NumericDate decodes a json.Number, which also takes a number in a string.
        if isinstance(value, str) and _numeric(value) is None:
            shown = json.dumps(value)  # Go shows the literal as written; JSON encoders mostly escape non-ASCII
            into = "Go value of type json.Number: invalid syntax"
            return f"could not parse NumericData: json: cannot unmarshal string {shown} into {into}"
        if isinstance(value, bool | list | dict):
            return f"could not parse NumericData: {_unmarshal(value, 'Go value of type json.Number')}"
        return None
    if name == "aud":
        fits = isinstance(value, str) or (isinstance(value, list) and all(isinstance(item, str) for item in value))
        return None if fits else "invalid type for claim"  # jwt.ClaimStrings' own error
    if not isinstance(value, dict):
        return _unmarshal(value, f"Go struct field Claims.{key} of type auth.AuthPermissions")
    for inner, entries in value.items():
        if inner.lower() not in ("permissions", "audience") or entries is None:
            continue
        path = f"Claims.{key}.{inner}"
        if not isinstance(entries, list):
            return _unmarshal(entries, f"Go struct field {path} of type []string")
        for index, entry in enumerate(entries):
            if entry is not None and not isinstance(entry, str):
                return _unmarshal(entry, f"{path}.{index} of type string")
    return None


def _numeric(value: Any) -> float | None:
    """A NumericDate's seconds: a JSON number, or a string holding one (json.Number's grammar)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    return float(value) if isinstance(value, str) and _JSON_NUMBER.fullmatch(value) else None


def _problems(claims: Mapping[str, Any], issuer: str, audience: str | None, now: float) -> list[str]:
    """golang-jwt's Validator, in its order: exp, nbf, aud, iss. Times are truncated to whole seconds."""
    problems = []
    exp, nbf = _numeric(claims.get("exp")), _numeric(claims.get("nbf"))
    if exp is not None and not now < math.floor(exp) + _LEEWAY:
        problems.append("token is expired")
    if nbf is not None and now < math.floor(nbf) - _LEEWAY:
        problems.append("token is not valid yet")
    if audience is not None:
        aud = claims.get("aud")
        given = [aud] if isinstance(aud, str) else list(aud or [])
        if not given or given == [""]:
            problems.append("token is missing required claim: aud claim is required")
        elif audience not in given:
            problems.append("token has invalid audience")
    iss = claims.get("iss")
    if not iss:
        problems.append("token is missing required claim: iss claim is required")
    elif iss != issuer:
        problems.append("token has invalid issuer")
    return problems
