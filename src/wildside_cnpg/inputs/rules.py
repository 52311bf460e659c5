"""Rules across inputs. Each returns problem lines; a bad combination is an error
before anything renders, never a warning."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from ..constants import CLUSTER_LABEL, MANAGED_BY_LABEL, PART_OF_LABEL
from ..durations import duration_seconds
from ..versions import OPERATOR_RELEASES, in_tree_barman_supported, operator_release
from ..yamlio import load_yaml_text
from ..yamlload import show_value
from . import pgbouncer_settings, rules_access, rules_databases, rules_parameters
from .cadence import longest_interval
from .derived import (
    backup_max_age_hours,
    backup_server_name,
    cnpg_ca_secret,
    eso_app_secret,
    eso_superuser_secret,
    image_name,
    recovery_source_server_name,
    tls_server_secret,
)
from .listed import listed_twice
from .quantity import parse_quantity
from .text import whole
from .types import image_repository, image_tag, label_key_problem

if TYPE_CHECKING:
    from .compiled import Inputs

Rule = Callable[["Inputs"], Iterator[str]]

# postgresql.conf parameters CloudNativePG manages itself and refuses in
# spec.postgresql.parameters: exactly the keys of FixedConfigurationParameters in
# CloudNativePG 1.30.0's pkg/postgres/configuration.go (a test pins the list against
# that file). wal_level, wal_log_hints and full_page_writes are not among them: they
# are defaults a user may set.
CNPG_FIXED_PARAMETERS = frozenset(
    [
        "allow_system_table_mods",
        "archive_cleanup_command",
        "archive_command",
        "archive_mode",
        "bonjour",
        "bonjour_name",
        "cluster_name",
        "config_file",
        "data_directory",
        "data_sync_retry",
        "event_source",
        "external_pid_file",
        "hba_file",
        "hot_standby",
        "ident_file",
        "jit_provider",
        "listen_addresses",
        "log_destination",
        "log_directory",
        "log_file_mode",
        "log_filename",
        "log_rotation_age",
        "log_rotation_size",
        "log_truncate_on_rotation",
        "logging_collector",
        "pg_failover_slots.primary_dsn",
        "pg_failover_slots.standby_slot_names",
        "port",
        "primary_conninfo",
        "primary_slot_name",
        "promote_trigger_file",
        "recovery_end_command",
        "recovery_min_apply_delay",
        "recovery_target",
        "recovery_target_action",
        "recovery_target_inclusive",
        "recovery_target_lsn",
        "recovery_target_name",
        "recovery_target_time",
        "recovery_target_timeline",
        "recovery_target_xid",
        "restart_after_crash",
        "restore_command",
        "shared_preload_libraries",
        "ssl",
        "ssl_ca_file",
        "ssl_cert_file",
        "ssl_crl_file",
        "ssl_dh_params_file",
        "ssl_ecdh_curve",
        "ssl_key_file",
        "ssl_passphrase_command",
        "ssl_passphrase_command_supports_reload",
        "ssl_prefer_server_ciphers",
        "stats_temp_directory",
        "synchronized_standby_slots",
        "synchronous_standby_names",
        "syslog_facility",
        "syslog_ident",
        "syslog_sequence_numbers",
        "syslog_split_messages",
        "temp_tablespaces",
        "unix_socket_directories",
        "unix_socket_group",
        "unix_socket_permissions",
    ]
)
# Where a fixed parameter has an input of its own, the refusal says so.
_PARAMETER_INPUTS = {
    "shared_preload_libraries": "shared_preload_libraries",
    "synchronous_standby_names": "synchronous_replication",
    "hba_file": "pg_hba",
    "ident_file": "pg_ident",
}
# Namespaces the tool never creates (and so never owns): Kubernetes' own.
SYSTEM_NAMESPACES = frozenset({"default", "kube-node-lease", "kube-public", "kube-system"})
_parameter_name = whole(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$")
_RESERVED_DATABASES = frozenset({"postgres", "template0", "template1"})
# Image flavours without barman-cloud inside (a '-'-separated part of the tag).
_BARMANLESS_FLAVOURS = frozenset({"minimal", "standard"})


def backup_sources(inputs: Inputs) -> list[str]:
    """The S3 credential sources the inputs name, by the input that selects each."""
    sources = []
    if inputs.backup_credentials_vault_path is not None:
        sources.append("backup_credentials_vault_path")
    if inputs.backup_s3_credentials_secret_name is not None:
        sources.append("backup_s3_credentials_secret_name")
    if inputs.backup_s3_access_key_id is not None or inputs.backup_s3_secret_access_key is not None:
        sources.append("backup_s3_access_key_id")
    if inputs.backup_s3_inherit_from_iam_role:
        sources.append("backup_s3_inherit_from_iam_role")
    return sources


def _backup(inputs: Inputs) -> Iterator[str]:
    if not inputs.backup_enabled:
        return
    if inputs.backup_destination_path is None:
        yield (
            "backup_destination_path: required when backup_enabled is true; "
            "expected an S3 URI such as s3://bucket-name/path"
        )
    if inputs.backup_endpoint_url is None:
        yield (
            "backup_endpoint_url: required when backup_enabled is true; "
            "expected an https:// URL such as https://nyc3.digitaloceanspaces.com"
        )
    sources = backup_sources(inputs)
    if len(sources) != 1:
        got = "none" if not sources else ", ".join(sources)
        yield (
            "backup credentials: expected exactly one source when backup_enabled is true "
            "(backup_credentials_vault_path with eso_enabled, backup_s3_credentials_secret_name, "
            "backup_s3_access_key_id with backup_s3_secret_access_key, or "
            f"backup_s3_inherit_from_iam_role), got {got}"
        )


def _in_tree(inputs: Inputs) -> Iterator[str]:
    """In-tree Barman Cloud (backups or recovery) needs barman-cloud in the image and
    an operator that still has it."""
    if inputs.backup_method != "barman_object_store" or not (
        inputs.backup_enabled or inputs.recovery_enabled
    ):
        return
    what = "backups" if inputs.backup_enabled else "recovery"
    image = image_name(inputs)
    if _BARMANLESS_FLAVOURS & set(image_tag(image).split("-")):
        yield (
            f"image_name: in-tree Barman {what} need barman-cloud inside the image, expected a "
            "'system' PostGIS image (such as 16-3.6-system-trixie) or backup_method "
            f"barman_cloud_plugin, got {show_value(image)}"
        )
    version = inputs.chart_version
    if in_tree_barman_supported(version):
        return
    last = [r.chart_minor for r in OPERATOR_RELEASES if r.in_tree_barman][-1]
    release = operator_release(version)
    installs = (
        f"installs operator {release.operator}"
        if release is not None
        else f"is newer than the charts this version knows (up to "
        f"{OPERATOR_RELEASES[-1].chart_minor}.x)"
    )
    yield (
        f"backup_method: barman_object_store (in-tree Barman Cloud) is removed in "
        f"CloudNativePG 1.31, and chart_version '{version}' {installs}; expected backup_method "
        f"barman_cloud_plugin, or a chart_version up to {last}.x"
    )


def _inline_keys(inputs: Inputs) -> Iterator[str]:
    key_id, secret = inputs.backup_s3_access_key_id, inputs.backup_s3_secret_access_key
    if (key_id is None) != (secret is None):
        missing = "backup_s3_secret_access_key" if secret is None else "backup_s3_access_key_id"
        other = "backup_s3_access_key_id" if secret is None else "backup_s3_secret_access_key"
        yield f"{missing}: required together with {other}"
    if (
        key_id is not None
        and inputs.backup_enabled
        and not inputs.backup_s3_inline_credentials_acknowledged
    ):
        yield (
            "backup_s3_inline_credentials_acknowledged: expected true to write inline S3 keys "
            "as a plaintext Secret into the tree (prefer backup_credentials_vault_path or "
            "backup_s3_credentials_secret_name), got false"
        )


def _eso(inputs: Inputs) -> Iterator[str]:
    if inputs.backup_credentials_vault_path is not None and not inputs.eso_enabled:
        yield (
            "backup_credentials_vault_path: needs eso_enabled true "
            "(an ExternalSecret fetches the keys from Vault)"
        )
    if not inputs.eso_enabled:
        for name in ("superuser_credentials_vault_path", "app_credentials_vault_path"):
            if getattr(inputs, name) is not None:
                yield f"{name}: needs eso_enabled true (an ExternalSecret fetches it from Vault)"
        return
    if inputs.app_credentials_vault_path is None:
        yield (
            "app_credentials_vault_path: required when eso_enabled is true; "
            "expected a Vault KV path such as wildside/postgres/app"
        )
    if inputs.enable_superuser_access and inputs.superuser_credentials_vault_path is None:
        yield (
            "superuser_credentials_vault_path: required when eso_enabled and "
            "enable_superuser_access are true; expected a Vault KV path such as "
            "wildside/postgres/superuser"
        )
    if not inputs.enable_superuser_access and inputs.superuser_credentials_vault_path is not None:
        yield (
            "superuser_credentials_vault_path: set while enable_superuser_access is false "
            "(CNPG ignores a superuser secret then)"
        )
    app, superuser = eso_app_secret(inputs), eso_superuser_secret(inputs)
    if inputs.enable_superuser_access and app == superuser:
        yield (
            "app_credentials_secret_name: must differ from superuser_credentials_secret_name, "
            f"both are '{app}'"
        )


def _requests_within_limits(inputs: Inputs, prefix: str) -> Iterator[str]:
    requests = getattr(inputs, f"{prefix}resource_requests")
    limits = getattr(inputs, f"{prefix}resource_limits")
    for resource in ("cpu", "memory"):
        request, limit = getattr(requests, resource), getattr(limits, resource)
        request_amount, limit_amount = parse_quantity(request), parse_quantity(limit)
        if (
            request_amount is not None
            and limit_amount is not None
            and request_amount > limit_amount
        ):
            yield (
                f"{prefix}resource_requests.{resource}: expected at most "
                f"{prefix}resource_limits.{resource} '{limit}', got '{request}'"
            )


def _resources(inputs: Inputs) -> Iterator[str]:
    yield from _requests_within_limits(inputs, "")
    yield from _requests_within_limits(inputs, "barman_cloud_plugin_sidecar_")


def _disruption(inputs: Inputs) -> Iterator[str]:
    if not inputs.pdb_enabled:
        for name in ("pdb_min_available", "pdb_name"):
            if getattr(inputs, name) is not None:
                yield f"{name}: set while pdb_enabled is false (CNPG's own budgets have neither)"
        return
    if inputs.instances < 2:
        yield (
            "pdb_enabled: a disruption budget over a single instance blocks every drain of "
            "its node; expected false with instances 1"
        )
        return
    minimum = inputs.pdb_min_available
    if minimum is None:
        return
    if inputs.instances < 3:
        yield (
            f"pdb_min_available: set with {inputs.instances} instances, where only the "
            "primary has a budget; expected it unset (or at least 3 instances)"
        )
        return
    most = inputs.instances - 2
    if minimum > most:
        yield (
            f"pdb_min_available: expected at most {most} with {inputs.instances} instances "
            f"(of {inputs.instances - 1} replicas one must stay evictable, or every node drain "
            f"blocks), got {minimum}"
        )


def _namespaces(inputs: Inputs) -> Iterator[str]:
    """The tool never creates (and so never owns) Kubernetes' or Flux's namespaces."""
    if not inputs.create_namespaces:
        return
    names = ["cluster_namespace"]
    if inputs.operator_install == "own":
        names.insert(0, "operator_namespace")
    for name in names:
        value = getattr(inputs, name)
        if value in SYSTEM_NAMESPACES or value == inputs.flux_namespace:
            whose = "Flux's" if value == inputs.flux_namespace else "a Kubernetes system"
            yield (
                f"{name}: create_namespaces would create and own '{value}', {whose} namespace; "
                "expected a namespace of its own, or create_namespaces: false to use an "
                "existing one"
            )


def _flux_sources(inputs: Inputs) -> Iterator[str]:
    """With --no-cross-namespace-refs, kustomize-controller refuses a Kustomization
    whose GitRepository is in another namespace, and helm-controller a HelmRelease
    whose chart source is."""
    if inputs.flux_cross_namespace_refs:
        return
    wanted = (
        ("flux_git_repository_namespace", "flux_namespace", "the layers' Flux Kustomizations"),
        ("flux_helm_repository_namespace", "operator_namespace", "the operator's HelmReleases"),
    )
    for name, home, holders in wanted:
        value, expected = getattr(inputs, name), getattr(inputs, home)
        if value is not None and value != expected:
            yield (
                f"{name}: '{value}' is not {home} '{expected}', where {holders} are, and "
                "flux_cross_namespace_refs is false (Flux refuses a source in another "
                f"namespace); expected it unset or '{expected}'"
            )


def _postgis(inputs: Inputs) -> Iterator[str]:
    if not inputs.postgis_enabled:
        if "postgis_extensions" in inputs.model_fields_set:
            yield (
                "postgis_extensions: set while postgis_enabled is false (nothing would create them)"
            )
        return
    image = image_name(inputs)
    if "postgis" not in image_repository(image).rsplit("/", 1)[-1]:
        yield (
            "image_name: postgis_enabled needs a PostGIS image (such as "
            f"ghcr.io/cloudnative-pg/postgis:16-3.6-system-trixie), got "
            f"{show_value(image)}"
        )
    if inputs.recovery_enabled and "postgis_extensions" in inputs.model_fields_set:
        yield (
            "postgis_extensions: set while recovery_enabled is true (a recovered cluster has "
            "the extensions of its backup: bootstrap.initdb, which would create them, does not "
            "run)"
        )
    yield from listed_twice("postgis_extensions", inputs.postgis_extensions)


def _database(inputs: Inputs) -> Iterator[str]:
    if inputs.database_name in _RESERVED_DATABASES:
        yield (
            f"database_name: expected a new database, got '{inputs.database_name}' "
            "(it exists in every PostgreSQL cluster)"
        )
    if inputs.database_owner == "postgres":
        yield "database_owner: expected an application role, got 'postgres' (the superuser)"
    for name in sorted(inputs.postgresql_parameters):
        if not _parameter_name(name):
            yield (
                f"postgresql_parameters: expected parameter names such as shared_buffers, "
                f"got {show_value(name)}"
            )
        elif name in CNPG_FIXED_PARAMETERS:
            instead = _PARAMETER_INPUTS.get(name)
            yield (
                f"postgresql_parameters.{name}: managed by CloudNativePG and refused in "
                "spec.postgresql.parameters; "
                + (f"use the {instead} input instead" if instead else "remove it")
            )
    yield from listed_twice("shared_preload_libraries", inputs.shared_preload_libraries)


def _helm_values(inputs: Inputs) -> Iterator[str]:
    if not isinstance(inputs.helm_values, list):
        return
    for index, text in enumerate(inputs.helm_values):
        try:
            loaded = load_yaml_text(text)
        except ValueError as error:
            yield f"helm_values[{index}]: expected a YAML mapping, got invalid YAML ({error})"
            continue
        if loaded is not None and not isinstance(loaded, dict):
            yield f"helm_values[{index}]: expected a YAML mapping, got a {type(loaded).__name__}"


def _unused(inputs: Inputs, names: tuple[str, ...], switch: str, why: str) -> Iterator[str]:
    """Inputs set to something other than their default while the feature that reads
    them is off (a file listing every default, as `init` writes it, stays valid)."""
    for name in names:
        if getattr(inputs, name) != inputs.default(name):
            yield f"{name}: set while {switch} is false ({why})"


_POOLER_INPUTS = (
    "pooler_read_only_enabled",
    "pooler_instances",
    "pooler_pool_mode",
    "pooler_max_client_connections",
    "pooler_default_pool_size",
    "pooler_parameters",
    "pooler_resource_requests",
    "pooler_resource_limits",
    "pooler_service",
    "pooler_read_only_service",
)


def _integer_parameter(inputs: Inputs, name: str, default: int) -> int | None:
    """A postgresql.conf integer as the server reads it (None when not a plain number)."""
    text = inputs.postgresql_parameters.get(name, str(default)).strip()
    return int(text) if text.isdigit() else None


def _pgbouncer_settings(inputs: Inputs) -> Iterator[str]:
    for name in sorted(inputs.pooler_parameters):
        if name in pgbouncer_settings.WITH_INPUTS:
            yield (
                f"pooler_parameters.{name}: set by the "
                f"{pgbouncer_settings.WITH_INPUTS[name]} input; expected it there"
            )
        elif name not in pgbouncer_settings.ALLOWED:
            yield (
                "pooler_parameters: expected PgBouncer settings CloudNativePG allows in a "
                "Pooler, such as max_prepared_statements or server_idle_timeout (its webhook "
                f"refuses others), got {show_value(name)}"
            )


def _pooling(inputs: Inputs) -> Iterator[str]:
    if not inputs.pooler_enabled:
        yield from _unused(inputs, _POOLER_INPUTS, "pooler_enabled", "no Pooler would use it")
        return
    if not inputs.pooler_read_only_enabled:
        yield from _unused(
            inputs,
            ("pooler_read_only_service",),
            "pooler_read_only_enabled",
            "no read-only Pooler would use it",
        )
    elif inputs.instances < 2:
        yield (
            "pooler_read_only_enabled: the replicas' service has no endpoints with 1 instance; "
            "expected false, or instances of at least 2"
        )
    yield from _pgbouncer_settings(inputs)
    yield from _requests_within_limits(inputs, "pooler_")
    max_connections = _integer_parameter(inputs, "max_connections", 100)
    reserved = _integer_parameter(inputs, "superuser_reserved_connections", 3)
    if max_connections is None or reserved is None:
        return
    # One Pooler's pods may all reach one instance: the primary (rw), or one replica
    # behind the -ro service (ro).
    opened = inputs.pooler_instances * inputs.pooler_default_pool_size
    most = max_connections - reserved
    if opened > most:
        yield (
            f"pooler_default_pool_size: {inputs.pooler_instances} PgBouncer pods "
            f"(pooler_instances) with {inputs.pooler_default_pool_size} server connections "
            f"each open {opened} per database and user to one instance, expected at most "
            f"{most} (max_connections "
            f"{max_connections} less {reserved} superuser_reserved_connections); lower "
            "pooler_default_pool_size or pooler_instances, or raise "
            "postgresql_parameters.max_connections"
        )


_OWN_LABELS = frozenset({MANAGED_BY_LABEL, PART_OF_LABEL, CLUSTER_LABEL})
_ALERT_INPUTS = (
    "alerts_replication_lag_seconds",
    "alerts_volume_usage_percent",
    "alerts_connections_percent",
    "alerts_backup_max_age_hours",
)


def _monitoring(inputs: Inputs) -> Iterator[str]:
    for key in sorted(inputs.monitoring_labels):
        if key in _OWN_LABELS:
            yield (
                f"monitoring_labels: '{key}' is a label the tool sets itself; expected another key"
            )
        elif label_key_problem(key):
            yield (
                "monitoring_labels: expected label keys such as release or example.com/team "
                "([prefix/]name: a name of letters, digits, '-', '_' and '.' of at most 63 "
                f"characters, an optional DNS subdomain prefix), got '{key}'"
            )
    if not inputs.monitoring_enabled:
        yield from _unused(
            inputs,
            ("monitoring_namespace", "monitoring_labels"),
            "monitoring_enabled",
            "no PodMonitor or PrometheusRule would carry it",
        )
        if inputs.alerts_enabled:
            yield (
                "alerts_enabled: needs monitoring_enabled true (the alerts read the metrics "
                "the PodMonitor scrapes)"
            )
    if not inputs.alerts_enabled:
        yield from _unused(inputs, _ALERT_INPUTS, "alerts_enabled", "no alert would use it")
        return
    given = inputs.alerts_backup_max_age_hours
    if not inputs.backup_enabled:
        if given is not None:
            yield (
                "alerts_backup_max_age_hours: set while backup_enabled is false "
                "(no backup to watch)"
            )
        return
    interval = longest_interval(inputs.backup_schedule)
    if given is None and backup_max_age_hours(inputs) is None:
        yield (
            f"alerts_backup_max_age_hours: required when backup_schedule "
            f"'{inputs.backup_schedule}' does not repeat within eight years; expected a number "
            "of hours"
        )
    elif given is not None and interval is not None and given * 3600 < interval:
        yield (
            f"alerts_backup_max_age_hours: expected at least {math.ceil(interval / 3600)} (the "
            f"longest interval between two backups of backup_schedule "
            f"'{inputs.backup_schedule}'), got {given}"
        )


_TLS_INPUTS = (
    "tls_issuer_name",
    "tls_issuer_kind",
    "tls_duration",
    "tls_renew_before",
    "tls_ca_secret_name",
    "tls_client_ca_secret_name",
)
# cert-manager's own limits (pkg/apis/certmanager/v1/const.go, v1.21).
_MINIMUM_DURATION = 3600.0
_MINIMUM_RENEW_BEFORE = 300.0


def _tls(inputs: Inputs) -> Iterator[str]:
    if not inputs.tls_enabled:
        yield from _unused(inputs, _TLS_INPUTS, "tls_enabled", "no certificate would use it")
        return
    if inputs.tls_issuer_name is None:
        yield (
            "tls_issuer_name: required when tls_enabled is true; expected the name of a "
            "cert-manager ClusterIssuer (or Issuer, with tls_issuer_kind) such as ca-issuer"
        )
    duration = duration_seconds(inputs.tls_duration)
    renew = duration_seconds(inputs.tls_renew_before)
    if duration is not None and duration < _MINIMUM_DURATION:
        yield (
            f"tls_duration: expected at least 1h (cert-manager's minimum), "
            f"got '{inputs.tls_duration}'"
        )
    if renew is not None and renew < _MINIMUM_RENEW_BEFORE:
        yield (
            f"tls_renew_before: expected at least 5m (cert-manager's minimum), "
            f"got '{inputs.tls_renew_before}'"
        )
    if duration is not None and renew is not None and renew >= duration:
        yield (
            f"tls_renew_before: expected less than tls_duration '{inputs.tls_duration}', "
            f"got '{inputs.tls_renew_before}'"
        )
    own_ca = cnpg_ca_secret(inputs)
    if inputs.tls_ca_secret_name == own_ca:
        yield (
            f"tls_ca_secret_name: '{own_ca}' is the CA CNPG generates for itself, which does "
            "not sign the certificate; expected the Secret holding the issuer's ca.crt, or "
            "unset for the certificate's own Secret"
        )
    client_ca = inputs.tls_client_ca_secret_name
    if client_ca == own_ca:
        yield (
            f"tls_client_ca_secret_name: '{own_ca}' is CNPG's own client CA, the default; "
            "expected another Secret, or unset"
        )
    if client_ca is not None and client_ca == tls_server_secret(inputs):
        yield (
            f"tls_client_ca_secret_name: '{client_ca}' is the server certificate's Secret, "
            "which has no ca.key to sign client certificates with; expected a Secret with "
            "ca.crt and ca.key"
        )


_RECOVERY_TARGETS = (
    "recovery_target_time",
    "recovery_target_lsn",
    "recovery_target_xid",
    "recovery_target_name",
    "recovery_target_immediate",
)
_RECOVERY_INPUTS = (
    "recovery_source_destination_path",
    "recovery_source_server_name",
    "recovery_source_endpoint_url",
    "recovery_source_s3_credentials_secret_name",
    "recovery_source_credentials_vault_path",
    "recovery_source_inherit_from_iam_role",
    "recovery_backup_id",
    *_RECOVERY_TARGETS,
)


def _set(inputs: Inputs, name: str) -> bool:
    value = getattr(inputs, name)
    return value is not None and value is not False


def _recovery(inputs: Inputs) -> Iterator[str]:
    if not inputs.recovery_enabled:
        for name in _RECOVERY_INPUTS:
            if _set(inputs, name):
                yield f"{name}: set while recovery_enabled is false (nothing would read it)"
        return
    if inputs.recovery_source_destination_path is None:
        yield (
            "recovery_source_destination_path: required when recovery_enabled is true; "
            "expected an S3 URI such as s3://bucket-name/path"
        )
    if inputs.recovery_source_endpoint_url is None:
        yield (
            "recovery_source_endpoint_url: required when recovery_enabled is true; "
            "expected an https:// URL such as https://nyc3.digitaloceanspaces.com"
        )
    sources = [
        name
        for name in (
            "recovery_source_credentials_vault_path",
            "recovery_source_s3_credentials_secret_name",
            "recovery_source_inherit_from_iam_role",
        )
        if _set(inputs, name)
    ]
    if len(sources) != 1:
        got = "none" if not sources else ", ".join(sources)
        yield (
            "recovery source credentials: expected exactly one source when recovery_enabled is "
            "true (recovery_source_credentials_vault_path with eso_enabled, "
            "recovery_source_s3_credentials_secret_name, or "
            f"recovery_source_inherit_from_iam_role), got {got}"
        )
    if inputs.recovery_source_credentials_vault_path is not None and not inputs.eso_enabled:
        yield (
            "recovery_source_credentials_vault_path: needs eso_enabled true "
            "(an ExternalSecret fetches the keys from Vault)"
        )
    targets = [name for name in _RECOVERY_TARGETS if _set(inputs, name)]
    if len(targets) > 1:
        yield (
            "recovery target: expected at most one of "
            + ", ".join(_RECOVERY_TARGETS)
            + ", got "
            + ", ".join(targets)
        )
    needs_backup = [
        name
        for name in ("recovery_target_xid", "recovery_target_name", "recovery_target_immediate")
        if _set(inputs, name)
    ]
    if needs_backup and inputs.recovery_backup_id is None:
        yield (
            f"recovery_backup_id: required with {needs_backup[0]} (CNPG picks the base backup "
            "itself only for a time or LSN target); expected a Barman backup ID such as "
            "20260801T093000 (wildside-cnpg backups list shows them)"
        )
    target_time = inputs.recovery_target_time
    if target_time is not None:
        from datetime import UTC, datetime

        when = datetime.fromisoformat(target_time.replace("Z", "+00:00"))
        if when > datetime.now(UTC):
            yield (
                f"recovery_target_time: expected a time that is not in the future, got "
                f"'{target_time}' (recovery would replay every WAL and then fail)"
            )
    _own = (
        inputs.backup_enabled
        and inputs.backup_destination_path is not None
        and inputs.recovery_source_destination_path is not None
        and inputs.backup_destination_path.rstrip("/")
        == inputs.recovery_source_destination_path.rstrip("/")
        and backup_server_name(inputs) == recovery_source_server_name(inputs)
    )
    if _own:
        archive = (
            f"{inputs.recovery_source_destination_path.rstrip('/')}/"  # type: ignore[union-attr]
            f"{recovery_source_server_name(inputs)}"
        )
        yield (
            f"backup_server_name: the new cluster would archive to {archive}, the archive it "
            "recovers from; CNPG refuses to archive into an archive that holds WAL ('Expected "
            "empty archive'); expected another backup_server_name (such as "
            f"{inputs.cluster_name}-2) or backup_destination_path"
        )


RULES: tuple[Rule, ...] = (
    _backup,
    _in_tree,
    _recovery,
    _inline_keys,
    _eso,
    _resources,
    _disruption,
    _namespaces,
    _flux_sources,
    _postgis,
    _database,
    _helm_values,
    _pooling,
    _monitoring,
    _tls,
    *rules_databases.RULES,
    *rules_access.RULES,
    *rules_parameters.RULES,
)


def cross_input_problems(inputs: Inputs) -> list[str]:
    """Every cross-input problem, in a stable order."""
    return [problem for rule in RULES for problem in rule(inputs)]
