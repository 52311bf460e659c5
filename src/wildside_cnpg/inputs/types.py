"""Constrained input types. Each validator raises ValueError with the expected form
only; the loader prefixes the input name and the offending value.

Every pattern matches the whole value (`text.whole`), and every string type refuses
control characters (a newline in a name would end up in a file name, a template or
a command line)."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

from ..yamlload import MAX_SIGNIFICANT_DIGITS
from .marks import After, Before, Secret
from .quantity import parse_quantity
from .schedule import SCHEDULE_PATTERN, SIX_FIELD_HELP, schedule_problem
from .text import has_control, match_whole, whole

if TYPE_CHECKING:
    from pydantic import GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import CoreSchema

# Each pattern keeps its ^ and $ (the JSON Schema export reads them); the checks
# match it against the whole value (text.whole), where $ alone would let a final
# newline through.
_LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS1123_LABEL = re.compile(rf"^{_LABEL}$")
_DNS1123_SUBDOMAIN = re.compile(rf"^{_LABEL}(\.{_LABEL})*$")
_DNS1035_LABEL = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
_LABEL_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
_label_name = whole(_LABEL_NAME)
_LIBRARY = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
_FLUX_REFERENCE = re.compile(rf"^({_LABEL}/)?{_LABEL}$")
_PG_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
_GO_DURATION = re.compile(r"^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$")
# Flux's CRDs allow fewer units than Go.
_FLUX_DURATION = re.compile(r"^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$")
_SEMVER = re.compile(
    r"^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)"
    r"(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$"
)
_RETENTION = re.compile(r"^[1-9][0-9]*[dwm]$")
_S3_PATH = re.compile(r"^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[\x21-\x7e]*)?$")
_URL_PATH = r"(/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*)?"
_URL_HOST = r"[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:(?P<port>[0-9]{1,5}))?"
_HTTPS_URL = re.compile(rf"^https://{_URL_HOST}{_URL_PATH}$")
_CHART_URL = re.compile(rf"^(https|oci)://{_URL_HOST}{_URL_PATH}$")
_CPU = re.compile(r"^[0-9]+(\.[0-9]+)?m?$")
_MEMORY = re.compile(r"^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$")
_IMAGE = re.compile(
    r"^(?P<repository>[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-]{1,2}[a-z0-9]+)*)*)"
    r"(:(?P<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?"
    r"(@(?P<digest>sha256:[a-f0-9]{64}))?$"
)
SECRET_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")
_PATH_SEGMENT = r"[A-Za-z0-9._-]+"
_VAULT_PATH = re.compile(rf"^{_PATH_SEGMENT}(/{_PATH_SEGMENT})*$")
_REPOSITORY_PATH = re.compile(rf"^\./({_PATH_SEGMENT}/)*({_PATH_SEGMENT})?$")

_dns_label = whole(_DNS1123_LABEL)
_dns_subdomain = whole(_DNS1123_SUBDOMAIN)
_dns1035_label = whole(_DNS1035_LABEL)
_pg_identifier = whole(_PG_IDENTIFIER)
_go_duration = whole(_GO_DURATION)
_flux_duration = whole(_FLUX_DURATION)
_semver = whole(_SEMVER)
_retention = whole(_RETENTION)
_s3_path = whole(_S3_PATH)
_cpu = whole(_CPU)
_memory = whole(_MEMORY)
_secret_key = whole(SECRET_KEY)
_vault_path = whole(_VAULT_PATH)
_repository_path = whole(_REPOSITORY_PATH)
_library = whole(_LIBRARY)
_flux_reference = whole(_FLUX_REFERENCE)
# For the exported JSON Schema: a number with a non-zero digit (a positive quantity),
# and an image reference with a digest, or a tag other than latest.
_POSITIVE = r"^(?=[0-9.]*[1-9])"
_PINNED = r"^(?=.*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$)(?!.*:latest$)"
# No '.' or '..' segment: after the leading ./ of a repository path, or anywhere.
_NO_DOT_SEGMENTS = r"^(?!\./(.*/)?\.{1,2}(/|$))"
_NO_DOT_SEGMENTS_AT_ALL = r"^(?!(.*/)?\.{1,2}(/|$))"

# Kubernetes integer fields: int32, and int64 (a Go int in a CRD without a format).
INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1
# A Go time.Duration is int64 nanoseconds: the longest whole number of seconds.
GO_DURATION_MAX_SECONDS = INT64_MAX // 10**9


class Check:
    """A validator that knows the form it expects, so docs can show the rule. Values
    with control characters never pass."""

    def __init__(self, predicate: Callable[[str], bool], expected: str) -> None:
        self.predicate = predicate
        self.expected = expected

    def __call__(self, value: str) -> str:
        if has_control(value) or not self.predicate(value):
            raise ValueError(self.expected)
        return value


def _check(predicate: Callable[[str], bool], expected: str) -> After:
    return After(Check(predicate, expected))


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


def _no_dot_segments(value: str) -> bool:
    return not any(segment in (".", "..") for segment in value.split("/"))


def _url(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    def valid(value: str) -> bool:
        match = match_whole(pattern, value)
        return match is not None and (match["port"] is None or 0 < int(match["port"]) <= 65535)

    return valid


def _image_pinned(value: str) -> bool:
    match = match_whole(_IMAGE, value)
    if match is None or not (match["tag"] or match["digest"]):
        return False
    return match["digest"] is not None or match["tag"] != "latest"


def image_tag(image: str) -> str:
    """The tag of an image reference ('' when it has none)."""
    match = match_whole(_IMAGE, image)
    return (match["tag"] or "") if match else ""


def image_repository(image: str) -> str:
    """The repository part of an image reference."""
    match = match_whole(_IMAGE, image)
    return match["repository"] if match else image


def _number_to_text(value: object) -> object:
    """Quantities written as YAML numbers (`cpu: 2`, `cpu: 0.5`) mean the same text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


