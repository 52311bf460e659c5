"""WAL segment names (XLogFileName), LSNs and recovery target times, as PostgreSQL
spells them."""

from __future__ import annotations

import re
from datetime import datetime

SEGMENT = re.compile(r"(?P<tli>[0-9A-F]{8})(?P<log>[0-9A-F]{8})(?P<seg>[0-9A-F]{8})")
_LSN = re.compile(r"(?P<high>[0-9A-Fa-f]{1,8})/(?P<low>[0-9A-Fa-f]{1,8})")
DEFAULT_SEGMENT_SIZE = 16 * 1024 * 1024


def lsn_value(lsn: str) -> int:
    match = _LSN.fullmatch(lsn)
    if match is None:
        raise ValueError(f"not an LSN: {lsn!r}")
    return (int(match["high"], 16) << 32) + int(match["low"], 16)


def is_segment(name: str) -> bool:
    return SEGMENT.fullmatch(name) is not None


def next_segment(name: str, segment_size: int = DEFAULT_SEGMENT_SIZE, steps: int = 1) -> str:
    """The segment `steps` after `name` on the same timeline."""
    match = SEGMENT.fullmatch(name)
    if match is None:
        raise ValueError(f"not a WAL segment name: {name!r}")
    per_log = 0x100000000 // segment_size
    number = int(match["log"], 16) * per_log + int(match["seg"], 16) + steps
    return f"{match['tli']}{number // per_log:08X}{number % per_log:08X}"


def postgres_time(value: str) -> str:
    """An RFC 3339 time as recovery_target_time takes it: `2026-08-01 09:30:00.000000+00:00`.
    PostgreSQL reads that setting before it knows time zone abbreviations, so a `Z`
    suffix is refused; CNPG converts the same way (ConvertToPostgresFormat)."""
    when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return when.isoformat(sep=" ", timespec="microseconds")
