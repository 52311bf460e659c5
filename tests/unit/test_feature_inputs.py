"""The production inputs (databases and roles, topology, WAL volume, replication,
access): every rule rejects with its exact message, what CNPG accepts is accepted."""

from __future__ import annotations

from typing import Any

import pytest

from wildside_cnpg import InputError, Inputs

ESO: dict[str, Any] = {
    "eso_enabled": True,
    "app_credentials_vault_path": "wildside/postgres/app",
    "superuser_credentials_vault_path": "wildside/postgres/superuser",
}
BACKUP: dict[str, Any] = {
    "backup_enabled": True,
    "backup_destination_path": "s3://wildside-backups/pg",
    "backup_endpoint_url": "https://nyc3.digitaloceanspaces.com",
    "backup_s3_credentials_secret_name": "s3-keys",
}
PG_ID = (
    "expected a PostgreSQL identifier (lower-case letters, digits and '_', not starting "
    "with a digit, at most 63 bytes)"
)
EXTENSION = (
    "expected a PostgreSQL extension name (lower-case letters, digits, '_' and '-', not "
    "starting with a digit, at most 63 characters), such as postgis or uuid-ossp"
)
VERSION = (
    "expected an extension version such as 3.6.4 (letters, digits, '.', '_' and '-', at most "
    "63 characters)"
)
SUBDOMAIN = (
    "expected a DNS-1123 subdomain (dot-separated parts of lower-case letters, digits and "
    "'-', each starting and ending with a letter or digit, at most 253 characters)"
)
LABEL_VALUE = (
    "expected a Kubernetes label value (letters, digits, '-', '_' and '.', starting and "
    "ending with a letter or digit, at most 63 characters)"
)
TEXT = "expected text without control characters, at most 4096 characters"
KEYS = (
    "expected keys of the Kubernetes form (an optional DNS subdomain and '/', then at most 63 "
    "letters, digits, '-', '_' and '.'), such as "
)
CNPG_ENV = (
    "reserved by CloudNativePG (CNPG_*, PG*, POD_NAME, NAMESPACE and CLUSTER_NAME); remove it"
)

