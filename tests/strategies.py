"""Hypothesis strategies over the module's inputs, shared by the property tests.

`valid_inputs()` draws mappings that satisfy every field and cross-input rule, over
every branch the builders have (instances, PostGIS, backup and each credentials
source, ESO, custom names, parameters, resources, Helm values). `any_inputs()` mixes
in one invalid or unknown value at a time, so a test can assert that whatever the
validator accepts renders a valid tree and whatever it rejects names the input."""

from __future__ import annotations

import string
from typing import Any

from hypothesis import strategies as st

from wildside_cnpg.inputs.cluster import POSTGIS_EXTENSIONS as EXTENSIONS

DNS_LABEL = st.from_regex(r"\A[a-z][a-z0-9-]{0,20}[a-z0-9]\Z").filter(
    lambda v: v not in {"default", "kube-system", "kube-public", "kube-node-lease", "flux-system"}
)
PG_IDENTIFIER = st.from_regex(r"\A[a-z_][a-z0-9_]{0,30}\Z").filter(
    lambda v: v not in {"postgres", "template0", "template1"}
)
VAULT_PATH = st.from_regex(r"\A[a-z]{1,8}(/[a-z0-9_-]{1,8}){0,3}\Z")
PARAMETERS = {
    "max_connections": st.integers(20, 500).map(str),
    "shared_buffers": st.sampled_from(["128MB", "256MB", "1GB"]),
    "work_mem": st.sampled_from(["4MB", "16MB", "64MB"]),
    "log_min_duration_statement": st.sampled_from(["-1", "250", "1000"]),
    "random_page_cost": st.sampled_from(["1.1", "4"]),
}
SCHEDULES = st.sampled_from(
    ["0 0 0 * * *", "0 30 2 * * *", "0 0 */6 * * *", "0 15 3 * * 0", "@daily", "@weekly"]
)
SPACES = st.sampled_from(
    [
        "https://nyc3.digitaloceanspaces.com",
        "https://fra1.digitaloceanspaces.com",
        "https://s3.eu-west-1.amazonaws.com",
        "https://minio.example.com:9000",
    ]
)


@st.composite
def _backup_values(draw: st.DrawFn, eso: bool) -> dict[str, Any]:
    values: dict[str, Any] = {"backup_enabled": True}
    values["backup_destination_path"] = "s3://" + draw(
        st.from_regex(r"\A[a-z0-9][a-z0-9-]{2,20}[a-z0-9](/[a-z0-9_-]{1,10}){0,2}\Z")
    ).removeprefix("s3://")
    values["backup_endpoint_url"] = draw(SPACES)
    values["backup_schedule"] = draw(SCHEDULES)
    values["backup_retention_policy"] = draw(
        st.builds(lambda n, u: f"{n}{u}", st.integers(1, 400), st.sampled_from("dwm"))
    )
    values["wal_compression"] = draw(
        st.sampled_from(["bzip2", "gzip", "lz4", "snappy", "xz", "zstd"])
    )
    if draw(st.booleans()):
        values["backup_data_compression"] = draw(
            st.sampled_from(["bzip2", "gzip", "lz4", "snappy"])
        )
    sources = ["existing", "inline", "iam-role"] + (["vault"] if eso else [])
    source = draw(st.sampled_from(sources))
    if source == "iam-role":
        values["backup_s3_inherit_from_iam_role"] = True
    elif source == "existing":
        values["backup_s3_credentials_secret_name"] = draw(DNS_LABEL)
    elif source == "inline":
        alphabet = string.ascii_letters + string.digits
        values["backup_s3_access_key_id"] = draw(st.text(alphabet, min_size=8, max_size=20))
        values["backup_s3_secret_access_key"] = draw(st.text(alphabet, min_size=16, max_size=40))
        values["backup_s3_inline_credentials_acknowledged"] = True
    else:
        values["backup_credentials_vault_path"] = draw(VAULT_PATH)
    return values


ROLE = PG_IDENTIFIER.filter(
    lambda v: v != "streaming_replica" and not v.startswith(("pg_", "cnpg_"))
)


