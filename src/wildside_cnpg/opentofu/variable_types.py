"""Each input's variables.tf type, generated from `inputs/model.InputsModel` by
`inputs/compiler.py` (`make compiled-inputs`): do not edit."""

from __future__ import annotations

from .hcltypes import AnyType, Attribute, HclType, ListOf, MapOf, ObjectOf, Primitive

COMPUTE_RESOURCES = ObjectOf(
    attributes=(
        ("cpu", Attribute(type=Primitive(name="string"), optional=False, default=None)),
        ("memory", Attribute(type=Primitive(name="string"), optional=False, default=None)),
    )
)
SERVICE_SETTINGS = ObjectOf(
    attributes=(
        ("type", Attribute(type=Primitive(name="string"), optional=True, default="ClusterIP")),
        (
            "annotations",
            Attribute(type=MapOf(item=Primitive(name="string")), optional=True, default={}),
        ),
        ("labels", Attribute(type=MapOf(item=Primitive(name="string")), optional=True, default={})),
        (
            "load_balancer_source_ranges",
            Attribute(type=ListOf(item=Primitive(name="string")), optional=True, default=[]),
        ),
        (
            "load_balancer_class",
            Attribute(type=Primitive(name="string"), optional=True, default=None),
        ),
    )
)

VARIABLE_TYPES: dict[str, HclType] = {
    "mode": Primitive(name="string"),
    "operator_namespace": Primitive(name="string"),
    "cluster_namespace": Primitive(name="string"),
    "create_namespaces": Primitive(name="bool"),
    "operator_install": Primitive(name="string"),
    "flux_namespace": Primitive(name="string"),
    "flux_git_repository_name": Primitive(name="string"),
    "flux_git_repository_namespace": Primitive(name="string"),
    "flux_cross_namespace_refs": Primitive(name="bool"),
    "flux_kustomization_service_account_name": Primitive(name="string"),
    "flux_path_prefix": Primitive(name="string"),
    "flux_depends_on": ObjectOf(
        attributes=(
            (
                "operator",
                Attribute(type=ListOf(item=Primitive(name="string")), optional=True, default=[]),
            ),
            (
                "credentials",
                Attribute(type=ListOf(item=Primitive(name="string")), optional=True, default=[]),
            ),
            (
                "cluster",
                Attribute(type=ListOf(item=Primitive(name="string")), optional=True, default=[]),
            ),
            (
                "addons",
                Attribute(type=ListOf(item=Primitive(name="string")), optional=True, default=[]),
            ),
        )
    ),
    "helm_release_name": Primitive(name="string"),
    "chart_repository": Primitive(name="string"),
    "chart_name": Primitive(name="string"),
    "chart_version": Primitive(name="string"),
    "helm_values": AnyType(),
    "helm_wait": Primitive(name="bool"),
    "helm_timeout": Primitive(name="number"),
    "flux_helm_repository_name": Primitive(name="string"),
    "flux_helm_repository_namespace": Primitive(name="string"),
    "flux_helm_release_service_account_name": Primitive(name="string"),
    "flux_helm_repository_interval": Primitive(name="string"),
    "flux_helm_release_interval": Primitive(name="string"),
    "cluster_name": Primitive(name="string"),
    "cluster_domain": Primitive(name="string"),
    "instances": Primitive(name="number"),
    "image_name": Primitive(name="string"),
    "storage_size": Primitive(name="string"),
    "storage_class": Primitive(name="string"),
    "database_name": Primitive(name="string"),
    "database_owner": Primitive(name="string"),
    "enable_superuser_access": Primitive(name="bool"),
    "postgis_enabled": Primitive(name="bool"),
    "postgis_extensions": ListOf(item=Primitive(name="string")),
    "primary_update_strategy": Primitive(name="string"),
    "primary_update_method": Primitive(name="string"),
    "postgresql_parameters": MapOf(item=Primitive(name="string")),
    "shared_preload_libraries": ListOf(item=Primitive(name="string")),
    "resource_requests": COMPUTE_RESOURCES,
    "resource_limits": COMPUTE_RESOURCES,
    "monitoring_enabled": Primitive(name="bool"),
    "pdb_enabled": Primitive(name="bool"),
    "pdb_min_available": Primitive(name="number"),
    "pdb_name": Primitive(name="string"),
    "backup_enabled": Primitive(name="bool"),
    "backup_method": Primitive(name="string"),
    "barman_cloud_plugin_install": Primitive(name="bool"),
    "barman_cloud_plugin_release_name": Primitive(name="string"),
    "barman_cloud_plugin_chart_name": Primitive(name="string"),
    "barman_cloud_plugin_chart_version": Primitive(name="string"),
    "backup_destination_path": Primitive(name="string"),
    "backup_endpoint_url": Primitive(name="string"),
    "backup_server_name": Primitive(name="string"),
    "backup_retention_policy": Primitive(name="string"),
    "backup_schedule": Primitive(name="string"),
    "wal_compression": Primitive(name="string"),
    "backup_data_compression": Primitive(name="string"),
    "scheduled_backup_name": Primitive(name="string"),
    "backup_s3_credentials_secret_name": Primitive(name="string"),
    "backup_s3_access_key_id": Primitive(name="string"),
    "backup_s3_secret_access_key": Primitive(name="string"),
    "backup_s3_inherit_from_iam_role": Primitive(name="bool"),
    "backup_s3_checksum_when_required": Primitive(name="bool"),
    "barman_cloud_plugin_sidecar_resource_requests": COMPUTE_RESOURCES,
    "barman_cloud_plugin_sidecar_resource_limits": COMPUTE_RESOURCES,
    "backup_s3_inline_credentials_acknowledged": Primitive(name="bool"),
    "eso_enabled": Primitive(name="bool"),
    "eso_cluster_secret_store_name": Primitive(name="string"),
    "eso_refresh_interval": Primitive(name="string"),
    "superuser_credentials_vault_path": Primitive(name="string"),
    "superuser_credentials_secret_name": Primitive(name="string"),
    "app_credentials_vault_path": Primitive(name="string"),
    "app_credentials_secret_name": Primitive(name="string"),
    "backup_credentials_vault_path": Primitive(name="string"),
    "vault_password_property": Primitive(name="string"),
    "vault_access_key_id_property": Primitive(name="string"),
    "vault_secret_access_key_property": Primitive(name="string"),
    "pooler_enabled": Primitive(name="bool"),
    "pooler_read_only_enabled": Primitive(name="bool"),
    "pooler_instances": Primitive(name="number"),
    "pooler_pool_mode": Primitive(name="string"),
    "pooler_max_client_connections": Primitive(name="number"),
    "pooler_default_pool_size": Primitive(name="number"),
    "pooler_parameters": MapOf(item=Primitive(name="string")),
    "pooler_resource_requests": COMPUTE_RESOURCES,
    "pooler_resource_limits": COMPUTE_RESOURCES,
    "pooler_service": SERVICE_SETTINGS,
    "pooler_read_only_service": SERVICE_SETTINGS,
    "monitoring_namespace": Primitive(name="string"),
    "monitoring_labels": MapOf(item=Primitive(name="string")),
    "alerts_enabled": Primitive(name="bool"),
    "alerts_replication_lag_seconds": Primitive(name="number"),
    "alerts_volume_usage_percent": Primitive(name="number"),
    "alerts_connections_percent": Primitive(name="number"),
    "alerts_backup_max_age_hours": Primitive(name="number"),
    "tls_enabled": Primitive(name="bool"),
    "tls_issuer_name": Primitive(name="string"),
    "tls_issuer_kind": Primitive(name="string"),
    "tls_duration": Primitive(name="string"),
    "tls_renew_before": Primitive(name="string"),
    "tls_ca_secret_name": Primitive(name="string"),
    "tls_server_alt_dns_names": ListOf(item=Primitive(name="string")),
    "tls_client_ca_secret_name": Primitive(name="string"),
    "recovery_enabled": Primitive(name="bool"),
    "recovery_source_destination_path": Primitive(name="string"),
    "recovery_source_server_name": Primitive(name="string"),
    "recovery_source_endpoint_url": Primitive(name="string"),
    "recovery_source_s3_credentials_secret_name": Primitive(name="string"),
    "recovery_source_credentials_vault_path": Primitive(name="string"),
    "recovery_source_inherit_from_iam_role": Primitive(name="bool"),
    "recovery_backup_id": Primitive(name="string"),
    "recovery_target_time": Primitive(name="string"),
    "recovery_target_lsn": Primitive(name="string"),
    "recovery_target_xid": Primitive(name="number"),
    "recovery_target_name": Primitive(name="string"),
    "recovery_target_immediate": Primitive(name="bool"),
    "database_resource_enabled": Primitive(name="bool"),
    "postgis_version": Primitive(name="string"),
    "database_extensions": ListOf(
        item=ObjectOf(
            attributes=(
                ("name", Attribute(type=Primitive(name="string"), optional=False, default=None)),
                ("version", Attribute(type=Primitive(name="string"), optional=True, default=None)),
            )
        )
    ),
    "databases": ListOf(
        item=ObjectOf(
            attributes=(
                ("name", Attribute(type=Primitive(name="string"), optional=False, default=None)),
                ("owner", Attribute(type=Primitive(name="string"), optional=False, default=None)),
                (
                    "extensions",
                    Attribute(
                        type=ListOf(
                            item=ObjectOf(
                                attributes=(
                                    (
                                        "name",
                                        Attribute(
                                            type=Primitive(name="string"),
                                            optional=False,
                                            default=None,
                                        ),
                                    ),
                                    (
                                        "version",
                                        Attribute(
                                            type=Primitive(name="string"),
                                            optional=True,
                                            default=None,
                                        ),
                                    ),
                                )
                            )
                        ),
                        optional=True,
                        default=[],
                    ),
                ),
                (
                    "credentials_vault_path",
                    Attribute(type=Primitive(name="string"), optional=True, default=None),
                ),
                (
                    "credentials_secret_name",
                    Attribute(type=Primitive(name="string"), optional=True, default=None),
                ),
            )
        )
    ),
    "pod_anti_affinity_type": Primitive(name="string"),
    "zone_spread": Primitive(name="string"),
    "node_selector": MapOf(item=Primitive(name="string")),
    "tolerations": ListOf(
        item=ObjectOf(
            attributes=(
                ("key", Attribute(type=Primitive(name="string"), optional=True, default=None)),
                (
                    "operator",
                    Attribute(type=Primitive(name="string"), optional=True, default="Equal"),
                ),
                ("value", Attribute(type=Primitive(name="string"), optional=True, default=None)),
                ("effect", Attribute(type=Primitive(name="string"), optional=True, default=None)),
                (
                    "toleration_seconds",
                    Attribute(type=Primitive(name="number"), optional=True, default=None),
                ),
            )
        )
    ),
    "priority_class_name": Primitive(name="string"),
    "wal_storage_size": Primitive(name="string"),
    "wal_storage_class": Primitive(name="string"),
    "synchronous_replication": ObjectOf(
        attributes=(
            ("method", Attribute(type=Primitive(name="string"), optional=True, default="any")),
            ("number", Attribute(type=Primitive(name="number"), optional=True, default=1)),
            (
                "data_durability",
                Attribute(type=Primitive(name="string"), optional=True, default="required"),
            ),
        )
    ),
    "pg_hba": ListOf(item=Primitive(name="string")),
    "pg_ident": ListOf(item=Primitive(name="string")),
    "extra_env": MapOf(item=Primitive(name="string")),
    "service_account_annotations": MapOf(item=Primitive(name="string")),
    "image_pull_secrets": ListOf(item=Primitive(name="string")),
    "pod_security_context": ObjectOf(
        attributes=(
            ("run_as_user", Attribute(type=Primitive(name="number"), optional=True, default=None)),
            ("run_as_group", Attribute(type=Primitive(name="number"), optional=True, default=None)),
            ("fs_group", Attribute(type=Primitive(name="number"), optional=True, default=None)),
            (
                "fs_group_change_policy",
                Attribute(type=Primitive(name="string"), optional=True, default=None),
            ),
            (
                "supplemental_groups",
                Attribute(type=ListOf(item=Primitive(name="number")), optional=True, default=[]),
            ),
        )
    ),
    "container_security_context": ObjectOf(
        attributes=(
            ("run_as_user", Attribute(type=Primitive(name="number"), optional=True, default=None)),
            ("run_as_group", Attribute(type=Primitive(name="number"), optional=True, default=None)),
        )
    ),
    "inherited_labels": MapOf(item=Primitive(name="string")),
    "inherited_annotations": MapOf(item=Primitive(name="string")),
    "disabled_default_services": ListOf(item=Primitive(name="string")),
    "additional_services": ListOf(
        item=ObjectOf(
            attributes=(
                (
                    "type",
                    Attribute(type=Primitive(name="string"), optional=True, default="ClusterIP"),
                ),
                (
                    "annotations",
                    Attribute(type=MapOf(item=Primitive(name="string")), optional=True, default={}),
                ),
                (
                    "labels",
                    Attribute(type=MapOf(item=Primitive(name="string")), optional=True, default={}),
                ),
                (
                    "load_balancer_source_ranges",
                    Attribute(
                        type=ListOf(item=Primitive(name="string")), optional=True, default=[]
                    ),
                ),
                (
                    "load_balancer_class",
                    Attribute(type=Primitive(name="string"), optional=True, default=None),
                ),
                ("name", Attribute(type=Primitive(name="string"), optional=False, default=None)),
                (
                    "selector_type",
                    Attribute(type=Primitive(name="string"), optional=False, default=None),
                ),
                (
                    "update_strategy",
                    Attribute(type=Primitive(name="string"), optional=True, default="patch"),
                ),
            )
        )
    ),
}
