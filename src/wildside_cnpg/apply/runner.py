"""Converge a set of objects onto a cluster, step by step, as order.py lays out."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lightkube import Client
from lightkube.resources.core_v1 import ConfigMap, Namespace

from ..masking import secret_values
from .changes import Change
from .errors import ApplyUsageError
from .helm import HelmRelease, find_helm, upgrade_install
from .inventory import Inventory
from .kube import Resources, connect, is_namespaced
from .order import (
    CLUSTER_KIND,
    FLUX_KINDS,
    OPERATOR_RANK,
    kind_key,
    rank,
    sort_for_apply,
)
from .prune import prune
from .refs import ObjectRef
from .retry import Notify, RetryPolicy, warn
from .ssa import apply_one, get_current
from .wait import ClusterStatus, wait_for_cluster

DEFAULT_FIELD_MANAGER = "wildside-cnpg"
_MAX_FIELD_MANAGER = 128  # the API server's limit
_FIELD_MANAGER = re.compile(r"^[\x21-\x7e][\x20-\x7e]*$")


@dataclass(frozen=True)
class ApplyOptions:
    kubeconfig: Path | None = None
    context: str | None = None
    dry_run: bool = False
    prune: bool = False
    wait: bool = False
    timeout: float = 600.0
    field_manager: str = DEFAULT_FIELD_MANAGER
    force_conflicts: bool = False
    skip_operator: bool = False
    allow_destroy: bool = False
    crd_timeout: float = 120.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)

    def check(self) -> None:
        """Refuse options that cannot work, before any network call."""
        manager = self.field_manager
        if len(manager) > _MAX_FIELD_MANAGER or not _FIELD_MANAGER.fullmatch(manager):
            raise ApplyUsageError(
                f"--field-manager: expected 1 to {_MAX_FIELD_MANAGER} printable characters, "
                f"got {manager!r}"
            )
        if self.timeout <= 0:
            raise ApplyUsageError(
                f"--timeout: expected a positive number of seconds, got {self.timeout:g}"
            )
        if self.crd_timeout <= 0:
            raise ApplyUsageError(f"CRD timeout must be positive, got {self.crd_timeout:g}")
        check_retry(self.retry)


def check_retry(retry: RetryPolicy) -> None:
    if retry.attempts < 1:
        raise ApplyUsageError(f"--max-attempts: expected 1 or more, got {retry.attempts}")


@dataclass(frozen=True)
class Plan:
    """Everything one apply converges: the objects, the Helm releases (the operator
    first) and the inventory."""

    objects: tuple[Mapping[str, Any], ...]
    inventory: Inventory
    releases: tuple[HelmRelease, ...] = ()
    cluster: ObjectRef | None = None
    instances: int = 1
    database: str = ""  # the application database the Cluster bootstraps
    # What no message may show: an API server's text is scrubbed of these.
    secrets: frozenset[str] = frozenset()

    @classmethod
    def build(
        cls,
        objects: Iterable[Mapping[str, Any]],
        inventory: Inventory,
        releases: Iterable[HelmRelease] = (),
        sensitive: Iterable[str] = (),
    ) -> Plan:
        """A plan in apply order; Flux's operator objects are left to the Helm step.
        Its secrets are the values of its Secrets and `sensitive` (the values of the
        sensitive inputs)."""
        kept = [o for o in objects if kind_key(o) not in FLUX_KINDS]
        cluster = next((o for o in kept if kind_key(o) == CLUSTER_KIND), None)
        return cls(
            objects=tuple(sort_for_apply(kept)),
            inventory=inventory,
            releases=tuple(releases),
            cluster=ObjectRef.of(cluster) if cluster else None,
            instances=int((cluster or {}).get("spec", {}).get("instances") or 1),
            database=_bootstrap_database(cluster or {}),
            secrets=secret_values(kept, sensitive),
        )


def _bootstrap_database(cluster: Mapping[str, Any]) -> str:
    for method in ((cluster.get("spec") or {}).get("bootstrap") or {}).values():
        if isinstance(method, Mapping) and method.get("database"):
            return str(method["database"])
    return ""


@dataclass
class ApplyReport:
    changes: list[Change] = field(default_factory=list)
    releases: list[str] = field(default_factory=list)
    cluster_status: ClusterStatus | None = None

    @property
    def changed(self) -> bool:
        return any(c.changed for c in self.changes)


class _Run:
    def __init__(
        self, client: Client, plan: Plan, options: ApplyOptions, progress: Callable[[str], None]
    ) -> None:
        self.client = client
        self.plan = plan
        self.options = options
        self.progress = progress
        self.resources = Resources(client, crd_timeout=options.crd_timeout)
        self.report = ApplyReport()
        self._namespaces: dict[str, bool] = {}
        self._planned_namespaces = {
            str(o["metadata"]["name"]) for o in plan.objects if kind_key(o) == ("", "Namespace")
        }

    def record(self, change: Change) -> None:
        self.report.changes.append(change)
        self.progress(change.line())

    def namespace_exists(self, name: str) -> bool:
        if name not in self._namespaces:
            self._namespaces[name] = (
                get_current(self.client, Namespace, ObjectRef("v1", "Namespace", "", name))
                is not None
            )
        return self._namespaces[name]

    def operator(self) -> None:
        """helm upgrade --install each release, in order (the operator first)."""
        for release in self.plan.releases:
            where = f"{release.namespace}/{release.release}"
            if self.options.skip_operator:
                self.progress(f"skipped Helm release {where} (--skip-operator)")
                continue
            summary = upgrade_install(
                release,
                kubeconfig=self.options.kubeconfig,
                context=self.options.context,
                dry_run=self.options.dry_run,
                progress=self.progress,
                client=self.client,
            )
            self.report.releases.append(summary)
            self.progress(summary)

    def apply(self, obj: Mapping[str, Any]) -> None:
        ref = ObjectRef.of(obj)
        if self.options.dry_run:
            unvalidated = self._not_validatable(ref)
            if unvalidated:
                self.record(
                    Change(ref, "create", dry_run=True, note=f"not validated: {unvalidated}")
                )
                return
        change, _ = apply_one(
            self.client,
            self.resources.require(ref.api_version, ref.kind),
            self.plan.inventory.labelled(obj),
            field_manager=self.options.field_manager,
            force=self.options.force_conflicts,
            dry_run=self.options.dry_run,
            secrets=self.plan.secrets,
        )
        self.record(change)

    def _not_validatable(self, ref: ObjectRef) -> str:
        """Why a dry run cannot send ref yet ('' when it can): a dry run creates
        neither the namespaces nor the operator's CRDs that a real apply would."""
        resource = self.resources.for_kind(ref.api_version, ref.kind, wait=False)
        if resource is None:
            crd = f"the CustomResourceDefinition for {ref.api_version} {ref.kind}"
            return f"{crd} is not installed yet"
        if (
            is_namespaced(resource)
            and ref.namespace in self._planned_namespaces
            and not self.namespace_exists(ref.namespace)
        ):
            return f"namespace {ref.namespace} does not exist yet"
        return ""

    def write_inventory(self, refs: set[ObjectRef]) -> None:
        # The tool's own record: taken over from any other manager (a hand edit, an
        # earlier --field-manager), as uninstall does, without --force-conflicts.
        apply_one(
            self.client,
            ConfigMap,
            self.plan.inventory.config_map(refs),
            field_manager=self.options.field_manager,
            force=True,
            dry_run=False,
            secrets=self.plan.secrets,
        )

    def check_plan(self, previous: set[ObjectRef]) -> None:
        """The plan's refusals against the live objects, before anything changes."""
        from ..errors import PlanRefusedError
        from .live_plan import live_plan

        stale: set[ObjectRef] = set()
        if self.options.prune:
            stale = previous - {ObjectRef.of(o) for o in self.plan.objects}
        plan = live_plan(
            self.client,
            self.plan,
            self.resources,
            field_manager=self.options.field_manager,
            stale=stale,
        )
        blocking = plan.blocking(self.options.allow_destroy)
        for refusal in plan.refusals:
            if refusal not in blocking:  # said out loud, as render says it
                self.progress(f"warning: allowed by --allow-destroy: {refusal.line()}")
        if blocking:
            raise PlanRefusedError([refusal.line() for refusal in blocking])

    def run(self) -> ApplyReport:
        # Read before anything changes: a damaged inventory stops the run here.
        previous = self.plan.inventory.read(self.client)
        self.check_plan(previous)
        if self.plan.releases and not self.options.skip_operator:
            find_helm()  # a missing helm stops the run before anything changes
        operator_done = False
        for obj in self.plan.objects:
            if not operator_done and rank(obj) > OPERATOR_RANK:
                self.operator()
                operator_done = True
            self.apply(obj)
        if not operator_done:
            self.operator()
        current = {ObjectRef.of(o) for o in self.plan.objects}
        remaining = previous - current
        if self.options.prune:
            prune(
                self.client,
                self.resources,
                self.plan.inventory,
                previous - current,
                dry_run=self.options.dry_run,
                record=self.record,
                secrets=self.plan.secrets,
            )
            remaining = set()
        if self.options.dry_run:
            if self.options.wait:
                self.progress("not waiting for the Cluster: nothing was applied (dry run)")
        else:
            self.write_inventory(current | remaining)
            if self.options.wait and self.plan.cluster is not None:
                resource = self.resources.require(
                    self.plan.cluster.api_version, self.plan.cluster.kind
                )
                self.report.cluster_status = wait_for_cluster(
                    self.client,
                    resource,
                    self.plan.cluster,
                    instances=self.plan.instances,
                    timeout=self.options.timeout,
                    progress=self.progress,
                )
        return self.report


def apply_plan(
    plan: Plan,
    options: ApplyOptions,
    *,
    progress: Callable[[str], None] = print,
    client: Client | None = None,
    notify: Notify = warn,
) -> ApplyReport:
    """Converge plan onto the cluster options point at; raises WildsideError subclasses.

    notify receives each retry of a transient API failure (default: stderr)."""
    options.check()
    own = client is None
    client = client or connect(
        options.kubeconfig,
        options.context,
        options.field_manager,
        retry=options.retry,
        notify=notify,
    )
    try:
        return _Run(client, plan, options, progress).run()
    finally:
        if own:
            client.close()
