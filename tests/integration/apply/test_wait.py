"""--wait against the real API server. No operator runs here, so the tests write the
Cluster's status through the status subresource, as the operator would."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from kube_harness import ControlPlane, suffix
from lightkube import Client
from lightkube.types import PatchType

from wildside_cnpg import Inputs
from wildside_cnpg.apply import (
    ApplyOptions,
    ClusterStatus,
    ObjectRef,
    WaitTimeoutError,
    apply_plan,
    plan_for,
)
from wildside_cnpg.apply.kube import Resources
from wildside_cnpg.apply.wait import wait_for_cluster


def set_status(kube: Client, ref: ObjectRef, status: dict[str, Any]) -> None:
    """Write status the way the operator does: through the status subresource."""
    cluster_type = Resources(kube, crd_timeout=10).require(ref.api_version, ref.kind)
    kube.patch(
        cluster_type.Status,
        ref.name,
        {"status": status},
        namespace=ref.namespace,
        patch_type=PatchType.MERGE,
    )


def ready(value: str, reason: str, message: str) -> list[dict[str, str]]:
    return [
        {
            "type": "Ready",
            "status": value,
            "reason": reason,
            "message": message,
            "lastTransitionTime": "2026-01-01T00:00:00Z",
        }
    ]


def applied_cluster(plane: ControlPlane) -> tuple[Inputs, ObjectRef]:
    tag = suffix()
    inputs = Inputs.from_mapping(
        {"cluster_namespace": f"db-{tag}", "operator_namespace": f"op-{tag}"}
    )
    plan = plan_for(inputs)
    apply_plan(plan, options(plane), progress=lambda _: None)
    assert plan.cluster is not None
    return inputs, plan.cluster


def options(plane: ControlPlane, **overrides: Any) -> ApplyOptions:
    settings: dict[str, Any] = {
        "kubeconfig": plane.kubeconfig,
        "context": plane.context,
        "skip_operator": True,
        "wait_interval": 0.1,
        **overrides,
    }
    return ApplyOptions(**settings)


def test_wait_times_out_cleanly_with_the_last_status(
    control_plane: ControlPlane, kube: Client
) -> None:
    inputs, cluster = applied_cluster(control_plane)
    set_status(
        kube,
        cluster,
        {
            "phase": "Setting up primary",
            "instances": 3,
            "readyInstances": 1,
            "conditions": ready("False", "ClusterIsNotReady", "Cluster Is Not Ready"),
        },
    )
    lines: list[str] = []

    with pytest.raises(WaitTimeoutError) as caught:
        apply_plan(
            plan_for(inputs), options(control_plane, wait=True, timeout=1.0), progress=lines.append
        )

    status = (
        "phase 'Setting up primary', ready instances 1/3, "
        "not Ready (ClusterIsNotReady: Cluster Is Not Ready)"
    )
    assert str(caught.value) == f"{cluster} was not Ready after 1s; last status: {status}"
    assert caught.value.exit_code == 4
    assert lines[-1] == f"waiting for {cluster}: {status}"


def test_wait_reports_progress_until_ready(control_plane: ControlPlane, kube: Client) -> None:
    _, cluster = applied_cluster(control_plane)
    cluster_type = Resources(kube, crd_timeout=10).require(cluster.api_version, cluster.kind)
    # What an operator would report while it brings three instances up.
    steps: list[dict[str, Any]] = [
        {"phase": "Setting up primary", "instances": 3, "readyInstances": 0},
        {"phase": "Setting up primary", "instances": 3, "readyInstances": 0},
        {"phase": "Creating a new replica", "instances": 3, "readyInstances": 2},
        {
            "phase": "Cluster in healthy state",
            "instances": 3,
            "readyInstances": 3,
            "conditions": ready("True", "ClusterIsReady", "Cluster is Ready"),
        },
    ]

    def operator_step(_: float) -> None:
        set_status(kube, cluster, steps.pop(0))

    lines: list[str] = []
    status = wait_for_cluster(
        kube,
        cluster_type,
        cluster,
        instances=3,
        timeout=600,
        progress=lines.append,
        sleep=operator_step,
    )

    assert status == ClusterStatus(
        phase="Cluster in healthy state",
        ready_instances=3,
        instances=3,
        ready=True,
        reason="ClusterIsReady",
        message="Cluster is Ready",
    )
    prefix = f"waiting for {cluster}: "
    assert lines == [
        prefix + "phase '(no status yet)', ready instances 0/3",
        prefix + "phase 'Setting up primary', ready instances 0/3",
        prefix + "phase 'Creating a new replica', ready instances 2/3",
        prefix + "phase 'Cluster in healthy state', ready instances 3/3, Ready",
    ]
    assert steps == []


def test_apply_with_wait_returns_once_ready(control_plane: ControlPlane, kube: Client) -> None:
    inputs, cluster = applied_cluster(control_plane)
    set_status(
        kube,
        cluster,
        {
            "phase": "Cluster in healthy state",
            "instances": 3,
            "readyInstances": 3,
            "conditions": ready("True", "ClusterIsReady", "Cluster is Ready"),
        },
    )
    lines: list[str] = []
    progress: Callable[[str], None] = lines.append

    report = apply_plan(plan_for(inputs), options(control_plane, wait=True), progress=progress)

    assert report.cluster_status is not None
    assert report.cluster_status.ready
    assert lines[-1] == (
        f"waiting for {cluster}: phase 'Cluster in healthy state', ready instances 3/3, Ready"
    )
