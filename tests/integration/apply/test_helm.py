"""The operator step runs the real helm binary against the test API server."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import pytest
import yaml
from kube_harness import ControlPlane
from lightkube import ApiError, Client
from lightkube.models.meta_v1 import ObjectMeta
from lightkube.resources.core_v1 import ConfigMap, Namespace

from wildside_cnpg.apply import ClusterError, HelmRelease, ToolMissingError
from wildside_cnpg.apply.helm import HELM_INSTALL_HINT, upgrade_install


def make_chart(directory: Path) -> Path:
    """A minimal chart: one ConfigMap whose data comes from the values."""
    chart = directory / "probe"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text(
        yaml.safe_dump(
            {"apiVersion": "v2", "name": "probe", "version": "0.3.1", "appVersion": "1.0"}
        )
    )
    (chart / "values.yaml").write_text(yaml.safe_dump({"greeting": "default"}))
    (chart / "templates" / "configmap.yaml").write_text(
        "apiVersion: v1\n"
        "kind: ConfigMap\n"
        "metadata:\n"
        "  name: {{ .Release.Name }}-probe\n"
        "data:\n"
        "  greeting: {{ .Values.greeting | quote }}\n"
        "  chartVersion: {{ .Chart.Version | quote }}\n"
    )
    return chart


def helm_list(plane: ControlPlane, namespace: str) -> list[dict[str, str]]:
    done = subprocess.run(
        [
            "helm",
            "list",
            "--output",
            "json",
            "--namespace",
            namespace,
            "--kubeconfig",
            str(plane.kubeconfig),
            "--kube-context",
            plane.context,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    listed: list[dict[str, str]] = yaml.safe_load(done.stdout)
    return listed


def fresh_namespace(kube: Client) -> str:
    name = f"helm-{uuid.uuid4().hex[:8]}"
    kube.create(Namespace(metadata=ObjectMeta(name=name)))
    return name


def test_upgrade_install_installs_then_upgrades_a_local_chart(
    control_plane: ControlPlane, kube: Client, tmp_path: Path
) -> None:
    namespace = fresh_namespace(kube)
    chart = make_chart(tmp_path)
    release = HelmRelease(
        release="probe",
        namespace=namespace,
        chart=str(chart),
        version="0.3.1",
        values=({"greeting": "hello"},),
        wait=True,
        timeout_seconds=120,
    )
    where = {"kubeconfig": control_plane.kubeconfig, "context": control_plane.context}

    summary = upgrade_install(release, dry_run=False, **where)

    assert summary == (
        f"installed or upgraded Helm release {namespace}/probe (chart {chart} 0.3.1)"
    )
    live = kube.get(ConfigMap, "probe-probe", namespace=namespace)
    assert live.data == {"greeting": "hello", "chartVersion": "0.3.1"}
    [listed] = helm_list(control_plane, namespace)
    assert (listed["name"], listed["revision"], listed["status"], listed["chart"]) == (
        "probe",
        "1",
        "deployed",
        "probe-0.3.1",
    )

    again = HelmRelease(**{**release.__dict__, "values": ({"greeting": "again"},)})
    upgrade_install(again, dry_run=False, **where)

    live = kube.get(ConfigMap, "probe-probe", namespace=namespace)
    assert live.data == {"greeting": "again", "chartVersion": "0.3.1"}
    [listed] = helm_list(control_plane, namespace)
    assert listed["revision"] == "2"


def test_upgrade_install_dry_run_installs_nothing(
    control_plane: ControlPlane, kube: Client, tmp_path: Path
) -> None:
    namespace = fresh_namespace(kube)
    release = HelmRelease(
        release="probe", namespace=namespace, chart=str(make_chart(tmp_path)), version="0.3.1"
    )

    summary = upgrade_install(
        release, kubeconfig=control_plane.kubeconfig, context=control_plane.context, dry_run=True
    )

    assert summary.startswith(f"would install or upgrade Helm release {namespace}/probe")
    assert helm_list(control_plane, namespace) == []
    with pytest.raises(ApiError) as missing:
        kube.get(ConfigMap, "probe-probe", namespace=namespace)
    assert missing.value.status.code == 404


def test_helm_failure_carries_helms_own_message(
    control_plane: ControlPlane, tmp_path: Path
) -> None:
    release = HelmRelease(
        release="probe",
        namespace="no-such-namespace",
        chart=str(make_chart(tmp_path)),
        version="0.3.1",
        wait=False,
    )

    with pytest.raises(ClusterError, match=r'namespaces "no-such-namespace" not found') as caught:
        upgrade_install(
            release,
            kubeconfig=control_plane.kubeconfig,
            context=control_plane.context,
            dry_run=False,
        )

    assert str(caught.value).startswith("helm upgrade --install probe failed: ")
    assert caught.value.exit_code == 5


def test_missing_helm_names_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    release = HelmRelease(release="probe", namespace="x", chart="probe", version="0.3.1")

    with pytest.raises(ToolMissingError) as caught:
        upgrade_install(release, kubeconfig=None, context=None, dry_run=False)

    assert str(caught.value) == HELM_INSTALL_HINT
    assert "go install helm.sh/helm/v3/cmd/helm@v3.21.4" in str(caught.value)
    assert caught.value.exit_code == 5


def test_install_and_upgrade_report_each_status_of_the_release(
    control_plane: ControlPlane, kube: Client, tmp_path: Path
) -> None:
    namespace = fresh_namespace(kube)
    chart = make_chart(tmp_path)
    release = HelmRelease(
        release="probe", namespace=namespace, chart=str(chart), version="0.3.1", timeout_seconds=90
    )
    where = {"kubeconfig": control_plane.kubeconfig, "context": control_plane.context}
    lines: list[str] = []
    pending = " (helm applies the chart's objects, then waits up to 90s for them to be ready)"

    upgrade_install(release, dry_run=False, progress=lines.append, client=kube, **where)

    assert lines == [
        f"helm: installing release {namespace}/probe (chart {chart} 0.3.1)",
        f"helm: release {namespace}/probe revision 1: pending-install{pending}",
        f"helm: release {namespace}/probe revision 1: deployed",
    ]

    lines.clear()
    upgrade_install(release, dry_run=False, progress=lines.append, client=kube, **where)

    # The superseded revision 1 is not what helm is doing: not reported.
    assert lines == [
        f"helm: upgrading release {namespace}/probe from revision 1 (deployed) "
        f"to chart {chart} 0.3.1",
        f"helm: release {namespace}/probe revision 2: pending-upgrade{pending}",
        f"helm: release {namespace}/probe revision 2: deployed",
    ]

    # A chart whose object the API server refuses: helm records the revision as failed.
    broken = make_chart(tmp_path / "broken")
    (broken / "templates" / "configmap.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Not_A_Valid_Name\n"
    )
    lines.clear()
    failing = HelmRelease(**{**release.__dict__, "chart": str(broken)})
    with pytest.raises(ClusterError) as caught:
        upgrade_install(failing, dry_run=False, progress=lines.append, client=kube, **where)

    assert str(caught.value).startswith("helm upgrade --install probe failed: ")
    assert lines == [
        f"helm: upgrading release {namespace}/probe from revision 2 (deployed) "
        f"to chart {broken} 0.3.1",
        f"helm: release {namespace}/probe revision 3: pending-upgrade{pending}",
        f"helm: release {namespace}/probe revision 3: failed",
    ]


def test_a_release_kept_outside_the_api_server_is_installed_without_following(
    control_plane: ControlPlane, kube: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # helm keeps the release in its own memory, seeded from an empty file.
    (tmp_path / "releases.yaml").write_text("")
    monkeypatch.setenv("HELM_DRIVER", "memory")
    monkeypatch.setenv("HELM_MEMORY_DRIVER_DATA", str(tmp_path / "releases.yaml"))
    namespace = fresh_namespace(kube)
    chart = make_chart(tmp_path)
    release = HelmRelease(release="probe", namespace=namespace, chart=str(chart), version="0.3.1")
    lines: list[str] = []

    summary = upgrade_install(
        release,
        kubeconfig=control_plane.kubeconfig,
        context=control_plane.context,
        dry_run=False,
        progress=lines.append,
        client=kube,
    )

    assert lines == [
        f"helm: installing or upgrading release {namespace}/probe (chart {chart} 0.3.1)",
        f"helm: not following release {namespace}/probe: HELM_DRIVER=memory keeps its records "
        "outside the API server",
    ]
    assert summary == f"installed or upgraded Helm release {namespace}/probe (chart {chart} 0.3.1)"