CASES: list[tuple[dict[str, Any], list[str]]] = [
    # Databases: types.
    ({"databases": [{"name": "Geo", "owner": "geo"}]}, [f"databases[0].name: {PG_ID}, got 'Geo'"]),
    ({"databases": [{"name": "geo"}]}, ["databases[0].owner: required"]),
    (
        {"databases": [{"name": "geo", "owner": "geo", "extensions": [{"name": "Post GIS"}]}]},
        [f"databases[0].extensions[0].name: {EXTENSION}, got 'Post GIS'"],
    ),
    (
        {"database_extensions": [{"name": "hstore", "version": "1.8\n"}]},
        [f"database_extensions[0].version: {VERSION}, got '1.8\\n'"],
    ),
    ({"postgis_version": "3.6.4;"}, [f"postgis_version: {VERSION}, got '3.6.4;'"]),
    (
        {"databases": [{"name": "geo", "owner": "geo", "colour": "blue"}]},
        ["databases[0].colour: unknown input; see `wildside-cnpg schema`"],
    ),
    # Databases: rules.
    (
        {"database_extensions": [{"name": "hstore"}]},
        [
            "database_extensions: set while database_resource_enabled is false (only the "
            "application database's Database resource keeps them)"
        ],
    ),
    (
        {
            "database_resource_enabled": True,
            "database_extensions": [{"name": "hstore"}, {"name": "hstore"}, {"name": "postgis"}],
        },
        [
            "database_extensions: 'hstore' is listed twice",
            "database_extensions: 'postgis' is already in postgis_extensions (the Database "
            "resource keeps those too)",
        ],
    ),
    (
        {"postgis_version": "3.6.4"},
        [
            "postgis_version: set while no Database resource keeps extensions "
            "(database_resource_enabled is false and databases is empty)"
        ],
    ),
    (
        {"postgis_version": "3.6.4", "postgis_enabled": False, "database_resource_enabled": True},
        ["postgis_version: set while postgis_enabled is false"],
    ),
    (
        {"database_owner": "streaming_replica"},
        [
            "database_owner: expected an application role, got 'streaming_replica' (reserved "
            "by CloudNativePG for replication)"
        ],
    ),
    (
        {"database_owner": "pg_app"},
        [
            "database_owner: expected an application role, got 'pg_app' (role names starting "
            "with pg_ are reserved by PostgreSQL)"
        ],
    ),
    (
        {
            "databases": [
                {"name": "template1", "owner": "geo"},
                {"name": "wildside_prod", "owner": "geo"},
                {"name": "tiles", "owner": "postgres"},
                {"name": "tiles", "owner": "cnpg_x"},
            ]
        },
        [
            "databases[0].name: expected a new database, got 'template1' (it exists in every "
            "PostgreSQL cluster)",
            "databases[1].name: 'wildside_prod' is the application database (database_name); "
            "manage it with database_resource_enabled",
            "databases[2].owner: expected an application role, got 'postgres' (the superuser)",
            "databases[3].name: 'tiles' is also databases[2].name",
            "databases[3].owner: expected an application role, got 'cnpg_x' (role names "
            "starting with cnpg_ are reserved by CloudNativePG)",
        ],
    ),
    (
        {
            "databases": [
                {
                    "name": "geo",
                    "owner": "geo",
                    "extensions": [{"name": "hstore"}, {"name": "hstore"}, {"name": "postgis"}],
                }
            ]
        },
        [
            "databases[0].extensions: 'hstore' is listed twice",
            "databases[0].extensions: 'postgis' is already in postgis_extensions (every "
            "database has them from template1, and its Database resource keeps them)",
        ],
    ),
    (
        {"databases": [{"name": "geo", "owner": "geo", "credentials_vault_path": "db/geo"}]},
        [
            "databases[0].credentials_vault_path: needs eso_enabled true (an ExternalSecret "
            "fetches it from Vault)"
        ],
    ),
    (
        {
            "databases": [
                {
                    "name": "geo",
                    "owner": "wildside_user",
                    "credentials_secret_name": "geo-creds",
                }
            ]
        },
        [
            "databases[0].credentials_secret_name: set for the application owner "
            "'wildside_user', whose credentials are the application Secret"
        ],
    ),
    (
        {
            **ESO,
            "databases": [
                {"name": "geo", "owner": "geo", "credentials_vault_path": "db/geo"},
                {"name": "tiles", "owner": "geo", "credentials_vault_path": "db/tiles"},
                {"name": "maps", "owner": "geo", "credentials_secret_name": "a"},
                {"name": "roads", "owner": "geo", "credentials_secret_name": "b"},
            ],
        },
        [
            "databases[1].credentials_vault_path: differs from databases[0]'s for the same "
            "owner 'geo' (one role, one Secret)",
            "databases[3].credentials_secret_name: differs from databases[0]'s for the same "
            "owner 'geo' (one role, one Secret)",
        ],
    ),
    (
        {
            **ESO,
            "databases": [
                {
                    "name": "geo",
                    "owner": "geo",
                    "credentials_secret_name": "wildside-pg-app-credentials",
                },
                {"name": "tiles", "owner": "tiles", "credentials_secret_name": "shared"},
                {"name": "maps", "owner": "maps", "credentials_secret_name": "shared"},
            ],
        },
        [
            "databases[0].credentials_secret_name: the Secret 'wildside-pg-app-credentials' is "
            "also the application credentials' Secret",
            "databases[2].credentials_secret_name: the Secret 'shared' is also the Secret of "
            "role 'tiles' (databases[1])",
        ],
    ),
    (
        {"databases": [{"name": "geo", "owner": "o" * 60}]},
        [
            f"databases[0].owner: the derived Secret name 'wildside-pg-role-{'o' * 60}' is "
            "longer than 63 characters; set databases[0].credentials_secret_name"
        ],
    ),
    (
        {
            **BACKUP,
            "databases": [{"name": "geo", "owner": "geo", "credentials_secret_name": "s3-keys"}],
        },
        [
            "databases[0].credentials_secret_name: the Secret 's3-keys' is also the S3 "
            "credentials' Secret"
        ],
    ),
    # Topology.
    (
        {"pod_anti_affinity_type": "always"},
        ["pod_anti_affinity_type: expected one of preferred or required, got 'always'"],
    ),
    (
        {"zone_spread": "on"},
        ["zone_spread: expected one of off, preferred or required, got 'on'"],
    ),
    (
        {"node_selector": {"pool": "db pool"}},
        [f"node_selector.pool: {LABEL_VALUE}, got 'db pool'"],
    ),
    (
        {"node_selector": {"bad key!": "db"}},
        [f"node_selector: {KEYS}topology.kubernetes.io/zone, got 'bad key!'"],
    ),
    (
        {
            "tolerations": [
                {"operator": "Equal", "value": "x"},
                {"key": "db", "operator": "Exists", "value": "x"},
                {"key": "db", "toleration_seconds": 30, "effect": "NoSchedule"},
                {"key": "db", "toleration_seconds": 30},
            ]
        },
        [
            "tolerations[0].operator: expected Exists when key is unset (it matches every "
            "taint), got 'Equal'",
            "tolerations[1].value: expected no value with operator Exists, got 'x'",
            "tolerations[2].effect: expected NoExecute with toleration_seconds (only an "
            "evicting taint has a grace period), got 'NoSchedule'",
            "tolerations[3].effect: expected NoExecute with toleration_seconds (only an "
            "evicting taint has a grace period), got unset",
        ],
    ),
    (
        {"tolerations": [{"key": "db", "effect": "NoRun", "toleration_seconds": -1}]},
        [
            "tolerations[0].effect: expected one of NoSchedule, PreferNoSchedule or NoExecute, "
            "got 'NoRun'",
            "tolerations[0].toleration_seconds: expected a whole number from 0 to "
            "9223372036854775807, got -1",
        ],
    ),
    (
        {"priority_class_name": "Critical"},
        [f"priority_class_name: {SUBDOMAIN}, got 'Critical'"],
    ),
    # Storage.
    (
        {"wal_storage_class": "fast"},
        ["wal_storage_class: set while wal_storage_size is unset (there is no WAL volume)"],
    ),
    (
        {"wal_storage_size": "0Gi"},
        ["wal_storage_size: expected a positive Kubernetes quantity such as 10Gi, got '0Gi'"],
    ),
    # Replication.
    (
        {"synchronous_replication": {"number": 3}},
        [
            "synchronous_replication.number: expected at most 2 with 3 instances (each "
            "synchronous replica is another instance; CloudNativePG's webhook refuses more), "
            "got 3"
        ],
    ),
    (
        {"instances": 1, "synchronous_replication": {}},
        [
            "synchronous_replication.number: expected at most 0 with 1 instances (each "
            "synchronous replica is another instance; CloudNativePG's webhook refuses more), "
            "got 1"
        ],
    ),
    (
        {"synchronous_replication": {"method": "all", "number": 0, "data_durability": "maybe"}},
        [
            "synchronous_replication.method: expected one of any or first, got 'all'",
            "synchronous_replication.number: expected a whole number from 1 to 2147483647, got 0",
            "synchronous_replication.data_durability: expected one of required or preferred, "
            "got 'maybe'",
        ],
    ),
    (
        {"postgresql_parameters": {"synchronous_standby_names": "ANY 1 (*)"}},
        [
            "postgresql_parameters.synchronous_standby_names: managed by CloudNativePG and "
            "refused in spec.postgresql.parameters; use the synchronous_replication input "
            "instead"
        ],
    ),
    # Access: pg_hba and pg_ident.
    (
        {
            "pg_hba": [
                "hots all all 0.0.0.0/0 md5",
                "host all all 10.0.0.0/8 md6",
                "host all all 10.0.0.0/8 md5 # ok",
                "host @admins all 10.0.0.0/8 md5",
                "host all all ${podselector:app} md5",
                "host all all 10.0.0.0/8\nmd5",
                "host all all 10.0.0.0 255.0.0.0 scram-sha-256",
                'hostssl "my db" all 10.0.0.0/8 cert clientcert=verify-full',
            ]
        },
        [
            "pg_hba[0]: expected a connection type (local, host, hostssl, hostnossl, "
            "hostgssenc, hostnogssenc) first, got 'hots all all 0.0.0.0/0 md5'",
            "pg_hba[1]: expected an authentication method (trust, reject, scram-sha-256, md5, "
            "password, gss, sspi, ident, peer, pam, ldap, radius, cert, oauth), got "
            "'host all all 10.0.0.0/8 md6'",
            "pg_hba[2]: expected no comment (#), got 'host all all 10.0.0.0/8 md5 # ok'",
            "pg_hba[3]: expected no @file inclusion (it reads a file inside the data "
            "directory), got 'host @admins all 10.0.0.0/8 md5'",
            "pg_hba[4]: expected no ${...} reference (pod selectors are not rendered), got "
            "'host all all ${podselector:app} md5'",
            "pg_hba[5]: expected one pg_hba.conf line (TYPE DATABASE USER [ADDRESS] METHOD "
            "[OPTIONS]), got 'host all all 10.0.0.0/8\\nmd5'",
        ],
    ),
    (
        {"pg_ident": ["map alice", "include file x y", "map root # comment"]},
        [
            "pg_ident[0]: expected one pg_ident.conf line (MAPNAME SYSTEM-USERNAME "
            "DATABASE-USERNAME), got 'map alice'",
            "pg_ident[1]: expected one pg_ident.conf line (MAPNAME SYSTEM-USERNAME "
            "DATABASE-USERNAME), got 'include file x y'",
            "pg_ident[2]: expected no comment (#), got 'map root # comment'",
        ],
    ),
    # Access: environment.
    (
        {
            "extra_env": {
                "TZ": "UTC",
                "PGDATA": "/x",
                "cnpg_debug": "1",
                "NAMESPACE": "x",
                "AWS_ACCESS_KEY_ID": "x",
                "GOOGLE_APPLICATION_CREDENTIALS": "/x",
                "AWS_REQUEST_CHECKSUM_CALCULATION": "when_supported",
                "1BAD": "x",
            }
        },
        [
            "extra_env: expected environment variable names (letters, digits and '_', not "
            "starting with a digit), got '1BAD'",
            "extra_env.AWS_ACCESS_KEY_ID: barman-cloud reads its credentials and endpoint from "
            "it; remove it",
            "extra_env.AWS_REQUEST_CHECKSUM_CALCULATION: set by the tree where barman-cloud "
            "runs; use backup_s3_checksum_when_required",
            "extra_env.GOOGLE_APPLICATION_CREDENTIALS: barman-cloud reads its credentials and "
            "endpoint from it; remove it",
            f"extra_env.NAMESPACE: {CNPG_ENV}",
            f"extra_env.PGDATA: {CNPG_ENV}",
            f"extra_env.cnpg_debug: {CNPG_ENV}",
        ],
    ),
    ({"extra_env": {"TZ": "UTC\r"}}, [f"extra_env.TZ: {TEXT}, got 'UTC\\r'"]),
    # Access: service account, pull secrets, security contexts, metadata.
    (
        {"service_account_annotations": {"role arn": "x"}},
        [f"service_account_annotations: {KEYS}eks.amazonaws.com/role-arn, got 'role arn'"],
    ),
    (
        {"image_pull_secrets": ["regcred", "regcred", "Reg"]},
        [f"image_pull_secrets[2]: {SUBDOMAIN}, got 'Reg'"],
    ),
    (
        {"image_pull_secrets": ["regcred", "regcred"]},
        ["image_pull_secrets: 'regcred' is listed twice"],
    ),
    (
        {"pod_security_context": {"run_as_user": 0, "supplemental_groups": [-1]}},
        [
            "pod_security_context.run_as_user: expected a whole number from 1 to 2147483647, got 0",
            "pod_security_context.supplemental_groups[0]: expected a whole number from 0 to "
            "2147483647, got -1",
        ],
    ),
    (
        {"container_security_context": {"run_as_group": 2**31}},
        [
            "container_security_context.run_as_group: expected a whole number from 0 to "
            "2147483647, got 2147483648"
        ],
    ),
    (
        {
            "inherited_labels": {"cnpg.io/cluster": "x", "team": "geo"},
            "inherited_annotations": {
                "backup.cnpg.io/x": "y",
                "kustomize.toolkit.fluxcd.io/prune": "disabled",
            },
        },
        [
            "inherited_labels.cnpg.io/cluster: keys under cnpg.io belong to its controllers; "
            "expected a key of your own",
            "inherited_annotations.backup.cnpg.io/x: keys under cnpg.io belong to its "
            "controllers; expected a key of your own",
            "inherited_annotations.kustomize.toolkit.fluxcd.io/prune: keys under "
            "kustomize.toolkit.fluxcd.io belong to its controllers; expected a key of your own",
        ],
    ),
]


