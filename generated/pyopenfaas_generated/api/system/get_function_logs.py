import datetime
from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    name: str,
    namespace: str | Unset = UNSET,
    instance: str | Unset = UNSET,
    tail: int | Unset = UNSET,
    follow: bool | Unset = UNSET,
    since: datetime.datetime | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["name"] = name

    params["namespace"] = namespace

    params["instance"] = instance

    params["tail"] = tail

    params["follow"] = follow

    json_since: str | Unset = UNSET
    if not isinstance(since, Unset):
        json_since = since.isoformat()
    params["since"] = json_since

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/system/logs",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | str | None:
    if response.status_code == 200:
        response_200 = response.text
        return response_200

    if response.status_code == 401:
        response_401 = response.text
        return response_401

    if response.status_code == 500:
        response_500 = response.text
        return response_500

    if response.status_code == 501:
        response_501 = cast(Any, None)
        return response_501

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
    *,
    client: AuthenticatedClient | Client,
    name: str,
    namespace: str | Unset = UNSET,
    instance: str | Unset = UNSET,
    tail: int | Unset = UNSET,
    follow: bool | Unset = UNSET,
    since: datetime.datetime | Unset = UNSET,
) -> Response[Any | str]:
    """Stream a function's logs as newline-delimited JSON

     One `LogEntry` JSON object per line, flushed per message. The gateway copies only the body, so
    the Content-Type seen by clients is sniffed (often `text/plain`): parse by line. With
    `follow=true` the stream stays open until the gateway's write timeout or the client leaves.
    A provider without log support gives 501; a provider-side 422 (bad `since` or `tail`) reaches
    the client as 500.

    Args:
        name (str): A DNS-1123 label, as faas-netes and faasd require.
        namespace (str | Unset): A DNS-1123 label, as faas-netes and faasd require.
        instance (str | Unset):
        tail (int | Unset):
        follow (bool | Unset):
        since (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | str]
    """

    kwargs = _get_kwargs(
        name=name,
        namespace=namespace,
        instance=instance,
        tail=tail,
        follow=follow,
        since=since,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    name: str,
    namespace: str | Unset = UNSET,
    instance: str | Unset = UNSET,
    tail: int | Unset = UNSET,
    follow: bool | Unset = UNSET,
    since: datetime.datetime | Unset = UNSET,
) -> Any | str | None:
    """Stream a function's logs as newline-delimited JSON

     One `LogEntry` JSON object per line, flushed per message. The gateway copies only the body, so
    the Content-Type seen by clients is sniffed (often `text/plain`): parse by line. With
    `follow=true` the stream stays open until the gateway's write timeout or the client leaves.
    A provider without log support gives 501; a provider-side 422 (bad `since` or `tail`) reaches
    the client as 500.

    Args:
        name (str): A DNS-1123 label, as faas-netes and faasd require.
        namespace (str | Unset): A DNS-1123 label, as faas-netes and faasd require.
        instance (str | Unset):
        tail (int | Unset):
        follow (bool | Unset):
        since (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | str
    """

    return sync_detailed(
        client=client,
        name=name,
        namespace=namespace,
        instance=instance,
        tail=tail,
        follow=follow,
        since=since,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    name: str,
    namespace: str | Unset = UNSET,
    instance: str | Unset = UNSET,
    tail: int | Unset = UNSET,
    follow: bool | Unset = UNSET,
    since: datetime.datetime | Unset = UNSET,
) -> Response[Any | str]:
    """Stream a function's logs as newline-delimited JSON

     One `LogEntry` JSON object per line, flushed per message. The gateway copies only the body, so
    the Content-Type seen by clients is sniffed (often `text/plain`): parse by line. With
    `follow=true` the stream stays open until the gateway's write timeout or the client leaves.
    A provider without log support gives 501; a provider-side 422 (bad `since` or `tail`) reaches
    the client as 500.

    Args:
        name (str): A DNS-1123 label, as faas-netes and faasd require.
        namespace (str | Unset): A DNS-1123 label, as faas-netes and faasd require.
        instance (str | Unset):
        tail (int | Unset):
        follow (bool | Unset):
        since (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | str]
    """

    kwargs = _get_kwargs(
        name=name,
        namespace=namespace,
        instance=instance,
        tail=tail,
        follow=follow,
        since=since,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    name: str,
    namespace: str | Unset = UNSET,
    instance: str | Unset = UNSET,
    tail: int | Unset = UNSET,
    follow: bool | Unset = UNSET,
    since: datetime.datetime | Unset = UNSET,
) -> Any | str | None:
    """Stream a function's logs as newline-delimited JSON

     One `LogEntry` JSON object per line, flushed per message. The gateway copies only the body, so
    the Content-Type seen by clients is sniffed (often `text/plain`): parse by line. With
    `follow=true` the stream stays open until the gateway's write timeout or the client leaves.
    A provider without log support gives 501; a provider-side 422 (bad `since` or `tail`) reaches
    the client as 500.

    Args:
        name (str): A DNS-1123 label, as faas-netes and faasd require.
        namespace (str | Unset): A DNS-1123 label, as faas-netes and faasd require.
        instance (str | Unset):
        tail (int | Unset):
        follow (bool | Unset):
        since (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | str
    """

    return (
        await asyncio_detailed(
            client=client,
            name=name,
            namespace=namespace,
            instance=instance,
            tail=tail,
            follow=follow,
            since=since,
        )
    ).parsed
