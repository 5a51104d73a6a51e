"""A contract check for live gateways: does the gateway answer as openapi.yaml describes?

``python -m pyopenfaas.contract URL`` (or :func:`check` from Python) runs every read operation of openapi.yaml
against a gateway and, only with ``--write`` and a ``--namespace``, a scratch secret, function and async call that
it removes again. Each request and answer is validated against the openapi.yaml shipped in the package; the
report says, per operation, whether it conforms, departs (what, and where in openapi.yaml), or is not supported.
Validation needs openapi-core: ``pip install 'pyopenfaas[contract]'``.
"""

from .._public import publish
from ._check import DEFAULT_IMAGE, check
from ._report import Call, Departure, OperationResult, Report

__all__ = ["DEFAULT_IMAGE", "Call", "Departure", "OperationResult", "Report", "check"]


publish(__name__, globals())
