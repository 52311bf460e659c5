"""Bounded retries of transient API errors, with exponential backoff and jitter.

Transient: HTTP 429 (the server's Retry-After is honoured), a 5xx that is not a
verdict on the request itself, and a connection refused or reset during a request.
Everything apply mode sends is idempotent (server-side apply, get, list, delete), so
a request whose answer was lost can be sent again. After `attempts` tries the last
failure becomes one ClusterError (exit 5) that says how often it was tried.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import Any, TypeVar

import httpx2
from lightkube import ApiError, Client
from lightkube.core.generic_client import ListIterable

from .errors import ClusterError, is_invalid_patch

T = TypeVar("T")
Notify = Callable[[str], None]

# 501 Not Implemented and 505 HTTP Version Not Supported never get better.
_PERMANENT_5XX = frozenset({501, 505})


def warn(line: str) -> None:
    """The default for retry notices: standard error, so JSON on stdout stays clean."""
    print(f"warning: {line}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class RetryPolicy:
    """At most `attempts` tries of one request. Without Retry-After, the n-th retry
    waits a random time between half and all of min(max_delay, base_delay * 2**(n-1))."""

    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0

    def delay(self, failures: int, retry_after: float | None) -> float:
        """How long to wait after the `failures`-th failed try."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_retry_after)
        ceiling = min(self.max_delay, self.base_delay * 2.0 ** (failures - 1))
        return ceiling / 2 + random.uniform(0.0, ceiling / 2)


def status_code(exc: BaseException) -> int | None:
    if isinstance(exc, ApiError):
        return int(exc.status.code) if exc.status and exc.status.code else None
    if isinstance(exc, httpx2.HTTPStatusError):
        return exc.response.status_code
    return None


def _phrase(code: int) -> str:
    try:
        return f"HTTP {code} {HTTPStatus(code).phrase}"
    except ValueError:
        return f"HTTP {code}"


def transient(exc: BaseException) -> str:
    """Why exc is worth another try, or '' when it is not."""
    code = status_code(exc)
    if code is not None:
        if code == 429:
            return _phrase(code)
        if code >= 500 and code not in _PERMANENT_5XX:
            message = exc.status.message if isinstance(exc, ApiError) else ""
            # A 500 that judges the object (an apply patch the schema cannot type) is
            # a verdict, not an outage.
            return "" if is_invalid_patch(message or "") else _phrase(code)
        return ""
    if isinstance(exc, httpx2.NetworkError | httpx2.RemoteProtocolError):
        return str(exc) or type(exc).__name__
    return ""


def retry_after(exc: BaseException) -> float | None:
    """The Retry-After header of a failed answer, in seconds (None when absent)."""
    response = getattr(exc, "response", None) if isinstance(exc, httpx2.HTTPStatusError) else None
    value = response.headers.get("Retry-After") if response is not None else None
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def describe(exc: BaseException) -> str:
    """The request exc failed on, as METHOD /path, or '' when it is not known."""
    try:
        request = exc.request  # type: ignore[attr-defined]
    except (AttributeError, RuntimeError):
        return ""
    if request is None:
        return ""
    return f"{request.method} {request.url.path}"


class RetriesExhaustedError(ClusterError):
    """A transient failure outlasted every attempt."""

    def __init__(self, exc: BaseException, reason: str, attempts: int) -> None:
        what = describe(exc)
        code = status_code(exc)
        if code == 429:
            prefix = "the API server kept throttling the request"
        elif code is not None:
            prefix = "the API server kept failing"
        else:
            prefix = "cannot reach the API server"
        where = f"{what}: " if what else ""
        self.attempts = attempts
        tries = f"{attempts} attempt" + ("s" if attempts != 1 else "")
        super().__init__(f"{prefix}: {where}{reason}; gave up after {tries}")


def notice(exc: BaseException, reason: str, delay: float, attempt: int, attempts: int) -> str:
    what = describe(exc)
    where = f"{what}: " if what else ""
    return f"{where}{reason}; retrying in {delay:.1f}s (attempt {attempt} of {attempts})"


def call(
    fn: Callable[[], T],
    policy: RetryPolicy,
    *,
    notify: Notify = warn,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """fn(), tried again after each transient failure, at most policy.attempts times."""
    failures = 0
    while True:
        try:
            return fn()
        except httpx2.HTTPError as exc:
            reason = transient(exc)
            if not reason:
                raise
            failures += 1
            if failures >= policy.attempts:
                raise RetriesExhaustedError(exc, reason, failures) from exc
            delay = policy.delay(failures, retry_after(exc))
            notify(notice(exc, reason, delay, failures + 1, policy.attempts))
            sleep(delay)


class RetryingClient(Client):
    """A lightkube Client whose requests are retried on transient failures.

    Only the calls apply mode makes are wrapped; a list is read whole inside the
    retry (a failure half-way through a paged list starts it again)."""

    def __init__(
        self, *args: Any, retry: RetryPolicy | None = None, notify: Notify = warn, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.retry = retry or RetryPolicy()
        self.notify = notify

    def _call(self, fn: Callable[[], T]) -> T:
        return call(fn, self.retry, notify=self.notify)

    def get(self, *args: Any, **kwargs: Any) -> Any:
        return self._call(lambda: super(RetryingClient, self).get(*args, **kwargs))

    def patch(self, *args: Any, **kwargs: Any) -> Any:
        return self._call(lambda: super(RetryingClient, self).patch(*args, **kwargs))

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        return self._call(lambda: super(RetryingClient, self).delete(*args, **kwargs))

    def list(self, *args: Any, **kwargs: Any) -> Any:
        def whole() -> tuple[str, list[Any]]:
            listed = super(RetryingClient, self).list(*args, **kwargs)
            items = list(listed)
            return listed.resourceVersion, items

        version, items = self._call(whole)
        return ListIterable(iter([(version, items)]))


def policy_of(client: Client) -> tuple[RetryPolicy, Notify]:
    """The retry policy a client was made with (the default for a plain Client)."""
    if isinstance(client, RetryingClient):
        return client.retry, client.notify
    return RetryPolicy(), warn
