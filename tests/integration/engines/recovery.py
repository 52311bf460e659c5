"""A rendered recovery bootstrap, read the way CNPG reads it for a new cluster.

`spec.bootstrap.recovery.source` names an `externalClusters` entry: in-tree
(`barmanObjectStore`, with its `serverName`) or the Barman Cloud plugin (`plugin`
with `barmanObjectName` naming an ObjectStore and `serverName`). The base backup is
`recoveryTarget.backupID`, or for a time or LSN target the latest one completed
before it, or else the latest (docs/src/recovery.md); the target becomes
`recovery_target_*` with `recovery_target_action = promote`. The source's
barman-cloud invocations come from `barmancloud`, like every other in the harness.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .barmancloud import PLUGIN, BarmanCloud, DerivationError, barman_cloud

# recoveryTarget field -> PostgreSQL setting (CNPG's pkg/management/postgres recovery).
TARGET_SETTINGS = {
    "targetTime": "recovery_target_time",
    "targetLSN": "recovery_target_lsn",
    "targetXID": "recovery_target_xid",
    "targetName": "recovery_target_name",
}


@dataclass(frozen=True)
class RecoverySource:
    bc: BarmanCloud
    backup_id: str | None
    target: dict[str, str]  # recovery_target_* settings


def _source_entry(cluster: Mapping[str, Any]) -> Mapping[str, Any]:
    spec = cluster["spec"]
    name = spec["bootstrap"]["recovery"]["source"]
    (entry,) = [e for e in spec.get("externalClusters") or [] if e.get("name") == name]
    return entry


def recovery_source(
    objects: Iterable[Mapping[str, Any]],
    *,
    vault: Mapping[str, Mapping[str, str]] | None = None,
    existing_secrets: Mapping[str, Mapping[str, str]] | None = None,
) -> RecoverySource:
    objects = list(objects)
    (cluster,) = [o for o in objects if o.get("kind") == "Cluster"]
    entry = _source_entry(cluster)
    # The source read as if it were a cluster archiving there: the same configuration,
    # so barmancloud derives the same invocations the instance manager (or the plugin's
    # recovery job) runs.
    as_archive = {"kind": "Cluster", "metadata": dict(cluster["metadata"]), "spec": {}}
    if "barmanObjectStore" in entry:
        as_archive["spec"] = {
            "backup": {"barmanObjectStore": entry["barmanObjectStore"]},
            "env": cluster["spec"].get("env") or [],
        }
    elif (entry.get("plugin") or {}).get("name") == PLUGIN:
        as_archive["spec"] = {
            "plugins": [{"name": PLUGIN, "isWALArchiver": True, **entry["plugin"]}]
        }
    else:
        raise DerivationError(f"external cluster {entry.get('name')} is not a Barman archive")
    others = [o for o in objects if o.get("kind") != "Cluster"]
    bc = barman_cloud([as_archive, *others], vault=vault, existing_secrets=existing_secrets)
    target = cluster["spec"]["bootstrap"]["recovery"].get("recoveryTarget") or {}
    settings = {TARGET_SETTINGS[k]: str(v) for k, v in target.items() if k in TARGET_SETTINGS}
    if "recovery_target_time" in settings:
        settings["recovery_target_time"] = postgres_time(settings["recovery_target_time"])
    if target.get("targetImmediate"):
        settings["recovery_target"] = "immediate"
    if settings:
        settings["recovery_target_action"] = "promote"
        settings["recovery_target_inclusive"] = "false" if target.get("exclusive") else "true"
    return RecoverySource(bc, target.get("backupID"), settings)


def postgres_time(value: str) -> str:
    """CNPG's ConvertToPostgresFormat (cloudnative-pg/machinery pkg/postgres/time): an
    RFC 3339 time as `2006-01-02 15:04:05.000000-07:00`, with +00:00 for UTC, since
    PostgreSQL reads recovery_target_time before it knows time zone abbreviations
    such as Z."""
    when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return when.isoformat(sep=" ", timespec="microseconds")


def choose_backup(source: RecoverySource, backups: list[dict[str, Any]]) -> str:
    """CNPG's choice: the named backup, else for a time (or LSN) target the latest one
    completed before it, else the latest."""
    if source.backup_id:
        return source.backup_id
    done = sorted((b for b in backups if b.get("status") == "DONE"), key=lambda b: b["backup_id"])
    target_time = source.target.get("recovery_target_time")
    if target_time is not None:
        when = datetime.fromisoformat(target_time)
        done = [b for b in done if datetime.fromisoformat(b["end_time_iso"]) <= when]
    target_lsn = source.target.get("recovery_target_lsn")
    if target_lsn is not None:
        done = [b for b in done if _lsn(b["end_xlog"]) <= _lsn(target_lsn)]
    if not done:
        raise DerivationError("no completed backup before the recovery target")
    return str(done[-1]["backup_id"])


def _lsn(text: str) -> int:
    high, _, low = text.partition("/")
    return (int(high, 16) << 32) + int(low, 16)
