"""Waiting by watch: follow objects from a resourceVersion until a condition holds.

Each wait first reads the current state (a list, which also gives the collection's
resourceVersion), then watches from that version, so no change between the two is
missed. The API server closes a watch after `window` seconds (its timeoutSeconds);
lightkube opens it again from the last resourceVersion seen, and a version the server
has compacted away (410 Gone) starts it again from the current state. Transient
failures of the watch request are retried like any other request.

lightkube's synchronous watch cannot be interrupted while it waits for the next event
(it re-opens the request itself when the server closes it), so a wait with a deadline
runs lightkube's AsyncClient.watch under asyncio.timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine, Mapping
from typing import Any, TypeVar

import httpx2
from lightkube import AsyncClient
from lightkube.config.kubeconfig import SingleConfig

from .errors import ClusterError
from .retry import Notify, RetriesExhaustedError, RetryPolicy, notice, retry_after, status_code
from .retry import transient as transient_reason
from .ssa import as_dict

# Seconds the server keeps one watch request open before lightkube opens the next.
WATCH_WINDOW = 300
# The timeout of every other part of a watch request (connect, write, pool).
_REQUEST_TIMEOUT = 30.0

# (event type, object) -> True once the wait is over.
OnEvent = Callable[[str, dict[str, Any]], bool]
T = TypeVar("T")


class Watch:
    """One watch: what to follow, from which version, and how to survive failures."""

    def __init__(
        self,
        config: SingleConfig,
        resource: Any,  # a lightkube resource class
        *,
        namespace: str | None = None,
        name: str | None = None,
        labels: Mapping[str, str] | None = None,
        resource_version: str | None = None,
        retry: RetryPolicy,
        notify: Notify,
        window: int = WATCH_WINDOW,
    ) -> None:
        self.config = config
        self.resource = resource
        self.namespace = namespace
        self.fields: dict[str, Any] | None = {"metadata.name": name} if name else None
        self.labels: dict[str, Any] | None = dict(labels) if labels else None
        self.resource_version = resource_version
        self.retry = retry
        self.notify = notify
        self.window = window

    async def run(self, on_event: OnEvent) -> None:
        """Feed on_event every change until it returns True."""
        timeout = httpx2.Timeout(_REQUEST_TIMEOUT)
        async with AsyncClient(config=self.config, timeout=timeout) as client:
            failures = 0
            while True:
                events: Any = client.watch(
                    self.resource,
                    namespace=self.namespace,
                    fields=self.fields,
                    labels=self.labels,
                    resource_version=self.resource_version,
                    server_timeout=self.window,
                )
                try:
                    async with contextlib.aclosing(events):
                        async for kind, obj in events:
                            failures = 0
                            data = as_dict(obj)
                            version = (data.get("metadata") or {}).get("resourceVersion")
                            self.resource_version = version or self.resource_version
                            if on_event(kind, data):
                                return
                except httpx2.HTTPError as exc:
                    if status_code(exc) == 410:
                        self.resource_version = None  # compacted: start from the current state
                        continue
                    reason = transient_reason(exc)
                    if not reason:
                        raise ClusterError(f"cannot watch {self._what()}: {exc}") from exc
                    failures += 1
                    if failures >= self.retry.attempts:
                        raise RetriesExhaustedError(exc, reason, failures) from exc
                    delay = self.retry.delay(failures, retry_after(exc))
                    self.notify(notice(exc, reason, delay, failures + 1, self.retry.attempts))
                    await asyncio.sleep(delay)

    def _what(self) -> str:
        kind = getattr(self.resource, "__name__", str(self.resource))
        where = f" in namespace {self.namespace}" if self.namespace else ""
        return f"{kind}{where}"

    def until(self, on_event: OnEvent, timeout: float) -> bool:
        """Run the watch until on_event returns True (True) or timeout passes (False)."""
        return run_with_timeout(self.run(on_event), timeout)


def run_with_timeout(work: Coroutine[Any, Any, None], timeout: float) -> bool:
    """Run work to its end (True) or until timeout seconds pass (False)."""

    async def bounded() -> bool:
        scope = asyncio.timeout(timeout)
        try:
            async with scope:
                await work
        except TimeoutError:
            if scope.expired():
                return False
            raise
        return True

    return asyncio.run(bounded())
