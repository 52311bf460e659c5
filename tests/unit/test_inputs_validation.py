"""Every input rule has a rejecting case with its exact message; the defaults and
both examples are accepted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from wildside_cnpg import InputError, Inputs
from wildside_cnpg.inputs import load_inputs

REPO = Path(__file__).resolve().parents[2]
CLUSTER_NAME = (
    "expected a Cluster name CloudNativePG accepts (a DNS-1035 label: lower-case letters, "
    "digits and '-', starting with a letter, ending with a letter or digit, at most 50 "
    "characters)"
)
DNS = (
    "expected a DNS-1123 label (lower-case letters, digits and '-', starting and ending "
    "with a letter or digit, at most 63 characters)"
)
PG_ID = (
    "expected a PostgreSQL identifier (lower-case letters, digits and '_', not starting "
    "with a digit, at most 63 bytes)"
)
PINNED = (
    "expected a pinned container image reference with a tag other than 'latest' or a sha256 "
    "digest, such as ghcr.io/cloudnative-pg/postgis:16-3.6-system-trixie"
)
SIX = (
    "expected six cron fields, seconds first (second minute hour day-of-month month "
    "day-of-week, e.g. '0 0 0 * * *' for daily at midnight) or an @descriptor such as @daily"
)
CLUSTER_NAME = (
    "expected a DNS-1035 label of at most 50 characters, as CloudNativePG requires "
    "(lower-case letters, digits and '-', starting with a letter and ending with a letter "
    "or digit)"
)
RETENTION = (
    "expected a number of days, weeks or months matching ^[1-9][0-9]*[dwm]$, such as 30d, 4w or 3m"
)
BACKUP: dict[str, Any] = {
    "backup_enabled": True,
    "backup_destination_path": "s3://wildside-backups/pg",
    "backup_endpoint_url": "https://nyc3.digitaloceanspaces.com",
}
ESO: dict[str, Any] = {
    "eso_enabled": True,
    "app_credentials_vault_path": "wildside/postgres/app",
    "superuser_credentials_vault_path": "wildside/postgres/superuser",
}
SOURCES = (
    "backup credentials: expected exactly one source when backup_enabled is true "
    "(backup_credentials_vault_path with eso_enabled, backup_s3_credentials_secret_name, "
    "backup_s3_access_key_id with backup_s3_secret_access_key, or "
    "backup_s3_inherit_from_iam_role), got "
)

CASES: list[tuple[dict[str, Any], list[str]]] = [
    # core
    ({"mode": "plan"}, ["mode: expected one of render or apply, got 'plan'"]),
    ({"operator_namespace": "CNPG"}, [f"operator_namespace: {DNS}, got 'CNPG'"]),
    ({"cluster_namespace": "a" * 64}, [f"cluster_namespace: {DNS}, got '{'a' * 58}…'"]),
    ({"create_namespaces": "yes"}, ["create_namespaces: expected true or false, got 'yes'"]),
    (
        {"flux_path_prefix": "platform"},
        [
            "flux_path_prefix: expected a path inside the Git repository starting with ./ "
            "(such as ./ or ./clusters/prod/; '/'-separated segments of letters, digits, '.', "
            "'_' and '-', no . or ..), got 'platform'"
        ],
    ),
    (
        {"chart_repository": "http://charts.example.com"},
        [
            "chart_repository: expected an https:// or oci:// URL (host, optional port, path "
            "of URL characters), got 'http://charts.example.com'"
        ],
    ),
    (
        {"chart_version": "~0.29"},
        [
            "chart_version: expected an exact semantic version such as 0.29.0 "
            "(no ranges or wildcards), got '~0.29'"
        ],
    ),
    (
        {"chart_name": " x"},
        [
            "chart_name: expected a Helm chart name (lower-case letters, digits and '-', "
            "starting and ending with a letter or digit, at most 63 characters), got ' x'"
        ],
    ),
    ({"helm_values": ["- 1"]}, ["helm_values[0]: expected a YAML mapping, got a list"]),
    ({"helm_values": 3}, ["helm_values: expected a mapping or a list, got 3"]),
    ({"helm_timeout": 0}, ["helm_timeout: expected a whole number from 1 to 9223372036, got 0"]),
    (
        {"flux_helm_repository_interval": "1d"},
        [
            "flux_helm_repository_interval: expected a duration Flux accepts such as 30m, 1h "
            "or 1h30m (units ms, s, m, h), got '1d'"
        ],
    ),
    # cluster
    ({"cluster_name": "wildside_pg"}, [f"cluster_name: {CLUSTER_NAME}, got 'wildside_pg'"]),
    ({"cluster_name": "9lives"}, [f"cluster_name: {CLUSTER_NAME}, got '9lives'"]),
    ({"cluster_name": "a" * 51}, [f"cluster_name: {CLUSTER_NAME}, got '{'a' * 51}'"]),
    (
        {"instances": 0},
        ["instances: expected a whole number from 1 to 9223372036854775807, got 0"],
    ),
    ({"instances": True}, ["instances: expected a whole number, got true"]),
    ({"instances": "3"}, ["instances: expected a whole number, got '3'"]),
    (
        {"image_name": "ghcr.io/cloudnative-pg/postgis:latest"},
        [f"image_name: {PINNED}, got 'ghcr.io/cloudnative-pg/postgis:latest'"],
    ),
    (
        {"image_name": "ghcr.io/cloudnative-pg/postgis"},
        [f"image_name: {PINNED}, got 'ghcr.io/cloudnative-pg/postgis'"],
    ),
    (
        {"image_name": "ghcr.io/cloudnative-pg/postgresql:16.4"},
        [
            "image_name: postgis_enabled needs a PostGIS image (such as "
            "ghcr.io/cloudnative-pg/postgis:16-3.6-system-trixie), "
            "got 'ghcr.io/cloudnative-pg/postgresql:16.4'"
        ],
    ),
    (
        {"storage_size": "0Gi"},
        ["storage_size: expected a positive Kubernetes quantity such as 10Gi, got '0Gi'"],
    ),
    ({"database_name": "Wildside"}, [f"database_name: {PG_ID}, got 'Wildside'"]),
    ({"database_owner": "é" * 32}, [f"database_owner: {PG_ID}, got '{'é' * 32}'"]),
    (
        {"database_name": "template1"},
        [
            "database_name: expected a new database, got 'template1' "
            "(it exists in every PostgreSQL cluster)"
        ],
    ),
    (
        {"database_owner": "postgres"},
        ["database_owner: expected an application role, got 'postgres' (the superuser)"],
    ),
    ({"postgis_extensions": []}, ["postgis_extensions: expected at least one item, got []"]),
    (
        {"postgis_extensions": ["postgis", "postgis"]},
        ["postgis_extensions: 'postgis' is listed twice"],
    ),
    (
        {"postgis_enabled": False, "postgis_extensions": ["postgis"]},
        ["postgis_extensions: set while postgis_enabled is false (nothing would create them)"],
    ),
    (
        {"primary_update_strategy": "auto"},
        ["primary_update_strategy: expected one of unsupervised or supervised, got 'auto'"],
    ),
    (
        {"primary_update_method": "rolling"},
        ["primary_update_method: expected one of switchover or restart, got 'rolling'"],
    ),
    (
        {"postgresql_parameters": {"port": "5433"}},
        [
            "postgresql_parameters.port: managed by CloudNativePG and refused in "
            "spec.postgresql.parameters; remove it"
        ],
    ),
    (
        {"postgresql_parameters": {"Max Connections": "5"}},
        [
            "postgresql_parameters: expected parameter names such as shared_buffers, "
            "got 'Max Connections'"
        ],
    ),
    (
        {"postgresql_parameters": {"max_connections": 100}},
        ["postgresql_parameters.max_connections: expected a string, got 100"],
    ),
    (
        {"resource_requests": {"cpu": "4", "memory": "8Gi"}},
        [
            "resource_requests.cpu: expected at most resource_limits.cpu '1', got '4'",
            "resource_requests.memory: expected at most resource_limits.memory '2Gi', got '8Gi'",
        ],
    ),
    ({"resource_requests": {"cpu": "1"}}, ["resource_requests.memory: required"]),
    (
        {"resource_limits": {"cpu": "two", "memory": "1Gi"}},
        [
            "resource_limits.cpu: expected a positive Kubernetes CPU quantity such as 100m, "
            "0.5 or 2, got 'two'"
        ],
    ),
    (
        {"pdb_enabled": True, "pdb_min_available": 2},
        [
            "pdb_min_available: expected at most 1 with 3 instances (of 2 replicas one must "
            "stay evictable, or every node drain blocks), got 2"
        ],
    ),
    (
        {"pdb_min_available": 0},
        ["pdb_min_available: expected a whole number from 1 to 2147483647, got 0"],
    ),
    (
        {"pdb_min_available": 1, "pdb_name": "x"},
        [
            "pdb_min_available: set while pdb_enabled is false (CNPG's own budgets have neither)",
            "pdb_name: set while pdb_enabled is false (CNPG's own budgets have neither)",
        ],
    ),
    (
        {"pdb_enabled": True, "instances": 1},
        [
            "pdb_enabled: a disruption budget over a single instance blocks every drain of "
            "its node; expected false with instances 1"
        ],
    ),
    (
        {"pdb_enabled": True, "instances": 2, "pdb_min_available": 1},
        [
            "pdb_min_available: set with 2 instances, where only the primary has a budget; "
            "expected it unset (or at least 3 instances)"
        ],
    ),
    # namespaces the tool never creates
    (
        {"cluster_namespace": "kube-system"},
        [
            "cluster_namespace: create_namespaces would create and own 'kube-system', a "
            "Kubernetes system namespace; expected a namespace of its own, or "
            "create_namespaces: false to use an existing one"
        ],
    ),
    (
        {"operator_namespace": "flux-system", "cluster_namespace": "default"},
        [
            "operator_namespace: create_namespaces would create and own 'flux-system', Flux's "
            "namespace; expected a namespace of its own, or create_namespaces: false to use an "
            "existing one",
            "cluster_namespace: create_namespaces would create and own 'default', a Kubernetes "
            "system namespace; expected a namespace of its own, or create_namespaces: false to "
            "use an existing one",
        ],
    ),
    (
        {"operator_install": "mine"},
        ["operator_install: expected one of own, shared or external, got 'mine'"],
    ),
    (
        {"flux_depends_on": {"cluster": ["Bad Name"]}},
        [
            "flux_depends_on.cluster[0]: expected a Flux Kustomization as NAME (in "
            "flux_namespace) or NAMESPACE/NAME, got 'Bad Name'"
        ],
    ),
    (
        {"postgresql_parameters": {"shared_preload_libraries": "pg_stat_statements"}},
        [
            "postgresql_parameters.shared_preload_libraries: managed by CloudNativePG and "
            "refused in spec.postgresql.parameters; use the shared_preload_libraries input instead"
        ],
    ),
    # backup
    (
        {"backup_enabled": True},
        [
            "backup_destination_path: required when backup_enabled is true; "
            "expected an S3 URI such as s3://bucket-name/path",
            "backup_endpoint_url: required when backup_enabled is true; "
            "expected an https:// URL such as https://nyc3.digitaloceanspaces.com",
            SOURCES + "none",
        ],
    ),
    (
        {
            **BACKUP,
            "backup_s3_credentials_secret_name": "s3",
            "backup_s3_access_key_id": "AKIA1",
            "backup_s3_secret_access_key": "topsecret",
            "backup_s3_inline_credentials_acknowledged": True,
        },
        [SOURCES + "backup_s3_credentials_secret_name, backup_s3_access_key_id"],
    ),
    (
        {**BACKUP, "backup_s3_access_key_id": "AKIA1", "backup_s3_secret_access_key": "x" * 20},
        [
            "backup_s3_inline_credentials_acknowledged: expected true to write inline S3 keys "
            "as a plaintext Secret into the tree (prefer backup_credentials_vault_path or "
            "backup_s3_credentials_secret_name), got false"
        ],
    ),
    (
        {
            **BACKUP,
            "backup_s3_access_key_id": "AKIA1",
            "backup_s3_inline_credentials_acknowledged": True,
        },
        ["backup_s3_secret_access_key: required together with backup_s3_access_key_id"],
    ),
    (
        {**BACKUP, "backup_credentials_vault_path": "wildside/s3"},
        [
            "backup_credentials_vault_path: needs eso_enabled true "
            "(an ExternalSecret fetches the keys from Vault)"
        ],
    ),
    (
        {
            **BACKUP,
            "backup_method": "barman_object_store",
            "backup_s3_credentials_secret_name": "s3",
            "image_name": "ghcr.io/cloudnative-pg/postgis:16-3.6-standard-trixie",
        },
        [
            "image_name: in-tree Barman backups need barman-cloud inside the image, expected "
            "a 'system' PostGIS image (such as 16-3.6-system-trixie) or backup_method "
            "barman_cloud_plugin, got 'ghcr.io/cloudnative-pg/postgis:16-3.6-standard-trixie'"
        ],
    ),
    (
        {**BACKUP, "backup_destination_path": "s3://b/p", "backup_s3_credentials_secret_name": "s"},
        [
            "backup_destination_path: expected an S3 URI such as s3://bucket-name/path (a "
            "bucket name, then a path without spaces), got 's3://b/p'"
        ],
    ),
    ({"backup_retention_policy": "0d"}, [f"backup_retention_policy: {RETENTION}, got '0d'"]),
    ({"backup_retention_policy": "4y"}, [f"backup_retention_policy: {RETENTION}, got '4y'"]),
    (
        {"backup_schedule": "0 0 * * *"},
        [
            f"backup_schedule: {SIX}; a five-field value is read seconds-first, so this one "
            "would run at minute 0, second 0 of every hour (hourly backups), got '0 0 * * *'"
        ],
    ),
    (
        {"backup_schedule": "30 2 * * 1"},
        [
            f"backup_schedule: {SIX}; a five-field value is read seconds-first, so this one "
            "would run second 30, minute 2, hour *, day-of-month *, month 1, any day-of-week, "
            "got '30 2 * * 1'"
        ],
    ),
    (
        {"backup_schedule": "0 30 2 * * 8"},
        [f"backup_schedule: {SIX}; out of range or malformed: day-of-week '8', got '0 30 2 * * 8'"],
    ),
    ({"backup_schedule": "daily"}, [f"backup_schedule: {SIX}, got 'daily'"]),
    (
        {"wal_compression": "brotli"},
        ["wal_compression: expected one of bzip2, gzip, lz4, snappy, xz or zstd, got 'brotli'"],
    ),
    (
        {"backup_data_compression": "zstd"},
        ["backup_data_compression: expected one of bzip2, gzip, lz4 or snappy, got 'zstd'"],
    ),
    (
        {"backup_endpoint_url": "http://minio:9000"},
        [
            "backup_endpoint_url: expected an https:// URL (host, optional port, path of URL "
            "characters), got 'http://minio:9000'"
        ],
    ),
    (
        {"scheduled_backup_name": "Daily"},
        [f"scheduled_backup_name: {DNS}, got 'Daily'"],
    ),
    (
        {"backup_s3_access_key_id": 12345},
        ["backup_s3_access_key_id: expected a string, got <sensitive>"],
    ),
    # credentials
    (
        {"eso_enabled": True},
        [
            "app_credentials_vault_path: required when eso_enabled is true; "
            "expected a Vault KV path such as wildside/postgres/app",
            "superuser_credentials_vault_path: required when eso_enabled and "
            "enable_superuser_access are true; expected a Vault KV path such as "
            "wildside/postgres/superuser",
        ],
    ),
    (
        {**ESO, "enable_superuser_access": False},
        [
            "superuser_credentials_vault_path: set while enable_superuser_access is false "
            "(CNPG ignores a superuser secret then)"
        ],
    ),
    (
        {
            **ESO,
            "app_credentials_secret_name": "same",
            "superuser_credentials_secret_name": "same",
        },
        [
            "app_credentials_secret_name: must differ from superuser_credentials_secret_name, "
            "both are 'same'"
        ],
    ),
    (
        {"app_credentials_vault_path": "/abs/path"},
        [
            "app_credentials_vault_path: expected a Vault KV path under the store's mount, "
            "such as wildside/postgres/app ('/'-separated segments of letters, digits, '.', "
            "'_' and '-', no . or ..), got '/abs/path'"
        ],
    ),
    (
        {"superuser_credentials_vault_path": "a/b"},
        [
            "superuser_credentials_vault_path: needs eso_enabled true "
            "(an ExternalSecret fetches it from Vault)"
        ],
    ),
    (
        {"eso_refresh_interval": "hourly"},
        [
            "eso_refresh_interval: expected a Go duration such as 30m, 1h or 1h30m (units ns, "
            "us, µs, ms, s, m, h), got 'hourly'"
        ],
    ),
    (
        {"vault_password_property": "pass word"},
        [
            "vault_password_property: expected a key made of letters, digits, '-', '_' and '.' "
            "(at most 253 characters), got 'pass word'"
        ],
    ),
    # names
    ({"instancess": 3}, ["instancess: unknown input; did you mean 'instances'?"]),
    ({"zzzz": 1}, ["zzzz: unknown input; see `wildside-cnpg schema`"]),
    (
        {"instances": "x", "cluster_name": "A", "zzzz": 1},
        [
            f"cluster_name: {CLUSTER_NAME}, got 'A'",
            "instances: expected a whole number, got 'x'",
            "zzzz: unknown input; see `wildside-cnpg schema`",
        ],
    ),
]


@pytest.mark.parametrize(("values", "problems"), CASES, ids=[repr(c[0])[:60] for c in CASES])
def test_rejected_with_exact_messages(values: dict[str, Any], problems: list[str]) -> None:
    with pytest.raises(InputError) as caught:
        Inputs.from_mapping(values)
    assert caught.value.problems == problems


def test_defaults_are_accepted() -> None:
    inputs = Inputs()
    assert inputs.instances == 3
    assert inputs.backup_schedule == "0 0 0 * * *"
    assert inputs.chart_version == "0.29.0"


@pytest.mark.parametrize("example", ["render", "basic"])
def test_examples_are_accepted(example: str) -> None:
    inputs = load_inputs([REPO / "examples" / example / "inputs.yaml"])
    assert inputs.mode == ("render" if example == "render" else "apply")


def test_sensitive_values_never_appear_in_messages() -> None:
    secret = "very-secret-key-value"
    values = {**BACKUP, "backup_s3_access_key_id": "AKIA1", "backup_s3_secret_access_key": secret}
    with pytest.raises(InputError) as caught:
        Inputs.from_mapping({**values, "backup_s3_secret_access_key": ["not", secret]})
    assert secret not in str(caught.value)
    inputs = Inputs.from_mapping({**values, "backup_s3_inline_credentials_acknowledged": True})
    assert secret not in repr(inputs)
    assert secret not in str(inputs.given())
    assert inputs.given()["backup_s3_secret_access_key"] == "<sensitive>"


@pytest.mark.parametrize(
    "schedule", ["0 0 0 * * *", "*/30 * * * * *", "0 0 2 * * MON-FRI", "@daily", "@every 6h"]
)
def test_six_field_schedules_and_descriptors_are_accepted(schedule: str) -> None:
    assert Inputs(backup_schedule=schedule).backup_schedule == schedule


@pytest.mark.parametrize("retention", ["1d", "30d", "4w", "3m", "120d"])
def test_retention_forms_the_crd_accepts(retention: str) -> None:
    assert Inputs(backup_retention_policy=retention).backup_retention_policy == retention


def test_numbers_are_accepted_for_cpu_and_memory() -> None:
    inputs = Inputs.from_mapping({"resource_limits": {"cpu": 2, "memory": "2Gi"}})
    assert inputs.resource_limits.cpu == "2"


def test_standard_images_are_fine_with_the_plugin() -> None:
    inputs = Inputs(
        **BACKUP,
        backup_method="barman_cloud_plugin",
        backup_s3_credentials_secret_name="s3",
        image_name="ghcr.io/cloudnative-pg/postgis:16-3.6-standard-trixie",
    )
    assert inputs.backup_method == "barman_cloud_plugin"
