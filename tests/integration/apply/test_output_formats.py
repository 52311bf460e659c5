"""`apply -o json|yaml` on the real server: one document on stdout, progress on stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from kube_harness import ControlPlane, on_cluster, suffix

from wildside_cnpg.cli import main


def _args(plane: ControlPlane, inputs: Path, *extra: str) -> list[str]:
    return on_cluster(plane, "apply", inputs, "--skip-operator", *extra)


@pytest.mark.parametrize("output", ["json", "yaml"])
def test_apply_reports_changes_as_one_document(
    output: str, control_plane: ControlPlane, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tag = suffix()
    ns, op = f"db-{tag}", f"op-{tag}"
    path = tmp_path / "inputs.yaml"
    path.write_text(yaml.safe_dump({"cluster_namespace": ns, "operator_namespace": op}))

    assert main(_args(control_plane, path, "-o", output)) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out) if output == "json" else yaml.safe_load(captured.out)
    assert report["dry_run"] is False
    assert report["releases"] == []
    assert report["cluster_status"] is None
    assert [(c["action"], c["kind"], c["namespace"], c["name"]) for c in report["changes"]] == [
        ("create", "Namespace", None, ns),
        ("create", "Namespace", None, op),
        ("create", "Cluster", ns, "wildside-pg"),
    ]
    assert all(c["changed"] for c in report["changes"])
    assert captured.err.splitlines() == [
        # The policies' warnings come first: superuser access is on by default.
        f"warning: C15 Cluster/{ns}/wildside-pg: spec.enableSuperuserAccess: true lets the "
        "postgres superuser log in with a password over the network; CloudNativePG's default "
        "is false (administer with managed roles, or kubectl cnpg psql)",
        f"created Namespace {ns}",
        f"created Namespace {op}",
        f"skipped Helm release {op}/cloudnative-pg (--skip-operator)",
        f"created Cluster {ns}/wildside-pg",
        "changed 3 of 3 object(s)",
    ]
