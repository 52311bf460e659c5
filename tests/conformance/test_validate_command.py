"""`wildside-cnpg validate [--crds DIR] [TREE_DIR]`: exit codes and messages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests import layout
from wildside_cnpg import Inputs, Module
from wildside_cnpg.cli import main
from wildside_cnpg.validation import shipped_crds_directory

from .tools import write_tree

IGNORED = (
    "; 6 document(s) that are not Kubernetes objects (kustomization.yaml and the like) ignored"
)
DEFAULT_SUMMARY = (
    "7 documents checked against 19 CRD versions and Kubernetes 1.34, 1.35, 1.36: "
    "0 problem(s); CEL rules: 7 evaluated, 0 skipped" + IGNORED
)
BACKUP = [
    "--set", "backup_enabled=true",
    "--set", "backup_destination_path=s3://wildside-backups/pg",
    "--set", "backup_endpoint_url=https://nyc3.digitaloceanspaces.com",
    "--set", "backup_s3_credentials_secret_name=wildside-s3",
]  # fmt: skip


def test_rendered_defaults_are_valid(crds_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--crds", str(crds_dir)]) == 0
    assert capsys.readouterr().out.splitlines() == [DEFAULT_SUMMARY]


def test_rules_lists_evaluated_and_skipped_rules(
    crds_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "--crds", str(crds_dir), "--rules", *BACKUP]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert (
        f"rule evaluated: {layout.cluster_file()}: Cluster "
        "databases/wildside-pg: $.spec: !(has(self.imageCatalogRef) && has(self.imageName))"
    ) in lines
    assert [line for line in lines if line.startswith("rule skipped:")] == [
        f"rule skipped: {layout.cluster_layer('scheduled-backup.yaml')}: ScheduledBackup "
        "databases/wildside-pg-backup: $.spec.cluster: self == oldSelf (transition rule: "
        "compares with oldSelf, not evaluated when an object is created)"
    ]
    # With the plugin (the default backup method): its HelmRelease and the ObjectStore,
    # whose CRD refuses a serverName in its configuration (a rule evaluated here).
    assert (
        f"rule evaluated: {layout.cluster_layer('object-store.yaml')}: ObjectStore "
        "databases/wildside-pg-object-store: $.spec.configuration: !has(self.serverName)"
    ) in lines
    assert lines[-1] == (
        "10 documents checked against 19 CRD versions and Kubernetes 1.34, 1.35, 1.36: "
        "0 problem(s); CEL rules: 11 evaluated, 1 skipped" + IGNORED
    )


def test_tree_on_disk_with_a_typo_is_invalid(
    crds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(tmp_path, Module(Inputs()).render())
    cluster = tmp_path / layout.cluster_file()
    cluster.write_text(cluster.read_text().replace("storageClass:", "storageClas:"))

    assert main(["validate", "--crds", str(crds_dir), str(tmp_path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        f"invalid: {layout.cluster_file()}: Cluster databases/wildside-pg: "
        "$.spec.storage.storageClas: unknown field (the API server would drop it) "
        f"[Cluster.postgresql.cnpg.io/v1 from {crds_dir}/postgresql.cnpg.io_clusters.yaml]"
    )
    assert lines[1].endswith(": 1 problem(s); CEL rules: 7 evaluated, 0 skipped" + IGNORED)


def test_kind_without_schema_or_api_version_is_invalid(
    crds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "widget.yaml").write_text(
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n"
        "---\nkind: Namespace\nmetadata:\n  name: n\n"
    )
    # Not Kubernetes objects, or hidden: ignored.
    (tmp_path / "inputs.yaml").write_text("instances: 3\n")
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yaml").write_text("kind: Widget\n")

    assert main(["validate", "--crds", str(crds_dir), str(tmp_path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "invalid: widget.yaml: Widget w: $: no schema for example.com/v1 Widget: not in the "
        "CRDs nor a core kind with shipped Kubernetes 1.34/1.35/1.36 schemas",
        "invalid: widget.yaml[1]: Namespace n: $: apiVersion and kind are required",
        "2 documents checked against 19 CRD versions and Kubernetes 1.34, 1.35, 1.36: "
        "2 problem(s); CEL rules: 0 evaluated, 0 skipped; 1 document(s) that are not "
        "Kubernetes objects (kustomization.yaml and the like) ignored",
    ]


def test_multi_document_crd_files_load(
    crds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vendored = tmp_path / "crds"
    vendored.mkdir()
    names = ["postgresql.cnpg.io_clusters.yaml", "helm.toolkit.fluxcd.io_helmreleases.yaml"]
    bundle = "---\n".join((crds_dir / name).read_text() for name in names)
    (vendored / "bundle.yaml").write_text(bundle + "---\napiVersion: v1\nkind: ConfigMap\n")
    (vendored / "README.md").write_text("not a CRD")

    assert main(["validate", "--crds", str(vendored)]) == 1
    lines = capsys.readouterr().out.splitlines()
    missing = sorted(line.split(": $: ")[1] for line in lines if line.startswith("invalid:"))
    assert missing == [
        "no schema for kustomize.toolkit.fluxcd.io/v1 Kustomization: not in the CRDs nor a "
        "core kind with shipped Kubernetes 1.34/1.35/1.36 schemas",
    ] * 2 + [
        "no schema for source.toolkit.fluxcd.io/v1 HelmRepository: not in the CRDs nor a "
        "core kind with shipped Kubernetes 1.34/1.35/1.36 schemas",
    ]
    assert lines[-1] == (
        "7 documents checked against 2 CRD versions and Kubernetes 1.34, 1.35, 1.36: "
        "3 problem(s); CEL rules: 7 evaluated, 0 skipped" + IGNORED
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--crds", "/nonexistent"], "error: --crds /nonexistent: not a directory"),
        (["--crds", "{empty}"], "error: --crds {empty}: no CustomResourceDefinition found"),
        (["--crds", "{crds}", "{empty}", "--set", "instances=2"],
         "error: validate: give TREE_DIR or inputs (--inputs/--set), not both"),
        (["--crds", "{crds}", "--kubernetes-version", "1.20"],
         "error: --kubernetes-version: expected one of 1.34, 1.35, 1.36 (the versions whose "
         "schemas are shipped), got '1.20'"),
        (["--crds", "{crds}", "--set", "instances=0"],
         "error: instances: expected a whole number from 1 to 9223372036854775807, got 0"),
    ],
)  # fmt: skip
def test_bad_usage_exits_2(
    argv: list[str],
    message: str,
    crds_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def fill(text: str) -> str:
        return text.format(crds=crds_dir, empty=tmp_path)

    assert main(["validate", *map(fill, argv)]) == 2
    assert capsys.readouterr().err.splitlines() == [fill(message)]


def test_without_crds_the_shipped_crds_are_used(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", *BACKUP, "--set", "backup_method=barman_cloud_plugin",
                 "--set", "image_name=ghcr.io/cloudnative-pg/postgis:17-3.6-standard-trixie",
                 "--set", "monitoring_enabled=true"]) == 0  # fmt: skip
    assert capsys.readouterr().out.splitlines() == [
        "12 documents checked against 23 CRD versions and Kubernetes 1.34, 1.35, 1.36: "
        "0 problem(s); CEL rules: 11 evaluated, 1 skipped; 7 document(s) that are not "
        "Kubernetes objects (kustomization.yaml and the like) ignored"
    ]


def test_shipped_crds_name_their_package_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    module = Module(Inputs())
    write_tree(tmp_path, module.render())
    cluster = tmp_path / "platform/databases/clusters/wildside-pg/cluster/cluster.yaml"
    cluster.write_text(cluster.read_text().replace("storageClass:", "storageClas:"))
    assert main(["validate", str(tmp_path)]) == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        "invalid: platform/databases/clusters/wildside-pg/cluster/cluster.yaml: Cluster "
        "databases/wildside-pg: "
        "$.spec.storage.storageClas: unknown field (the API server would drop it) "
        "[Cluster.postgresql.cnpg.io/v1 from "
        "wildside_cnpg/data/crds/postgresql.cnpg.io_clusters.yaml]"
    )


def test_shipped_crds_agree_with_the_test_data(crds_dir: Path) -> None:
    """The CRDs the package ships and those the tests use (tests/data/crds) are the same
    upstream files wherever both have one."""
    shipped = shipped_crds_directory()
    common = sorted(
        {p.name for p in crds_dir.glob("*.yaml")} & {p.name for p in shipped.glob("*.yaml")}
    )
    assert len(common) == 19
    for name in common:
        assert (shipped / name).read_bytes() == (crds_dir / name).read_bytes(), name


def test_same_crd_in_two_files_is_refused(
    crds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("a.yaml", "b.yaml"):
        shutil.copy(crds_dir / "postgresql.cnpg.io_clusters.yaml", tmp_path / name)
    assert main(["validate", "--crds", str(tmp_path)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"error: --crds: Cluster postgresql.cnpg.io/v1 is defined twice: "
        f"{tmp_path}/a.yaml and {tmp_path}/b.yaml"
    ]
