"""Constrained input types. Each validator raises ValueError with the expected form
only; the loader prefixes the input name and the offending value."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from .quantity import parse_quantity
from .schedule import SCHEDULE_PATTERN, SIX_FIELD_HELP, schedule_problem

_DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_DNS1035_LABEL = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
_LIBRARY = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
_FLUX_REFERENCE = re.compile(r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?/)?[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_PG_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
_GO_DURATION = re.compile(r"^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$")
_SEMVER = re.compile(
    r"^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)"
    r"(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$"
)
_RETENTION = re.compile(r"^[1-9][0-9]*[dwm]$")
_S3_PATH = re.compile(r"^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[^\s]*)?$")
_HTTPS_URL = re.compile(r"^https://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[^\s]*)?$")
_CHART_URL = re.compile(r"^(https|oci)://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[^\s]*)?$")
_CPU = re.compile(r"^([0-9]+(\.[0-9]+)?m?)$")
_MEMORY = re.compile(r"^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$")
_IMAGE = re.compile(
    r"^(?P<repository>[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-]{1,2}[a-z0-9]+)*)*)"
    r"(:(?P<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?"
    r"(@(?P<digest>sha256:[a-f0-9]{64}))?$"
)
SECRET_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")
# For the exported JSON Schema: a number with a non-zero digit (a positive quantity),
# and an image reference with a digest, or a tag other than latest.
_POSITIVE = r"^(?=[0-9.]*[1-9])"
_PINNED = r"^(?=.*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$)(?!.*:latest$)"


class Check:
    """A validator that knows the form it expects, so docs can show the rule."""

    def __init__(self, predicate: Callable[[str], bool], expected: str) -> None:
        self.predicate = predicate
        self.expected = expected

    def __call__(self, value: str) -> str:
        if not self.predicate(value):
            raise ValueError(self.expected)
        return value


def _check(predicate: Callable[[str], bool], expected: str) -> AfterValidator:
    return AfterValidator(Check(predicate, expected))


def portable_pattern(regex: re.Pattern[str] | str) -> str:
    """A Python pattern as JSON Schema writes it: named groups become plain groups
    (ECMA-262 and Python spell names differently); the rest is common syntax."""
    text = regex.pattern if isinstance(regex, re.Pattern) else regex
    return re.sub(r"\(\?P<[A-Za-z_][A-Za-z0-9_]*>", "(", text)


class JsonSchemaHint:
    """JSON Schema keywords for what a Check enforces (a pattern, a length), added to
    the exported schema only: validation stays with the Check and its message. With
    `number`, a YAML number is accepted too (quantities written as `cpu: 2`)."""

    def __init__(self, *, number: bool = False, **keywords: Any) -> None:
        self.keywords = keywords
        self.number = number

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema) | self.keywords
        if self.number:
            return {"anyOf": [schema, {"type": "number", "exclusiveMinimum": 0}]}
        return schema


def _pattern(regex: re.Pattern[str] | str, **keywords: Any) -> JsonSchemaHint:
    return JsonSchemaHint(pattern=portable_pattern(regex), **keywords)


def _dns_label(value: str) -> bool:
    return len(value) <= 63 and bool(_DNS1123_LABEL.match(value))


def _pg_identifier(value: str) -> bool:
    return len(value.encode()) <= 63 and bool(_PG_IDENTIFIER.match(value))


def _image_pinned(value: str) -> bool:
    match = _IMAGE.match(value)
    if match is None or not (match["tag"] or match["digest"]):
        return False
    return match["digest"] is not None or match["tag"] != "latest"


def image_tag(image: str) -> str:
    """The tag of an image reference ('' when it has none)."""
    match = _IMAGE.match(image)
    return (match["tag"] or "") if match else ""


def image_repository(image: str) -> str:
    """The repository part of an image reference."""
    match = _IMAGE.match(image)
    return match["repository"] if match else image


def _number_to_text(value: object) -> object:
    """Quantities written as YAML numbers (`cpu: 2`, `cpu: 0.5`) mean the same text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


_NUMBER_AS_TEXT = BeforeValidator(_number_to_text)


def _positive_quantity(value: str) -> bool:
    amount = parse_quantity(value)
    return amount is not None and amount > 0


