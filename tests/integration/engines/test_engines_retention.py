"""The rendered retention policy, applied by barman-cloud-backup-delete
--retention-policy over backups of known ages: what it must keep is kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .backups import Archiving, list_backups, run_barman
from .barmancloud import BarmanCloud
from .configs import BUCKET, backup_config
from .objectstore import ObjectStore

PREFIX = "retention"
SERVER_PREFIX = f"{PREFIX}/wildside-pg"
# Ages given to the three backups, oldest first.
AGES = (dt.timedelta(days=100), dt.timedelta(days=45), dt.timedelta(days=10))


def age_backup(store: ObjectStore, backup: str, age: dt.timedelta) -> None:
    """Make a backup `age` old: shift begin_time and end_time in its backup.info
    (barman's catalog; the retention policy reads end_time)."""
    key = f"{SERVER_PREFIX}/base/{backup}/backup.info"
    s3 = store.s3()
    lines = s3.get_object(Bucket=BUCKET, Key=key)["Body"].read().decode().splitlines()
    aged = []
    for line in lines:
        name, _, value = line.partition("=")
        if name in ("begin_time", "end_time"):
            value = str(dt.datetime.fromisoformat(value) - age)
        aged.append(f"{name}={value}")
    s3.put_object(Bucket=BUCKET, Key=key, Body=("\n".join(aged) + "\n").encode())


def delete_by_policy(bc: BarmanCloud, cwd: Path) -> set[str]:
    run_barman(bc.backup_delete_by_policy(), bc, cwd)
    return {str(b["backup_id"]) for b in list_backups(bc, cwd)}


def test_retention_policy_keeps_what_recovery_needs(
    archiving: Archiving,
    object_store: ObjectStore,
    vault: dict[str, dict[str, str]],
    workdir: Path,
) -> None:
    _, three_months = backup_config(object_store, vault, PREFIX, backup_retention_policy="3m")
    _, thirty_days = backup_config(object_store, vault, PREFIX)
    assert thirty_days.retention_policy == "30d"  # the module's default
    assert three_months.backup_delete_by_policy()[-4:] == [
        "--retention-policy",
        "RECOVERY WINDOW OF 3 MONTHS",
        f"s3://{BUCKET}/{PREFIX}",
        "wildside-pg",
    ]
    archiving.use(thirty_days)
    ids = [archiving.backup(thirty_days, f"kept-{n}") for n in ("oldest", "middle", "newest")]
    assert len(set(ids)) == 3
    archiving.switch_wal()
    for backup, age in zip(ids, AGES, strict=True):
        age_backup(object_store, backup, age)
    begin_wal = {
        str(b["backup_id"]): str(b["begin_wal"]) for b in list_backups(thirty_days, workdir)
    }
    wals_before = object_store.keys(BUCKET, f"{SERVER_PREFIX}/wals/")

    # 3 months: the 100-day-old backup is the newest one older than the window,
    # needed to recover to the window's start: nothing goes.
    assert delete_by_policy(three_months, workdir) == set(ids)
    assert object_store.keys(BUCKET, f"{SERVER_PREFIX}/wals/") == wals_before

    # 30 days: the 45-day-old backup now plays that role; the 100-day-old one and
    # the WAL only it needed go, everything from the 45-day-old backup's WAL on stays.
    oldest, middle, newest = ids
    assert delete_by_policy(thirty_days, workdir) == {middle, newest}
    assert not object_store.keys(BUCKET, f"{SERVER_PREFIX}/base/{oldest}/")
    assert object_store.keys(BUCKET, f"{SERVER_PREFIX}/base/{middle}/")
    wals_after = object_store.keys(BUCKET, f"{SERVER_PREFIX}/wals/")
    segment = len(f"{SERVER_PREFIX}/wals/0000000100000000/")

    def name(key: str) -> str:
        return key[segment : segment + 24]

    assert [k for k in wals_before if name(k) >= begin_wal[middle]] == wals_after
    assert any(name(k) < begin_wal[middle] for k in wals_before)
