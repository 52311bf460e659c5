"""Every backup configuration the module renders goes through archive -> backup ->
restore: each WAL compression of CNPG's enum, each without and with a data
compression (the four data compressions rotate over the WAL ones)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .backups import Archiving, restore
from .barmancloud import (
    DATA_COMPRESSIONS,
    WAL_COMPRESSIONS,
    BarmanCloud,
    barman_version,
    supported_compressions,
)
from .configs import BUCKET, backup_config
from .objectstore import ObjectStore
from .pgserver import PgServer
from .workload import checksum, create_places, write_batch

# The file suffix barman gives each compression, in the object store.
SUFFIX = {
    "gzip": ".gz",
    "bzip2": ".bz2",
    "xz": ".xz",
    "snappy": ".snappy",
    "zstd": ".zst",
    "lz4": ".lz4",
}

CASES = [
    (wal, data)
    for index, wal in enumerate(WAL_COMPRESSIONS)
    for data in (None, DATA_COMPRESSIONS[index % len(DATA_COMPRESSIONS)])
]


def test_the_cases_cover_both_enums() -> None:
    assert {wal for wal, _ in CASES} == set(WAL_COMPRESSIONS)
    assert {data for _, data in CASES} == {None, *DATA_COMPRESSIONS}


def require_support(wal: str, data: str | None) -> None:
    """A compression the installed barman cannot do fails the test by name."""
    missing = []
    if wal not in supported_compressions("barman-cloud-wal-archive"):
        missing.append(f"WAL compression {wal!r} (barman-cloud-wal-archive)")
    if data is not None and data not in supported_compressions("barman-cloud-backup"):
        missing.append(f"data compression {data!r} (barman-cloud-backup)")
    if missing:
        pytest.fail(f"{barman_version()} cannot do: " + ", ".join(missing))


@pytest.mark.parametrize(("wal", "data"), CASES, ids=[f"wal-{w}-data-{d}" for w, d in CASES])
def test_round_trip(
    wal: str,
    data: str | None,
    *,
    archiving: Archiving,
    object_store: ObjectStore,
    vault: dict[str, dict[str, str]],
    workdir: Path,
    database: str,
) -> None:
    require_support(wal, data)
    prefix = f"compression-{wal}-{data or 'none'}"
    # In-tree Barman (the plugin's ObjectStore carries the same configuration: see
    # test_plugin_method_derives_the_same_invocations).
    extra: dict[str, object] = {"wal_compression": wal, "backup_method": "barman_object_store"}
    if data is not None:
        extra["backup_data_compression"] = data
    rendered, bc = backup_config(object_store, vault, prefix, **extra)
    store = rendered.cluster["spec"]["backup"]["barmanObjectStore"]
    assert store["wal"] == {"compression": wal}
    assert (store.get("data") or {}).get("compression") == data
    assert bc.wal_archive()[1] == f"--{wal}"
    assert (f"--{data}" in bc.backup("x")) == (data is not None)

    source = archiving.server
    archiving.use(bc)
    table = f"rt_{wal}_{data or 'none'}"
    create_places(source, database, table)
    write_batch(source, database, table, 1, 50)
    backup = archiving.backup(bc, f"rt-{wal}-{data or 'none'}")
    write_batch(source, database, table, 51, 100)
    expected = checksum(source, database, table)
    archiving.switch_wal()

    keys = object_store.keys(BUCKET, f"{prefix}/wildside-pg/")
    wals = [k for k in keys if "/wals/" in k and not k.endswith(".history")]
    assert wals, keys
    assert all(k.endswith(SUFFIX[wal]) for k in wals), wals
    tar = "data.tar" + (SUFFIX[data] if data else "")
    assert f"{prefix}/wildside-pg/base/{backup}/{tar}" in keys, keys

    restored = PgServer(workdir / f"restored-{prefix}")
    try:
        restore(bc, backup, restored, workdir)
        assert checksum(restored, database, table) == expected
        assert expected[0] == 100
    finally:
        restored.remove()


def invocations(bc: BarmanCloud) -> dict[str, object]:
    return {
        "wal_archive": bc.wal_archive(),
        "backup": bc.backup("name"),
        "restore": bc.restore("20260101T000000", Path("/pgdata")),
        "wal_restore": bc.wal_restore(),
        "delete": bc.backup_delete_by_policy(),
        "env": bc.env,
    }


@pytest.mark.parametrize(("wal", "data"), CASES, ids=[f"wal-{w}-data-{d}" for w, d in CASES])
def test_plugin_method_derives_the_same_invocations(
    wal: str, data: str | None, object_store: ObjectStore, vault: dict[str, dict[str, str]]
) -> None:
    """The plugin's ObjectStore carries the same configuration; CNPG's plugin runs
    the same barman-cloud commands with it, so each round trip above covers it too."""
    extra: dict[str, object] = {"wal_compression": wal, "backup_retention_policy": "4w"}
    if data is not None:
        extra["backup_data_compression"] = data
    _, in_tree = backup_config(
        object_store, vault, "same", backup_method="barman_object_store", **extra
    )
    _, plugin = backup_config(
        object_store, vault, "same", backup_method="barman_cloud_plugin", **extra
    )
    assert (in_tree.method, plugin.method) == ("barmanObjectStore", "plugin")
    assert invocations(plugin) == invocations(in_tree)
    assert plugin.env["AWS_REQUEST_CHECKSUM_CALCULATION"] == "when_required"
    assert "RECOVERY WINDOW OF 4 WEEKS" in plugin.backup_delete_by_policy()


def test_plugin_method_round_trip(
    archiving: Archiving,
    object_store: ObjectStore,
    vault: dict[str, dict[str, str]],
    workdir: Path,
    database: str,
) -> None:
    prefix = "plugin"
    rendered, bc = backup_config(
        object_store,
        vault,
        prefix,
        backup_method="barman_cloud_plugin",
        wal_compression="zstd",
        backup_data_compression="lz4",
    )
    assert rendered.cluster["spec"].get("backup") is None
    assert bc.method == "plugin"
    source = archiving.server
    archiving.use(bc)
    create_places(source, database, "plugin_places")
    write_batch(source, database, "plugin_places", 1, 40)
    backup = archiving.backup(bc, "plugin-round-trip")
    write_batch(source, database, "plugin_places", 41, 80)
    expected = checksum(source, database, "plugin_places")
    archiving.switch_wal()
    assert f"{prefix}/wildside-pg/base/{backup}/data.tar.lz4" in object_store.keys(BUCKET, prefix)
    restored = PgServer(workdir / "restored-plugin")
    try:
        restore(bc, backup, restored, workdir)
        assert checksum(restored, database, "plugin_places") == expected
    finally:
        restored.remove()
