"""How often things happen: Go durations in seconds, and the longest interval between
two runs of a ScheduledBackup schedule as CNPG's cron library (robfig/cron v3, six
fields, seconds first) reads it. The backup alert's default threshold derives from it."""

from __future__ import annotations

import datetime
import itertools

from ..durations import duration_seconds

_RANGES = ((0, 59), (0, 59), (0, 23), (1, 31), (1, 12), (0, 6))
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
_DESCRIPTORS = {
    "@yearly": "0 0 0 1 1 *",
    "@annually": "0 0 0 1 1 *",
    "@monthly": "0 0 0 1 * *",
    "@weekly": "0 0 0 * * 0",
    "@daily": "0 0 0 * * *",
    "@midnight": "0 0 0 * * *",
    "@hourly": "0 0 * * * *",
}
# Days looked at: two leap-year cycles, so a schedule on 29 February is seen twice.
_FIRST_DAY = datetime.date(2024, 1, 1)
_DAYS_SEEN = 366 * 8 + 1


def _value(token: str, index: int) -> int:
    if token.isdigit():
        return int(token)
    upper = token.upper()
    if index == 4:
        return _MONTHS.index(upper) + 1
    return _DAYS.index(upper)


def _expand(field: str, index: int) -> tuple[set[int], bool]:
    """The values a field allows, and whether it is a star (robfig's starBit: `*` or
    `?` without a step above one), which decides how day-of-month and day-of-week
    combine."""
    low, high = _RANGES[index]
    values: set[int] = set()
    star = False
    for part in field.split(","):
        base, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if base in ("*", "?"):
            start, end = low, high
            star = star or step == 1
        else:
            first, _, last = base.partition("-")
            start = _value(first, index)
            end = _value(last, index) if last else (high if step_text else start)
        values.update(range(start, end + 1, step))
    return values, star


def longest_interval(schedule: str) -> float | None:
    """Seconds of the longest wait between two consecutive runs of a valid schedule
    (in UTC, where CNPG's operator runs by default); None when it runs fewer than
    twice in the eight years looked at."""
    text = schedule.strip()
    if text.startswith("@every "):
        return duration_seconds(text.removeprefix("@every "))
    fields = _DESCRIPTORS.get(text, text).split()
    (seconds, _), (minutes, _), (hours, _) = (_expand(fields[i], i) for i in range(3))
    (days_of_month, dom_star), (months, _), (days_of_week, dow_star) = (
        _expand(fields[i], i) for i in range(3, 6)
    )
    times = sorted(h * 3600 + m * 60 + s for h in hours for m in minutes for s in seconds)
    days = []
    for offset in range(_DAYS_SEEN):
        day = _FIRST_DAY + datetime.timedelta(days=offset)
        if day.month not in months:
            continue
        dom = day.day in days_of_month
        dow = (day.isoweekday() % 7) in days_of_week
        if (dom and dow) if (dom_star or dow_star) else (dom or dow):
            days.append(offset)
    if not times or len(days) < 2:
        return None
    within = max((b - a for a, b in itertools.pairwise(times)), default=0)
    across = max(
        ((b - a) * 86400 - times[-1] + times[0] for a, b in itertools.pairwise(days)),
        default=0,
    )
    return float(max(within, across))
