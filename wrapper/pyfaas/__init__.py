"""pyfaas: the Python SDK for the OpenFaaS gateway API."""
