"""`status`: what earlier applies recorded, whether each object is still there, the
operator's Helm releases, and how the Cluster is doing. Reads only."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lightkube import Client

from .helm import HelmRelease
from .helm_records import Revision, read_release, record_type
from .inventory import Inventory
from .kube import Resources, connect
from .order import sort_for_apply
from .refs import ObjectRef
from .retry import Notify, RetryPolicy, warn
from .runner import DEFAULT_FIELD_MANAGER, Plan, check_retry
from .ssa import get_current
from .wait import ClusterStatus

_NO_CRD = "its CustomResourceDefinition is not installed"


@dataclass(frozen=True)
class ClusterOptions:
    """Where the cluster is and how hard to try reaching it."""

    kubeconfig: Path | None = None
    context: str | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    crd_timeout: float = 120.0

    def connect(self, notify: Notify) -> Client:
        check_retry(self.retry)
        return connect(
            self.kubeconfig, self.context, DEFAULT_FIELD_MANAGER, retry=self.retry, notify=notify
        )


@dataclass(frozen=True)
class ObjectState:
    ref: ObjectRef
    present: bool
    owned: bool  # still carries this inventory's label
    note: str = ""

    def line(self) -> str:
        note = self.note
        if self.present and not self.owned:
            note = "no longer labelled as this inventory's: apply and uninstall leave it alone"
        text = f"  {'present' if self.present else 'missing':7}  {self.ref}"
        return f"{text} ({note})" if note else text

    def as_json(self) -> dict[str, Any]:
        return {**self.ref.to_record(), "present": self.present, "owned": self.owned}


@dataclass(frozen=True)
class ReleaseState:
    release: HelmRelease
    revision: Revision | None
    known: bool = True
    note: str = ""

    def line(self) -> str:
        where = f"Helm release {self.release.where}"
        if not self.known:
            return f"{where}: unknown ({self.note})"
        if self.revision is None:
            return f"{where}: not installed"
        return f"{where}: revision {self.revision.number}, {self.revision.status}"

    def as_json(self) -> dict[str, Any]:
        return {
            "namespace": self.release.namespace,
            "name": self.release.release,
            "installed": (self.revision is not None) if self.known else None,
            "revision": self.revision.number if self.revision else None,
            "status": self.revision.status if self.revision else None,
        }


@dataclass
class StatusReport:
    inventory: Inventory
    recorded: bool = False  # the inventory ConfigMap exists
    objects: list[ObjectState] = field(default_factory=list)
    releases: list[ReleaseState] = field(default_factory=list)
    cluster_ref: ObjectRef | None = None
    cluster: ClusterStatus | None = None  # None: the Cluster does not exist
    cluster_note: str = ""

    def text(self) -> str:
        where = f"inventory {self.inventory.ref}"
        if not self.recorded:
            lines = [f"{where}: not found (nothing applied yet)"]
        else:
            lines = [f"{where}: {len(self.objects)} object(s)"]
            lines += [state.line() for state in self.objects]
        lines += [state.line() for state in self.releases]
        if self.cluster_ref is not None:
            if self.cluster is None:
                note = f" ({self.cluster_note})" if self.cluster_note else ""
                lines.append(f"{self.cluster_ref}: not found{note}")
            else:
                lines.append(f"{self.cluster_ref}: {self.cluster.summary()}")
        return "\n".join(lines) + "\n"

    def as_json(self) -> dict[str, Any]:
        cluster: dict[str, Any] | None = None
        if self.cluster_ref is not None:
            cluster = {**self.cluster_ref.to_record(), "found": self.cluster is not None}
            if self.cluster is not None:
                cluster.update(self.cluster.as_json())
        return {
            "inventory": {
                **self.inventory.ref.to_record(),
                "found": self.recorded,
                "objects": [state.as_json() for state in self.objects],
            },
            "releases": [state.as_json() for state in self.releases],
            "cluster": cluster,
        }


def lookup(
    client: Client, resources: Resources, ref: ObjectRef
) -> tuple[Any, dict[str, Any] | None]:
    """ref's resource type (None: its CRD is not installed) and the live object."""
    resource = resources.for_kind(ref.api_version, ref.kind, wait=False)
    return resource, (None if resource is None else get_current(client, resource, ref))


def release_state(client: Client, release: HelmRelease) -> ReleaseState:
    if record_type() is None:
        return ReleaseState(
            release, None, known=False, note="HELM_DRIVER keeps releases outside the API server"
        )
    revision, _ = read_release(client, release.namespace, release.release)
    return ReleaseState(release, revision)


def read_status(client: Client, plan: Plan, resources: Resources) -> StatusReport:
    inventory = plan.inventory
    report = StatusReport(inventory, cluster_ref=plan.cluster)
    recorded = inventory.load(client)
    report.recorded = recorded is not None
    for stub in sort_for_apply(ref.as_object() for ref in recorded or ()):
        ref = ObjectRef.of(stub)
        resource, live = lookup(client, resources, ref)
        report.objects.append(
            ObjectState(
                ref,
                present=live is not None,
                owned=live is not None and inventory.owns(live),
                note=_NO_CRD if resource is None else "",
            )
        )
    report.releases = [release_state(client, release) for release in plan.releases]
    if plan.cluster is not None:
        resource, live = lookup(client, resources, plan.cluster)
        if live is not None:
            report.cluster = ClusterStatus.of(live, plan.instances)
        elif resource is None:
            report.cluster_note = _NO_CRD
    return report


def status_of(
    plan: Plan,
    options: ClusterOptions,
    *,
    client: Client | None = None,
    notify: Notify = warn,
) -> StatusReport:
    """Read what plan's inventory recorded and how its Cluster is doing."""
    own = client is None
    client = client or options.connect(notify)
    try:
        return read_status(client, plan, Resources(client, crd_timeout=options.crd_timeout))
    finally:
        if own:
            client.close()