class ScheduleCheck(Check):
    def __init__(self) -> None:
        super().__init__(lambda value: schedule_problem(value) is None, SIX_FIELD_HELP)

    def __call__(self, value: str) -> str:
        problem = schedule_problem(value)
        if problem:
            raise ValueError(problem)
        return value


DNSLabel = Annotated[
    str,
    _pattern(_DNS1123_LABEL, maxLength=63),
    _check(
        _dns_label,
        "expected a DNS-1123 label (lower-case letters, digits and '-', "
        "starting and ending with a letter or digit, at most 63 characters)",
    ),
]
ClusterName = Annotated[
    str,
    _pattern(_DNS1035_LABEL, maxLength=50),
    _check(
        lambda v: len(v) <= 50 and bool(_DNS1035_LABEL.match(v)),
        "expected a Cluster name CloudNativePG accepts (a DNS-1035 label: lower-case letters, "
        "digits and '-', starting with a letter, ending with a letter or digit, at most 50 "
        "characters)",
    ),
]
LibraryName = Annotated[
    str,
    _pattern(_LIBRARY, maxLength=63),
    _check(
        lambda v: len(v) <= 63 and bool(_LIBRARY.match(v)),
        "expected a shared library name such as pg_stat_statements",
    ),
]
FluxReference = Annotated[
    str,
    _pattern(_FLUX_REFERENCE, maxLength=127),
    _check(
        lambda v: bool(_FLUX_REFERENCE.match(v)) and all(len(part) <= 63 for part in v.split("/")),
        "expected a Flux Kustomization as NAME (in flux_namespace) or NAMESPACE/NAME",
    ),
]
PgIdentifier = Annotated[
    str,
    _pattern(_PG_IDENTIFIER, maxLength=63),
    _check(
        _pg_identifier,
        "expected a PostgreSQL identifier (lower-case letters, digits and "
        "'_', not starting with a digit, at most 63 bytes)",
    ),
]
GoDuration = Annotated[
    str,
    _pattern(_GO_DURATION),
    _check(lambda v: bool(_GO_DURATION.match(v)), "expected a Go duration such as 30m, 1h or 24h"),
]
ExactVersion = Annotated[
    str,
    _pattern(_SEMVER),
    _check(
        lambda v: bool(_SEMVER.match(v)),
        "expected an exact semantic version such as 0.29.0 (no ranges or wildcards)",
    ),
]
ChartRepositoryURL = Annotated[
    str,
    _pattern(_CHART_URL),
    _check(lambda v: bool(_CHART_URL.match(v)), "expected an https:// or oci:// URL"),
]
HttpsURL = Annotated[
    str,
    _pattern(_HTTPS_URL),
    _check(lambda v: bool(_HTTPS_URL.match(v)), "expected an https:// URL"),
]
S3Path = Annotated[
    str,
    _pattern(_S3_PATH),
    _check(lambda v: bool(_S3_PATH.match(v)), "expected an S3 URI such as s3://bucket-name/path"),
]
RetentionPolicy = Annotated[
    str,
    _pattern(_RETENTION),
    _check(
        lambda v: bool(_RETENTION.match(v)),
        "expected a number of days, weeks or months "
        "matching ^[1-9][0-9]*[dwm]$, such as 30d, 4w or 3m",
    ),
]
CronSchedule = Annotated[str, _pattern(SCHEDULE_PATTERN), AfterValidator(ScheduleCheck())]
StorageQuantity = Annotated[
    str,
    _pattern(_POSITIVE + _MEMORY.pattern.removeprefix("^")),
    _check(
        lambda v: bool(_MEMORY.match(v)) and _positive_quantity(v),
        "expected a positive Kubernetes quantity such as 10Gi",
    ),
]
CpuQuantity = Annotated[
    str,
    _NUMBER_AS_TEXT,
    JsonSchemaHint(pattern=_POSITIVE + _CPU.pattern.removeprefix("^"), number=True),
    _check(
        lambda v: bool(_CPU.match(v)) and _positive_quantity(v),
        "expected a positive Kubernetes CPU quantity such as 100m, 0.5 or 2",
    ),
]
MemoryQuantity = Annotated[
    str,
    _NUMBER_AS_TEXT,
    JsonSchemaHint(pattern=_POSITIVE + _MEMORY.pattern.removeprefix("^"), number=True),
    _check(
        lambda v: bool(_MEMORY.match(v)) and _positive_quantity(v),
        "expected a positive Kubernetes memory quantity such as 256Mi or 1Gi",
    ),
]
PinnedImage = Annotated[
    str,
    _pattern(_PINNED + portable_pattern(_IMAGE).removeprefix("^")),
    _check(
        _image_pinned,
        "expected a pinned container image reference with a tag other than "
        "'latest' or a sha256 digest, such as ghcr.io/cloudnative-pg/postgis:16-3.6-system-trixie",
    ),
]
NonBlank = Annotated[
    str,
    _pattern(r"^\S([\s\S]*\S)?$"),
    _check(
        lambda v: bool(v.strip()) and v == v.strip(),
        "expected a non-blank string without surrounding spaces",
    ),
]
VaultPath = Annotated[
    str,
    _pattern(r"^[^\s/]([\s\S]*\S)?$"),
    _check(
        lambda v: bool(v.strip()) and v == v.strip() and not v.startswith("/"),
        "expected a Vault KV path under the store's mount, such as wildside/postgres/app",
    ),
]
SecretKeyName = Annotated[
    str,
    _pattern(SECRET_KEY),
    _check(
        lambda v: bool(SECRET_KEY.match(v)),
        "expected a key made of letters, digits, '-', '_' and '.'",
    ),
]
RepositoryPath = Annotated[
    str,
    _pattern(r"^(?!(.*/)?\.\.(/|$))\./[^ ]*$"),
    _check(
        lambda v: v.startswith("./") and ".." not in v.split("/") and " " not in v,
        "expected a path inside the Git repository starting with ./ "
        "(such as ./ or ./clusters/prod/)",
    ),
]


