"""Source ranges, the field and the older annotation (service.beta.kubernetes.io/load-
balancer-source-ranges), as the tool checks them and as the real API server does: a
Service the tool would render, created by a dry run, is accepted exactly when the tool
accepts the inputs (else CloudNativePG's reconciliation of the cluster would stop at
it)."""

from __future__ import annotations

from typing import Any

import pytest
from lightkube import ApiError, Client
from lightkube.codecs import from_dict

from wildside_cnpg import InputError, Inputs

LEGACY = "service.beta.kubernetes.io/load-balancer-source-ranges"


def _tool_problems(settings: dict[str, Any]) -> list[str]:
    service = {"name": "wildside-pg-public", "selector_type": "rw", **settings}
    try:
        Inputs(additional_services=[service])
    except InputError as error:
        return error.problems
    return []


def _server_refusal(kube: Client, settings: dict[str, Any]) -> int | None:
    """The status code of the API server's refusal of the Service, None if accepted."""
    spec: dict[str, Any] = {"type": settings["type"], "ports": [{"port": 5432}]}
    if settings.get("load_balancer_source_ranges"):
        spec["loadBalancerSourceRanges"] = settings["load_balancer_source_ranges"]
    service = from_dict(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {
                "name": "wildside-pg-public",
                "namespace": "default",
                "annotations": settings["annotations"],
            },
            "spec": spec,
        }
    )
    try:
        kube.create(service, dry_run=True)  # type: ignore[call-overload]
    except ApiError as error:
        return error.status.code
    return None


@pytest.mark.parametrize(
    "settings",
    [
        {"type": "LoadBalancer", "annotations": {LEGACY: "10.0.0.0/8,192.0.2.0/24"}},
        {"type": "LoadBalancer", "annotations": {LEGACY: " 10.0.0.0/8,  192.0.2.0/24 "}},
        {"type": "LoadBalancer", "annotations": {LEGACY: "1.2.3.4/8"}},
        {"type": "LoadBalancer", "annotations": {LEGACY: "10.0.0.0/08"}},
        {"type": "LoadBalancer", "annotations": {LEGACY: "010.0.0.0/8"}},
        {"type": "LoadBalancer", "annotations": {LEGACY: "2001:db8::/32"}},
        {"type": "LoadBalancer", "annotations": {LEGACY: ""}},
        {"type": "LoadBalancer", "annotations": {LEGACY: " "}},
        {"type": "LoadBalancer", "annotations": {LEGACY: "foo.bar"}},
        {"type": "LoadBalancer", "annotations": {LEGACY: "10.0.0.1"}},
        {"type": "LoadBalancer", "annotations": {LEGACY: "10.0.0.1/32,"}},
        {"type": "LoadBalancer", "annotations": {LEGACY: "10.0.0.0/33"}},
        {
            "type": "LoadBalancer",
            "load_balancer_source_ranges": ["10.0.0.0/8"],
            "annotations": {LEGACY: "not read beside the field"},
        },
        {"type": "ClusterIP", "annotations": {LEGACY: "10.0.0.0/8"}},
        # The field itself, checked by the same function.
        {"type": "LoadBalancer", "load_balancer_source_ranges": ["10.0.0.0/08"], "annotations": {}},
        {"type": "LoadBalancer", "load_balancer_source_ranges": ["10.0.0.1/8"], "annotations": {}},
        {"type": "NodePort", "annotations": {LEGACY: ""}},
    ],
    ids=[
        "two-networks",
        "spaces",
        "host-bits",
        "prefix-leading-zero",
        "address-leading-zero",
        "ipv6",
        "empty",
        "blank",
        "hostname",
        "address",
        "trailing-comma",
        "prefix-too-long",
        "beside-the-field",
        "cluster-ip",
        "field-prefix-leading-zero",
        "field-host-bits",
        "node-port-empty",
    ],
)
def test_the_tool_refuses_what_the_api_server_refuses(
    kube: Client, settings: dict[str, Any]
) -> None:
    problems = _tool_problems(settings)
    refusal = _server_refusal(kube, settings)
    assert all(problem.startswith("additional_services[0].") for problem in problems)
    assert refusal in (None, 422)
    assert (problems == []) == (refusal is None)
