"""The plan of a render into a GitOps checkout: the tree on disk (every cluster's)
against the same tree with this render's files replaced by the new ones."""

from __future__ import annotations

import heapq
from collections.abc import Collection, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any

from .. import fluxgraph
from ..fluxgraph import ObjectKey
from ..kinds import BARMAN_CLOUD_PLUGIN
from ..module import Module
from ..writer import Checkout, Record, read_checkout
from .classify import classify, protected, source_input, source_refusal
from .model import Change, Plan, Refusal
from .objects import CheckoutObjects, Files, Objects, Parses


def plan_checkout(module: Module, out_dir: Path | Checkout) -> Plan:
    """Compare the checkout with this render; every refusal the plan knows."""
    return plan_record(module, *read_checkout(out_dir))


def plan_record(module: Module, record: Record, texts: Mapping[str, str]) -> Plan:
    """The plan against a checkout given as its record and the text of each recorded
    file on disk (`read_checkout`)."""
    known = Parses()
    files = known.parse(texts)
    return plan_objects(
        module, record, CheckoutObjects.of(files, known), known, unreadable=texts.keys() - files
    )


def plan_objects(
    module: Module,
    record: Record,
    before: CheckoutObjects,
    known: Parses,
    *,
    unreadable: AbstractSet[str] = frozenset(),
) -> Plan:
    """The plan against a checkout given as its record and its objects, so that a run
    of several renders can plan each against the checkout the ones before it leave;
    `known` keeps the files' parses between those plans. `unreadable`: recorded files
    on disk that are not YAML, which the plan cannot compare."""
    owner = module.shape.owner
    mine = record.owned_by(owner)
    rendered = module.documents()
    # This render's files leave, unless another render holds them too; its new ones come.
    leaving = {
        path: None
        for path in mine
        if path in before.files and all(other == owner for other in record.entries[path].owners)
    }
    after = before.replaced({**leaving, **rendered}, known)
    plan = _plan(module, before, after, mine, owners=record.by_owner.keys(), known=known)
    plan.refusals.extend(_unreadable_refusal(path) for path in sorted(mine & unreadable))
    return plan


def _unreadable_refusal(path: str) -> Refusal:
    """A file of this render's that is not YAML: what the cluster runs from it is
    unknown, so no refusal the plan makes about its objects could be trusted."""
    return Refusal(
        path,
        "holds no YAML the plan can read, so it cannot tell what this render would change "
        "or delete there",
        f"Restore it from version control (git checkout -- {path}) or fix it, then render again",
        overridable=False,
    )


def plan_files(
    module: Module,
    before: Files,
    after: Files,
    mine: set[str],
    *,
    others: Sequence[str] = (),
) -> Plan:
    """The plan between two trees: `before` (the checkout), `after` (the checkout with
    this render written), `mine` (the paths this render owned before)."""
    known = Parses()
    return _plan(
        module,
        CheckoutObjects.of(before, known),
        CheckoutObjects.of(after, known),
        mine,
        owners=others,
        known=known,
    )


def _plan(
    module: Module,
    before: CheckoutObjects,
    after: CheckoutObjects,
    mine: set[str],
    *,
    owners: Collection[str],
    known: Parses,
) -> Plan:
    """`owners`: the clusters the checkout's record names (this one among them or not)."""
    before_all, after_all = before.objects, after.objects
    # Besides its own files, the files of other renders this one overwrites (--adopt):
    # what they held and no longer will is deleted, and refused as any delete is.
    taken = {
        path
        for path in module.documents()
        if path not in mine and path in before.files and before.files[path] != after.files[path]
    }
    keys = known.keys(before.files, mine | taken) | known.keys(after.files, module.documents())
    plan = Plan()
    for key in sorted(keys):
        change, refusals = classify(key, before_all.get(key), after_all.get(key))
        change, refusals = _recovery_store(key, change, refusals, before, after)
        plan.changes.append(change)
        plan.refusals.extend(refusals)
        if change.action == "delete":
            plan.refusals.extend(_deletion_refusals(module, key, before_all[key]))
    plan.refusals.extend(_plugin_refusals(module, before, after))
    plan.refusals.extend(_archive_refusals(module, before, after))
    plan.refusals.extend(_move_refusals(module, before=before, after=after, keys=keys))
    plan.refusals.extend(_shared_operator_refusals(module, after_all))
    plan.refusals.extend(_collision_refusals(module, after, mine_paths=set(module.documents())))
    if not any(c.action != "create" for c in plan.changes if c.key.kind == "Cluster"):
        note = _others_note(module.shape.owner, owners)
        if note:
            plan.notes.append(note)
    return plan


_NAMED_OTHERS = 5