# Backups and recovery. Validated with re.fullmatch (the whole value); the anchored
# patterns are what JSON Schema and OpenTofu's regex() need.
_SERVER_NAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$")
_BACKUP_ID = re.compile(r"^[0-9]{8}T[0-9]{6}$")
_LSN = re.compile(r"^[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}$")
_RFC3339 = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})$"
)
# A restore point name: PostgreSQL keeps it in 64 bytes with the terminator, and
# CNPG's webhook refuses control characters in it.
_RESTORE_POINT = re.compile(r"^[^\x00-\x1f\x7f]{1,63}$")


def is_lsn(value: str) -> bool:
    return _LSN.fullmatch(value) is not None


def _rfc3339(value: str) -> bool:
    if _RFC3339.fullmatch(value) is None:
        return False
    from datetime import datetime

    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


ServerName = Annotated[
    str,
    _pattern(_SERVER_NAME, maxLength=63),
    _check(
        lambda v: _SERVER_NAME.fullmatch(v) is not None,
        "expected a server name of letters, digits, '-', '_' and '.', starting and ending "
        "with a letter or digit, at most 63 characters, such as wildside-pg-16",
    ),
]
BackupId = Annotated[
    str,
    _pattern(_BACKUP_ID),
    _check(
        lambda v: _BACKUP_ID.fullmatch(v) is not None,
        "expected a Barman backup ID such as 20260801T093000 (wildside-cnpg backups list "
        "shows them)",
    ),
]
is_rfc3339 = _rfc3339
Lsn = Annotated[
    str,
    _pattern(_LSN),
    _check(
        is_lsn,
        "expected a PostgreSQL LSN such as 0/3000060 (two hexadecimal numbers)",
    ),
]
RecoveryTime = Annotated[
    str,
    _pattern(_RFC3339),
    _check(
        _rfc3339,
        "expected an RFC 3339 time with a time zone, such as 2026-08-01T09:30:00Z or "
        "2026-08-01T11:30:00.250+02:00",
    ),
]
RestorePointName = Annotated[
    str,
    _pattern(_RESTORE_POINT),
    _check(
        lambda v: _RESTORE_POINT.fullmatch(v) is not None and len(v.encode()) < 64,
        "expected a restore point name (as given to pg_create_restore_point) of 1 to 63 "
        "bytes without control characters",
    ),
]
