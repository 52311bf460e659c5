"""Classify one object's change by what Flux and CloudNativePG will do with it, and
refuse what CNPG ignores or rejects.

The rules read the documents, not the inputs, so they judge a checkout written by an
earlier version of the tool, or live objects, the same way. Where a refusal names an
input, `BOOTSTRAP_INPUTS` maps the field back to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..constants import FLUX_PRUNE_ANNOTATION, FLUX_PRUNE_DISABLED
from ..fluxgraph import ObjectKey
from ..inputs.quantity import parse_quantity
from ..kinds import CERTIFICATE, POOLER, Kind
from .model import Change, Effect, Refusal, worst

# spec.bootstrap.initdb fields -> the input that renders them.
BOOTSTRAP_INPUTS: Mapping[str, str] = {
    "database": "database_name",
    "owner": "database_owner",
    "postInitTemplateSQL": "postgis_extensions",
    "postInitApplicationSQL": "postgis_extensions",
    "secret": "app_credentials_secret_name",
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
        "imagePullSecrets",
        "postgresql",
        "priorityClassName",
        "resources",
        "schedulerName",
        "seccompProfile",
        "serviceAccountTemplate",
        "topologySpreadConstraints",
    }
)


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
            how = "recovery" if _get(new, "spec", "bootstrap", "recovery") else "initdb"
            effect: Effect = "new empty cluster"
            detail = (
                f"CNPG creates the cluster ({how})"
                if how == "initdb"
                else "CNPG creates the cluster from a backup (recovery)"
            )
            return Change(key, "create", effect, (detail,)), []
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
    if _is(key, POOLER):
        return _pooler(key, old, new), []
    if _is(key, CERTIFICATE):
        return _certificate(key, old, new), []
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
        elif field in {"storage", "walStorage"}:
            effect, detail, refusal = _storage(field, before, after, where)
            effects.append(effect)
            details.append(detail)
            refusals.extend(refusal)
        elif field == "bootstrap":
            effects.append("ignored after bootstrap")
            details.append("spec.bootstrap changed: CNPG reads it only when it creates the cluster")
            refusals.extend(_bootstrap(before, after, where))
        elif field == "certificates":
            effects.append("in place")
            details.append(
                "spec.certificates changed: each instance manager reads the new Secrets and "
                "reloads PostgreSQL, without a restart (PgBouncer reloads them too)"
            )
        elif field in _ROLLING:
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
    if not changed:  # metadata only
        effects.append("in place")
        details.append("metadata changed")
    return Change(key, "update", worst(effects), tuple(details)), refusals


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


def _bootstrap(before: Any, after: Any, where: str) -> list[Refusal]:
    old_initdb = _get(before, "initdb") or {}
    new_initdb = _get(after, "initdb") or {}
    refusals = []
    named: set[str] = set()
    for field in sorted(set(old_initdb) | set(new_initdb)):
        old_value, new_value = old_initdb.get(field), new_initdb.get(field)
        if old_value == new_value:
            continue
        name = BOOTSTRAP_INPUTS.get(field, "bootstrap")
        if name in named:
            continue
        named.add(name)
        if isinstance(old_value, str) and isinstance(new_value, str):
            change = f"'{old_value}' -> '{new_value}'"
            keep = f"Keep {name} '{old_value}'"
        elif field == "secret":
            change = f"'{_get(old_value, 'name')}' -> '{_get(new_value, 'name')}'"
            keep = f"Keep {name} '{_get(old_value, 'name')}' (and eso_enabled as it was)"
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
    if not refusals:
        refusals.append(
            Refusal(
                "bootstrap",
                f"spec.bootstrap of {where} changed; CNPG reads it only when it creates the "
                "cluster, so the running cluster ignores it",
                "Keep the bootstrap inputs as they were when the cluster was created",
            )
        )
    return refusals


def _is(key: ObjectKey, kind: Kind) -> bool:
    return key.kind == kind.kind and key.group == kind.api_version.rpartition("/")[0]


def _changed_fields(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    old_spec: Mapping[str, Any] = _get(old, "spec") or {}
    new_spec: Mapping[str, Any] = _get(new, "spec") or {}
    return sorted(k for k in set(old_spec) | set(new_spec) if old_spec.get(k) != new_spec.get(k))


def _pooler(key: ObjectKey, old: Mapping[str, Any], new: Mapping[str, Any]) -> Change:
    """What CNPG's pooler controller does (CNPG 1.30, internal/controller/pooler_update.go
    and internal/pgbouncer/management): it scales the Deployment, PgBouncer reloads its
    configuration in place, and a changed pod template replaces the pods one by one."""
    effects: list[Effect] = []
    details: list[str] = []
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
        elif field == "template":
            effects.append("rolling restart")
            details.append(
                "spec.template changed: the PgBouncer pods are replaced one at a time; clients "
                "connected through a replaced pod must reconnect"
            )
        else:
            effects.append("in place")
            details.append(f"spec.{field} changed")
    if not details:
        effects.append("in place")
        details.append("metadata changed")
    return Change(key, "update", worst(effects), tuple(details))


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
