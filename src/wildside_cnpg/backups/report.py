"""The text forms of `backups list` and of a drill's report (JSON and YAML print the
same data as documents)."""

from __future__ import annotations

from collections.abc import Sequence

from .archive import Archive
from .drill import DrillReport, mib
from .listing import Listing


def _table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "".join(
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() + "\n"
        for row in rows
    )


def no_backup(archive: Archive, wal_archived: bool) -> str:
    """What an archive without a backup means: a cluster that archives WAL but has not
    finished its first backup, or nothing at all under that server name."""
    if wal_archived:
        return (
            "WAL is archived, but no base backup exists yet: there is nothing to restore "
            "from until the first backup completes (a ScheduledBackup with immediate: true "
            "takes one at once; or run kubectl cnpg backup <cluster>)"
        )
    return (
        f"nothing is archived under server name '{archive.server_name}' in "
        f"{archive.destination_path}: check {archive.server_name_from} and "
        f"{archive.destination_path_from} (CloudNativePG archives under the cluster's name "
        "unless backup_server_name is set)"
    )


def backups_text(archive: Archive, listing: Listing) -> str:
    backups = listing.backups
    head = f"{archive.location} ({archive.endpoint_url}): {len(backups)} backup(s)\n"
    if not backups:
        return head + no_backup(archive, bool(listing.wal_archived)) + "\n"
    rows = [("BACKUP ID", "NAME", "STATUS", "BEGIN", "END", "WAL", "SIZE", "PG")]
    for b in backups:
        rows.append(
            (
                b.backup_id,
                b.name or "-",
                b.status,
                b.begin_time or "-",
                b.end_time or "-",
                f"{b.begin_wal or '?'}..{b.end_wal or '?'}",
                mib(b.size),
                str(b.major or "?"),
            )
        )
    return head + _table(rows)


def drill_text(report: DrillReport) -> str:
    verdict = "PASSED" if report.passed else "FAILED"
    lines = [
        f"restore drill of {report.archive.location} ({report.archive.endpoint_url}): {verdict}",
        f"target: {report.selection.describe()}",
    ]
    backup = report.backup
    if backup is not None:
        lines.append(
            f"backup: {backup.backup_id}"
            + (f" ({backup.name})" if backup.name else "")
            + f", {backup.status}, {backup.begin_time} .. {backup.end_time}, WAL "
            f"{backup.begin_wal} .. {backup.end_wal}, {mib(backup.size)}, PostgreSQL {backup.major}"
        )
    lines.append("checks:")
    for check in report.checks:
        lines.append(f"  {'ok  ' if check.ok else 'FAIL'}  {check.name}: {check.detail}")
    for database in report.databases:
        extensions = ", ".join(
            f"{e.name} {e.version}{'' if e.ok else ' (FAILED)'}" for e in database.extensions
        )
        lines.append(f"database {database.name}: extensions {extensions or 'none'}")
        for schema, table, rows in database.tables:
            lines.append(f"  {schema}.{table}: {rows} row(s)")
    for assertion in report.assertions:
        query = " ".join(assertion.query.split())
        lines.append(f"assertion {'holds' if assertion.ok else 'FAILS'}: {query}")
    lines.append(f"cleanup: {report.cleanup}")
    return "\n".join(lines) + "\n"
