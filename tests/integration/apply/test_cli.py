"""`wildside-cnpg apply` end to end: options, output and exit codes on the real server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from kube_harness import ControlPlane, on_cluster, suffix
from lightkube import Client
from lightkube.resources.core_v1 import ConfigMap, Namespace, Secret
from lightkube.resources.policy_v1 import PodDisruptionBudget
from lightkube.types import PatchType

from wildside_cnpg.apply.kube import Resources
from wildside_cnpg.cli import main


def inputs_file(tmp_path: Path, **values: Any) -> tuple[Path, dict[str, Any]]:
    tag = suffix()
    # Superuser access off: with it on (the default) every apply starts with the
    # policies' warning about it, which test_output_formats.py pins.
    data = {
        "mode": "apply",
        "cluster_namespace": f"db-{tag}",
        "operator_namespace": f"op-{tag}",
        "enable_superuser_access": False,
    }
    data.update(values)
    path = tmp_path / "inputs.yaml"
    path.write_text(yaml.safe_dump(data))
    return path, data


def cluster_args(plane: ControlPlane, inputs: Path, *extra: str) -> list[str]:
    return on_cluster(plane, "apply", inputs, "--skip-operator", *extra)


def test_apply_then_reapply_prints_changes_and_exits_0(
    control_plane: ControlPlane, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, data = inputs_file(tmp_path)
    ns, op = data["cluster_namespace"], data["operator_namespace"]

    assert main(cluster_args(control_plane, path)) == 0
    first = capsys.readouterr()
    assert first.out.splitlines() == [
        f"created Namespace {ns}",
        f"created Namespace {op}",
        f"skipped Helm release {op}/cloudnative-pg (--skip-operator)",
        f"created Cluster {ns}/wildside-pg",
    ]
    assert first.err == "changed 3 of 3 object(s)\n"

    assert main(cluster_args(control_plane, path)) == 0
    second = capsys.readouterr()
    assert second.out.splitlines()[0] == f"unchanged Namespace {ns}"
    assert second.err == "changed 0 of 3 object(s)\n"


def test_conflict_exits_3_naming_field_and_manager(
    control_plane: ControlPlane, kube: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, data = inputs_file(tmp_path)
    ns = data["cluster_namespace"]
    assert main(cluster_args(control_plane, path)) == 0
    cluster_type = Resources(kube, crd_timeout=10).require("postgresql.cnpg.io/v1", "Cluster")
    kube.patch(
        cluster_type,
        "wildside-pg",
        {
            "apiVersion": "postgresql.cnpg.io/v1",
            "kind": "Cluster",
            "metadata": {"name": "wildside-pg", "namespace": ns},
            "spec": {"resources": {"requests": {"memory": "512Mi"}}},
        },
        namespace=ns,
        patch_type=PatchType.APPLY,
        field_manager="vpa-recommender",
        force=True,
    )
    capsys.readouterr()

    assert main(cluster_args(control_plane, path)) == 3

    err = capsys.readouterr().err
    assert err.splitlines() == [
        f"error: Cluster {ns}/wildside-pg: 1 field(s) owned by another field manager:",
        "error:   .spec.resources.requests.memory: owned by 'vpa-recommender'",
        "error: Rerun with --force-conflicts to take these fields over.",
    ]
    assert main(cluster_args(control_plane, path, "--force-conflicts")) == 0


def test_wait_timeout_exits_4(
    control_plane: ControlPlane, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, data = inputs_file(tmp_path, instances=1)
    ns = data["cluster_namespace"]

    assert main(cluster_args(control_plane, path, "--wait", "--timeout", "1s")) == 4

    captured = capsys.readouterr()
    assert (
        f"waiting for Cluster {ns}/wildside-pg: phase '(no status yet)', ready instances 0/1"
        in (captured.out.splitlines())
    )
    assert captured.err.splitlines() == [
        # The policies' warning for a single instance (rule D5), then the timeout.
        f"warning: D5 Cluster/{ns}/wildside-pg: spec.instances: 1, so no disruption budget "
        "protects it and draining its node stops the database; use two or more instances "
        "where that matters",
        f"error: Cluster {ns}/wildside-pg was not Ready after 1s; last status: "
        "phase '(no status yet)', ready instances 0/1",
    ]


def test_dry_run_server_changes_nothing(
    control_plane: ControlPlane, kube: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, data = inputs_file(tmp_path)

    assert main(cluster_args(control_plane, path, "--dry-run=server")) == 0

    captured = capsys.readouterr()
    assert captured.out.splitlines()[0] == f"would create Namespace {data['cluster_namespace']}"
    assert captured.err == "would change 3 of 3 object(s)\n"
    names = {ns.metadata.name for ns in kube.list(Namespace)}
    assert data["cluster_namespace"] not in names


def test_context_option_is_honoured(
    control_plane: ControlPlane, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The kubeconfig's current context points at a closed port.
    path, data = inputs_file(tmp_path)
    argv = cluster_args(control_plane, path, "--max-attempts", "1")
    argv.remove("--context")
    argv.remove(control_plane.context)

    assert main(argv) == 5

    assert capsys.readouterr().err == (
        "error: cannot reach the API server: GET "
        f"/api/v1/namespaces/{data['cluster_namespace']}/configmaps/wildside-pg-wildside-cnpg-"
        "inventory: [Errno 111] Connection refused; gave up after 1 attempt\n"
    )


def test_bad_field_manager_exits_2_before_any_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = inputs_file(tmp_path)

    code = main(
        [
            "apply",
            "--inputs",
            str(path),
            "--kubeconfig",
            str(tmp_path / "none"),
            "--field-manager",
            "",
        ]
    )

    assert code == 2
    assert capsys.readouterr().err == (
        "error: --field-manager: expected 1 to 128 printable characters, got ''\n"
    )


def test_invalid_inputs_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, _ = inputs_file(tmp_path, backup_retention_policy="0d")

    assert main(["apply", "--inputs", str(path), "--skip-operator"]) == 2

    assert capsys.readouterr().err == (
        "error: backup_retention_policy: expected a number of days, weeks or months matching "
        "^[1-9][0-9]*[dwm]$, such as 30d, 4w or 3m, got '0d'\n"
    )


def test_missing_helm_exits_5_naming_what_to_install(
    control_plane: ControlPlane,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path, _ = inputs_file(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path))
    argv = cluster_args(control_plane, path)
    argv.remove("--skip-operator")

    assert main(argv) == 5

    captured = capsys.readouterr()
    assert captured.out == ""  # nothing was applied before the missing tool was found
    assert captured.err == (
        "error: helm is not installed (or not on PATH): install Helm 3 "
        "(`go install helm.sh/helm/v3/cmd/helm@v3.21.4`, or your package manager's helm), "
        "or pass --skip-operator when the operator is managed elsewhere\n"
    )


def test_basic_example_applies(
    control_plane: ControlPlane, kube: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    tag = suffix()
    ns, op = f"db-{tag}", f"op-{tag}"
    example = Path(__file__).resolve().parents[3] / "examples" / "basic" / "inputs.yaml"
    argv = cluster_args(control_plane, example, "--set", f"cluster_namespace={ns}")
    argv += ["--set", f"operator_namespace={op}"]

    assert main(argv) == 0

    assert capsys.readouterr().out.splitlines() == [
        f"created Namespace {ns}",
        f"created Namespace {op}",
        f"skipped Helm release {op}/cloudnative-pg (--skip-operator)",
        f"created Cluster {ns}/wildside-pg",
    ]
    cluster_type = Resources(kube, crd_timeout=10).require("postgresql.cnpg.io/v1", "Cluster")
    live = kube.get(cluster_type, "wildside-pg", namespace=ns)
    storage = live["spec"]["storage"]
    assert (live["spec"]["instances"], storage["size"], storage["storageClass"]) == (
        1,
        "5Gi",
        "standard",
    )


def test_unknown_context_exits_5(
    control_plane: ControlPlane, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = inputs_file(tmp_path)
    argv = cluster_args(control_plane, path)
    argv[argv.index("--context") + 1] = "no-such-context"

    assert main(argv) == 5

    assert capsys.readouterr().err == (
        f"error: cannot load {control_plane.kubeconfig}: Context 'no-such-context' not found\n"
    )


def test_prune_and_field_manager_options(
    control_plane: ControlPlane, kube: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, data = inputs_file(tmp_path, instances=3, pdb_enabled=True)
    ns = data["cluster_namespace"]
    manager = ["--field-manager", "team-db"]
    assert main(cluster_args(control_plane, path, *manager)) == 0
    cluster_type = Resources(kube, crd_timeout=10).require("postgresql.cnpg.io/v1", "Cluster")
    live = kube.get(cluster_type, "wildside-pg", namespace=ns)
    assert {m.manager for m in live.metadata.managedFields} == {"team-db"}
    capsys.readouterr()

    # One instance renders no PodDisruptionBudget: --prune deletes both.
    one = ["--set", "instances=1", "--set", "pdb_enabled=false", "--prune"]
    assert main(cluster_args(control_plane, path, *manager, *one)) == 0

    out = capsys.readouterr().out.splitlines()
    assert out[-2:] == [
        f"pruned PodDisruptionBudget {ns}/wildside-pg-pdb-primary",
        f"pruned PodDisruptionBudget {ns}/wildside-pg-pdb",
    ]
    assert [p.metadata.name for p in kube.list(PodDisruptionBudget, namespace=ns)] == []


def _live_cluster(kube: Client, ns: str) -> Any:
    cluster_type = Resources(kube, crd_timeout=10).require("postgresql.cnpg.io/v1", "Cluster")
    return kube.get(cluster_type, "wildside-pg", namespace=ns)


def test_a_bootstrap_input_changed_on_a_live_cluster_is_refused(
    control_plane: ControlPlane, kube: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The plan runs against the live Cluster: a new database_name exits 2 naming the
    input, the consequence and the safe recipe, and sends nothing; --allow-destroy
    lets it through."""
    path, data = inputs_file(tmp_path)
    ns = data["cluster_namespace"]
    assert main(cluster_args(control_plane, path)) == 0
    before = _live_cluster(kube, ns).metadata.resourceVersion
    capsys.readouterr()

    assert main(cluster_args(control_plane, path, "--set", "database_name=geo")) == 2

    captured = capsys.readouterr()
    assert captured.out == ""
    refused = captured.err.splitlines()
    assert refused == [
        "error: database_name: 'wildside_prod' -> 'geo' changes spec.bootstrap.initdb.database "
        f"of Cluster {ns}/wildside-pg, which CNPG reads only when it creates the cluster: the "
        "running cluster ignores it, and the outputs would describe a database that does not "
        "exist. Keep database_name 'wildside_prod'; add databases, roles and extensions to a "
        "running cluster with Database resources and managed roles; pass --allow-destroy to "
        "do it anyway"
    ]
    live = _live_cluster(kube, ns)
    assert live.metadata.resourceVersion == before
    assert live["spec"]["bootstrap"]["initdb"]["database"] == "wildside_prod"

    allowed = cluster_args(control_plane, path, "--set", "database_name=geo", "--allow-destroy")
    assert main(allowed) == 0

    out = capsys.readouterr().out.splitlines()
    assert out[0] == "warning: allowed by --allow-destroy: " + refused[0].removeprefix("error: ")
    assert f"configured Cluster {ns}/wildside-pg" in out
    assert _live_cluster(kube, ns)["spec"]["bootstrap"]["initdb"]["database"] == "geo"