@st.composite
def _production_values(draw: st.DrawFn, values: dict[str, Any]) -> dict[str, Any]:
    """Databases and roles, placement, a WAL volume, synchronous replication, access."""
    extra: dict[str, Any] = {}
    eso, instances = values["eso_enabled"], values["instances"]
    extra["database_resource_enabled"] = draw(st.booleans())
    if extra["database_resource_enabled"] and draw(st.booleans()):
        extra["database_extensions"] = [{"name": "pg_trgm"}]
    application = values.get("database_name", "wildside_prod")
    names = draw(
        st.lists(PG_IDENTIFIER.filter(lambda v: v != application), max_size=3, unique=True)
    )
    owners = draw(st.lists(ROLE, min_size=1, max_size=2, unique=True))
    databases = []
    for name in names:
        database: dict[str, Any] = {"name": name, "owner": draw(st.sampled_from(owners))}
        if draw(st.booleans()):
            database["extensions"] = [{"name": "hstore"}]
        databases.append(database)
    if eso:
        paths = {owner: draw(VAULT_PATH) for owner in owners if draw(st.booleans())}
        for database in databases:
            owner = database["owner"]
            if owner in paths and owner != values.get("database_owner", "wildside_user"):
                database["credentials_vault_path"] = paths[owner]
    extra["databases"] = databases
    extra["pod_anti_affinity_type"] = draw(st.sampled_from(["preferred", "required"]))
    extra["zone_spread"] = draw(st.sampled_from(["off", "preferred", "required"]))
    if draw(st.booleans()):
        extra["node_selector"] = {"node.kubernetes.io/pool": draw(DNS_LABEL)}
        extra["tolerations"] = [{"key": "dedicated", "value": "db", "effect": "NoSchedule"}]
        extra["priority_class_name"] = draw(DNS_LABEL)
    if draw(st.booleans()):
        extra["wal_storage_size"] = draw(st.sampled_from(["1Gi", "5Gi", "20Gi"]))
    if instances >= 2 and draw(st.booleans()):
        extra["synchronous_replication"] = {
            "method": draw(st.sampled_from(["any", "first"])),
            "number": draw(st.integers(1, instances - 1)),
            "data_durability": draw(st.sampled_from(["required", "preferred"])),
        }
    if draw(st.booleans()):
        extra["pg_hba"] = ["hostssl all all 10.0.0.0/8 scram-sha-256"]
        extra["extra_env"] = {"TZ": "UTC"}
        extra["inherited_labels"] = {"team": draw(DNS_LABEL)}
        extra["pod_security_context"] = {"fs_group_change_policy": "OnRootMismatch"}
    return extra


@st.composite
def valid_inputs(draw: st.DrawFn) -> dict[str, Any]:
    values: dict[str, Any] = {}
    instances = draw(st.integers(1, 7))
    values["instances"] = instances
    if draw(st.booleans()):
        values["cluster_name"] = draw(DNS_LABEL)
    if draw(st.booleans()):
        values["cluster_namespace"] = draw(DNS_LABEL)
        values["operator_namespace"] = draw(DNS_LABEL)
    if draw(st.booleans()):
        values["database_name"] = draw(PG_IDENTIFIER)
        values["database_owner"] = draw(PG_IDENTIFIER)
    values["create_namespaces"] = draw(st.booleans())
    values["pdb_enabled"] = instances >= 2 and draw(st.booleans())
    if instances >= 3 and values["pdb_enabled"] and draw(st.booleans()):
        values["pdb_min_available"] = draw(st.integers(1, instances - 2))
    values["operator_install"] = draw(st.sampled_from(["own", "own", "shared", "external"]))
    if draw(st.booleans()):
        values["flux_depends_on"] = {
            layer: draw(st.lists(DNS_LABEL, max_size=2, unique=True))
            for layer in ("operator", "credentials", "cluster", "addons")
        }
    if draw(st.booleans()):
        values["shared_preload_libraries"] = draw(
            st.lists(st.sampled_from(["pg_stat_statements", "auto_explain"]), unique=True)
        )
    postgis = draw(st.booleans())
    values["postgis_enabled"] = postgis
    if postgis and draw(st.booleans()):
        values["postgis_extensions"] = draw(
            st.lists(st.sampled_from(EXTENSIONS), min_size=1, max_size=4, unique=True)
        )
    if draw(st.booleans()):
        values["postgresql_parameters"] = draw(st.fixed_dictionaries({}, optional=PARAMETERS))
    if draw(st.booleans()):
        cpu_request = draw(st.integers(1, 1000))
        # At least the largest shared_buffers drawn: CNPG refuses a smaller request.
        values["resource_requests"] = {"cpu": f"{cpu_request}m", "memory": "1Gi"}
        values["resource_limits"] = {
            "cpu": f"{cpu_request + draw(st.integers(0, 2000))}m",
            "memory": draw(st.sampled_from(["1Gi", "4Gi"])),
        }
    # CNPG refuses supervised updates of a single instance.
    strategies = ["unsupervised", "supervised"] if values["instances"] > 1 else ["unsupervised"]
    values["primary_update_strategy"] = draw(st.sampled_from(strategies))
    values["primary_update_method"] = draw(st.sampled_from(["switchover", "restart"]))
    if draw(st.booleans()):
        values["helm_values"] = draw(
            st.sampled_from(
                [
                    {"replicaCount": 2},
                    {"monitoring": {"podMonitorEnabled": True}},
                    ["replicaCount: 2", "config:\n  clusterWide: false\n"],
                ]
            )
        )
    eso = draw(st.booleans())
    values["eso_enabled"] = eso
    superuser = draw(st.booleans())
    values["enable_superuser_access"] = superuser
    if eso:
        values["app_credentials_vault_path"] = draw(VAULT_PATH)
        if superuser:
            values["superuser_credentials_vault_path"] = draw(VAULT_PATH)
    if draw(st.booleans()):
        values.update(draw(_backup_values(eso)))
    values.update(draw(_pooling_monitoring_tls_values(instances)))
    if draw(st.booleans()):
        values.update(draw(_production_values(values)))
    return values


