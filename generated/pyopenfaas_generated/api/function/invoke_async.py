from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    function_name: str,
    *,
    body: File | Unset = UNSET,
    x_callback_url: str | Unset = UNSET,
    x_call_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_callback_url, Unset):
        headers["X-Callback-Url"] = x_callback_url

    if not isinstance(x_call_id, Unset):
        headers["X-Call-Id"] = x_call_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/async-function/{function_name}".format(
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
) -> Any | str | None:
    if response.status_code == 202:
        response_202 = cast(Any, None)
        return response_202

    if response.status_code == 400:
        response_400 = response.text
        return response_400

    if response.status_code == 404:
        response_404 = response.text
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
) -> Response[Any | str]:
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
    x_callback_url: str | Unset = UNSET,
    x_call_id: str | Unset = UNSET,
) -> Response[Any | str]:
    """Queue an invocation

     The request (method, headers, query string, body) is queued on NATS and answered with 202 and an
    empty body. Without NATS configured every /async-function path is 404. The queue worker POSTs
    the function's response to `X-Callback-Url` with `X-Function-Status`, `X-Duration-Seconds`,
    `X-Function-Name` and `X-Call-Id`. Sub-paths (`/async-function/{name}/...`) are passed to the
    function as they are.

    Args:
        function_name (str):
        x_callback_url (str | Unset):
        x_call_id (str | Unset):
        body (File | Unset):
        body (File | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | str]
    """

    kwargs = _get_kwargs(
        function_name=function_name,
        body=body,
        x_callback_url=x_callback_url,
        x_call_id=x_call_id,
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
    x_callback_url: str | Unset = UNSET,
    x_call_id: str | Unset = UNSET,
) -> Any | str | None:
    """Queue an invocation

     The request (method, headers, query string, body) is queued on NATS and answered with 202 and an
    empty body. Without NATS configured every /async-function path is 404. The queue worker POSTs
    the function's response to `X-Callback-Url` with `X-Function-Status`, `X-Duration-Seconds`,
    `X-Function-Name` and `X-Call-Id`. Sub-paths (`/async-function/{name}/...`) are passed to the
    function as they are.

    Args:
        function_name (str):
        x_callback_url (str | Unset):
        x_call_id (str | Unset):
        body (File | Unset):
        body (File | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | str
    """

    return sync_detailed(
        function_name=function_name,
        client=client,
        body=body,
        x_callback_url=x_callback_url,
        x_call_id=x_call_id,
    ).parsed


async def asyncio_detailed(
    function_name: str,
    *,
    client: AuthenticatedClient | Client,
    body: File | Unset = UNSET,
    x_callback_url: str | Unset = UNSET,
    x_call_id: str | Unset = UNSET,
) -> Response[Any | str]:
    """Queue an invocation

     The request (method, headers, query string, body) is queued on NATS and answered with 202 and an
    empty body. Without NATS configured every /async-function path is 404. The queue worker POSTs
    the function's response to `X-Callback-Url` with `X-Function-Status`, `X-Duration-Seconds`,
    `X-Function-Name` and `X-Call-Id`. Sub-paths (`/async-function/{name}/...`) are passed to the
    function as they are.

    Args:
        function_name (str):
        x_callback_url (str | Unset):
        x_call_id (str | Unset):
        body (File | Unset):
        body (File | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | str]
    """

    kwargs = _get_kwargs(
        function_name=function_name,
        body=body,
        x_callback_url=x_callback_url,
        x_call_id=x_call_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    function_name: str,
    *,
    client: AuthenticatedClient | Client,
    body: File | Unset = UNSET,
    x_callback_url: str | Unset = UNSET,
    x_call_id: str | Unset = UNSET,
) -> Any | str | None:
    """Queue an invocation

     The request (method, headers, query string, body) is queued on NATS and answered with 202 and an
    empty body. Without NATS configured every /async-function path is 404. The queue worker POSTs
    the function's response to `X-Callback-Url` with `X-Function-Status`, `X-Duration-Seconds`,
    `X-Function-Name` and `X-Call-Id`. Sub-paths (`/async-function/{name}/...`) are passed to the
    function as they are.

    Args:
        function_name (str):
        x_callback_url (str | Unset):
        x_call_id (str | Unset):
        body (File | Unset):
        body (File | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | str
    """

    return (
        await asyncio_detailed(
            function_name=function_name,
            client=client,
            body=body,
            x_callback_url=x_callback_url,
            x_call_id=x_call_id,
        )
    ).parsed
