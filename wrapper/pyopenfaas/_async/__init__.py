"""The client, written once: `_sync/` is generated from this package by `make unasync` (tools/unasync.py)."""
