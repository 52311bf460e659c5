"""Backups taken with either method's configuration restore, and a rendered recovery
bootstrap (`bootstrap.recovery` with its `externalClusters` source, read in-tree or
through the plugin's ObjectStore) recovers exactly what it says: every row committed
before the target time, or before the target LSN, and nothing after."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .backups import Archiving, list_backups, restore
from .configs import BUCKET, backup_config
from .conftest import PitrArchive
from .objectstore import ObjectStore
from .pgserver import PgServer
from .recovery import choose_backup, postgres_time, recovery_source
from .rendering import ESO_INPUTS, VAULT_BACKUP_PATH, render
from .workload import checksum, create_places, write_batch

METHODS = ["barman_cloud_plugin", "barman_object_store"]


def test_a_backup_taken_with_the_in_tree_configuration_restores(
    archiving: Archiving,
    object_store: ObjectStore,
    vault: dict[str, dict[str, str]],
    workdir: Path,
    database: str,
) -> None:
    """The plugin's configuration is the session's default (test_engines_backup); the
    in-tree one, for clusters that keep it until they migrate, restores too."""
    rendered, bc = backup_config(
        object_store, vault, "in-tree", backup_method="barman_object_store"
    )
    assert bc.method == "barmanObjectStore"
    assert rendered.cluster["spec"]["backup"]["barmanObjectStore"]["serverName"] == "wildside-pg"
    source = archiving.server
    archiving.use(bc)
    create_places(source, database, "in_tree_places")
    write_batch(source, database, "in_tree_places", 1, 60)
    backup = archiving.backup(bc, "in-tree")
    write_batch(source, database, "in_tree_places", 61, 90)
    expected = checksum(source, database, "in_tree_places")
    archiving.switch_wal()
    assert f"in-tree/wildside-pg/base/{backup}/backup.info" in object_store.keys(BUCKET, "in-tree")
    restored = PgServer(workdir / "restored-in-tree")
    try:
        restore(bc, backup, restored, workdir)
        assert checksum(restored, database, "in_tree_places") == expected
        assert expected[0] == 90
    finally:
        restored.remove()


def recovery_inputs(
    object_store: ObjectStore, archive: PitrArchive, **extra: Any
) -> dict[str, Any]:
    """A new cluster recovering from the archive (keys from Vault), as a user writes it."""
    return {
        **ESO_INPUTS,
        "backup_credentials_vault_path": None,
        "cluster_name": "wildside-pg-restored",
        "recovery_enabled": True,
        "recovery_source_destination_path": f"s3://{BUCKET}/{archive.prefix}",
        "recovery_source_server_name": "wildside-pg",
        "recovery_source_endpoint_url": object_store.https_endpoint,
        "recovery_source_credentials_vault_path": VAULT_BACKUP_PATH,
        **extra,
    }


def recover(
    values: dict[str, Any],
    vault: dict[str, dict[str, str]],
    workdir: Path,
    name: str,
) -> tuple[PgServer, dict[str, str]]:
    rendered = render(values)
    source = recovery_source(rendered.objects, vault=vault)
    backup = choose_backup(source, list_backups(source.bc, workdir))
    target = PgServer(workdir / name)
    restore(source.bc, backup, target, workdir, recovery_target=source.target)
    return target, source.target


@pytest.mark.parametrize("method", METHODS)
def test_a_rendered_recovery_to_a_time_has_exactly_the_rows_committed_before_it(
    method: str,
    *,
    pitr_archive: PitrArchive,
    object_store: ObjectStore,
    vault: dict[str, dict[str, str]],
    workdir: Path,
    database: str,
) -> None:
    values = recovery_inputs(
        object_store, pitr_archive, backup_method=method, recovery_target_time=pitr_archive.time
    )
    restored, target = recover(values, vault, workdir, f"recovered-time-{method}")
    try:
        assert target == {
            "recovery_target_time": postgres_time(pitr_archive.time),
            "recovery_target_action": "promote",
            "recovery_target_inclusive": "true",
        }
        count, _ = checksum(restored, database, pitr_archive.table)
        assert count == pitr_archive.rows_at_target == 300
        assert restored.scalar(f"SELECT max(id) FROM {pitr_archive.table}", database) == 300
        # PostGIS came back with the data, and the promoted cluster takes writes.
        restored.execute(
            f"INSERT INTO {pitr_archive.table} VALUES "
            "(1000, 'after', ST_SetSRID(ST_MakePoint(0, 51), 4326))",
            database,
        )
    finally:
        restored.remove()


def test_a_rendered_recovery_to_an_lsn_stops_there(
    pitr_archive: PitrArchive,
    object_store: ObjectStore,
    vault: dict[str, dict[str, str]],
    workdir: Path,
    database: str,
) -> None:
    values = recovery_inputs(object_store, pitr_archive, recovery_target_lsn=pitr_archive.lsn)
    restored, target = recover(values, vault, workdir, "recovered-lsn")
    try:
        assert target["recovery_target_lsn"] == pitr_archive.lsn
        assert checksum(restored, database, pitr_archive.table)[0] == 300
    finally:
        restored.remove()


def test_a_rendered_recovery_without_a_target_replays_everything(
    pitr_archive: PitrArchive,
    object_store: ObjectStore,
    vault: dict[str, dict[str, str]],
    workdir: Path,
    database: str,
) -> None:
    values = recovery_inputs(object_store, pitr_archive, backup_method="barman_object_store")
    restored, target = recover(values, vault, workdir, "recovered-all")
    try:
        assert target == {}
        assert checksum(restored, database, pitr_archive.table)[0] == pitr_archive.rows_total
    finally:
        restored.remove()
