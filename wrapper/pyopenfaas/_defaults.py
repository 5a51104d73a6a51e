"""Every default of the clients' settings and options, in one place (exported by `pyopenfaas`)."""

from __future__ import annotations

import httpx

from ._retry import RetryPolicy

DEFAULT_GATEWAY_URL = "http://127.0.0.1:8080"
"""The gateway when no argument, `OPENFAAS_URL` or `OPENFAAS_GATEWAY_ADDR` names one (faas-cli's default too)."""
DEFAULT_USERNAME = "admin"
"""The gateway user when a password comes without one."""
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
"""Every call's timeout unless `timeout=` says otherwise: 60 s to read, write or wait for a connection, 10 s to
connect."""
DEFAULT_MAX_RETRIES = 2
"""How many times a failed call is sent again (`max_retries=`), when `RetryPolicy` says it may be."""
DEFAULT_RETRY_POLICY = RetryPolicy()
"""What is retried and how long to wait first (`retry_policy=`)."""
DEFAULT_MAX_CONNECTIONS = 100
"""The connection pool's size, and so the calls in flight at once (`max_connections=`)."""
DEFAULT_KEEPALIVE_EXPIRY = 5.0
"""Seconds an idle connection of `default_async_transport` stays open."""
DEFAULT_CONCURRENCY = 32
"""`invoke_many`'s calls in flight at once."""
DEFAULT_READY_TIMEOUT = 120.0
"""Seconds `wait_ready` waits for an available replica."""
DEFAULT_POLL_INTERVAL = 0.5
"""Seconds between `wait_ready`'s looks at the function."""
DEFAULT_BUILD_TIMEOUT = httpx.Timeout(None, connect=10.0, write=60.0, pool=60.0)
"""The Function Builder's timeout: none to read (a build takes minutes), 10 s to connect, 60 s to send a chunk."""
DEFAULT_TOKEN_TIMEOUT = 30.0
"""Seconds a token request made outside a client may take (`exchange_token`, `ClientCredentialsTokenSource`)."""
DEFAULT_TOKEN_CACHE_SIZE = 1024
"""How many tokens a `MemoryTokenCache` keeps at most."""
DEFAULT_RESUBMIT_AFTER = 600.0
"""Seconds a queued job waits for its callback before it is submitted again (`jobs(resubmit_after=)`)."""
DEFAULT_JOB_RETRY_STATUSES = (429, 502, 503, 504)
"""The statuses of a job's result that submit it again (`jobs(retry_statuses=)`)."""
DEFAULT_MAX_ATTEMPTS = 5
"""How many times in all a job whose result has a retryable status is submitted (`jobs(max_attempts=)`)."""
DEFAULT_MAX_PENDING = 1000
"""`jobs.map`'s jobs outstanding at once."""
