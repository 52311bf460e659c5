"""The inputs' validator, generated from `model.InputsModel` by `compiler.py`
(`make compiled-inputs`): do not edit."""

from __future__ import annotations

from typing import Any, Literal

from pydantic_core import SchemaValidator

from . import feature_types as ft
from . import types as t
from .marks import Secret, validator_of
from .runtime import InputsRecord, Record


class FluxDependsOn(Record):
    __slots__ = ()

    operator: tuple[str, ...]
    credentials: tuple[str, ...]
    cluster: tuple[str, ...]
    addons: tuple[str, ...]


class ComputeResources(Record):
    __slots__ = ()

    cpu: str
    memory: str


class ServiceSettings(Record):
    __slots__ = ()

    type: Literal["ClusterIP", "NodePort", "LoadBalancer"]
    annotations: dict[str, str]
    labels: dict[str, str]
    load_balancer_source_ranges: tuple[str, ...]
    load_balancer_class: str | None


class Extension(Record):
    __slots__ = ()

    name: str
    version: str | None


class ExtraDatabase(Record):
    __slots__ = ()

    name: str
    owner: str
    extensions: tuple[Extension, ...]
    credentials_vault_path: str | None
    credentials_secret_name: str | None


class Toleration(Record):
    __slots__ = ()

    key: str | None
    operator: Literal["Equal", "Exists"]
    value: str | None
    effect: Literal["NoSchedule", "PreferNoSchedule", "NoExecute"] | None
    toleration_seconds: int | None


class SynchronousReplication(Record):
    __slots__ = ()

    method: Literal["any", "first"]
    number: int
    data_durability: Literal["required", "preferred"]


class PodSecurityContext(Record):
    __slots__ = ()

    run_as_user: int | None
    run_as_group: int | None
    fs_group: int | None
    fs_group_change_policy: Literal["Always", "OnRootMismatch"] | None
    supplemental_groups: tuple[int, ...]


class ContainerSecurityContext(Record):
    __slots__ = ()

    run_as_user: int | None
    run_as_group: int | None


class AdditionalService(ServiceSettings):
    __slots__ = ()

    name: str
    selector_type: Literal["rw", "ro", "r"]
    update_strategy: Literal["patch", "replace"]


class Inputs(InputsRecord):
    __slots__ = ()

    mode: Literal["render", "apply"]
    operator_namespace: str
    cluster_namespace: str
    create_namespaces: bool
    operator_install: Literal["own", "shared", "external"]
    flux_namespace: str
    flux_git_repository_name: str
    flux_git_repository_namespace: str | None
    flux_cross_namespace_refs: bool
    flux_kustomization_service_account_name: str | None
    flux_path_prefix: str
    flux_depends_on: FluxDependsOn
    helm_release_name: str
    chart_repository: str
    chart_name: str
    chart_version: str
    helm_values: dict[str, Any] | list[str]
    helm_wait: bool
    helm_timeout: int
    flux_helm_repository_name: str
    flux_helm_repository_namespace: str | None
    flux_helm_release_service_account_name: str | None
    flux_helm_repository_interval: str
    flux_helm_release_interval: str
    cluster_name: str
    cluster_domain: str
    instances: int
    image_name: str | None
    storage_size: str
    storage_class: str
    database_name: str
    database_owner: str
    enable_superuser_access: bool
    postgis_enabled: bool
    postgis_extensions: tuple[
        Literal[
            "postgis",
            "postgis_topology",
            "postgis_raster",
            "postgis_sfcgal",
            "postgis_tiger_geocoder",
            "fuzzystrmatch",
            "address_standardizer",
            "address_standardizer_data_us",
        ],
        ...,
    ]
    primary_update_strategy: Literal["unsupervised", "supervised"]
    primary_update_method: Literal["switchover", "restart"]
    postgresql_parameters: dict[str, str]
    shared_preload_libraries: tuple[str, ...]
    resource_requests: ComputeResources
    resource_limits: ComputeResources
    monitoring_enabled: bool
    pdb_enabled: bool
    pdb_min_available: int | None
    pdb_name: str | None
    backup_enabled: bool
    backup_method: Literal["barman_object_store", "barman_cloud_plugin"]
    barman_cloud_plugin_install: bool | None
    barman_cloud_plugin_release_name: str
    barman_cloud_plugin_chart_name: str
    barman_cloud_plugin_chart_version: str
    backup_destination_path: str | None
    backup_endpoint_url: str | None
    backup_server_name: str | None
    backup_retention_policy: str
    backup_schedule: str
    wal_compression: Literal["bzip2", "gzip", "lz4", "snappy", "xz", "zstd"]
    backup_data_compression: Literal["bzip2", "gzip", "lz4", "snappy"] | None
    scheduled_backup_name: str | None
    backup_s3_credentials_secret_name: str | None
    backup_s3_access_key_id: Secret | None
    backup_s3_secret_access_key: Secret | None
    backup_s3_inherit_from_iam_role: bool
    backup_s3_checksum_when_required: bool
    barman_cloud_plugin_sidecar_resource_requests: ComputeResources
    barman_cloud_plugin_sidecar_resource_limits: ComputeResources
    backup_s3_inline_credentials_acknowledged: bool
    eso_enabled: bool
    eso_cluster_secret_store_name: str
    eso_refresh_interval: str
    superuser_credentials_vault_path: str | None
    superuser_credentials_secret_name: str | None
    app_credentials_vault_path: str | None
    app_credentials_secret_name: str | None
    backup_credentials_vault_path: str | None
    vault_password_property: str
    vault_access_key_id_property: str
    vault_secret_access_key_property: str
    pooler_enabled: bool
    pooler_read_only_enabled: bool
    pooler_instances: int
    pooler_pool_mode: Literal["transaction", "session"]
    pooler_max_client_connections: int
    pooler_default_pool_size: int
    pooler_parameters: dict[str, str]
    pooler_resource_requests: ComputeResources
    pooler_resource_limits: ComputeResources
    pooler_service: ServiceSettings | None
    pooler_read_only_service: ServiceSettings | None
    monitoring_namespace: str | None
    monitoring_labels: dict[str, str]
    alerts_enabled: bool
    alerts_replication_lag_seconds: int
    alerts_volume_usage_percent: int
    alerts_connections_percent: int
    alerts_backup_max_age_hours: int | None
    tls_enabled: bool
    tls_issuer_name: str | None
    tls_issuer_kind: Literal["ClusterIssuer", "Issuer"]
    tls_duration: str
    tls_renew_before: str
    tls_ca_secret_name: str | None
    tls_server_alt_dns_names: tuple[str, ...]
    tls_client_ca_secret_name: str | None
    recovery_enabled: bool
    recovery_source_destination_path: str | None
    recovery_source_server_name: str | None
    recovery_source_endpoint_url: str | None
    recovery_source_s3_credentials_secret_name: str | None
    recovery_source_credentials_vault_path: str | None
    recovery_source_inherit_from_iam_role: bool
    recovery_backup_id: str | None
    recovery_target_time: str | None
    recovery_target_lsn: str | None
    recovery_target_xid: int | None
    recovery_target_name: str | None
    recovery_target_immediate: bool
    database_resource_enabled: bool
    postgis_version: str | None
    database_extensions: tuple[Extension, ...]
    databases: tuple[ExtraDatabase, ...]
    pod_anti_affinity_type: Literal["preferred", "required"]
    zone_spread: Literal["off", "preferred", "required"]
    node_selector: dict[str, str]
    tolerations: tuple[Toleration, ...]
    priority_class_name: str | None
    wal_storage_size: str | None
    wal_storage_class: str | None
    synchronous_replication: SynchronousReplication | None
    pg_hba: tuple[str, ...]
    pg_ident: tuple[str, ...]
    extra_env: dict[str, str]
    service_account_annotations: dict[str, str]
    image_pull_secrets: tuple[str, ...]
    pod_security_context: PodSecurityContext | None
    container_security_context: ContainerSecurityContext | None
    inherited_labels: dict[str, str]
    inherited_annotations: dict[str, str]
    disabled_default_services: tuple[Literal["ro", "r"], ...]
    additional_services: tuple[AdditionalService, ...]


