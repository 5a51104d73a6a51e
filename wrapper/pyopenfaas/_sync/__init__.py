# Generated from _async/__init__.py by tools/unasync.py (`make unasync`): do not edit.
"""The client, written once: `_sync/` is generated from this package by `make unasync` (tools/unasync.py)."""
