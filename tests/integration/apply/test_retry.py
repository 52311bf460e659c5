"""Retries of transient API failures, against the real API server behind a proxy that
fails on purpose: the number of attempts and the outcome, never a timing."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from faulty_proxy import FaultyProxy, faulty_proxy
from kube_harness import ControlPlane, suffix
from lightkube import Client
from test_apply import with_cluster_spec
from tests.processes import free_port

from wildside_cnpg import Inputs
from wildside_cnpg.apply import ApplyOptions, ApplyRejectedError, apply_plan, plan_for
from wildside_cnpg.apply.kube import Resources
from wildside_cnpg.apply.retry import RetryPolicy
from wildside_cnpg.cli import main


def inputs_file(tmp_path: Path) -> tuple[Path, str]:
    tag = suffix()
    data = {"mode": "apply", "cluster_namespace": f"db-{tag}", "operator_namespace": f"op-{tag}"}
    path = tmp_path / "inputs.yaml"
    path.write_text(yaml.safe_dump(data))
    return path, data["cluster_namespace"]


def through(proxy: FaultyProxy, plane: ControlPlane, tmp_path: Path) -> list[str]:
    return ["--kubeconfig", str(proxy.kubeconfig(tmp_path / "proxy.kubeconfig", plane.token))]


def inventory_path(ns: str) -> str:
    return f"/api/v1/namespaces/{ns}/configmaps/wildside-pg-wildside-cnpg-inventory"


def test_429_is_retried_after_the_servers_retry_after(
    control_plane: ControlPlane, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, ns = inputs_file(tmp_path)
    with faulty_proxy(control_plane) as proxy:
        proxy.fail("429", "GET", inventory_path(ns), 2, retry_after=1)

        code = main(["status", "--inputs", str(path), *through(proxy, control_plane, tmp_path)])

    assert code == 0
    assert len(proxy.requests("GET", inventory_path(ns))) == 3
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"warning: GET {inventory_path(ns)}: HTTP 429 Too Many Requests; "
        f"retrying in 1.0s (attempt {n} of 5)"
        for n in (2, 3)
    ]
    assert captured.out.splitlines()[0] == (
        f"inventory ConfigMap {ns}/wildside-pg-wildside-cnpg-inventory: "
        "not found (nothing applied yet)"
    )


def test_503_on_every_attempt_exits_5_after_max_attempts(
    control_plane: ControlPlane, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, ns = inputs_file(tmp_path)
    with faulty_proxy(control_plane) as proxy:
        proxy.fail("503", "GET", inventory_path(ns), 100)
        argv = ["status", "--inputs", str(path), *through(proxy, control_plane, tmp_path)]

        code = main([*argv, "--max-attempts", "3"])

    assert code == 5
    assert len(proxy.requests("GET", inventory_path(ns))) == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    *warnings, error = captured.err.splitlines()
    assert [re.sub(r"in \d+\.\ds", "in Ns", w) for w in warnings] == [
        f"warning: GET {inventory_path(ns)}: HTTP 503 Service Unavailable; "
        f"retrying in Ns (attempt {n} of 3)"
        for n in (2, 3)
    ]
    assert error == (
        f"error: the API server kept failing: GET {inventory_path(ns)}: "
        "HTTP 503 Service Unavailable; gave up after 3 attempts"
    )


def test_connection_reset_during_apply_is_retried(
    control_plane: ControlPlane, kube: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, ns = inputs_file(tmp_path)
    cluster_path = f"/apis/postgresql.cnpg.io/v1/namespaces/{ns}/clusters/wildside-pg"
    with faulty_proxy(control_plane) as proxy:
        proxy.fail("reset", "PATCH", cluster_path, 2)
        argv = ["apply", "--inputs", str(path), "--skip-operator"]

        code = main([*argv, *through(proxy, control_plane, tmp_path)])

    assert code == 0
    assert len(proxy.requests("PATCH", cluster_path)) == 3
    captured = capsys.readouterr()
    warnings = [line for line in captured.err.splitlines() if line.startswith("warning: PATCH")]
    assert [re.sub(r"in \d+\.\ds", "in Ns", w) for w in warnings] == [
        f"warning: PATCH {cluster_path}: [Errno 104] Connection reset by peer; "
        f"retrying in Ns (attempt {n} of 5)"
        for n in (2, 3)
    ]
    assert f"created Cluster {ns}/wildside-pg" in captured.out.splitlines()
    cluster_type = Resources(kube, crd_timeout=10).require("postgresql.cnpg.io/v1", "Cluster")
    assert kube.get(cluster_type, "wildside-pg", namespace=ns)["spec"]["instances"] == 3


def test_connection_refused_gives_up_after_max_attempts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, ns = inputs_file(tmp_path)
    nowhere = tmp_path / "nowhere.kubeconfig"
    nowhere.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "clusters": [
                    {"name": "c", "cluster": {"server": f"http://127.0.0.1:{free_port()}"}}
                ],
                "users": [{"name": "u", "user": {"token": "t"}}],
                "contexts": [{"name": "x", "context": {"cluster": "c", "user": "u"}}],
                "current-context": "x",
            }
        )
    )

    code = main(
        ["status", "--inputs", str(path), "--kubeconfig", str(nowhere), "--max-attempts", "2"]
    )

    assert code == 5
    warning, error = capsys.readouterr().err.splitlines()
    assert re.sub(r"in \d+\.\ds", "in Ns", warning) == (
        f"warning: GET {inventory_path(ns)}: [Errno 111] Connection refused; "
        "retrying in Ns (attempt 2 of 2)"
    )
    assert error == (
        f"error: cannot reach the API server: GET {inventory_path(ns)}: "
        "[Errno 111] Connection refused; gave up after 2 attempts"
    )


@pytest.mark.parametrize(
    "spec",
    # The API server answers 500 "failed to create typed patch object" to the first and
    # 422 Invalid to the second: both judge the object, neither is an outage.
    [{"instancez": 3}, {"backup": {"retentionPolicy": "0d"}}],
    ids=["unknown-field", "invalid-value"],
)
def test_a_verdict_on_the_object_is_not_retried(
    control_plane: ControlPlane, tmp_path: Path, spec: dict[str, Any]
) -> None:
    tag = suffix()
    plan = plan_for(
        Inputs.from_mapping({"cluster_namespace": f"db-{tag}", "operator_namespace": f"op-{tag}"})
    )
    bad = with_cluster_spec(plan, **spec)
    cluster_path = f"/apis/postgresql.cnpg.io/v1/namespaces/db-{tag}/clusters/wildside-pg"
    with faulty_proxy(control_plane) as proxy:
        kubeconfig = proxy.kubeconfig(tmp_path / "proxy.kubeconfig", control_plane.token)
        options = ApplyOptions(kubeconfig=kubeconfig, skip_operator=True, retry=RetryPolicy())

        with pytest.raises(ApplyRejectedError) as caught:
            apply_plan(bad, options, progress=lambda _: None)

    assert caught.value.exit_code == 2
    assert len(proxy.requests("PATCH", cluster_path)) == 1
