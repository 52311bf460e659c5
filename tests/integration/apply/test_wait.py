"""--wait and the CRD wait against the real API server, by watch. No operator runs
here, so the tests write the Cluster's status through the status subresource, as the
operator would."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from faulty_proxy import faulty_proxy
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
from wildside_cnpg.apply.kube import Resources, connect
from wildside_cnpg.apply.retry import RetryPolicy
from wildside_cnpg.apply.wait import wait_for_cluster

JOIN_TIMEOUT = 120.0


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


HEALTHY: dict[str, Any] = {
    "phase": "Cluster in healthy state",
    "instances": 3,
    "readyInstances": 3,
    "currentPrimary": "wildside-pg-1",
    "conditions": ready("True", "ClusterIsReady", "Cluster is Ready"),
}


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


def test_wait_sees_each_status_written_through_the_status_subresource(
    control_plane: ControlPlane, kube: Client
) -> None:
    _, cluster = applied_cluster(control_plane)
    cluster_type = Resources(kube, crd_timeout=10).require(cluster.api_version, cluster.kind)
    # What an operator would report while it brings three instances up; each is
    # written once the wait has reported the previous one, so only a watch sees it.
    # The first write of a step changes nothing the wait shows: no line for it.
    steps: list[list[dict[str, Any]]] = [
        [{"phase": "Setting up primary", "instances": 3, "readyInstances": 0}],
        [
            {"phase": "Setting up primary", "instances": 3, "readyInstances": 0, "latestGen": 1},
            {"phase": "Creating a new replica", "instances": 3, "readyInstances": 2},
        ],
        [HEALTHY],
    ]
    lines: list[str] = []

    def operator_step(line: str) -> None:
        lines.append(line)
        if steps:
            for status in steps.pop(0):
                set_status(kube, cluster, status)

    status = wait_for_cluster(
        kube, cluster_type, cluster, instances=3, timeout=JOIN_TIMEOUT, progress=operator_step
    )

    assert status == ClusterStatus(
        phase="Cluster in healthy state",
        ready_instances=3,
        instances=3,
        ready=True,
        reason="ClusterIsReady",
        message="Cluster is Ready",
        current_primary="wildside-pg-1",
    )
    prefix = f"waiting for {cluster}: "
    assert lines == [
        prefix + "phase '(no status yet)', ready instances 0/3",
        prefix + "phase 'Setting up primary', ready instances 0/3",
        prefix + "phase 'Creating a new replica', ready instances 2/3",
        prefix + "phase 'Cluster in healthy state', ready instances 3/3, "
        "primary wildside-pg-1, Ready",
    ]
    assert steps == []


def test_apply_with_wait_returns_once_ready(control_plane: ControlPlane, kube: Client) -> None:
    inputs, cluster = applied_cluster(control_plane)
    set_status(kube, cluster, HEALTHY)
    lines: list[str] = []

    report = apply_plan(plan_for(inputs), options(control_plane, wait=True), progress=lines.append)

    assert report.cluster_status is not None
    assert report.cluster_status.ready
    assert lines[-1] == (
        f"waiting for {cluster}: phase 'Cluster in healthy state', ready instances 3/3, "
        "primary wildside-pg-1, Ready"
    )


def test_watch_is_reestablished_from_its_resource_version_when_the_server_closes_it(
    control_plane: ControlPlane, kube: Client, tmp_path: Path
) -> None:
    _, cluster = applied_cluster(control_plane)
    cluster_type = Resources(kube, crd_timeout=10).require(cluster.api_version, cluster.kind)
    clusters = f"/apis/postgresql.cnpg.io/v1/namespaces/{cluster.namespace}/clusters?"
    with faulty_proxy(control_plane) as proxy:
        kubeconfig = proxy.kubeconfig(tmp_path / "proxy.kubeconfig", control_plane.token)
        client = connect(kubeconfig, None, "wildside-cnpg")
        outcome: list[Any] = []
        lines: list[str] = []

        def wait() -> None:
            try:
                outcome.append(
                    wait_for_cluster(
                        client,
                        cluster_type,
                        cluster,
                        instances=3,
                        timeout=JOIN_TIMEOUT,
                        progress=lines.append,
                        window=1,  # the API server closes each watch after a second
                    )
                )
            except Exception as exc:  # handed to the test thread below
                outcome.append(exc)

        waiter = threading.Thread(target=wait)
        waiter.start()
        # The first watch and two opened again after the server closed them.
        seen_three = proxy.wait_for("GET", clusters, "watch=true", count=3)
        set_status(kube, cluster, HEALTHY)
        waiter.join(JOIN_TIMEOUT)
        client.close()

    assert seen_three
    assert not waiter.is_alive()
    assert [type(o) for o in outcome] == [ClusterStatus]
    assert lines[-1].endswith("primary wildside-pg-1, Ready")
    [listed] = [r for r in proxy.requests("GET", clusters) if "watch=true" not in r]
    watches = proxy.requests("GET", clusters, "watch=true")
    assert len(watches) >= 3
    # Every watch asks for one second and, as nothing changed before the status was
    # written, starts from the resourceVersion the list returned.
    versions = {param for r in watches[:3] for param in r.split("&") if "resourceVersion=" in param}
    assert len(versions) == 1
    assert all("timeoutSeconds=1" in r and "metadata.name%3Dwildside-pg" in r for r in watches)
    assert "metadata.name%3Dwildside-pg" in listed


def test_failed_watch_requests_are_retried(
    control_plane: ControlPlane, kube: Client, tmp_path: Path
) -> None:
    _, cluster = applied_cluster(control_plane)
    cluster_type = Resources(kube, crd_timeout=10).require(cluster.api_version, cluster.kind)
    with faulty_proxy(control_plane) as proxy:
        proxy.fail("503", "GET", "watch=true", 2)
        kubeconfig = proxy.kubeconfig(tmp_path / "proxy.kubeconfig", control_plane.token)
        notices: list[str] = []
        client = connect(
            kubeconfig,
            None,
            "wildside-cnpg",
            retry=RetryPolicy(attempts=3, base_delay=0.01),
            notify=notices.append,
        )

        def operator(line: str) -> None:
            if "no status yet" in line:
                set_status(kube, cluster, HEALTHY)

        status = wait_for_cluster(
            client, cluster_type, cluster, instances=3, timeout=JOIN_TIMEOUT, progress=operator
        )
        client.close()

    assert status.ready
    assert len(proxy.requests("GET", "watch=true")) == 3
    path = f"/apis/postgresql.cnpg.io/v1/namespaces/{cluster.namespace}/clusters"
    assert [n.split(" (attempt ")[1] for n in notices] == ["2 of 3)", "3 of 3)"]
    assert all(
        n.startswith(f"GET {path}: HTTP 503 Service Unavailable; retrying in ") for n in notices
    )
