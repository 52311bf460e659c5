"""--wait: follow a CloudNativePG Cluster until its Ready condition is True."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from lightkube import Client

from .errors import WaitTimeoutError
from .kube import ResourceType
from .refs import ObjectRef
from .ssa import get_current


@dataclass(frozen=True)
class ClusterStatus:
    """The parts of a Cluster's status that tell how far it got."""

    phase: str
    ready_instances: int
    instances: int
    ready: bool
    reason: str
    message: str

    @classmethod
    def of(cls, obj: Mapping[str, Any] | None, wanted: int) -> ClusterStatus:
        status = (obj or {}).get("status") or {}
        ready: Mapping[str, Any] = next(
            (c for c in status.get("conditions") or [] if c.get("type") == "Ready"), {}
        )
        return cls(
            phase=str(status.get("phase") or "(no status yet)"),
            ready_instances=int(status.get("readyInstances") or 0),
            instances=int(status.get("instances") or wanted),
            ready=ready.get("status") == "True",
            reason=str(ready.get("reason") or ""),
            message=str(ready.get("message") or ""),
        )

    def summary(self) -> str:
        text = f"phase {self.phase!r}, ready instances {self.ready_instances}/{self.instances}"
        if self.ready:
            return text + ", Ready"
        if self.reason or self.message:
            text += f", not Ready ({': '.join(p for p in (self.reason, self.message) if p)})"
        return text


def wait_for_cluster(
    client: Client,
    resource: ResourceType,
    ref: ObjectRef,
    *,
    instances: int,
    timeout: float,
    progress: Callable[[str], None],
    interval: float = 2.0,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> ClusterStatus:
    """Poll the Cluster until Ready; print each new status; give up after timeout."""
    deadline = clock() + timeout
    last: ClusterStatus | None = None
    while True:
        status = ClusterStatus.of(get_current(client, resource, ref), instances)
        if status != last:
            progress(f"waiting for {ref}: {status.summary()}")
            last = status
        if status.ready:
            return status
        remaining = deadline - clock()
        if remaining <= 0:
            raise WaitTimeoutError(
                f"{ref} was not Ready after {timeout:g}s; last status: {status.summary()}"
            )
        sleep(min(interval, remaining))
