"""The Services of `disabled_default_services` and `additional_services`, as CNPG's
real operator makes them from a rendered Cluster, and what it does on the next
commit: exactly what the plan's details say. A LoadBalancer's class changed in place
is what Kubernetes refuses (so the plan refuses it); with `update_strategy: replace`
CNPG deletes the Service and creates it with the new class."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from typing import Any

import pytest
from cryptography import x509
from lightkube import ApiError

from wildside_cnpg import Inputs, Module
from wildside_cnpg.plan.checkout import plan_files

from .objects import Document, Objects
from .placement import fresh_namespace

RECONCILE_TIMEOUT = 120.0
FLUX_GROUPS = ("source.toolkit.fluxcd.io/", "helm.toolkit.fluxcd.io/")
CLUSTER = "pg"
PUBLIC = {
    "name": "pg-public",
    "selector_type": "rw",
    "type": "LoadBalancer",
    "annotations": {"service.beta.kubernetes.io/do-loadbalancer-name": "pg"},
    "labels": {"exposure": "office"},
    "load_balancer_source_ranges": ["10.0.0.0/8", "2001:db8::/32"],
    "load_balancer_class": "example.com/internal-vip",
}
REPORTS = {"name": "pg-reports", "selector_type": "r"}
# pkg/specs/services.go (1.30.0): what each selector type selects.
SELECTORS = {
    "rw": {"cnpg.io/cluster": CLUSTER, "cnpg.io/instanceRole": "primary"},
    "r": {"cnpg.io/cluster": CLUSTER, "cnpg.io/podRole": "instance"},
}


def module(namespace: str, **values: Any) -> Module:
    return Module(Inputs(cluster_name=CLUSTER, cluster_namespace=namespace, **values))


def apply_tree(objects: Objects, tree: Module) -> None:
    for doc in tree.objects():
        if not doc["apiVersion"].startswith(FLUX_GROUPS):
            objects.apply(doc)


def service(objects: Objects, name: str, namespace: str) -> Document | None:
    return objects.get("v1", "Service", name, namespace)


def wait_until(what: str, done: Callable[[], bool]) -> None:
    deadline = time.monotonic() + RECONCILE_TIMEOUT
    while not done():
        if time.monotonic() > deadline:
            pytest.fail(f"after {RECONCILE_TIMEOUT:g}s the operator has not {what}")
        time.sleep(0.5)


def cluster_details(before: Module, after: Module) -> list[str]:
    old, new = before.documents(), after.documents()
    plan = plan_files(after, old, new, set(old))
    assert plan.refusals == []
    [change] = [c for c in plan.changes if c.key.kind == "Cluster"]
    return list(change.details)


@pytest.mark.usefixtures("operator")
def test_the_operator_makes_the_services_and_follows_the_next_commit(objects: Objects) -> None:
    namespace = fresh_namespace(objects, "services")
    first = module(
        namespace, disabled_default_services=["ro"], additional_services=[PUBLIC, REPORTS]
    )
    apply_tree(objects, first)
    wait_until(
        "made pg-public and pg-reports",
        lambda: all(service(objects, name, namespace) for name in ("pg-public", "pg-reports")),
    )
    # CNPG reconciles its own Services before the additional ones: -ro was skipped.
    assert service(objects, "pg-ro", namespace) is None
    assert service(objects, "pg-r", namespace) is not None
    public = service(objects, "pg-public", namespace)
    assert public is not None
    spec = public["spec"]
    assert spec["type"] == "LoadBalancer"
    assert spec["loadBalancerSourceRanges"] == ["10.0.0.0/8", "2001:db8::/32"]
    assert spec["loadBalancerClass"] == "example.com/internal-vip"
    assert spec["selector"] == SELECTORS["rw"]
    assert [port["port"] for port in spec["ports"]] == [5432]
    assert public["metadata"]["labels"].items() >= {"exposure": "office"}.items()
    assert public["metadata"]["annotations"].items() >= PUBLIC["annotations"].items()
    reports = service(objects, "pg-reports", namespace)
    assert reports is not None
    assert (reports["spec"]["type"], reports["spec"]["selector"]) == ("ClusterIP", SELECTORS["r"])
    outputs = {name: out["value"] for name, out in first.outputs().items()}
    assert outputs["replica_endpoint"] is None

    # The next commit: -ro on again, the LoadBalancer removed.
    second = module(namespace, additional_services=[REPORTS])
    assert cluster_details(first, second) == [
        f"CNPG creates its Service {CLUSTER}-ro again",
        "CNPG deletes Service pg-public, its load balancer and its address; clients "
        "connecting through it can no longer connect",
    ]
    apply_tree(objects, second)
    wait_until(
        "deleted pg-public and made pg-ro",
        lambda: (
            service(objects, "pg-public", namespace) is None
            and service(objects, "pg-ro", namespace) is not None
        ),
    )
    assert service(objects, "pg-reports", namespace) is not None


@pytest.mark.usefixtures("operator")
def test_a_load_balancer_class_changes_only_by_replacing_the_service(objects: Objects) -> None:
    namespace = fresh_namespace(objects, "lbclass")
    first = module(namespace, additional_services=[PUBLIC])
    apply_tree(objects, first)
    wait_until("made pg-public", lambda: service(objects, "pg-public", namespace) is not None)
    created = service(objects, "pg-public", namespace)
    assert created is not None

    # In place, Kubernetes refuses the new class; the plan refuses the commit.
    moved = {**PUBLIC, "load_balancer_class": "example.com/other-vip"}
    in_place = module(namespace, additional_services=[moved])
    old, new = first.documents(), in_place.documents()
    [refusal] = plan_files(in_place, old, new, set(old)).refusals
    assert refusal.input == "additional_services"
    assert not refusal.overridable
    # A merge patch, as CNPG's own update would change it (and, without a
    # resourceVersion, never a conflict with the operator's writes).
    new_class = {"spec": {"loadBalancerClass": "example.com/other-vip"}}
    with pytest.raises(ApiError) as refused:
        objects.merge_patch("v1", "Service", "pg-public", namespace, new_class)
    assert str(refused.value.status.message) == (
        'Service "pg-public" is invalid: spec.loadBalancerClass: Invalid value: '
        '"example.com/other-vip": may not change once set'
    )

    # With update_strategy replace, CNPG deletes the Service and makes it anew.
    replaced = module(namespace, additional_services=[{**moved, "update_strategy": "replace"}])
    assert cluster_details(first, replaced) == [
        "CNPG deletes Service pg-public and creates it again (updateStrategy replace) (a "
        "LoadBalancer gets a new address)"
    ]
    apply_tree(objects, replaced)

    def recreated() -> bool:
        found = service(objects, "pg-public", namespace)
        return (
            found is not None
            and found["metadata"]["uid"] != created["metadata"]["uid"]
            and found["spec"].get("loadBalancerClass") == "example.com/other-vip"
        )

    wait_until("recreated pg-public with the new class", recreated)


def pooler_service(objects: Objects, namespace: str) -> Document | None:
    return service(objects, f"{CLUSTER}-pooler-rw", namespace)


def pooler_details(before: Module, after: Module) -> tuple[list[str], list[str]]:
    old, new = before.documents(), after.documents()
    plan = plan_files(after, old, new, set(old))
    [change] = [c for c in plan.changes if c.key.kind == "Pooler"]
    return list(change.details), [refusal.line() for refusal in plan.refusals]


@pytest.mark.usefixtures("operator")
def test_a_pooler_behind_a_load_balancer_changes_class_in_two_commits(objects: Objects) -> None:
    """CNPG's pooler controller always patches its Service: a new load balancer class
    is refused (Kubernetes never changes it), and the plan's recipe (ClusterIP for one
    commit, then the LoadBalancer with the new class) is what the operator carries out."""
    namespace = fresh_namespace(objects, "poolerlb")
    balanced = {key: PUBLIC[key] for key in ("type", "annotations", "labels")} | {
        "load_balancer_source_ranges": ["10.0.0.0/8"],
        "load_balancer_class": "example.com/internal-vip",
    }
    first = module(namespace, pooler_enabled=True, pooler_service=balanced)
    apply_tree(objects, first)
    wait_until("made the Pooler's Service", lambda: pooler_service(objects, namespace) is not None)
    made = pooler_service(objects, namespace)
    assert made is not None
    assert made["spec"]["type"] == "LoadBalancer"
    assert made["spec"]["loadBalancerSourceRanges"] == ["10.0.0.0/8"]
    assert made["spec"]["loadBalancerClass"] == "example.com/internal-vip"
    assert made["metadata"]["annotations"].items() >= PUBLIC["annotations"].items()

    new_class = {**balanced, "load_balancer_class": "example.com/other-vip"}
    refused = module(namespace, pooler_enabled=True, pooler_service=new_class)
    assert pooler_details(first, refused)[1] == [
        "pooler_service: changing load_balancer_class of the Service of Pooler "
        f"{namespace}/{CLUSTER}-pooler-rw from example.com/internal-vip to "
        "example.com/other-vip is refused by Kubernetes, which never changes it on a "
        "LoadBalancer; CNPG's update fails and stops reconciling the Pooler. Set "
        "pooler_service's type to ClusterIP in one commit (its load balancer and address go) "
        "and back to LoadBalancer with the new class in the next; --allow-destroy does not "
        "change this"
    ]

    cluster_ip = module(namespace, pooler_enabled=True, pooler_service={"type": "ClusterIP"})
    assert pooler_details(first, cluster_ip) == (
        [
            f"CNPG changes Service {CLUSTER}-pooler-rw to ClusterIP: its load balancer and "
            "its address are released"
        ],
        [],
    )
    apply_tree(objects, cluster_ip)

    def plain() -> bool:
        found = pooler_service(objects, namespace)
        return found is not None and found["spec"]["type"] == "ClusterIP"

    wait_until("made the Pooler's Service a ClusterIP", plain)
    now = pooler_service(objects, namespace)
    assert now is not None
    assert "loadBalancerClass" not in now["spec"]
    assert "loadBalancerSourceRanges" not in now["spec"]

    second = module(namespace, pooler_enabled=True, pooler_service=new_class)
    assert pooler_details(cluster_ip, second) == (
        [
            f"CNPG changes Service {CLUSTER}-pooler-rw to LoadBalancer: a load balancer and "
            "an address"
        ],
        [],
    )
    apply_tree(objects, second)

    def balanced_again() -> bool:
        found = pooler_service(objects, namespace)
        return found is not None and found["spec"].get("loadBalancerClass") == (
            "example.com/other-vip"
        )

    wait_until("made the Pooler's Service a LoadBalancer of the new class", balanced_again)


@pytest.mark.usefixtures("operator")
def test_each_pooler_makes_the_service_its_input_says(objects: Objects) -> None:
    """The read-write Pooler behind a LoadBalancer (pooler_service), the read-only one
    behind a NodePort of its own (pooler_read_only_service): CNPG's pooler controller
    makes each Service as its Pooler's serviceTemplate says."""
    namespace = fresh_namespace(objects, "poolers")
    tree = module(
        namespace,
        pooler_enabled=True,
        pooler_read_only_enabled=True,
        pooler_service={"type": "LoadBalancer", "load_balancer_source_ranges": ["10.0.0.0/8"]},
        pooler_read_only_service={"type": "NodePort", "labels": {"exposure": "nodes"}},
    )
    apply_tree(objects, tree)

    def found(kind: str) -> Document | None:
        return service(objects, f"{CLUSTER}-pooler-{kind}", namespace)

    wait_until("made both Poolers' Services", lambda: None not in (found("rw"), found("ro")))
    rw, ro = found("rw"), found("ro")
    assert rw is not None
    assert ro is not None
    assert (rw["spec"]["type"], rw["spec"]["loadBalancerSourceRanges"]) == (
        "LoadBalancer",
        ["10.0.0.0/8"],
    )
    assert ro["spec"]["type"] == "NodePort"
    assert "loadBalancerSourceRanges" not in ro["spec"]
    assert ro["metadata"]["labels"]["exposure"] == "nodes"
    assert "exposure" not in rw["metadata"].get("labels", {})


