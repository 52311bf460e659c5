"""The rules that mirror CloudNativePG 1.30.0's Cluster webhook on the PostgreSQL
parameters, the image's version, the update strategy and the memory request: each
refused case with its exact message, each boundary the webhook accepts accepted, and
PostgreSQL sizes read as the webhook reads them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from wildside_cnpg import InputError, Inputs
from wildside_cnpg.inputs.pg_quantity import postgres_quantity
from wildside_cnpg.inputs.rules_parameters import postgres_boolean, tag_major

REFUSES = "CloudNativePG's webhook refuses"
SIZE = (
    "expected a size such as 256MB, 1GB or 8kB (a number, then kB, MB, GB or TB; a bare "
    "number is read as MB)"
)
DIGEST = "@sha256:" + "a" * 64
BOOLEAN = (
    "expected a PostgreSQL boolean as CloudNativePG reads it (on, off, true, false, yes, "
    "no, 1 or 0; a prefix such as t or f too)"
)
FAILOVER = (
    "postgresql_parameters.hot_standby_feedback: expected on with pg_failover_slots.* "
    f"parameters ({REFUSES} the pg_failover_slots extension without it)"
)


def parameters(**values: str) -> dict[str, Any]:
    return {"postgresql_parameters": values}


CASES: list[tuple[dict[str, Any], list[str]]] = [
    # wal_level (validateConfiguration)
    (
        parameters(wal_level="minimal", max_wal_senders="0"),
        [
            "postgresql_parameters.wal_level: expected logical or replica, got 'minimal' "
            f"({REFUSES} minimal, since CloudNativePG always turns archive_mode on)"
        ],
    ),
    (
        {"instances": 1, **parameters(wal_level="Logical")},
        [
            "postgresql_parameters.wal_level: expected logical or replica, got 'Logical' "
            "(CloudNativePG's webhook knows only logical, replica and minimal, in lower case)"
        ],
    ),
    # booleans and wal_log_hints (validateConfiguration)
    (
        parameters(hot_standby_feedback="maybe"),
        [
            f"postgresql_parameters.hot_standby_feedback: {BOOLEAN}, got 'maybe' ({REFUSES} "
            "anything else)"
        ],
    ),
    (
        parameters(sync_replication_slots="o"),
        [
            f"postgresql_parameters.sync_replication_slots: {BOOLEAN}, got 'o' ({REFUSES} "
            "anything else)"
        ],
    ),
    (
        {"instances": 1, **parameters(wal_log_hints="enabled")},
        [
            f"postgresql_parameters.wal_log_hints: {BOOLEAN}, got 'enabled' ({REFUSES} "
            "anything else)"
        ],
    ),
    (
        {"instances": 2, **parameters(wal_log_hints="OFF")},
        [
            "postgresql_parameters.wal_log_hints: expected on with 2 instances (pg_rewind "
            "needs it to turn a former primary into a replica; CloudNativePG's webhook "
            "refuses off with more than 1 instance), got 'OFF'"
        ],
    ),
    # pg_failover_slots (validatePgFailoverSlots)
    (
        parameters(**{"pg_failover_slots.drop_extra_slots": "true"}),
        [f"{FAILOVER}, got unset"],
    ),
    (
        parameters(**{"pg_failover_slots.drop_extra_slots": "true", "hot_standby_feedback": "f"}),
        [f"{FAILOVER}, got 'f'"],
    ),
    # shared_buffers (validateConfiguration, validateResources)
    (
        parameters(shared_buffers="2Gi"),
        [f"postgresql_parameters.shared_buffers: {SIZE}, got '2Gi' ({REFUSES} it)"],
    ),
    (
        parameters(shared_buffers="2049MB"),
        [
            "postgresql_parameters.shared_buffers: expected at most resource_requests.memory "
            f"'2Gi', got '2049MB' ({REFUSES} a memory request lower than shared_buffers)"
        ],
    ),
    (
        {
            "resource_requests": {"cpu": "1", "memory": "1G"},
            **parameters(shared_buffers="16384"),
        },
        [
            "postgresql_parameters.shared_buffers: expected at most resource_requests.memory "
            f"'1G', got '16384' ({REFUSES} a memory request lower than shared_buffers; it "
            "reads the bare number 16384 as 16384MB, where PostgreSQL reads 8kB pages: write "
            "the unit)"
        ],
    ),
    # min_wal_size and max_wal_size (validateWalSizeConfiguration)
    (
        parameters(min_wal_size="lots", max_wal_size="1 TB "),
        [
            f"postgresql_parameters.min_wal_size: {SIZE}, got 'lots' ({REFUSES} it)",
            f"postgresql_parameters.max_wal_size: {SIZE}, got '1 TB ' ({REFUSES} it)",
        ],
    ),
    (
        parameters(min_wal_size="1GB"),
        [
            "postgresql_parameters.min_wal_size: expected less than max_wal_size ('1GB', the "
            f"default), got '1GB' ({REFUSES} it)"
        ],
    ),
    (
        parameters(min_wal_size="2048", max_wal_size="2GB"),
        [
            "postgresql_parameters.min_wal_size: expected less than max_wal_size ('2GB'), got "
            f"'2048' ({REFUSES} it; it reads the bare number 2048 as 2048MB)"
        ],
    ),
    (
        parameters(max_wal_size="80MB"),
        [
            "postgresql_parameters.min_wal_size: expected less than max_wal_size ('80MB'), got "
            f"'80MB' ({REFUSES} it)"
        ],
    ),
    (
        {"wal_storage_size": "2Gi", **parameters(min_wal_size="2GB", max_wal_size="4GB")},
        [
            "postgresql_parameters.min_wal_size: expected less than wal_storage_size '2Gi' "
            f"(the WAL volume), got '2GB' ({REFUSES} it)",
            "postgresql_parameters.max_wal_size: expected less than wal_storage_size '2Gi' "
            f"(the WAL volume), got '4GB' ({REFUSES} it)",
        ],
    ),
    # primaryUpdateStrategy (validatePrimaryUpdateStrategy)
    (
        {"instances": 1, "primary_update_strategy": "supervised"},
        [
            "primary_update_strategy: expected unsupervised with 1 instance (supervised waits "
            "for a switchover to a replica, and there is none; CloudNativePG's webhook refuses "
            "it), got 'supervised'"
        ],
    ),
    # imageName (validateImageName, validateConfiguration)
    (
        {"image_name": f"ghcr.io/cloudnative-pg/postgis{DIGEST}"},
        [
            "image_name: expected a tag before the digest, such as "
            "ghcr.io/cloudnative-pg/postgis:16-3.6-system-trixie@sha256:... (CloudNativePG's "
            "webhook refuses a digest alone: it reads the PostgreSQL version from the tag), "
            "got 'ghcr.io/cloudnative-pg/postgis@sha256:aaaaaaaaaaaaaaaaaaaa…'"
        ],
    ),
    (
        {"image_name": "ghcr.io/cloudnative-pg/postgis:v16-3.6"},
        [
            "image_name: expected a tag starting with the PostgreSQL version, such as "
            "16-3.6-system-trixie (CloudNativePG's webhook refuses any other tag), got "
            "'ghcr.io/cloudnative-pg/postgis:v16-3.6'"
        ],
    ),
    (
        {"image_name": "ghcr.io/cloudnative-pg/postgis:12-3.5-system"},
        [
            "image_name: expected PostgreSQL 13 or newer, got "
            "'ghcr.io/cloudnative-pg/postgis:12-3.5-system' (PostgreSQL 12; CloudNativePG's "
            "webhook refuses older versions)"
        ],
    ),
]


@pytest.mark.parametrize(("values", "problems"), CASES, ids=[repr(c[0])[:70] for c in CASES])
def test_refused_with_exact_messages(values: dict[str, Any], problems: list[str]) -> None:
    with pytest.raises(InputError) as caught:
        Inputs.from_mapping(values)
    assert caught.value.problems == problems


ACCEPTED: list[dict[str, Any]] = [
    parameters(wal_level="logical"),
    parameters(wal_level="replica"),
    {"instances": 1, **parameters(wal_log_hints="off", hot_standby_feedback="TRU")},
    parameters(wal_log_hints="y", sync_replication_slots="0"),
    parameters(**{"pg_failover_slots.drop_extra_slots": "on", "hot_standby_feedback": "Yes"}),
    # shared_buffers equal to the memory request; a bare number is MB, an empty one unset
    parameters(shared_buffers="2GB"),
    parameters(shared_buffers="2048"),
    parameters(shared_buffers=""),
    parameters(shared_buffers="1.5 GB"),
    {"resource_requests": {"cpu": "1", "memory": "2147483648"}, **parameters(shared_buffers="2GB")},
    # min below max (defaults 80MB and 1GB), both below the WAL volume when there is one
    parameters(min_wal_size="1023MB"),
    parameters(max_wal_size="81MB"),
    parameters(min_wal_size="", max_wal_size=""),
    {"wal_storage_size": "2Gi", **parameters(min_wal_size="1GB", max_wal_size="2047MB")},
    # unset ones are not compared with the WAL volume
    {"wal_storage_size": "1Gi"},
    {"wal_storage_size": "512Mi", **parameters(min_wal_size="80MB", max_wal_size="511MB")},
    # supervised needs 2 instances
    {"instances": 2, "primary_update_strategy": "supervised"},
    {"instances": 1, "primary_update_strategy": "unsupervised"},
    # a tag with the version, 13 or newer, with or without a digest
    {"image_name": "ghcr.io/cloudnative-pg/postgis:13-3.4"},
    {"image_name": f"ghcr.io/cloudnative-pg/postgis:17.2-3.5-system-trixie{DIGEST}"},
]


@pytest.mark.parametrize("values", ACCEPTED, ids=[repr(v)[:70] for v in ACCEPTED])
def test_what_the_webhook_admits_is_accepted(values: dict[str, Any]) -> None:
    Inputs.from_mapping(values)


# CloudNativePG 1.30.0's parsePostgresQuantityValue over k8s.io/apimachinery v0.36.2,
# run on these values: bytes, or None where it returns an error.
SIZES: list[tuple[str, Decimal | None]] = [
    ("128MB", Decimal(134217728)),
    ("16384", Decimal(17179869184)),
    ("1GB", Decimal(1073741824)),
    ("8kB", Decimal(8192)),
    ("1KB", Decimal(1024)),
    ("128B", Decimal(128)),
    ("1.5GB", Decimal(1610612736)),
    ("1 GB", Decimal(1073741824)),
    ("-1GB", Decimal(-1073741824)),
    ("MB", Decimal(0)),
    ("1TB", Decimal(1099511627776)),
    ("1PB", Decimal(1125899906842624)),
    ("9EB", Decimal(2**63 - 1)),
    ("0.000000000001kB", Decimal("0.000000002")),
    ("2Gi", None),
    ("1mB", None),
    ("lots", None),
    ("1.5", None),
    (" 128", None),
    ("99999999999999999999", None),
    ("99999999999999999999B", None),
]


@pytest.mark.parametrize(("value", "size"), SIZES)
def test_postgres_sizes_are_read_as_the_webhook_reads_them(
    value: str, size: Decimal | None
) -> None:
    assert postgres_quantity(value) == size


def test_postgres_booleans_are_cloudnativepgs() -> None:
    assert [postgres_boolean(v) for v in ("ON", "tr", "1", "of", "No", "0", "o", "2", "")] == [
        True,
        True,
        True,
        False,
        False,
        False,
        None,
        None,
        None,
    ]


@pytest.mark.parametrize(
    ("tag", "major"),
    [("16-3.6-system-trixie", 16), ("17.2", 17), ("16.", None), ("16.x", None), ("v16", None)],
)
def test_the_major_version_is_read_from_the_tag_as_cloudnativepg_does(
    tag: str, major: int | None
) -> None:
    assert tag_major(tag) == major
