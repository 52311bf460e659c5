"""The HCL spelling of each constrained string type in `inputs/types.py`.

Each entry is a condition on an HCL expression (the value, never null here) that
holds when the tool's own check passes. `exact` rules accept exactly what the tool
accepts for ASCII input; the others are looser (the tool refines them when it runs,
with its own message), never stricter. One exception: in Python a pattern's `$` also
matches before a trailing newline, so the tool lets `"name\n"` through where OpenTofu's
regex() (RE2) refuses it. A type missing here is an error when the variables file is
generated: add its condition."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, get_args

from ..inputs import feature_types as ft
from ..inputs import types as t
from ..inputs.marks import After
from ..inputs.schedule import DESCRIPTORS
from . import hcl


@dataclass(frozen=True)
class StringRule:
    condition: Callable[[str], str]
    exact: bool = True


def _matches(pattern: str, ref: str) -> str:
    return f"can(regex({hcl.string(pattern)}, {ref}))"


def _regex(pattern: str) -> StringRule:
    return StringRule(lambda ref: _matches(pattern, ref))


def _bounded_regex(pattern: str, limit: int) -> StringRule:
    return StringRule(lambda ref: f"length({ref}) <= {limit} && {_matches(pattern, ref)}")


def _positive(pattern: str) -> StringRule:
    # Positive: the number has a non-zero digit (suffixes carry no digits).
    return StringRule(lambda ref: f"{_matches(pattern, ref)} && {_matches('[1-9]', ref)}")


def _named_groups_only(pattern: str) -> str:
    """`pattern` with its unnamed groups made non-capturing: OpenTofu's regex()
    refuses a pattern that mixes named and unnamed capture groups."""
    out: list[str] = []
    escaped = in_class = False
    for index, char in enumerate(pattern):
        out.append(char)
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(" and not pattern.startswith("?", index + 1):
            out.append("?:")
    return "".join(out)


_IMAGE = hcl.string(_named_groups_only(t._IMAGE.pattern))


def _image(ref: str) -> str:
    match = f"regex({_IMAGE}, {ref})"
    return (
        f'can({match}) ? ({match}["digest"] != null || '
        f'coalesce({match}["tag"], "latest") != "latest") : false'
    )


# A control character (RE2 syntax): the tool refuses one in every string input.
_CONTROL = r"[\x00-\x1f\x7f]"


def secret_condition(ref: str) -> str:
    """A sensitive string: not blank, no surrounding spaces, no control characters."""
    return f'trimspace({ref}) != "" && trimspace({ref}) == {ref} && !{_matches(_CONTROL, ref)}'


def _no_dots(ref: str) -> str:
    """No '.' or '..' segment in a '/'-separated path (the first may be '.' in ./)."""
    return f'!contains(split("/", trimprefix({ref}, "./")), "..") && ' + (
        f'!contains(split("/", trimprefix({ref}, "./")), ".")'
    )


_FIELD = hcl.string(r"[^\s]+")


def _schedule(ref: str) -> str:
    # Six fields or a descriptor; the tool checks each field's range itself.
    descriptors = hcl.literal(sorted(DESCRIPTORS))
    return (
        f"contains({descriptors}, trimspace({ref})) || "
        f'startswith(trimspace({ref}), "@every ") || '
        f"length(regexall({_FIELD}, {ref})) == 6"
    )


def _whole_regex(pattern: str, limit: int) -> StringRule:
    return _bounded_regex(f"^(?:{pattern})$", limit)


_TEXT_CONTROL = r"[\x00-\x1f\x7f-\x9f\x{2028}\x{2029}]"


def _text(ref: str) -> str:
    return f"length({ref}) <= {ft.TEXT_LIMIT} && !{_matches(_TEXT_CONTROL, ref)}"


_HBA_START = "^[ \t]*(" + "|".join(ft.HBA_TYPES) + ")[ \t]+[^ \t]"
_IDENT = "^[ \t]*[^\\s#]+[ \t]+[^\\s]+[ \t]+[^\\s]+[ \t]*$"

_BY_TYPE: dict[Any, StringRule] = {
    t.DNSLabel: _bounded_regex(t._DNS1123_LABEL.pattern, 63),
    t.DNSSubdomain: _bounded_regex("^" + t._DNS1123_SUBDOMAIN.pattern + "$", 253),
    t.LabelValue: _bounded_regex("^(" + t._LABEL_NAME.pattern + ")?$", 63),
    t.PgIdentifier: _bounded_regex(t._PG_IDENTIFIER.pattern, 63),
    t.ClusterName: _bounded_regex(t._DNS1035_LABEL.pattern, 50),
    t.ServiceName: _bounded_regex(t._DNS1035_LABEL.pattern, 63),
    t.LibraryName: _bounded_regex(t._LIBRARY.pattern, 63),
    t.FluxReference: StringRule(
        lambda ref: (
            f"{_matches(t._FLUX_REFERENCE.pattern, ref)} && "
            f'alltrue([for part in split("/", {ref}) : length(part) <= 63])'
        )
    ),
    t.GoDuration: _regex(t._GO_DURATION.pattern),
    t.ExactVersion: _regex(t._SEMVER.pattern),
    # Looser: the tool also checks that a port is at most 65535.
    t.ChartRepositoryURL: StringRule(
        lambda ref: _matches(_named_groups_only(t._CHART_URL.pattern), ref), exact=False
    ),
    t.HttpsURL: StringRule(
        lambda ref: _matches(_named_groups_only(t._HTTPS_URL.pattern), ref), exact=False
    ),
    t.S3Path: _regex(t._S3_PATH.pattern),
    t.RetentionPolicy: _regex(t._RETENTION.pattern),
    t.CronSchedule: StringRule(_schedule, exact=False),
    t.StorageQuantity: _positive(t._MEMORY.pattern),
    t.CpuQuantity: _positive(t._CPU.pattern),
    t.MemoryQuantity: _positive(t._MEMORY.pattern),
    t.PinnedImage: StringRule(_image),
    t.ServerName: _bounded_regex(t._SERVER_NAME.pattern, 63),
    t.BackupId: _regex(t._BACKUP_ID.pattern),
    t.Lsn: _regex(t._LSN.pattern),
    # The form only: the tool also checks the date is real (and not in the future).
    t.RecoveryTime: StringRule(lambda ref: _matches(t._RFC3339.pattern, ref), exact=False),
    # Characters, not bytes: the tool also counts the bytes.
    t.RestorePointName: StringRule(
        lambda ref: _matches(t._RESTORE_POINT.pattern, ref), exact=False
    ),
    ft.ExtensionName: _whole_regex(ft.EXTENSION_NAME.pattern, 63),
    ft.ExtensionVersion: _whole_regex(ft.EXTENSION_VERSION.pattern, 63),
    # The tool checks the prefix (253) and the name (63) apart; this bounds the whole.
    ft.LabelKey: StringRule(
        lambda ref: f"length({ref}) <= 317 && {_matches(t.LABEL_KEY_PATTERN, ref)}", exact=False
    ),
    ft.TextValue: StringRule(_text),
    # Looser: Go's CIDR parser also takes host bits (10.0.0.1/8), which the tool refuses.
    ft.SourceRange: StringRule(lambda ref: f"can(cidrhost({ref}, 0))", exact=False),
    # Lines: the connection type and the number of tokens; the tool checks the rest.
    ft.HbaLine: StringRule(
        lambda ref: f"length({ref}) <= {ft.TEXT_LIMIT} && {_matches(_HBA_START, ref)}", exact=False
    ),
    ft.IdentLine: StringRule(
        lambda ref: f"length({ref}) <= {ft.TEXT_LIMIT} && {_matches(_IDENT, ref)}", exact=False
    ),
    t.VaultPath: StringRule(
        lambda ref: f"{_matches(t._VAULT_PATH.pattern, ref)} && {_no_dots(ref)}"
    ),
    t.SecretKeyName: _bounded_regex(t.SECRET_KEY.pattern, 253),
    t.RepositoryPath: StringRule(
        lambda ref: f"{_matches(t._REPOSITORY_PATH.pattern, ref)} && {_no_dots(ref)}"
    ),
    t.DNSSubdomain: _bounded_regex(t._DNS1123_SUBDOMAIN.pattern, 253),
    t.HelmReleaseName: _bounded_regex(t._DNS1123_LABEL.pattern, 53),
    t.HelmChartName: _bounded_regex(t._DNS1123_LABEL.pattern, 63),
    t.FluxDuration: _regex(t._FLUX_DURATION.pattern),
    t.ParameterValue: StringRule(lambda ref: f"!{_matches(_CONTROL, ref)}"),
}


def _check_of(alias: Any) -> t.Check:
    for meta in get_args(alias)[1:]:
        if isinstance(meta, After) and isinstance(meta.func, t.Check):
            return meta.func
    raise TypeError(f"{alias!r} carries no Check")


# Keyed by the check object itself (compared by identity): pydantic keeps it in the
# metadata of every field of that type.
STRING_RULES: dict[t.Check, StringRule] = {
    _check_of(alias): rule for alias, rule in _BY_TYPE.items()
}
