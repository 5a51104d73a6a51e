"""QueueRetry: OpenFaaS Pro's queue-worker annotations (`com.openfaas.retry.*`, `com.openfaas.queue`), checked
before sending, as docs.openfaas.com writes them (openfaas-pro/retries.md, reference/async.md)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyopenfaas import OpenFaaS, QueueRetry
from pyopenfaas.testing import FakeGateway


def test_the_documented_example() -> None:
    retry = QueueRetry(attempts=30, codes=[429], min_wait="5s", max_wait="1m")
    assert retry.annotations == {
        "com.openfaas.retry.attempts": "30",
        "com.openfaas.retry.codes": "429",
        "com.openfaas.retry.min_wait": "5s",
        "com.openfaas.retry.max_wait": "1m",
    }


def test_only_what_is_set_is_sent() -> None:
    assert QueueRetry().annotations == {}
    assert QueueRetry(queue="slow-queue").annotations == {"com.openfaas.queue": "slow-queue"}
    assert QueueRetry(attempts=0, codes=(429, 502, 429, 500)).annotations == {
        "com.openfaas.retry.attempts": "0",
        "com.openfaas.retry.codes": "429,502,500",
    }


@pytest.mark.parametrize(
    ("given_value", "sent"),
    [
        (timedelta(seconds=10), "10s"),
        (timedelta(minutes=2), "120s"),
        (timedelta(milliseconds=1500), "1500ms"),
        (timedelta(microseconds=7), "7us"),
        (0, "0s"),
        (2.5, "2500ms"),
        ("1m30s", "1m30s"),
        ("0", "0"),
        ("1.5h", "1.5h"),
        (".5s", ".5s"),
        ("300µs", "300µs"),
    ],
)
def test_durations_are_sent_in_go_format(given_value: Any, sent: str) -> None:
    assert QueueRetry(min_wait=given_value).annotations == {"com.openfaas.retry.min_wait": sent}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"attempts": -1}, "attempts must be an int >= 0"),
        ({"attempts": True}, "attempts must be an int >= 0"),
        ({"attempts": "3"}, "attempts must be an int >= 0"),
        ({"codes": []}, "at least one"),
        ({"codes": "429"}, "a list of HTTP status codes"),
        ({"codes": [99]}, r"ints 100-599"),
        ({"codes": [600]}, r"ints 100-599"),
        ({"codes": [429.0]}, r"ints 100-599"),
        ({"min_wait": "10"}, "Go duration"),
        ({"min_wait": "00"}, "Go duration"),
        ({"min_wait": "10 s"}, "Go duration"),
        ({"min_wait": "1d"}, "Go duration"),
        ({"min_wait": "-1s"}, "Go duration"),
        ({"max_wait": ""}, "Go duration"),
        ({"max_wait": -1}, "cannot be negative"),
        ({"max_wait": timedelta(seconds=-1)}, "cannot be negative"),
        ({"max_wait": float("nan")}, "Go duration str, a timedelta or seconds"),
        ({"max_wait": [1]}, "Go duration str, a timedelta or seconds"),
        ({"min_wait": "2m", "max_wait": "90s"}, r"min_wait \(2m\) is longer than max_wait \(90s\)"),
        ({"queue": ""}, "queue must be a queue name"),
        ({"queue": "a.b"}, "queue must be a queue name"),
        ({"queue": "slow queue"}, "queue must be a queue name"),
        ({"queue": "q*"}, "queue must be a queue name"),
    ],
)
def test_invalid_settings_are_refused_before_sending(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        QueueRetry(**kwargs)


def test_read_back_from_a_functions_annotations() -> None:
    retry = QueueRetry(attempts=3, codes=[429, 503], min_wait=timedelta(seconds=1), max_wait="2m", queue="q")
    assert QueueRetry.from_annotations({**retry.annotations, "other": "x"}) == retry
    assert QueueRetry.from_annotations(None) == QueueRetry()
    with pytest.raises(ValueError, match="the function's queue annotations are invalid"):
        QueueRetry.from_annotations({"com.openfaas.retry.codes": "429,abc"})


def test_deployed_with_a_function(fake_gateway: FakeGateway, openfaas_client: OpenFaaS) -> None:
    retry = QueueRetry(attempts=10, codes=[429, 502], max_wait=timedelta(minutes=2), queue="slow-queue")
    openfaas_client.functions.deploy(
        "scraper", "ghcr.io/example/scraper:1", annotations={"team": "a", **retry.annotations}
    )
    annotations = openfaas_client.functions.get("scraper").annotations
    assert annotations == {"team": "a", **retry.annotations}
    assert QueueRetry.from_annotations(annotations) == retry


@settings(max_examples=50)
@given(
    attempts=st.none() | st.integers(0, 1000),
    codes=st.none() | st.lists(st.integers(100, 599), min_size=1, max_size=5),
    wait=st.none() | st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=5)),
)
def test_annotations_round_trip(attempts: int | None, codes: list[int] | None, wait: timedelta | None) -> None:
    retry = QueueRetry(attempts=attempts, codes=codes, min_wait=wait, max_wait=wait)
    assert QueueRetry.from_annotations(retry.annotations) == retry