def _others_note(owner: str, owners: Collection[str]) -> str | None:
    """What a new cluster's plan says of the clusters already in the checkout: the
    first few by name (a fleet's checkout may hold a thousand)."""
    count = len(owners) - (owner in owners)
    if not count:
        return None
    named = [other for other in heapq.nsmallest(_NAMED_OTHERS + 1, owners) if other != owner]
    names = ", ".join(named[:_NAMED_OTHERS])
    if count > _NAMED_OTHERS:
        names += f" and {count - _NAMED_OTHERS} more"
    return (
        f"this checkout also holds {names}; their files stay as they are "
        "(a new cluster_name renders a new cluster beside them, it never renames one)"
    )


def _recovery_store(
    key: ObjectKey,
    change: Change,
    refusals: list[Refusal],
    before: CheckoutObjects,
    after: CheckoutObjects,
) -> tuple[Change, list[Refusal]]:
    """The plugin's ObjectStore a running Cluster was recovered from: CNPG read it only
    when it created the cluster, like the rest of the recovery source."""
    if key.kind != "ObjectStore" or change.action != "update":
        return change, refusals
    users = sorted(
        other
        for other, doc in after.of_kind("Cluster")
        if other.namespace == key.namespace
        and other in before.objects
        and _recovers_from(doc, key.name)
    )
    if not users:
        return change, refusals
    where = f"Cluster {users[0].namespace}/{users[0].name}"
    old = (before.objects[key].get("spec") or {}).get("configuration") or {}
    new = (after.objects[key].get("spec") or {}).get("configuration") or {}
    names = sorted(
        {
            source_input(field, old.get(field), new.get(field))
            for field in set(old) | set(new)
            if old.get(field) != new.get(field)
        }
    )
    detail = "spec changed: the recovery source is read only when CNPG creates the cluster"
    return (
        Change(key, "update", "ignored after bootstrap", (detail,)),
        [*refusals, *(source_refusal(name, where) for name in names)],
    )


def _recovers_from(cluster: Mapping[str, Any], store: str) -> bool:
    spec = cluster.get("spec") or {}
    source = ((spec.get("bootstrap") or {}).get("recovery") or {}).get("source")
    for entry in spec.get("externalClusters") or []:
        if not isinstance(entry, dict) or entry.get("name") != source:
            continue
        plugin = entry.get("plugin") or {}
        if (plugin.get("parameters") or {}).get("barmanObjectName") == store:
            return True
    return False


def _deletion_refusals(module: Module, key: ObjectKey, old: Mapping[str, Any]) -> list[Refusal]:
    inputs = module.inputs
    shape = module.shape
    if key.kind == "Namespace" and key.group == "":
        if not inputs.create_namespaces:
            name = "create_namespaces"
        elif key.name == inputs.operator_namespace or (
            key.name != inputs.cluster_namespace and not shape.owns_operator
        ):
            name = "operator_install" if not shape.owns_operator else "operator_namespace"
        else:
            name = "cluster_namespace"
        return [
            Refusal(
                name,
                f"the Namespace '{key.name}' leaves the tree; Flux keeps it (prune disabled), "
                "but nothing manages it any more, and without that annotation (a tree older "
                "than it, or another tool) deleting it deletes every database in it",
                f"Keep rendering it ({name} as it was); to really delete a namespace, see "
                "'Deleting a database' in the README",
            )
        ]
    if key.kind == "Database" and key.group == "postgresql.cnpg.io":
        return [database_refusal(module.inputs.database_name, key, old)]
    if key.kind == "HelmRelease" and protected(old):
        name = "helm_release_name" if module.shape.owns_operator else "operator_install"
        return [
            Refusal(
                name,
                f"the operator's HelmRelease {key.namespace}/{key.name} leaves the tree; "
                "Flux leaves it installed (prune disabled), but nothing upgrades it any more, "
                "and uninstalling it leaves every Cluster without failover or backups",
                f"Keep {name} as it was; hand the operator to another inputs file with "
                "operator_install own there (render it first, with --adopt)",
            )
        ]
    return []


