from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.function_status import FunctionStatus
from ...types import UNSET, Response, Unset


def _get_kwargs(
    function_name: str,
    *,
    namespace: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["namespace"] = namespace

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/system/function/{function_name}".format(
            function_name=quote(str(function_name), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | FunctionStatus | str | None:
    if response.status_code == 200:
        response_200 = FunctionStatus.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = response.text
        return response_400

    if response.status_code == 401:
        response_401 = response.text
        return response_401

    if response.status_code == 404:
        response_404 = cast(Any, None)
        return response_404

    if response.status_code == 500:
        response_500 = response.text
        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | FunctionStatus | str]:
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
    namespace: str | Unset = UNSET,
) -> Response[Any | FunctionStatus | str]:
    """Describe one function

     The name is the plain function name; the namespace goes in the query string.

    Args:
        function_name (str): A DNS-1123 label, as faas-netes and faasd require.
        namespace (str | Unset): A DNS-1123 label, as faas-netes and faasd require.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | FunctionStatus | str]
    """

    kwargs = _get_kwargs(
        function_name=function_name,
        namespace=namespace,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    function_name: str,
    *,
    client: AuthenticatedClient | Client,
    namespace: str | Unset = UNSET,
) -> Any | FunctionStatus | str | None:
    """Describe one function

     The name is the plain function name; the namespace goes in the query string.

    Args:
        function_name (str): A DNS-1123 label, as faas-netes and faasd require.
        namespace (str | Unset): A DNS-1123 label, as faas-netes and faasd require.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | FunctionStatus | str
    """

    return sync_detailed(
        function_name=function_name,
        client=client,
        namespace=namespace,
    ).parsed


async def asyncio_detailed(
    function_name: str,
    *,
    client: AuthenticatedClient | Client,
    namespace: str | Unset = UNSET,
) -> Response[Any | FunctionStatus | str]:
    """Describe one function

     The name is the plain function name; the namespace goes in the query string.

    Args:
        function_name (str): A DNS-1123 label, as faas-netes and faasd require.
        namespace (str | Unset): A DNS-1123 label, as faas-netes and faasd require.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | FunctionStatus | str]
    """

    kwargs = _get_kwargs(
        function_name=function_name,
        namespace=namespace,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    function_name: str,
    *,
    client: AuthenticatedClient | Client,
    namespace: str | Unset = UNSET,
) -> Any | FunctionStatus | str | None:
    """Describe one function

     The name is the plain function name; the namespace goes in the query string.

    Args:
        function_name (str): A DNS-1123 label, as faas-netes and faasd require.
        namespace (str | Unset): A DNS-1123 label, as faas-netes and faasd require.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | FunctionStatus | str
    """

    return (
        await asyncio_detailed(
            function_name=function_name,
            client=client,
            namespace=namespace,
        )
    ).parsed
