"""The transition table: a checkout rendered from some inputs, then the plan of the
next render. Each row pins the classification of the changes that matter and the
exact refusals; a row without refusals is a change the plan lets through."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from wildside_cnpg import Inputs, Module
from wildside_cnpg.plan import plan_checkout
from wildside_cnpg.writer import write_tree

PLUGIN_IMAGE = "ghcr.io/cloudnative-pg/postgis:16-3.6-standard-trixie"
BACKUP = {
    "backup_enabled": True,
    "backup_destination_path": "s3://wildside-backups/pg",
    "backup_endpoint_url": "https://nyc3.digitaloceanspaces.com",
    "backup_s3_credentials_secret_name": "s3",
}
PLUGIN = {**BACKUP, "backup_method": "barman_cloud_plugin", "image_name": PLUGIN_IMAGE}
IN_TREE = {**BACKUP, "backup_method": "barman_object_store"}
NEW_IMAGE = "ghcr.io/cloudnative-pg/postgis:16-3.6-system-trixie"
POOLER = {"pooler_enabled": True}
TLS = {"tls_enabled": True, "tls_issuer_name": "ca-issuer"}
SYSTEM_IMAGE = NEW_IMAGE
RECOVERY = {
    "recovery_enabled": True,
    "recovery_source_destination_path": "s3://wildside-backups/old",
    "recovery_source_endpoint_url": "https://nyc3.digitaloceanspaces.com",
    "recovery_source_s3_credentials_secret_name": "s3",
    "recovery_target_time": "2026-08-01T09:30:00Z",
}
MIGRATION = (
    "migration to the Barman Cloud plugin, in this one change of the Cluster as upstream "
    "requires: spec.backup.barmanObjectStore goes and spec.plugins archives WAL through the "
    "plugin's ObjectStore; the server name stays 'wildside-pg'; the plugin's HelmRelease comes "
    "with the operator layer, which the cluster layer waits for"
)
# Backups with the instance pods' IAM role (EKS IRSA) instead of a Secret's keys.
ROLE_ARN = {"eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/wildside-pg-backups"}
IAM_ROLE = {
    **BACKUP,
    "backup_s3_credentials_secret_name": None,
    "backup_s3_inherit_from_iam_role": True,
    "service_account_annotations": ROLE_ARN,
}
INLINE_KEYS = {
    **IN_TREE,
    "backup_s3_credentials_secret_name": None,
    "backup_s3_access_key_id": "AKIAEXAMPLEKEY01",
    "backup_s3_secret_access_key": "examplesecretkeyexamplesecretkey",
    "backup_s3_inline_credentials_acknowledged": True,
}
TO_THE_ROLE = (
    "s3Credentials: Secret {secret} -> the IAM role of the instance pods (inheritFromIAMRole): "
    "barman-cloud uses the role from its next run, but only instance pods created since their "
    "ServiceAccount got the role have it (restart the instances if the role is new); Secret "
    "{secret} stays"
)
ESO = {
    "eso_enabled": True,
    "app_credentials_vault_path": "wildside/postgres/app",
    "superuser_credentials_vault_path": "wildside/postgres/superuser",
}
SWITCHOVER = "each replica restarts, then the primary switches over to an updated replica"
CLUSTER = "Cluster/databases/wildside-pg"
ALLOW = "; pass --allow-destroy to do it anyway"
NEVER = "; --allow-destroy does not change this"

# beta's ScheduledBackup 'nightly' is also in alpha's file (the first file holding it).
NIGHTLY_IN_ALPHA = (
    "scheduled_backup_name: ScheduledBackup/databases/nightly in "
    "platform/databases/clusters/beta/cluster/scheduled-backup.yaml is also in "
    "platform/databases/clusters/alpha/cluster/scheduled-backup.yaml, which another "
    "cluster's render holds; two Flux Kustomizations would apply (and prune) it. Give "
    "each cluster its own names (leave the name inputs unset: they derive from "
    "cluster_name)" + NEVER
)


@dataclass(frozen=True)
class Row:
    before: list[dict[str, Any]]  # renders already in the checkout, in order
    after: dict[str, Any]
    effects: dict[str, str] = field(default_factory=dict)  # object -> effect
    refusals: list[str] = field(default_factory=list)
    details: dict[str, tuple[str, ...]] = field(default_factory=dict)  # object -> details


def bootstrap_refusal(name: str, change: str, field_name: str, keep: str) -> str:
    return (
        f"{name}: {change} changes spec.bootstrap.initdb.{field_name} of Cluster "
        "databases/wildside-pg, which CNPG reads only when it creates the cluster: the running "
        "cluster ignores it, and the outputs would describe a database that does not exist. "
        f"{keep}; add databases, roles and extensions to a running cluster with Database "
        f"resources and managed roles{ALLOW}"
    )


def switch_refusal(name: str, who: str, old: str, new: str, field_name: str, *, recipe: str) -> str:
    """Another Secret for a password on a running cluster: CNPG reads it for the
    cluster's whole life. `old`, `new`: the Secrets as the refusal words them."""
    user = who.rpartition(" ")[2]
    old_name, new_name = old.rpartition(" ")[2], new.rpartition(" ")[2]
    sets = (
        f"CNPG creates {new_name} with a random password unless it exists (one left from "
        f"before keeps its old password), and the primary sets the password of {user} from it"
        if new.startswith("CloudNativePG's")
        else f"once {new_name} exists, the primary sets the password of {user} from it"
    )
    return (
        f"{name}: {who} of Cluster databases/wildside-pg would take its password from {new} "
        f"instead of {old} ({field_name}), which CNPG reads for the cluster's whole life: "
        f"{sets}; {old_name} stays, but nothing sets the password of {user} from it any more, "
        "so clients that still read it fail to log in (from their next connection) unless "
        f"both Secrets hold the same password. {recipe}{ALLOW}"
    )


