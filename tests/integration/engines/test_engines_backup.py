"""Backup -> restore through barman-cloud with the rendered settings: nothing lost."""

from __future__ import annotations

from pathlib import Path

from .backups import Archiving, restore
from .barmancloud import BarmanCloud
from .configs import BUCKET
from .objectstore import ObjectStore
from .pgserver import PgServer
from .workload import checksum, create_places, write_batch


def test_restore_replays_archived_wal(
    archiving: Archiving,
    primary_config: BarmanCloud,
    object_store: ObjectStore,
    workdir: Path,
    database: str,
) -> None:
    """Base backup, more writes and a WAL switch, then a restore into a new data
    directory: WAL replay from the object store brings back every committed row."""
    source, bc = archiving.server, primary_config
    archiving.use(bc)
    create_places(source, database, "places")
    write_batch(source, database, "places", 1, 300)
    backup = archiving.backup(bc, "before-more-rows")
    write_batch(source, database, "places", 301, 500)
    expected = checksum(source, database, "places")
    assert expected[0] == 500
    archiving.switch_wal()
    # Stored under the rendered destination, server name = the Cluster's name.
    assert bc.server_name == bc.cluster_name == "wildside-pg"
    keys = object_store.keys(BUCKET, "primary/")
    assert f"primary/wildside-pg/base/{backup}/backup.info" in keys
    assert any(k.startswith("primary/wildside-pg/wals/") and k.endswith(".gz") for k in keys)

    restored = PgServer(workdir / "restored-full")
    try:
        restore(bc, backup, restored, workdir)
        assert checksum(restored, database, "places") == expected
        assert (
            restored.scalar(
                "SELECT count(*) FROM places WHERE ST_DWithin(spot, "
                "ST_SetSRID(ST_MakePoint(0.25, 51.125), 4326), 0.0012)",
                database,
            )
            == 3
        )  # ids 249, 250, 251
    finally:
        restored.remove()


def test_point_in_time_restore_stops_between_two_batches(
    archiving: Archiving, primary_config: BarmanCloud, workdir: Path, database: str
) -> None:
    source, bc = archiving.server, primary_config
    archiving.use(bc)
    create_places(source, database, "visits")
    backup = archiving.backup(bc, "before-visits")
    write_batch(source, database, "visits", 1, 120)
    early = checksum(source, database, "visits")
    # A timestamp strictly after the first batch's commit and before the second's
    # (the short sleeps keep the three instants apart on the server's clock).
    source.scalar("SELECT pg_sleep(0.05)")
    target = str(source.scalar("SELECT clock_timestamp()::text"))
    source.scalar("SELECT pg_sleep(0.05)")
    write_batch(source, database, "visits", 121, 240)
    assert checksum(source, database, "visits")[0] == 240
    archiving.switch_wal()

    restored = PgServer(workdir / "restored-pitr")
    try:
        restore(bc, backup, restored, workdir, target_time=target)
        assert checksum(restored, database, "visits") == early
        assert restored.scalar("SELECT max(id) FROM visits", database) == 120
    finally:
        restored.remove()
