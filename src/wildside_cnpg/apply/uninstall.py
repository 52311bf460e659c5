"""`uninstall`: remove what the inventory lists, in reverse apply order, with the
protections of the day-2 plan.

Kept unless --allow-destroy: Namespaces (deleting one deletes everything in it),
objects annotated `kustomize.toolkit.fluxcd.io/prune: disabled` (the Cluster,
ExternalSecrets, plaintext Secrets), and, while the Cluster stays, the Secrets and
ObjectStore it reads. Even with --allow-destroy the Cluster goes only once the
caller confirms it by name. Never touched: objects that no longer carry this
inventory's label. The operator's Helm releases are uninstalled only when asked and
when no Cluster is left to need them; a Namespace still holding a release or
another Cluster stays.

The inventory's objects are joined by what the inputs render that still carries the
inventory's label, so an apply stopped before it recorded anything, or an inventory
gone with its namespace, leaves nothing behind. Everything is decided from one read
of the cluster before anything is deleted, so a refused confirmation leaves
everything in place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from lightkube import ApiError, Client
from lightkube.resources.core_v1 import ConfigMap

from ..masking import scrub
from ..plan.classify import protected
from .changes import Change
from .errors import ApplyUsageError, ClusterError
from .helm import HelmRelease, find_helm
from .helm import uninstall as helm_uninstall
from .inventory import Inventory
from .kube import Resources, is_namespaced
from .order import CLUSTER_KIND, NEVER_PRUNED, kind_key, sort_for_delete
from .refs import ObjectRef
from .retry import Notify, warn
from .runner import DEFAULT_FIELD_MANAGER, Plan
from .ssa import apply_one, as_dict
from .status import ClusterOptions, lookup, release_state

# Where the Cluster and the plugin's ObjectStore name what they read: Secrets by
# {name: ...} under these keys, ObjectStores by barmanObjectName.
_SECRET_KEYS = frozenset(
    {"secret", "superuserSecret", "accessKeyId", "secretAccessKey", "region", "sessionToken"}
)
_OBJECT_STORE_KEY = "barmanObjectName"
_NOT_OURS = "no longer labelled as applied by this inventory: left alone"

# Called before a Cluster is deleted; raises to refuse (nothing is deleted then).
Confirm = Callable[[ObjectRef], None]


@dataclass(frozen=True)
class UninstallOptions(ClusterOptions):
    dry_run: bool = False
    allow_destroy: bool = False
    include_operator: bool = False
    yes: bool = False  # the Cluster's deletion is confirmed in advance
    field_manager: str = DEFAULT_FIELD_MANAGER


@dataclass
class UninstallReport:
    changes: list[Change] = field(default_factory=list)
    releases: list[str] = field(default_factory=list)

    @property
    def deleted(self) -> int:
        return sum(1 for c in self.changes if c.action == "delete")

    @property
    def kept(self) -> int:
        return sum(1 for c in self.changes if c.action == "keep")


def _reads(spec: Any, found: set[tuple[str, str]]) -> None:
    """Collect (kind, name) of each Secret and ObjectStore spec names."""
    if isinstance(spec, Mapping):
        for key, value in spec.items():
            if key in _SECRET_KEYS and isinstance(value, Mapping) and "name" in value:
                found.add(("Secret", str(value["name"])))
            elif key == _OBJECT_STORE_KEY and isinstance(value, str):
                found.add(("ObjectStore", value))
            else:
                _reads(value, found)
    elif isinstance(spec, list):
        for item in spec:
            _reads(item, found)


def read_by(
    cluster: Mapping[str, Any], lives: Mapping[ObjectRef, Mapping[str, Any]]
) -> set[ObjectRef]:
    """The inventory's objects the Cluster reads: its Secrets and ObjectStore, and the
    ObjectStore's Secrets."""
    namespace = str((cluster.get("metadata") or {}).get("namespace") or "")
    by_name = {(ref.kind, ref.name): ref for ref in lives if ref.namespace == namespace}
    needed: set[ObjectRef] = set()
    pending: list[Mapping[str, Any]] = [cluster]
    while pending:
        names: set[tuple[str, str]] = set()
        _reads(pending.pop().get("spec"), names)
        for key in sorted(names):
            ref = by_name.get(key)
            if ref is not None and ref not in needed:
                needed.add(ref)
                pending.append(lives[ref])
    return needed


