"""--wait: follow a CloudNativePG Cluster until its Ready condition is True.

The Cluster is read once, then watched from that resourceVersion (see watch.py):
each status the operator writes arrives as an event, and nothing is polled."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from lightkube import ApiError, Client

from .errors import ClusterError, WaitTimeoutError
from .kube import ResourceType, is_namespaced
from .refs import ObjectRef
from .retry import policy_of
from .ssa import as_dict
from .watch import WATCH_WINDOW, Watch


@dataclass(frozen=True)
class ClusterStatus:
    """The parts of a Cluster's status that tell how far it got."""

    phase: str
    ready_instances: int
    instances: int
    ready: bool
    reason: str
    message: str
    current_primary: str = ""

    @classmethod
    def of(cls, obj: Mapping[str, Any] | None, wanted: int) -> ClusterStatus:
        """obj's status; `instances` is what the Cluster asks for (its spec), falling
        back to `wanted`."""
        status = (obj or {}).get("status") or {}
        spec = (obj or {}).get("spec") or {}
        ready: Mapping[str, Any] = next(
            (c for c in status.get("conditions") or [] if c.get("type") == "Ready"), {}
        )
        return cls(
            phase=str(status.get("phase") or "(no status yet)"),
            ready_instances=int(status.get("readyInstances") or 0),
            instances=int(spec.get("instances") or wanted or status.get("instances") or 0),
            ready=ready.get("status") == "True",
            reason=str(ready.get("reason") or ""),
            message=str(ready.get("message") or ""),
            current_primary=str(status.get("currentPrimary") or ""),
        )

    def summary(self) -> str:
        text = f"phase {self.phase!r}, ready instances {self.ready_instances}/{self.instances}"
        if self.current_primary:
            text += f", primary {self.current_primary}"
        if self.ready:
            return text + ", Ready"
        if self.reason or self.message:
            text += f", not Ready ({': '.join(p for p in (self.reason, self.message) if p)})"
        return text

    def as_json(self) -> dict[str, Any]:
        return {
            "phase": self.phase,
            "readyInstances": self.ready_instances,
            "instances": self.instances,
            "ready": self.ready,
            "reason": self.reason,
            "message": self.message,
            "currentPrimary": self.current_primary or None,
        }


def read_cluster(
    client: Client, resource: ResourceType, ref: ObjectRef
) -> tuple[dict[str, Any] | None, str]:
    """The Cluster (or None) and the resourceVersion to watch it from."""
    namespace = (ref.namespace or None) if is_namespaced(resource) else None
    try:
        listed = client.list(resource, namespace=namespace, fields={"metadata.name": ref.name})
        items = [as_dict(item) for item in listed]
    except ApiError as exc:
        raise ClusterError(f"{ref}: cannot read it: {exc.status.message}") from exc
    return (items[0] if items else None), listed.resourceVersion


def wait_for_cluster(
    client: Client,
    resource: ResourceType,
    ref: ObjectRef,
    *,
    instances: int,
    timeout: float,
    progress: Callable[[str], None],
    window: int = WATCH_WINDOW,
) -> ClusterStatus:
    """Watch the Cluster until Ready; print each new status; give up after timeout."""
    deadline = time.monotonic() + timeout
    live, version = read_cluster(client, resource, ref)
    last = ClusterStatus.of(live, instances)
    progress(f"waiting for {ref}: {last.summary()}")
    if last.ready:
        return last

    def on_event(event: str, obj: dict[str, Any]) -> bool:
        nonlocal last
        if event == "DELETED":
            raise ClusterError(f"{ref} was deleted while waiting for it to become Ready")
        status = ClusterStatus.of(obj, instances)
        if status != last:
            progress(f"waiting for {ref}: {status.summary()}")
            last = status
        return status.ready

    retry, notify = policy_of(client)
    watch = Watch(
        client.config,
        resource,
        namespace=ref.namespace or None,
        name=ref.name,
        resource_version=version,
        retry=retry,
        notify=notify,
        window=window,
    )
    if watch.until(on_event, max(deadline - time.monotonic(), 0.0)):
        return last
    raise WaitTimeoutError(f"{ref} was not Ready after {timeout:g}s; last status: {last.summary()}")
