"""The backups an archive holds (as barman-cloud-backup-list describes them) and which
one a drill restores: the latest, a named one, or the one a point in time needs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from .wal import lsn_value

DONE = "DONE"
TargetKind = Literal["latest", "backup", "time", "lsn"]


class SelectionError(ValueError):
    """No backup fits the selection; the message says what the archive has."""


@dataclass(frozen=True)
class BackupInfo:
    backup_id: str
    name: str | None
    status: str
    begin_time: str | None
    end_time: str | None
    begin_wal: str | None
    end_wal: str | None
    begin_lsn: str | None
    end_lsn: str | None
    timeline: int | None
    size: int | None  # bytes of the data directory it holds
    postgresql_version: int | None  # server_version_num, such as 160004
    wal_segment_size: int | None

    @classmethod
    def from_barman(cls, item: dict[str, Any]) -> BackupInfo:
        def number(key: str) -> int | None:
            value = item.get(key)
            return int(value) if isinstance(value, int | float) else None

        return cls(
            backup_id=str(item.get("backup_id")),
            name=item.get("backup_name") or None,
            status=str(item.get("status")),
            begin_time=item.get("begin_time_iso"),
            end_time=item.get("end_time_iso"),
            begin_wal=item.get("begin_wal"),
            end_wal=item.get("end_wal"),
            begin_lsn=item.get("begin_xlog"),
            end_lsn=item.get("end_xlog"),
            timeline=number("timeline"),
            size=number("cluster_size") or number("size"),
            postgresql_version=number("version"),
            wal_segment_size=number("xlog_segment_size"),
        )

    @property
    def major(self) -> int | None:
        version = self.postgresql_version
        if version is None:
            return None
        return version // 10000 if version >= 100000 else version // 100

    @property
    def done(self) -> bool:
        return self.status == DONE

    def as_json(self) -> dict[str, Any]:
        return {
            "backup_id": self.backup_id,
            "name": self.name,
            "status": self.status,
            "begin_time": self.begin_time,
            "end_time": self.end_time,
            "begin_wal": self.begin_wal,
            "end_wal": self.end_wal,
            "begin_lsn": self.begin_lsn,
            "end_lsn": self.end_lsn,
            "timeline": self.timeline,
            "size": self.size,
            "postgresql_major": self.major,
        }


_BACKUP_ID = re.compile(r"[0-9]{8}T[0-9]{6}")


@dataclass(frozen=True)
class Selection:
    """What to restore: `latest`, a `backup` by ID or name, or the latest backup that
    ended before a `time` (RFC 3339) or an `lsn`, replayed to exactly that point."""

    kind: TargetKind = "latest"
    value: str | None = None

    def describe(self) -> str:
        if self.kind == "latest":
            return "the latest backup, replaying all the WAL there is"
        if self.kind == "backup":
            return f"backup {self.value}, replaying all the WAL there is"
        point = f"time {self.value}" if self.kind == "time" else f"LSN {self.value}"
        return f"{point}, from the latest backup that ended before it"

    def as_json(self) -> dict[str, str | None]:
        return {"kind": self.kind, "value": self.value}


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def choose(backups: list[BackupInfo], selection: Selection, location: str) -> BackupInfo:
    done = sorted((b for b in backups if b.done), key=lambda b: b.backup_id)
    if selection.kind == "backup":
        wanted = selection.value or ""
        found = [b for b in backups if wanted in (b.backup_id, b.name)]
        if not found:
            have = ", ".join(b.backup_id + (f" ({b.name})" if b.name else "") for b in backups)
            raise SelectionError(
                f"no backup {wanted!r} in {location} (it holds: {have or 'no backups'})"
            )
        chosen = found[-1]
        if not chosen.done:
            raise SelectionError(
                f"backup {chosen.backup_id} in {location} is {chosen.status}, not DONE: it "
                "cannot be restored"
            )
        return chosen
    if not done:
        raise SelectionError(f"no completed backup in {location}")
    if selection.kind == "latest":
        return done[-1]
    if selection.kind == "time":
        target = _when(selection.value or "")
        before = [b for b in done if b.end_time and _when(b.end_time) <= target]
        if not before:
            raise SelectionError(
                f"no completed backup in {location} ended before {selection.value} (the "
                f"oldest ended at {done[0].end_time})"
            )
        return before[-1]
    target_lsn = lsn_value(selection.value or "")
    before = [b for b in done if b.end_lsn and lsn_value(b.end_lsn) <= target_lsn]
    if not before:
        raise SelectionError(
            f"no completed backup in {location} ended before LSN {selection.value} (the oldest "
            f"ended at {done[0].end_lsn})"
        )
    return before[-1]


def looks_like_backup_id(value: str) -> bool:
    return _BACKUP_ID.fullmatch(value) is not None