class _Uninstall:
    def __init__(
        self,
        client: Client,
        plan: Plan,
        options: UninstallOptions,
        progress: Callable[[str], None],
        confirm: Confirm | None,
    ) -> None:
        self.client = client
        self.plan = plan
        self.options = options
        self.progress = progress
        self.confirm = confirm
        self.resources = Resources(client, crd_timeout=options.crd_timeout)
        self.report = UninstallReport()
        self.inventory: Inventory = plan.inventory
        self._clusters: list[ObjectRef] | None = None

    def record(self, change: Change) -> None:
        self.report.changes.append(change)
        self.progress(change.line())

    def change(self, ref: ObjectRef, action: str, note: str = "") -> Change:
        return Change(ref, action, dry_run=self.options.dry_run, note=note)

    def run(self) -> UninstallReport:
        recorded = self.inventory.load(self.client)
        if recorded is None:
            self.progress(f"no inventory {self.inventory.ref} (nothing recorded by an apply)")
        if self.options.include_operator and self.plan.releases:
            find_helm()  # a missing helm stops the run before anything is deleted
        # What the inputs render and still carries this inventory's label is its too,
        # recorded or not (an apply stopped before it wrote the inventory, or the
        # inventory went with its namespace while another namespace stayed).
        labelled = {ObjectRef.of(obj) for obj in self.plan.objects} - (recorded or set())
        resources: dict[ObjectRef, Any] = {}
        lives: dict[ObjectRef, dict[str, Any]] = {}
        for ref in (recorded or set()) | labelled:
            resources[ref], live = lookup(self.client, self.resources, ref)
            if live is not None and not (live.get("metadata") or {}).get("deletionTimestamp"):
                lives[ref] = live
        found = {ref for ref in labelled if ref in lives and self.inventory.owns(lives[ref])}
        decisions = self.decide((recorded or set()) | found, lives, resources)
        self.confirm_clusters(decisions)
        objects = [c for c in decisions if kind_key(c.ref.as_object()) not in NEVER_PRUNED]
        for change in objects:
            self.carry_out(change, resources)
        gone = {c.ref for c in objects if c.action == "delete"}
        left = self.releases(gone)
        namespaces = [
            self.namespace_decision(c, gone, left)
            for c in decisions
            if kind_key(c.ref.as_object()) in NEVER_PRUNED
        ]
        kept = {
            c.ref for c in [*objects, *namespaces] if c.action == "keep" and c.note != _NOT_OURS
        }
        if not self.options.dry_run and (kept or recorded is not None):
            self.rewrite_inventory(kept)
        for change in namespaces:
            self.carry_out(change, resources)
        return self.report

    def decide(
        self,
        recorded: Iterable[ObjectRef],
        lives: Mapping[ObjectRef, dict[str, Any]],
        resources: Mapping[ObjectRef, Any],
    ) -> list[Change]:
        """What happens to each recorded object, in deletion order (nothing sent yet)."""
        clusters = [ref for ref in lives if kind_key(ref.as_object()) == CLUSTER_KIND]
        kept_clusters = [
            ref
            for ref in clusters
            if self.inventory.owns(lives[ref]) and not self.options.allow_destroy
        ]
        needed: dict[ObjectRef, ObjectRef] = {}
        for cluster in kept_clusters:
            for ref in read_by(lives[cluster], lives):
                needed.setdefault(ref, cluster)
        decisions = []
        for ref in (ObjectRef.of(o) for o in sort_for_delete(r.as_object() for r in recorded)):
            live = lives.get(ref)
            if live is None:
                if resources.get(ref) is None:
                    gone = "its CustomResourceDefinition is gone"
                else:
                    gone = "already deleted or being deleted"
                decisions.append(self.change(ref, "absent", gone))
            elif not self.inventory.owns(live):
                decisions.append(self.change(ref, "keep", _NOT_OURS))
            elif kind_key(live) in NEVER_PRUNED:
                decisions.append(self._allowed(ref, _NAMESPACE, _NAMESPACE_GOES))
            elif kind_key(live) == CLUSTER_KIND:
                decisions.append(self._allowed(ref, _CLUSTER, self._cluster_goes()))
            elif protected(live):
                decisions.append(self._allowed(ref, _PROTECTED, "--allow-destroy"))
            elif ref in needed:
                decisions.append(self.change(ref, "keep", f"{needed[ref]} is kept and reads it"))
            else:
                decisions.append(self.change(ref, "delete"))
        return decisions

    def _allowed(self, ref: ObjectRef, kept: str, deleted: str) -> Change:
        """Deleted with --allow-destroy, kept (and why) without."""
        if self.options.allow_destroy:
            return self.change(ref, "delete", deleted)
        return self.change(ref, "keep", kept)

    def _cluster_goes(self) -> str:
        if self.options.dry_run:
            return "--allow-destroy; a real run asks to confirm it by name unless --yes"
        return "--allow-destroy, confirmed: its instances and their volumes go with it"

    def confirm_clusters(self, decisions: Iterable[Change]) -> None:
        for change in decisions:
            if change.action != "delete" or kind_key(change.ref.as_object()) != CLUSTER_KIND:
                continue
            if self.options.dry_run or self.options.yes:
                continue
            if self.confirm is None:
                raise ApplyUsageError(
                    f"deleting {change.ref} deletes its instances and their volumes: "
                    "pass --yes to confirm; nothing was deleted"
                )
            self.confirm(change.ref)

    def carry_out(self, change: Change, resources: Mapping[ObjectRef, Any]) -> None:
        if change.action == "delete":
            resource = resources[change.ref]
            try:
                self.client.delete(
                    resource,
                    change.ref.name,
                    namespace=(change.ref.namespace or None) if is_namespaced(resource) else None,
                    dry_run=self.options.dry_run,
                )
            except ApiError as exc:
                if exc.status.code != 404:
                    message = scrub(exc.status.message or str(exc), self.plan.secrets)
                    raise ClusterError(f"{change.ref}: cannot delete it: {message}") from None
        self.record(change)

    def releases(self, gone: set[ObjectRef]) -> set[str]:
        """Uninstall the Helm releases (the plugin before the operator) when asked and
        no Cluster needs them; return the namespaces of releases left installed."""
        left: set[str] = set()
        blocking: list[ObjectRef] | None = None
        for release in reversed(self.plan.releases):
            state = release_state(self.client, release)
            if state.known and state.revision is None:
                self.progress(f"Helm release {release.where} is not installed")
                continue
            if not self.options.include_operator:
                self.keep_release(release, "pass --include-operator to uninstall the operator")
                left.add(release.namespace)
                continue
            if blocking is None:
                blocking = [ref for ref in self.live_clusters() if ref not in gone]
            if blocking:
                names = ", ".join(str(ref) for ref in blocking[:3])
                more = f" and {len(blocking) - 3} more" if len(blocking) > 3 else ""
                self.keep_release(release, f"{names}{more} still needs the operator")
                left.add(release.namespace)
                continue
            summary = helm_uninstall(
                release,
                kubeconfig=self.options.kubeconfig,
                context=self.options.context,
                dry_run=self.options.dry_run,
            )
            self.report.releases.append(summary)
            self.progress(summary)
        return left

    def keep_release(self, release: HelmRelease, why: str) -> None:
        verb = "would keep" if self.options.dry_run else "kept"
        self.progress(f"{verb} Helm release {release.where} ({why})")

    def live_clusters(self) -> list[ObjectRef]:
        """Every Cluster in the API server (none when its CRD is not installed)."""
        if self._clusters is None:
            self._clusters = self._list_clusters()
        return self._clusters

    def _list_clusters(self) -> list[ObjectRef]:
        if self.plan.cluster is None:
            return []
        resource = self.resources.for_kind(
            self.plan.cluster.api_version, self.plan.cluster.kind, wait=False
        )
        if resource is None:
            return []
        try:
            listed = list(self.client.list(resource, namespace="*"))
        except ApiError as exc:
            raise ClusterError(f"cannot list Clusters: {exc.status.message}") from exc
        return sorted(ObjectRef.of(as_dict(item)) for item in listed)

    def namespace_decision(
        self, change: Change, gone: set[ObjectRef], release_namespaces: set[str]
    ) -> Change:
        """A Namespace --allow-destroy would delete stays while it holds a Helm release
        left installed or a Cluster this uninstall does not delete."""
        if change.action != "delete":
            return change
        name = change.ref.name
        if name in release_namespaces:
            return self.change(change.ref, "keep", "a Helm release left installed lives in it")
        others = [ref for ref in self.live_clusters() if ref.namespace == name and ref not in gone]
        if others:
            return self.change(change.ref, "keep", f"{others[0]} lives in it")
        return change

    def rewrite_inventory(self, kept: set[ObjectRef]) -> None:
        """Record what stays (so a later uninstall finds it); drop the inventory when
        nothing does."""
        if kept:
            # The tool's own record: taken over even from the manager an apply used.
            apply_one(
                self.client,
                ConfigMap,
                self.inventory.config_map(kept),
                field_manager=self.options.field_manager,
                force=True,
                dry_run=False,
                secrets=self.plan.secrets,
            )
            return
        try:
            self.client.delete(ConfigMap, self.inventory.name, namespace=self.inventory.namespace)
        except ApiError as exc:
            if exc.status.code != 404:
                message = scrub(exc.status.message or str(exc), self.plan.secrets)
                raise ClusterError(f"{self.inventory.ref}: cannot delete it: {message}") from None
        self.progress(f"deleted inventory {self.inventory.ref}")


_NAMESPACE = "deleting a Namespace deletes everything in it: pass --allow-destroy"
_NAMESPACE_GOES = "--allow-destroy: everything in it goes with it"
_CLUSTER = (
    "deleting a Cluster deletes its instances and their volumes: pass --allow-destroy and confirm"
)
_PROTECTED = "annotated kustomize.toolkit.fluxcd.io/prune: disabled: pass --allow-destroy"


def uninstall_plan(
    plan: Plan,
    options: UninstallOptions,
    *,
    progress: Callable[[str], None] = print,
    confirm: Confirm | None = None,
    client: Client | None = None,
    notify: Notify = warn,
) -> UninstallReport:
    """Remove what plan's inventory lists (see the module's docstring for what stays).
    confirm is called for a Cluster about to be deleted unless options.yes."""
    own = client is None
    client = client or options.connect(notify)
    try:
        return _Uninstall(client, plan, options, progress, confirm).run()
    finally:
        if own:
            client.close()
