"""Constrained types of the production inputs (databases, topology, access).

Every check matches the whole value (`re.fullmatch`) and refuses control characters:
each of these values ends up in a YAML file that CloudNativePG turns into SQL, a
configuration file (pg_hba.conf, pg_ident.conf) or a pod's environment. Map keys
(label keys, environment names) are checked by the rules in `rules_access.py`,
where the message can name the key."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from typing import Annotated

from .marks import After
from .text import has_control
from .types import (
    INT32_MAX,
    INT64_MAX,
    LABEL_KEY_PATTERN,
    Check,
    DNSSubdomain,
    JsonSchemaHint,
    LabelValue,
    label_key_problem,
)

__all__ = [
    "INT32_MAX",
    "INT64_MAX",
    "DNSSubdomain",
    "ExtensionName",
    "ExtensionVersion",
    "HbaLine",
    "IdentLine",
    "LabelKey",
    "LabelValue",
    "SourceRange",
    "TextValue",
]

EXTENSION_NAME = re.compile(r"[a-z_][a-z0-9_-]*")
EXTENSION_VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]*")
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
TEXT_LIMIT = 4096

# pg_hba.conf: a token is a double-quoted string or a run of other non-blank characters.
_TOKEN = re.compile(r'"[^"]*"|[^\s"]+')
_TOKENS = re.compile(r'[ \t]*(?:(?:"[^"]*"|[^\s"]+)[ \t]*)+')
HBA_TYPES = ("local", "host", "hostssl", "hostnossl", "hostgssenc", "hostnogssenc")
HBA_METHODS = (
    "trust",
    "reject",
    "scram-sha-256",
    "md5",
    "password",
    "gss",
    "sspi",
    "ident",
    "peer",
    "pam",
    "ldap",
    "radius",
    "cert",
    "oauth",
)
_IPV4 = re.compile(r"[0-9]{1,3}(\.[0-9]{1,3}){3}")


def _whole(pattern: re.Pattern[str], limit: int) -> Callable[[str], bool]:
    def matches(value: str) -> bool:
        return len(value) <= limit and not has_control(value) and bool(pattern.fullmatch(value))

    return matches


def _portable(pattern: re.Pattern[str]) -> str:
    return f"^(?:{pattern.pattern})$"


def _typed(pattern: re.Pattern[str], limit: int, expected: str) -> tuple[JsonSchemaHint, After]:
    return (
        JsonSchemaHint(pattern=_portable(pattern), maxLength=limit),
        After(Check(_whole(pattern, limit), expected)),
    )


def label_key_ok(key: str) -> bool:
    """A Kubernetes qualified name: an optional DNS subdomain prefix and '/', then a
    name of at most 63 characters."""
    return not has_control(key) and not label_key_problem(key)


def env_name_ok(name: str) -> bool:
    return _whole(ENV_NAME, 253)(name)


def text_ok(value: str) -> bool:
    return len(value) <= TEXT_LIMIT and not has_control(value)


def hba_tokens(line: str) -> list[str] | None:
    """The tokens of a pg_hba.conf or pg_ident.conf line, or None when it is not a
    single line of blank-separated tokens (quoted tokens may hold blanks)."""
    if has_control(line.replace("\t", " ")) or not _TOKENS.fullmatch(line):
        return None
    return _TOKEN.findall(line)


def hba_method(tokens: list[str]) -> str | None:
    """The authentication method of a pg_hba line's tokens (None when it has none)."""
    if not tokens:
        return None
    position = 3 if tokens[0] == "local" else 4
    # `host DB USER 10.0.0.0 255.0.0.0 METHOD`: an address and a separate mask.
    if (
        tokens[0] != "local"
        and len(tokens) > 5
        and _IPV4.fullmatch(tokens[3])
        and _IPV4.fullmatch(tokens[4])
    ):
        position = 5
    return tokens[position] if len(tokens) > position else None


def hba_problem(line: str) -> str | None:
    tokens = hba_tokens(line) if len(line) <= TEXT_LIMIT else None
    if not tokens:
        return "expected one pg_hba.conf line (TYPE DATABASE USER [ADDRESS] METHOD [OPTIONS])"
    if tokens[0] not in HBA_TYPES:
        return f"expected a connection type ({', '.join(HBA_TYPES)}) first"
    if any(token.startswith("#") for token in tokens):
        return "expected no comment (#)"
    if any(token.startswith("@") for token in tokens[1:3]):
        return "expected no @file inclusion (it reads a file inside the data directory)"
    if "${" in line:
        return "expected no ${...} reference (pod selectors are not rendered)"
    method = hba_method(tokens)
    if method not in HBA_METHODS:
        return f"expected an authentication method ({', '.join(HBA_METHODS)})"
    return None


