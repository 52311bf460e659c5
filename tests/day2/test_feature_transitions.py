"""The transition table of the production inputs (databases and roles, WAL volume,
replication, topology, access, services): the classification and details of each change, and
the exact refusals."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from wildside_cnpg import Inputs, Module
from wildside_cnpg.plan import plan_checkout
from wildside_cnpg.plan.checkout import plan_files
from wildside_cnpg.writer import write_tree

CLUSTER = "Cluster/databases/wildside-pg"
GEO = "Database/databases/wildside-pg-geo"
APP_DB = "Database/databases/wildside-pg-wildside-prod"
ALLOW = "; pass --allow-destroy to do it anyway"
NEVER = "; --allow-destroy does not change this"
IMAGE = (
    "ghcr.io/cloudnative-pg/postgis:16.14-3.6.4-202608031108-system-trixie"
    "@sha256:1b9516949b3e3b5651d3585c2923acb6a701f1abbfbb63274886108b58d3652c"
)
NEXT_IMAGE = "ghcr.io/cloudnative-pg/postgis:16.15-3.6.5-202609011200-system-trixie"
GEO_DB = {"name": "geo", "owner": "geo_owner"}
TILES_DB = {"name": "tiles", "owner": "geo_owner", "extensions": [{"name": "hstore"}]}
WAL = {"wal_storage_size": "5Gi"}
PUBLIC = {
    "name": "wildside-pg-public",
    "selector_type": "rw",
    "type": "LoadBalancer",
    "load_balancer_source_ranges": ["10.0.0.0/8"],
}
REPORTS = {"name": "wildside-pg-reports", "selector_type": "ro"}
POOLER = "Pooler/databases/wildside-pg-pooler-rw"
POOLER_RO = "Pooler/databases/wildside-pg-pooler-ro"
BOTH_POOLERS = {"pooler_enabled": True, "pooler_read_only_enabled": True}
POOLER_LB = {"type": "LoadBalancer", "load_balancer_source_ranges": ["10.0.0.0/8"]}


@dataclass(frozen=True)
class Row:
    before: dict[str, Any]
    after: dict[str, Any]
    effects: dict[str, str] = field(default_factory=dict)  # object -> effect
    details: dict[str, list[str]] = field(default_factory=dict)  # object -> details
    refusals: list[str] = field(default_factory=list)


ROWS: dict[str, Row] = {
    "a database added": Row(
        {"databases": [GEO_DB]},
        {"databases": [GEO_DB, TILES_DB]},
        {"Database/databases/wildside-pg-tiles": "in place", CLUSTER: "nothing"},
        {"Database/databases/wildside-pg-tiles": ["created"]},
    ),
    "a database with a new owner": Row(
        {"databases": [GEO_DB]},
        {"databases": [{"name": "geo", "owner": "maps_owner"}]},
        {GEO: "in place", CLUSTER: "in place"},
        {
            GEO: [
                "owner geo_owner -> maps_owner: CNPG runs ALTER DATABASE ... OWNER TO (the old "
                "owner's role stays)"
            ],
            CLUSTER: ["spec.managed.roles changed"],
        },
    ),
    "an extension added to a database": Row(
        {"databases": [GEO_DB]},
        {"databases": [{**GEO_DB, "extensions": [{"name": "hstore"}]}]},
        {GEO: "in place"},
        {GEO: ["extension hstore added: CNPG runs CREATE EXTENSION"]},
    ),
    "the application database managed": Row(
        {},
        {"database_resource_enabled": True},
        {APP_DB: "in place", CLUSTER: "nothing"},
    ),
    "PostGIS updated with the image": Row(
        {"database_resource_enabled": True, "image_name": IMAGE},
        {"database_resource_enabled": True, "image_name": NEXT_IMAGE},
        {APP_DB: "in place", CLUSTER: "primary switchover"},
        {
            APP_DB: [
                "extension postgis 3.6.4 -> 3.6.5: CNPG runs ALTER EXTENSION postgis UPDATE TO "
                "'3.6.5' (once the primary runs an image that has it)",
                "extension postgis_topology 3.6.4 -> 3.6.5: CNPG runs ALTER EXTENSION "
                "postgis_topology UPDATE TO '3.6.5' (once the primary runs an image that has "
                "it)",
            ]
        },
    ),
    "a database removed": Row(
        {"databases": [GEO_DB, TILES_DB]},
        {"databases": [GEO_DB]},
        {"Database/databases/wildside-pg-tiles": "deletion"},
        refusals=[
            "databases: the Database databases/wildside-pg-tiles (PostgreSQL database 'tiles') "
            "leaves the tree and Flux deletes the object; with databaseReclaimPolicy retain "
            "CloudNativePG leaves the database and its data in PostgreSQL, but nothing manages "
            "it (or its extensions) any more. Keep 'tiles' in databases; to drop a database on "
            "purpose, see 'Dropping a database' in docs/day2.md" + ALLOW
        ],
    ),
    "the application database no longer managed": Row(
        {"database_resource_enabled": True},
        {},
        {APP_DB: "deletion"},
        refusals=[
            "database_resource_enabled: the Database databases/wildside-pg-wildside-prod "
            "(PostgreSQL database 'wildside_prod') leaves the tree and Flux deletes the object; "
            "with databaseReclaimPolicy retain CloudNativePG leaves the database and its data in "
            "PostgreSQL, but nothing manages it (or its extensions) any more. Keep "
            "database_resource_enabled true; to drop a database on purpose, see 'Dropping a "
            "database' in docs/day2.md" + ALLOW
        ],
    ),
    "a WAL volume added": Row(
        {},
        WAL,
        {CLUSTER: "primary switchover"},
        {
            CLUSTER: [
                "spec.walStorage added: CNPG creates a WAL volume for each instance and "
                "restarts it, moving pg_wal there; each replica restarts, then the primary "
                "switches over to an updated replica"
            ]
        },
    ),
    "a WAL volume added with restart": Row(
        {"primary_update_method": "restart"},
        {**WAL, "primary_update_method": "restart"},
        {CLUSTER: "rolling restart"},
    ),
    "a bigger WAL volume": Row(
        WAL,
        {"wal_storage_size": "8Gi"},
        {CLUSTER: "volume expansion"},
        {CLUSTER: ["spec.walStorage.size 5Gi -> 8Gi"]},
    ),
    "a smaller WAL volume": Row(
        WAL,
        {"wal_storage_size": "2Gi"},
        {CLUSTER: "volume expansion"},
        refusals=[
            "wal_storage_size: '5Gi' -> '2Gi' shrinks the volumes of Cluster "
            "databases/wildside-pg; CNPG's webhook refuses it (volumes can grow, never "
            "shrink). Keep wal_storage_size at '5Gi' or more" + NEVER
        ],
    ),
    "a WAL volume removed": Row(
        WAL,
        {},
        {CLUSTER: "in place"},
        refusals=[
            "wal_storage_size: unsetting it removes spec.walStorage of Cluster "
            "databases/wildside-pg; CNPG's webhook refuses it (a WAL volume cannot be removed "
            "once configured), and the refusal fails the whole cluster layer. Keep "
            "wal_storage_size at '5Gi' or more" + NEVER
        ],
    ),
    "synchronous replication on": Row(
        {},
        {"synchronous_replication": {"number": 1}},
        {CLUSTER: "in place"},
        {CLUSTER: ["spec.postgresql synchronous changed: CNPG reloads the configuration"]},
    ),
    "pg_hba lines": Row(
        {},
        {"pg_hba": ["hostssl all all 10.0.0.0/8 scram-sha-256"]},
        {CLUSTER: "in place"},
        {CLUSTER: ["spec.postgresql pg_hba changed: CNPG reloads the configuration"]},
    ),
    "pg_hba and a parameter": Row(
        {},
        {
            "pg_hba": ["hostssl all all 10.0.0.0/8 scram-sha-256"],
            "postgresql_parameters": {"work_mem": "8MB"},
        },
        {CLUSTER: "primary switchover"},
    ),
    "required anti-affinity": Row(
        {},
        {"pod_anti_affinity_type": "required"},
        {CLUSTER: "primary switchover"},
    ),
    "a priority class": Row(
        {},
        {"priority_class_name": "databases"},
        {CLUSTER: "in place"},
        {
            CLUSTER: [
                "spec.priorityClassName changed: applies to instance pods created from now on "
                "(CNPG does not restart the running ones for it)"
            ]
        },
    ),
    "superuser access off": Row(
        {},
        {"enable_superuser_access": False},
        {CLUSTER: "in place"},
        {CLUSTER: ["spec.enableSuperuserAccess changed"]},
    ),
    "a LoadBalancer in front of the primary": Row(
        {},
        {"additional_services": [PUBLIC]},
        {CLUSTER: "in place"},
        {CLUSTER: ["CNPG creates Service wildside-pg-public (LoadBalancer, to the primary)"]},
    ),
    "the LoadBalancer removed": Row(
        {"additional_services": [PUBLIC, REPORTS]},
        {"additional_services": [REPORTS]},
        {CLUSTER: "in place"},
        {
            CLUSTER: [
                "CNPG deletes Service wildside-pg-public, its load balancer and its address; "
                "clients connecting through it can no longer connect"
            ]
        },
    ),
    "default services turned off, then one on again": Row(
        {"disabled_default_services": ["r"]},
        {"disabled_default_services": ["ro"]},
        {CLUSTER: "in place"},
        {
            CLUSTER: [
                "CNPG deletes its Service wildside-pg-ro; clients connecting through it can no "
                "longer connect",
                "CNPG creates its Service wildside-pg-r again",
            ]
        },
    ),
    "a service's selector and annotations changed": Row(
        {"additional_services": [REPORTS]},
        {"additional_services": [{**REPORTS, "selector_type": "r", "labels": {"team": "bi"}}]},
        {CLUSTER: "in place"},
        {
            CLUSTER: [
                "CNPG updates Service wildside-pg-reports in place",
                "Service wildside-pg-reports now sends its clients to every instance (it sent "
                "them to the replicas)",
            ]
        },
    ),
    "the source ranges moved to Kubernetes' older annotation": Row(
        {"additional_services": [PUBLIC]},
        {
            "additional_services": [
                {
                    **PUBLIC,
                    "load_balancer_source_ranges": [],
                    "annotations": {
                        "service.beta.kubernetes.io/load-balancer-source-ranges": "10.0.0.0/8"
                    },
                }
            ]
        },
        {CLUSTER: "in place"},
        {CLUSTER: ["CNPG updates Service wildside-pg-public in place"]},
    ),
    "the LoadBalancer made a ClusterIP": Row(
        {"additional_services": [{**PUBLIC, "load_balancer_source_ranges": []}]},
        {
            "additional_services": [
                {**PUBLIC, "type": "ClusterIP", "load_balancer_source_ranges": []}
            ]
        },
        {CLUSTER: "in place"},
        {
            CLUSTER: [
                "CNPG changes Service wildside-pg-public to ClusterIP: its load balancer and "
                "its address are released"
            ]
        },
    ),
    "a load balancer class changed in place": Row(
        {"additional_services": [PUBLIC]},
        {"additional_services": [{**PUBLIC, "load_balancer_class": "example.com/internal"}]},
        {CLUSTER: "in place"},
        {CLUSTER: ["CNPG updates Service wildside-pg-public in place"]},
        refusals=[
            "additional_services: changing load_balancer_class of Service wildside-pg-public "
            "(Cluster databases/wildside-pg) from unset to example.com/internal is refused by "
            "Kubernetes, which never changes it on a LoadBalancer; CNPG's update fails and "
            "stops reconciling the cluster. Set update_strategy to replace for "
            "wildside-pg-public (CNPG deletes and recreates it, with a new address), or give "
            "the new class to a Service of another name" + NEVER
        ],
    ),
    "a name for CNPG's own server certificate": Row(
        {},
        {"tls_server_alt_dns_names": ["pg.example.com"]},
        {CLUSTER: "in place"},
        {
            CLUSTER: [
                "spec.certificates.serverAltDNSNames changed: CNPG issues its server "
                "certificate again with the new names, and each instance reloads it, without a "
                "restart"
            ]
        },
    ),
    "the Pooler behind a LoadBalancer": Row(
        {"pooler_enabled": True},
        {"pooler_enabled": True, "pooler_service": POOLER_LB},
        {POOLER: "in place"},
        {
            POOLER: [
                "CNPG changes Service wildside-pg-pooler-rw to LoadBalancer: a load balancer "
                "and an address"
            ]
        },
    ),
    "the Pooler's load balancer class changed": Row(
        {"pooler_enabled": True, "pooler_service": POOLER_LB},
        {
            "pooler_enabled": True,
            "pooler_service": {**POOLER_LB, "load_balancer_class": "example.com/internal"},
        },
        {POOLER: "in place"},
        {POOLER: ["CNPG updates Service wildside-pg-pooler-rw in place"]},
        refusals=[
            "pooler_service: changing load_balancer_class of the Service of Pooler "
            "databases/wildside-pg-pooler-rw from unset to example.com/internal is refused by "
            "Kubernetes, which never changes it on a LoadBalancer; CNPG's update fails and "
            "stops reconciling the Pooler. Set pooler_service's type to ClusterIP in one "
            "commit (its load balancer and address go) and back to LoadBalancer with the new "
            "class in the next" + NEVER
        ],
    ),
    "the Pooler's Service back to CNPG's": Row(
        {"pooler_enabled": True, "pooler_service": POOLER_LB},
        {"pooler_enabled": True},
        {POOLER: "in place"},
        {
            POOLER: [
                "CNPG changes Service wildside-pg-pooler-rw to ClusterIP: its load balancer and "
                "its address are released"
            ]
        },
    ),
    "the read-only Pooler's own ClusterIP beside the read-write LoadBalancer": Row(
        {**BOTH_POOLERS, "pooler_service": POOLER_LB},
        {**BOTH_POOLERS, "pooler_service": POOLER_LB, "pooler_read_only_service": {}},
        {POOLER_RO: "in place"},
        {
            POOLER_RO: [
                "CNPG changes Service wildside-pg-pooler-ro to ClusterIP: its load balancer "
                "and its address are released"
            ]
        },
    ),
    "the read-only Pooler's load balancer class changed": Row(
        {**BOTH_POOLERS, "pooler_service": POOLER_LB},
        {
            **BOTH_POOLERS,
            "pooler_service": POOLER_LB,
            "pooler_read_only_service": {**POOLER_LB, "load_balancer_class": "example.com/lb"},
        },
        {POOLER_RO: "in place"},
        {POOLER_RO: ["CNPG updates Service wildside-pg-pooler-ro in place"]},
        refusals=[
            "pooler_read_only_service: changing load_balancer_class of the Service of Pooler "
            "databases/wildside-pg-pooler-ro from unset to example.com/lb is refused by "
            "Kubernetes, which never changes it on a LoadBalancer; CNPG's update fails and "
            "stops reconciling the Pooler. Set pooler_read_only_service's type (or "
            "pooler_service's, when that is unset) to ClusterIP in one commit (its load "
            "balancer and address go) and back to LoadBalancer with the new class in the "
            "next" + NEVER
        ],
    ),
    "a load balancer class changed by replacing the Service": Row(
        {"additional_services": [PUBLIC]},
        {
            "additional_services": [
                {
                    **PUBLIC,
                    "load_balancer_class": "example.com/internal",
                    "update_strategy": "replace",
                }
            ]
        },
        {CLUSTER: "in place"},
        {
            CLUSTER: [
                "CNPG deletes Service wildside-pg-public and creates it again (updateStrategy "
                "replace) (a LoadBalancer gets a new address)"
            ]
        },
    ),
}


def _checkout(tmp_path: Path, values: dict[str, Any]) -> None:
    module = Module(Inputs(**values))
    write_tree(tmp_path, module.render(), owner=module.shape.owner)


@pytest.mark.parametrize("name", sorted(ROWS))
def test_transition(name: str, tmp_path: Path) -> None:
    row = ROWS[name]
    _checkout(tmp_path, row.before)
    plan = plan_checkout(Module(Inputs(**row.after)), tmp_path)
    changes = {str(change.key): change for change in plan.changes}
    for key, effect in row.effects.items():
        assert changes[key].effect == effect, f"{key}: {changes[key].effect} != {effect}"
    for key, details in row.details.items():
        assert list(changes[key].details) == details, key
    assert [refusal.line() for refusal in plan.refusals] == row.refusals


def test_a_database_removed_with_reclaim_delete_says_the_data_goes() -> None:
    """A Database that says delete (edited by hand, or written by another tool) drops
    the database when Flux deletes it: the refusal says so."""
    before = Module(Inputs(databases=[GEO_DB])).documents()
    for docs in before.values():
        for doc in docs:
            if doc["kind"] == "Database":
                doc["spec"]["databaseReclaimPolicy"] = "delete"
    module = Module(Inputs())
    plan = plan_files(module, before, module.documents(), set(before))
    [refusal] = plan.refusals
    assert refusal.input == "databases"
    assert refusal.consequence == (
        "the Database databases/wildside-pg-geo (PostgreSQL database 'geo') leaves the tree and "
        "Flux deletes the object; its databaseReclaimPolicy is delete, so CloudNativePG drops "
        "the database and every table in it"
    )
    assert plan.blocking(allow_destroy=True) == []