# The pydantic-core the schema was generated with (pyproject.toml holds its series).
PYDANTIC_CORE_VERSION = "2.50.5"
SCHEMA: Any = {
    "type": "definitions",
    "schema": {
        "type": "model",
        "cls": Inputs,
        "schema": {
            "type": "model-fields",
            "fields": {
                "mode": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {"type": "literal", "expected": ["render", "apply"]},
                        "default": "render",
                    },
                },
                "operator_namespace": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "function-after",
                            "function": {
                                "type": "no-info",
                                "function": validator_of(t.DNSLabel, 1),
                            },
                            "schema": {"type": "str"},
                        },
                        "default": "cnpg-system",
                    },
                },
                "cluster_namespace": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "function-after",
                            "function": {
                                "type": "no-info",
                                "function": validator_of(t.DNSLabel, 1),
                            },
                            "schema": {"type": "str"},
                        },
                        "default": "databases",
                    },
                },
                "create_namespaces": {
                    "type": "model-field",
                    "schema": {"type": "default", "schema": {"type": "bool"}, "default": True},
                },
                "operator_install": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {"type": "literal", "expected": ["own", "shared", "external"]},
                        "default": "own",
                    },
                },
                "flux_namespace": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "function-after",
                            "function": {
                                "type": "no-info",
                                "function": validator_of(t.DNSLabel, 1),
                            },
                            "schema": {"type": "str"},
                        },
                        "default": "flux-system",
                    },
                },
                "flux_git_repository_name": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "function-after",
                            "function": {
                                "type": "no-info",
                                "function": validator_of(t.DNSLabel, 1),
                            },
                            "schema": {"type": "str"},
                        },
                        "default": "flux-system",
                    },
                },
                "flux_git_repository_namespace": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.DNSLabel, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default": None,
                    },
                },
                "flux_cross_namespace_refs": {
                    "type": "model-field",
                    "schema": {"type": "default", "schema": {"type": "bool"}, "default": True},
                },
                "flux_kustomization_service_account_name": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.DNSSubdomain, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default": None,
                    },
                },
                "flux_path_prefix": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "function-after",
                            "function": {
                                "type": "no-info",
                                "function": validator_of(t.RepositoryPath, 1),
                            },
                            "schema": {"type": "str"},
                        },
                        "default": "./",
                    },
                },
                "flux_depends_on": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "model",
                            "cls": FluxDependsOn,
                            "schema": {
                                "type": "model-fields",
                                "fields": {
                                    "operator": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "default",
                                            "schema": {
                                                "type": "tuple",
                                                "items_schema": [
                                                    {
                                                        "type": "function-after",
                                                        "function": {
                                                            "type": "no-info",
                                                            "function": validator_of(
                                                                t.FluxReference, 1
                                                            ),
                                                        },
                                                        "schema": {"type": "str"},
                                                    }
                                                ],
                                                "variadic_item_index": 0,
                                                "strict": False,
                                            },
                                            "default": (),
                                        },
                                    },
                                    "credentials": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "default",
                                            "schema": {
                                                "type": "tuple",
                                                "items_schema": [
                                                    {
                                                        "type": "function-after",
                                                        "function": {
                                                            "type": "no-info",
                                                            "function": validator_of(
                                                                t.FluxReference, 1
                                                            ),
                                                        },
                                                        "schema": {"type": "str"},
                                                    }
                                                ],
                                                "variadic_item_index": 0,
                                                "strict": False,
                                            },
                                            "default": (),
                                        },
                                    },
                                    "cluster": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "default",
                                            "schema": {
                                                "type": "tuple",
                                                "items_schema": [
                                                    {
                                                        "type": "function-after",
                                                        "function": {
                                                            "type": "no-info",
                                                            "function": validator_of(
                                                                t.FluxReference, 1
                                                            ),
                                                        },
                                                        "schema": {"type": "str"},
                                                    }
                                                ],
                                                "variadic_item_index": 0,
                                                "strict": False,
                                            },
                                            "default": (),
                                        },
                                    },
                                    "addons": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "default",
                                            "schema": {
                                                "type": "tuple",
                                                "items_schema": [
                                                    {
                                                        "type": "function-after",
                                                        "function": {
                                                            "type": "no-info",
                                                            "function": validator_of(
                                                                t.FluxReference, 1
                                                            ),
                                                        },
                                                        "schema": {"type": "str"},
                                                    }
                                                ],
                                                "variadic_item_index": 0,
                                                "strict": False,
                                            },
                                            "default": (),
                                        },
                                    },
                                },
                                "model_name": "FluxDependsOn",
                                "computed_fields": [],
                            },
                            "custom_init": False,
                            "root_model": False,
                            "config": {
                                "strict": True,
                                "extra_fields_behavior": "forbid",
                                "validate_default": False,
                                "hide_input_in_errors": True,
                                "title": "FluxDependsOn",
                            },
                            "ref": "FluxDependsOn",
                        },
                        "default": FluxDependsOn._of(
                            operator=(), credentials=(), cluster=(), addons=()
                        ),
                    },
                },
                "helm_release_name": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "function-after",
                            "function": {
                                "type": "no-info",
                                "function": validator_of(t.HelmReleaseName, 1),
                            },
                            "schema": {"type": "str"},
                        },
                        "default": "cloudnative-pg",
                    },
                },
                "chart_repository": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "function-after",
                            "function": {
                                "type": "no-info",
                                "function": validator_of(t.ChartRepositoryURL, 1),
                            },
                            "schema": {"type": "str"},
                        },
                        "default": "https://cloudnative-pg.github.io/charts",
                    },
                },
                "chart_name": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "function-after",
                            "function": {
                                "type": "no-info",
                                "function": validator_of(t.HelmChartName, 1),
                            },
                            "schema": {"type": "str"},
                        },
                        "default": "cloudnative-pg",
                    },
                },
                "chart_version": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "function-after",
                            "function": {
                                "type": "no-info",
                                "function": validator_of(t.ExactVersion, 1),
                            },
                            "schema": {"type": "str"},
                        },
                        "default": "0.29.0",
                    },
                },
                "helm_values": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "function-after",
                            "function": {
                                "type": "no-info",
                                "function": validator_of(t.HelmValues, 0),
                            },
                            "schema": {
                                "type": "union",
                                "choices": [
                                    {
                                        "type": "dict",
                                        "keys_schema": {"type": "str"},
                                        "values_schema": {"type": "any"},
                                    },
                                    {"type": "list", "items_schema": {"type": "str"}},
                                ],
                            },
                        },
                        "default_factory": dict,
                        "default_factory_takes_data": False,
                    },
                },
                "helm_wait": {
                    "type": "model-field",
                    "schema": {"type": "default", "schema": {"type": "bool"}, "default": True},
                },
                "helm_timeout": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {"type": "int", "ge": 1, "le": 9223372036},
                        "default": 600,
                    },
                },
                "flux_helm_repository_name": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "function-after",
                            "function": {
                                "type": "no-info",
                                "function": validator_of(t.DNSLabel, 1),
                            },
                            "schema": {"type": "str"},
                        },
                        "default": "cloudnative-pg",
                    },
                },
                "flux_helm_repository_namespace": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.DNSLabel, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default": None,
                    },
                },
                "flux_helm_release_service_account_name": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.DNSSubdomain, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default": None,
                    },
                },
                "flux_helm_repository_interval": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "function-after",
                            "function": {
                                "type": "no-info",
                                "function": validator_of(t.FluxDuration, 1),
                            },
                            "schema": {"type": "str"},
                        },
                        "default": "24h",
                    },
                },
                "flux_helm_release_interval": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "function-after",
                            "function": {
                                "type": "no-info",
                                "function": validator_of(t.FluxDuration, 1),
                            },
                            "schema": {"type": "str"},
                        },
                        "default": "1h",
                    },
                },
                "cluster_name": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "function-after",
                            "function": {
                                "type": "no-info",
                                "function": validator_of(t.ClusterName, 1),
                            },
                            "schema": {"type": "str"},
                        },
                        "default": "wildside-pg",
                    },
                },
                "cluster_domain": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "function-after",
                            "function": {
                                "type": "no-info",
                                "function": validator_of(t.DNSSubdomain, 1),
                            },
                            "schema": {"type": "str"},
                        },
                        "default": "cluster.local",
                    },
                },
                "instances": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {"type": "int", "ge": 1, "le": 9223372036854775807},
                        "default": 3,
                    },
                },
                "image_name": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.PinnedImage, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default": None,
                    },
                },
                "storage_size": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "function-after",
                            "function": {
                                "type": "no-info",
                                "function": validator_of(t.StorageQuantity, 1),
                            },
                            "schema": {"type": "str"},
                        },
                        "default": "10Gi",
                    },
                },
                "storage_class": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "function-after",
                            "function": {
                                "type": "no-info",
                                "function": validator_of(t.DNSSubdomain, 1),
                            },
                            "schema": {"type": "str"},
                        },
                        "default": "do-block-storage",
                    },
                },
                "database_name": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "function-after",
                            "function": {
                                "type": "no-info",
                                "function": validator_of(t.PgIdentifier, 1),
                            },
                            "schema": {"type": "str"},
                        },
                        "default": "wildside_prod",
                    },
                },
                "database_owner": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "function-after",
                            "function": {
                                "type": "no-info",
                                "function": validator_of(t.PgIdentifier, 1),
                            },
                            "schema": {"type": "str"},
                        },
                        "default": "wildside_user",
                    },
                },
                "enable_superuser_access": {
                    "type": "model-field",
                    "schema": {"type": "default", "schema": {"type": "bool"}, "default": True},
                },
                "postgis_enabled": {
                    "type": "model-field",
                    "schema": {"type": "default", "schema": {"type": "bool"}, "default": True},
                },
                "postgis_extensions": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "tuple",
                            "items_schema": [
                                {
                                    "type": "literal",
                                    "expected": [
                                        "postgis",
                                        "postgis_topology",
                                        "postgis_raster",
                                        "postgis_sfcgal",
                                        "postgis_tiger_geocoder",
                                        "fuzzystrmatch",
                                        "address_standardizer",
                                        "address_standardizer_data_us",
                                    ],
                                }
                            ],
                            "variadic_item_index": 0,
                            "strict": False,
                            "min_length": 1,
                        },
                        "default": ("postgis", "postgis_topology", "fuzzystrmatch"),
                    },
                },
                "primary_update_strategy": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {"type": "literal", "expected": ["unsupervised", "supervised"]},
                        "default": "unsupervised",
                    },
                },
                "primary_update_method": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {"type": "literal", "expected": ["switchover", "restart"]},
                        "default": "switchover",
                    },
                },
                "postgresql_parameters": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "dict",
                            "keys_schema": {"type": "str"},
                            "values_schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.ParameterValue, 0),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default_factory": dict,
                        "default_factory_takes_data": False,
                    },
                },
                "shared_preload_libraries": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "tuple",
                            "items_schema": [
                                {
                                    "type": "function-after",
                                    "function": {
                                        "type": "no-info",
                                        "function": validator_of(t.LibraryName, 1),
                                    },
                                    "schema": {"type": "str"},
                                }
                            ],
                            "variadic_item_index": 0,
                            "strict": False,
                        },
                        "default": (),
                    },
                },
                "resource_requests": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {"type": "definition-ref", "schema_ref": "ComputeResources"},
                        "default": ComputeResources._of(cpu="1", memory="2Gi"),
                    },
                },
                "resource_limits": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {"type": "definition-ref", "schema_ref": "ComputeResources"},
                        "default": ComputeResources._of(cpu="1", memory="2Gi"),
                    },
                },
                "monitoring_enabled": {
                    "type": "model-field",
                    "schema": {"type": "default", "schema": {"type": "bool"}, "default": False},
                },
                "pdb_enabled": {
                    "type": "model-field",
                    "schema": {"type": "default", "schema": {"type": "bool"}, "default": False},
                },
                "pdb_min_available": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {"type": "int", "ge": 1, "le": 2147483647},
                        },
                        "default": None,
                    },
                },
                "pdb_name": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.DNSLabel, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default": None,
                    },
                },
                "backup_enabled": {
                    "type": "model-field",
                    "schema": {"type": "default", "schema": {"type": "bool"}, "default": False},
                },
                "backup_method": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "literal",
                            "expected": ["barman_object_store", "barman_cloud_plugin"],
                        },
                        "default": "barman_cloud_plugin",
                    },
                },
                "barman_cloud_plugin_install": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {"type": "nullable", "schema": {"type": "bool"}},
                        "default": None,
                    },
                },
                "barman_cloud_plugin_release_name": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "function-after",
                            "function": {
                                "type": "no-info",
                                "function": validator_of(t.HelmReleaseName, 1),
                            },
                            "schema": {"type": "str"},
                        },
                        "default": "plugin-barman-cloud",
                    },
                },
                "barman_cloud_plugin_chart_name": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "function-after",
                            "function": {
                                "type": "no-info",
                                "function": validator_of(t.HelmChartName, 1),
                            },
                            "schema": {"type": "str"},
                        },
                        "default": "plugin-barman-cloud",
                    },
                },
                "barman_cloud_plugin_chart_version": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "function-after",
                            "function": {
                                "type": "no-info",
                                "function": validator_of(t.ExactVersion, 1),
                            },
                            "schema": {"type": "str"},
                        },
                        "default": "0.7.0",
                    },
                },
                "backup_destination_path": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.S3Path, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default": None,
                    },
                },
                "backup_endpoint_url": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.HttpsURL, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default": None,
                    },
                },
                "backup_server_name": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.ServerName, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default": None,
                    },
                },
                "backup_retention_policy": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "function-after",
                            "function": {
                                "type": "no-info",
                                "function": validator_of(t.RetentionPolicy, 1),
                            },
                            "schema": {"type": "str"},
                        },
                        "default": "30d",
                    },
                },
                "backup_schedule": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "function-after",
                            "function": {
                                "type": "no-info",
                                "function": validator_of(t.CronSchedule, 1),
                            },
                            "schema": {"type": "str"},
                        },
                        "default": "0 0 0 * * *",
                    },
                },
                "wal_compression": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "literal",
                            "expected": ["bzip2", "gzip", "lz4", "snappy", "xz", "zstd"],
                        },
                        "default": "gzip",
                    },
                },
                "backup_data_compression": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "literal",
                                "expected": ["bzip2", "gzip", "lz4", "snappy"],
                            },
                        },
                        "default": None,
                    },
                },
                "scheduled_backup_name": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.DNSLabel, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default": None,
                    },
                },
                "backup_s3_credentials_secret_name": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.DNSLabel, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default": None,
                    },
                },
                "backup_s3_access_key_id": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.SecretText, 0),
                                },
                                "schema": {
                                    "type": "function-after",
                                    "function": {"type": "no-info", "function": Secret},
                                    "schema": {"type": "str"},
                                },
                            },
                        },
                        "default": None,
                    },
                },
                "backup_s3_secret_access_key": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.SecretText, 0),
                                },
                                "schema": {
                                    "type": "function-after",
                                    "function": {"type": "no-info", "function": Secret},
                                    "schema": {"type": "str"},
                                },
                            },
                        },
                        "default": None,
                    },
                },
                "backup_s3_inherit_from_iam_role": {
                    "type": "model-field",
                    "schema": {"type": "default", "schema": {"type": "bool"}, "default": False},
                },
                "backup_s3_checksum_when_required": {
                    "type": "model-field",
                    "schema": {"type": "default", "schema": {"type": "bool"}, "default": True},
                },
                "barman_cloud_plugin_sidecar_resource_requests": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {"type": "definition-ref", "schema_ref": "ComputeResources"},
                        "default": ComputeResources._of(cpu="500m", memory="512Mi"),
                    },
                },
                "barman_cloud_plugin_sidecar_resource_limits": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {"type": "definition-ref", "schema_ref": "ComputeResources"},
                        "default": ComputeResources._of(cpu="500m", memory="512Mi"),
                    },
                },
                "backup_s3_inline_credentials_acknowledged": {
                    "type": "model-field",
                    "schema": {"type": "default", "schema": {"type": "bool"}, "default": False},
                },
                "eso_enabled": {
                    "type": "model-field",
                    "schema": {"type": "default", "schema": {"type": "bool"}, "default": False},
                },
                "eso_cluster_secret_store_name": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "function-after",
                            "function": {
                                "type": "no-info",
                                "function": validator_of(t.DNSLabel, 1),
                            },
                            "schema": {"type": "str"},
                        },
                        "default": "vault-kv",
                    },
                },
                "eso_refresh_interval": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "function-after",
                            "function": {
                                "type": "no-info",
                                "function": validator_of(t.GoDuration, 1),
                            },
                            "schema": {"type": "str"},
                        },
                        "default": "1h",
                    },
                },
                "superuser_credentials_vault_path": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.VaultPath, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default": None,
                    },
                },
                "superuser_credentials_secret_name": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.DNSLabel, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default": None,
                    },
                },
                "app_credentials_vault_path": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.VaultPath, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default": None,
                    },
                },
                "app_credentials_secret_name": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.DNSLabel, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default": None,
                    },
                },
                "backup_credentials_vault_path": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.VaultPath, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default": None,
                    },
                },
                "vault_password_property": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "function-after",
                            "function": {
                                "type": "no-info",
                                "function": validator_of(t.SecretKeyName, 1),
                            },
                            "schema": {"type": "str"},
                        },
                        "default": "password",
                    },
                },
                "vault_access_key_id_property": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "function-after",
                            "function": {
                                "type": "no-info",
                                "function": validator_of(t.SecretKeyName, 1),
                            },
                            "schema": {"type": "str"},
                        },
                        "default": "access_key_id",
                    },
                },
                "vault_secret_access_key_property": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "function-after",
                            "function": {
                                "type": "no-info",
                                "function": validator_of(t.SecretKeyName, 1),
                            },
                            "schema": {"type": "str"},
                        },
                        "default": "secret_access_key",
                    },
                },
                "pooler_enabled": {
                    "type": "model-field",
                    "schema": {"type": "default", "schema": {"type": "bool"}, "default": False},
                },
                "pooler_read_only_enabled": {
                    "type": "model-field",
                    "schema": {"type": "default", "schema": {"type": "bool"}, "default": False},
                },
                "pooler_instances": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {"type": "int", "ge": 1, "le": 2147483647},
                        "default": 2,
                    },
                },
                "pooler_pool_mode": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {"type": "literal", "expected": ["transaction", "session"]},
                        "default": "transaction",
                    },
                },
                "pooler_max_client_connections": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {"type": "int", "ge": 1, "le": 2147483647},
                        "default": 1000,
                    },
                },
                "pooler_default_pool_size": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {"type": "int", "ge": 1, "le": 2147483647},
                        "default": 20,
                    },
                },
                "pooler_parameters": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "dict",
                            "keys_schema": {"type": "str"},
                            "values_schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.ParameterValue, 0),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default_factory": dict,
                        "default_factory_takes_data": False,
                    },
                },
                "pooler_resource_requests": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {"type": "definition-ref", "schema_ref": "ComputeResources"},
                        "default": ComputeResources._of(cpu="100m", memory="64Mi"),
                    },
                },
                "pooler_resource_limits": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {"type": "definition-ref", "schema_ref": "ComputeResources"},
                        "default": ComputeResources._of(cpu="500m", memory="256Mi"),
                    },
                },
                "pooler_service": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {"type": "definition-ref", "schema_ref": "ServiceSettings"},
                        },
                        "default": None,
                    },
                },
                "pooler_read_only_service": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {"type": "definition-ref", "schema_ref": "ServiceSettings"},
                        },
                        "default": None,
                    },
                },
                "monitoring_namespace": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.DNSLabel, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default": None,
                    },
                },
                "monitoring_labels": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "dict",
                            "keys_schema": {"type": "str"},
                            "values_schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.LabelValue, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default_factory": dict,
                        "default_factory_takes_data": False,
                    },
                },
                "alerts_enabled": {
                    "type": "model-field",
                    "schema": {"type": "default", "schema": {"type": "bool"}, "default": False},
                },
                "alerts_replication_lag_seconds": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {"type": "int", "ge": 1, "le": 86400},
                        "default": 60,
                    },
                },
                "alerts_volume_usage_percent": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {"type": "int", "ge": 1, "le": 99},
                        "default": 80,
                    },
                },
                "alerts_connections_percent": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {"type": "int", "ge": 1, "le": 99},
                        "default": 80,
                    },
                },
                "alerts_backup_max_age_hours": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {"type": "int", "ge": 1, "le": 8784},
                        },
                        "default": None,
                    },
                },
                "tls_enabled": {
                    "type": "model-field",
                    "schema": {"type": "default", "schema": {"type": "bool"}, "default": False},
                },
                "tls_issuer_name": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.DNSSubdomain, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default": None,
                    },
                },
                "tls_issuer_kind": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {"type": "literal", "expected": ["ClusterIssuer", "Issuer"]},
                        "default": "ClusterIssuer",
                    },
                },
                "tls_duration": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "function-after",
                            "function": {
                                "type": "no-info",
                                "function": validator_of(t.GoDuration, 1),
                            },
                            "schema": {"type": "str"},
                        },
                        "default": "2160h",
                    },
                },
                "tls_renew_before": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "function-after",
                            "function": {
                                "type": "no-info",
                                "function": validator_of(t.GoDuration, 1),
                            },
                            "schema": {"type": "str"},
                        },
                        "default": "720h",
                    },
                },
                "tls_ca_secret_name": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.DNSLabel, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default": None,
                    },
                },
                "tls_server_alt_dns_names": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "tuple",
                            "items_schema": [
                                {
                                    "type": "function-after",
                                    "function": {
                                        "type": "no-info",
                                        "function": validator_of(t.DNSSubdomain, 1),
                                    },
                                    "schema": {"type": "str"},
                                }
                            ],
                            "variadic_item_index": 0,
                            "strict": False,
                        },
                        "default": (),
                    },
                },
                "tls_client_ca_secret_name": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.DNSLabel, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default": None,
                    },
                },
                "recovery_enabled": {
                    "type": "model-field",
                    "schema": {"type": "default", "schema": {"type": "bool"}, "default": False},
                },
                "recovery_source_destination_path": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.S3Path, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default": None,
                    },
                },
                "recovery_source_server_name": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.ServerName, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default": None,
                    },
                },
                "recovery_source_endpoint_url": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.HttpsURL, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default": None,
                    },
                },
                "recovery_source_s3_credentials_secret_name": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.DNSLabel, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default": None,
                    },
                },
                "recovery_source_credentials_vault_path": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.VaultPath, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default": None,
                    },
                },
                "recovery_source_inherit_from_iam_role": {
                    "type": "model-field",
                    "schema": {"type": "default", "schema": {"type": "bool"}, "default": False},
                },
                "recovery_backup_id": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.BackupId, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default": None,
                    },
                },
                "recovery_target_time": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.RecoveryTime, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default": None,
                    },
                },
                "recovery_target_lsn": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {"type": "no-info", "function": validator_of(t.Lsn, 1)},
                                "schema": {"type": "str"},
                            },
                        },
                        "default": None,
                    },
                },
                "recovery_target_xid": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {"type": "int", "ge": 3, "le": 4294967295},
                        },
                        "default": None,
                    },
                },
                "recovery_target_name": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.RestorePointName, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default": None,
                    },
                },
                "recovery_target_immediate": {
                    "type": "model-field",
                    "schema": {"type": "default", "schema": {"type": "bool"}, "default": False},
                },
                "database_resource_enabled": {
                    "type": "model-field",
                    "schema": {"type": "default", "schema": {"type": "bool"}, "default": False},
                },
                "postgis_version": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(ft.ExtensionVersion, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default": None,
                    },
                },
                "database_extensions": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "tuple",
                            "items_schema": [{"type": "definition-ref", "schema_ref": "Extension"}],
                            "variadic_item_index": 0,
                            "strict": False,
                        },
                        "default": (),
                    },
                },
                "databases": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "tuple",
                            "items_schema": [
                                {
                                    "type": "model",
                                    "cls": ExtraDatabase,
                                    "schema": {
                                        "type": "model-fields",
                                        "fields": {
                                            "name": {
                                                "type": "model-field",
                                                "schema": {
                                                    "type": "function-after",
                                                    "function": {
                                                        "type": "no-info",
                                                        "function": validator_of(t.PgIdentifier, 1),
                                                    },
                                                    "schema": {"type": "str"},
                                                },
                                            },
                                            "owner": {
                                                "type": "model-field",
                                                "schema": {
                                                    "type": "function-after",
                                                    "function": {
                                                        "type": "no-info",
                                                        "function": validator_of(t.PgIdentifier, 1),
                                                    },
                                                    "schema": {"type": "str"},
                                                },
                                            },
                                            "extensions": {
                                                "type": "model-field",
                                                "schema": {
                                                    "type": "default",
                                                    "schema": {
                                                        "type": "tuple",
                                                        "items_schema": [
                                                            {
                                                                "type": "definition-ref",
                                                                "schema_ref": "Extension",
                                                            }
                                                        ],
                                                        "variadic_item_index": 0,
                                                        "strict": False,
                                                    },
                                                    "default": (),
                                                },
                                            },
                                            "credentials_vault_path": {
                                                "type": "model-field",
                                                "schema": {
                                                    "type": "default",
                                                    "schema": {
                                                        "type": "nullable",
                                                        "schema": {
                                                            "type": "function-after",
                                                            "function": {
                                                                "type": "no-info",
                                                                "function": validator_of(
                                                                    t.VaultPath, 1
                                                                ),
                                                            },
                                                            "schema": {"type": "str"},
                                                        },
                                                    },
                                                    "default": None,
                                                },
                                            },
                                            "credentials_secret_name": {
                                                "type": "model-field",
                                                "schema": {
                                                    "type": "default",
                                                    "schema": {
                                                        "type": "nullable",
                                                        "schema": {
                                                            "type": "function-after",
                                                            "function": {
                                                                "type": "no-info",
                                                                "function": validator_of(
                                                                    t.DNSLabel, 1
                                                                ),
                                                            },
                                                            "schema": {"type": "str"},
                                                        },
                                                    },
                                                    "default": None,
                                                },
                                            },
                                        },
                                        "model_name": "ExtraDatabase",
                                        "computed_fields": [],
                                    },
                                    "custom_init": False,
                                    "root_model": False,
                                    "config": {
                                        "strict": True,
                                        "extra_fields_behavior": "forbid",
                                        "validate_default": False,
                                        "hide_input_in_errors": True,
                                        "title": "ExtraDatabase",
                                    },
                                    "ref": "ExtraDatabase",
                                }
                            ],
                            "variadic_item_index": 0,
                            "strict": False,
                        },
                        "default": (),
                    },
                },
                "pod_anti_affinity_type": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {"type": "literal", "expected": ["preferred", "required"]},
                        "default": "preferred",
                    },
                },
                "zone_spread": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {"type": "literal", "expected": ["off", "preferred", "required"]},
                        "default": "off",
                    },
                },
                "node_selector": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "dict",
                            "keys_schema": {"type": "str"},
                            "values_schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.LabelValue, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default_factory": dict,
                        "default_factory_takes_data": False,
                    },
                },
                "tolerations": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "tuple",
                            "items_schema": [
                                {
                                    "type": "model",
                                    "cls": Toleration,
                                    "schema": {
                                        "type": "model-fields",
                                        "fields": {
                                            "key": {
                                                "type": "model-field",
                                                "schema": {
                                                    "type": "default",
                                                    "schema": {
                                                        "type": "nullable",
                                                        "schema": {
                                                            "type": "function-after",
                                                            "function": {
                                                                "type": "no-info",
                                                                "function": validator_of(
                                                                    ft.LabelKey, 1
                                                                ),
                                                            },
                                                            "schema": {"type": "str"},
                                                        },
                                                    },
                                                    "default": None,
                                                },
                                            },
                                            "operator": {
                                                "type": "model-field",
                                                "schema": {
                                                    "type": "default",
                                                    "schema": {
                                                        "type": "literal",
                                                        "expected": ["Equal", "Exists"],
                                                    },
                                                    "default": "Equal",
                                                },
                                            },
                                            "value": {
                                                "type": "model-field",
                                                "schema": {
                                                    "type": "default",
                                                    "schema": {
                                                        "type": "nullable",
                                                        "schema": {
                                                            "type": "function-after",
                                                            "function": {
                                                                "type": "no-info",
                                                                "function": validator_of(
                                                                    t.LabelValue, 1
                                                                ),
                                                            },
                                                            "schema": {"type": "str"},
                                                        },
                                                    },
                                                    "default": None,
                                                },
                                            },
                                            "effect": {
                                                "type": "model-field",
                                                "schema": {
                                                    "type": "default",
                                                    "schema": {
                                                        "type": "nullable",
                                                        "schema": {
                                                            "type": "literal",
                                                            "expected": [
                                                                "NoSchedule",
                                                                "PreferNoSchedule",
                                                                "NoExecute",
                                                            ],
                                                        },
                                                    },
                                                    "default": None,
                                                },
                                            },
                                            "toleration_seconds": {
                                                "type": "model-field",
                                                "schema": {
                                                    "type": "default",
                                                    "schema": {
                                                        "type": "nullable",
                                                        "schema": {
                                                            "type": "int",
                                                            "ge": 0,
                                                            "le": 9223372036854775807,
                                                        },
                                                    },
                                                    "default": None,
                                                },
                                            },
                                        },
                                        "model_name": "Toleration",
                                        "computed_fields": [],
                                    },
                                    "custom_init": False,
                                    "root_model": False,
                                    "config": {
                                        "strict": True,
                                        "extra_fields_behavior": "forbid",
                                        "validate_default": False,
                                        "hide_input_in_errors": True,
                                        "title": "Toleration",
                                    },
                                    "ref": "Toleration",
                                }
                            ],
                            "variadic_item_index": 0,
                            "strict": False,
                        },
                        "default": (),
                    },
                },
                "priority_class_name": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.DNSSubdomain, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default": None,
                    },
                },
                "wal_storage_size": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.StorageQuantity, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default": None,
                    },
                },
                "wal_storage_class": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.DNSSubdomain, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default": None,
                    },
                },
                "synchronous_replication": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "model",
                                "cls": SynchronousReplication,
                                "schema": {
                                    "type": "model-fields",
                                    "fields": {
                                        "method": {
                                            "type": "model-field",
                                            "schema": {
                                                "type": "default",
                                                "schema": {
                                                    "type": "literal",
                                                    "expected": ["any", "first"],
                                                },
                                                "default": "any",
                                            },
                                        },
                                        "number": {
                                            "type": "model-field",
                                            "schema": {
                                                "type": "default",
                                                "schema": {
                                                    "type": "int",
                                                    "ge": 1,
                                                    "le": 2147483647,
                                                },
                                                "default": 1,
                                            },
                                        },
                                        "data_durability": {
                                            "type": "model-field",
                                            "schema": {
                                                "type": "default",
                                                "schema": {
                                                    "type": "literal",
                                                    "expected": ["required", "preferred"],
                                                },
                                                "default": "required",
                                            },
                                        },
                                    },
                                    "model_name": "SynchronousReplication",
                                    "computed_fields": [],
                                },
                                "custom_init": False,
                                "root_model": False,
                                "config": {
                                    "strict": True,
                                    "extra_fields_behavior": "forbid",
                                    "validate_default": False,
                                    "hide_input_in_errors": True,
                                    "title": "SynchronousReplication",
                                },
                                "ref": "SynchronousReplication",
                            },
                        },
                        "default": None,
                    },
                },
                "pg_hba": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "tuple",
                            "items_schema": [
                                {
                                    "type": "function-after",
                                    "function": {
                                        "type": "no-info",
                                        "function": validator_of(ft.HbaLine, 1),
                                    },
                                    "schema": {"type": "str"},
                                }
                            ],
                            "variadic_item_index": 0,
                            "strict": False,
                        },
                        "default": (),
                    },
                },
                "pg_ident": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "tuple",
                            "items_schema": [
                                {
                                    "type": "function-after",
                                    "function": {
                                        "type": "no-info",
                                        "function": validator_of(ft.IdentLine, 1),
                                    },
                                    "schema": {"type": "str"},
                                }
                            ],
                            "variadic_item_index": 0,
                            "strict": False,
                        },
                        "default": (),
                    },
                },
                "extra_env": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "dict",
                            "keys_schema": {"type": "str"},
                            "values_schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(ft.TextValue, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default_factory": dict,
                        "default_factory_takes_data": False,
                    },
                },
                "service_account_annotations": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "dict",
                            "keys_schema": {"type": "str"},
                            "values_schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(ft.TextValue, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default_factory": dict,
                        "default_factory_takes_data": False,
                    },
                },
                "image_pull_secrets": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "tuple",
                            "items_schema": [
                                {
                                    "type": "function-after",
                                    "function": {
                                        "type": "no-info",
                                        "function": validator_of(t.DNSSubdomain, 1),
                                    },
                                    "schema": {"type": "str"},
                                }
                            ],
                            "variadic_item_index": 0,
                            "strict": False,
                        },
                        "default": (),
                    },
                },
                "pod_security_context": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "model",
                                "cls": PodSecurityContext,
                                "schema": {
                                    "type": "model-fields",
                                    "fields": {
                                        "run_as_user": {
                                            "type": "model-field",
                                            "schema": {
                                                "type": "default",
                                                "schema": {
                                                    "type": "nullable",
                                                    "schema": {
                                                        "type": "int",
                                                        "ge": 1,
                                                        "le": 2147483647,
                                                    },
                                                },
                                                "default": None,
                                            },
                                        },
                                        "run_as_group": {
                                            "type": "model-field",
                                            "schema": {
                                                "type": "default",
                                                "schema": {
                                                    "type": "nullable",
                                                    "schema": {
                                                        "type": "int",
                                                        "ge": 0,
                                                        "le": 2147483647,
                                                    },
                                                },
                                                "default": None,
                                            },
                                        },
                                        "fs_group": {
                                            "type": "model-field",
                                            "schema": {
                                                "type": "default",
                                                "schema": {
                                                    "type": "nullable",
                                                    "schema": {
                                                        "type": "int",
                                                        "ge": 0,
                                                        "le": 2147483647,
                                                    },
                                                },
                                                "default": None,
                                            },
                                        },
                                        "fs_group_change_policy": {
                                            "type": "model-field",
                                            "schema": {
                                                "type": "default",
                                                "schema": {
                                                    "type": "nullable",
                                                    "schema": {
                                                        "type": "literal",
                                                        "expected": ["Always", "OnRootMismatch"],
                                                    },
                                                },
                                                "default": None,
                                            },
                                        },
                                        "supplemental_groups": {
                                            "type": "model-field",
                                            "schema": {
                                                "type": "default",
                                                "schema": {
                                                    "type": "tuple",
                                                    "items_schema": [
                                                        {"type": "int", "ge": 0, "le": 2147483647}
                                                    ],
                                                    "variadic_item_index": 0,
                                                    "strict": False,
                                                },
                                                "default": (),
                                            },
                                        },
                                    },
                                    "model_name": "PodSecurityContext",
                                    "computed_fields": [],
                                },
                                "custom_init": False,
                                "root_model": False,
                                "config": {
                                    "strict": True,
                                    "extra_fields_behavior": "forbid",
                                    "validate_default": False,
                                    "hide_input_in_errors": True,
                                    "title": "PodSecurityContext",
                                },
                                "ref": "PodSecurityContext",
                            },
                        },
                        "default": None,
                    },
                },
                "container_security_context": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "model",
                                "cls": ContainerSecurityContext,
                                "schema": {
                                    "type": "model-fields",
                                    "fields": {
                                        "run_as_user": {
                                            "type": "model-field",
                                            "schema": {
                                                "type": "default",
                                                "schema": {
                                                    "type": "nullable",
                                                    "schema": {
                                                        "type": "int",
                                                        "ge": 1,
                                                        "le": 2147483647,
                                                    },
                                                },
                                                "default": None,
                                            },
                                        },
                                        "run_as_group": {
                                            "type": "model-field",
                                            "schema": {
                                                "type": "default",
                                                "schema": {
                                                    "type": "nullable",
                                                    "schema": {
                                                        "type": "int",
                                                        "ge": 0,
                                                        "le": 2147483647,
                                                    },
                                                },
                                                "default": None,
                                            },
                                        },
                                    },
                                    "model_name": "ContainerSecurityContext",
                                    "computed_fields": [],
                                },
                                "custom_init": False,
                                "root_model": False,
                                "config": {
                                    "strict": True,
                                    "extra_fields_behavior": "forbid",
                                    "validate_default": False,
                                    "hide_input_in_errors": True,
                                    "title": "ContainerSecurityContext",
                                },
                                "ref": "ContainerSecurityContext",
                            },
                        },
                        "default": None,
                    },
                },
                "inherited_labels": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "dict",
                            "keys_schema": {"type": "str"},
                            "values_schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.LabelValue, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default_factory": dict,
                        "default_factory_takes_data": False,
                    },
                },
                "inherited_annotations": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "dict",
                            "keys_schema": {"type": "str"},
                            "values_schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(ft.TextValue, 1),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                        "default_factory": dict,
                        "default_factory_takes_data": False,
                    },
                },
                "disabled_default_services": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "tuple",
                            "items_schema": [{"type": "literal", "expected": ["ro", "r"]}],
                            "variadic_item_index": 0,
                            "strict": False,
                        },
                        "default": (),
                    },
                },
                "additional_services": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "tuple",
                            "items_schema": [
                                {
                                    "type": "model",
                                    "cls": AdditionalService,
                                    "schema": {
                                        "type": "model-fields",
                                        "fields": {
                                            "type": {
                                                "type": "model-field",
                                                "schema": {
                                                    "type": "default",
                                                    "schema": {
                                                        "type": "literal",
                                                        "expected": [
                                                            "ClusterIP",
                                                            "NodePort",
                                                            "LoadBalancer",
                                                        ],
                                                    },
                                                    "default": "ClusterIP",
                                                },
                                            },
                                            "annotations": {
                                                "type": "model-field",
                                                "schema": {
                                                    "type": "default",
                                                    "schema": {
                                                        "type": "dict",
                                                        "keys_schema": {"type": "str"},
                                                        "values_schema": {
                                                            "type": "function-after",
                                                            "function": {
                                                                "type": "no-info",
                                                                "function": validator_of(
                                                                    ft.TextValue, 1
                                                                ),
                                                            },
                                                            "schema": {"type": "str"},
                                                        },
                                                    },
                                                    "default_factory": dict,
                                                    "default_factory_takes_data": False,
                                                },
                                            },
                                            "labels": {
                                                "type": "model-field",
                                                "schema": {
                                                    "type": "default",
                                                    "schema": {
                                                        "type": "dict",
                                                        "keys_schema": {"type": "str"},
                                                        "values_schema": {
                                                            "type": "function-after",
                                                            "function": {
                                                                "type": "no-info",
                                                                "function": validator_of(
                                                                    t.LabelValue, 1
                                                                ),
                                                            },
                                                            "schema": {"type": "str"},
                                                        },
                                                    },
                                                    "default_factory": dict,
                                                    "default_factory_takes_data": False,
                                                },
                                            },
                                            "load_balancer_source_ranges": {
                                                "type": "model-field",
                                                "schema": {
                                                    "type": "default",
                                                    "schema": {
                                                        "type": "tuple",
                                                        "items_schema": [
                                                            {
                                                                "type": "function-after",
                                                                "function": {
                                                                    "type": "no-info",
                                                                    "function": validator_of(
                                                                        ft.SourceRange, 1
                                                                    ),
                                                                },
                                                                "schema": {"type": "str"},
                                                            }
                                                        ],
                                                        "variadic_item_index": 0,
                                                        "strict": False,
                                                    },
                                                    "default": (),
                                                },
                                            },
                                            "load_balancer_class": {
                                                "type": "model-field",
                                                "schema": {
                                                    "type": "default",
                                                    "schema": {
                                                        "type": "nullable",
                                                        "schema": {
                                                            "type": "function-after",
                                                            "function": {
                                                                "type": "no-info",
                                                                "function": validator_of(
                                                                    ft.LabelKey, 1
                                                                ),
                                                            },
                                                            "schema": {"type": "str"},
                                                        },
                                                    },
                                                    "default": None,
                                                },
                                            },
                                            "name": {
                                                "type": "model-field",
                                                "schema": {
                                                    "type": "function-after",
                                                    "function": {
                                                        "type": "no-info",
                                                        "function": validator_of(t.ServiceName, 1),
                                                    },
                                                    "schema": {"type": "str"},
                                                },
                                            },
                                            "selector_type": {
                                                "type": "model-field",
                                                "schema": {
                                                    "type": "literal",
                                                    "expected": ["rw", "ro", "r"],
                                                },
                                            },
                                            "update_strategy": {
                                                "type": "model-field",
                                                "schema": {
                                                    "type": "default",
                                                    "schema": {
                                                        "type": "literal",
                                                        "expected": ["patch", "replace"],
                                                    },
                                                    "default": "patch",
                                                },
                                            },
                                        },
                                        "model_name": "AdditionalService",
                                        "computed_fields": [],
                                    },
                                    "custom_init": False,
                                    "root_model": False,
                                    "config": {
                                        "strict": True,
                                        "extra_fields_behavior": "forbid",
                                        "validate_default": False,
                                        "hide_input_in_errors": True,
                                        "title": "AdditionalService",
                                    },
                                    "ref": "AdditionalService",
                                }
                            ],
                            "variadic_item_index": 0,
                            "strict": False,
                        },
                        "default": (),
                    },
                },
            },
            "model_name": "InputsModel",
            "computed_fields": [],
        },
        "custom_init": False,
        "root_model": False,
        "config": {
            "strict": True,
            "extra_fields_behavior": "forbid",
            "validate_default": False,
            "hide_input_in_errors": True,
            "title": "InputsModel",
        },
        "ref": "InputsModel",
    },
    "definitions": [
        {
            "type": "model",
            "cls": ComputeResources,
            "schema": {
                "type": "model-fields",
                "fields": {
                    "cpu": {
                        "type": "model-field",
                        "schema": {
                            "type": "function-after",
                            "function": {
                                "type": "no-info",
                                "function": validator_of(t.CpuQuantity, 2),
                            },
                            "schema": {
                                "type": "function-before",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.CpuQuantity, 0),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                    },
                    "memory": {
                        "type": "model-field",
                        "schema": {
                            "type": "function-after",
                            "function": {
                                "type": "no-info",
                                "function": validator_of(t.MemoryQuantity, 2),
                            },
                            "schema": {
                                "type": "function-before",
                                "function": {
                                    "type": "no-info",
                                    "function": validator_of(t.CpuQuantity, 0),
                                },
                                "schema": {"type": "str"},
                            },
                        },
                    },
                },
                "model_name": "ComputeResources",
                "computed_fields": [],
            },
            "custom_init": False,
            "root_model": False,
            "config": {
                "strict": True,
                "extra_fields_behavior": "forbid",
                "validate_default": False,
                "hide_input_in_errors": True,
                "title": "ComputeResources",
            },
            "ref": "ComputeResources",
        },
        {
            "type": "model",
            "cls": ServiceSettings,
            "schema": {
                "type": "model-fields",
                "fields": {
                    "type": {
                        "type": "model-field",
                        "schema": {
                            "type": "default",
                            "schema": {
                                "type": "literal",
                                "expected": ["ClusterIP", "NodePort", "LoadBalancer"],
                            },
                            "default": "ClusterIP",
                        },
                    },
                    "annotations": {
                        "type": "model-field",
                        "schema": {
                            "type": "default",
                            "schema": {
                                "type": "dict",
                                "keys_schema": {"type": "str"},
                                "values_schema": {
                                    "type": "function-after",
                                    "function": {
                                        "type": "no-info",
                                        "function": validator_of(ft.TextValue, 1),
                                    },
                                    "schema": {"type": "str"},
                                },
                            },
                            "default_factory": dict,
                            "default_factory_takes_data": False,
                        },
                    },
                    "labels": {
                        "type": "model-field",
                        "schema": {
                            "type": "default",
                            "schema": {
                                "type": "dict",
                                "keys_schema": {"type": "str"},
                                "values_schema": {
                                    "type": "function-after",
                                    "function": {
                                        "type": "no-info",
                                        "function": validator_of(t.LabelValue, 1),
                                    },
                                    "schema": {"type": "str"},
                                },
                            },
                            "default_factory": dict,
                            "default_factory_takes_data": False,
                        },
                    },
                    "load_balancer_source_ranges": {
                        "type": "model-field",
                        "schema": {
                            "type": "default",
                            "schema": {
                                "type": "tuple",
                                "items_schema": [
                                    {
                                        "type": "function-after",
                                        "function": {
                                            "type": "no-info",
                                            "function": validator_of(ft.SourceRange, 1),
                                        },
                                        "schema": {"type": "str"},
                                    }
                                ],
                                "variadic_item_index": 0,
                                "strict": False,
                            },
                            "default": (),
                        },
                    },
                    "load_balancer_class": {
                        "type": "model-field",
                        "schema": {
                            "type": "default",
                            "schema": {
                                "type": "nullable",
                                "schema": {
                                    "type": "function-after",
                                    "function": {
                                        "type": "no-info",
                                        "function": validator_of(ft.LabelKey, 1),
                                    },
                                    "schema": {"type": "str"},
                                },
                            },
                            "default": None,
                        },
                    },
                },
                "model_name": "ServiceSettings",
                "computed_fields": [],
            },
            "custom_init": False,
            "root_model": False,
            "config": {
                "strict": True,
                "extra_fields_behavior": "forbid",
                "validate_default": False,
                "hide_input_in_errors": True,
                "title": "ServiceSettings",
            },
            "ref": "ServiceSettings",
        },
        {
            "type": "model",
            "cls": Extension,
            "schema": {
                "type": "model-fields",
                "fields": {
                    "name": {
                        "type": "model-field",
                        "schema": {
                            "type": "function-after",
                            "function": {
                                "type": "no-info",
                                "function": validator_of(ft.ExtensionName, 1),
                            },
                            "schema": {"type": "str"},
                        },
                    },
                    "version": {
                        "type": "model-field",
                        "schema": {
                            "type": "default",
                            "schema": {
                                "type": "nullable",
                                "schema": {
                                    "type": "function-after",
                                    "function": {
                                        "type": "no-info",
                                        "function": validator_of(ft.ExtensionVersion, 1),
                                    },
                                    "schema": {"type": "str"},
                                },
                            },
                            "default": None,
                        },
                    },
                },
                "model_name": "Extension",
                "computed_fields": [],
            },
            "custom_init": False,
            "root_model": False,
            "config": {
                "strict": True,
                "extra_fields_behavior": "forbid",
                "validate_default": False,
                "hide_input_in_errors": True,
                "title": "Extension",
            },
            "ref": "Extension",
        },
    ],
}
VALIDATOR = SchemaValidator(SCHEMA)
NAMES: tuple[str, ...] = (
    "mode",
    "operator_namespace",
    "cluster_namespace",
    "create_namespaces",
    "operator_install",
    "flux_namespace",
    "flux_git_repository_name",
    "flux_git_repository_namespace",
    "flux_cross_namespace_refs",
    "flux_kustomization_service_account_name",
    "flux_path_prefix",
    "flux_depends_on",
    "helm_release_name",
    "chart_repository",
    "chart_name",
    "chart_version",
    "helm_values",
    "helm_wait",
    "helm_timeout",
    "flux_helm_repository_name",
    "flux_helm_repository_namespace",
    "flux_helm_release_service_account_name",
    "flux_helm_repository_interval",
    "flux_helm_release_interval",
    "cluster_name",
    "cluster_domain",
    "instances",
    "image_name",
    "storage_size",
    "storage_class",
    "database_name",
    "database_owner",
    "enable_superuser_access",
    "postgis_enabled",
    "postgis_extensions",
    "primary_update_strategy",
    "primary_update_method",
    "postgresql_parameters",
    "shared_preload_libraries",
    "resource_requests",
    "resource_limits",
    "monitoring_enabled",
    "pdb_enabled",
    "pdb_min_available",
    "pdb_name",
    "backup_enabled",
    "backup_method",
    "barman_cloud_plugin_install",
    "barman_cloud_plugin_release_name",
    "barman_cloud_plugin_chart_name",
    "barman_cloud_plugin_chart_version",
    "backup_destination_path",
    "backup_endpoint_url",
    "backup_server_name",
    "backup_retention_policy",
    "backup_schedule",
    "wal_compression",
    "backup_data_compression",
    "scheduled_backup_name",
    "backup_s3_credentials_secret_name",
    "backup_s3_access_key_id",
    "backup_s3_secret_access_key",
    "backup_s3_inherit_from_iam_role",
    "backup_s3_checksum_when_required",
    "barman_cloud_plugin_sidecar_resource_requests",
    "barman_cloud_plugin_sidecar_resource_limits",
    "backup_s3_inline_credentials_acknowledged",
    "eso_enabled",
    "eso_cluster_secret_store_name",
    "eso_refresh_interval",
    "superuser_credentials_vault_path",
    "superuser_credentials_secret_name",
    "app_credentials_vault_path",
    "app_credentials_secret_name",
    "backup_credentials_vault_path",
    "vault_password_property",
    "vault_access_key_id_property",
    "vault_secret_access_key_property",
    "pooler_enabled",
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
    "monitoring_namespace",
    "monitoring_labels",
    "alerts_enabled",
    "alerts_replication_lag_seconds",
    "alerts_volume_usage_percent",
    "alerts_connections_percent",
    "alerts_backup_max_age_hours",
    "tls_enabled",
    "tls_issuer_name",
    "tls_issuer_kind",
    "tls_duration",
    "tls_renew_before",
    "tls_ca_secret_name",
    "tls_server_alt_dns_names",
    "tls_client_ca_secret_name",
    "recovery_enabled",
    "recovery_source_destination_path",
    "recovery_source_server_name",
    "recovery_source_endpoint_url",
    "recovery_source_s3_credentials_secret_name",
    "recovery_source_credentials_vault_path",
    "recovery_source_inherit_from_iam_role",
    "recovery_backup_id",
    "recovery_target_time",
    "recovery_target_lsn",
    "recovery_target_xid",
    "recovery_target_name",
    "recovery_target_immediate",
    "database_resource_enabled",
    "postgis_version",
    "database_extensions",
    "databases",
    "pod_anti_affinity_type",
    "zone_spread",
    "node_selector",
    "tolerations",
    "priority_class_name",
    "wal_storage_size",
    "wal_storage_class",
    "synchronous_replication",
    "pg_hba",
    "pg_ident",
    "extra_env",
    "service_account_annotations",
    "image_pull_secrets",
    "pod_security_context",
    "container_security_context",
    "inherited_labels",
    "inherited_annotations",
    "disabled_default_services",
    "additional_services",
)
SENSITIVE: frozenset[str] = frozenset(["backup_s3_access_key_id", "backup_s3_secret_access_key"])
BOUNDS: dict[tuple[int | str, ...], tuple[Any, Any]] = {
    ("helm_timeout",): (1, 9223372036),
    ("instances",): (1, 9223372036854775807),
    ("pdb_min_available",): (1, 2147483647),
    ("pooler_instances",): (1, 2147483647),
    ("pooler_max_client_connections",): (1, 2147483647),
    ("pooler_default_pool_size",): (1, 2147483647),
    ("alerts_replication_lag_seconds",): (1, 86400),
    ("alerts_volume_usage_percent",): (1, 99),
    ("alerts_connections_percent",): (1, 99),
    ("alerts_backup_max_age_hours",): (1, 8784),
    ("recovery_target_xid",): (3, 4294967295),
    ("tolerations", 0, "toleration_seconds"): (0, 9223372036854775807),
    ("synchronous_replication", "number"): (1, 2147483647),
    ("pod_security_context", "run_as_user"): (1, 2147483647),
    ("pod_security_context", "run_as_group"): (0, 2147483647),
    ("pod_security_context", "fs_group"): (0, 2147483647),
    ("pod_security_context", "supplemental_groups", 0): (0, 2147483647),
    ("container_security_context", "run_as_user"): (1, 2147483647),
    ("container_security_context", "run_as_group"): (0, 2147483647),
}
DEFAULTS: dict[str, Any] = {
    "mode": "render",
    "operator_namespace": "cnpg-system",
    "cluster_namespace": "databases",
    "create_namespaces": True,
    "operator_install": "own",
    "flux_namespace": "flux-system",
    "flux_git_repository_name": "flux-system",
    "flux_git_repository_namespace": None,
    "flux_cross_namespace_refs": True,
    "flux_kustomization_service_account_name": None,
    "flux_path_prefix": "./",
    "flux_depends_on": FluxDependsOn._of(operator=(), credentials=(), cluster=(), addons=()),
    "helm_release_name": "cloudnative-pg",
    "chart_repository": "https://cloudnative-pg.github.io/charts",
    "chart_name": "cloudnative-pg",
    "chart_version": "0.29.0",
    "helm_values": {},
    "helm_wait": True,
    "helm_timeout": 600,
    "flux_helm_repository_name": "cloudnative-pg",
    "flux_helm_repository_namespace": None,
    "flux_helm_release_service_account_name": None,
    "flux_helm_repository_interval": "24h",
    "flux_helm_release_interval": "1h",
    "cluster_name": "wildside-pg",
    "cluster_domain": "cluster.local",
    "instances": 3,
    "image_name": None,
    "storage_size": "10Gi",
    "storage_class": "do-block-storage",
    "database_name": "wildside_prod",
    "database_owner": "wildside_user",
    "enable_superuser_access": True,
    "postgis_enabled": True,
    "postgis_extensions": ("postgis", "postgis_topology", "fuzzystrmatch"),
    "primary_update_strategy": "unsupervised",
    "primary_update_method": "switchover",
    "postgresql_parameters": {},
    "shared_preload_libraries": (),
    "resource_requests": ComputeResources._of(cpu="1", memory="2Gi"),
    "resource_limits": ComputeResources._of(cpu="1", memory="2Gi"),
    "monitoring_enabled": False,
    "pdb_enabled": False,
    "pdb_min_available": None,
    "pdb_name": None,
    "backup_enabled": False,
    "backup_method": "barman_cloud_plugin",
    "barman_cloud_plugin_install": None,
    "barman_cloud_plugin_release_name": "plugin-barman-cloud",
    "barman_cloud_plugin_chart_name": "plugin-barman-cloud",
    "barman_cloud_plugin_chart_version": "0.7.0",
    "backup_destination_path": None,
    "backup_endpoint_url": None,
    "backup_server_name": None,
    "backup_retention_policy": "30d",
    "backup_schedule": "0 0 0 * * *",
    "wal_compression": "gzip",
    "backup_data_compression": None,
    "scheduled_backup_name": None,
    "backup_s3_credentials_secret_name": None,
    "backup_s3_access_key_id": None,
    "backup_s3_secret_access_key": None,
    "backup_s3_inherit_from_iam_role": False,
    "backup_s3_checksum_when_required": True,
    "barman_cloud_plugin_sidecar_resource_requests": ComputeResources._of(
        cpu="500m", memory="512Mi"
    ),
    "barman_cloud_plugin_sidecar_resource_limits": ComputeResources._of(cpu="500m", memory="512Mi"),
    "backup_s3_inline_credentials_acknowledged": False,
    "eso_enabled": False,
    "eso_cluster_secret_store_name": "vault-kv",
    "eso_refresh_interval": "1h",
    "superuser_credentials_vault_path": None,
    "superuser_credentials_secret_name": None,
    "app_credentials_vault_path": None,
    "app_credentials_secret_name": None,
    "backup_credentials_vault_path": None,
    "vault_password_property": "password",
    "vault_access_key_id_property": "access_key_id",
    "vault_secret_access_key_property": "secret_access_key",
    "pooler_enabled": False,
    "pooler_read_only_enabled": False,
    "pooler_instances": 2,
    "pooler_pool_mode": "transaction",
    "pooler_max_client_connections": 1000,
    "pooler_default_pool_size": 20,
    "pooler_parameters": {},
    "pooler_resource_requests": ComputeResources._of(cpu="100m", memory="64Mi"),
    "pooler_resource_limits": ComputeResources._of(cpu="500m", memory="256Mi"),
    "pooler_service": None,
    "pooler_read_only_service": None,
    "monitoring_namespace": None,
    "monitoring_labels": {},
    "alerts_enabled": False,
    "alerts_replication_lag_seconds": 60,
    "alerts_volume_usage_percent": 80,
    "alerts_connections_percent": 80,
    "alerts_backup_max_age_hours": None,
    "tls_enabled": False,
    "tls_issuer_name": None,
    "tls_issuer_kind": "ClusterIssuer",
    "tls_duration": "2160h",
    "tls_renew_before": "720h",
    "tls_ca_secret_name": None,
    "tls_server_alt_dns_names": (),
    "tls_client_ca_secret_name": None,
    "recovery_enabled": False,
    "recovery_source_destination_path": None,
    "recovery_source_server_name": None,
    "recovery_source_endpoint_url": None,
    "recovery_source_s3_credentials_secret_name": None,
    "recovery_source_credentials_vault_path": None,
    "recovery_source_inherit_from_iam_role": False,
    "recovery_backup_id": None,
    "recovery_target_time": None,
    "recovery_target_lsn": None,
    "recovery_target_xid": None,
    "recovery_target_name": None,
    "recovery_target_immediate": False,
    "database_resource_enabled": False,
    "postgis_version": None,
    "database_extensions": (),
    "databases": (),
    "pod_anti_affinity_type": "preferred",
    "zone_spread": "off",
    "node_selector": {},
    "tolerations": (),
    "priority_class_name": None,
    "wal_storage_size": None,
    "wal_storage_class": None,
    "synchronous_replication": None,
    "pg_hba": (),
    "pg_ident": (),
    "extra_env": {},
    "service_account_annotations": {},
    "image_pull_secrets": (),
    "pod_security_context": None,
    "container_security_context": None,
    "inherited_labels": {},
    "inherited_annotations": {},
    "disabled_default_services": (),
    "additional_services": (),
}
Inputs._validator = VALIDATOR
Inputs._names = NAMES
Inputs._sensitive = SENSITIVE
Inputs._defaults = DEFAULTS
