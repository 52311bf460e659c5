"""The fourth S3 credentials source: the IAM role of the instance pods
(`s3Credentials.inheritFromIAMRole`), for backups and for the recovery source. The
rules count it as a source (exact messages), the builders render the role alone and
no credentials Secret, and the outputs and alerts name no Secret for it."""

from __future__ import annotations

from typing import Any

import pytest

from tests import layout
from wildside_cnpg import InputError, Inputs, Module
from wildside_cnpg.policy import check_module

BACKUP: dict[str, Any] = {
    "backup_enabled": True,
    "backup_destination_path": "s3://wildside-backups/pg",
    "backup_endpoint_url": "https://s3.eu-west-1.amazonaws.com",
}
IAM = {**BACKUP, "backup_s3_inherit_from_iam_role": True}
PLUGIN_IMAGE = "ghcr.io/cloudnative-pg/postgis:16-3.6-standard-trixie"
SYSTEM_IMAGE = "ghcr.io/cloudnative-pg/postgis:16-3.6-system-trixie"
RECOVERY: dict[str, Any] = {
    "recovery_enabled": True,
    "recovery_source_destination_path": "s3://wildside-backups/old",
    "recovery_source_endpoint_url": "https://s3.eu-west-1.amazonaws.com",
}
ESO: dict[str, Any] = {
    "eso_enabled": True,
    "app_credentials_vault_path": "wildside/postgres/app",
    "superuser_credentials_vault_path": "wildside/postgres/superuser",
}
ROLE_ARN = {"eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/wildside-pg-backups"}
BACKUP_SOURCES = (
    "backup credentials: expected exactly one source when backup_enabled is true "
    "(backup_credentials_vault_path with eso_enabled, backup_s3_credentials_secret_name, "
    "backup_s3_access_key_id with backup_s3_secret_access_key, or "
    "backup_s3_inherit_from_iam_role), got "
)
RECOVERY_SOURCES = (
    "recovery source credentials: expected exactly one source when recovery_enabled is true "
    "(recovery_source_credentials_vault_path with eso_enabled, "
    "recovery_source_s3_credentials_secret_name, or recovery_source_inherit_from_iam_role), "
    "got "
)
ROLE = {"inheritFromIAMRole": True}


def problems(**values: Any) -> list[str]:
    with pytest.raises(InputError) as raised:
        Inputs(**values)
    return str(raised.value).splitlines()


def docs(**values: Any) -> dict[str, list[dict[str, Any]]]:
    return Module(Inputs(**values)).documents()


def one(tree: dict[str, list[dict[str, Any]]], path: str) -> dict[str, Any]:
    (doc,) = tree[path]
    return doc


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            {**IAM, "backup_s3_credentials_secret_name": "s3"},
            [BACKUP_SOURCES + "backup_s3_credentials_secret_name, backup_s3_inherit_from_iam_role"],
        ),
        (
            {**IAM, **ESO, "backup_credentials_vault_path": "wildside/postgres/s3"},
            [BACKUP_SOURCES + "backup_credentials_vault_path, backup_s3_inherit_from_iam_role"],
        ),
        (
            {
                **IAM,
                "backup_s3_access_key_id": "AKIAEXAMPLE",
                "backup_s3_secret_access_key": "s3cr3t-value",
                "backup_s3_inline_credentials_acknowledged": True,
            },
            [BACKUP_SOURCES + "backup_s3_access_key_id, backup_s3_inherit_from_iam_role"],
        ),
        (
            {**BACKUP, "backup_s3_inherit_from_iam_role": False},
            [BACKUP_SOURCES + "none"],
        ),
        (
            {**RECOVERY, "recovery_source_inherit_from_iam_role": True}
            | {"recovery_source_s3_credentials_secret_name": "old-s3"},
            [
                RECOVERY_SOURCES + "recovery_source_s3_credentials_secret_name, "
                "recovery_source_inherit_from_iam_role"
            ],
        ),
        (
            {**RECOVERY, **ESO, "recovery_source_inherit_from_iam_role": True}
            | {"recovery_source_credentials_vault_path": "wildside/old"},
            [
                RECOVERY_SOURCES
                + "recovery_source_credentials_vault_path, recovery_source_inherit_from_iam_role"
            ],
        ),
        (
            {**RECOVERY, "recovery_source_inherit_from_iam_role": False},
            [RECOVERY_SOURCES + "none"],
        ),
        (
            {"recovery_source_inherit_from_iam_role": True},
            [
                "recovery_source_inherit_from_iam_role: set while recovery_enabled is false "
                "(nothing would read it)"
            ],
        ),
    ],
)
def test_the_iam_role_is_one_source_among_the_others(
    values: dict[str, Any], expected: list[str]
) -> None:
    assert problems(**values) == expected


def test_the_iam_role_alone_is_a_source() -> None:
    assert Inputs(**IAM).backup_s3_inherit_from_iam_role is True
    assert Inputs(**RECOVERY, recovery_source_inherit_from_iam_role=True).recovery_enabled
    # No workload identity annotation is required: EKS Pod Identity, or a node's
    # instance role, needs none.
    assert Inputs(**IAM, service_account_annotations=ROLE_ARN)


