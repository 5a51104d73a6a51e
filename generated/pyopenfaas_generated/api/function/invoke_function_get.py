from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import File, Response


def _get_kwargs(
    function_name: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/function/{function_name}".format(
            function_name=quote(str(function_name), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> File:
    response_default = File(payload=BytesIO(response.content))

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[File]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    function_name: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[File]:
    """Invoke a function with GET

     Forwarded to the function as it is: method, headers, query string and body. Sub-paths
    (`/function/{name}/any/path`) are passed on too. The function's own status, headers and body
    come back; the gateway adds `X-Call-Id`, `X-Start-Time` and `X-Served-By`. 503 with
    `X-OpenFaaS-Internal: proxy` means no endpoint for the function; 502 means the provider is
    unreachable; with scale-from-zero an unknown function gets 404.

    Args:
        function_name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File]
    """

    kwargs = _get_kwargs(
        function_name=function_name,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    function_name: str,
    *,
    client: AuthenticatedClient | Client,
) -> File | None:
    """Invoke a function with GET

     Forwarded to the function as it is: method, headers, query string and body. Sub-paths
    (`/function/{name}/any/path`) are passed on too. The function's own status, headers and body
    come back; the gateway adds `X-Call-Id`, `X-Start-Time` and `X-Served-By`. 503 with
    `X-OpenFaaS-Internal: proxy` means no endpoint for the function; 502 means the provider is
    unreachable; with scale-from-zero an unknown function gets 404.

    Args:
        function_name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File
    """

    return sync_detailed(
        function_name=function_name,
        client=client,
    ).parsed


async def asyncio_detailed(
    function_name: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[File]:
    """Invoke a function with GET

     Forwarded to the function as it is: method, headers, query string and body. Sub-paths
    (`/function/{name}/any/path`) are passed on too. The function's own status, headers and body
    come back; the gateway adds `X-Call-Id`, `X-Start-Time` and `X-Served-By`. 503 with
    `X-OpenFaaS-Internal: proxy` means no endpoint for the function; 502 means the provider is
    unreachable; with scale-from-zero an unknown function gets 404.

    Args:
        function_name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File]
    """

    kwargs = _get_kwargs(
        function_name=function_name,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    function_name: str,
    *,
    client: AuthenticatedClient | Client,
) -> File | None:
    """Invoke a function with GET

     Forwarded to the function as it is: method, headers, query string and body. Sub-paths
    (`/function/{name}/any/path`) are passed on too. The function's own status, headers and body
    come back; the gateway adds `X-Call-Id`, `X-Start-Time` and `X-Served-By`. 503 with
    `X-OpenFaaS-Internal: proxy` means no endpoint for the function; 502 means the provider is
    unreachable; with scale-from-zero an unknown function gets 404.

    Args:
        function_name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File
    """

    return (
        await asyncio_detailed(
            function_name=function_name,
            client=client,
        )
    ).parsed
