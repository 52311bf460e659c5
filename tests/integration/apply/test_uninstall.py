"""`wildside-cnpg uninstall` against the real API server: what goes, what stays and
why, the Cluster's confirmation, exact messages and exit codes."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from kube_harness import ControlPlane, inputs_file, on_cluster, suffix
from lightkube import ApiError, Client
from lightkube.models.meta_v1 import ObjectMeta
from lightkube.resources.core_v1 import ConfigMap, Namespace, Secret
from lightkube.types import PatchType

from wildside_cnpg.apply import INVENTORY_LABEL, ObjectRef
from wildside_cnpg.apply.kube import Resources
from wildside_cnpg.apply.ssa import get_current
from wildside_cnpg.cli import main

REPO = Path(__file__).resolve().parents[3]
RUN_TIMEOUT = 120
INLINE_BACKUP: dict[str, Any] = {
    "backup_enabled": True,
    "backup_destination_path": "s3://wildside-backups/pg",
    "backup_endpoint_url": "https://nyc3.digitaloceanspaces.com",
    "backup_s3_access_key_id": "AKIAEXAMPLE",
    "backup_s3_secret_access_key": "not-a-real-secret",
    "backup_s3_inline_credentials_acknowledged": True,
}
KEEP_NAMESPACE = "deleting a Namespace deletes everything in it: pass --allow-destroy"
KEEP_CLUSTER = (
    "deleting a Cluster deletes its instances and their volumes: pass --allow-destroy and confirm"
)
KEEP_PROTECTED = "annotated kustomize.toolkit.fluxcd.io/prune: disabled: pass --allow-destroy"


def exists(kube: Client, api_version: str, kind: str, namespace: str, name: str) -> bool:
    ref = ObjectRef(api_version, kind, namespace, name)
    live = get_current(kube, Resources(kube, crd_timeout=10).require(api_version, kind), ref)
    return live is not None and not live["metadata"].get("deletionTimestamp")


def cli(argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """The installed command itself, in its own process (standard input not a terminal
    unless the caller gives one)."""
    kwargs.setdefault("stdin", subprocess.DEVNULL)
    return subprocess.run(
        [sys.executable, "-m", "wildside_cnpg", *argv],
        capture_output=True,
        text=True,
        check=False,
        timeout=RUN_TIMEOUT,
        cwd=REPO,
        **kwargs,
    )


def applied(plane: ControlPlane, tmp_path: Path, **values: Any) -> tuple[Path, str, str]:
    path, ns, op = inputs_file(tmp_path, **values)
    done = cli(on_cluster(plane, "apply", path, "--skip-operator"))
    assert done.returncode == 0, done.stderr
    return path, ns, op


def test_uninstall_keeps_protected_objects_then_removes_them_with_allow_destroy(
    control_plane: ControlPlane, kube: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, ns, op = applied(control_plane, tmp_path, pdb_enabled=True, **INLINE_BACKUP)

    assert main(on_cluster(control_plane, "uninstall", path)) == 0

    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        f"deleted ScheduledBackup {ns}/wildside-pg-backup",
        f"deleted PodDisruptionBudget {ns}/wildside-pg-pdb-primary",
        f"deleted PodDisruptionBudget {ns}/wildside-pg-pdb",
        f"kept Cluster {ns}/wildside-pg ({KEEP_CLUSTER})",
        f"kept ObjectStore {ns}/wildside-pg-object-store "
        f"(Cluster {ns}/wildside-pg is kept and reads it)",
        f"kept Secret {ns}/wildside-pg-s3-credentials ({KEEP_PROTECTED})",
        f"Helm release {op}/plugin-barman-cloud is not installed",
        f"Helm release {op}/cloudnative-pg is not installed",
        f"kept Namespace {op} ({KEEP_NAMESPACE})",
        f"kept Namespace {ns} ({KEEP_NAMESPACE})",
    ]
    assert captured.err == "deleted 3 object(s), kept 5\n"
    assert not exists(kube, "postgresql.cnpg.io/v1", "ScheduledBackup", ns, "wildside-pg-backup")
    assert not exists(kube, "policy/v1", "PodDisruptionBudget", ns, "wildside-pg-pdb")
    assert exists(kube, "postgresql.cnpg.io/v1", "Cluster", ns, "wildside-pg")
    assert exists(kube, "v1", "Secret", ns, "wildside-pg-s3-credentials")
    assert exists(kube, "barmancloud.cnpg.io/v1", "ObjectStore", ns, "wildside-pg-object-store")
    # The inventory now lists what stays, so a later uninstall finds it.
    assert main(on_cluster(control_plane, "status", path)) == 0
    assert capsys.readouterr().out.splitlines()[:6] == [
        f"inventory ConfigMap {ns}/wildside-pg-wildside-cnpg-inventory: 5 object(s)",
        f"  present  Namespace {ns}",
        f"  present  Namespace {op}",
        f"  present  Secret {ns}/wildside-pg-s3-credentials",
        f"  present  ObjectStore {ns}/wildside-pg-object-store",
        f"  present  Cluster {ns}/wildside-pg",
    ]

    # --allow-destroy without --yes and without a terminal: refused, nothing deleted.
    refused = cli(on_cluster(control_plane, "uninstall", path, "--allow-destroy"))

    assert refused.returncode == 2
    assert refused.stdout == ""
    assert refused.stderr == (
        f"error: deleting Cluster {ns}/wildside-pg deletes its instances and their volumes: "
        "pass --yes to confirm (standard input is not a terminal); nothing was deleted\n"
    )
    assert exists(kube, "postgresql.cnpg.io/v1", "Cluster", ns, "wildside-pg")
    assert exists(kube, "v1", "Secret", ns, "wildside-pg-s3-credentials")

    assert main(on_cluster(control_plane, "uninstall", path, "--allow-destroy", "--yes")) == 0

    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        f"deleted Cluster {ns}/wildside-pg "
        "(--allow-destroy, confirmed: its instances and their volumes go with it)",
        # No Cluster is kept any more to read it.
        f"deleted ObjectStore {ns}/wildside-pg-object-store",
        f"deleted Secret {ns}/wildside-pg-s3-credentials (--allow-destroy)",
        f"Helm release {op}/plugin-barman-cloud is not installed",
        f"Helm release {op}/cloudnative-pg is not installed",
        f"deleted inventory ConfigMap {ns}/wildside-pg-wildside-cnpg-inventory",
        f"deleted Namespace {op} (--allow-destroy: everything in it goes with it)",
        f"deleted Namespace {ns} (--allow-destroy: everything in it goes with it)",
    ]
    assert captured.err == "deleted 5 object(s), kept 0\n"
    assert not exists(kube, "postgresql.cnpg.io/v1", "Cluster", ns, "wildside-pg")
    assert not exists(kube, "barmancloud.cnpg.io/v1", "ObjectStore", ns, "wildside-pg-object-store")
    with pytest.raises(ApiError) as gone:
        kube.get(ConfigMap, "wildside-pg-wildside-cnpg-inventory", namespace=ns)
    assert gone.value.status.code == 404
    # No controller manager runs here, so a deleted Namespace stays Terminating.
    for name in (ns, op):
        assert kube.get(Namespace, name).metadata.deletionTimestamp is not None


def test_dry_run_shows_what_would_go_and_changes_nothing(
    control_plane: ControlPlane, kube: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, ns, op = applied(control_plane, tmp_path, instances=1)
    before = kube.get(ConfigMap, "wildside-pg-wildside-cnpg-inventory", namespace=ns)

    argv = on_cluster(control_plane, "uninstall", path, "--dry-run=server", "--allow-destroy")
    assert main(argv) == 0

    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        f"would delete Cluster {ns}/wildside-pg "
        "(--allow-destroy; a real run asks to confirm it by name unless --yes)",
        f"Helm release {op}/cloudnative-pg is not installed",
        f"would delete Namespace {op} (--allow-destroy: everything in it goes with it)",
        f"would delete Namespace {ns} (--allow-destroy: everything in it goes with it)",
    ]
    assert captured.err == "would delete 3 object(s), would keep 0\n"
    assert exists(kube, "postgresql.cnpg.io/v1", "Cluster", ns, "wildside-pg")
    assert kube.get(Namespace, ns).metadata.deletionTimestamp is None
    after = kube.get(ConfigMap, "wildside-pg-wildside-cnpg-inventory", namespace=ns)
    assert after.metadata.resourceVersion == before.metadata.resourceVersion


def test_objects_no_longer_labelled_are_never_touched(
    control_plane: ControlPlane, kube: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, ns, _ = applied(control_plane, tmp_path, pdb_enabled=True)
    pdb = Resources(kube, crd_timeout=10).require("policy/v1", "PodDisruptionBudget")
    kube.patch(
        pdb,
        "wildside-pg-pdb",
        {"metadata": {"labels": {INVENTORY_LABEL: None}}},
        namespace=ns,
        patch_type=PatchType.MERGE,
    )

    assert main(on_cluster(control_plane, "uninstall", path, "--allow-destroy", "--yes")) == 0

    out = capsys.readouterr().out.splitlines()
    assert f"deleted PodDisruptionBudget {ns}/wildside-pg-pdb-primary" in out
    assert (
        f"kept PodDisruptionBudget {ns}/wildside-pg-pdb "
        "(no longer labelled as applied by this inventory: left alone)"
    ) in out
    assert exists(kube, "policy/v1", "PodDisruptionBudget", ns, "wildside-pg-pdb")


def test_a_kept_cluster_keeps_the_object_store_it_archives_to(
    control_plane: ControlPlane, kube: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tag = suffix()
    keys = Secret(
        metadata=ObjectMeta(name="existing-s3-keys", namespace=f"db-{tag}"),
        stringData={"ACCESS_KEY_ID": "AKIAEXAMPLE", "SECRET_ACCESS_KEY": "not-a-real-secret"},
    )
    kube.create(Namespace(metadata=ObjectMeta(name=f"db-{tag}")))
    kube.create(keys)
    path, ns, _ = applied(
        control_plane,
        tmp_path,
        cluster_namespace=f"db-{tag}",
        instances=1,
        backup_enabled=True,
        backup_method="barman_cloud_plugin",
        backup_destination_path="s3://wildside-backups/pg",
        backup_endpoint_url="https://nyc3.digitaloceanspaces.com",
        backup_s3_credentials_secret_name="existing-s3-keys",
    )

    assert main(on_cluster(control_plane, "uninstall", path)) == 0

    out = capsys.readouterr().out.splitlines()
    assert out[:3] == [
        f"deleted ScheduledBackup {ns}/wildside-pg-backup",
        f"kept Cluster {ns}/wildside-pg ({KEEP_CLUSTER})",
        f"kept ObjectStore {ns}/wildside-pg-object-store "
        f"(Cluster {ns}/wildside-pg is kept and reads it)",
    ]
    assert exists(kube, "barmancloud.cnpg.io/v1", "ObjectStore", ns, "wildside-pg-object-store")
    # Not in the inventory (the user's own Secret): never considered.
    assert kube.get(Secret, "existing-s3-keys", namespace=ns).metadata.deletionTimestamp is None


def run_on_a_terminal(argv: list[str], answer: str) -> subprocess.CompletedProcess[str]:
    """The command with a pseudo-terminal as standard input, answering its prompt."""
    controller, terminal = pty.openpty()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "wildside_cnpg", *argv],
            stdin=terminal,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        os.write(controller, f"{answer}\n".encode())
        out, err = proc.communicate(timeout=RUN_TIMEOUT)
    finally:
        os.close(terminal)
        os.close(controller)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def test_the_prompt_deletes_the_cluster_only_when_it_is_named(
    control_plane: ControlPlane, kube: Client, tmp_path: Path
) -> None:
    path, ns, _ = applied(control_plane, tmp_path, instances=1)
    argv = on_cluster(control_plane, "uninstall", path, "--allow-destroy")
    prompt = (
        f"Deleting Cluster {ns}/wildside-pg deletes its instances and their volumes.\n"
        "Type the Cluster's name (wildside-pg) to confirm: "
    )

    wrong = run_on_a_terminal(argv, "yes")

    assert wrong.returncode == 2
    assert wrong.stdout == ""
    assert wrong.stderr == (
        f"{prompt}error: the answer 'yes' is not the Cluster's name 'wildside-pg': "
        "nothing was deleted\n"
    )
    assert exists(kube, "postgresql.cnpg.io/v1", "Cluster", ns, "wildside-pg")

    named = run_on_a_terminal(argv, "wildside-pg")

    assert named.returncode == 0, named.stderr
    assert named.stderr == f"{prompt}deleted 3 object(s), kept 0\n"
    assert named.stdout.splitlines()[0] == (
        f"deleted Cluster {ns}/wildside-pg "
        "(--allow-destroy, confirmed: its instances and their volumes go with it)"
    )
    assert not exists(kube, "postgresql.cnpg.io/v1", "Cluster", ns, "wildside-pg")


def test_uninstall_without_an_inventory_deletes_nothing(
    control_plane: ControlPlane, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, ns, op = inputs_file(tmp_path)

    assert main(on_cluster(control_plane, "uninstall", path, "--allow-destroy", "--yes")) == 0

    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        f"no inventory ConfigMap {ns}/wildside-pg-wildside-cnpg-inventory "
        "(nothing recorded by an apply)",
        f"Helm release {op}/cloudnative-pg is not installed",
    ]
    assert captured.err == "deleted 0 object(s), kept 0\n"


def test_uninstall_after_an_apply_by_another_field_manager(
    control_plane: ControlPlane, kube: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, ns, _ = inputs_file(tmp_path, pdb_enabled=True)
    argv = on_cluster(control_plane, "apply", path, "--skip-operator", "--field-manager", "team-db")
    assert main(argv) == 0
    capsys.readouterr()

    assert main(on_cluster(control_plane, "uninstall", path)) == 0

    assert capsys.readouterr().err == "deleted 2 object(s), kept 3\n"
    inventory = kube.get(ConfigMap, "wildside-pg-wildside-cnpg-inventory", namespace=ns)
    assert "PodDisruptionBudget" not in inventory.data["objects"]
    assert '"kind": "Cluster"' in inventory.data["objects"]


@pytest.mark.parametrize("output", ["json", "yaml"])
def test_uninstall_reports_as_one_document(
    output: str,
    control_plane: ControlPlane,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, ns, op = applied(control_plane, tmp_path, instances=1)

    argv = on_cluster(control_plane, "uninstall", path, "--dry-run=server", "-o", output)
    assert main(argv) == 0

    captured = capsys.readouterr()
    report = json.loads(captured.out) if output == "json" else yaml.safe_load(captured.out)
    assert report == {
        "dry_run": True,
        "changes": [
            {
                "action": "keep",
                "apiVersion": "postgresql.cnpg.io/v1",
                "kind": "Cluster",
                "namespace": ns,
                "name": "wildside-pg",
                "note": KEEP_CLUSTER,
            },
            *(
                {
                    "action": "keep",
                    "apiVersion": "v1",
                    "kind": "Namespace",
                    "namespace": None,
                    "name": name,
                    "note": KEEP_NAMESPACE,
                }
                for name in (op, ns)
            ),
        ],
        "releases": [],
    }
    assert captured.err.splitlines() == [
        f"would keep Cluster {ns}/wildside-pg ({KEEP_CLUSTER})",
        f"Helm release {op}/cloudnative-pg is not installed",
        f"would keep Namespace {op} ({KEEP_NAMESPACE})",
        f"would keep Namespace {ns} ({KEEP_NAMESPACE})",
        "would delete 0 object(s), would keep 3",
    ]
