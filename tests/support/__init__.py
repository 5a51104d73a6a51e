"""Hardening: broken and hostile gateways, bad input, secrets hygiene, TLS and concurrency (issue 6)."""
