"""`uninstall --include-operator` on an API server of its own: the operator's release
goes only when no Cluster is left anywhere in the API server, and a Namespace holding
a release left installed stays."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from kube_harness import ControlPlane, running_control_plane, suffix
from lightkube.resources.core_v1 import Namespace
from test_helm import make_chart

from wildside_cnpg import Inputs
from wildside_cnpg.apply import ApplyOptions, apply_plan, plan_for
from wildside_cnpg.apply.runner import Plan
from wildside_cnpg.apply.status import ClusterOptions, status_of
from wildside_cnpg.apply.uninstall import UninstallOptions, uninstall_plan

CONFIRMED = "(--allow-destroy, confirmed: its instances and their volumes go with it)"
NAMESPACE_GOES = "(--allow-destroy: everything in it goes with it)"


@pytest.fixture(scope="module")
def lone_plane(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ControlPlane]:
    """ "No other Cluster exists" needs a server without the other tests' Clusters."""
    with running_control_plane(tmp_path_factory.mktemp("lone")) as plane:
        yield plane


def helm_releases(plane: ControlPlane, namespace: str) -> list[str]:
    done = subprocess.run(
        [
            *("helm", "list", "--short", "--namespace", namespace),
            *("--kubeconfig", str(plane.kubeconfig), "--kube-context", plane.context),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stdout.split()


def test_operator_goes_only_when_no_cluster_needs_it(
    lone_plane: ControlPlane, tmp_path: Path
) -> None:
    tag = suffix()
    db, op, other = f"db-{tag}", f"op-{tag}", f"other-{tag}"
    own = Inputs.from_mapping(
        {"cluster_namespace": db, "operator_namespace": op, "helm_release_name": "cnpg"}
    )
    [release] = plan_for(own).releases
    local = replace(
        release, chart=str(make_chart(tmp_path)), repository="", version="0.3.1", timeout_seconds=90
    )
    plan: Plan = replace(plan_for(own), releases=(local,))
    where = {"kubeconfig": lone_plane.kubeconfig, "context": lone_plane.context}
    apply_plan(plan, ApplyOptions(**where), progress=lambda _: None)
    # A second cluster that uses the same operator.
    sharing = plan_for(
        Inputs.from_mapping(
            {"cluster_namespace": other, "operator_namespace": op, "operator_install": "shared"}
        )
    )
    apply_plan(sharing, ApplyOptions(**where, skip_operator=True), progress=lambda _: None)
    [state] = status_of(plan, ClusterOptions(**where)).releases
    assert state.line() == f"Helm release {op}/cnpg: revision 1, deployed"
    destroy = UninstallOptions(**where, allow_destroy=True, yes=True, include_operator=True)
    lines: list[str] = []

    uninstall_plan(plan, destroy, progress=lines.append)

    assert lines == [
        f"deleted Cluster {db}/wildside-pg {CONFIRMED}",
        f"kept Helm release {op}/cnpg (Cluster {other}/wildside-pg still needs the operator)",
        f"kept Namespace {op} (a Helm release left installed lives in it)",
        f"deleted Namespace {db} {NAMESPACE_GOES}",
    ]
    assert helm_releases(lone_plane, op) == ["cnpg"]

    # Without --include-operator the release stays whatever else happens.
    lines.clear()
    uninstall_plan(sharing, replace(destroy, include_operator=False), progress=lines.append)

    assert lines == [
        f"deleted Cluster {other}/wildside-pg {CONFIRMED}",
        f"deleted inventory ConfigMap {other}/wildside-pg-wildside-cnpg-inventory",
        f"deleted Namespace {other} {NAMESPACE_GOES}",
    ]

    # No Cluster is left in the API server: the release and its namespace go.
    lines.clear()
    uninstall_plan(plan, replace(destroy, dry_run=True), progress=lines.append)

    assert lines == [
        f"would uninstall Helm release {op}/cnpg (helm uninstall --dry-run)",
        f"would delete Namespace {op} {NAMESPACE_GOES}",
    ]
    assert helm_releases(lone_plane, op) == ["cnpg"]

    lines.clear()
    uninstall_plan(plan, destroy, progress=lines.append)

    assert lines == [
        f"uninstalled Helm release {op}/cnpg",
        f"deleted inventory ConfigMap {db}/wildside-pg-wildside-cnpg-inventory",
        f"deleted Namespace {op} {NAMESPACE_GOES}",
    ]
    assert helm_releases(lone_plane, op) == []
    with lone_plane.client() as kube:
        assert kube.get(Namespace, op).metadata.deletionTimestamp is not None
    [state] = status_of(plan, ClusterOptions(**where)).releases
    assert state.line() == f"Helm release {op}/cnpg: not installed"


def test_without_include_operator_the_release_is_kept_and_said_so(
    lone_plane: ControlPlane, tmp_path: Path
) -> None:
    tag = suffix()
    db, op = f"db-{tag}", f"op-{tag}"
    own = Inputs.from_mapping({"cluster_namespace": db, "operator_namespace": op, "instances": 1})
    [release] = plan_for(own).releases
    local = replace(release, chart=str(make_chart(tmp_path)), repository="", version="0.3.1")
    plan: Plan = replace(plan_for(own), releases=(local,))
    where = {"kubeconfig": lone_plane.kubeconfig, "context": lone_plane.context}
    apply_plan(plan, ApplyOptions(**where), progress=lambda _: None)
    lines: list[str] = []

    uninstall_plan(plan, UninstallOptions(**where, dry_run=True), progress=lines.append)

    keep_cluster = (
        "deleting a Cluster deletes its instances and their volumes: "
        "pass --allow-destroy and confirm"
    )
    keep_namespace = "deleting a Namespace deletes everything in it: pass --allow-destroy"
    assert lines == [
        f"would keep Cluster {db}/wildside-pg ({keep_cluster})",
        f"would keep Helm release {op}/cloudnative-pg "
        "(pass --include-operator to uninstall the operator)",
        f"would keep Namespace {op} ({keep_namespace})",
        f"would keep Namespace {db} ({keep_namespace})",
    ]
    assert helm_releases(lone_plane, op) == ["cloudnative-pg"]
