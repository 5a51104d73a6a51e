"""A client's IAM state: where its gateway token comes from, and its function tokens (shared by `with_options`)."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from ._oauth import DEFAULT_FUNCTION_NAMESPACE, FUNCTION_SCOPE, TokenFlow, parse_token, token_exchange
from ._tokens import FunctionTokenCaches, SingleFlight, TokenCache

if TYPE_CHECKING:
    from ._credentials import TokenExchangeAuth


class IAM:
    """A static gateway token, or a `TokenExchangeAuth` bound to this gateway; function tokens per function,
    kept in `token_cache` (shared by clients given the same one) under keys naming the gateway and who asks."""

    def __init__(
        self,
        base_url: str,
        *,
        exchange: TokenExchangeAuth | None = None,
        static: str | None = None,
        token_cache: TokenCache | None = None,
    ) -> None:
        self.exchange = exchange
        self.static = static
        # Function tokens always come from the gateway, whatever issues the gateway token.
        self.function_token_url = f"{base_url}/oauth/token"
        self.token_url = (exchange.token_url if exchange is not None else None) or self.function_token_url
        self.gateway: SingleFlight | None = exchange._cache(self.token_url) if exchange is not None else None
        # Who asks: clients sharing a cache share function tokens only when their gateway credentials match.
        asker = exchange._id if exchange is not None else hashlib.sha256((static or "").encode()).hexdigest()[:16]
        self.functions = FunctionTokenCaches(store=token_cache, prefix=f"function|{self.function_token_url}|{asker}|")

    def gateway_flow(self) -> TokenFlow:
        assert self.exchange is not None
        return self.exchange._flow(self.token_url)

    def function_flow(self, gateway_token: str, namespace: str | None, name: str) -> TokenFlow:
        """A function token: the gateway token exchanged with `scope=function`, `audience=<namespace>:<name>`."""
        request = token_exchange(
            self.function_token_url,
            gateway_token,
            audience=[f"{namespace or DEFAULT_FUNCTION_NAMESPACE}:{name}"],
            scope=[FUNCTION_SCOPE],
        )
        return parse_token((yield request), request)

    def known_function_token(self, namespace: str | None, name: str) -> str | None:
        """A fresh token already held for this function (it asked for one before), else None."""
        return self.functions.peek(namespace or DEFAULT_FUNCTION_NAMESPACE, name)

    def function_cache(self, namespace: str | None, name: str) -> SingleFlight:
        return self.functions.cache(namespace or DEFAULT_FUNCTION_NAMESPACE, name)