@pytest.mark.usefixtures("operator")
def test_cnpg_s_own_certificate_names_what_the_tree_says(objects: Objects) -> None:
    """Without cert-manager, CNPG issues the server certificate itself: its names are
    those of its default Services that are on, of your Services, and
    tls_server_alt_dns_names; with cert-manager the tree's Certificate names the same
    (and the poolers')."""
    namespace = fresh_namespace(objects, "ownca")
    values: dict[str, Any] = {
        "disabled_default_services": ["ro"],
        "additional_services": [REPORTS],
        "tls_server_alt_dns_names": ["pg.example.com"],
    }
    tree = module(namespace, **values)
    apply_tree(objects, tree)
    server = f"{CLUSTER}-server"
    wait_until(
        "issued its server certificate", lambda: _secret(objects, server, namespace) is not None
    )
    secret = _secret(objects, server, namespace)
    assert secret is not None
    certificate = x509.load_pem_x509_certificate(base64.b64decode(secret["data"]["tls.crt"]))
    names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    shape = tree.shape
    expected = [
        *shape.dns_names(*shape.default_services, *shape.additional_services),
        "pg.example.com",
    ]
    assert sorted(names.value.get_values_for_type(x509.DNSName)) == sorted(expected)
    assert f"{CLUSTER}-ro" not in expected

    managed = module(namespace, tls_enabled=True, tls_issuer_name="ca", **values)
    [issued] = [doc for doc in managed.objects() if doc["kind"] == "Certificate"]
    assert issued["spec"]["dnsNames"] == expected


def _secret(objects: Objects, name: str, namespace: str) -> Document | None:
    return objects.get("v1", "Secret", name, namespace)
