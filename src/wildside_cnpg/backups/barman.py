"""barman-cloud invocations, spelled as CNPG's instance manager spells them for an S3
archive (cloudnative-pg/barman-cloud: the backup list, restore and WAL restore
options), with the credentials in the environment, never in argv."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from .archive import CHECKSUM_VARIABLES, Archive, S3Access
from .tools import Tools

# barman-cloud's exit codes (barman/clients/cloud_cli.py): 1 the operation failed with
# the store reachable (for WAL restore: no such WAL; for the WAL archive check: the
# archive holds WAL), 2 the store is unreachable, 3 bad arguments, 4 anything else (an
# unreadable or corrupted file among them).
NOT_FOUND = 1
NOT_EMPTY = 1
# What barman-cloud-check-wal-archive says of an archive holding WAL
# (barman/xlog.py: check_archive_usable, without --timeline).
NOT_EMPTY_MESSAGE = "Expected empty archive"


def _common(archive: Archive) -> list[str]:
    return ["--endpoint-url", archive.endpoint_url, "--cloud-provider", "aws-s3"]


def backup_list(tools: Tools, archive: Archive) -> list[str]:
    return [
        tools.barman("barman-cloud-backup-list"),
        *_common(archive),
        "--format",
        "json",
        archive.destination_path,
        archive.server_name,
    ]


def check_wal_archive(tools: Tools, archive: Archive) -> list[str]:
    """Exit 0 when the archive holds no WAL under the server name (CNPG runs it before
    a new cluster archives its first WAL)."""
    return [
        tools.barman("barman-cloud-check-wal-archive"),
        *_common(archive),
        archive.destination_path,
        archive.server_name,
    ]


def restore(tools: Tools, archive: Archive, backup_id: str, pgdata: Path) -> list[str]:
    return [
        tools.barman("barman-cloud-restore"),
        *_common(archive),
        archive.destination_path,
        archive.server_name,
        backup_id,
        str(pgdata),
    ]


def wal_restore(tools: Tools, archive: Archive) -> list[str]:
    """Without the WAL name and destination (PostgreSQL's %f and %p)."""
    return [
        tools.barman("barman-cloud-wal-restore"),
        *_common(archive),
        archive.destination_path,
        archive.server_name,
    ]


def environment(archive: Archive, credentials: S3Access, home: Path) -> dict[str, str]:
    """What barman-cloud runs with: the credentials (the keys, or what configures the
    AWS default chain, its files included), the checksum setting the cluster renders,
    and nothing else of the caller's AWS configuration."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": str(home),
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        **credentials.environment(),
    }
    if archive.checksum_when_required:
        env.update({name: "when_required" for name in CHECKSUM_VARIABLES})
    return env


def restore_script(tools: Tools, archive: Archive, log: Path, errors: Path) -> str:
    """PostgreSQL's restore_command: barman-cloud-wal-restore, with each WAL's outcome
    written where the drill reads its progress (and any failure other than "no such
    WAL", which PostgreSQL alone would take for the end of the archive)."""
    command = shlex.join(wal_restore(tools, archive))
    return (
        "#!/bin/sh\n"
        "# restore_command of a wildside-cnpg restore drill\n"
        f'output=$({command} "$1" "$2" 2>&1)\n'
        "code=$?\n"
        f'printf "%s %s\\n" "$code" "$1" >> {shlex.quote(str(log))}\n'
        f'if [ "$code" -ne 0 ] && [ "$code" -ne {NOT_FOUND} ]; then\n'
        f'  printf "== %s (exit %s)\\n%s\\n" "$1" "$code" "$output" >> {shlex.quote(str(errors))}\n'
        "fi\n"
        'exit "$code"\n'
    )
