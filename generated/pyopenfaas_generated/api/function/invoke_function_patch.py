from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    function_name: str,
    *,
    body: File | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/function/{function_name}".format(
            function_name=quote(str(function_name), safe=""),
        ),
    }

    if isinstance(body, File):
        if not isinstance(body, Unset):
            _kwargs["content"] = body.payload
        headers["Content-Type"] = "application/octet-stream"
    if isinstance(body, File):
        if not isinstance(body, Unset):
            _kwargs["content"] = body.payload
        headers["Content-Type"] = "*/*"

    _kwargs["headers"] = headers
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
    body: File | Unset = UNSET,
) -> Response[File]:
    """Invoke a function with PATCH

     Forwarded to the function as it is: method, headers, query string and body. Sub-paths
    (`/function/{name}/any/path`) are passed on too. The function's own status, headers and body
    come back; the gateway adds `X-Call-Id`, `X-Start-Time` and `X-Served-By`. 503 with
    `X-OpenFaaS-Internal: proxy` means no endpoint for the function; 502 means the provider is
    unreachable; with scale-from-zero an unknown function gets 404.

    Args:
        function_name (str):
        body (File | Unset):
        body (File | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File]
    """

    kwargs = _get_kwargs(
        function_name=function_name,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    function_name: str,
    *,
    client: AuthenticatedClient | Client,
    body: File | Unset = UNSET,
) -> File | None:
    """Invoke a function with PATCH

     Forwarded to the function as it is: method, headers, query string and body. Sub-paths
    (`/function/{name}/any/path`) are passed on too. The function's own status, headers and body
    come back; the gateway adds `X-Call-Id`, `X-Start-Time` and `X-Served-By`. 503 with
    `X-OpenFaaS-Internal: proxy` means no endpoint for the function; 502 means the provider is
    unreachable; with scale-from-zero an unknown function gets 404.

    Args:
        function_name (str):
        body (File | Unset):
        body (File | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File
    """

    return sync_detailed(
        function_name=function_name,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    function_name: str,
    *,
    client: AuthenticatedClient | Client,
    body: File | Unset = UNSET,
) -> Response[File]:
    """Invoke a function with PATCH

     Forwarded to the function as it is: method, headers, query string and body. Sub-paths
    (`/function/{name}/any/path`) are passed on too. The function's own status, headers and body
    come back; the gateway adds `X-Call-Id`, `X-Start-Time` and `X-Served-By`. 503 with
    `X-OpenFaaS-Internal: proxy` means no endpoint for the function; 502 means the provider is
    unreachable; with scale-from-zero an unknown function gets 404.

    Args:
        function_name (str):
        body (File | Unset):
        body (File | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File]
    """

    kwargs = _get_kwargs(
        function_name=function_name,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    function_name: str,
    *,
    client: AuthenticatedClient | Client,
    body: File | Unset = UNSET,
) -> File | None:
    """Invoke a function with PATCH

     Forwarded to the function as it is: method, headers, query string and body. Sub-paths
    (`/function/{name}/any/path`) are passed on too. The function's own status, headers and body
    come back; the gateway adds `X-Call-Id`, `X-Start-Time` and `X-Served-By`. 503 with
    `X-OpenFaaS-Internal: proxy` means no endpoint for the function; 502 means the provider is
    unreachable; with scale-from-zero an unknown function gets 404.

    Args:
        function_name (str):
        body (File | Unset):
        body (File | Unset):

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
            body=body,
        )
    ).parsed