# A Pooler's Service: CNPG's (unset), a ClusterIP, or a LoadBalancer, restricted or not.
POOLER_SERVICE = st.one_of(
    st.none(),
    st.just({"type": "ClusterIP"}),
    st.lists(st.sampled_from(["10.0.0.0/8", "192.0.2.0/24"]), unique=True, max_size=2).map(
        lambda ranges: {"type": "LoadBalancer", "load_balancer_source_ranges": ranges}
    ),
)


@st.composite
def _pooling_monitoring_tls_values(draw: st.DrawFn, instances: int) -> dict[str, Any]:
    """PgBouncer, the Prometheus Operator objects with alerts, TLS from cert-manager.
    Pool sizes stay within the smallest max_connections drawn above (20, less 3)."""
    values: dict[str, Any] = {}
    if draw(st.booleans()):
        values["pooler_enabled"] = True
        values["pooler_read_only_enabled"] = instances >= 2 and draw(st.booleans())
        values["pooler_instances"] = draw(st.integers(1, 3))
        values["pooler_default_pool_size"] = draw(st.integers(1, 5))
        values["pooler_max_client_connections"] = draw(st.integers(1, 10_000))
        values["pooler_pool_mode"] = draw(st.sampled_from(["transaction", "session"]))
        if draw(st.booleans()):
            values["pooler_parameters"] = {
                "server_idle_timeout": str(draw(st.integers(0, 3600))),
                "max_prepared_statements": str(draw(st.integers(0, 500))),
            }
        for name in ("pooler_service", "pooler_read_only_service"):
            service = draw(POOLER_SERVICE)
            if service is not None and (
                name == "pooler_service" or values["pooler_read_only_enabled"]
            ):
                values[name] = service
    if draw(st.booleans()):
        values["monitoring_enabled"] = True
        if draw(st.booleans()):
            values["monitoring_labels"] = {"release": draw(DNS_LABEL)}
        if draw(st.booleans()):
            values["alerts_enabled"] = True
            values["alerts_replication_lag_seconds"] = draw(st.integers(1, 86_400))
            values["alerts_volume_usage_percent"] = draw(st.integers(1, 99))
            values["alerts_connections_percent"] = draw(st.integers(1, 99))
    if draw(st.booleans()):
        values["tls_enabled"] = True
        values["tls_issuer_name"] = draw(DNS_LABEL)
        values["tls_issuer_kind"] = draw(st.sampled_from(["ClusterIssuer", "Issuer"]))
    return values


# One bad value per draw: (input name, value) pairs that a field rule refuses.
INVALID_VALUES: list[tuple[str, Any]] = [
    ("instances", 0),
    ("instances", "three"),
    ("cluster_name", "Wildside_PG"),
    ("cluster_namespace", "-bad"),
    ("database_name", "1db"),
    ("database_owner", "x" * 64),
    ("storage_size", "10GB"),
    ("chart_version", "0.29.x"),
    ("chart_repository", "http://charts.example.com"),
    ("backup_schedule", "0 0 * * *"),
    ("backup_retention_policy", "0d"),
    ("wal_compression", "brotli"),
    ("backup_endpoint_url", "http://nyc3.digitaloceanspaces.com"),
    ("image_name", "ghcr.io/cloudnative-pg/postgis:latest"),
    ("image_name", "ghcr.io/cloudnative-pg/postgis"),
    ("flux_helm_release_interval", "1 hour"),
    ("primary_update_method", "rolling"),
    ("postgis_extensions", ["postgis", "plv8"]),
    ("pdb_min_available", 0),
    ("cluster_name", "9-lives"),
    ("operator_install", "mine"),
    ("eso_refresh_interval", "soon"),
]


@st.composite
def any_inputs(draw: st.DrawFn) -> tuple[dict[str, Any], str | None]:
    """A mapping and the input it was made invalid through (None if left valid).
    Half the draws stay valid, so accepted inputs are exercised as much as rejected."""
    values = draw(valid_inputs())
    if draw(st.booleans()):
        return values, None
    choice = draw(st.integers(0, len(INVALID_VALUES)))
    if choice < len(INVALID_VALUES):
        name, value = INVALID_VALUES[choice]
        values[name] = value
        return values, name
    values["instancess"] = 3
    return values, "instancess"
