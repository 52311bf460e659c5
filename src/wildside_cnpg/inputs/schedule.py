"""ScheduledBackup schedules: CNPG reads them with robfig/cron's six-field parser,
seconds first. A five-field Kubernetes-style string is accepted by CNPG with only a
warning and then means something else, so it is refused here with an explanation."""

from __future__ import annotations

from .text import whole

DESCRIPTORS = frozenset(
    {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}
)
_every = whole(r"^@every ([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$")
_FIELD_NAMES = ("second", "minute", "hour", "day-of-month", "month", "day-of-week")
_RANGES = ((0, 59), (0, 59), (0, 23), (1, 31), (1, 12), (0, 6))
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
# What JSON Schema can say of a schedule: a descriptor, or exactly six fields (the
# ranges of each field are checked by schedule_problem only).
SCHEDULE_PATTERN = (
    r"^\s*(@(yearly|annually|monthly|weekly|daily|midnight|hourly)"
    r"|@every ([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+|\S+(\s+\S+){5})\s*$"
)
SIX_FIELD_HELP = (
    "expected six cron fields, seconds first (second minute hour day-of-month month "
    "day-of-week, e.g. '0 0 0 * * *' for daily at midnight) or an @descriptor such as @daily"
)


def _value(token: str, index: int) -> int | None:
    if token.isdigit():
        return int(token)
    names = _MONTHS if index == 4 else _DAYS if index == 5 else ()
    upper = token.upper()
    return names.index(upper) + (1 if index == 4 else 0) if upper in names else None


def _field_ok(field: str, index: int) -> bool:
    low, high = _RANGES[index]
    for part in field.split(","):
        base, _, step = part.partition("/")
        if step and not (step.isdigit() and int(step) > 0):
            return False
        if base in ("*", "?"):
            continue
        first, _, last = base.partition("-")
        bounds = [_value(first, index)] + ([_value(last, index)] if last else [])
        if any(b is None or not low <= b <= high for b in bounds):
            return False
        if last and bounds[0] is not None and bounds[1] is not None and bounds[0] > bounds[1]:
            return False
    return True


def _describe_seconds_first(fields: list[str]) -> str:
    """What a five-field string means to CNPG's seconds-first parser, in words."""
    second, minute, hour, dom, month = fields
    if hour == "*" and dom == "*" and month == "*" and minute.isdigit() and second.isdigit():
        return f"at minute {minute}, second {second} of every hour (hourly backups)"
    named = ", ".join(f"{name} {value}" for name, value in zip(_FIELD_NAMES, fields, strict=False))
    return f"{named}, any day-of-week"


def schedule_problem(schedule: str) -> str | None:
    """None when CNPG reads `schedule` as intended, else the expected form and why."""
    text = schedule.strip()
    if text in DESCRIPTORS or _every(text):
        return None
    fields = text.split()
    if len(fields) == 5:
        return (
            f"{SIX_FIELD_HELP}; a five-field value is read seconds-first, so this one "
            f"would run {_describe_seconds_first(fields)}"
        )
    if len(fields) != 6:
        return SIX_FIELD_HELP
    bad = [
        f"{_FIELD_NAMES[i]} '{field}'" for i, field in enumerate(fields) if not _field_ok(field, i)
    ]
    if bad:
        return f"{SIX_FIELD_HELP}; out of range or malformed: {', '.join(bad)}"
    return None
