"""Credentials for the gateway: a static bearer token, or OpenFaaS IAM token exchange from an identity source.

    from pyopenfaas import OpenFaaS
    from pyopenfaas.auth import ServiceAccountTokenSource, TokenExchangeAuth

    client = OpenFaaS("https://gateway.example.com", auth=TokenExchangeAuth(ServiceAccountTokenSource()))
    client.functions.invoke("figlet", "hi", function_auth=True)  # with a token scoped to that function

An identity source is any callable that returns an identity token (a JWT) as `str`. `TokenExchangeAuth`
exchanges it at the gateway's `/oauth/token` for a gateway token, caches that, and exchanges again at least
10 s before it expires; however many threads or tasks need a token at once, one exchange runs. Tokens and
secrets never appear in a repr, an exception or a log line.

Tokens are kept in a `TokenCache`: a `MemoryTokenCache` per client unless you pass one to share
(`OpenFaaS(..., token_cache=cache)` for function tokens, `TokenExchangeAuth(..., token_cache=cache)` for
gateway tokens). `exchange_token` runs one RFC 8693 exchange by itself.
"""

from __future__ import annotations

from ._credentials import TOKEN_MOUNT_PATH_ENV as TOKEN_MOUNT_PATH_ENV
from ._credentials import (
    BearerAuth,
    ClientCredentialsTokenSource,
    ServiceAccountTokenSource,
    TokenExchangeAuth,
    TokenSource,
    async_exchange_token,
    exchange_token,
)
from ._errors import TokenExchangeError
from ._oauth import Token
from ._public import publish
from ._tokens import MemoryTokenCache, TokenCache

__all__ = [
    "BearerAuth",
    "ClientCredentialsTokenSource",
    "MemoryTokenCache",
    "ServiceAccountTokenSource",
    "Token",
    "TokenCache",
    "TokenExchangeAuth",
    "TokenExchangeError",
    "TokenSource",
    "async_exchange_token",
    "exchange_token",
]


publish(__name__, globals())