def database_refusal(
    database_name: str,
    key: ObjectKey,
    old: Mapping[str, Any],
    *,
    leaves: str = "leaves the tree and Flux deletes the object",
) -> Refusal:
    """A Database leaves the tree: Flux (or apply's --prune) deletes the object. With
    retain (what the tool renders) CNPG leaves the database and its data, unmanaged;
    with delete (a hand-edited or older object) it drops them. database_name: the
    application database's (database_name)."""
    spec = old.get("spec") or {}
    name = str(spec.get("name", ""))
    application = name == database_name
    given = "database_resource_enabled" if application else "databases"
    if spec.get("databaseReclaimPolicy") == "delete":
        what = (
            "its databaseReclaimPolicy is delete, so CloudNativePG drops the database and "
            "every table in it"
        )
    else:
        what = (
            "with databaseReclaimPolicy retain CloudNativePG leaves the database and its data "
            "in PostgreSQL, but nothing manages it (or its extensions) any more"
        )
    keep = "Keep database_resource_enabled true" if application else f"Keep '{name}' in databases"
    return Refusal(
        given,
        f"the Database {key.namespace}/{key.name} (PostgreSQL database '{name}') {leaves}; {what}",
        f"{keep}; to drop a database on purpose, see 'Dropping a database' in docs/day2.md",
    )


def _is_plugin_release(module: Module, key: ObjectKey, doc: Mapping[str, Any]) -> bool:
    if key.kind != "HelmRelease":
        return False
    spec = doc.get("spec") or {}
    chart = ((spec.get("chart") or {}).get("spec") or {}).get("chart")
    inputs = module.inputs
    return key.name == inputs.barman_cloud_plugin_release_name or chart == (
        inputs.barman_cloud_plugin_chart_name
    )


def _plugin_refusals(
    module: Module, before: CheckoutObjects, after: CheckoutObjects
) -> list[Refusal]:
    def installs(objects: CheckoutObjects) -> bool:
        return any(_is_plugin_release(module, k, d) for k, d in objects.of_kind("HelmRelease"))

    def names(users: Iterable[ObjectKey]) -> str:
        return ", ".join(sorted({f"{key.namespace}/{key.name}" for key in users}))

    if installs(after):
        return []
    # In one commit the operator layer (and the plugin with it) may change before the
    # cluster layer stops using it: a cluster using it before counts too.
    if installs(before):
        if not (users := before.having("plugin user") | after.having("plugin user")):
            return []
        return [
            Refusal(
                "barman_cloud_plugin_install",
                "the Barman Cloud plugin's HelmRelease leaves the operator layer while "
                f"{names(users)} archive WAL through it; in one commit "
                "Flux may uninstall it before the cluster layer stops using it, and WAL "
                "archiving would stop",
                "Do it in two commits: first stop using the plugin in every cluster and keep "
                "barman_cloud_plugin_install: true; once Flux has applied that, remove it",
            )
        ]
    operator_here = any(protected(d) for _, d in after.of_kind("HelmRelease"))
    if operator_here and (users := after.having("plugin user")):
        return [
            Refusal(
                "barman_cloud_plugin_install",
                f"{names(users)} archive WAL through the Barman Cloud plugin, but "
                "the operator in this checkout does not install it (the Cluster would wait in "
                "'unknown plugin' and archive nothing)",
                "Set barman_cloud_plugin_install: true in the inputs that render the operator "
                "(operator_install own) and render those first",
                overridable=False,
            )
        ]
    return []


def _archive(
    key: ObjectKey, cluster: Mapping[str, Any], objects: Mapping[ObjectKey, dict[str, Any]]
) -> tuple[str, str] | None:
    """(destination path, server name) the cluster archives WAL to, if any."""
    spec = cluster.get("spec") or {}
    store = (spec.get("backup") or {}).get("barmanObjectStore")
    if isinstance(store, dict) and store.get("destinationPath"):
        return str(store["destinationPath"]).rstrip("/"), str(store.get("serverName") or key.name)
    for plugin in spec.get("plugins") or []:
        if not isinstance(plugin, dict) or plugin.get("name") != BARMAN_CLOUD_PLUGIN:
            continue
        parameters = plugin.get("parameters") or {}
        store_key = ObjectKey(
            "barmancloud.cnpg.io",
            "ObjectStore",
            key.namespace,
            str(parameters.get("barmanObjectName", "")),
        )
        configuration = ((objects.get(store_key) or {}).get("spec") or {}).get(
            "configuration"
        ) or {}
        if configuration.get("destinationPath"):
            server = parameters.get("serverName") or key.name
            return str(configuration["destinationPath"]).rstrip("/"), str(server)
    return None


