"""Rejection cases: a rendered tree mutated one specific way, and the exact findings
the policies must report for it (every finding: nothing more, nothing less)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from tests import layout
from tests.policy.trees import (
    Tree,
    add_file,
    beside,
    file_of,
    find,
    kustomization_beside,
    remove_file,
    tree_of,
)

HR = "HelmRelease/cnpg-system/cloudnative-pg"
REPO = "HelmRepository/flux-system/cloudnative-pg"
OCI = "OCIRepository/flux-system/cloudnative-pg"
CL = "Cluster/databases/wildside-pg"
SB = "ScheduledBackup/databases/wildside-pg-backup"
APP_ES = "ExternalSecret/databases/wildside-pg-app-credentials"
SU_ES = "ExternalSecret/databases/wildside-pg-superuser-credentials"
S3_ES = "ExternalSecret/databases/wildside-pg-s3-credentials"
STORE = "spec.backup.barmanObjectStore"
OS = "ObjectStore/databases/wildside-pg-object-store"
IN_TREE_WARN = (
    f"{CL}: {STORE}: in-tree Barman Cloud is removed in CloudNativePG 1.31 (the 1.30 release "
    "notes); move to the Barman Cloud plugin (an ObjectStore, and spec.plugins or an "
    "externalClusters plugin entry) before upgrading the operator"
)
CLUSTER_KUST = layout.cluster_layer("kustomization.yaml")
UNIT_KUST = f"{layout.unit()}/kustomization.yaml"
OPERATOR_LAYER_KUST = f"{layout.OPERATOR_LAYER}/kustomization.yaml"
ACK = "wildside-cnpg.io/plaintext-credentials-acknowledged"
EVICTION = (
    "the eviction API refuses to evict a pod under more than one budget, so node drains would block"
)


@dataclass(frozen=True)
class Case:
    name: str
    base: str
    mutate: Callable[[Tree], None]
    deny: tuple[str, ...] = ()
    warn: tuple[str, ...] = ()
    rules: tuple[str, ...] = field(default=())

    def tree(self) -> Tree:
        tree = tree_of(self.base)
        self.mutate(tree)
        return tree


CASES: list[Case] = []


def case(
    name: str,
    base: str,
    *,
    rules: tuple[str, ...],
    deny: tuple[str, ...] = (),
    warn: tuple[str, ...] = (),
) -> Callable[[Callable[[Tree], None]], Callable[[Tree], None]]:
    def register(mutate: Callable[[Tree], None]) -> Callable[[Tree], None]:
        CASES.append(Case(name, base, mutate, deny, warn, rules))
        return mutate

    return register


def spec(tree: Tree, kind: str, name: str | None = None) -> dict[str, Any]:
    result: dict[str, Any] = find(tree, kind, name)["spec"]
    return result


def chart(tree: Tree) -> dict[str, Any]:
    result: dict[str, Any] = spec(tree, "HelmRelease")["chart"]["spec"]
    return result


def store(tree: Tree) -> dict[str, Any]:
    result: dict[str, Any] = spec(tree, "Cluster")["backup"]["barmanObjectStore"]
    return result


# --- HelmRelease and its source -------------------------------------------------


@case(
    "helmrelease-without-chart",
    "defaults",
    rules=("H1",),
    deny=(
        f"{HR}: spec.chart: not set; expected spec.chart.spec (a chart from a HelmRepository) "
        "or spec.chartRef (an OCIRepository)",
    ),
)
def _(tree: Tree) -> None:
    del spec(tree, "HelmRelease")["chart"]


@case(
    "helmrelease-chart-and-chartref",
    "defaults",
    rules=("H2", "H8"),
    deny=(
        f"{HR}: spec.chartRef: set together with spec.chart; Flux accepts exactly one of them",
        f"{HR}: spec.chartRef: {OCI} is not in the tree",
    ),
)
def _(tree: Tree) -> None:
    spec(tree, "HelmRelease")["chartRef"] = {
        "kind": "OCIRepository",
        "name": "cloudnative-pg",
        "namespace": "flux-system",
    }


@case(
    "helmrelease-version-range",
    "defaults",
    rules=("H3",),
    deny=(
        f"{HR}: spec.chart.spec.version: expected an exact chart version such as 0.29.0 "
        "(a range or no version follows the newest chart), got '>=0.29.0'",
    ),
)
def _(tree: Tree) -> None:
    chart(tree)["version"] = ">=0.29.0"


@case(
    "helmrelease-version-unset",
    "defaults",
    rules=("H3",),
    deny=(
        f"{HR}: spec.chart.spec.version: expected an exact chart version such as 0.29.0 "
        "(a range or no version follows the newest chart), got <unset>",
    ),
)
def _(tree: Tree) -> None:
    del chart(tree)["version"]


@case(
    "helmrelease-sourceref-namespace-unset",
    "defaults",
    rules=("H4",),
    deny=(f"{HR}: spec.chart.spec.sourceRef.namespace: not set",),
)
def _(tree: Tree) -> None:
    del chart(tree)["sourceRef"]["namespace"]


@case(
    "helmrelease-sourceref-kind",
    "defaults",
    rules=("H5", "H8"),
    deny=(
        f"{HR}: spec.chart.spec.sourceRef.kind: expected HelmRepository (use spec.chartRef "
        "for an OCIRepository), got 'GitRepository'",
        f"{HR}: spec.chart.spec.sourceRef: GitRepository/flux-system/cloudnative-pg is not "
        "in the tree",
    ),
)
def _(tree: Tree) -> None:
    chart(tree)["sourceRef"]["kind"] = "GitRepository"


@case(
    "helmrelease-source-not-in-tree",
    "defaults",
    rules=("H8",),
    deny=(f"{HR}: spec.chart.spec.sourceRef: {REPO} is not in the tree",),
)
def _(tree: Tree) -> None:
    find(tree, "HelmRepository")["metadata"]["name"] = "charts"


@case(
    "helmrelease-chartref-namespace-unset",
    "oci-chart",
    rules=("H6",),
    deny=(f"{HR}: spec.chartRef.namespace: not set",),
)
def _(tree: Tree) -> None:
    del spec(tree, "HelmRelease")["chartRef"]["namespace"]


@case(
    "helmrelease-chartref-kind",
    "oci-chart",
    rules=("H7", "H8"),
    deny=(
        f"{HR}: spec.chartRef.kind: expected OCIRepository, got 'HelmRepository'",
        f"{HR}: spec.chartRef: {REPO} is not in the tree",
    ),
)
def _(tree: Tree) -> None:
    spec(tree, "HelmRelease")["chartRef"]["kind"] = "HelmRepository"


@case(
    "helmrepository-plain-http",
    "defaults",
    rules=("H9",),
    deny=(
        f"{REPO}: spec.url: expected an https:// or oci:// URL (charts must not be fetched "
        "over plain http), got 'http://cloudnative-pg.github.io/charts'",
    ),
)
def _(tree: Tree) -> None:
    spec(tree, "HelmRepository")["url"] = "http://cloudnative-pg.github.io/charts"


@case(
    "helmrepository-oci-without-type",
    "defaults",
    rules=("H10",),
    deny=(f"{REPO}: spec.type: an oci:// URL needs type: oci, got <unset>",),
)
def _(tree: Tree) -> None:
    spec(tree, "HelmRepository")["url"] = "oci://ghcr.io/cloudnative-pg/charts"


@case(
    "helmrepository-oci-typed",
    "defaults",
    rules=("H11",),
    warn=(
        f"{REPO}: spec.type: oci HelmRepositories are in maintenance mode in Flux; prefer an "
        "OCIRepository with HelmRelease spec.chartRef",
    ),
)
def _(tree: Tree) -> None:
    spec(tree, "HelmRepository").update(url="oci://ghcr.io/cloudnative-pg/charts", type="oci")


@case(
    "ocirepository-https-url",
    "oci-chart",
    rules=("H12",),
    deny=(
        f"{OCI}: spec.url: expected an oci:// URL, got "
        "'https://ghcr.io/cloudnative-pg/charts/cloudnative-pg'",
    ),
)
def _(tree: Tree) -> None:
    spec(tree, "OCIRepository")["url"] = "https://ghcr.io/cloudnative-pg/charts/cloudnative-pg"


@case(
    "ocirepository-semver-range",
    "oci-chart",
    rules=("H13",),
    deny=(
        f"{OCI}: spec.ref: expected an exact tag such as 0.29.0 or a digest, got semver '>=0.29.0'",
    ),
)
def _(tree: Tree) -> None:
    spec(tree, "OCIRepository")["ref"] = {"semver": ">=0.29.0"}


# --- Cluster --------------------------------------------------------------------


@case(
    "cluster-zero-instances",
    "defaults",
    rules=("C1",),
    deny=(f"{CL}: spec.instances: expected a whole number > 0, got 0",),
)
def _(tree: Tree) -> None:
    spec(tree, "Cluster")["instances"] = 0


@case(
    "cluster-instances-unset",
    "defaults",
    rules=("C1",),
    deny=(f"{CL}: spec.instances: expected a whole number > 0, got <unset>",),
)
def _(tree: Tree) -> None:
    del spec(tree, "Cluster")["instances"]


@case(
    "cluster-storage-unset",
    "defaults",
    rules=("C2",),
    deny=(f"{CL}: spec.storage.size: not set", f"{CL}: spec.storage.storageClass: not set"),
)
def _(tree: Tree) -> None:
    spec(tree, "Cluster")["storage"] = {}


@case(
    "cluster-bootstrap-unset",
    "defaults",
    rules=("C3",),
    deny=(
        f"{CL}: spec.bootstrap: not set; expected initdb, recovery or pg_basebackup (the "
        "database, its owner and its credentials are decided there)",
    ),
)
def _(tree: Tree) -> None:
    del spec(tree, "Cluster")["bootstrap"]


@case(
    "cluster-image-unset",
    "defaults",
    rules=("C4",),
    deny=(
        f"{CL}: spec.imageName: not set; without it the operator's default image is used "
        "and changes with every operator upgrade",
    ),
)
def _(tree: Tree) -> None:
    del spec(tree, "Cluster")["imageName"]


@case(
    "cluster-image-untagged",
    "defaults",
    rules=("C5",),
    deny=(
        f"{CL}: spec.imageName: expected a pinned tag or digest, got "
        "'registry.example.com:5000/cloudnative-pg/postgis' (untagged means latest)",
    ),
)
def _(tree: Tree) -> None:
    spec(tree, "Cluster")["imageName"] = "registry.example.com:5000/cloudnative-pg/postgis"


@case(
    "cluster-image-latest",
    "defaults",
    rules=("C6",),
    deny=(
        f"{CL}: spec.imageName: expected a pinned tag or digest, got "
        "'ghcr.io/cloudnative-pg/postgis:latest' (latest moves)",
    ),
)
def _(tree: Tree) -> None:
    spec(tree, "Cluster")["imageName"] = "ghcr.io/cloudnative-pg/postgis:latest"


@case(
    "cluster-postgis-without-postgis-image",
    "defaults",
    rules=("C7",),
    deny=(
        f"{CL}: spec.bootstrap.initdb.postInitTemplateSQL: creates a PostGIS extension, but "
        "spec.imageName 'ghcr.io/cloudnative-pg/postgresql:16.14-system-trixie' is not a "
        "PostGIS image",
    ),
)
def _(tree: Tree) -> None:
    spec(tree, "Cluster")["imageName"] = "ghcr.io/cloudnative-pg/postgresql:16.14-system-trixie"


@case(
    "cluster-postgis-in-application-sql",
    "defaults",
    rules=("C7",),
    deny=(
        f"{CL}: spec.bootstrap.initdb.postInitApplicationSQL: creates a PostGIS extension, "
        "but spec.imageName 'ghcr.io/cloudnative-pg/postgresql:16.14-system-trixie' is not a "
        "PostGIS image",
    ),
)
def _(tree: Tree) -> None:
    cluster = spec(tree, "Cluster")
    cluster["imageName"] = "ghcr.io/cloudnative-pg/postgresql:16.14-system-trixie"
    initdb = cluster["bootstrap"]["initdb"]
    del initdb["postInitTemplateSQL"]
    initdb["postInitApplicationSQL"] = ['create extension "postgis_topology";']


@case(
    "cluster-requests-unset",
    "defaults",
    rules=("C8",),
    deny=(f"{CL}: spec.resources.requests.memory: not set",),
)
def _(tree: Tree) -> None:
    del spec(tree, "Cluster")["resources"]["requests"]["memory"]


@case(
    "cluster-limits-unset",
    "defaults",
    rules=("C9",),
    warn=(
        f"{CL}: spec.resources.limits.cpu: not set; one instance may take its whole node",
        f"{CL}: spec.resources.limits.memory: not set; one instance may take its whole node",
    ),
)
def _(tree: Tree) -> None:
    del spec(tree, "Cluster")["resources"]["limits"]


@case(
    "cluster-superuser-secret-without-access",
    "eso-backup",
    rules=("C10",),
    deny=(
        f"{CL}: spec.superuserSecret: set while spec.enableSuperuserAccess is not true "
        "(CloudNativePG ignores the secret then)",
    ),
)
def _(tree: Tree) -> None:
    spec(tree, "Cluster")["enableSuperuserAccess"] = False


@case(
    "cluster-app-secret-unresolved",
    "eso-backup",
    rules=("C11", "E5"),
    deny=(
        f"{CL}: spec.bootstrap.initdb.secret.name: 'app-creds' is neither a Secret nor an "
        "ExternalSecret target in the tree, nor the wildside-pg-app CloudNativePG generates",
        f"{APP_ES}: spec.target.name: {CL} reads no Secret 'wildside-pg-app-credentials' (not as "
        "app, superuser, managed role or backup credentials), so the fetched credentials would "
        "be ignored",
    ),
)
def _(tree: Tree) -> None:
    spec(tree, "Cluster")["bootstrap"]["initdb"]["secret"]["name"] = "app-creds"


@case(
    "cluster-superuser-secret-unresolved",
    "eso-backup",
    rules=("C11", "E5"),
    deny=(
        f"{CL}: spec.superuserSecret.name: 'root-creds' is neither a Secret nor an "
        "ExternalSecret target in the tree, nor the wildside-pg-superuser CloudNativePG "
        "generates",
        f"{SU_ES}: spec.target.name: {CL} reads no Secret 'wildside-pg-superuser-credentials' "
        "(not as app, superuser, managed role or backup credentials), so the fetched "
        "credentials would be ignored",
    ),
)
def _(tree: Tree) -> None:
    spec(tree, "Cluster")["superuserSecret"]["name"] = "root-creds"


# --- High availability ------------------------------------------------------------

# The tree's own pair (pdb_enabled: true); CloudNativePG's are on by default.
PDB = "PodDisruptionBudget/databases/wildside-pg-pdb"
PDB_PRIMARY = "PodDisruptionBudget/databases/wildside-pg-pdb-primary"


@case(
    "pdb-builtin-and-tree-budgets",
    "custom-budgets",
    rules=("D1",),
    deny=(
        f"{CL}: spec.enablePDB: the primary pods are selected by 2 PodDisruptionBudgets "
        f"({PDB_PRIMARY}, the Cluster's built-in budget wildside-pg-primary); {EVICTION}",
        f"{CL}: spec.enablePDB: the replica pods are selected by 2 PodDisruptionBudgets "
        f"({PDB}, the Cluster's built-in budget wildside-pg); {EVICTION}",
    ),
)
def _(tree: Tree) -> None:
    spec(tree, "Cluster")["enablePDB"] = True


def _extra_budget(selector: dict[str, Any]) -> dict[str, Any]:
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": {"name": "wildside-pg-all", "namespace": "databases"},
        "spec": {"maxUnavailable": 1, "selector": selector},
    }


@case(
    "pdb-tree-budget-beside-builtin-budgets",
    "defaults",
    rules=("D1",),
    deny=(
        f"{CL}: spec.enablePDB: the primary pods are selected by 2 PodDisruptionBudgets "
        "(PodDisruptionBudget/databases/wildside-pg-all, the Cluster's built-in budget "
        f"wildside-pg-primary); {EVICTION}",
        f"{CL}: spec.enablePDB: the replica pods are selected by 2 PodDisruptionBudgets "
        "(PodDisruptionBudget/databases/wildside-pg-all, the Cluster's built-in budget "
        f"wildside-pg); {EVICTION}",
    ),
)
def _(tree: Tree) -> None:
    budget = _extra_budget({"matchLabels": {"cnpg.io/cluster": "wildside-pg"}})
    add_file(tree, beside(tree, "Cluster", "extra-pdb.yaml"), [budget])


@case(
    "pdb-extra-budget-over-every-instance",
    "custom-budgets",
    rules=("D1",),
    deny=(
        f"{CL}: spec.enablePDB: the primary pods are selected by 2 PodDisruptionBudgets "
        f"(PodDisruptionBudget/databases/wildside-pg-all, {PDB_PRIMARY}); {EVICTION}",
        f"{CL}: spec.enablePDB: the replica pods are selected by 2 PodDisruptionBudgets "
        f"(PodDisruptionBudget/databases/wildside-pg-all, {PDB}); {EVICTION}",
    ),
)
def _(tree: Tree) -> None:
    budgets = tree[file_of(tree, "PodDisruptionBudget")]
    budgets.append(_extra_budget({"matchLabels": {"cnpg.io/cluster": "wildside-pg"}}))


@case(
    "pdb-expression-selector-over-replicas",
    "custom-budgets",
    rules=("D1",),
    deny=(
        f"{CL}: spec.enablePDB: the replica pods are selected by 2 PodDisruptionBudgets "
        f"(PodDisruptionBudget/databases/wildside-pg-all, {PDB}); {EVICTION}",
    ),
)
def _(tree: Tree) -> None:
    budgets = tree[file_of(tree, "PodDisruptionBudget")]
    budgets.append(
        _extra_budget(
            {
                "matchLabels": {"cnpg.io/cluster": "wildside-pg"},
                "matchExpressions": [
                    {"key": "cnpg.io/instanceRole", "operator": "NotIn", "values": ["primary"]},
                    {"key": "cnpg.io/podRole", "operator": "Exists"},
                ],
            }
        )
    )


NO_BUDGET = (
    f"{CL}: spec.enablePDB: false with {{}} instances and no PodDisruptionBudget in the tree "
    "over the {} pods; a node drain may evict them all at once"
)


@case(
    "pdb-none-with-three-instances",
    "custom-budgets",
    rules=("D2",),
    deny=(NO_BUDGET.format(3, "primary"), NO_BUDGET.format(3, "replica")),
)
def _(tree: Tree) -> None:
    remove_file(tree, file_of(tree, "PodDisruptionBudget"))


@case(
    "pdb-none-with-two-instances",
    "custom-budgets-two",
    rules=("D2",),
    deny=(NO_BUDGET.format(2, "primary"),),
)
def _(tree: Tree) -> None:
    remove_file(tree, file_of(tree, "PodDisruptionBudget"))


@case(
    "pdb-builtin-off-with-three-instances",
    "defaults",
    rules=("D2",),
    deny=(NO_BUDGET.format(3, "primary"), NO_BUDGET.format(3, "replica")),
)
def _(tree: Tree) -> None:
    spec(tree, "Cluster")["enablePDB"] = False


@case(
    "single-instance-without-a-budget",
    "defaults",
    rules=("D5",),
    warn=(
        f"{CL}: spec.instances: 1, so no disruption budget protects it and draining its node "
        "stops the database; use two or more instances where that matters",
    ),
)
def _(tree: Tree) -> None:
    spec(tree, "Cluster")["instances"] = 1
    spec(tree, "Cluster")["enablePDB"] = False


@case(
    "pdb-builtin-off-with-two-instances",
    "two-instances",
    rules=("D2",),
    deny=(NO_BUDGET.format(2, "primary"),),
)
def _(tree: Tree) -> None:
    spec(tree, "Cluster")["enablePDB"] = False


# --- Backup ------------------------------------------------------------------------


@case(
    "backup-destination-unset",
    "in-tree-backup",
    rules=("B1",),
    deny=(
        f"{CL}: {STORE}.destinationPath: not set; expected the object store destination such "
        "as s3://bucket/path",
    ),
    warn=(IN_TREE_WARN,),
)
def _(tree: Tree) -> None:
    del store(tree)["destinationPath"]


@case(
    "backup-endpoint-plain-http",
    "in-tree-backup",
    rules=("B2",),
    deny=(
        f"{CL}: {STORE}.endpointURL: expected an https:// URL (backups and keys would cross "
        "the network in clear), got 'http://nyc3.digitaloceanspaces.com'",
    ),
    warn=(IN_TREE_WARN,),
)
def _(tree: Tree) -> None:
    store(tree)["endpointURL"] = "http://nyc3.digitaloceanspaces.com"


@case(
    "backup-credentials-key-unset",
    "in-tree-backup",
    rules=("B3",),
    deny=(f"{CL}: {STORE}.s3Credentials.secretAccessKey.key: not set",),
    warn=(IN_TREE_WARN,),
)
def _(tree: Tree) -> None:
    del store(tree)["s3Credentials"]["secretAccessKey"]["key"]


@case(
    "backup-credentials-key-not-supplied",
    "in-tree-backup",
    rules=("B4",),
    deny=(
        f"{CL}: {STORE}.s3Credentials.accessKeyId: {S3_ES} supplies Secret "
        "'wildside-pg-s3-credentials' without the key 'AWS_ACCESS_KEY_ID'",
    ),
    warn=(IN_TREE_WARN,),
)
def _(tree: Tree) -> None:
    store(tree)["s3Credentials"]["accessKeyId"]["key"] = "AWS_ACCESS_KEY_ID"


@case(
    "backup-credentials-key-not-in-plaintext-secret",
    "inline-keys",
    rules=("B4", "E7"),
    deny=(
        f"{OS}: spec.configuration.s3Credentials.secretAccessKey: "
        "Secret/databases/wildside-pg-s3-credentials supplies Secret "
        "'wildside-pg-s3-credentials' without the key 'SECRET_ACCESS_KEY'",
    ),
    warn=(
        "Secret/databases/wildside-pg-s3-credentials: stringData: plaintext credentials in "
        f"the Git tree (acknowledged by {ACK}); prefer an ExternalSecret",
    ),
)
def _(tree: Tree) -> None:
    del find(tree, "Secret")["stringData"]["SECRET_ACCESS_KEY"]


@case(
    "backup-credentials-secret-outside-tree",
    "existing-s3-secret",
    rules=("B5",),
    warn=(
        f"{OS}: spec.configuration.s3Credentials: Secret 'my-s3' is not in the tree; it must "
        "exist in namespace 'databases' before the first backup",
    ),
)
def _(tree: Tree) -> None:
    pass


@case(
    "backup-retention-zero",
    "in-tree-backup",
    rules=("B6",),
    deny=(
        f"{CL}: spec.backup.retentionPolicy: expected ^[1-9][0-9]*[dwm]$ such as 30d, 4w or "
        "3m, got '0d'",
    ),
    warn=(IN_TREE_WARN,),
)
def _(tree: Tree) -> None:
    spec(tree, "Cluster")["backup"]["retentionPolicy"] = "0d"


@case(
    "backup-retention-years",
    "in-tree-backup",
    rules=("B6",),
    deny=(
        f"{CL}: spec.backup.retentionPolicy: expected ^[1-9][0-9]*[dwm]$ such as 30d, 4w or "
        "3m, got '1y'",
    ),
    warn=(IN_TREE_WARN,),
)
def _(tree: Tree) -> None:
    spec(tree, "Cluster")["backup"]["retentionPolicy"] = "1y"


@case(
    "backup-compression-outside-enum",
    "in-tree-backup",
    rules=("B7",),
    deny=(
        f"{CL}: {STORE}.wal.compression: expected one of bzip2, gzip, lz4, snappy, xz, zstd, "
        "got 'brotli'",
        f"{CL}: {STORE}.data.compression: expected one of bzip2, gzip, lz4, snappy, got 'zstd'",
    ),
    warn=(IN_TREE_WARN,),
)
def _(tree: Tree) -> None:
    store(tree)["wal"]["compression"] = "brotli"
    store(tree)["data"] = {"compression": "zstd"}


@case(
    "scheduledbackup-schedule-unset",
    "eso-backup",
    rules=("B8",),
    deny=(
        f"{SB}: spec.schedule: not set; expected six cron fields, seconds first, such as "
        "0 0 0 * * * (daily at midnight)",
    ),
)
def _(tree: Tree) -> None:
    del spec(tree, "ScheduledBackup")["schedule"]


@case(
    "scheduledbackup-five-field-schedule",
    "eso-backup",
    rules=("B9",),
    deny=(
        f"{SB}: spec.schedule: '0 0 * * *' has five fields, but CloudNativePG reads six with "
        "seconds first, so it would run at second 0, minute 0, hour *, day of month *, "
        "month * (not at minute 0, hour 0); write '0 0 0 * * *'",
    ),
)
def _(tree: Tree) -> None:
    spec(tree, "ScheduledBackup")["schedule"] = "0 0 * * *"


@case(
    "scheduledbackup-bad-schedule",
    "eso-backup",
    rules=("B10",),
    deny=(
        f"{SB}: spec.schedule: expected six cron fields, seconds first (such as 0 0 0 * * *), "
        "or a descriptor such as @daily, got '@fortnightly'",
    ),
)
def _(tree: Tree) -> None:
    spec(tree, "ScheduledBackup")["schedule"] = "@fortnightly"


@case(
    "scheduledbackup-cluster-unset",
    "eso-backup",
    rules=("B11",),
    deny=(f"{SB}: spec.cluster.name: not set",),
)
def _(tree: Tree) -> None:
    del spec(tree, "ScheduledBackup")["cluster"]


@case(
    "scheduledbackup-cluster-not-in-tree",
    "eso-backup",
    rules=("B12",),
    deny=(f"{SB}: spec.cluster.name: Cluster/databases/other-pg is not in the tree",),
)
def _(tree: Tree) -> None:
    spec(tree, "ScheduledBackup")["cluster"]["name"] = "other-pg"


@case(
    "scheduledbackup-method-volume-snapshot",
    "in-tree-backup",
    rules=("B13",),
    deny=(f"{SB}: spec.method: volumeSnapshot, but {CL} has no spec.backup.volumeSnapshot",),
    warn=(IN_TREE_WARN,),
)
def _(tree: Tree) -> None:
    spec(tree, "ScheduledBackup")["method"] = "volumeSnapshot"


@case(
    "scheduledbackup-method-plugin",
    "in-tree-backup",
    rules=("B13",),
    deny=(
        f"{SB}: spec.method: plugin, but {CL} has no plugin in spec.plugins named by "
        "spec.pluginConfiguration.name",
    ),
    warn=(IN_TREE_WARN,),
)
def _(tree: Tree) -> None:
    backup = spec(tree, "ScheduledBackup")
    backup["method"] = "plugin"
    backup["pluginConfiguration"] = {"name": "barman-cloud.cloudnative-pg.io"}


@case(
    "scheduledbackup-cluster-without-backup",
    "in-tree-backup",
    rules=("B13", "E5"),
    deny=(
        f"{SB}: spec.method: barmanObjectStore, but {CL} has no spec.backup.barmanObjectStore",
        f"{S3_ES}: spec.target.name: {CL} reads no Secret 'wildside-pg-s3-credentials' (not "
        "as app, superuser, managed role or backup credentials), so the fetched credentials "
        "would be ignored",
    ),
)
def _(tree: Tree) -> None:
    del spec(tree, "Cluster")["backup"]


PLUGIN = "barman-cloud.cloudnative-pg.io"


@case(
    "objectstore-retention-zero",
    "plugin-backup",
    rules=("B6",),
    deny=(
        f"{OS}: spec.retentionPolicy: expected ^[1-9][0-9]*[dwm]$ such as 30d, 4w or 3m, got '0d'",
    ),
)
def _(tree: Tree) -> None:
    spec(tree, "ObjectStore")["retentionPolicy"] = "0d"


@case(
    "objectstore-endpoint-plain-http-and-bad-compression",
    "plugin-backup",
    rules=("B2", "B7"),
    deny=(
        f"{OS}: spec.configuration.endpointURL: expected an https:// URL (backups and keys "
        "would cross the network in clear), got 'http://minio.example.com'",
        f"{OS}: spec.configuration.wal.compression: expected one of bzip2, gzip, lz4, snappy, "
        "xz, zstd, got 'brotli'",
    ),
)
def _(tree: Tree) -> None:
    configuration = spec(tree, "ObjectStore")["configuration"]
    configuration["endpointURL"] = "http://minio.example.com"
    configuration["wal"]["compression"] = "brotli"


@case(
    "objectstore-credentials-key-not-supplied",
    "plugin-backup",
    rules=("B3", "B4"),
    deny=(
        f"{OS}: spec.configuration.s3Credentials.accessKeyId: {S3_ES} supplies Secret "
        "'wildside-pg-s3-credentials' without the key 'KEY_ID'",
        f"{OS}: spec.configuration.s3Credentials.secretAccessKey.name: not set",
    ),
)
def _(tree: Tree) -> None:
    credentials = spec(tree, "ObjectStore")["configuration"]["s3Credentials"]
    credentials["accessKeyId"]["key"] = "KEY_ID"
    del credentials["secretAccessKey"]["name"]


@case(
    "cluster-plugin-object-store-not-in-tree",
    "plugin-backup",
    rules=("B14", "E5"),
    deny=(
        f"{CL}: spec.plugins: {PLUGIN} names ObjectStore 'other-store', which is not in the "
        "tree (namespace 'databases')",
        f"{S3_ES}: spec.target.name: {CL} reads no Secret 'wildside-pg-s3-credentials' (not "
        "as app, superuser, managed role or backup credentials), so the fetched credentials "
        "would be ignored",
    ),
)
def _(tree: Tree) -> None:
    spec(tree, "Cluster")["plugins"][0]["parameters"]["barmanObjectName"] = "other-store"


@case(
    "cluster-plugin-beside-in-tree-barman",
    "in-tree-backup",
    rules=("B14", "B15"),
    deny=(
        f"{CL}: spec.plugins: {PLUGIN} names ObjectStore 'wildside-pg-object-store', which is "
        "not in the tree (namespace 'databases')",
        f"{CL}: spec.plugins: plugin '{PLUGIN}' archives WAL while "
        "spec.backup.barmanObjectStore is set; CloudNativePG accepts only one WAL archiver",
    ),
    warn=(IN_TREE_WARN,),
)
def _(tree: Tree) -> None:
    spec(tree, "Cluster")["plugins"] = [
        {
            "name": PLUGIN,
            "isWALArchiver": True,
            "parameters": {"barmanObjectName": "wildside-pg-object-store"},
        }
    ]


@case(
    "scheduledbackup-plugin-method-without-plugin",
    "plugin-backup",
    rules=("B13",),
    deny=(
        f"{SB}: spec.method: plugin, but {CL} has no plugin in spec.plugins named by "
        "spec.pluginConfiguration.name",
    ),
)
def _(tree: Tree) -> None:
    spec(tree, "ScheduledBackup")["pluginConfiguration"]["name"] = "barman-cloud.example.com"


# --- Credentials ---------------------------------------------------------------------


@case(
    "externalsecret-v1beta1",
    "eso-backup",
    rules=("E1",),
    deny=(
        f"{APP_ES}: apiVersion: expected external-secrets.io/v1 (older versions are no longer "
        "served), got 'external-secrets.io/v1beta1'",
    ),
)
def _(tree: Tree) -> None:
    find(tree, "ExternalSecret", "wildside-pg-app-credentials")["apiVersion"] = (
        "external-secrets.io/v1beta1"
    )


@case(
    "externalsecret-store-kind",
    "eso-backup",
    rules=("E2",),
    deny=(
        f"{SU_ES}: spec.secretStoreRef.kind: expected ClusterSecretStore or SecretStore, "
        "got 'Vault'",
        f"{S3_ES}: spec.secretStoreRef.kind: expected ClusterSecretStore or SecretStore, "
        "got <unset>",
    ),
)
def _(tree: Tree) -> None:
    spec(tree, "ExternalSecret", "wildside-pg-superuser-credentials")["secretStoreRef"]["kind"] = (
        "Vault"
    )
    del spec(tree, "ExternalSecret", "wildside-pg-s3-credentials")["secretStoreRef"]["kind"]


@case(
    "externalsecret-store-name-unset",
    "eso-backup",
    rules=("E3",),
    deny=(f"{APP_ES}: spec.secretStoreRef.name: not set",),
)
def _(tree: Tree) -> None:
    del spec(tree, "ExternalSecret", "wildside-pg-app-credentials")["secretStoreRef"]["name"]


@case(
    "externalsecret-credentials-not-basic-auth",
    "eso-backup",
    rules=("E4",),
    deny=(
        f"{APP_ES}: spec.target.template.type: {CL} reads it as "
        "spec.bootstrap.initdb.secret.name, so it must be kubernetes.io/basic-auth, "
        "got <unset>",
        f"{SU_ES}: spec.target.template.type: {CL} reads it as spec.superuserSecret.name, "
        "so it must be kubernetes.io/basic-auth, got 'Opaque'",
    ),
)
def _(tree: Tree) -> None:
    del spec(tree, "ExternalSecret", "wildside-pg-app-credentials")["target"]["template"]
    template = spec(tree, "ExternalSecret", "wildside-pg-superuser-credentials")["target"][
        "template"
    ]
    template["type"] = "Opaque"


@case(
    "secret-credentials-not-basic-auth",
    "defaults",
    rules=("E4",),
    deny=(
        "Secret/databases/app-credentials: type: Cluster/databases/wildside-pg reads it as "
        "spec.bootstrap.initdb.secret.name, so it must be kubernetes.io/basic-auth, "
        "got 'Opaque'",
    ),
)
def _(tree: Tree) -> None:
    spec(tree, "Cluster")["bootstrap"]["initdb"]["secret"] = {"name": "app-credentials"}
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "app-credentials", "namespace": "databases"},
        "type": "Opaque",
    }
    add_file(tree, beside(tree, "Cluster", "app-credentials-secret.yaml"), [secret])


@case(
    "externalsecret-not-read-by-cluster",
    "eso-backup",
    rules=("E5",),
    deny=(
        f"{APP_ES}: spec.target.name: {CL} reads no Secret 'wildside-pg-app-credentials' (not as "
        "app, superuser, managed role or backup credentials), so the fetched credentials would "
        "be ignored",
    ),
)
def _(tree: Tree) -> None:
    del spec(tree, "Cluster")["bootstrap"]["initdb"]["secret"]


@case(
    "secret-plaintext-unacknowledged",
    "inline-keys",
    rules=("E6",),
    deny=(
        "Secret/databases/wildside-pg-s3-credentials: stringData: plaintext credentials in the "
        f"Git tree; use an ExternalSecret, or acknowledge with the annotation {ACK}: 'true'",
    ),
)
def _(tree: Tree) -> None:
    del find(tree, "Secret")["metadata"]["annotations"]


@case(
    "secret-plaintext-data-unacknowledged",
    "defaults",
    rules=("E6", "T1"),
    deny=(
        "Secret/databases/extra: data: plaintext credentials in the Git tree; use an "
        f"ExternalSecret, or acknowledge with the annotation {ACK}: 'true'",
        f"{CLUSTER_KUST}: resources: does not list extra-secret.yaml, a manifest in its directory",
    ),
)
def _(tree: Tree) -> None:
    tree[beside(tree, "Cluster", "extra-secret.yaml")] = [
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "extra", "namespace": "databases"},
            "data": {"token": "c2VjcmV0"},
        }
    ]


@case(
    "secret-plaintext-acknowledged",
    "inline-keys",
    rules=("E7",),
    warn=(
        "Secret/databases/wildside-pg-s3-credentials: stringData: plaintext credentials in "
        f"the Git tree (acknowledged by {ACK}); prefer an ExternalSecret",
    ),
)
def _(tree: Tree) -> None:
    pass


@case(
    "cluster-instances-quoted-text",
    "defaults",
    rules=("C1",),
    deny=(f"{CL}: spec.instances: expected a whole number > 0, got 'th\\\"ree\u00e9'",),
)
def _(tree: Tree) -> None:
    # Quotes, a backslash and a non-ASCII letter must reach the message unchanged.
    spec(tree, "Cluster")["instances"] = 'th\\"ree\u00e9'


# --- Tree ----------------------------------------------------------------------------


@case(
    "kustomization-missing-manifest",
    "custom-budgets",
    rules=("T1",),
    deny=(f"{CLUSTER_KUST}: resources: does not list pdb.yaml, a manifest in its directory",),
)
def _(tree: Tree) -> None:
    tree[kustomization_beside(tree, "PodDisruptionBudget")][0]["resources"].remove("pdb.yaml")


@case(
    "kustomization-unit-entry-missing-flux-kustomizations",
    "defaults",
    rules=("T1",),
    deny=(
        f"{UNIT_KUST}: resources: does not list flux-kustomizations.yaml, a manifest in its "
        "directory",
    ),
)
def _(tree: Tree) -> None:
    tree[UNIT_KUST][0]["resources"].remove("flux-kustomizations.yaml")


@case(
    "kustomization-lists-missing-file",
    "defaults",
    rules=("T2",),
    deny=(
        f"{OPERATOR_LAYER_KUST}: resources: lists ../../sources/missing-repo.yaml, which is not "
        "in the tree",
    ),
)
def _(tree: Tree) -> None:
    layer = tree[kustomization_beside(tree, "HelmRepository")][0]
    layer["resources"].append("../../sources/missing-repo.yaml")


@case(
    "kustomization-component-missing",
    "defaults",
    rules=("T2",),
    deny=(f"{CLUSTER_KUST}: components: lists ../components/ha, which is not in the tree",),
)
def _(tree: Tree) -> None:
    tree[kustomization_beside(tree, "Cluster")][0]["components"] = ["../components/ha"]


@case(
    "kustomization-patch-file-is-accounted-for",
    "defaults",
    rules=("T1",),
    deny=(f"{CLUSTER_KUST}: resources: does not list stray.yaml, a manifest in its directory",),
)
def _(tree: Tree) -> None:
    # A patch file the kustomization applies is not an unlisted manifest; a stray one is.
    kustomization = tree[kustomization_beside(tree, "Cluster")][0]
    target = {"kind": "Cluster", "name": "wildside-pg"}
    kustomization["patches"] = [{"path": "cluster-patch.yaml", "target": target}]
    operations = [{"op": "replace", "path": "/spec/instances", "value": 5}]
    patch, stray = (
        beside(tree, "Cluster", "cluster-patch.yaml"),
        beside(tree, "Cluster", "stray.yaml"),
    )
    tree[patch] = [operations]  # type: ignore[list-item]
    tree[stray] = [{"apiVersion": "v1", "kind": "ConfigMap"}]


# --- Flux --------------------------------------------------------------------------


def _never_pruned(subject: str, loses: str) -> str:
    return (
        f"{subject}: metadata.annotations: expected kustomize.toolkit.fluxcd.io/prune: disabled, "
        f"so that Flux never deletes it (and with it {loses}) when it leaves the tree or its "
        "Kustomization is deleted"
    )


@case(
    "namespace-prunable",
    "defaults",
    rules=("F1",),
    deny=(_never_pruned("Namespace/databases", "every database in it"),),
)
def _(tree: Tree) -> None:
    del find(tree, "Namespace", "databases")["metadata"]["annotations"]


@case(
    "cluster-prunable",
    "defaults",
    rules=("F1",),
    deny=(_never_pruned(CL, "its volumes, and the data on them"),),
)
def _(tree: Tree) -> None:
    annotations = find(tree, "Cluster")["metadata"]["annotations"]
    annotations["kustomize.toolkit.fluxcd.io/prune"] = "enabled"


@case(
    "externalsecret-prunable",
    "eso-backup",
    rules=("F1",),
    deny=(
        _never_pruned(SU_ES, "the Secret it owns, and the credentials the Cluster reads from it"),
    ),
)
def _(tree: Tree) -> None:
    del find(tree, "ExternalSecret", "wildside-pg-superuser-credentials")["metadata"]["annotations"]


def _system_namespace(name: str) -> str:
    return (
        f"Namespace/{name}: the tree must not create (and so own) a Kubernetes or Flux "
        "namespace; use it without a Namespace document"
    )


@case(
    "namespace-kube-system",
    "defaults",
    rules=("F2",),
    deny=(_system_namespace("kube-system"),),
)
def _(tree: Tree) -> None:
    find(tree, "Namespace", "cnpg-system")["metadata"]["name"] = "kube-system"


@case(
    "namespace-flux-system",
    "defaults",
    rules=("F2",),
    deny=(_system_namespace("flux-system"),),
)
def _(tree: Tree) -> None:
    find(tree, "Namespace", "databases")["metadata"]["name"] = "flux-system"


def _cycle(subject: str, target: str) -> str:
    return (
        f"Kustomization/flux-system/{subject}: spec.dependsOn: Kustomization/flux-system/"
        f"{target} leads back to it (a cycle): the Kustomizations of a cycle never become "
        "Ready, and kustomize-controller applies no new commit of their source to any "
        "Kustomization reading it until that one's interval"
    )


@case(
    "flux-depends-on-cycle",
    "defaults",
    rules=("F3",),
    deny=(
        _cycle("cloudnative-pg-operator", "wildside-pg-cluster"),
        _cycle("wildside-pg-cluster", "cloudnative-pg-operator"),
    ),
)
def _(tree: Tree) -> None:
    # The cluster layer waits for the operator layer: the operator may not wait for it.
    operator = find(tree, "Kustomization", "cloudnative-pg-operator")
    operator["spec"]["dependsOn"] = [{"name": "wildside-pg-cluster", "namespace": "flux-system"}]


@case(
    "flux-depends-on-itself",
    "defaults",
    rules=("F3",),
    deny=(_cycle("wildside-pg-cluster", "wildside-pg-cluster"),),
)
def _(tree: Tree) -> None:
    find(tree, "Kustomization", "wildside-pg-cluster")["spec"]["dependsOn"].append(
        {"name": "wildside-pg-cluster"}
    )


# --- Poolers, their budgets, TLS and alerts -------------------------------------

PROD = "pooling-tls-alerts"
POOLER_RW = "Pooler/databases/wildside-pg-pooler-rw"
POOLER_RO = "Pooler/databases/wildside-pg-pooler-ro"
CERT = "Certificate/databases/wildside-pg-server-tls"
RULE = "PrometheusRule/databases/wildside-pg-alerts"


@case(
    "pooler-without-cluster",
    PROD,
    rules=("P1",),
    deny=(f"{POOLER_RW}: spec.cluster.name: not set; expected the Cluster the pooler serves",),
)
def _(tree: Tree) -> None:
    del spec(tree, "Pooler", "wildside-pg-pooler-rw")["cluster"]


@case(
    "pooler-named-like-its-cluster",
    "pooling",
    rules=("P2",),
    deny=(
        "Pooler/databases/wildside-pg: metadata.name: the same as spec.cluster.name; "
        "CloudNativePG refuses a Pooler named like its Cluster",
    ),
)
def _(tree: Tree) -> None:
    find(tree, "Pooler", "wildside-pg-pooler-rw")["metadata"]["name"] = "wildside-pg"


@case(
    "pooler-of-a-cluster-not-in-the-tree",
    PROD,
    rules=("P3",),
    deny=(f"{POOLER_RO}: spec.cluster.name: Cluster/databases/other-pg is not in the tree",),
)
def _(tree: Tree) -> None:
    spec(tree, "Pooler", "wildside-pg-pooler-ro")["cluster"]["name"] = "other-pg"


@case(
    "pooler-read-only-in-front-of-one-instance",
    PROD,
    rules=("P4",),
    deny=(
        f"{POOLER_RO}: spec.type: ro in front of {CL} with 1 instance, whose -ro service has "
        "no endpoints, so every connection through it fails",
    ),
)
def _(tree: Tree) -> None:
    spec(tree, "Cluster")["instances"] = 1


# The Service a Pooler exposes PgBouncer through (spec.serviceTemplate, CloudNativePG 1.30)

OPEN_POOLER_LB = (
    "spec.serviceTemplate: a LoadBalancer Service without loadBalancerSourceRanges, so any "
    "address that can reach the load balancer can reach PgBouncer and through it "
    "PostgreSQL; list the client networks in spec.serviceTemplate.spec.loadBalancerSourceRanges"
)


# Kubernetes' older spelling of loadBalancerSourceRanges, read when the field is empty.
LEGACY_RANGES = "service.beta.kubernetes.io/load-balancer-source-ranges"


def expose_pooler(tree: Tree, name: str, service_spec: dict[str, Any]) -> None:
    """Give a Pooler a serviceTemplate, shaped as CloudNativePG 1.30 reads it."""
    spec(tree, "Pooler", name)["serviceTemplate"] = {
        "metadata": {
            "labels": {"app.kubernetes.io/component": "pooler"},
            "annotations": {"external-dns.alpha.kubernetes.io/hostname": "pgbouncer.example.com"},
        },
        "spec": service_spec,
    }


@case(
    "pooler-load-balancer-without-source-ranges",
    PROD,
    rules=("P5",),
    warn=(f"{POOLER_RW}: {OPEN_POOLER_LB}",),
)
def _(tree: Tree) -> None:
    expose_pooler(
        tree,
        "wildside-pg-pooler-rw",
        {"type": "LoadBalancer", "loadBalancerClass": "service.k8s.aws/nlb"},
    )


@case(
    "pooler-load-balancer-empty-source-ranges",
    PROD,
    rules=("P5",),
    warn=(f"{POOLER_RW}: {OPEN_POOLER_LB}",),
)
def _(tree: Tree) -> None:
    expose_pooler(
        tree, "wildside-pg-pooler-rw", {"type": "LoadBalancer", "loadBalancerSourceRanges": []}
    )


@case(
    "pooler-load-balancer-source-ranges-not-a-list",
    PROD,
    rules=("P5",),
    warn=(f"{POOLER_RO}: {OPEN_POOLER_LB}",),
)
def _(tree: Tree) -> None:
    # A lone string is no list of ranges: Kubernetes would refuse it, the load balancer
    # is not restricted by it.
    expose_pooler(
        tree,
        "wildside-pg-pooler-ro",
        {"type": "LoadBalancer", "loadBalancerSourceRanges": "10.0.0.0/8"},
    )


@case("pooler-load-balancer-with-source-ranges", PROD, rules=(), warn=())
def _(tree: Tree) -> None:
    expose_pooler(
        tree,
        "wildside-pg-pooler-rw",
        {"type": "LoadBalancer", "loadBalancerSourceRanges": ["10.0.0.0/8", "192.0.2.0/24"]},
    )


@case("pooler-load-balancer-restricted-by-the-legacy-annotation", PROD, rules=(), warn=())
def _(tree: Tree) -> None:
    expose_pooler(tree, "wildside-pg-pooler-rw", {"type": "LoadBalancer"})
    template = spec(tree, "Pooler", "wildside-pg-pooler-rw")["serviceTemplate"]
    template["metadata"]["annotations"][LEGACY_RANGES] = "10.0.0.0/8"


@case("pooler-services-not-load-balancers-without-source-ranges", PROD, rules=(), warn=())
def _(tree: Tree) -> None:
    # Source ranges only apply to a load balancer: ClusterIP and NodePort Services say
    # nothing, as the base's Poolers without a serviceTemplate do.
    expose_pooler(tree, "wildside-pg-pooler-rw", {"type": "ClusterIP"})
    expose_pooler(tree, "wildside-pg-pooler-ro", {"type": "NodePort"})


@case("pooler-service-template-without-type", PROD, rules=(), warn=())
def _(tree: Tree) -> None:
    # Without a type the Service is a ClusterIP one, whatever else the template says.
    expose_pooler(tree, "wildside-pg-pooler-ro", {"loadBalancerClass": "service.k8s.aws/nlb"})


@case(
    "pooler-two-poolers-one-open-load-balancer",
    PROD,
    rules=("P5",),
    warn=(f"{POOLER_RO}: {OPEN_POOLER_LB}",),
)
def _(tree: Tree) -> None:
    # The restricted primary's pooler is fine, the replicas' one is not.
    expose_pooler(
        tree,
        "wildside-pg-pooler-rw",
        {"type": "LoadBalancer", "loadBalancerSourceRanges": ["10.0.0.0/8"]},
    )
    expose_pooler(tree, "wildside-pg-pooler-ro", {"type": "LoadBalancer"})


@case(
    "pooler-under-two-budgets",
    PROD,
    rules=("D3",),
    deny=(
        f"{POOLER_RW}: its PgBouncer pods are selected by 2 PodDisruptionBudgets "
        "(PodDisruptionBudget/databases/wildside-pg-all, "
        f"PodDisruptionBudget/databases/wildside-pg-pooler-rw); {EVICTION}",
        f"{POOLER_RO}: its PgBouncer pods are selected by 2 PodDisruptionBudgets "
        "(PodDisruptionBudget/databases/wildside-pg-all, "
        f"PodDisruptionBudget/databases/wildside-pg-pooler-ro); {EVICTION}",
    ),
)
def _(tree: Tree) -> None:
    budget = _extra_budget({"matchLabels": {"cnpg.io/podRole": "pooler"}})
    add_file(tree, beside(tree, "Pooler", "extra-pdb.yaml"), [budget])


@case(
    "pooler-budget-over-instances-too",
    PROD,
    rules=("D1", "D3"),
    deny=(
        f"{CL}: spec.enablePDB: the primary pods are selected by 2 PodDisruptionBudgets "
        "(PodDisruptionBudget/databases/wildside-pg-pooler-rw, the Cluster's built-in budget "
        f"wildside-pg-primary); {EVICTION}",
        f"{CL}: spec.enablePDB: the replica pods are selected by 2 PodDisruptionBudgets "
        "(PodDisruptionBudget/databases/wildside-pg-pooler-rw, the Cluster's built-in budget "
        f"wildside-pg); {EVICTION}",
        f"{POOLER_RO}: its PgBouncer pods are selected by 2 PodDisruptionBudgets "
        "(PodDisruptionBudget/databases/wildside-pg-pooler-ro, "
        f"PodDisruptionBudget/databases/wildside-pg-pooler-rw); {EVICTION}",
    ),
)
def _(tree: Tree) -> None:
    # Selecting by cluster alone takes in the instances (and the other Pooler's pods).
    spec(tree, "PodDisruptionBudget", "wildside-pg-pooler-rw")["selector"] = {
        "matchLabels": {"cnpg.io/cluster": "wildside-pg"}
    }


@case(
    "pooler-budget-allowing-no-eviction",
    PROD,
    rules=("D4",),
    deny=(
        "PodDisruptionBudget/databases/wildside-pg-pooler-rw: spec: lets none of the 2 "
        f"PgBouncer pods of {POOLER_RW} be evicted, so every drain of their nodes blocks; "
        "expected maxUnavailable: 1",
    ),
)
def _(tree: Tree) -> None:
    budget = spec(tree, "PodDisruptionBudget", "wildside-pg-pooler-rw")
    del budget["maxUnavailable"]
    budget["minAvailable"] = 2


def _certificates(tree: Tree) -> dict[str, Any]:
    result: dict[str, Any] = spec(tree, "Cluster")["certificates"]
    return result


@case(
    "tls-server-secret-without-ca",
    PROD,
    rules=("L1",),
    deny=(
        f"{CL}: spec.certificates.serverCASecret: not set while serverTLSSecret is; "
        "CloudNativePG refuses a server certificate without the CA that verifies it",
    ),
)
def _(tree: Tree) -> None:
    del _certificates(tree)["serverCASecret"]


@case(
    "tls-server-secret-with-alt-names",
    PROD,
    rules=("L2",),
    deny=(
        f"{CL}: spec.certificates.serverAltDNSNames: set with serverTLSSecret; CloudNativePG "
        "refuses them together (the names belong in the certificate)",
    ),
)
def _(tree: Tree) -> None:
    _certificates(tree)["serverAltDNSNames"] = ["db.example.com"]


@case(
    "tls-replication-secret-without-client-ca",
    PROD,
    rules=("L3",),
    deny=(
        f"{CL}: spec.certificates.clientCASecret: not set while replicationTLSSecret is; "
        "CloudNativePG refuses a replication certificate without its client CA",
    ),
)
def _(tree: Tree) -> None:
    _certificates(tree)["replicationTLSSecret"] = "wildside-pg-replication-tls"


@case(
    "tls-certificate-missing-a-pooler-name",
    PROD,
    rules=("L4",),
    deny=(
        f"{CERT}: spec.dnsNames: does not name 'wildside-pg-pooler-ro.databases', by which "
        f"clients of {CL} reach it; clients that verify the server's name "
        "(sslmode=verify-full) would refuse it",
    ),
)
def _(tree: Tree) -> None:
    spec(tree, "Certificate")["dnsNames"].remove("wildside-pg-pooler-ro.databases")


@case("tls-certificate-without-a-default-service-turned-off", PROD, rules=(), warn=())
def _(tree: Tree) -> None:
    # -ro turned off: CNPG makes no such Service, and the certificate need not name it.
    spec(tree, "Cluster")["managed"] = {"services": {"disabledDefaultServices": ["ro"]}}
    names = spec(tree, "Certificate")["dnsNames"]
    names[:] = [name for name in names if not name.startswith("wildside-pg-ro")]


@case(
    "tls-certificate-missing-an-additional-service",
    PROD,
    rules=("L4",),
    deny=tuple(
        f"{CERT}: spec.dnsNames: does not name '{name}', by which clients of {CL} reach it; "
        "clients that verify the server's name (sslmode=verify-full) would refuse it"
        for name in ("wildside-pg-public", "wildside-pg-public.databases")
    ),
)
def _(tree: Tree) -> None:
    additional = {
        "selectorType": "rw",
        "serviceTemplate": {"metadata": {"name": "wildside-pg-public"}, "spec": {}},
    }
    spec(tree, "Cluster")["managed"] = {"services": {"additional": [additional]}}
    spec(tree, "Certificate")["dnsNames"].append("wildside-pg-public.databases.svc")


@case(
    "tls-certificate-without-server-auth",
    PROD,
    rules=("L5",),
    deny=(
        f"{CERT}: spec.usages: no 'server auth', but {CL} serves it and CloudNativePG "
        "verifies it for server authentication",
    ),
)
def _(tree: Tree) -> None:
    spec(tree, "Certificate")["usages"] = ["client auth"]


@case(
    "tls-certificate-prunable",
    PROD,
    rules=("F1",),
    deny=(_never_pruned(CERT, "the renewal of the Secret the instances serve TLS with"),),
)
def _(tree: Tree) -> None:
    del find(tree, "Certificate")["metadata"]["annotations"]


def _alert(tree: Tree, name: str) -> dict[str, Any]:
    rules = spec(tree, "PrometheusRule")["groups"][0]["rules"]
    found: dict[str, Any] = next(rule for rule in rules if rule["alert"] == name)
    return found


@case(
    "alert-without-description",
    PROD,
    rules=("M1",),
    deny=(
        f"{RULE}: spec.groups[0].rules[0].annotations.description: not set for alert "
        "CNPGClusterNoPrimary; the on-call reads what happened and what to check there",
    ),
)
def _(tree: Tree) -> None:
    del _alert(tree, "CNPGClusterNoPrimary")["annotations"]["description"]


@case(
    "alert-with-unknown-severity",
    PROD,
    rules=("M2",),
    deny=(
        f"{RULE}: spec.groups[0].rules[2].labels.severity: expected critical, warning or info "
        "for alert CNPGClusterReplicationLag (routing depends on it), got 'page'",
    ),
)
def _(tree: Tree) -> None:
    _alert(tree, "CNPGClusterReplicationLag")["labels"]["severity"] = "page"


# --- Recovery and in-tree Barman Cloud ----------------------------------------------

RECOVERY_STORE = "ObjectStore/databases/wildside-pg-recovery-source"
IN_TREE_SOURCE_WARN = (
    f"{CL}: spec.externalClusters[0].barmanObjectStore: in-tree Barman Cloud is removed in "
    "CloudNativePG 1.31 (the 1.30 release notes); move to the Barman Cloud plugin (an "
    "ObjectStore, and spec.plugins or an externalClusters plugin entry) before upgrading the "
    "operator"
)


@case("in-tree-barman-backups", "in-tree-backup", rules=("B16",), warn=(IN_TREE_WARN,))
def _(tree: Tree) -> None:
    pass


@case(
    "in-tree-barman-recovery-source",
    "recovery-in-tree",
    rules=("B16", "B1"),
    deny=(
        f"{CL}: spec.externalClusters[0].barmanObjectStore.destinationPath: not set; expected "
        "the object store destination such as s3://bucket/path",
    ),
    warn=(IN_TREE_SOURCE_WARN,),
)
def _(tree: Tree) -> None:
    del spec(tree, "Cluster")["externalClusters"][0]["barmanObjectStore"]["destinationPath"]


@case(
    "recovery-source-not-an-external-cluster",
    "recovery-plugin",
    rules=("B17", "E5"),
    deny=(
        f"{CL}: spec.bootstrap.recovery.source: 'origin' is not an entry of spec.externalClusters",
        "ExternalSecret/databases/wildside-pg-recovery-s3-credentials: spec.target.name: "
        f"{CL} reads no Secret 'wildside-pg-recovery-s3-credentials' (not as app, superuser, "
        "managed role or backup credentials), so the fetched credentials would be ignored",
    ),
)
def _(tree: Tree) -> None:
    spec(tree, "Cluster")["externalClusters"] = []
    spec(tree, "Cluster")["bootstrap"]["recovery"]["source"] = "origin"


@case(
    "recovery-two-targets",
    "recovery-plugin",
    rules=("B18",),
    deny=(
        f"{CL}: spec.bootstrap.recovery.recoveryTarget: at most one of targetTime, targetLSN, "
        "targetXID, targetName and targetImmediate, got targetTime, targetName",
    ),
)
def _(tree: Tree) -> None:
    target = spec(tree, "Cluster")["bootstrap"]["recovery"]["recoveryTarget"]
    target["targetTime"] = "2026-08-01T09:30:00Z"


@case(
    "recovery-named-target-without-backup",
    "recovery-plugin",
    rules=("B19",),
    deny=(
        f"{CL}: spec.bootstrap.recovery.recoveryTarget.backupID: not set; a targetName "
        "target needs the base backup named",
    ),
)
def _(tree: Tree) -> None:
    del spec(tree, "Cluster")["bootstrap"]["recovery"]["recoveryTarget"]["backupID"]


@case(
    "recovery-plugin-store-not-in-tree",
    "recovery-plugin",
    rules=("B20", "E5"),
    deny=(
        f"{CL}: spec.externalClusters[0].plugin: {PLUGIN} names ObjectStore 'old-store', which "
        "is not in the tree (namespace 'databases')",
        "ExternalSecret/databases/wildside-pg-recovery-s3-credentials: spec.target.name: "
        f"{CL} reads no Secret 'wildside-pg-recovery-s3-credentials' (not as app, superuser, "
        "managed role or backup credentials), so the fetched credentials would be ignored",
    ),
)
def _(tree: Tree) -> None:
    entry = spec(tree, "Cluster")["externalClusters"][0]
    entry["plugin"]["parameters"]["barmanObjectName"] = "old-store"


@case(
    "objectstore-server-name",
    "recovery-plugin",
    rules=("B21",),
    deny=(
        f"{RECOVERY_STORE}: spec.configuration.serverName: set; the server name is the plugin's "
        "serverName parameter on the Cluster (spec.plugins or spec.externalClusters)",
    ),
)
def _(tree: Tree) -> None:
    spec(tree, "ObjectStore", "wildside-pg-recovery-source")["configuration"]["serverName"] = "x"


@case(
    "cluster-requests-below-limits",
    "defaults",
    rules=("C12",),
    warn=(
        f"{CL}: spec.resources.requests.cpu: '500m' differs from the limit '1', so the instance "
        "pods are not Guaranteed QoS and the OOM killer may take the postmaster first; set "
        "requests equal to limits",
        f"{CL}: spec.resources.requests.memory: '1Gi' differs from the limit '2Gi', so the "
        "instance pods are not Guaranteed QoS and the OOM killer may take the postmaster first; "
        "set requests equal to limits",
    ),
)
def _(tree: Tree) -> None:
    spec(tree, "Cluster")["resources"]["requests"] = {"cpu": "500m", "memory": "1Gi"}


@case("cluster-requests-equal-limits-in-other-units", "defaults", rules=(), warn=())
def _(tree: Tree) -> None:
    # 1000m is 1 CPU and 2048Mi is 2Gi: Guaranteed, so nothing to say.
    spec(tree, "Cluster")["resources"]["requests"] = {"cpu": "1000m", "memory": "2048Mi"}


@case(
    "plugin-sidecar-without-resources",
    "plugin-backup",
    rules=("C13",),
    warn=(
        f"{OS}: spec.instanceSidecarConfiguration.resources.limits.cpu: not set, so the Barman "
        f"Cloud plugin's sidecar keeps the pods of {CL} out of Guaranteed QoS; set its requests "
        "equal to its limits",
        f"{OS}: spec.instanceSidecarConfiguration.resources.limits.memory: not set, so the "
        f"Barman Cloud plugin's sidecar keeps the pods of {CL} out of Guaranteed QoS; set its "
        "requests equal to its limits",
    ),
)
def _(tree: Tree) -> None:
    del spec(tree, "ObjectStore")["instanceSidecarConfiguration"]["resources"]


@case(
    "plugin-sidecar-requests-below-limits",
    "plugin-backup",
    rules=("C14",),
    warn=(
        f"{OS}: spec.instanceSidecarConfiguration.resources.requests.memory: '128Mi' differs "
        "from the limit '512Mi', so the Barman Cloud plugin's sidecar keeps the pods of "
        f"{CL} out of Guaranteed QoS; set its requests equal to its limits",
    ),
)
def _(tree: Tree) -> None:
    sidecar = spec(tree, "ObjectStore")["instanceSidecarConfiguration"]
    sidecar["resources"]["requests"]["memory"] = "128Mi"


# --- Production features: superuser, synchronous replication, environment, WAL, pg_hba


@case(
    "cluster-superuser-access-on",
    "defaults",
    rules=("C15",),
    warn=(
        f"{CL}: spec.enableSuperuserAccess: true lets the postgres superuser log in with a "
        "password over the network; CloudNativePG's default is false (administer with managed "
        "roles, or kubectl cnpg psql)",
    ),
)
def _(tree: Tree) -> None:
    assert spec(tree, "Cluster")["enableSuperuserAccess"] is True


@case(
    "cluster-synchronous-as-many-as-instances",
    "two-instances",
    rules=("C16",),
    deny=(
        f"{CL}: spec.postgresql.synchronous.number: expected less than 2 (the instances and "
        "the listed standby names), got 2; CloudNativePG's webhook refuses the Cluster",
    ),
)
def _(tree: Tree) -> None:
    spec(tree, "Cluster")["postgresql"] = {"synchronous": {"method": "any", "number": 2}}


@case(
    "cluster-env-reserved",
    "defaults",
    rules=("C17",),
    deny=(
        f"{CL}: spec.env: 'PGDATA' is reserved by CloudNativePG (CNPG_*, PG*, POD_NAME, "
        "NAMESPACE, CLUSTER_NAME); its webhook refuses the Cluster",
        f"{CL}: spec.env: 'pod_name' is reserved by CloudNativePG (CNPG_*, PG*, POD_NAME, "
        "NAMESPACE, CLUSTER_NAME); its webhook refuses the Cluster",
    ),
)
def _(tree: Tree) -> None:
    spec(tree, "Cluster")["env"] = [
        {"name": "TZ", "value": "UTC"},
        {"name": "PGDATA", "value": "/tmp"},
        {"name": "pod_name", "value": "x"},
    ]


@case(
    "cluster-wal-storage-without-size",
    "defaults",
    rules=("C18",),
    deny=(
        f"{CL}: spec.walStorage.size: not set; a WAL volume needs its size (it can grow, "
        "never shrink)",
    ),
)
def _(tree: Tree) -> None:
    spec(tree, "Cluster")["walStorage"] = {"storageClass": "fast"}


@case(
    "cluster-pg-hba-trust-over-network",
    "defaults",
    rules=("C19",),
    warn=(
        f"{CL}: spec.postgresql.pg_hba: 'hostssl all all 0.0.0.0/0 trust' admits clients "
        "over the network without a password (trust)",
    ),
)
def _(tree: Tree) -> None:
    spec(tree, "Cluster")["postgresql"] = {
        "pg_hba": ["local all all trust", "hostssl all all 0.0.0.0/0 trust"]
    }


# --- Services the Cluster adds (spec.managed.services.additional, CloudNativePG 1.30)

OPEN_LB = (
    "a LoadBalancer Service without loadBalancerSourceRanges, so any address that can reach "
    "the load balancer can reach PostgreSQL; list the client networks in "
    "serviceTemplate.spec.loadBalancerSourceRanges"
)


def service(name: str, service_spec: dict[str, Any], selector: str = "rw") -> dict[str, Any]:
    """An entry of spec.managed.services.additional, shaped as CloudNativePG 1.30 reads it."""
    return {
        "selectorType": selector,
        "updateStrategy": "patch",
        "serviceTemplate": {
            "metadata": {
                "name": name,
                "labels": {"app.kubernetes.io/component": "database"},
                "annotations": {"external-dns.alpha.kubernetes.io/hostname": "pg.example.com"},
            },
            "spec": service_spec,
        },
    }


def add_services(tree: Tree, *services: dict[str, Any]) -> None:
    managed = spec(tree, "Cluster").setdefault("managed", {})
    managed["services"] = {"disabledDefaultServices": ["ro"], "additional": list(services)}


@case(
    "cluster-load-balancer-without-source-ranges",
    "defaults",
    rules=("C20",),
    warn=(f"{CL}: spec.managed.services.additional[0] ('wildside-pg-public'): {OPEN_LB}",),
)
def _(tree: Tree) -> None:
    add_services(
        tree,
        service(
            "wildside-pg-public",
            {"type": "LoadBalancer", "loadBalancerClass": "service.k8s.aws/nlb"},
        ),
    )


@case(
    "cluster-load-balancer-empty-source-ranges",
    "defaults",
    rules=("C20",),
    warn=(f"{CL}: spec.managed.services.additional[0] ('wildside-pg-public'): {OPEN_LB}",),
)
def _(tree: Tree) -> None:
    add_services(
        tree,
        service("wildside-pg-public", {"type": "LoadBalancer", "loadBalancerSourceRanges": []}),
    )


@case("cluster-load-balancer-with-source-ranges", "defaults", rules=(), warn=())
def _(tree: Tree) -> None:
    add_services(
        tree,
        service(
            "wildside-pg-public",
            {"type": "LoadBalancer", "loadBalancerSourceRanges": ["10.0.0.0/8", "192.0.2.0/24"]},
        ),
    )


@case("cluster-load-balancer-restricted-by-the-legacy-annotation", "defaults", rules=(), warn=())
def _(tree: Tree) -> None:
    # Kubernetes reads the annotation when the field is empty.
    entry = service("wildside-pg-public", {"type": "LoadBalancer"})
    entry["serviceTemplate"]["metadata"]["annotations"][LEGACY_RANGES] = "10.0.0.0/8,192.0.2.0/24"
    add_services(tree, entry)


@case(
    "cluster-load-balancer-blank-legacy-annotation",
    "defaults",
    rules=("C20",),
    warn=(f"{CL}: spec.managed.services.additional[0] ('wildside-pg-public'): {OPEN_LB}",),
)
def _(tree: Tree) -> None:
    # A blank list restricts nothing: the load balancer's default is every address.
    entry = service("wildside-pg-public", {"type": "LoadBalancer"})
    entry["serviceTemplate"]["metadata"]["annotations"][LEGACY_RANGES] = " "
    add_services(tree, entry)


@case("cluster-services-not-load-balancers-without-source-ranges", "defaults", rules=(), warn=())
def _(tree: Tree) -> None:
    # Source ranges only apply to a load balancer: ClusterIP (also the default type) and
    # NodePort Services without them say nothing.
    add_services(
        tree,
        service("wildside-pg-internal", {"type": "ClusterIP"}),
        service("wildside-pg-node", {"type": "NodePort"}, selector="ro"),
        service("wildside-pg-default", {}, selector="r"),
    )


@case(
    "cluster-two-services-one-open-load-balancer",
    "databases",
    rules=("C20",),
    warn=(f"{CL}: spec.managed.services.additional[1] ('wildside-pg-replicas'): {OPEN_LB}",),
)
def _(tree: Tree) -> None:
    # Beside the managed roles of the base: the restricted primary's Service is fine, the
    # replicas' one is not.
    add_services(
        tree,
        service(
            "wildside-pg-public",
            {"type": "LoadBalancer", "loadBalancerSourceRanges": ["10.0.0.0/8"]},
        ),
        service("wildside-pg-replicas", {"type": "LoadBalancer"}, selector="ro"),
    )


# --- Database resources and managed roles ------------------------------------------

GEO_DB = "Database/databases/wildside-pg-geo"
GEO_ES = "ExternalSecret/databases/wildside-pg-role-geo-owner"


@case(
    "database-cluster-not-in-tree",
    "databases",
    rules=("R1",),
    deny=(f"{GEO_DB}: spec.cluster.name: Cluster/databases/other-pg is not in the tree",),
)
def _(tree: Tree) -> None:
    spec(tree, "Database", "wildside-pg-geo")["cluster"]["name"] = "other-pg"


@case(
    "database-owner-unknown",
    "databases",
    rules=("R2",),
    deny=(
        f"{GEO_DB}: spec.owner: 'tiles_owner' is neither the owner Cluster/databases/"
        "wildside-pg creates at bootstrap nor one of its managed roles (spec.managed.roles), "
        "so CloudNativePG cannot create the database",
    ),
)
def _(tree: Tree) -> None:
    spec(tree, "Database", "wildside-pg-geo")["owner"] = "tiles_owner"


@case(
    "database-managed-twice",
    "databases",
    rules=("R3",),
    deny=(
        "Database/databases/geo-copy: spec.name: 'geo' is also managed by "
        f"{GEO_DB}; CloudNativePG reconciles only one Database object per database",
    ),
)
def _(tree: Tree) -> None:
    copy = yaml.safe_load(yaml.safe_dump(find(tree, "Database", "wildside-pg-geo")))
    copy["metadata"]["name"] = "geo-copy"
    tree[file_of_database(tree)].append(copy)


@case(
    "database-reclaim-delete",
    "databases",
    rules=("R4",),
    warn=(
        f"{GEO_DB}: spec.databaseReclaimPolicy: delete drops the database and its data when "
        "the object is deleted (or Flux prunes it); retain leaves it in PostgreSQL",
    ),
)
def _(tree: Tree) -> None:
    spec(tree, "Database", "wildside-pg-geo")["databaseReclaimPolicy"] = "delete"


@case(
    "role-secret-outside-tree",
    "databases",
    rules=("R5", "E5"),
    deny=(
        f"{GEO_ES}: spec.target.name: {CL} reads no Secret 'wildside-pg-role-geo-owner' (not "
        "as app, superuser, managed role or backup credentials), so the fetched credentials "
        "would be ignored",
    ),
    warn=(
        f"{CL}: spec.managed.roles: role 'geo_owner' reads Secret 'geo-owner-password', which "
        "is not in the tree; it must exist in namespace 'databases' with the role's username "
        "and password",
    ),
)
def _(tree: Tree) -> None:
    [role] = spec(tree, "Cluster")["managed"]["roles"]
    role["passwordSecret"]["name"] = "geo-owner-password"


@case(
    "role-secret-not-basic-auth",
    "databases",
    rules=("E4",),
    deny=(
        f"{GEO_ES}: spec.target.template.type: {CL} reads it as "
        "spec.managed.roles.passwordSecret.name, so it must be kubernetes.io/basic-auth, got "
        "'Opaque'",
    ),
)
def _(tree: Tree) -> None:
    spec(tree, "ExternalSecret", "wildside-pg-role-geo-owner")["target"]["template"]["type"] = (
        "Opaque"
    )


def file_of_database(tree: Tree) -> str:
    return file_of(tree, "Database")


BY_NAME = {item.name: item for item in CASES}
RULES = sorted({rule for item in CASES for rule in item.rules})
