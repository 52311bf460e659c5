"""Archive, back up and restore with the invocations `barmancloud` derives.

The source server runs with the derived `archive_command` (and the credentials in
its environment, as the instance manager's is); backups and restores run the
derived argv as the postgres user. Restored instances are recovered the way CNPG
recovers a new cluster from an object store: barman-cloud-restore into an empty
data directory, then `restore_command` (barman-cloud-wal-restore), `recovery.signal`
and, for point in time, `recovery_target_time` with `recovery_target_action =
promote`. Restored instances do not archive (CNPG would point them at a new,
empty destination).
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from .barmancloud import BarmanCloud
from .pgserver import PG_USER, PgServer, ServerError, run_as_postgres

ARCHIVE_TIMEOUT = 60
RECOVERY_TIMEOUT = 120


class CommandFailedError(RuntimeError):
    """A barman-cloud tool failed; the message carries its own output."""

    def __init__(self, argv: list[str], result: subprocess.CompletedProcess[str]) -> None:
        self.argv = argv
        self.returncode = result.returncode
        self.output = result.stdout + result.stderr
        tool = Path(argv[0]).name
        super().__init__(f"{tool} exited {result.returncode}:\n{self.output}")


def run_barman(
    argv: list[str],
    bc: BarmanCloud,
    cwd: Path,
    extra_env: dict[str, str] | None = None,
    while_running: Callable[[], None] | None = None,
) -> str:
    """Run a derived barman-cloud argv as postgres with the derived credentials
    (environment only: secrets never appear in argv or in messages)."""
    result = run_as_postgres(
        argv, env=bc.env | (extra_env or {}), cwd=cwd, while_running=while_running
    )
    if result.returncode != 0:
        raise CommandFailedError(argv, result)
    return result.stdout


@dataclass
class Archiving:
    """A running primary whose WAL goes wherever the current BarmanCloud says."""

    server: PgServer
    workdir: Path
    current: BarmanCloud | None = None
    _settings: dict[str, str] = field(default_factory=dict)

    def harness_settings(self, bc: BarmanCloud) -> dict[str, str]:
        return {
            "archive_mode": "on",
            "archive_command": bc.archive_command(),
            "wal_level": "replica",
        }

    def use(self, bc: BarmanCloud) -> None:
        """Point archive_command at `bc` (reload, bounded wait until it is live)."""
        if self.current == bc:
            return
        if bc.env != self.server.env:
            raise ValueError("the archiving server runs with one set of credentials")
        settings = self.harness_settings(bc)
        self.server.set_harness(settings)
        self.server.scalar("SELECT pg_reload_conf()")
        wanted = settings["archive_command"].replace("'", "''")
        self.server.wait_until(f"SELECT current_setting('archive_command') = '{wanted}'")
        self.current = bc

    def switch_wal(self) -> str:
        """Close the current segment and wait (bounded) until it is archived."""
        wal = str(self.server.scalar("SELECT pg_walfile_name(pg_switch_wal())"))
        deadline = time.monotonic() + ARCHIVE_TIMEOUT
        while time.monotonic() < deadline:
            row = self.server.query(
                "SELECT coalesce(last_archived_wal, ''), failed_count, "
                "coalesce(last_failed_wal, '') FROM pg_stat_archiver"
            )[0]
            if str(row[0]) >= wal:
                return wal
            time.sleep(0.1)
        raise ServerError(
            f"WAL {wal} not archived within {ARCHIVE_TIMEOUT}s (archiver: {row})\n"
            f"--- server log ---\n{self.server.log()[-6000:]}"
        )

    def backup(self, bc: BarmanCloud, name: str) -> str:
        """barman-cloud-backup as CNPG runs it; returns the backup id."""
        argv = bc.backup(name)
        connection = {"PGHOST": str(self.server.socket_dir), "PGPORT": str(self.server.port)}
        run_barman(argv, bc, self.workdir, connection, while_running=self._checkpoint)
        return backup_id(bc, name, self.workdir)

    def _checkpoint(self) -> None:
        """The rendered backup has no `immediateCheckpoint`, so barman-cloud-backup
        starts with a spread checkpoint, paced over checkpoint_timeout (minutes),
        as it would in production. Requesting a CHECKPOINT meanwhile makes a
        pending spread checkpoint finish at once; the backup's argv is untouched."""
        with contextlib.suppress(psycopg.Error):
            self.server.execute("CHECKPOINT")


def list_backups(bc: BarmanCloud, cwd: Path) -> list[dict[str, object]]:
    out = run_barman(bc.backup_list(), bc, cwd)
    backups: list[dict[str, object]] = json.loads(out)["backups_list"]
    return backups


def backup_id(bc: BarmanCloud, name: str, cwd: Path) -> str:
    for backup in list_backups(bc, cwd):
        if backup.get("backup_name") == name:
            return str(backup["backup_id"])
    raise LookupError(f"no backup named {name} in {bc.destination}")


def _touch_as_postgres(path: Path) -> None:
    path.touch()
    if os.geteuid() == 0:
        entry = pwd.getpwnam(PG_USER)
        os.chown(path, entry.pw_uid, entry.pw_gid)


def restore(
    bc: BarmanCloud,
    backup: str,
    target: PgServer,
    cwd: Path,
    *,
    target_time: str | None = None,
    recovery_target: Mapping[str, str] | None = None,
) -> None:
    """Recover `backup` into `target` (a fresh data directory) and replay WAL from
    the object store, to the end of the archive, to `target_time`, or to the
    `recovery_target_*` settings given; returns once the instance is promoted and
    accepting writes."""
    run_barman(bc.restore(backup, target.datadir), bc, cwd)
    target.prepare_layout()
    _touch_as_postgres(target.datadir / "recovery.signal")
    settings = {"archive_mode": "off", "restore_command": bc.restore_command()}
    if target_time is not None:
        settings |= {"recovery_target_time": target_time, "recovery_target_action": "promote"}
    settings |= dict(recovery_target or {})
    target.env = dict(bc.env)
    target.start(settings)
    target.wait_until("SELECT NOT pg_is_in_recovery()", timeout=RECOVERY_TIMEOUT)