@pytest.mark.parametrize(("values", "problems"), CASES, ids=[repr(c[0])[:70] for c in CASES])
def test_rejected_with_exact_messages(values: dict[str, Any], problems: list[str]) -> None:
    with pytest.raises(InputError) as caught:
        Inputs.from_mapping(values)
    assert caught.value.problems == problems


def test_every_production_input_is_off_or_cnpg_default_by_default() -> None:
    """Nothing of the production inputs changes the default Cluster: each is off, empty,
    or CNPG's own default."""
    inputs = Inputs()
    assert (inputs.database_resource_enabled, inputs.databases, inputs.database_extensions) == (
        False,
        (),
        (),
    )
    assert (inputs.pod_anti_affinity_type, inputs.zone_spread) == ("preferred", "off")
    assert (inputs.node_selector, inputs.tolerations, inputs.priority_class_name) == ({}, (), None)
    assert (inputs.wal_storage_size, inputs.synchronous_replication) == (None, None)
    assert (inputs.pg_hba, inputs.pg_ident, inputs.extra_env) == ((), (), {})
    assert inputs.enable_superuser_access is True


def test_what_cnpg_accepts_is_accepted() -> None:
    inputs = Inputs.from_mapping(
        {
            **ESO,
            "database_resource_enabled": True,
            "postgis_version": "3.6.4",
            "database_extensions": [{"name": "pg_trgm"}, {"name": "uuid-ossp", "version": "1.1"}],
            "databases": [
                {"name": "geo", "owner": "geo_owner", "credentials_vault_path": "db/geo"},
                {"name": "tiles", "owner": "geo_owner"},
                {"name": "reports", "owner": "wildside_user"},
            ],
            "pod_anti_affinity_type": "required",
            "zone_spread": "required",
            "node_selector": {"node.kubernetes.io/pool": "db", "disk": ""},
            "tolerations": [
                {"operator": "Exists"},
                {"key": "dedicated", "value": "db", "effect": "NoSchedule"},
                {
                    "key": "node.kubernetes.io/unreachable",
                    "operator": "Exists",
                    "effect": "NoExecute",
                    "toleration_seconds": 30,
                },
            ],
            "priority_class_name": "system.databases",
            "wal_storage_size": "5Gi",
            "wal_storage_class": "fast-ssd",
            "synchronous_replication": {
                "method": "first",
                "number": 2,
                "data_durability": "preferred",
            },
            "pg_hba": [
                "hostssl all all 10.0.0.0/8 scram-sha-256",
                "host all all 10.0.0.0 255.0.0.0 scram-sha-256",
                "local all all peer map=local",
                'hostssl "my db" all all cert clientcert=verify-full',
            ],
            "pg_ident": ["local postgres app"],
            "extra_env": {"TZ": "UTC", "AWS_REGION": "eu-west-1"},
            "service_account_annotations": {"eks.amazonaws.com/role-arn": "arn:aws:iam::1:role/x"},
            "image_pull_secrets": ["regcred"],
            "pod_security_context": {
                "fs_group_change_policy": "OnRootMismatch",
                "supplemental_groups": [1000],
            },
            "container_security_context": {"run_as_user": 26, "run_as_group": 26},
            "inherited_labels": {"team": "geo", "azure.workload.identity/use": "true"},
            "inherited_annotations": {"example.com/owner": "geo team"},
        }
    )
    assert inputs.synchronous_replication is not None
    assert inputs.synchronous_replication.number == 2
    assert [d.owner for d in inputs.databases] == ["geo_owner", "geo_owner", "wildside_user"]
