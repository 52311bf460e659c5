"""Rules on the PostgreSQL parameters, the image's version, the update strategy and
the memory request, mirroring what CloudNativePG's webhook (internal/webhook/v1/
cluster_webhook.go, 1.30.0) refuses: validateConfiguration, validateResources,
validateWalSizeConfiguration, validatePrimaryUpdateStrategy, validateImageName and
validatePgFailoverSlots. Without them the Cluster renders, Flux applies it, the
webhook refuses it, and the whole cluster layer fails on every retry."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from ..yamlload import show_value
from .derived import image_name
from .pg_quantity import go_atoi, postgres_quantity
from .quantity import parse_quantity
from .types import image_tag

if TYPE_CHECKING:
    from .compiled import Inputs

# pkg/postgres/booleans.go ParsePostgresConfigBoolean (compared lower-cased).
POSTGRES_TRUE = frozenset({"1", "on", "y", "ye", "yes", "t", "tr", "tru", "true"})
POSTGRES_FALSE = frozenset({"0", "of", "off", "n", "no", "f", "fa", "fal", "fals", "false"})
# The parameters the webhook parses as booleans.
BOOLEAN_PARAMETERS = ("hot_standby_feedback", "sync_replication_slots", "wal_log_hints")
# validateWalSizeConfiguration's defaults for an unset (or empty) parameter.
MIN_WAL_SIZE_DEFAULT = "80MB"
MAX_WAL_SIZE_DEFAULT = "1GB"
# The oldest PostgreSQL major version the webhook accepts.
OLDEST_POSTGRES = 13
_REFUSES = "CloudNativePG's webhook refuses"
_SIZE_FORM = (
    "a size such as 256MB, 1GB or 8kB (a number, then kB, MB, GB or TB; a bare number "
    "is read as MB)"
)
# machinery v0.5.0 pkg/postgres/version FromTag: the version the tag starts with.
_TAG_VERSION = re.compile(r"([0-9]\.?)+")


def postgres_boolean(value: str) -> bool | None:
    """ParsePostgresConfigBoolean: the value, or None where it returns an error."""
    lowered = value.lower()
    if lowered in POSTGRES_TRUE:
        return True
    if lowered in POSTGRES_FALSE:
        return False
    return None


def tag_major(tag: str) -> int | None:
    """The PostgreSQL major version CloudNativePG reads from an image tag (None where
    it refuses the tag)."""
    match = _TAG_VERSION.match(tag)
    if match is None:
        return None
    parts = match.group().split(".")
    major = go_atoi(parts[0])
    if len(parts) > 1 and go_atoi(parts[1]) is None:
        return None
    return major


def _bare(value: str, *, pages: bool = False) -> str:
    """A note for a bare number, which the webhook reads as MB."""
    if go_atoi(value) is None:
        return ""
    postgres = ", where PostgreSQL reads 8kB pages: write the unit" if pages else ""
    return f"; it reads the bare number {value} as {value}MB{postgres}"


def _booleans(inputs: Inputs) -> Iterator[str]:
    parameters = inputs.postgresql_parameters
    for name in BOOLEAN_PARAMETERS:
        value = parameters.get(name)
        if value is not None and postgres_boolean(value) is None:
            yield (
                f"postgresql_parameters.{name}: expected a PostgreSQL boolean as CloudNativePG "
                "reads it (on, off, true, false, yes, no, 1 or 0; a prefix such as t or f "
                f"too), got {show_value(value)} ({_REFUSES} anything else)"
            )
    hints = parameters.get("wal_log_hints")
    if hints is not None and postgres_boolean(hints) is False and inputs.instances > 1:
        yield (
            f"postgresql_parameters.wal_log_hints: expected on with {inputs.instances} "
            f"instances (pg_rewind needs it to turn a former primary into a replica; "
            f"{_REFUSES} off with more than 1 instance), got {show_value(hints)}"
        )
    if any(name.startswith("pg_failover_slots.") for name in parameters):
        feedback = parameters.get("hot_standby_feedback")
        if feedback is None or postgres_boolean(feedback) is not True:
            got = "unset" if feedback is None else show_value(feedback)
            yield (
                "postgresql_parameters.hot_standby_feedback: expected on with "
                f"pg_failover_slots.* parameters ({_REFUSES} the pg_failover_slots "
                f"extension without it), got {got}"
            )


def _wal_level(inputs: Inputs) -> Iterator[str]:
    level = inputs.postgresql_parameters.get("wal_level")
    if level is None or level in ("logical", "replica"):
        return
    why = (
        f"{_REFUSES} minimal, since CloudNativePG always turns archive_mode on"
        if level == "minimal"
        else "CloudNativePG's webhook knows only logical, replica and minimal, in lower case"
    )
    yield (
        f"postgresql_parameters.wal_level: expected logical or replica, got "
        f"{show_value(level)} ({why})"
    )


def _shared_buffers(inputs: Inputs) -> Iterator[str]:
    value = inputs.postgresql_parameters.get("shared_buffers", "")
    if value == "":
        return
    size = postgres_quantity(value)
    if size is None:
        yield (
            f"postgresql_parameters.shared_buffers: expected {_SIZE_FORM}, got "
            f"{show_value(value)} ({_REFUSES} it)"
        )
        return
    memory = inputs.resource_requests.memory
    request = parse_quantity(memory)
    if request is not None and request != 0 and size > request:
        yield (
            f"postgresql_parameters.shared_buffers: expected at most resource_requests.memory "
            f"'{memory}', got {show_value(value)} ({_REFUSES} a memory request lower than "
            f"shared_buffers{_bare(value, pages=True)})"
        )


def _wal_size(inputs: Inputs, name: str, default: str) -> tuple[str, bool, Decimal | None]:
    """The parameter's text, whether it is set, and its size (None: refused)."""
    value = inputs.postgresql_parameters.get(name, "")
    text = value or default
    return text, value != "", postgres_quantity(text)


