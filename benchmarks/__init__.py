"""Benchmarks: pyopenfaas against raw httpx, aiohttp and requests on one local server (`python -m benchmarks`)."""
