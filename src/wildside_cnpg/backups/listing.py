"""`backups list`: the backups an archive holds, read with barman-cloud-backup-list."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from ..errors import EnvironmentFailureError
from . import barman
from .archive import Archive, Credentials
from .catalog import BackupInfo
from .processes import Children
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


def list_archive(archive: Archive, credentials: Credentials, tools: Tools) -> list[BackupInfo]:
    """Every backup of the archive, oldest first."""
    with tempfile.TemporaryDirectory(prefix="wildside-cnpg-list-") as home:
        children = Children(secrets=credentials.secrets())
        env = barman.environment(archive, credentials, Path(home))
        backups = read_catalog(
            barman.backup_list(tools, archive), env, children, Path(home), archive.location
        )
    return sorted(backups, key=lambda b: b.backup_id)