APP_SWITCH_ON = switch_refusal(
    "eso_enabled",
    "the application owner wildside_user",
    "CloudNativePG's generated wildside-pg-app",
    "wildside-pg-app-credentials",
    "spec.bootstrap.initdb.secret",
    recipe=(
        "Keep eso_enabled as it was; to switch without locking clients out, first store the "
        "password wildside-pg-app holds in Vault (app_credentials_vault_path), then switch and "
        "move the clients to wildside-pg-app-credentials"
    ),
)
SUPERUSER_SWITCH_ON = switch_refusal(
    "eso_enabled",
    "the superuser postgres",
    "CloudNativePG's generated wildside-pg-superuser",
    "wildside-pg-superuser-credentials",
    "spec.superuserSecret",
    recipe=(
        "Keep eso_enabled as it was; to switch without locking clients out, first store the "
        "password wildside-pg-superuser holds in Vault (superuser_credentials_vault_path), then "
        "switch and move the clients to wildside-pg-superuser-credentials"
    ),
)


NAMESPACE_GONE = (
    "{input}: the Namespace '{name}' leaves the tree; Flux keeps it (prune disabled), but "
    "nothing manages it any more, and without that annotation (a tree older than it, or "
    "another tool) deleting it deletes every database in it. Keep rendering it ({input} as it "
    "was); to really delete a namespace, see 'Deleting a database' in the README" + ALLOW
)
OPERATOR_GONE = (
    "{input}: the operator's HelmRelease cnpg-system/{name} leaves the tree; Flux leaves it "
    "installed (prune disabled), but nothing upgrades it any more, and uninstalling it leaves "
    "every Cluster without failover or backups. Keep {input} as it was; hand the operator to "
    "another inputs file with operator_install own there (render it first, with --adopt)" + ALLOW
)
PLUGIN_GONE = (
    "barman_cloud_plugin_install: the Barman Cloud plugin's HelmRelease leaves the operator "
    "layer while databases/wildside-pg archive WAL through it; in one commit Flux may "
    "uninstall it before the cluster layer stops using it, and WAL archiving would stop. Do it "
    "in two commits: first stop using the plugin in every cluster and keep "
    "barman_cloud_plugin_install: true; once Flux has applied that, remove it" + ALLOW
)