_NUMBER_AS_TEXT = Before(_number_to_text)


def _positive_quantity(value: str) -> bool:
    amount = parse_quantity(value)
    return amount is not None and amount > 0


class ScheduleCheck(Check):
    def __init__(self) -> None:
        super().__init__(lambda value: schedule_problem(value) is None, SIX_FIELD_HELP)

    def __call__(self, value: str) -> str:
        problem = SIX_FIELD_HELP if has_control(value) else schedule_problem(value)
        if problem:
            raise ValueError(problem)
        return value


class SecretCheck:
    """A sensitive string: not blank, no surrounding spaces, no control characters.
    The message never includes the value (the loader shows `<sensitive>`)."""

    expected = "expected a non-blank string without surrounding spaces or control characters"

    def __call__(self, value: Secret) -> Secret:
        text = value.get_secret_value()
        if not text.strip() or text != text.strip() or has_control(text):
            raise ValueError(self.expected)
        return value


_CONTROL_IN_CHART_VALUES = (
    "expected chart values without control characters (values may hold tabs and newlines)"
)


def _helm_value_problem(value: Any, where: str) -> str | None:
    """What in chart values is refused, and where: a control character in a key or a
    value (a value may span lines: tabs and newlines are allowed in values, not in
    keys), or a `*.tfvars.json` number of more than 150 significant digits (it stays
    the Decimal it was read as: opentofu/ctynumber.py)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if has_control(str(key)):
                return f"{_CONTROL_IN_CHART_VALUES}; found one in a key in {where}"
            problem = _helm_value_problem(item, f"{where}.{key}")
            if problem:
                return problem
    elif isinstance(value, list):
        for index, item in enumerate(value):
            problem = _helm_value_problem(item, f"{where}[{index}]")
            if problem:
                return problem
    elif isinstance(value, str) and has_control(value, layout=True):
        return f"{_CONTROL_IN_CHART_VALUES}; found one in {where}"
    elif isinstance(value, Decimal):
        return (
            "expected chart values without numbers of more than "
            f"{MAX_SIGNIFICANT_DIGITS} significant digits; found one in {where}"
        )
    return None


class HelmValuesCheck:
    expected = _CONTROL_IN_CHART_VALUES

    def __call__(self, value: Any) -> Any:
        problem = _helm_value_problem(value, "helm_values")
        if problem:
            raise ValueError(problem)
        return value


HelmValues = Annotated[dict[str, Any] | list[str], After(HelmValuesCheck())]


_DNS_LABEL_TEXT = (
    "lower-case letters, digits and '-', starting and ending with a letter or digit, "
    "at most {} characters"
)
DNSLabel = Annotated[
    str,
    _pattern(_DNS1123_LABEL, maxLength=63),
    _check(
        lambda v: len(v) <= 63 and _dns_label(v),
        f"expected a DNS-1123 label ({_DNS_LABEL_TEXT.format(63)})",
    ),
]
DNSSubdomain = Annotated[
    str,
    _pattern(_DNS1123_SUBDOMAIN, maxLength=253),
    _check(
        lambda v: len(v) <= 253 and _dns_subdomain(v),
        "expected a DNS-1123 subdomain (dot-separated parts of lower-case letters, digits "
        "and '-', each starting and ending with a letter or digit, at most 253 characters)",
    ),
]
ClusterName = Annotated[
    str,
    _pattern(_DNS1035_LABEL, maxLength=50),
    _check(
        lambda v: len(v) <= 50 and _dns1035_label(v),
        "expected a DNS-1035 label of at most 50 characters, as CloudNativePG requires "
        "(lower-case letters, digits and '-', starting with a letter and ending with a "
        "letter or digit)",
    ),
]
ServiceName = Annotated[
    str,
    _pattern(_DNS1035_LABEL, maxLength=63),
    _check(
        lambda v: len(v) <= 63 and _dns1035_label(v),
        "expected a Service name: a DNS-1035 label (lower-case letters, digits and '-', "
        "starting with a letter and ending with a letter or digit, at most 63 characters)",
    ),
]
HelmReleaseName = Annotated[
    str,
    _pattern(_DNS1123_LABEL, maxLength=53),
    _check(
        lambda v: len(v) <= 53 and _dns_label(v),
        f"expected a Helm release name ({_DNS_LABEL_TEXT.format(53)})",
    ),
]
HelmChartName = Annotated[
    str,
    _pattern(_DNS1123_LABEL, maxLength=63),
    _check(
        lambda v: len(v) <= 63 and _dns_label(v),
        f"expected a Helm chart name ({_DNS_LABEL_TEXT.format(63)})",
    ),
]
LibraryName = Annotated[
    str,
    _pattern(_LIBRARY, maxLength=63),
    _check(
        lambda v: len(v) <= 63 and _library(v),
        "expected a shared library name such as pg_stat_statements",
    ),
]
FluxReference = Annotated[
    str,
    _pattern(_FLUX_REFERENCE, maxLength=127),
    _check(
        lambda v: _flux_reference(v) and all(len(part) <= 63 for part in v.split("/")),
        "expected a Flux Kustomization as NAME (in flux_namespace) or NAMESPACE/NAME",
    ),
]
PgIdentifier = Annotated[
    str,
    _pattern(_PG_IDENTIFIER, maxLength=63),
    _check(
        lambda v: len(v.encode()) <= 63 and _pg_identifier(v),
        "expected a PostgreSQL identifier (lower-case letters, digits and "
        "'_', not starting with a digit, at most 63 bytes)",
    ),
]
GoDuration = Annotated[
    str,
    _pattern(_GO_DURATION),
    _check(
        _go_duration,
        "expected a Go duration such as 30m, 1h or 1h30m (units ns, us, µs, ms, s, m, h)",
    ),
]
FluxDuration = Annotated[
    str,
    _pattern(_FLUX_DURATION),
    _check(
        _flux_duration,
        "expected a duration Flux accepts such as 30m, 1h or 1h30m (units ms, s, m, h)",
    ),
]
ExactVersion = Annotated[
    str,
    _pattern(_SEMVER),
    _check(
        _semver,
        "expected an exact semantic version such as 0.29.0 (no ranges or wildcards)",
    ),
]
ChartRepositoryURL = Annotated[
    str,
    _pattern(_CHART_URL),
    _check(
        _url(_CHART_URL),
        "expected an https:// or oci:// URL (host, optional port, path of URL characters)",
    ),
]
HttpsURL = Annotated[
    str,
    _pattern(_HTTPS_URL),
    _check(
        _url(_HTTPS_URL),
        "expected an https:// URL (host, optional port, path of URL characters)",
    ),
]
S3Path = Annotated[
    str,
    _pattern(_S3_PATH),
    _check(
        _s3_path,
        "expected an S3 URI such as s3://bucket-name/path (a bucket name, then a path "
        "without spaces)",
    ),
]
RetentionPolicy = Annotated[
    str,
    _pattern(_RETENTION),
    _check(
        _retention,
        "expected a number of days, weeks or months "
        "matching ^[1-9][0-9]*[dwm]$, such as 30d, 4w or 3m",
    ),
]
CronSchedule = Annotated[str, _pattern(SCHEDULE_PATTERN), After(ScheduleCheck())]
StorageQuantity = Annotated[
    str,
    _pattern(_POSITIVE + _MEMORY.pattern.removeprefix("^")),
    _check(
        lambda v: _memory(v) and _positive_quantity(v),
        "expected a positive Kubernetes quantity such as 10Gi",
    ),
]
CpuQuantity = Annotated[
    str,
    _NUMBER_AS_TEXT,
    JsonSchemaHint(pattern=_POSITIVE + _CPU.pattern.removeprefix("^"), number=True),
    _check(
        lambda v: _cpu(v) and _positive_quantity(v),
        "expected a positive Kubernetes CPU quantity such as 100m, 0.5 or 2",
    ),
]
MemoryQuantity = Annotated[
    str,
    _NUMBER_AS_TEXT,
    JsonSchemaHint(pattern=_POSITIVE + _MEMORY.pattern.removeprefix("^"), number=True),
    _check(
        lambda v: _memory(v) and _positive_quantity(v),
        "expected a positive Kubernetes memory quantity such as 256Mi or 1Gi",
    ),
]
PinnedImage = Annotated[
    str,
    _pattern(_PINNED + _IMAGE.pattern.removeprefix("^")),
    _check(
        _image_pinned,
        "expected a pinned container image reference with a tag other than "
        "'latest' or a sha256 digest, such as ghcr.io/cloudnative-pg/postgis:16-3.6-system-trixie",
    ),
]
VaultPath = Annotated[
    str,
    _pattern(_NO_DOT_SEGMENTS_AT_ALL + _VAULT_PATH.pattern.removeprefix("^")),
    _check(
        lambda v: _vault_path(v) and _no_dot_segments(v),
        "expected a Vault KV path under the store's mount, such as wildside/postgres/app "
        "('/'-separated segments of letters, digits, '.', '_' and '-', no . or ..)",
    ),
]
SecretKeyName = Annotated[
    str,
    _pattern(SECRET_KEY, maxLength=253),
    _check(
        lambda v: len(v) <= 253 and _secret_key(v),
        "expected a key made of letters, digits, '-', '_' and '.' (at most 253 characters)",
    ),
]
RepositoryPath = Annotated[
    str,
    _pattern(_NO_DOT_SEGMENTS + _REPOSITORY_PATH.pattern.removeprefix("^")),
    _check(
        lambda v: _repository_path(v) and _no_dot_segments(v.removeprefix("./")),
        "expected a path inside the Git repository starting with ./ (such as ./ or "
        "./clusters/prod/; '/'-separated segments of letters, digits, '.', '_' and '-', "
        "no . or ..)",
    ),
]
ParameterValue = Annotated[
    str, _check(lambda v: True, "expected a value without control characters (such as a newline)")
]
SecretText = Annotated[Secret, After(SecretCheck())]
LabelValue = Annotated[
    str,
    _pattern("^(" + _LABEL_NAME.pattern.strip("^$") + ")?$", maxLength=63),
    _check(
        lambda v: v == "" or (len(v) <= 63 and _label_name(v)),
        "expected a Kubernetes label value (letters, digits, '-', '_' and '.', starting and "
        "ending with a letter or digit, at most 63 characters)",
    ),
]


def label_key_problem(key: str) -> bool:
    """Whether `key` is not a Kubernetes label key ([prefix/]name: a DNS-1123 subdomain
    prefix of at most 253 characters, a name of at most 63)."""
    prefix, slash, name = key.rpartition("/")
    if slash and (len(prefix) > 253 or not _dns_subdomain(prefix)):
        return True
    return len(name) > 63 or not _label_name(name)


# A label key, for the exported JSON Schema's propertyNames.
LABEL_KEY_PATTERN = (
    "^(" + _DNS1123_SUBDOMAIN.pattern.strip("^$") + "/)?" + _LABEL_NAME.pattern.strip("^$") + "$"
)


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