def _archive_refusals(
    module: Module, before: CheckoutObjects, after: CheckoutObjects
) -> list[Refusal]:
    refusals = []
    for key in sorted(after.having("kind Cluster") - before.having("kind Cluster")):
        archive = _archive(key, after.objects[key], after.objects)
        if archive is None:
            continue
        # The Clusters that may archive under that server name, with the objects they
        # are in (after, for those still there): a few, not every Cluster.
        server = f"server {archive[1]}"
        candidates = before.having(server) | after.having(server)
        clusters: dict[ObjectKey, tuple[dict[str, Any], Objects]] = {
            k: (before.objects[k], before.objects) for k in candidates if k in before.objects
        }
        clusters.update(
            {k: (after.objects[k], after.objects) for k in candidates if k in after.objects}
        )
        sharing = [
            other
            for other, (other_doc, objects) in clusters.items()
            if other != key and _archive(other, other_doc, objects) == archive
        ]
        for other in sorted(sharing):
            refusals.append(
                Refusal(
                    "backup_destination_path",
                    f"the new cluster {key.namespace}/{key.name} would archive to "
                    f"{archive[0]}/{archive[1]}, which holds the archive of "
                    f"{other.namespace}/{other.name}; CNPG refuses to start its WAL "
                    "archiving there ('Expected empty archive')",
                    "Give the new cluster its own backup_destination_path (or another server name)",
                    overridable=False,
                )
            )
    return refusals


def _move_refusals(
    module: Module,
    *,
    before: CheckoutObjects,
    after: CheckoutObjects,
    keys: set[ObjectKey],
) -> list[Refusal]:
    """A stateful object that changes Kustomization while Flux may still prune it: the
    old Kustomization can delete it before the new one applies it."""
    becoming_protected = [
        key
        for key in sorted(keys)
        if (old := before.objects.get(key)) is not None
        and (new := after.objects.get(key)) is not None
        and protected(new)
        and not protected(old)
    ]
    if not becoming_protected:
        return []  # who applies what is a walk of the whole tree: only when it matters
    prefix = module.inputs.flux_path_prefix
    old_appliers = fluxgraph.appliers(before.files, prefix)
    new_appliers = fluxgraph.appliers(after.files, prefix)
    refusals = []
    for key in becoming_protected:
        source, target = old_appliers.get(key), new_appliers.get(key)
        if source is None or source == target:
            continue
        refusals.append(
            Refusal(
                "layout",
                f"{key} moves from {_applier(source)} to {_applier(target)} "
                "while it is not yet protected from pruning; Flux may delete it (and with a "
                "Namespace or a Cluster, the data) before the new one applies it",
                "First run `wildside-cnpg render --protect-only` with the same inputs, commit "
                "and let Flux apply it, then render again",
                overridable=False,
            )
        )
    return refusals


def _applier(name: str | None) -> str:
    if name is None or name == fluxgraph.ROOT:
        return "the repository's root"
    return f"Flux Kustomization {name}"


def _shared_operator_refusals(
    module: Module, after_all: Mapping[ObjectKey, dict[str, Any]]
) -> list[Refusal]:
    if module.inputs.operator_install != "shared":
        return []
    name = module.shape.operator_layer_name
    wanted = ObjectKey(
        "kustomize.toolkit.fluxcd.io", "Kustomization", module.inputs.flux_namespace, name
    )
    if wanted in after_all:
        return []
    return [
        Refusal(
            "operator_install",
            f"shared, but no inputs file has rendered the operator into this checkout (its "
            f"Flux Kustomization {name} is missing), so the cluster layer would wait forever",
            "Render the operator first with operator_install own in one inputs file (same "
            "helm_release_name), or use operator_install external when it is installed "
            "outside this tree",
            overridable=False,
        )
    ]


# Which input names an object of each kind, for the message of a collision.
_NAMING_INPUT = {
    "ScheduledBackup": "scheduled_backup_name",
    "PodDisruptionBudget": "pdb_name",
    "ExternalSecret": "app_credentials_secret_name",
    "Secret": "backup_s3_credentials_secret_name",
    "HelmRelease": "helm_release_name",
    "HelmRepository": "flux_helm_repository_name",
    "OCIRepository": "flux_helm_repository_name",
}


def _collision_refusals(
    module: Module, after: CheckoutObjects, *, mine_paths: set[str]
) -> list[Refusal]:
    """An object this render shares with another cluster's files (other than a file
    both render byte for byte): two Flux Kustomizations would fight over it."""
    refusals = []
    for path, docs in sorted(module.documents().items()):
        for doc in docs:
            key = ObjectKey.of(doc)
            # the first file (in path order) holding the object names it
            theirs = [held for held in after.holders.get(key, ()) if held not in mine_paths]
            if theirs and not fluxgraph.is_kustomize_file(doc):
                refusals.append(
                    Refusal(
                        _NAMING_INPUT.get(key.kind, "cluster_name"),
                        f"{key} in {path} is also in {theirs[0]}, which another cluster's "
                        "render holds; two Flux Kustomizations would apply (and prune) it",
                        "Give each cluster its own names (leave the name inputs unset: they "
                        "derive from cluster_name)",
                        overridable=False,
                    )
                )
    return refusals