ROWS: dict[str, Row] = {
    # Safe changes.
    "nothing": Row([{}], {}, {CLUSTER: "nothing"}),
    "more instances": Row([{}], {"instances": 5}, {CLUSTER: "in place"}),
    "bigger volume": Row([{}], {"storage_size": "20Gi"}, {CLUSTER: "volume expansion"}),
    "new schedule": Row(
        [BACKUP],
        {**BACKUP, "backup_schedule": "0 30 2 * * *"},
        {"ScheduledBackup/databases/wildside-pg-backup": "in place", CLUSTER: "nothing"},
    ),
    "backups switched on": Row(
        [{}],
        BACKUP,
        # The plugin adds its sidecar to every instance pod.
        {
            "ScheduledBackup/databases/wildside-pg-backup": "in place",
            "ObjectStore/databases/wildside-pg-object-store": "in place",
            "HelmRelease/cnpg-system/plugin-barman-cloud": "in place",
            CLUSTER: "primary switchover",
        },
    ),
    "in-tree backups switched on": Row(
        [{"backup_method": "barman_object_store"}],
        IN_TREE,
        # The in-tree method sets barman-cloud's environment on the instances.
        {"ScheduledBackup/databases/wildside-pg-backup": "in place", CLUSTER: "primary switchover"},
    ),
    # Upstream's migration: one atomic change of the Cluster; the plugin arrives with the
    # operator layer, which the cluster layer waits for.
    "in-tree to plugin in one commit": Row(
        [{**IN_TREE, "image_name": SYSTEM_IMAGE}],
        {**BACKUP, "image_name": SYSTEM_IMAGE},
        {
            CLUSTER: "primary switchover",
            "ObjectStore/databases/wildside-pg-object-store": "in place",
            "HelmRelease/cnpg-system/plugin-barman-cloud": "in place",
            "ScheduledBackup/databases/wildside-pg-backup": "in place",
        },
        details={
            CLUSTER: (
                "spec.backup changed",
                f"spec.env changed: {SWITCHOVER}",
                f"spec.plugins changed: {SWITCHOVER}",
                MIGRATION,
            )
        },
    ),
    # What a tree rendered with the old defaults (in-tree, the system image) sees when
    # rendered with the new ones: the same migration, and the standard image.
    "old defaults to new defaults": Row(
        [{**IN_TREE, "resource_requests": {"cpu": "100m", "memory": "256Mi"}}],
        BACKUP,
        {CLUSTER: "primary switchover"},
        details={
            CLUSTER: (
                "spec.backup changed",
                f"spec.env changed: {SWITCHOVER}",
                f"spec.imageName changed: {SWITCHOVER}",
                f"spec.plugins changed: {SWITCHOVER}",
                f"spec.resources changed: {SWITCHOVER}",
                MIGRATION,
            )
        },
    ),
    "an image bump alone": Row([{}], {"image_name": NEW_IMAGE}, {CLUSTER: "primary switchover"}),
    "an image bump with restart": Row(
        [{"primary_update_method": "restart"}],
        {"primary_update_method": "restart", "image_name": NEW_IMAGE},
        {CLUSTER: "rolling restart"},
    ),
    "parameters alone": Row(
        [{}], {"postgresql_parameters": {"max_connections": "200"}}, {CLUSTER: "primary switchover"}
    ),
    "image and parameters with restart": Row(
        [{"primary_update_method": "restart"}],
        {
            "primary_update_method": "restart",
            "image_name": NEW_IMAGE,
            "postgresql_parameters": {"max_connections": "200"},
        },
        {CLUSTER: "rolling restart"},
    ),
    "custom budgets to CNPG's": Row(
        [{"pdb_enabled": True}],
        {},
        {
            "PodDisruptionBudget/databases/wildside-pg-pdb": "deletion",
            "PodDisruptionBudget/databases/wildside-pg-pdb-primary": "deletion",
            CLUSTER: "in place",
        },
    ),
    "plugin removed in its second commit": Row(
        [PLUGIN, {**IN_TREE, "barman_cloud_plugin_install": True}],
        IN_TREE,
        {"HelmRelease/cnpg-system/plugin-barman-cloud": "deletion", CLUSTER: "nothing"},
    ),
    # PgBouncer, TLS and alerts: none restarts PostgreSQL.
    "pooler switched on": Row(
        [{}], POOLER, {"Pooler/databases/wildside-pg-pooler-rw": "in place", CLUSTER: "nothing"}
    ),
    "pooler scaled": Row(
        [POOLER],
        {**POOLER, "pooler_instances": 4},
        {
            "Pooler/databases/wildside-pg-pooler-rw": "in place",
            "PodDisruptionBudget/databases/wildside-pg-pooler-rw": "nothing",
        },
    ),
    "pool mode changed": Row(
        [POOLER],
        {**POOLER, "pooler_pool_mode": "session"},
        {"Pooler/databases/wildside-pg-pooler-rw": "in place"},
    ),
    "pooler resources changed": Row(
        [POOLER],
        {**POOLER, "pooler_resource_limits": {"cpu": "1", "memory": "512Mi"}},
        {"Pooler/databases/wildside-pg-pooler-rw": "rolling restart", CLUSTER: "nothing"},
    ),
    "read-only pooler switched off": Row(
        [{**POOLER, "pooler_read_only_enabled": True}],
        POOLER,
        {
            "Pooler/databases/wildside-pg-pooler-ro": "deletion",
            "PodDisruptionBudget/databases/wildside-pg-pooler-ro": "deletion",
            "Pooler/databases/wildside-pg-pooler-rw": "nothing",
        },
    ),
    "tls switched on": Row(
        [{}],
        TLS,
        {CLUSTER: "in place", "Certificate/databases/wildside-pg-server-tls": "in place"},
    ),
    "tls issuer changed": Row(
        [TLS],
        {**TLS, "tls_issuer_name": "other-ca"},
        {CLUSTER: "nothing", "Certificate/databases/wildside-pg-server-tls": "in place"},
    ),
    "alerts switched on": Row(
        [{"monitoring_enabled": True}],
        {"monitoring_enabled": True, "alerts_enabled": True},
        {"PrometheusRule/databases/wildside-pg-alerts": "in place", CLUSTER: "nothing"},
    ),
    # Refused: CNPG rejects them.
    "image and parameters under switchover": Row(
        [{}],
        {"image_name": NEW_IMAGE, "postgresql_parameters": {"max_connections": "200"}},
        {CLUSTER: "primary switchover"},
        [
            "image_name: changing image_name and postgresql_parameters in one commit is refused "
            "by CNPG's webhook while primary_update_method is switchover (Cluster "
            "databases/wildside-pg), and the refusal fails the whole cluster layer. Change the "
            "image in one commit and the parameters in the next" + NEVER
        ],
    ),
    "a major upgrade": Row(
        [{"image_name": "ghcr.io/cloudnative-pg/postgis:16-3.6-system-trixie"}],
        {"image_name": "ghcr.io/cloudnative-pg/postgis:17-3.6-system-trixie"},
        {CLUSTER: "primary switchover"},
    ),
    "a major downgrade": Row(
        [{"image_name": "ghcr.io/cloudnative-pg/postgis:17-3.6-system-trixie"}],
        {"image_name": "ghcr.io/cloudnative-pg/postgis:16-3.6-system-trixie"},
        {CLUSTER: "primary switchover"},
        [
            "image_name: PostgreSQL 17 -> 16 would downgrade Cluster databases/wildside-pg; "
            "CNPG's webhook refuses an image of a lower major version than the data's. Keep a "
            "PostgreSQL 17 (or newer) image; to go back, restore a backup into a new cluster"
            + NEVER
        ],
    ),
    "storage shrink": Row(
        [{"storage_size": "20Gi"}],
        {"storage_size": "10Gi"},
        {CLUSTER: "volume expansion"},
        [
            "storage_size: '20Gi' -> '10Gi' shrinks the volumes of Cluster databases/wildside-pg; "
            "CNPG's webhook refuses it (volumes can grow, never shrink). Keep storage_size at "
            "'20Gi' or more" + NEVER
        ],
    ),
    # Refused: CNPG ignores them after bootstrap.
    "database renamed": Row(
        [{}],
        {"database_name": "wildside_next"},
        {CLUSTER: "ignored after bootstrap"},
        [
            bootstrap_refusal(
                "database_name",
                "'wildside_prod' -> 'wildside_next'",
                "database",
                "Keep database_name 'wildside_prod'",
            )
        ],
    ),
    "owner renamed": Row(
        [{}],
        {"database_owner": "app"},
        {CLUSTER: "ignored after bootstrap"},
        [
            bootstrap_refusal(
                "database_owner",
                "'wildside_user' -> 'app'",
                "owner",
                "Keep database_owner 'wildside_user'",
            )
        ],
    ),
    "extensions changed": Row(
        [{}],
        {"postgis_extensions": ["postgis"]},
        {CLUSTER: "ignored after bootstrap"},
        [
            bootstrap_refusal(
                "postgis_extensions",
                "changing it",
                "postInitTemplateSQL",
                "Keep postgis_extensions as it was when the cluster was created",
            )
        ],
    ),
    # Refused: another Secret for a password CNPG sets on the running cluster.
    "eso switched on for a running cluster": Row(
        [{}],
        ESO,
        {
            CLUSTER: "in place",
            "ExternalSecret/databases/wildside-pg-app-credentials": "in place",
            "ExternalSecret/databases/wildside-pg-superuser-credentials": "in place",
        },
        [APP_SWITCH_ON, SUPERUSER_SWITCH_ON],
        details={
            CLUSTER: (
                "spec.bootstrap.initdb.secret: CloudNativePG's generated wildside-pg-app -> "
                "wildside-pg-app-credentials: the primary sets the password of wildside_user "
                "from the new Secret",
                "spec.superuserSecret: CloudNativePG's generated wildside-pg-superuser -> "
                "wildside-pg-superuser-credentials: the primary sets the password of postgres "
                "from the new Secret",
            )
        },
    ),
    "eso switched off for a running cluster": Row(
        [ESO],
        {},
        {
            CLUSTER: "in place",
            "ExternalSecret/databases/wildside-pg-app-credentials": "deletion",
            "ExternalSecret/databases/wildside-pg-superuser-credentials": "deletion",
        },
        [
            switch_refusal(
                "eso_enabled",
                "the application owner wildside_user",
                "wildside-pg-app-credentials",
                "CloudNativePG's generated wildside-pg-app",
                "spec.bootstrap.initdb.secret unset",
                recipe=(
                    "Keep eso_enabled as it was; to switch without locking clients out, first put "
                    "the password wildside-pg-app-credentials holds into wildside-pg-app "
                    "(kubernetes.io/basic-auth, username wildside_user: CNPG never rewrites the "
                    "password of a Secret that exists), then switch and move the clients to "
                    "wildside-pg-app"
                ),
            ),
            switch_refusal(
                "eso_enabled",
                "the superuser postgres",
                "wildside-pg-superuser-credentials",
                "CloudNativePG's generated wildside-pg-superuser",
                "spec.superuserSecret unset",
                recipe=(
                    "Keep eso_enabled as it was; to switch without locking clients out, first put "
                    "the password wildside-pg-superuser-credentials holds into "
                    "wildside-pg-superuser (kubernetes.io/basic-auth, username postgres: CNPG "
                    "never rewrites the password of a Secret that exists), then switch and move "
                    "the clients to wildside-pg-superuser"
                ),
            ),
        ],
        details={
            CLUSTER: (
                "spec.bootstrap.initdb.secret unset: wildside-pg-app-credentials -> "
                "CloudNativePG's generated wildside-pg-app: the primary sets the password of "
                "wildside_user from the new Secret",
                "spec.superuserSecret unset: wildside-pg-superuser-credentials -> "
                "CloudNativePG's generated wildside-pg-superuser: the primary sets the password "
                "of postgres from the new Secret",
            )
        },
    ),
    "app secret renamed": Row(
        [ESO],
        {**ESO, "app_credentials_secret_name": "wildside-app"},
        {CLUSTER: "in place", "ExternalSecret/databases/wildside-app": "in place"},
        [
            switch_refusal(
                "app_credentials_secret_name",
                "the application owner wildside_user",
                "wildside-pg-app-credentials",
                "wildside-app",
                "spec.bootstrap.initdb.secret",
                recipe=(
                    "Keep app_credentials_secret_name 'wildside-pg-app-credentials'; to switch "
                    "without locking clients out, first give wildside-app the password "
                    "wildside-pg-app-credentials holds (with ESO, the same Vault path), then "
                    "switch and move the clients to wildside-app"
                ),
            )
        ],
    ),
    # Without superuser access CNPG disables the postgres password: no Secret to switch.
    "eso switched on, superuser access off": Row(
        [{"enable_superuser_access": False}],
        {**ESO, "enable_superuser_access": False, "superuser_credentials_vault_path": None},
        {CLUSTER: "in place"},
        [APP_SWITCH_ON],
    ),
    "superuser access switched off with eso": Row(
        [ESO],
        {**ESO, "enable_superuser_access": False, "superuser_credentials_vault_path": None},
        {CLUSTER: "in place"},
        details={CLUSTER: ("spec.enableSuperuserAccess changed", "spec.superuserSecret changed")},
    ),
    # A recovered cluster's app Secret is read for its whole life too, the rest of
    # bootstrap.recovery only once.
    "eso switched on for a recovered cluster": Row(
        [RECOVERY],
        {**RECOVERY, **ESO},
        {CLUSTER: "in place"},
        [
            switch_refusal(
                "eso_enabled",
                "the application owner wildside_user",
                "CloudNativePG's generated wildside-pg-app",
                "wildside-pg-app-credentials",
                "spec.bootstrap.recovery.secret",
                recipe=(
                    "Keep eso_enabled as it was; to switch without locking clients out, first "
                    "store the password wildside-pg-app holds in Vault "
                    "(app_credentials_vault_path), then switch and move the clients to "
                    "wildside-pg-app-credentials"
                ),
            ),
            SUPERUSER_SWITCH_ON,
        ],
    ),
    # Refused: they remove what holds or runs the data.
    "namespaces no longer created": Row(
        [{}],
        {"create_namespaces": False},
        {"Namespace/databases": "deletion", "Namespace/cnpg-system": "deletion"},
        [
            NAMESPACE_GONE.format(input="create_namespaces", name="cnpg-system"),
            NAMESPACE_GONE.format(input="create_namespaces", name="databases"),
        ],
    ),
    "operator release renamed": Row(
        [{}],
        {"helm_release_name": "cnpg"},
        {"HelmRelease/cnpg-system/cloudnative-pg": "deletion"},
        [OPERATOR_GONE.format(input="helm_release_name", name="cloudnative-pg")],
    ),
    "operator handed over to nobody": Row(
        [{}],
        {"operator_install": "external"},
        {"HelmRelease/cnpg-system/cloudnative-pg": "deletion"},
        [
            NAMESPACE_GONE.format(input="operator_install", name="cnpg-system"),
            OPERATOR_GONE.format(input="operator_install", name="cloudnative-pg"),
        ],
    ),
    "plugin backups switched off in one commit": Row(
        [PLUGIN],
        {},
        {"HelmRelease/cnpg-system/plugin-barman-cloud": "deletion"},
        [PLUGIN_GONE],
    ),
    "plugin to in-tree in one commit": Row(
        [PLUGIN],
        IN_TREE,
        {"HelmRelease/cnpg-system/plugin-barman-cloud": "deletion"},
        [PLUGIN_GONE],
    ),
    # Refused: a new cluster on another cluster's archive, or on its objects.
    "a new cluster on an archive in use": Row(
        [BACKUP],
        {**BACKUP, "cluster_namespace": "analytics", "operator_install": "shared"},
        {"Cluster/analytics/wildside-pg": "new empty cluster"},
        [
            "backup_destination_path: the new cluster analytics/wildside-pg would archive to "
            "s3://wildside-backups/pg/wildside-pg, which holds the archive of "
            "databases/wildside-pg; CNPG refuses to start its WAL archiving there ('Expected "
            "empty archive'). Give the new cluster its own backup_destination_path (or another "
            "server name)" + NEVER,
        ],
    ),
    "a new cluster on an in-tree archive in use": Row(
        [IN_TREE],
        {**IN_TREE, "cluster_namespace": "analytics", "operator_install": "shared"},
        {"Cluster/analytics/wildside-pg": "new empty cluster"},
        [
            "backup_destination_path: the new cluster analytics/wildside-pg would archive to "
            "s3://wildside-backups/pg/wildside-pg, which holds the archive of "
            "databases/wildside-pg; CNPG refuses to start its WAL archiving there ('Expected "
            "empty archive'). Give the new cluster its own backup_destination_path (or another "
            "server name)" + NEVER,
        ],
    ),
    # The server name is read for both methods: another one is another archive.
    "a new cluster beside an archive in use, with its own server name": Row(
        [BACKUP],
        {
            **BACKUP,
            "cluster_namespace": "analytics",
            "operator_install": "shared",
            "backup_server_name": "wildside-pg-analytics",
        },
        {"Cluster/analytics/wildside-pg": "new empty cluster"},
    ),
    "a new in-tree cluster beside an archive in use, with its own server name": Row(
        [IN_TREE],
        {
            **IN_TREE,
            "cluster_namespace": "analytics",
            "operator_install": "shared",
            "backup_server_name": "wildside-pg-analytics",
        },
        {"Cluster/analytics/wildside-pg": "new empty cluster"},
    ),
    # The plugin's parameters are read at run time: no pod restarts.
    "an existing cluster renames its archive's server name": Row(
        [BACKUP],
        {**BACKUP, "backup_server_name": "wildside-pg-17"},
        {CLUSTER: "in place"},
        details={CLUSTER: ("spec.plugins changed",)},
    ),
    # Another credentials source for the archive of a running cluster: the store changes
    # in place, barman-cloud takes it from its next run, and the Secret that held the keys
    # stays (never pruned), as between a Secret and Vault.
    "backups from a Secret to the IAM role": Row(
        [{**BACKUP, "service_account_annotations": ROLE_ARN}],
        IAM_ROLE,
        {
            "ObjectStore/databases/wildside-pg-object-store": "in place",
            CLUSTER: "nothing",
        },
        details={
            "ObjectStore/databases/wildside-pg-object-store": (
                "updated",
                TO_THE_ROLE.format(secret="s3"),
            )
        },
    ),
    "in-tree inline keys to the IAM role": Row(
        [{**INLINE_KEYS, "service_account_annotations": ROLE_ARN}],
        {**IAM_ROLE, "backup_method": "barman_object_store"},
        {
            "Secret/databases/wildside-pg-s3-credentials": "deletion",
            CLUSTER: "in place",
        },
        details={
            "Secret/databases/wildside-pg-s3-credentials": (
                "removed from the tree; Flux leaves it in place (prune disabled), unmanaged",
            ),
            CLUSTER: (
                "spec.backup changed",
                TO_THE_ROLE.format(secret="wildside-pg-s3-credentials"),
            ),
        },
    ),
    "backups from the IAM role back to a Secret": Row(
        [IAM_ROLE],
        {**BACKUP, "service_account_annotations": ROLE_ARN},
        {"ObjectStore/databases/wildside-pg-object-store": "in place", CLUSTER: "nothing"},
        details={
            "ObjectStore/databases/wildside-pg-object-store": (
                "updated",
                "s3Credentials: the IAM role of the instance pods (inheritFromIAMRole) -> Secret "
                "s3: barman-cloud reads the keys from its next run",
            )
        },
    ),
    # Recovery: a new cluster from a backup; the recovery inputs are read only then.
    "a new cluster created from a backup": Row(
        [],
        {**RECOVERY, "operator_install": "own"},
        {CLUSTER: "created from a backup"},
        details={
            CLUSTER: (
                "CNPG creates the cluster from a backup (recovery) of server 'wildside-pg' in "
                "ObjectStore wildside-pg-recovery-source, stopping at targetTime "
                "2026-08-01T09:30:00Z",
            )
        },
    ),
    "a new in-tree cluster created from a backup to an LSN": Row(
        [],
        {
            **RECOVERY,
            "backup_method": "barman_object_store",
            "recovery_target_time": None,
            "recovery_target_lsn": "0/3000060",
        },
        {CLUSTER: "created from a backup"},
        details={
            CLUSTER: (
                "CNPG creates the cluster from a backup (recovery) of server 'wildside-pg' in "
                "s3://wildside-backups/old, stopping at targetLSN 0/3000060",
            )
        },
    ),
    "recovery target changed after bootstrap": Row(
        [RECOVERY],
        {**RECOVERY, "recovery_target_time": "2026-08-01T10:00:00Z"},
        {CLUSTER: "ignored after bootstrap"},
        [
            "recovery_target_time: '2026-08-01T09:30:00Z' -> '2026-08-01T10:00:00Z' changes "
            "spec.bootstrap.recovery.recoveryTarget.targetTime of Cluster databases/wildside-pg, "
            "which CNPG reads only when it creates the cluster: the running cluster ignores it, "
            "and the outputs would describe a recovery that did not happen. Keep "
            "recovery_target_time as it was when the cluster was created; to recover another "
            "backup, create a new cluster (another cluster_name) from it" + ALLOW
        ],
    ),
    "recovery source moved after bootstrap": Row(
        [RECOVERY],
        {**RECOVERY, "recovery_source_destination_path": "s3://wildside-backups/older"},
        {
            CLUSTER: "nothing",
            "ObjectStore/databases/wildside-pg-recovery-source": "ignored after bootstrap",
        },
        [
            "recovery_source_destination_path: changing it changes the recovery source of "
            "Cluster databases/wildside-pg, which CNPG reads only when it creates the cluster: "
            "the running cluster ignores it, and the outputs would describe a recovery that did "
            "not happen. Keep recovery_source_destination_path as it was when the cluster was "
            "created; to recover another backup, create a new cluster (another cluster_name) "
            "from it" + ALLOW
        ],
    ),
    "recovery source server renamed after bootstrap": Row(
        [RECOVERY],
        {**RECOVERY, "recovery_source_server_name": "old-pg"},
        {CLUSTER: "ignored after bootstrap"},
        [
            "recovery_source_server_name: changing it changes the recovery source of "
            "Cluster databases/wildside-pg, which CNPG reads only when it creates the cluster: "
            "the running cluster ignores it, and the outputs would describe a recovery that did "
            "not happen. Keep recovery_source_server_name as it was when the cluster was "
            "created; to recover another backup, create a new cluster (another cluster_name) "
            "from it" + ALLOW
        ],
    ),
    # Like every recovery input, its credentials are read only at bootstrap; the refusal
    # names the input that changed.
    "recovery source switched to the IAM role after bootstrap": Row(
        [RECOVERY],
        {
            **RECOVERY,
            "recovery_source_s3_credentials_secret_name": None,
            "recovery_source_inherit_from_iam_role": True,
        },
        {
            CLUSTER: "nothing",
            "ObjectStore/databases/wildside-pg-recovery-source": "ignored after bootstrap",
        },
        [
            "recovery_source_inherit_from_iam_role: changing it changes the recovery source of "
            "Cluster databases/wildside-pg, which CNPG reads only when it creates the cluster: "
            "the running cluster ignores it, and the outputs would describe a recovery that did "
            "not happen. Keep recovery_source_inherit_from_iam_role as it was when the cluster "
            "was created; to recover another backup, create a new cluster (another "
            "cluster_name) from it" + ALLOW
        ],
    ),
    "in-tree recovery source switched to the IAM role after bootstrap": Row(
        [{**RECOVERY, "backup_method": "barman_object_store"}],
        {
            **RECOVERY,
            "backup_method": "barman_object_store",
            "recovery_source_s3_credentials_secret_name": None,
            "recovery_source_inherit_from_iam_role": True,
        },
        {CLUSTER: "ignored after bootstrap"},
        [
            "recovery_source_inherit_from_iam_role: changing it changes the recovery source of "
            "Cluster databases/wildside-pg, which CNPG reads only when it creates the cluster: "
            "the running cluster ignores it, and the outputs would describe a recovery that did "
            "not happen. Keep recovery_source_inherit_from_iam_role as it was when the cluster "
            "was created; to recover another backup, create a new cluster (another "
            "cluster_name) from it" + ALLOW
        ],
    ),
    "recovery switched on for a running cluster": Row(
        [{}],
        RECOVERY,
        {CLUSTER: "ignored after bootstrap"},
        [
            "recovery_enabled: switching spec.bootstrap from initdb to recovery on Cluster "
            "databases/wildside-pg, which CNPG reads only when it creates the cluster: the "
            "running cluster ignores it, and the outputs would describe a bootstrap that did "
            "not happen. Keep recovery_enabled as it was when the cluster was created; to "
            "recover a backup, create a new cluster (another cluster_name) from it" + ALLOW
        ],
    ),
    # A recovered cluster moving its source from in-tree to the plugin spells the same
    # source another way: nothing to refuse.
    "a recovered cluster moves to the plugin": Row(
        [{**RECOVERY, "backup_method": "barman_object_store", "image_name": SYSTEM_IMAGE}],
        {**RECOVERY, "image_name": SYSTEM_IMAGE},
        {
            CLUSTER: "ignored after bootstrap",
            "ObjectStore/databases/wildside-pg-recovery-source": "in place",
        },
    ),
    "a second cluster reusing a name": Row(
        [{**BACKUP, "cluster_name": "alpha", "scheduled_backup_name": "nightly"}],
        {
            **BACKUP,
            "backup_destination_path": "s3://wildside-backups/beta",
            "cluster_name": "beta",
            "operator_install": "shared",
            "scheduled_backup_name": "nightly",
        },
        {"Cluster/databases/beta": "new empty cluster"},
        [
            "scheduled_backup_name: ScheduledBackup databases/nightly would move to another "
            "cluster, but its spec.cluster is immutable, so Flux's apply of the whole layer "
            "fails. Give the new cluster's ScheduledBackup a new name (leave "
            "scheduled_backup_name unset: it derives from cluster_name)" + NEVER,
            NIGHTLY_IN_ALPHA,
        ],
    ),
    # Two files hold the object: the first in path order is named.
    "a third cluster reusing a name two others use": Row(
        [
            {**BACKUP, "cluster_name": "alpha", "scheduled_backup_name": "nightly"},
            {
                **BACKUP,
                "backup_destination_path": "s3://wildside-backups/gamma",
                "cluster_name": "gamma",
                "operator_install": "shared",
                "scheduled_backup_name": "nightly",
            },
        ],
        {
            **BACKUP,
            "backup_destination_path": "s3://wildside-backups/beta",
            "cluster_name": "beta",
            "operator_install": "shared",
            "scheduled_backup_name": "nightly",
        },
        {"Cluster/databases/beta": "new empty cluster"},
        [
            NIGHTLY_IN_ALPHA,
        ],
    ),
    # A shared archive is refused when a cluster is created on it; a running cluster
    # already on one is not held back by it.
    "a running cluster on an archive another already shares": Row(
        [
            BACKUP,
            {
                **BACKUP,
                "backup_server_name": "wildside-pg",
                "cluster_name": "beta",
                "operator_install": "shared",
            },
        ],
        {**BACKUP, "instances": 2},
        {CLUSTER: "in place"},
    ),
    "a new cluster on the plugin, the operator without it": Row(
        [{}],
        {**PLUGIN, "cluster_namespace": "analytics", "operator_install": "shared"},
        {"Cluster/analytics/wildside-pg": "new empty cluster"},
        [
            "barman_cloud_plugin_install: analytics/wildside-pg archive WAL through the "
            "Barman Cloud plugin, but the operator in this checkout does not install it (the "
            "Cluster would wait in 'unknown plugin' and archive nothing). Set "
            "barman_cloud_plugin_install: true in the inputs that render the operator "
            "(operator_install own) and render those first" + NEVER,
        ],
    ),
    "a second cluster beside the first": Row(
        [{"cluster_name": "alpha"}],
        {"cluster_name": "beta", "operator_install": "shared"},
        {"Cluster/databases/beta": "new empty cluster", "Namespace/databases": "nothing"},
    ),
    # Flux's lockdown on a running tree: the chart source moves beside the HelmReleases;
    # the old one leaves the tree (Flux prunes it), the releases only change their source.
    "chart sources moved for --no-cross-namespace-refs": Row(
        [PLUGIN],
        {**PLUGIN, "flux_cross_namespace_refs": False},
        {
            "HelmRepository/cnpg-system/cloudnative-pg": "in place",
            "HelmRepository/flux-system/cloudnative-pg": "deletion",
            "HelmRelease/cnpg-system/cloudnative-pg": "in place",
            "HelmRelease/cnpg-system/plugin-barman-cloud": "in place",
            CLUSTER: "nothing",
        },
        details={
            "HelmRepository/cnpg-system/cloudnative-pg": ("created",),
            "HelmRepository/flux-system/cloudnative-pg": (
                "removed from the tree; Flux deletes it",
            ),
            **{
                f"HelmRelease/cnpg-system/{release}": (
                    "updated",
                    "its chart source moves from namespace flux-system to cnpg-system: "
                    "helm-controller deletes the HelmChart it made in flux-system and makes "
                    "one in cnpg-system, without upgrading the release; run Flux with "
                    "--no-cross-namespace-refs only once it has applied this (with the flag "
                    "on, that deletion is refused)",
                )
                for release in ("cloudnative-pg", "plugin-barman-cloud")
            },
        },
    ),
    # ... and back: the sources return to flux-system, which the flag would refuse.
    "chart sources moved back to flux-system": Row(
        [{**PLUGIN, "flux_cross_namespace_refs": False}],
        PLUGIN,
        {
            "HelmRepository/flux-system/cloudnative-pg": "in place",
            "HelmRepository/cnpg-system/cloudnative-pg": "deletion",
            CLUSTER: "nothing",
        },
        details={
            f"HelmRelease/cnpg-system/{release}": (
                "updated",
                "its chart source moves from namespace cnpg-system to flux-system: "
                "helm-controller deletes the HelmChart it made in cnpg-system and makes one "
                "in flux-system, without upgrading the release; Flux must run without "
                "--no-cross-namespace-refs before this is applied (with the flag on, the new "
                "source is refused)",
            )
            for release in ("cloudnative-pg", "plugin-barman-cloud")
        },
    ),
    "shared operator missing": Row(
        [],
        {"operator_install": "shared"},
        {CLUSTER: "new empty cluster"},
        [
            "operator_install: shared, but no inputs file has rendered the operator into this "
            "checkout (its Flux Kustomization cloudnative-pg-operator is missing), so the "
            "cluster layer would wait forever. Render the operator first with operator_install "
            "own in one inputs file (same helm_release_name), or use operator_install external "
            "when it is installed outside this tree" + NEVER
        ],
    ),
}


def _checkout(tmp_path: Path, renders: list[dict[str, Any]]) -> None:
    for values in renders:
        module = Module(Inputs(**values))
        write_tree(tmp_path, module.render(), owner=module.shape.owner)


@pytest.mark.parametrize("name", sorted(ROWS))
def test_transition(name: str, tmp_path: Path) -> None:
    row = ROWS[name]
    _checkout(tmp_path, row.before)
    plan = plan_checkout(Module(Inputs(**row.after)), tmp_path)
    effects = {str(change.key): change.effect for change in plan.changes}
    for key, effect in row.effects.items():
        assert effects.get(key) == effect, f"{key}: {effects.get(key)} != {effect}"
    details = {str(change.key): change.details for change in plan.changes}
    for key, expected in row.details.items():
        assert details[key] == expected
    assert [refusal.line() for refusal in plan.refusals] == row.refusals


def test_every_effect_of_the_table_is_exercised() -> None:
    seen = {effect for row in ROWS.values() for effect in row.effects.values()}
    assert seen == {
        "nothing",
        "in place",
        "volume expansion",
        "rolling restart",
        "primary switchover",
        "ignored after bootstrap",
        "new empty cluster",
        "created from a backup",
        "deletion",
    }
