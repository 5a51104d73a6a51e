"""The contract fixtures (see server.py), for the tests in this folder."""

from tests.contract.server import contract, contract_server, gateway

__all__ = ["contract", "contract_server", "gateway"]