def ident_problem(line: str) -> str | None:
    tokens = hba_tokens(line) if len(line) <= TEXT_LIMIT else None
    if tokens is not None and any(token.startswith("#") for token in tokens):
        return "expected no comment (#)"
    if tokens is None or len(tokens) != 3:
        return "expected one pg_ident.conf line (MAPNAME SYSTEM-USERNAME DATABASE-USERNAME)"
    if tokens[0] in ("include", "include_if_exists", "include_dir"):
        return "expected a map name, not an include directive"
    return None


class _LineCheck(Check):
    """A Check whose message says what is wrong with the line."""

    def __init__(self, problem: Callable[[str], str | None], expected: str) -> None:
        super().__init__(lambda value: problem(value) is None, expected)
        self.problem = problem

    def __call__(self, value: str) -> str:
        problem = self.problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value


ExtensionName = Annotated[
    str,
    *_typed(
        EXTENSION_NAME,
        63,
        "expected a PostgreSQL extension name (lower-case letters, digits, '_' and '-', "
        "not starting with a digit, at most 63 characters), such as postgis or uuid-ossp",
    ),
]
ExtensionVersion = Annotated[
    str,
    *_typed(
        EXTENSION_VERSION,
        63,
        "expected an extension version such as 3.6.4 (letters, digits, '.', '_' and '-', "
        "at most 63 characters)",
    ),
]
TextValue = Annotated[
    str,
    JsonSchemaHint(
        pattern="^[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]*$", maxLength=TEXT_LIMIT
    ),
    After(
        Check(text_ok, f"expected text without control characters, at most {TEXT_LIMIT} characters")
    ),
]
HbaLine = Annotated[
    str,
    JsonSchemaHint(
        pattern="^(local|host|hostssl|hostnossl|hostgssenc|hostnogssenc)[ \\t]",
        maxLength=TEXT_LIMIT,
    ),
    After(
        _LineCheck(
            hba_problem,
            "expected one pg_hba.conf line (TYPE DATABASE USER [ADDRESS] METHOD [OPTIONS]) "
            "with a known connection type and method, without comments, @file inclusions "
            "or ${...} references",
        )
    ),
]
IdentLine = Annotated[
    str,
    JsonSchemaHint(
        pattern="^[ \\t]*[^\\s#]+[ \\t]+[^\\s]+[ \\t]+[^\\s]+[ \\t]*$", maxLength=TEXT_LIMIT
    ),
    After(
        _LineCheck(
            ident_problem,
            "expected one pg_ident.conf line (MAPNAME SYSTEM-USERNAME DATABASE-USERNAME) "
            "without comments",
        )
    ),
]
LABEL_KEY_EXPECTED = (
    "expected a label key: a name of at most 63 letters, digits, '-', '_' and '.' "
    "(starting and ending with a letter or digit), with an optional DNS subdomain prefix "
    "and '/', such as topology.kubernetes.io/zone"
)
LabelKey = Annotated[
    str,
    JsonSchemaHint(pattern=LABEL_KEY_PATTERN, maxLength=317),
    After(Check(label_key_ok, LABEL_KEY_EXPECTED)),
]


def network_in_cidr_form(value: str) -> bool:
    """An IPv4 or IPv6 network with its prefix length and no host bits set, such as
    10.0.0.0/8, written as the API server's strict validation requires (KEP-4858): no
    leading zeros in an IPv4 address or in the prefix length."""
    _, slash, prefix = value.partition("/")
    if not (slash and prefix.isascii() and prefix.isdigit()) or prefix != str(int(prefix)):
        return False
    try:
        ipaddress.ip_network(value, strict=True)
    except ValueError:
        return False
    return True


SourceRange = Annotated[
    str,
    JsonSchemaHint(maxLength=49),
    After(
        Check(
            network_in_cidr_form,
            "expected a network in CIDR form with no host bits set, such as 10.0.0.0/8 or "
            "2001:db8::/32",
        )
    ),
]
