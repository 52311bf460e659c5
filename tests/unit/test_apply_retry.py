"""The retry policy's arithmetic and its reading of an answer: pure functions (the
retries themselves run against the real API server in tests/integration/apply)."""

from __future__ import annotations

import email.utils
import time

import httpx2
import pytest

from wildside_cnpg.apply.retry import RetryPolicy, retry_after, transient


def answer(code: int, **headers: str) -> httpx2.HTTPStatusError:
    request = httpx2.Request("GET", "https://127.0.0.1/api/v1/namespaces")
    response = httpx2.Response(code, headers=headers, request=request)
    return httpx2.HTTPStatusError("failed", request=request, response=response)


@pytest.mark.parametrize("failures", range(1, 9))
def test_backoff_is_jittered_between_half_and_all_of_the_capped_exponential(
    failures: int,
) -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=8.0)
    ceiling = min(8.0, 0.5 * 2 ** (failures - 1))

    delays = {policy.delay(failures, None) for _ in range(200)}

    assert all(ceiling / 2 <= d <= ceiling for d in delays)
    assert len(delays) > 1  # jittered


def test_retry_after_wins_over_backoff_and_is_capped() -> None:
    policy = RetryPolicy(max_retry_after=60.0)

    assert policy.delay(1, 3.0) == 3.0
    assert policy.delay(4, 0.0) == 0.0
    assert policy.delay(1, 600.0) == 60.0


def test_retry_after_in_seconds_or_as_a_date() -> None:
    assert retry_after(answer(429, **{"Retry-After": "7"})) == 7.0
    later = email.utils.formatdate(time.time() + 120, usegmt=True)
    seconds = retry_after(answer(503, **{"Retry-After": later}))
    assert seconds is not None
    assert 100 < seconds <= 120
    assert retry_after(answer(429)) is None
    assert retry_after(answer(429, **{"Retry-After": "soon"})) is None


@pytest.mark.parametrize(
    ("code", "why"),
    [
        (429, "HTTP 429 Too Many Requests"),
        (500, "HTTP 500 Internal Server Error"),
        (502, "HTTP 502 Bad Gateway"),
        (503, "HTTP 503 Service Unavailable"),
        (504, "HTTP 504 Gateway Timeout"),
        (400, ""),
        (404, ""),
        (409, ""),
        (422, ""),
        (501, ""),
        (505, ""),
    ],
)
def test_which_answers_are_transient(code: int, why: str) -> None:
    assert transient(answer(code)) == why


def test_connection_failures_are_transient_and_others_are_not() -> None:
    request = httpx2.Request("GET", "https://127.0.0.1/api")
    refused = httpx2.ConnectError("[Errno 111] Connection refused", request=request)
    reset = httpx2.ReadError("[Errno 104] Connection reset by peer", request=request)
    closed = httpx2.RemoteProtocolError("Server disconnected", request=request)
    bad_url = httpx2.UnsupportedProtocol("Request URL has an unsupported protocol")

    assert transient(refused) == "[Errno 111] Connection refused"
    assert transient(reset) == "[Errno 104] Connection reset by peer"
    assert transient(closed) == "Server disconnected"
    assert transient(bad_url) == ""
