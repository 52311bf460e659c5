"""Order as data on the real server: CRDs are Established before their custom resources
(watched, not polled), and a missing CRD is a bounded wait with a clear error."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from faulty_proxy import faulty_proxy
from kube_harness import ControlPlane, suffix
from lightkube import Client
from lightkube.core.resource_registry import resource_registry

from wildside_cnpg.apply import ApplyOptions, ClusterError, Inventory, ObjectRef, Plan, apply_plan
from wildside_cnpg.apply.kube import Resources
from wildside_cnpg.apply.ssa import get_current


def widget_crd(group: str) -> dict[str, Any]:
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": f"widgets.{group}"},
        "spec": {
            "group": group,
            "scope": "Namespaced",
            "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
            "versions": [
                {
                    "name": "v1",
                    "served": True,
                    "storage": True,
                    "schema": {
                        "openAPIV3Schema": {
                            "type": "object",
                            "properties": {
                                "spec": {
                                    "type": "object",
                                    "properties": {"size": {"type": "integer", "minimum": 1}},
                                }
                            },
                        }
                    },
                }
            ],
        },
    }


def options(plane: ControlPlane, **overrides: Any) -> ApplyOptions:
    return ApplyOptions(kubeconfig=plane.kubeconfig, context=plane.context, **overrides)


def test_crd_is_established_before_its_custom_resources(
    control_plane: ControlPlane, kube: Client
) -> None:
    tag = suffix()
    group, ns = f"w{tag}.example.com", f"widgets-{tag}"
    widget = {
        "apiVersion": f"{group}/v1",
        "kind": "Widget",
        "metadata": {"name": "first", "namespace": ns},
        "spec": {"size": 3},
    }
    namespace = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}
    # Listed backwards: the plan puts them in order.
    plan = Plan.build([widget, namespace, widget_crd(group)], Inventory(ns, "widgets"))
    lines: list[str] = []

    apply_plan(plan, options(control_plane), progress=lines.append)

    assert lines == [
        f"created CustomResourceDefinition widgets.{group}",
        f"created Namespace {ns}",
        f"created Widget {ns}/first",
    ]
    ref = ObjectRef.of(widget)
    live = get_current(
        kube, Resources(kube, crd_timeout=10).require(ref.api_version, "Widget"), ref
    )
    assert live is not None
    assert live["spec"] == {"size": 3}


def test_dry_run_names_what_it_could_not_validate(control_plane: ControlPlane) -> None:
    tag = suffix()
    group, ns = f"d{tag}.example.com", f"dry-{tag}"
    widget = {
        "apiVersion": f"{group}/v1",
        "kind": "Widget",
        "metadata": {"name": "first", "namespace": ns},
    }
    namespace = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}
    plan = Plan.build([widget, namespace, widget_crd(group)], Inventory(ns, "widgets"))
    lines: list[str] = []

    apply_plan(plan, options(control_plane, dry_run=True), progress=lines.append)

    assert lines == [
        f"would create CustomResourceDefinition widgets.{group}",
        f"would create Namespace {ns}",
        f"would create Widget {ns}/first (not validated: the CustomResourceDefinition for "
        f"{group}/v1 Widget is not installed yet)",
    ]


def test_missing_crd_is_a_bounded_wait_with_a_clear_error(
    control_plane: ControlPlane,
) -> None:
    tag = suffix()
    gadget = {
        "apiVersion": f"g{tag}.example.com/v1",
        "kind": "Gadget",
        "metadata": {"name": "first", "namespace": "default"},
    }
    plan = Plan.build([gadget], Inventory("default", f"gadgets-{tag}"))

    with pytest.raises(ClusterError) as caught:
        apply_plan(plan, options(control_plane, crd_timeout=1.0), progress=lambda _: None)

    assert str(caught.value) == (
        f"the CustomResourceDefinition for g{tag}.example.com/v1 Gadget is not installed after "
        "1s; install its operator first (apply installs CloudNativePG unless --skip-operator "
        "is given)"
    )
    assert caught.value.exit_code == 5


def test_a_crd_installed_while_apply_waits_is_seen_by_the_watch(
    control_plane: ControlPlane, kube: Client, tmp_path: Path
) -> None:
    tag = suffix()
    group, ns = f"l{tag}.example.com", f"late-{tag}"
    widget = {
        "apiVersion": f"{group}/v1",
        "kind": "Widget",
        "metadata": {"name": "first", "namespace": ns},
        "spec": {"size": 2},
    }
    namespace = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}
    plan = Plan.build([widget, namespace], Inventory(ns, "widgets"))
    crds = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
    lines: list[str] = []
    failures: list[BaseException] = []
    with faulty_proxy(control_plane) as proxy:
        kubeconfig = proxy.kubeconfig(tmp_path / "proxy.kubeconfig", control_plane.token)

        def run() -> None:
            try:
                apply_plan(plan, ApplyOptions(kubeconfig=kubeconfig), progress=lines.append)
            except BaseException as exc:  # handed to the test thread below
                failures.append(exc)

        applying = threading.Thread(target=run)
        applying.start()
        # Someone installs the CRD once apply watches for it.
        watching = proxy.wait_for("GET", crds, "watch=true", count=1)
        crd_type = resource_registry.load("apiextensions.k8s.io/v1", "CustomResourceDefinition")
        kube.create(crd_type.from_dict(widget_crd(group)))
        applying.join(120)

    assert watching
    assert not applying.is_alive()
    assert failures == []
    assert lines == [f"created Namespace {ns}", f"created Widget {ns}/first"]
    # Listed twice (the plan's check, then before the watch), never polled.
    listed = [r for r in proxy.requests("GET", crds) if "watch=true" not in r]
    assert len(listed) == 2
    [watch] = proxy.requests("GET", crds, "watch=true")
    assert "resourceVersion=" in watch
