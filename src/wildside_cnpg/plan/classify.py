"""Classify one object's change by what Flux and CloudNativePG will do with it, and
refuse what CNPG ignores or rejects.

The rules read the documents, not the inputs, so they judge a checkout written by an
earlier version of the tool, or live objects, the same way. Where a refusal names an
input, `BOOTSTRAP_INPUTS` maps the field back to it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..constants import FLUX_PRUNE_ANNOTATION, FLUX_PRUNE_DISABLED
from ..fluxgraph import ObjectKey
from ..inputs.pgbouncer_settings import READ_AT_START
from ..inputs.quantity import parse_quantity
from ..kinds import BARMAN_CLOUD_PLUGIN, CERTIFICATE, HELM_RELEASE, OBJECT_STORE, POOLER, Kind
from .model import Change, Effect, Refusal, worst
from .services import pooler_service_change, services_change

# What CNPG reads only when it creates a cluster -> the input that renders it:
# spec.bootstrap.initdb fields by name; spec.bootstrap.recovery fields by their path
# under `recovery.`; the recovery source (its externalClusters entry, and the plugin's
# ObjectStore for it) by their path under `source.`. Not the bootstrap's `secret`: CNPG
# reads it for the cluster's whole life (see `_credentials_switch`).
BOOTSTRAP_INPUTS: Mapping[str, str] = {
    "database": "database_name",
    "owner": "database_owner",
    "postInitTemplateSQL": "postgis_extensions",
    "postInitApplicationSQL": "postgis_extensions",
    "recovery.source": "recovery_enabled",
    "recovery.database": "database_name",
    "recovery.owner": "database_owner",
    "recovery.recoveryTarget.backupID": "recovery_backup_id",
    "recovery.recoveryTarget.targetTime": "recovery_target_time",
    "recovery.recoveryTarget.targetLSN": "recovery_target_lsn",
    "recovery.recoveryTarget.targetXID": "recovery_target_xid",
    "recovery.recoveryTarget.targetName": "recovery_target_name",
    "recovery.recoveryTarget.targetImmediate": "recovery_target_immediate",
    "source.destinationPath": "recovery_source_destination_path",
    "source.endpointURL": "recovery_source_endpoint_url",
    "source.serverName": "recovery_source_server_name",
    "source.s3Credentials": "recovery_source_s3_credentials_secret_name",
}
# Cluster spec fields whose change recreates every instance pod, replicas first and
# the primary last (by switchover or restart, as primaryUpdateMethod says).
_ROLLING = frozenset(
    {
        "affinity",
        "env",
        "envFrom",
        "imageCatalogRef",
        "imageName",
        "podSecurityContext",
        "postgresql",
        "resources",
        "schedulerName",
        "seccompProfile",
        "securityContext",
        "topologySpreadConstraints",
    }
)
# Cluster spec fields CNPG does not compare with the running pods
# (pkg/specs/podspec_diff.go): pods created from then on have them.
_NEXT_PODS = frozenset({"imagePullSecrets", "priorityClassName", "serviceAccountTemplate"})
# spec.postgresql fields CNPG applies with a configuration reload, without a restart.
_RELOADED = frozenset({"pg_hba", "pg_ident", "synchronous"})


def _get(document: Mapping[str, Any] | None, *path: str) -> Any:
    value: Any = document
    for part in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def protected(document: Mapping[str, Any]) -> bool:
    """Whether Flux never prunes this object."""
    annotations = _get(document, "metadata", "annotations") or {}
    return bool(annotations.get(FLUX_PRUNE_ANNOTATION) == FLUX_PRUNE_DISABLED)


def _comparable(document: Mapping[str, Any]) -> dict[str, Any]:
    """A document without what does not change the object (the apiVersion's version)."""
    return {key: value for key, value in document.items() if key != "apiVersion"}


def classify(
    key: ObjectKey, old: Mapping[str, Any] | None, new: Mapping[str, Any] | None
) -> tuple[Change, list[Refusal]]:
    if old is None and new is not None:
        if key.kind == "Cluster" and key.group == "postgresql.cnpg.io":
            if _get(new, "spec", "bootstrap", "recovery"):
                return Change(key, "create", "created from a backup", _recovery_details(new)), []
            return Change(
                key, "create", "new empty cluster", ("CNPG creates the cluster (initdb)",)
            ), []
        return Change(key, "create", "in place", ("created",)), []
    if new is None and old is not None:
        if protected(old):
            detail = "removed from the tree; Flux leaves it in place (prune disabled), unmanaged"
        elif _is(key, POOLER):
            detail = (
                f"removed from the tree; Flux deletes it, and CNPG its Service: clients "
                f"connecting through {key.name} lose their endpoint"
            )
        else:
            detail = "removed from the tree; Flux deletes it"
        return Change(key, "delete", "deletion", (detail,)), []
    assert old is not None
    assert new is not None
    if _comparable(old) == _comparable(new):
        return Change(key, "unchanged", "nothing"), []
    if key.kind == "Cluster" and key.group == "postgresql.cnpg.io":
        return _cluster(key, old, new)
    if key.kind == "Database" and key.group == "postgresql.cnpg.io":
        return Change(key, "update", "in place", tuple(_database_details(old, new))), []
    if _is(key, POOLER):
        return _pooler(key, old, new)
    if _is(key, CERTIFICATE):
        return _certificate(key, old, new), []
    if _is(key, HELM_RELEASE):
        return Change(key, "update", "in place", ("updated", *_chart_source_move(old, new))), []
    if _is(key, OBJECT_STORE):
        switch = _store_credentials(
            _get(old, "spec", "configuration"), _get(new, "spec", "configuration")
        )
        return Change(key, "update", "in place", ("updated", *switch)), []
    refusals = []
    if key.kind == "ScheduledBackup" and _get(old, "spec", "cluster") != _get(
        new, "spec", "cluster"
    ):
        refusals.append(
            Refusal(
                "scheduled_backup_name",
                f"ScheduledBackup {key.namespace}/{key.name} would move to another cluster, "
                "but its spec.cluster is immutable, so Flux's apply of the whole layer fails",
                "Give the new cluster's ScheduledBackup a new name (leave "
                "scheduled_backup_name unset: it derives from cluster_name)",
                overridable=False,
            )
        )
    return Change(key, "update", "in place", ("updated",)), refusals


def _cluster(
    key: ObjectKey, old: Mapping[str, Any], new: Mapping[str, Any]
) -> tuple[Change, list[Refusal]]:
    old_spec: Mapping[str, Any] = _get(old, "spec") or {}
    new_spec: Mapping[str, Any] = _get(new, "spec") or {}
    changed = sorted(k for k in set(old_spec) | set(new_spec) if old_spec.get(k) != new_spec.get(k))
    effects: list[Effect] = []
    details: list[str] = []
    refusals: list[Refusal] = []
    where = f"Cluster {key.namespace}/{key.name}"
    switchover = new_spec.get("primaryUpdateMethod", "restart") == "switchover"
    supervised = new_spec.get("primaryUpdateStrategy", "unsupervised") == "supervised"

    for field in changed:
        before, after = old_spec.get(field), new_spec.get(field)
        if field == "instances":
            effects.append("in place")
            details.append(f"instances {before} -> {after}")
        elif field in {"storage", "walStorage"} and before is not None and after is not None:
            effect, detail, refusal = _storage(field, before, after, where)
            effects.append(effect)
            details.append(detail)
            refusals.extend(refusal)
        elif (
            found := _production_field(field, before, after, where, (switchover, supervised))
        ) is not None:
            effects.append(found[0])
            details.append(found[1])
            refusals.extend(found[2])
        elif field in {"bootstrap", "superuserSecret"}:
            found_effects, found_details, found_refusals = _bootstrap_or_secret(
                field, key.name, (old_spec, new_spec), where
            )
            effects.extend(found_effects)
            details.extend(found_details)
            refusals.extend(found_refusals)
        elif (found_in_place := _reconciled(field, before, after, key.name, where)) is not None:
            effects.append("in place")
            details.extend(found_in_place[0])
            refusals.extend(found_in_place[1])
        elif field == "externalClusters" and _recovery_source(old_spec) is not None:
            effects.append("ignored after bootstrap")
            details.append(
                "spec.externalClusters changed: the recovery source is read only when CNPG "
                "creates the cluster"
            )
            refusals.extend(_source_refusals(old_spec, new_spec, where))
        elif field in _ROLLING or (field == "plugins" and _plugin_names(before, after)):
            # A plugin added or removed adds or removes its sidecar in every pod; its
            # parameters alone are read at run time.
            effects.append("primary switchover" if switchover else "rolling restart")
            details.append(f"spec.{field} changed: {_rolling_words(switchover, supervised)}")
        else:
            effects.append("in place")
            details.append(f"spec.{field} changed")

    refusals.extend(
        _major_version(old_spec.get("imageName"), new_spec.get("imageName"), where, details)
    )
    if (
        switchover
        and old_spec.get("imageName") != new_spec.get("imageName")
        and _get(old_spec, "postgresql", "parameters") != _get(new_spec, "postgresql", "parameters")
    ):
        refusals.append(
            Refusal(
                "image_name",
                f"changing image_name and postgresql_parameters in one commit is refused by "
                f"CNPG's webhook while primary_update_method is switchover ({where}), and the "
                "refusal fails the whole cluster layer",
                "Change the image in one commit and the parameters in the next",
                overridable=False,
            )
        )
    details.extend(_archiver_move(old_spec, new_spec))
    details.extend(
        _store_credentials(
            _get(old_spec, "backup", "barmanObjectStore"),
            _get(new_spec, "backup", "barmanObjectStore"),
        )
    )
    if not changed:  # metadata only
        effects.append("in place")
        details.append("metadata changed")
    return Change(key, "update", worst(effects), tuple(details)), refusals


def _reconciled(
    field: str, before: Any, after: Any, cluster: str, where: str
) -> tuple[list[str], list[Refusal]] | None:
    """spec.certificates or spec.managed changed, which CNPG applies without touching
    the instances: the details and refusals; None for every other field."""
    if (
        field == "certificates"
        and all(isinstance(side or {}, Mapping) for side in (before, after))
        and _changed_keys(before, after) == ["serverAltDNSNames"]
    ):
        return [
            "spec.certificates.serverAltDNSNames changed: CNPG issues its server certificate "
            "again with the new names, and each instance reloads it, without a restart"
        ], []
    if field == "certificates":
        return [
            "spec.certificates changed: each instance manager reads the new Secrets and "
            "reloads PostgreSQL, without a restart (PgBouncer reloads them too)"
        ], []
    if field != "managed":
        return None
    roles = ["spec.managed.roles changed"] if _get(before, "roles") != _get(after, "roles") else []
    details, refusals = services_change(cluster, before, after, where)
    return roles + details, refusals


def _bootstrap_or_secret(
    field: str, cluster: str, specs: tuple[Mapping[str, Any], Mapping[str, Any]], where: str
) -> tuple[list[Effect], list[str], list[Refusal]]:
    """spec.bootstrap (read once, but for its secret) or spec.superuserSecret changed."""
    old_spec, new_spec = specs
    effects: list[Effect] = []
    details: list[str] = []
    refusals: list[Refusal] = []
    before, after = old_spec.get(field), new_spec.get(field)
    once = field == "bootstrap" and _without_secrets(before) != _without_secrets(after)
    if once:
        effects.append("ignored after bootstrap")
        details.append("spec.bootstrap changed: CNPG reads it only when it creates the cluster")
        refusals.extend(_bootstrap(before, after, where))
    credentials = _APP if field == "bootstrap" else _SUPERUSER
    switch = _credentials_switch(credentials, cluster, old_spec, new_spec, where)
    if switch is not None:
        effects.append("in place")
        details.append(switch[0])
        refusals.extend(switch[1])
    elif not once:
        effects.append("in place")
        details.append(
            "spec.bootstrap's secret changed" if field == "bootstrap" else f"spec.{field} changed"
        )
    return effects, details, refusals


def _production_field(
    field: str, before: Any, after: Any, where: str, how: tuple[bool, bool]
) -> tuple[Effect, str, list[Refusal]] | None:
    """A WAL volume added or removed, a reload-only change of spec.postgresql, or a
    field CNPG applies to new pods only; None for every other field."""
    if field == "walStorage":
        return _wal_volume(before, where, *how)
    if field == "postgresql" and _reload_only(before, after):
        changed = ", ".join(_changed_keys(before, after))
        return "in place", f"spec.postgresql {changed} changed: CNPG reloads the configuration", []
    if field in _NEXT_PODS:
        return (
            "in place",
            f"spec.{field} changed: applies to instance pods created from now on (CNPG does "
            "not restart the running ones for it)",
            [],
        )
    return None


def _wal_volume(
    before: Any, where: str, switchover: bool, supervised: bool
) -> tuple[Effect, str, list[Refusal]]:
    """A WAL volume added (CNPG creates the volumes and rolls the instances, which move
    pg_wal onto them as they start) or removed (CNPG's webhook refuses it)."""
    if before is None:
        return (
            "primary switchover" if switchover else "rolling restart",
            "spec.walStorage added: CNPG creates a WAL volume for each instance and restarts "
            "it, moving pg_wal there; " + _rolling_words(switchover, supervised),
            [],
        )
    refusal = Refusal(
        "wal_storage_size",
        f"unsetting it removes spec.walStorage of {where}; CNPG's webhook refuses it (a WAL "
        "volume cannot be removed once configured), and the refusal fails the whole cluster "
        "layer",
        f"Keep wal_storage_size at '{_get(before, 'size')}' or more",
        overridable=False,
    )
    return "in place", "spec.walStorage removed", [refusal]


def _changed_keys(before: Any, after: Any) -> list[str]:
    old, new = before or {}, after or {}
    return sorted(key for key in set(old) | set(new) if old.get(key) != new.get(key))


def _reload_only(before: Any, after: Any) -> bool:
    """Whether only the parts of spec.postgresql that CNPG reloads changed."""
    if not isinstance(before or {}, Mapping) or not isinstance(after or {}, Mapping):
        return False
    changed = _changed_keys(before, after)
    return bool(changed) and set(changed) <= _RELOADED


def _versions(spec: Any) -> dict[str, Any]:
    return {
        str(item.get("name")): item.get("version")
        for item in (_get(spec, "extensions") or [])
        if isinstance(item, Mapping)
    }


def _database_details(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """What CNPG runs for a changed Database: it never recreates the database."""
    old_spec, new_spec = _get(old, "spec") or {}, _get(new, "spec") or {}
    details = []
    if old_spec.get("owner") != new_spec.get("owner"):
        details.append(
            f"owner {old_spec.get('owner')} -> {new_spec.get('owner')}: CNPG runs ALTER "
            "DATABASE ... OWNER TO (the old owner's role stays)"
        )
    before, after = _versions(old_spec), _versions(new_spec)
    for name in sorted(set(before) | set(after)):
        if name not in after:
            details.append(f"extension {name} no longer kept (CNPG leaves it installed)")
        elif name not in before:
            details.append(f"extension {name} added: CNPG runs CREATE EXTENSION")
        elif before[name] != after[name] and after[name] is not None:
            details.append(
                f"extension {name} {before[name] or 'as installed'} -> {after[name]}: CNPG runs "
                f"ALTER EXTENSION {name} UPDATE TO '{after[name]}' (once the primary runs an "
                "image that has it)"
            )
    others = sorted(
        key
        for key in set(old_spec) | set(new_spec)
        if key not in {"owner", "extensions"} and old_spec.get(key) != new_spec.get(key)
    )
    details.extend(f"spec.{key} changed" for key in others)
    return details or ["metadata changed"]


def postgres_major(image: Any) -> int | None:
    """The PostgreSQL major version an image's tag names (16 for `...:16.14-3.6.4-...`
    or `...:16-3.6-system-trixie`), None when the tag does not say."""
    if not isinstance(image, str):
        return None
    tag = image.split("@", 1)[0].rpartition("/")[2].partition(":")[2]
    digits = ""
    for char in tag:
        if not char.isdigit():
            break
        digits += char
    return int(digits) if digits else None


def _major_version(old: Any, new: Any, where: str, details: list[str]) -> list[Refusal]:
    """A lower major version is refused by CNPG once it has recorded the data's; a higher
    one is CNPG's offline in-place major upgrade (pg_upgrade), with downtime."""
    before, after = postgres_major(old), postgres_major(new)
    if before is None or after is None or before == after:
        return []
    if after > before and after < 16:
        return [
            Refusal(
                "image_name",
                f"PostgreSQL {before} -> {after}: CNPG's webhook refuses major upgrades to "
                f"versions below 16 ({where})",
                "Upgrade to PostgreSQL 16 or newer",
                overridable=False,
            )
        ]
    if after > before:
        details.append(
            f"PostgreSQL {before} -> {after}: CNPG upgrades the data in place with pg_upgrade, "
            "stopping the cluster meanwhile; take a backup first, and give backups a new "
            "server name"
        )
        return []
    return [
        Refusal(
            "image_name",
            f"PostgreSQL {before} -> {after} would downgrade {where}; CNPG's webhook refuses "
            "an image of a lower major version than the data's",
            f"Keep a PostgreSQL {before} (or newer) image; to go back, restore a backup into a "
            "new cluster",
            overridable=False,
        )
    ]


def _plugin_names(before: Any, after: Any) -> bool:
    """Whether the set of plugins changes (not only their parameters)."""

    def names(plugins: Any) -> set[str]:
        return {
            str(p.get("name"))
            for p in plugins or []
            if isinstance(p, Mapping) and p.get("enabled", True)
        }

    return names(before) != names(after)


def _wal_archiver(spec: Mapping[str, Any]) -> tuple[str, str] | None:
    """('in-tree', server) or ('plugin', server) of the Barman Cloud that archives WAL."""
    store = _get(spec, "backup", "barmanObjectStore")
    if isinstance(store, Mapping):
        return "in-tree", str(store.get("serverName") or "")
    for plugin in spec.get("plugins") or []:
        if (
            isinstance(plugin, Mapping)
            and plugin.get("name") == BARMAN_CLOUD_PLUGIN
            and plugin.get("isWALArchiver")
        ):
            return "plugin", str(_get(plugin, "parameters", "serverName") or "")
    return None


def _archiver_move(old_spec: Mapping[str, Any], new_spec: Mapping[str, Any]) -> list[str]:
    """The move between in-tree Barman Cloud and the plugin, which upstream requires in
    one atomic change of the Cluster (plugin-barman-cloud docs/migration.md)."""
    before, after = _wal_archiver(old_spec), _wal_archiver(new_spec)
    if before is None or after is None or before[0] == after[0]:
        return []
    server = (
        f"the server name stays '{after[1]}'"
        if before[1] in (after[1], "")
        else f"the server name changes '{before[1]}' -> '{after[1]}'"
    )
    if after[0] == "plugin":
        return [
            "migration to the Barman Cloud plugin, in this one change of the Cluster as "
            "upstream requires: spec.backup.barmanObjectStore goes and spec.plugins archives WAL "
            f"through the plugin's ObjectStore; {server}; the plugin's HelmRelease comes with "
            "the operator layer, which the cluster layer waits for"
        ]
    return [
        "back to in-tree Barman Cloud (removed in CNPG 1.31), in this one change of the "
        f"Cluster: spec.plugins stops archiving WAL and spec.backup.barmanObjectStore starts; "
        f"{server}"
    ]


_ROLE_WORDS = "the IAM role of the instance pods (inheritFromIAMRole)"


def _store_source(store: Any) -> str | None:
    """Where an object store's S3 credentials come from, in words (_ROLE_WORDS for the
    pods' IAM role); None without a store."""
    credentials = _get(store, "s3Credentials")
    if not isinstance(credentials, Mapping):
        return None
    if credentials.get("inheritFromIAMRole") is True:
        return _ROLE_WORDS
    return f"Secret {_get(credentials, 'accessKeyId', 'name')}"


def _store_credentials(before: Any, after: Any) -> list[str]:
    """A switch to or from the IAM role of the pods in an object store that stays:
    barman-cloud takes the new credentials from its next run. Nothing is deleted (the
    Secret or ExternalSecret that held the keys is never pruned), but only pods
    created once their ServiceAccount has the role have it."""
    old, new = _store_source(before), _store_source(after)
    if old is None or new is None or old == new or _ROLE_WORDS not in (old, new):
        return []
    if new == _ROLE_WORDS:
        return [
            f"s3Credentials: {old} -> {new}: barman-cloud uses the role from its next run, "
            "but only instance pods created since their ServiceAccount got the role have it "
            f"(restart the instances if the role is new); {old} stays"
        ]
    return [f"s3Credentials: {old} -> {new}: barman-cloud reads the keys from its next run"]


def source_input(field: str, before: Any, after: Any) -> str:
    """The input a changed field of a recovery source renders: its credentials are the
    IAM role's input when the role is on either side."""
    if field == "s3Credentials" and any(
        isinstance(value, Mapping) and value.get("inheritFromIAMRole") is True
        for value in (before, after)
    ):
        return "recovery_source_inherit_from_iam_role"
    return BOOTSTRAP_INPUTS.get(f"source.{field}", "recovery_enabled")


def _recovery_source(spec: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The externalClusters entry that spec.bootstrap.recovery.source names."""
    name = _get(spec, "bootstrap", "recovery", "source")
    if not name:
        return None
    for entry in spec.get("externalClusters") or []:
        if isinstance(entry, Mapping) and entry.get("name") == name:
            return entry
    return None


def _source_fields(entry: Mapping[str, Any] | None) -> dict[str, Any]:
    """The recovery source's settings, keyed like BOOTSTRAP_INPUTS' `source.` entries."""
    if entry is None:
        return {}
    store = entry.get("barmanObjectStore")
    if isinstance(store, Mapping):
        fields = {key: store.get(key) for key in ("destinationPath", "endpointURL", "serverName")}
        fields["s3Credentials"] = store.get("s3Credentials")
        return {"method": "in-tree", **fields}
    parameters = _get(entry, "plugin", "parameters") or {}
    return {
        "method": "plugin",
        "barmanObjectName": parameters.get("barmanObjectName"),
        "serverName": parameters.get("serverName"),
    }


def _source_refusals(
    old_spec: Mapping[str, Any], new_spec: Mapping[str, Any], where: str
) -> list[Refusal]:
    """What changed in the source's own settings. A change of backup_method changes how
    the source is spelled (in-tree, or the plugin and its ObjectStore), not what it is:
    only the fields both spellings have are compared then."""
    before = _source_fields(_recovery_source(old_spec))
    after = _source_fields(_recovery_source(new_spec))
    fields = (set(before) & set(after)) - {"method", "barmanObjectName"}
    names = sorted(
        {
            source_input(field, before.get(field), after.get(field))
            for field in fields
            if before.get(field) != after.get(field)
        }
    )
    return [source_refusal(name, where) for name in names]


def source_refusal(name: str, where: str) -> Refusal:
    return Refusal(
        name,
        f"changing it changes the recovery source of {where}, which CNPG reads only when it "
        "creates the cluster: the running cluster ignores it, and the outputs would describe "
        "a recovery that did not happen",
        f"Keep {name} as it was when the cluster was created; to recover another backup, "
        "create a new cluster (another cluster_name) from it",
    )


def _recovery_details(cluster: Mapping[str, Any]) -> tuple[str, ...]:
    spec: Mapping[str, Any] = _get(cluster, "spec") or {}
    source = _source_fields(_recovery_source(spec))
    server = source.get("serverName") or "?"
    where = source.get("destinationPath") or f"ObjectStore {source.get('barmanObjectName')}"
    target = _get(spec, "bootstrap", "recovery", "recoveryTarget") or {}
    stop = ", ".join(
        f"{field} {value}" for field, value in sorted(target.items()) if field != "backupID"
    )
    backup = target.get("backupID")
    return (
        f"CNPG creates the cluster from a backup (recovery) of server '{server}' in {where}"
        + (f", base backup {backup}" if backup else "")
        + (f", stopping at {stop}" if stop else ", replaying all the WAL there is"),
    )


def _rolling_words(switchover: bool, supervised: bool) -> str:
    words = "each replica restarts, then the primary " + (
        "switches over to an updated replica" if switchover else "restarts in place"
    )
    if supervised:
        words += " (supervised: CNPG waits for you to switch the primary over)"
    return words


def _storage(field: str, before: Any, after: Any, where: str) -> tuple[Effect, str, list[Refusal]]:
    size_before, size_after = _get(before, "size"), _get(after, "size")
    if size_before != size_after and isinstance(size_before, str) and isinstance(size_after, str):
        old_amount, new_amount = parse_quantity(size_before), parse_quantity(size_after)
        if old_amount is not None and new_amount is not None and new_amount < old_amount:
            name = "storage_size" if field == "storage" else "wal_storage_size"
            refusal = Refusal(
                name,
                f"'{size_before}' -> '{size_after}' shrinks the volumes of {where}; CNPG's "
                "webhook refuses it (volumes can grow, never shrink)",
                f"Keep {name} at '{size_before}' or more",
                overridable=False,
            )
            return "volume expansion", f"spec.{field}.size {size_before} -> {size_after}", [refusal]
        return "volume expansion", f"spec.{field}.size {size_before} -> {size_after}", []
    return "in place", f"spec.{field} changed (applies to volumes created from now on)", []


def _leaves(value: Any, prefix: str = "") -> dict[str, Any]:
    """A nested mapping as {dotted.path: value}; `secret` counts as one value."""
    if not isinstance(value, Mapping) or prefix.endswith("secret"):
        return {prefix: value} if prefix else {}
    leaves: dict[str, Any] = {}
    for key, item in value.items():
        leaves.update(_leaves(item, f"{prefix}.{key}" if prefix else str(key)))
    return leaves


def _bootstrap(before: Any, after: Any, where: str) -> list[Refusal]:
    old_method = "recovery" if _get(before, "recovery") else "initdb"
    new_method = "recovery" if _get(after, "recovery") else "initdb"
    if old_method != new_method:
        return [
            Refusal(
                "recovery_enabled",
                f"switching spec.bootstrap from {old_method} to {new_method} on {where}, which "
                "CNPG reads only when it creates the cluster: the running cluster ignores it, "
                "and the outputs would describe a bootstrap that did not happen",
                "Keep recovery_enabled as it was when the cluster was created; to recover a "
                "backup, create a new cluster (another cluster_name) from it",
            )
        ]
    if new_method == "recovery":
        return _recovery_bootstrap(before, after, where)
    return _initdb_bootstrap(before, after, where)


def _recovery_bootstrap(before: Any, after: Any, where: str) -> list[Refusal]:
    old, new = _leaves(_get(before, "recovery")), _leaves(_get(after, "recovery"))
    refusals: list[Refusal] = []
    named: set[str] = set()
    for path in sorted(set(old) | set(new)):
        old_value, new_value = old.get(path), new.get(path)
        if old_value == new_value or path == "secret":
            continue
        name = BOOTSTRAP_INPUTS.get(f"recovery.{path}", "bootstrap")
        if name in named:
            continue
        named.add(name)
        if isinstance(old_value, str) and isinstance(new_value, str):
            change = f"'{old_value}' -> '{new_value}'"
        else:
            change = "changing it"
        refusals.append(
            Refusal(
                name,
                f"{change} changes spec.bootstrap.recovery.{path} of {where}, which CNPG reads "
                "only when it creates the cluster: the running cluster ignores it, and the "
                "outputs would describe a recovery that did not happen",
                f"Keep {name} as it was when the cluster was created; to recover another "
                "backup, create a new cluster (another cluster_name) from it",
            )
        )
    return refusals or [_bootstrap_refusal(where)]


def _bootstrap_refusal(where: str) -> Refusal:
    return Refusal(
        "bootstrap",
        f"spec.bootstrap of {where} changed; CNPG reads it only when it creates the "
        "cluster, so the running cluster ignores it",
        "Keep the bootstrap inputs as they were when the cluster was created",
    )


def _initdb_bootstrap(before: Any, after: Any, where: str) -> list[Refusal]:
    old_initdb = _get(before, "initdb") or {}
    new_initdb = _get(after, "initdb") or {}
    refusals = []
    named: set[str] = set()
    for field in sorted(set(old_initdb) | set(new_initdb)):
        old_value, new_value = old_initdb.get(field), new_initdb.get(field)
        if old_value == new_value or field == "secret":
            continue
        name = BOOTSTRAP_INPUTS.get(field, "bootstrap")
        if name in named:
            continue
        named.add(name)
        if isinstance(old_value, str) and isinstance(new_value, str):
            change = f"'{old_value}' -> '{new_value}'"
            keep = f"Keep {name} '{old_value}'"
        else:
            change = "changing it"
            keep = f"Keep {name} as it was when the cluster was created"
        refusals.append(
            Refusal(
                name,
                f"{change} changes spec.bootstrap.initdb.{field} of {where}, which CNPG reads "
                "only when it creates the cluster: the running cluster ignores it, and the "
                "outputs would describe a database that does not exist",
                f"{keep}; add databases, roles and extensions to a running cluster with "
                "Database resources and managed roles",
            )
        )
    return refusals or [_bootstrap_refusal(where)]


# The bootstrap methods in the order CNPG looks for the application database's owner
# and its Secret (GetApplicationDatabaseOwner, GetApplicationSecretName).
_BOOTSTRAP_METHODS = ("recovery", "pg_basebackup", "initdb")


def _without_secrets(bootstrap: Any) -> Any:
    """spec.bootstrap without each method's `secret`, which CNPG reads for the cluster's
    whole life: what is left is read only when CNPG creates the cluster."""
    if not isinstance(bootstrap, Mapping):
        return bootstrap
    return {
        method: (
            {key: value for key, value in settings.items() if key != "secret"}
            if isinstance(settings, Mapping)
            else settings
        )
        for method, settings in bootstrap.items()
    }


@dataclass(frozen=True)
class _Secret:
    """The Secret CNPG sets a user's password from, and the field that names it."""

    name: str
    field: str
    generated: bool  # CNPG's own `<cluster>-app` or `<cluster>-superuser`, no field set

    def words(self) -> str:
        return f"CloudNativePG's generated {self.name}" if self.generated else self.name


def _app_secret(cluster: str, spec: Mapping[str, Any]) -> _Secret | None:
    """The application owner's Secret as CNPG names it for the cluster's whole life
    (api/v1/cluster_funcs.go GetApplicationSecretName: the first of recovery,
    pg_basebackup and initdb that names one, else `<cluster>-app`); None when no method
    creates the application database (an owner and a database), so that CNPG sets no
    owner's password (refreshCredentialsFromSecret)."""
    bootstrap = _get(spec, "bootstrap") or {}
    methods = [m for m in _BOOTSTRAP_METHODS if isinstance(bootstrap.get(m), Mapping)]
    if not any(bootstrap[m].get("owner") and bootstrap[m].get("database") for m in methods):
        return None
    for method in methods:
        name = _get(bootstrap, method, "secret", "name")
        if name:
            return _Secret(str(name), f"spec.bootstrap.{method}.secret", False)
    return _Secret(f"{cluster}-app", f"spec.bootstrap.{methods[0]}.secret", True)


def _app_owner(spec: Mapping[str, Any]) -> str:
    bootstrap = _get(spec, "bootstrap") or {}
    for method in _BOOTSTRAP_METHODS:
        owner = _get(bootstrap, method, "owner")
        if owner:
            return str(owner)
    return "the owner"


def _superuser_secret(cluster: str, spec: Mapping[str, Any]) -> _Secret | None:
    """The postgres superuser's Secret as CNPG names it (GetSuperuserSecretName:
    spec.superuserSecret, else `<cluster>-superuser`); None while superuser access is
    off, when CNPG disables the password instead (reconcileSuperuserPassword)."""
    if spec.get("enableSuperuserAccess") is not True:
        return None
    name = _get(spec, "superuserSecret", "name")
    if name:
        return _Secret(str(name), "spec.superuserSecret", False)
    return _Secret(f"{cluster}-superuser", "spec.superuserSecret", True)


@dataclass(frozen=True)
class _Credentials:
    """Whose password a Secret of the Cluster sets, and the inputs that name it."""

    role: str  # "the application owner", "the superuser"
    secret: Callable[[str, Mapping[str, Any]], _Secret | None]
    user: Callable[[Mapping[str, Any]], str]
    name_input: str
    vault_input: str


_APP = _Credentials(
    "the application owner",
    _app_secret,
    _app_owner,
    "app_credentials_secret_name",
    "app_credentials_vault_path",
)
_SUPERUSER = _Credentials(
    "the superuser",
    _superuser_secret,
    lambda spec: "postgres",
    "superuser_credentials_secret_name",
    "superuser_credentials_vault_path",
)


def _credentials_switch(
    credentials: _Credentials,
    cluster: str,
    old_spec: Mapping[str, Any],
    new_spec: Mapping[str, Any],
    where: str,
) -> tuple[str, list[Refusal]] | None:
    """Another Secret for a user's password on a running cluster: the row's detail and
    the refusal; None when the Secret CNPG reads stays the same.

    CNPG reads these Secrets for the cluster's whole life, not only at bootstrap: the
    primary's instance manager sets the user's password from the Secret the Cluster
    names whenever that Secret (its name or its resourceVersion) changes
    (internal/management/controller/instance_controller.go refreshCredentialsFromSecret,
    reconcileUser), and the operator generates `<cluster>-app` or `<cluster>-superuser`
    only while no Secret is named, never rewriting the password of one that exists
    (internal/controller/cluster_create.go reconcileAppUserSecret,
    reconcileSuperuserSecret, createOrPatchClusterCredentialSecret). No value is read or
    shown here: only the Secrets' names."""
    before = credentials.secret(cluster, old_spec)
    after = credentials.secret(cluster, new_spec)
    if before is None or after is None or before.name == after.name:
        return None
    user = credentials.user(new_spec)
    field = f"{before.field} unset" if after.generated else after.field
    detail = (
        f"{field}: {before.words()} -> {after.words()}: the primary sets the password of "
        f"{user} from the new Secret"
    )
    if after.generated:
        sets = (
            f"CNPG creates {after.name} with a random password unless it exists (one left from "
            f"before keeps its old password), and the primary sets the password of {user} from it"
        )
    else:
        sets = f"once {after.name} exists, the primary sets the password of {user} from it"
    consequence = (
        f"{credentials.role} {user} of {where} would take its password from {after.words()} "
        f"instead of {before.words()} ({field}), which CNPG reads for the cluster's whole "
        f"life: {sets}; {before.name} stays, but nothing sets the password of {user} from it "
        "any more, so clients that still read it fail to log in (from their next connection) "
        "unless both Secrets hold the same password"
    )
    if after.generated:
        name = "eso_enabled"
        recipe = (
            f"Keep {name} as it was; to switch without locking clients out, first put the "
            f"password {before.name} holds into {after.name} (kubernetes.io/basic-auth, "
            f"username {user}: CNPG never rewrites the password of a Secret that exists), then "
            f"switch and move the clients to {after.name}"
        )
    elif before.generated:
        name = "eso_enabled"
        recipe = (
            f"Keep {name} as it was; to switch without locking clients out, first store the "
            f"password {before.name} holds in Vault ({credentials.vault_input}), then switch "
            f"and move the clients to {after.name}"
        )
    else:
        name = credentials.name_input
        recipe = (
            f"Keep {name} '{before.name}'; to switch without locking clients out, first give "
            f"{after.name} the password {before.name} holds (with ESO, the same Vault path), "
            f"then switch and move the clients to {after.name}"
        )
    return detail, [Refusal(name, consequence, recipe)]


def _chart_source_namespace(release: Mapping[str, Any]) -> Any:
    return _get(release, "spec", "chart", "spec", "sourceRef", "namespace") or _get(
        release, "spec", "chartRef", "namespace"
    )


def _chart_source_move(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """A HelmRelease reading its chart from another namespace: helm-controller deletes
    the HelmChart it made beside the old source and makes one beside the new, each
    of which --no-cross-namespace-refs refuses when it is not the release's own
    namespace (helmchart_template.go): the flag goes on only after a move into the
    release's namespace, and off before a move out of it."""
    before, after = _chart_source_namespace(old), _chart_source_namespace(new)
    if before == after:
        return []
    move = (
        f"its chart source moves from namespace {before} to {after}: helm-controller "
        f"deletes the HelmChart it made in {before} and makes one in {after}, without "
        "upgrading the release; "
    )
    if after == _get(new, "metadata", "namespace"):
        return [
            move + "run Flux with --no-cross-namespace-refs only once it has applied this "
            "(with the flag on, that deletion is refused)"
        ]
    return [
        move + "Flux must run without --no-cross-namespace-refs before this is applied "
        "(with the flag on, the new source is refused)"
    ]


def _is(key: ObjectKey, kind: Kind) -> bool:
    return key.kind == kind.kind and key.group == kind.api_version.rpartition("/")[0]


def _changed_fields(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    old_spec: Mapping[str, Any] = _get(old, "spec") or {}
    new_spec: Mapping[str, Any] = _get(new, "spec") or {}
    return sorted(k for k in set(old_spec) | set(new_spec) if old_spec.get(k) != new_spec.get(k))


def _pooler(
    key: ObjectKey, old: Mapping[str, Any], new: Mapping[str, Any]
) -> tuple[Change, list[Refusal]]:
    """What CNPG's pooler controller does (CNPG 1.30, internal/controller/pooler_update.go
    and internal/pgbouncer/management): it scales the Deployment, PgBouncer reloads its
    configuration in place, a changed pod template replaces the pods one by one, and
    the Service is patched."""
    effects: list[Effect] = []
    details: list[str] = []
    refusals: list[Refusal] = []
    for field in _changed_fields(old, new):
        before, after = _get(old, "spec", field), _get(new, "spec", field)
        if field == "instances":
            effects.append("in place")
            details.append(f"PgBouncer pods {before} -> {after}")
        elif field == "pgbouncer":
            effects.append("in place")
            details.append(
                "spec.pgbouncer changed: PgBouncer reloads its configuration, no pod restarts "
                "(a new pool mode applies to new server connections)"
            )
            details.extend(_pgbouncer_read_at_start(before, after))
        elif field == "template":
            effects.append("rolling restart")
            details.append(
                "spec.template changed: the PgBouncer pods are replaced one at a time; clients "
                "connected through a replaced pod must reconnect"
            )
        elif field == "serviceTemplate":
            effects.append("in place")
            read_only = _get(new, "spec", "type") == "ro"
            where = f"{key.namespace}/{key.name}"
            found = pooler_service_change(key.name, read_only, before, after, where)
            details.extend(found[0])
            refusals.extend(found[1])
        else:
            effects.append("in place")
            details.append(f"spec.{field} changed")
    if not details:
        effects.append("in place")
        details.append("metadata changed")
    return Change(key, "update", worst(effects), tuple(details)), refusals


def _pgbouncer_read_at_start(before: Any, after: Any) -> list[str]:
    """Settings PgBouncer reads only when it starts: the reload leaves them as they were."""
    old, new = _get(before, "parameters"), _get(after, "parameters")
    old = old if isinstance(old, Mapping) else {}
    new = new if isinstance(new, Mapping) else {}
    return [
        f"{name} changed: PgBouncer reads it only when it starts, so it applies once the "
        "PgBouncer pods are replaced (a change of spec.template, or a rollout of the "
        "Deployment)"
        for name in sorted(READ_AT_START)
        if old.get(name) != new.get(name)
    ]


def _certificate(key: ObjectKey, old: Mapping[str, Any], new: Mapping[str, Any]) -> Change:
    """cert-manager issues a new certificate into the same Secret; CNPG reloads it."""
    details = [
        f"spec.{field} changed" for field in _changed_fields(old, new) if field != "issuerRef"
    ]
    if _get(old, "spec", "issuerRef") != _get(new, "spec", "issuerRef"):
        details.append(
            "spec.issuerRef changed: clients that verify the server with the old issuer's CA "
            "fail until they trust the new one"
        )
    secret = _get(new, "spec", "secretName")
    details.append(
        f"cert-manager issues a new certificate into Secret {secret}; the instances and "
        "PgBouncer reload it without a restart"
    )
    return Change(key, "update", "in place", tuple(details))