def test_a_storage_shrink_against_the_live_cluster_is_refused_even_with_allow_destroy(
    control_plane: ControlPlane, kube: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The live volumes grew (another manager set 20Gi): rendering 10Gi would shrink
    them, which CNPG's webhook refuses, so --allow-destroy does not help."""
    path, data = inputs_file(tmp_path)
    ns = data["cluster_namespace"]
    assert main(cluster_args(control_plane, path)) == 0
    cluster_type = Resources(kube, crd_timeout=10).require("postgresql.cnpg.io/v1", "Cluster")
    kube.patch(
        cluster_type,
        "wildside-pg",
        {
            "apiVersion": "postgresql.cnpg.io/v1",
            "kind": "Cluster",
            "metadata": {"name": "wildside-pg", "namespace": ns},
            "spec": {"storage": {"size": "20Gi"}},
        },
        namespace=ns,
        patch_type=PatchType.APPLY,
        field_manager="storage-resizer",
        force=True,
    )
    capsys.readouterr()
    refused = [
        f"error: storage_size: '20Gi' -> '10Gi' shrinks the volumes of Cluster {ns}/wildside-pg; "
        "CNPG's webhook refuses it (volumes can grow, never shrink). Keep storage_size at "
        "'20Gi' or more; --allow-destroy does not change this"
    ]

    for extra in ((), ("--allow-destroy", "--force-conflicts")):
        assert main(cluster_args(control_plane, path, *extra)) == 2
        assert capsys.readouterr().err.splitlines() == refused
    assert _live_cluster(kube, ns)["spec"]["storage"]["size"] == "20Gi"

    # The recipe: keep the size the volumes have (same value: no conflict either).
    assert main(cluster_args(control_plane, path, "--set", "storage_size=20Gi")) == 0


def test_prune_keeps_what_flux_never_prunes(
    control_plane: ControlPlane, kube: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Backups off with --prune: the ScheduledBackup goes, the acknowledged inline S3
    Secret (kustomize.toolkit.fluxcd.io/prune: disabled) stays."""
    path, data = inputs_file(
        tmp_path,
        backup_enabled=True,
        backup_method="barman_object_store",
        backup_destination_path="s3://wildside-backups/pg",
        backup_endpoint_url="https://nyc3.digitaloceanspaces.com",
        backup_s3_access_key_id="AKIAEXAMPLE",
        backup_s3_secret_access_key="not-a-real-secret",
        backup_s3_inline_credentials_acknowledged=True,
    )
    ns = data["cluster_namespace"]
    assert main(cluster_args(control_plane, path)) == 0
    capsys.readouterr()

    assert main(cluster_args(control_plane, path, "--set", "backup_enabled=false", "--prune")) == 0

    out = capsys.readouterr().out.splitlines()
    assert out[-2:] == [
        f"pruned ScheduledBackup {ns}/wildside-pg-backup",
        f"kept Secret {ns}/wildside-pg-s3-credentials (annotated "
        "kustomize.toolkit.fluxcd.io/prune: disabled: never pruned)",
    ]
    assert "not-a-real-secret" not in "\n".join(out)
    secret = kube.get(Secret, "wildside-pg-s3-credentials", namespace=ns)
    assert secret.metadata.annotations["kustomize.toolkit.fluxcd.io/prune"] == "disabled"
    schedules = Resources(kube, crd_timeout=10).require("postgresql.cnpg.io/v1", "ScheduledBackup")
    assert [o.metadata.name for o in kube.list(schedules, namespace=ns)] == []


def test_a_wal_volume_dropped_from_the_inputs_is_refused_against_the_live_cluster(
    control_plane: ControlPlane, kube: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """wal_storage_size unset renders no spec.walStorage: the live Cluster's, which this
    tool's earlier apply set, is compared (not projected away with the render), and the
    removal CNPG's webhook refuses is refused before anything is sent."""
    path, data = inputs_file(tmp_path, wal_storage_size="2Gi")
    ns = data["cluster_namespace"]
    assert main(cluster_args(control_plane, path)) == 0
    before = _live_cluster(kube, ns).metadata.resourceVersion
    capsys.readouterr()

    unset = yaml.safe_dump({k: v for k, v in data.items() if k != "wal_storage_size"})
    path.write_text(unset)
    for extra in ((), ("--allow-destroy",)):
        assert main(cluster_args(control_plane, path, *extra)) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err.splitlines() == [
            f"error: wal_storage_size: unsetting it removes spec.walStorage of Cluster "
            f"{ns}/wildside-pg; CNPG's webhook refuses it (a WAL volume cannot be removed once "
            "configured), and the refusal fails the whole cluster layer. Keep wal_storage_size "
            "at '2Gi' or more; --allow-destroy does not change this"
        ]
    live = _live_cluster(kube, ns)
    assert live.metadata.resourceVersion == before
    assert live["spec"]["walStorage"]["size"] == "2Gi"


def test_eso_switched_off_on_a_live_cluster_is_refused(
    control_plane: ControlPlane, kube: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """eso_enabled off unsets spec.bootstrap.initdb.secret: CNPG would set the owner's
    password from its generated Secret. The live Cluster's secret, set by this tool's
    earlier apply, is compared, so the plan refuses the switch as render mode does."""
    path, data = inputs_file(
        tmp_path, eso_enabled=True, app_credentials_vault_path="wildside/postgres/app"
    )
    ns = data["cluster_namespace"]
    assert main(cluster_args(control_plane, path)) == 0
    live = _live_cluster(kube, ns)
    secret = live["spec"]["bootstrap"]["initdb"]["secret"]["name"]
    capsys.readouterr()

    eso = ("eso_enabled", "app_credentials_vault_path")
    plain = {k: v for k, v in data.items() if k not in eso}
    path.write_text(yaml.safe_dump(plain))
    assert main(cluster_args(control_plane, path)) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert secret == "wildside-pg-app-credentials"
    assert captured.err.splitlines() == [
        f"error: eso_enabled: the application owner wildside_user of Cluster {ns}/wildside-pg "
        "would take its password from CloudNativePG's generated wildside-pg-app instead of "
        "wildside-pg-app-credentials (spec.bootstrap.initdb.secret unset), which CNPG reads "
        "for the cluster's whole life: CNPG creates wildside-pg-app with a random password "
        "unless it exists (one left from before keeps its old password), and the primary sets "
        "the password of wildside_user from it; wildside-pg-app-credentials stays, but nothing "
        "sets the password of wildside_user from it any more, so clients that still read it "
        "fail to log in (from their next connection) unless both Secrets hold the same "
        "password. Keep eso_enabled as it was; to switch without locking clients out, first "
        "put the password wildside-pg-app-credentials holds into wildside-pg-app "
        "(kubernetes.io/basic-auth, username wildside_user: CNPG never rewrites the password of "
        "a Secret that exists), then switch and move the clients to wildside-pg-app; pass "
        "--allow-destroy to do it anyway"
    ]
    after = _live_cluster(kube, ns)
    assert after.metadata.resourceVersion == live.metadata.resourceVersion
    assert after["spec"]["bootstrap"]["initdb"]["secret"]["name"] == secret


def test_prune_of_a_database_no_longer_rendered_is_refused_unless_allowed(
    control_plane: ControlPlane, kube: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An entry of `databases` removed and --prune: render mode refuses the Database
    leaving the tree, and so does apply (nothing is sent); --allow-destroy prunes it."""
    path, data = inputs_file(tmp_path, databases=[{"name": "geo", "owner": "geo_owner"}])
    ns = data["cluster_namespace"]
    assert main(cluster_args(control_plane, path)) == 0
    database_type = Resources(kube, crd_timeout=10).require("postgresql.cnpg.io/v1", "Database")
    before = kube.get(database_type, "wildside-pg-geo", namespace=ns).metadata.resourceVersion
    capsys.readouterr()

    path.write_text(yaml.safe_dump({**data, "databases": []}))
    assert main(cluster_args(control_plane, path, "--prune")) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    refused = [
        f"error: databases: the Database {ns}/wildside-pg-geo (PostgreSQL database 'geo') is "
        "no longer rendered and --prune deletes the object; with databaseReclaimPolicy retain "
        "CloudNativePG leaves the database and its data in PostgreSQL, but nothing manages it "
        "(or its extensions) any more. Keep 'geo' in databases; to drop a database on purpose, "
        "see 'Dropping a database' in docs/day2.md; pass --allow-destroy to do it anyway"
    ]
    assert captured.err.splitlines() == refused
    kept = kube.get(database_type, "wildside-pg-geo", namespace=ns)
    assert kept.metadata.resourceVersion == before

    # Without --prune nothing is deleted, so nothing is refused.
    assert main(cluster_args(control_plane, path)) == 0
    capsys.readouterr()

    assert main(cluster_args(control_plane, path, "--prune", "--allow-destroy")) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "warning: allowed by --allow-destroy: " + refused[0].removeprefix("error: ")
    assert f"pruned Database {ns}/wildside-pg-geo" in out


@pytest.mark.parametrize("text", ["not json", '{"objects": []}', '[{"kind": "Secret"}]', "[1]"])
def test_a_damaged_inventory_is_one_error_before_anything_changes(
    control_plane: ControlPlane,
    kube: Client,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
) -> None:
    """An inventory ConfigMap edited into something that is not a list of objects stops
    apply (before it sends anything), status and uninstall with one line naming it,
    exit 5, instead of an internal error; deleting it starts a new inventory."""
    path, data = inputs_file(tmp_path)
    ns = data["cluster_namespace"]
    assert main(cluster_args(control_plane, path)) == 0
    name = "wildside-pg-wildside-cnpg-inventory"
    kube.patch(
        ConfigMap, name, {"data": {"objects": text}}, namespace=ns, patch_type=PatchType.MERGE
    )
    before = _live_cluster(kube, ns).metadata.resourceVersion
    capsys.readouterr()

    damaged = (
        f"error: inventory ConfigMap {ns}/{name}: data.objects is not a JSON list of objects "
        "(apiVersion, kind, namespace, name); restore it, or delete it to start a new "
        "inventory (what it listed is then neither pruned nor uninstalled)"
    )
    for command in (
        cluster_args(control_plane, path, "--set", "instances=2"),
        on_cluster(control_plane, "status", path),
        on_cluster(control_plane, "uninstall", path),
    ):
        assert main(command) == 5
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err.splitlines() == [damaged]
    assert _live_cluster(kube, ns).metadata.resourceVersion == before

    kube.delete(ConfigMap, name, namespace=ns)
    assert main(cluster_args(control_plane, path)) == 0


def test_an_inventory_edited_by_another_manager_is_taken_back(
    control_plane: ControlPlane, kube: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The inventory is the tool's own record: after someone edited it (kubectl edit),
    the next apply rewrites it without a conflict, as uninstall does, instead of
    failing with exit 3 once every object has been applied."""
    path, data = inputs_file(tmp_path)
    ns = data["cluster_namespace"]
    assert main(cluster_args(control_plane, path)) == 0
    name = "wildside-pg-wildside-cnpg-inventory"
    kube.patch(
        ConfigMap,
        name,
        {"data": {"objects": "[]"}},
        namespace=ns,
        patch_type=PatchType.MERGE,
        field_manager="kubectl-edit",
    )
    capsys.readouterr()

    assert main(cluster_args(control_plane, path, "--set", "pdb_enabled=true")) == 0
    captured = capsys.readouterr()
    assert f"created PodDisruptionBudget {ns}/wildside-pg-pdb-primary" in captured.out
    assert captured.err == "changed 3 of 5 object(s)\n"  # two budgets, enablePDB off
    objects = kube.get(ConfigMap, name, namespace=ns).data["objects"]
    assert "wildside-pg-pdb-primary" in objects