def test_in_tree_backups_inherit_the_role_and_render_no_secret() -> None:
    tree = docs(**IAM, **ESO, backup_method="barman_object_store", image_name=SYSTEM_IMAGE)
    spec = one(tree, layout.cluster_file())["spec"]
    assert spec["backup"]["barmanObjectStore"]["s3Credentials"] == ROLE
    assert spec["backup"]["barmanObjectStore"]["destinationPath"] == "s3://wildside-backups/pg"
    # barman-cloud still runs in the instances: the checksum setting stays.
    assert [e["name"] for e in spec["env"]] == [
        "AWS_REQUEST_CHECKSUM_CALCULATION",
        "AWS_RESPONSE_CHECKSUM_VALIDATION",
    ]
    assert layout.cluster_layer("s3-credentials-secret.yaml") not in tree
    assert layout.credentials("external-secret-backup.yaml") not in tree
    kinds = [doc["kind"] for docs_ in tree.values() for doc in docs_]
    # Only the application's and the superuser's ExternalSecrets; no Secret at all.
    assert kinds.count("ExternalSecret") == 2
    assert "Secret" not in kinds


def test_plugin_backups_inherit_the_role_in_their_object_store() -> None:
    tree = docs(**IAM, backup_method="barman_cloud_plugin", image_name=PLUGIN_IMAGE)
    store = one(tree, layout.cluster_layer("object-store.yaml"))
    assert store["spec"]["configuration"]["s3Credentials"] == ROLE
    assert "backup" not in one(tree, layout.cluster_file())["spec"]
    assert layout.cluster_layer("s3-credentials-secret.yaml") not in tree
    assert not any(path.startswith(layout.credentials("")) for path in tree)


def test_a_recovery_source_read_with_the_role() -> None:
    in_tree = docs(
        **RECOVERY,
        **ESO,
        recovery_source_inherit_from_iam_role=True,
        backup_method="barman_object_store",
        image_name=SYSTEM_IMAGE,
    )
    (source,) = one(in_tree, layout.cluster_file())["spec"]["externalClusters"]
    assert source["barmanObjectStore"]["s3Credentials"] == ROLE
    assert layout.credentials("external-secret-recovery.yaml") not in in_tree
    plugin = docs(**RECOVERY, recovery_source_inherit_from_iam_role=True)
    store = one(plugin, layout.cluster_layer("recovery-object-store.yaml"))
    assert store["spec"]["configuration"]["s3Credentials"] == ROLE
    # Its own backups keep their keys: each store has its own source.
    both = docs(
        **RECOVERY,
        recovery_source_inherit_from_iam_role=True,
        **BACKUP,
        backup_s3_credentials_secret_name="s3",
        backup_server_name="wildside-pg-2",
    )
    own = one(both, layout.cluster_layer("object-store.yaml"))
    assert own["spec"]["configuration"]["s3Credentials"]["accessKeyId"]["name"] == "s3"
    assert (
        one(both, layout.cluster_layer("recovery-object-store.yaml"))["spec"]["configuration"][
            "s3Credentials"
        ]
        == ROLE
    )


def test_outputs_name_no_secret_for_the_role() -> None:
    outputs = Module(Inputs(**IAM)).outputs()
    # The same type as with a Secret: OpenTofu's output stays a string, null here.
    assert outputs["backup_credentials_secret_name"] == {
        "sensitive": False,
        "type": "string",
        "value": None,
    }
    backup = outputs["sync_policy_contract"]["value"]["backup"]
    assert backup == {
        "enabled": True,
        "method": "barman_cloud_plugin",
        "destination_path": "s3://wildside-backups/pg",
        "endpoint_url": "https://s3.eu-west-1.amazonaws.com",
        "server_name": "wildside-pg",
        "schedule": "0 0 0 * * *",
        "retention_policy": "30d",
        "credentials_secret": None,
    }


def test_the_archiving_alert_points_at_the_role() -> None:
    tree = docs(**IAM, monitoring_enabled=True, alerts_enabled=True)
    (rule,) = tree[layout.addons("prometheus-rule.yaml")]
    alerts = {a["alert"]: a for group in rule["spec"]["groups"] for a in group["rules"]}
    description = alerts["CNPGClusterWALArchivingFailing"]["annotations"]["description"]
    assert description.endswith(
        "Check the pod's logs for barman-cloud errors, the object store "
        "s3://wildside-backups/pg and its endpoint, and the IAM role of the instances' "
        "ServiceAccount databases/wildside-pg (pods get it when they are created)."
    )
    assert "Secret" not in description


def test_a_role_may_use_the_name_of_the_s3_secret_no_one_renders() -> None:
    """`<cluster>-s3-credentials` is the backup keys' Secret only with keys."""
    database = {
        "name": "reports",
        "owner": "reporter",
        "credentials_secret_name": "wildside-pg-s3-credentials",
    }
    assert Inputs(**IAM, databases=[database])
    inline = {
        "backup_s3_access_key_id": "AKIAEXAMPLE",
        "backup_s3_secret_access_key": "s3cr3t-value",
        "backup_s3_inline_credentials_acknowledged": True,
    }
    assert problems(**BACKUP, **inline, databases=[database]) == [
        "databases[0].credentials_secret_name: the Secret 'wildside-pg-s3-credentials' is also "
        "the S3 credentials' Secret"
    ]


@pytest.mark.parametrize("method", ["barman_cloud_plugin", "barman_object_store"])
def test_the_policies_accept_the_role(method: str) -> None:
    module = Module(
        Inputs(
            **IAM,
            **RECOVERY,
            recovery_source_inherit_from_iam_role=True,
            backup_server_name="wildside-pg-2",
            backup_method=method,
            image_name=SYSTEM_IMAGE,
            service_account_annotations=ROLE_ARN,
            enable_superuser_access=False,
        )
    )
    report = check_module(module)
    assert report.denies == []
    # In-tree Barman Cloud warns that CNPG 1.31 removes it (B16); nothing else warns.
    assert all(" B16 " in f" {w} " or "in-tree Barman Cloud" in w for w in report.warns)
    assert (report.warns == []) == (method == "barman_cloud_plugin")
