"""Rules across the topology, storage, replication and access inputs, mirroring what
CloudNativePG's webhook (internal/webhook/v1/cluster_webhook.go, 1.30.0) refuses, so a
bad combination is an input error here rather than a failed Flux apply."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from .feature_types import env_name_ok, label_key_ok

if TYPE_CHECKING:
    from .model import Inputs

# pkg/postgres/environment.go IsReservedEnvironmentVariable (compared upper-cased).
CNPG_ENV_PREFIXES = ("CNPG_", "PG")
CNPG_ENV_NAMES = frozenset({"POD_NAME", "NAMESPACE", "CLUSTER_NAME"})
# What barman-cloud reads its credentials and endpoint from (barman-cloud v0.5.1,
# pkg/credentials/env.go, and CNPG's pkg/specs/pods.go): set by CNPG for each call.
BARMAN_ENV_NAMES = frozenset(
    {
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_DEFAULT_REGION",
        "AWS_CA_BUNDLE",
        "AZURE_STORAGE_ACCOUNT",
        "AZURE_STORAGE_KEY",
        "AZURE_STORAGE_SAS_TOKEN",
        "AZURE_STORAGE_CONNECTION_STRING",
        "GOOGLE_APPLICATION_CREDENTIALS",
        "REQUESTS_CA_BUNDLE",
    }
)
# Set by the tree itself where barman-cloud runs (backup_s3_checksum_when_required).
TREE_ENV_NAMES = frozenset({"AWS_REQUEST_CHECKSUM_CALCULATION", "AWS_RESPONSE_CHECKSUM_VALIDATION"})
# Label and annotation key prefixes of the controllers that manage these objects.
OWNED_KEY_DOMAINS = ("cnpg.io", "kustomize.toolkit.fluxcd.io")


def env_problem(name: str) -> str | None:
    upper = name.upper()
    if upper.startswith(CNPG_ENV_PREFIXES) or upper in CNPG_ENV_NAMES:
        return (
            "reserved by CloudNativePG (CNPG_*, PG*, POD_NAME, NAMESPACE and CLUSTER_NAME); "
            "remove it"
        )
    if upper in BARMAN_ENV_NAMES:
        return "barman-cloud reads its credentials and endpoint from it; remove it"
    if upper in TREE_ENV_NAMES:
        return "set by the tree where barman-cloud runs; use backup_s3_checksum_when_required"
    return None


def _owned_domain(key: str) -> str | None:
    prefix = key.rpartition("/")[0]
    for domain in OWNED_KEY_DOMAINS:
        if prefix == domain or prefix.endswith(f".{domain}"):
            return domain
    return None


def _keys(name: str, mapping: Mapping[str, str], example: str) -> Iterator[str]:
    for key in sorted(mapping):
        if not label_key_ok(key):
            yield (
                f"{name}: expected keys of the Kubernetes form (an optional DNS subdomain and "
                f"'/', then at most 63 letters, digits, '-', '_' and '.'), such as {example}, "
                f"got '{key}'"
            )


def _topology(inputs: Inputs) -> Iterator[str]:
    yield from _keys("node_selector", inputs.node_selector, "topology.kubernetes.io/zone")
    for index, toleration in enumerate(inputs.tolerations):
        where = f"tolerations[{index}]"
        if toleration.key is None and toleration.operator != "Exists":
            yield (
                f"{where}.operator: expected Exists when key is unset (it matches every "
                f"taint), got '{toleration.operator}'"
            )
        if toleration.operator == "Exists" and toleration.value is not None:
            yield f"{where}.value: expected no value with operator Exists, got '{toleration.value}'"
        if toleration.toleration_seconds is not None and toleration.effect != "NoExecute":
            effect = "unset" if toleration.effect is None else f"'{toleration.effect}'"
            yield (
                f"{where}.effect: expected NoExecute with toleration_seconds (only an evicting "
                f"taint has a grace period), got {effect}"
            )


def _storage(inputs: Inputs) -> Iterator[str]:
    if inputs.wal_storage_class is not None and inputs.wal_storage_size is None:
        yield "wal_storage_class: set while wal_storage_size is unset (there is no WAL volume)"


def _replication(inputs: Inputs) -> Iterator[str]:
    synchronous = inputs.synchronous_replication
    if synchronous is None:
        return
    if synchronous.number >= inputs.instances:
        yield (
            f"synchronous_replication.number: expected at most {inputs.instances - 1} with "
            f"{inputs.instances} instances (each synchronous replica is another instance; "
            f"CloudNativePG's webhook refuses more), got {synchronous.number}"
        )


def _access(inputs: Inputs) -> Iterator[str]:
    for name in sorted(inputs.extra_env):
        if not env_name_ok(name):
            yield (
                "extra_env: expected environment variable names (letters, digits and '_', not "
                f"starting with a digit), got '{name}'"
            )
            continue
        problem = env_problem(name)
        if problem is not None:
            yield f"extra_env.{name}: {problem}"
    yield from _keys(
        "service_account_annotations",
        inputs.service_account_annotations,
        "eks.amazonaws.com/role-arn",
    )
    for field, mapping in (
        ("inherited_labels", inputs.inherited_labels),
        ("inherited_annotations", inputs.inherited_annotations),
    ):
        yield from _keys(field, mapping, "team")
        for key in sorted(mapping):
            domain = _owned_domain(key)
            if domain is not None and label_key_ok(key):
                yield (
                    f"{field}.{key}: keys under {domain} belong to its controllers; expected "
                    "a key of your own"
                )
    seen: set[str] = set()
    for secret in inputs.image_pull_secrets:
        if secret in seen:
            yield f"image_pull_secrets: '{secret}' is listed twice"
        seen.add(secret)


RULES = (_topology, _storage, _replication, _access)
