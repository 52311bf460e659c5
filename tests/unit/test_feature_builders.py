"""What the production inputs render: Database resources, managed roles and their
ExternalSecrets, placement, the WAL volume, synchronous replication and access; and
what the contract says about the databases."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from wildside_cnpg import InputError, Inputs, Module

ESO: dict[str, Any] = {
    "eso_enabled": True,
    "app_credentials_vault_path": "wildside/postgres/app",
    "superuser_credentials_vault_path": "wildside/postgres/superuser",
}
IMAGE = (
    "ghcr.io/cloudnative-pg/postgis:16.14-3.6.4-202608031108-system-trixie"
    "@sha256:1b9516949b3e3b5651d3585c2923acb6a701f1abbfbb63274886108b58d3652c"
)
DATABASES: dict[str, Any] = {
    **ESO,
    "database_resource_enabled": True,
    "database_extensions": [{"name": "pg_trgm"}],
    "databases": [
        {
            "name": "tiles",
            "owner": "geo_owner",
            "extensions": [{"name": "hstore", "version": "1.8"}],
        },
        {"name": "geo", "owner": "geo_owner", "credentials_vault_path": "db/geo"},
        {"name": "reports", "owner": "reporter"},
        {"name": "audit", "owner": "wildside_user"},
    ],
}


def objects(values: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [doc for doc in Module(Inputs(**values)).objects() if doc["kind"] == kind]


def cluster_spec(values: dict[str, Any]) -> dict[str, Any]:
    [cluster] = objects(values, "Cluster")
    spec: dict[str, Any] = cluster["spec"]
    return spec


def test_the_default_cluster_has_none_of_the_production_fields() -> None:
    spec = cluster_spec({})
    for field in (
        "affinity",
        "topologySpreadConstraints",
        "priorityClassName",
        "walStorage",
        "managed",
        "env",
        "serviceAccountTemplate",
        "imagePullSecrets",
        "podSecurityContext",
        "securityContext",
        "inheritedMetadata",
    ):
        assert field not in spec, field
    assert "postgresql" not in spec
    assert objects({}, "Database") == []


def _extensions(db: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(e["name"], e.get("version")) for e in db["spec"].get("extensions", [])]


def test_databases_application_first_then_by_name_with_postgis_from_the_image() -> None:
    databases = objects(DATABASES, "Database")
    assert [(d["metadata"]["name"], d["spec"]["name"], d["spec"]["owner"]) for d in databases] == [
        ("wildside-pg-wildside-prod", "wildside_prod", "wildside_user"),
        ("wildside-pg-audit", "audit", "wildside_user"),
        ("wildside-pg-geo", "geo", "geo_owner"),
        ("wildside-pg-reports", "reports", "reporter"),
        ("wildside-pg-tiles", "tiles", "geo_owner"),
    ]
    postgis = [("postgis", "3.6.4"), ("postgis_topology", "3.6.4"), ("fuzzystrmatch", None)]
    assert _extensions(databases[0]) == [*postgis, ("pg_trgm", None)]
    assert _extensions(databases[4]) == [*postgis, ("hstore", "1.8")]
    for db in databases:
        assert db["metadata"]["namespace"] == "databases"
        assert db["metadata"]["labels"]["cnpg.io/cluster"] == "wildside-pg"
        assert db["spec"]["cluster"] == {"name": "wildside-pg"}
        assert (db["spec"]["ensure"], db["spec"]["databaseReclaimPolicy"]) == ("present", "retain")
        assert all(e["ensure"] == "present" for e in db["spec"]["extensions"])
        # Deleting a Database with retain loses nothing: Flux may prune it.
        assert "annotations" not in db["metadata"]


def test_postgis_version_input_wins_and_a_short_tag_pins_nothing() -> None:
    given = objects({"database_resource_enabled": True, "postgis_version": "3.6.5"}, "Database")
    assert _extensions(given[0])[:2] == [("postgis", "3.6.5"), ("postgis_topology", "3.6.5")]
    short = objects(
        {
            "database_resource_enabled": True,
            "image_name": "ghcr.io/cloudnative-pg/postgis:17-3.6-system-trixie",
            "postgis_extensions": ["postgis", "postgis_raster", "address_standardizer"],
        },
        "Database",
    )
    assert _extensions(short[0]) == [
        ("postgis", None),
        ("postgis_raster", None),
        ("address_standardizer", None),
    ]
    assert (
        _extensions(
            objects({"database_resource_enabled": True, "postgis_enabled": False}, "Database")[0]
        )
        == []
    )


def test_one_managed_role_per_owner_but_the_application_owner() -> None:
    spec = cluster_spec(DATABASES)
    role = {"ensure": "present", "login": True, "inherit": True, "connectionLimit": -1}
    assert spec["managed"] == {
        "roles": [
            {**role, "name": "geo_owner", "passwordSecret": {"name": "wildside-pg-role-geo-owner"}},
            {**role, "name": "reporter", "passwordSecret": {"name": "wildside-pg-role-reporter"}},
        ]
    }


def test_one_external_secret_per_role_with_a_vault_path() -> None:
    module = Module(Inputs(**DATABASES))
    secrets = [d for d in module.objects() if d["kind"] == "ExternalSecret"]
    [role] = [d for d in secrets if d["metadata"]["name"] == "wildside-pg-role-geo-owner"]
    assert role["metadata"]["annotations"] == {"kustomize.toolkit.fluxcd.io/prune": "disabled"}
    assert role["spec"]["data"] == [
        {"secretKey": "password", "remoteRef": {"key": "db/geo", "property": "password"}}
    ]
    template = role["spec"]["target"]["template"]
    assert template["type"] == "kubernetes.io/basic-auth"
    assert template["metadata"] == {"labels": {"cnpg.io/reload": "true"}}
    keys = template["data"]
    # The username CNPG checks against the role, and the first database it owns (input order).
    assert (keys["username"], keys["dbname"]) == ("geo_owner", "tiles")
    assert keys["uri"] == (
        'postgresql://geo_owner:{{ .password | urlquery | replace "+" "%20" }}'
        "@wildside-pg-rw.databases:5432/tiles"
    )
    paths = [p for p, docs in module.documents().items() if role in docs]
    assert paths == [
        "platform/databases/clusters/wildside-pg/credentials/external-secrets-roles.yaml"
    ]


def test_the_contract_lists_every_database_with_its_secret() -> None:
    contract = Module(Inputs(**DATABASES)).outputs()["sync_policy_contract"]["value"]

    def ref(name: str) -> dict[str, str]:
        return {"name": name, "namespace": "databases"}

    assert contract["databases"] == [
        {
            "name": "wildside_prod",
            "owner": "wildside_user",
            "credentials_secret": ref("wildside-pg-app-credentials"),
        },
        {
            "name": "audit",
            "owner": "wildside_user",
            "credentials_secret": ref("wildside-pg-app-credentials"),
        },
        {
            "name": "geo",
            "owner": "geo_owner",
            "credentials_secret": ref("wildside-pg-role-geo-owner"),
        },
        {
            "name": "reports",
            "owner": "reporter",
            "credentials_secret": ref("wildside-pg-role-reporter"),
        },
        {
            "name": "tiles",
            "owner": "geo_owner",
            "credentials_secret": ref("wildside-pg-role-geo-owner"),
        },
    ]


def test_placement() -> None:
    spec = cluster_spec(
        {
            "pod_anti_affinity_type": "required",
            "zone_spread": "required",
            "node_selector": {"pool": "db"},
            "tolerations": [{"key": "dedicated", "value": "db", "effect": "NoSchedule"}],
            "priority_class_name": "databases",
        }
    )
    assert spec["affinity"] == {
        "enablePodAntiAffinity": True,
        "podAntiAffinityType": "required",
        "topologyKey": "kubernetes.io/hostname",
        "nodeSelector": {"pool": "db"},
        "tolerations": [
            {"key": "dedicated", "operator": "Equal", "value": "db", "effect": "NoSchedule"}
        ],
    }
    assert spec["topologySpreadConstraints"] == [
        {
            "maxSkew": 1,
            "topologyKey": "topology.kubernetes.io/zone",
            "whenUnsatisfiable": "DoNotSchedule",
            "labelSelector": {
                "matchLabels": {"cnpg.io/cluster": "wildside-pg", "cnpg.io/podRole": "instance"}
            },
        }
    ]
    assert spec["priorityClassName"] == "databases"
    preferred = cluster_spec({"zone_spread": "preferred"})
    assert "affinity" not in preferred
    assert preferred["topologySpreadConstraints"][0]["whenUnsatisfiable"] == "ScheduleAnyway"


def test_wal_volume_and_synchronous_replication() -> None:
    spec = cluster_spec(
        {
            "wal_storage_size": "5Gi",
            "synchronous_replication": {
                "method": "first",
                "number": 2,
                "data_durability": "preferred",
            },
        }
    )
    assert spec["walStorage"] == {"size": "5Gi", "storageClass": "do-block-storage"}
    assert spec["postgresql"] == {
        "synchronous": {"method": "first", "number": 2, "dataDurability": "preferred"}
    }
    assert cluster_spec({"wal_storage_size": "5Gi", "wal_storage_class": "fast"})["walStorage"] == {
        "size": "5Gi",
        "storageClass": "fast",
    }


def test_access() -> None:
    spec = cluster_spec(
        {
            "pg_hba": ["hostssl all all 10.0.0.0/8 scram-sha-256"],
            "pg_ident": ["local postgres app"],
            "postgresql_parameters": {"work_mem": "8MB"},
            "extra_env": {"TZ": "UTC", "LANG": "C.UTF-8"},
            "service_account_annotations": {"eks.amazonaws.com/role-arn": "arn:aws:iam::1:role/pg"},
            "image_pull_secrets": ["regcred"],
            "pod_security_context": {"run_as_group": 1000},
            "container_security_context": {"run_as_user": 26},
            "inherited_labels": {"team": "geo"},
        }
    )
    assert spec["postgresql"] == {
        "parameters": {"work_mem": "8MB"},
        "pg_hba": ["hostssl all all 10.0.0.0/8 scram-sha-256"],
        "pg_ident": ["local postgres app"],
    }
    assert spec["env"] == [{"name": "LANG", "value": "C.UTF-8"}, {"name": "TZ", "value": "UTC"}]
    assert spec["serviceAccountTemplate"] == {
        "metadata": {"annotations": {"eks.amazonaws.com/role-arn": "arn:aws:iam::1:role/pg"}}
    }
    assert spec["imagePullSecrets"] == [{"name": "regcred"}]
    # CNPG fills only the user, group and seccomp profile of a pod security context it is
    # given: the tree keeps runAsNonRoot and an fsGroup.
    assert spec["podSecurityContext"] == {"runAsNonRoot": True, "runAsGroup": 1000, "fsGroup": 1000}
    assert spec["securityContext"] == {"runAsUser": 26}
    assert spec["inheritedMetadata"] == {"labels": {"team": "geo"}}


def test_extra_environment_follows_the_backup_environment() -> None:
    spec = cluster_spec(
        {
            "backup_enabled": True,
            "backup_destination_path": "s3://wildside-backups/pg",
            "backup_endpoint_url": "https://s3.example.com",
            "backup_s3_credentials_secret_name": "s3",
            "backup_method": "barman_object_store",
            "extra_env": {"TZ": "UTC"},
        }
    )
    assert [variable["name"] for variable in spec["env"]] == [
        "AWS_REQUEST_CHECKSUM_CALCULATION",
        "AWS_RESPONSE_CHECKSUM_VALIDATION",
        "TZ",
    ]


def test_names_from_identifiers_ending_in_underscore_are_kubernetes_names() -> None:
    """`db_` would make `wildside-pg-db-`, which Kubernetes refuses: such a name ends
    with a short hash of the identifier instead."""
    digest = hashlib.sha256(b"db_").hexdigest()[:8]
    module = Module(
        Inputs(databases=[{"name": "db_", "owner": "owner_"}, {"name": "_", "owner": "x"}])
    )
    names = [doc["metadata"]["name"] for doc in module.objects() if doc["kind"] == "Database"]
    assert names == [
        "wildside-pg--" + hashlib.sha256(b"_").hexdigest()[:8],
        f"wildside-pg-db-{digest}",
    ]
    owner = hashlib.sha256(b"owner_").hexdigest()[:8]
    assert [role.secret for role in module.shape.roles] == [
        f"wildside-pg-role-owner-{owner}",
        "wildside-pg-role-x",
    ]
    # The one collision that leaves, a name spelling out the hash, is refused.
    with pytest.raises(InputError) as caught:
        Inputs(databases=[{"name": "db_", "owner": "o"}, {"name": f"db_{digest}", "owner": "o"}])
    assert caught.value.problems == [
        f"databases[1].name: its Database object would be 'wildside-pg-db-{digest}', as for "
        "databases[0].name; expected a name that differs in more than a trailing '_'"
    ]
