"""`backups list`: the backups an archive holds, read with barman-cloud-backup-list,
and of an archive without one, whether it holds WAL (barman-cloud-check-wal-archive):
a cluster that archives but has not finished its first backup, or nothing at all
under that server name (a wrong server name or destination path)."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import EnvironmentFailureError
from . import barman
from .archive import Archive, S3Access
from .catalog import BackupInfo
from .processes import Children, Result
from .tools import Tools

LIST_TIMEOUT = 300


class ArchiveError(EnvironmentFailureError):
    """The archive cannot be read (credentials, endpoint, bucket): barman's own words,
    with any credential scrubbed."""


def last_lines(text: str, count: int = 8) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return " | ".join(lines[-count:])


def read_catalog(
    tools_barman: list[str], env: dict[str, str], children: Children, cwd: Path, location: str
) -> list[BackupInfo]:
    result = children.run(tools_barman, env=env, cwd=cwd, timeout=LIST_TIMEOUT)
    if result.returncode != 0:
        raise ArchiveError(
            f"cannot list the backups in {location}: barman-cloud-backup-list exited "
            f"{result.returncode}: {last_lines(result.output)}"
        )
    # barman prints the JSON document on one line; warnings may come before it.
    lines = [line for line in result.output.splitlines() if line.startswith("{")]
    try:
        items = json.loads(lines[-1])["backups_list"]
    except (IndexError, KeyError, ValueError):
        raise ArchiveError(
            f"cannot list the backups in {location}: unexpected output of "
            f"barman-cloud-backup-list: {last_lines(result.output)}"
        ) from None
    return [BackupInfo.from_barman(item) for item in items]


def wal_archived(result: Result, location: str) -> bool:
    """What barman-cloud-check-wal-archive's `result` says: exit 0, no WAL under the
    server name; exit 1 with "Expected empty archive", WAL there; anything else, the
    archive cannot be read (its output, already scrubbed, says why)."""
    if result.returncode == 0:
        return False
    if result.returncode == barman.NOT_EMPTY and barman.NOT_EMPTY_MESSAGE in result.output:
        return True
    raise ArchiveError(
        f"cannot tell whether {location} holds WAL: barman-cloud-check-wal-archive exited "
        f"{result.returncode}: {last_lines(result.output)}"
    )


@dataclass(frozen=True)
class Listing:
    backups: list[BackupInfo]  # oldest first
    # Whether the archive holds WAL; None when not asked (it holds backups).
    wal_archived: bool | None

    @property
    def ok(self) -> bool:
        """Something to restore from; else a finding (exit 1)."""
        return bool(self.backups)


def list_archive(archive: Archive, credentials: S3Access, tools: Tools) -> Listing:
    """Every backup of the archive, oldest first; of an archive without one, whether
    it holds WAL."""
    with tempfile.TemporaryDirectory(prefix="wildside-cnpg-list-") as home:
        children = Children(secrets=credentials.secrets())
        env = barman.environment(archive, credentials, Path(home))
        backups = read_catalog(
            barman.backup_list(tools, archive), env, children, Path(home), archive.location
        )
        if backups:
            return Listing(sorted(backups, key=lambda b: b.backup_id), None)
        # The list has just read the bucket: the check, which would create a missing
        # bucket, finds it there.
        result = children.run(
            barman.check_wal_archive(tools, archive), env=env, cwd=Path(home), timeout=LIST_TIMEOUT
        )
    return Listing([], wal_archived(result, archive.location))
