"""The operator step inside a whole apply: after namespaces, before everything else."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import yaml
from kube_harness import ControlPlane, suffix
from lightkube import Client
from lightkube.resources.core_v1 import ConfigMap
from test_helm import make_chart

from wildside_cnpg import Inputs
from wildside_cnpg.apply import ApplyOptions, apply_plan, plan_for


def test_apply_installs_the_operator_release_between_namespaces_and_secrets(
    control_plane: ControlPlane, kube: Client, tmp_path: Path
) -> None:
    tag = suffix()
    inputs = Inputs.from_mapping(
        {
            "cluster_namespace": f"db-{tag}",
            "operator_namespace": f"op-{tag}",
            "helm_release_name": "cnpg",
            "helm_values": {"greeting": "from-inputs"},
            "helm_timeout": 120,
            "backup_enabled": True,
            "backup_method": "barman_object_store",
            "backup_destination_path": "s3://wildside-backups/pg",
            "backup_endpoint_url": "https://nyc3.digitaloceanspaces.com",
            "backup_s3_credentials_secret_name": "existing-s3-keys",
        }
    )
    plan = plan_for(inputs)
    [operator] = plan.releases
    assert (operator.release, operator.namespace, operator.version) == (
        "cnpg",
        f"op-{tag}",
        "0.29.0",
    )
    assert operator.chart_args() == [
        "cloudnative-pg",
        "--repo",
        "https://cloudnative-pg.github.io/charts",
    ]
    assert (operator.wait, operator.timeout_seconds) == (True, 120)
    assert list(operator.values) == [{"greeting": "from-inputs"}]
    # The real chart is out of reach here: the same release, from a local chart.
    local = replace(operator, chart=str(make_chart(tmp_path)), repository="", version="0.3.1")
    lines: list[str] = []

    apply_plan(
        replace(plan, releases=(local,)),
        ApplyOptions(kubeconfig=control_plane.kubeconfig, context=control_plane.context),
        progress=lines.append,
    )

    db, op = f"db-{tag}", f"op-{tag}"
    pending = " (helm applies the chart's objects, then waits up to 120s for them to be ready)"
    assert lines[:7] == [
        f"created Namespace {db}",
        f"created Namespace {op}",
        f"helm: installing release {op}/cnpg (chart {local.chart} 0.3.1)",
        f"helm: release {op}/cnpg revision 1: pending-install{pending}",
        f"helm: release {op}/cnpg revision 1: deployed",
        f"installed or upgraded Helm release {op}/cnpg (chart {local.chart} 0.3.1)",
        f"created Cluster {db}/wildside-pg",
    ]
    probe = kube.get(ConfigMap, "cnpg-probe", namespace=op)
    assert probe.data == {"greeting": "from-inputs", "chartVersion": "0.3.1"}
    listed = subprocess.run(
        [
            "helm",
            "status",
            "cnpg",
            "--namespace",
            op,
            "--output",
            "yaml",
            "--kubeconfig",
            str(control_plane.kubeconfig),
            "--kube-context",
            control_plane.context,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    status = yaml.safe_load(listed.stdout)
    assert (status["name"], status["namespace"], status["info"]["status"]) == (
        "cnpg",
        op,
        "deployed",
    )
    assert status["config"] == {"greeting": "from-inputs"}
