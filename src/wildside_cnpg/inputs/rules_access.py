"""Rules across the topology, storage, replication, access and service inputs,
mirroring what CloudNativePG's webhook (internal/webhook/v1/cluster_webhook.go, 1.30.0)
refuses or its reconciler cannot create, so a bad combination is an input error here
rather than a failed Flux apply or a cluster that stops reconciling."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from ..yamlload import show_value
from .feature_types import env_name_ok, label_key_ok, network_in_cidr_form
from .listed import listed_twice
from .service_names import DEFAULT_SERVICES, default_service, pooler_kinds, pooler_name

if TYPE_CHECKING:
    from .compiled import Inputs, ServiceSettings

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


def _own_keys(name: str, mapping: Mapping[str, str], example: str) -> Iterator[str]:
    """Label or annotation keys of the Kubernetes form, none under a controller's domain."""
    yield from _keys(name, mapping, example)
    for key in sorted(mapping):
        domain = _owned_domain(key)
        if domain is not None and label_key_ok(key):
            yield (
                f"{name}.{key}: keys under {domain} belong to its controllers; expected a "
                "key of your own"
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
        yield from _own_keys(field, mapping, "team")
    yield from listed_twice("image_pull_secrets", inputs.image_pull_secrets)


def _reserved_services(inputs: Inputs) -> dict[str, str]:
    """The Service names the cluster's operator makes, and what each is."""
    cluster = inputs.cluster_name
    reserved = {
        default_service(cluster, suffix): "a Service CNPG creates for the cluster"
        for suffix in DEFAULT_SERVICES
    }
    for kind in pooler_kinds(inputs.pooler_enabled, inputs.pooler_read_only_enabled):
        reserved[pooler_name(cluster, kind)] = f"the Service of the {kind} Pooler"
    return reserved


def _services(inputs: Inputs) -> Iterator[str]:
    yield from listed_twice("disabled_default_services", inputs.disabled_default_services)
    if (
        "ro" in inputs.disabled_default_services
        and inputs.pooler_enabled
        and inputs.pooler_read_only_enabled
    ):
        yield (
            "disabled_default_services: the read-only Pooler (pooler_read_only_enabled) "
            "connects through the ro Service; expected ro enabled, or "
            "pooler_read_only_enabled false"
        )
    yield from listed_twice("tls_server_alt_dns_names", inputs.tls_server_alt_dns_names)
    reserved = _reserved_services(inputs)
    names: dict[str, int] = {}
    for index, service in enumerate(inputs.additional_services):
        where = f"additional_services[{index}]"
        if service.name in reserved:
            yield (
                f"{where}.name: '{service.name}' is {reserved[service.name]}; expected another name"
            )
        elif service.name in names:
            yield (
                f"{where}.name: '{service.name}' is already the name of "
                f"additional_services[{names[service.name]}]"
            )
        names.setdefault(service.name, index)
        yield from _service_settings(where, service)
    for name, settings in (
        ("pooler_service", inputs.pooler_service),
        ("pooler_read_only_service", inputs.pooler_read_only_service),
    ):
        if settings is not None:
            yield from _service_settings(name, settings)


# Kubernetes' older spelling of loadBalancerSourceRanges, read when the field is empty
# (k8s.io/kubernetes pkg/api/service/annotations.go). The API server checks it as it
# checks the field: the value trimmed and split at commas, each part trimmed and a
# network in CIDR form; blank means every address (tests/integration/apply asks it).
LEGACY_SOURCE_RANGES = "service.beta.kubernetes.io/load-balancer-source-ranges"


def _legacy_source_ranges(where: str, service: ServiceSettings) -> Iterator[str]:
    value = service.annotations.get(LEGACY_SOURCE_RANGES)
    if value is None or service.type != "LoadBalancer" or service.load_balancer_source_ranges:
        return  # on another type the rule below refuses it; beside the field it is unread
    parts = value.strip().split(",") if value.strip() else []
    if not all(network_in_cidr_form(part.strip()) for part in parts):
        yield (
            f"{where}.annotations.{LEGACY_SOURCE_RANGES}: expected networks in CIDR form "
            "with no host bits set, separated by commas, such as 10.0.0.0/8,192.0.2.0/24, "
            f"got {show_value(value)}"
        )


def _service_settings(where: str, service: ServiceSettings) -> Iterator[str]:
    yield from _own_keys(f"{where}.labels", service.labels, "team")
    yield from _own_keys(
        f"{where}.annotations",
        service.annotations,
        "service.beta.kubernetes.io/aws-load-balancer-internal",
    )
    yield from _legacy_source_ranges(where, service)
    if service.type == "LoadBalancer":
        return
    if LEGACY_SOURCE_RANGES in service.annotations:
        yield (
            f"{where}.annotations.{LEGACY_SOURCE_RANGES}: expected only with type LoadBalancer "
            f"(Kubernetes refuses it on a {service.type} Service)"
        )
    for field, value in (
        ("load_balancer_source_ranges", service.load_balancer_source_ranges),
        ("load_balancer_class", service.load_balancer_class),
    ):
        if value:
            yield (
                f"{where}.{field}: expected only with type LoadBalancer (Kubernetes refuses "
                f"it on a {service.type} Service)"
            )


RULES = (_topology, _storage, _replication, _access, _services)