def _wal_sizes(inputs: Inputs) -> Iterator[str]:
    minimum = _wal_size(inputs, "min_wal_size", MIN_WAL_SIZE_DEFAULT)
    maximum = _wal_size(inputs, "max_wal_size", MAX_WAL_SIZE_DEFAULT)
    for name, (text, _, size) in (("min_wal_size", minimum), ("max_wal_size", maximum)):
        if size is None:
            yield (
                f"postgresql_parameters.{name}: expected {_SIZE_FORM}, got {show_value(text)} "
                f"({_REFUSES} it)"
            )
    min_text, _, min_size = minimum
    max_text, max_set, max_size = maximum
    if min_size and max_size and min_size >= max_size:
        shown = f"'{max_text}'" + ("" if max_set else ", the default")
        yield (
            f"postgresql_parameters.min_wal_size: expected less than max_wal_size ({shown}), "
            f"got {show_value(min_text)} ({_REFUSES} it{_bare(min_text)})"
        )
    volume = inputs.wal_storage_size
    volume_size = parse_quantity(volume) if volume is not None else None
    if volume_size is None:
        return
    for name, (text, given, size) in (("min_wal_size", minimum), ("max_wal_size", maximum)):
        if given and size and size >= volume_size:
            yield (
                f"postgresql_parameters.{name}: expected less than wal_storage_size "
                f"'{volume}' (the WAL volume), got {show_value(text)} "
                f"({_REFUSES} it{_bare(text)})"
            )


def _update_strategy(inputs: Inputs) -> Iterator[str]:
    if inputs.primary_update_strategy == "supervised" and inputs.instances == 1:
        yield (
            "primary_update_strategy: expected unsupervised with 1 instance (supervised waits "
            f"for a switchover to a replica, and there is none; {_REFUSES} it), got "
            "'supervised'"
        )


def _image_version(inputs: Inputs) -> Iterator[str]:
    image = image_name(inputs)
    tag = image_tag(image)
    if tag == "":
        yield (
            "image_name: expected a tag before the digest, such as "
            f"ghcr.io/cloudnative-pg/postgis:16-3.6-system-trixie@sha256:... ({_REFUSES} a "
            f"digest alone: it reads the PostgreSQL version from the tag), got {show_value(image)}"
        )
        return
    major = tag_major(tag)
    if major is None:
        yield (
            "image_name: expected a tag starting with the PostgreSQL version, such as "
            f"16-3.6-system-trixie ({_REFUSES} any other tag), got {show_value(image)}"
        )
    elif major < OLDEST_POSTGRES:
        yield (
            f"image_name: expected PostgreSQL {OLDEST_POSTGRES} or newer, got "
            f"{show_value(image)} (PostgreSQL {major}; {_REFUSES} older versions)"
        )


RULES = (_image_version, _update_strategy, _wal_level, _booleans, _shared_buffers, _wal_sizes)
