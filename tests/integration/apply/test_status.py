"""`wildside-cnpg status` against the real API server: before and after an apply, with
objects gone or taken over, and the Cluster's status as the operator writes it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from kube_harness import ControlPlane, inputs_file, on_cluster
from lightkube import Client
from lightkube.resources.policy_v1 import PodDisruptionBudget
from lightkube.types import PatchType
from test_wait import ready, set_status

from wildside_cnpg.apply import INVENTORY_LABEL, ObjectRef
from wildside_cnpg.cli import main


def test_status_before_and_after_an_apply(
    control_plane: ControlPlane, kube: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, ns, op = inputs_file(tmp_path, pdb_enabled=True)
    inventory = f"inventory ConfigMap {ns}/wildside-pg-wildside-cnpg-inventory"

    assert main(on_cluster(control_plane, "status", path)) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{inventory}: not found (nothing applied yet)",
        f"Helm release {op}/cloudnative-pg: not installed",
        f"Cluster {ns}/wildside-pg: not found",
    ]

    assert main(on_cluster(control_plane, "apply", path, "--skip-operator")) == 0
    capsys.readouterr()
    assert main(on_cluster(control_plane, "status", path)) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{inventory}: 5 object(s)",
        f"  present  Namespace {ns}",
        f"  present  Namespace {op}",
        f"  present  Cluster {ns}/wildside-pg",
        f"  present  PodDisruptionBudget {ns}/wildside-pg-pdb",
        f"  present  PodDisruptionBudget {ns}/wildside-pg-pdb-primary",
        f"Helm release {op}/cloudnative-pg: not installed",
        f"Cluster {ns}/wildside-pg: phase '(no status yet)', ready instances 0/3",
    ]

    # One budget deleted by hand, the other taken over; the operator reports progress.
    kube.delete(PodDisruptionBudget, "wildside-pg-pdb", namespace=ns)
    kube.patch(
        PodDisruptionBudget,
        "wildside-pg-pdb-primary",
        {"metadata": {"labels": {INVENTORY_LABEL: None}}},
        namespace=ns,
        patch_type=PatchType.MERGE,
    )
    cluster = ObjectRef("postgresql.cnpg.io/v1", "Cluster", ns, "wildside-pg")
    set_status(
        kube,
        cluster,
        {
            "phase": "Creating a new replica",
            "instances": 2,
            "readyInstances": 2,
            "currentPrimary": "wildside-pg-1",
            "conditions": ready("False", "ClusterIsNotReady", "Cluster Is Not Ready"),
        },
    )

    assert main(on_cluster(control_plane, "status", path)) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{inventory}: 5 object(s)",
        f"  present  Namespace {ns}",
        f"  present  Namespace {op}",
        f"  present  Cluster {ns}/wildside-pg",
        f"  missing  PodDisruptionBudget {ns}/wildside-pg-pdb",
        f"  present  PodDisruptionBudget {ns}/wildside-pg-pdb-primary (no longer labelled as "
        "this inventory's: apply and uninstall leave it alone)",
        f"Helm release {op}/cloudnative-pg: not installed",
        f"Cluster {ns}/wildside-pg: phase 'Creating a new replica', ready instances 2/3, "
        "primary wildside-pg-1, not Ready (ClusterIsNotReady: Cluster Is Not Ready)",
    ]


def test_status_as_json(
    control_plane: ControlPlane, kube: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, ns, op = inputs_file(tmp_path, instances=1)
    assert main(on_cluster(control_plane, "apply", path, "--skip-operator")) == 0
    set_status(
        kube,
        ObjectRef("postgresql.cnpg.io/v1", "Cluster", ns, "wildside-pg"),
        {
            "phase": "Cluster in healthy state",
            "instances": 1,
            "readyInstances": 1,
            "currentPrimary": "wildside-pg-1",
            "conditions": ready("True", "ClusterIsReady", "Cluster is Ready"),
        },
    )
    capsys.readouterr()

    assert main(on_cluster(control_plane, "status", path, "-o", "json")) == 0

    out = capsys.readouterr().out
    assert json.loads(out) == {
        "inventory": {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "namespace": ns,
            "name": "wildside-pg-wildside-cnpg-inventory",
            "found": True,
            "objects": [
                {"apiVersion": "v1", "kind": "Namespace", "namespace": "", "name": name}
                | {"present": True, "owned": True}
                for name in (ns, op)
            ]
            + [
                {
                    "apiVersion": "postgresql.cnpg.io/v1",
                    "kind": "Cluster",
                    "namespace": ns,
                    "name": "wildside-pg",
                    "present": True,
                    "owned": True,
                }
            ],
        },
        "releases": [
            {
                "namespace": op,
                "name": "cloudnative-pg",
                "installed": False,
                "revision": None,
                "status": None,
            }
        ],
        "cluster": {
            "apiVersion": "postgresql.cnpg.io/v1",
            "kind": "Cluster",
            "namespace": ns,
            "name": "wildside-pg",
            "found": True,
            "phase": "Cluster in healthy state",
            "readyInstances": 1,
            "instances": 1,
            "ready": True,
            "reason": "ClusterIsReady",
            "message": "Cluster is Ready",
            "currentPrimary": "wildside-pg-1",
        },
    }
    assert out == json.dumps(json.loads(out), indent=2, sort_keys=True) + "\n"


def test_bad_max_attempts_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, _, _ = inputs_file(tmp_path)

    with pytest.raises(SystemExit) as exited:
        main(["status", "--inputs", str(path), "--max-attempts", "0"])

    assert exited.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "wildside-cnpg status: error: argument --max-attempts: "
        "expected a whole number of 1 or more, got '0'"
    )
