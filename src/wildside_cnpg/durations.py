"""Durations on the command line, read the way Go's time.ParseDuration reads them
(`90s`, `10m`, `1h30m`, `2m30.5s`), or as a plain number of seconds."""

from __future__ import annotations

import math
import re

_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_PART = re.compile(r"([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(ns|us|µs|ms|s|m|h)")
_DURATION = re.compile(rf"(?:{_PART.pattern})+")
# A Go time.Duration is int64 nanoseconds: about 292 years.
MAX_SECONDS = (2**63 - 1) / 1e9
EXPECTED = "expected a positive duration such as 90, 90s, 10m or 1h30m"


def duration_seconds(text: str) -> float | None:
    """A Go duration with its units (1h30m, 2160h, 300ms) in seconds, as
    time.ParseDuration reads it; None when `text` is not one."""
    if not _DURATION.fullmatch(text):
        return None
    return sum(float(number) * _UNITS[unit] for number, unit in _PART.findall(text))


def parse_seconds(text: str) -> float:
    """Seconds in `text`; ValueError (with EXPECTED) when it is not a positive, finite
    duration a Go program would accept."""
    seconds = duration_seconds(text)
    if seconds is None:
        if not re.fullmatch(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+", text):
            raise ValueError(EXPECTED)
        seconds = float(text)
    if not math.isfinite(seconds) or seconds <= 0 or seconds > MAX_SECONDS:
        raise ValueError(EXPECTED)
    return seconds
