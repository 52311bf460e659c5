"""CNPG's default Services turned off and Services of your own
(spec.managed.services): what the Cluster says, what the outputs and the server
certificate name, and every refusal with its exact line."""

from __future__ import annotations

from typing import Any

import pytest

from wildside_cnpg import InputError, Inputs, Module
from wildside_cnpg.plan.services import services_change

PUBLIC = {
    "name": "wildside-pg-public",
    "selector_type": "rw",
    "type": "LoadBalancer",
    "annotations": {"service.beta.kubernetes.io/do-loadbalancer-name": "wildside-pg"},
    "labels": {"exposure": "office"},
    "load_balancer_source_ranges": ["10.0.0.0/8", "2001:db8::/32"],
    "load_balancer_class": "example.com/internal-vip",
}
REPORTS = {"name": "wildside-pg-reports", "selector_type": "r"}


def cluster_spec(**values: Any) -> dict[str, Any]:
    [cluster] = [doc for doc in Module(Inputs(**values)).objects() if doc["kind"] == "Cluster"]
    spec: dict[str, Any] = cluster["spec"]
    return spec


def outputs(**values: Any) -> dict[str, Any]:
    return {name: out["value"] for name, out in Module(Inputs(**values)).outputs().items()}


def problems(**values: Any) -> list[str]:
    with pytest.raises(InputError) as refused:
        Inputs(**values)
    return refused.value.problems


def test_by_default_the_cluster_manages_no_service() -> None:
    assert "managed" not in cluster_spec()


def test_the_services_as_cnpg_reads_them() -> None:
    spec = cluster_spec(
        disabled_default_services=["r", "ro"], additional_services=[PUBLIC, REPORTS]
    )
    assert spec["managed"] == {
        "services": {
            "disabledDefaultServices": ["r", "ro"],
            "additional": [
                {
                    "selectorType": "rw",
                    "updateStrategy": "patch",
                    "serviceTemplate": {
                        "metadata": {
                            "name": "wildside-pg-public",
                            "labels": {"exposure": "office"},
                            "annotations": {
                                "service.beta.kubernetes.io/do-loadbalancer-name": "wildside-pg"
                            },
                        },
                        "spec": {
                            "type": "LoadBalancer",
                            "loadBalancerSourceRanges": ["10.0.0.0/8", "2001:db8::/32"],
                            "loadBalancerClass": "example.com/internal-vip",
                        },
                    },
                },
                {
                    "selectorType": "r",
                    "updateStrategy": "patch",
                    "serviceTemplate": {
                        "metadata": {"name": "wildside-pg-reports"},
                        "spec": {"type": "ClusterIP"},
                    },
                },
            ],
        }
    }


def test_services_beside_managed_roles() -> None:
    managed = cluster_spec(
        databases=[{"name": "geo", "owner": "geo_owner"}], disabled_default_services=["r"]
    )["managed"]
    assert [role["name"] for role in managed["roles"]] == ["geo_owner"]
    assert managed["services"] == {"disabledDefaultServices": ["r"]}


def test_the_order_of_the_default_services_turned_off_does_not_change_the_tree() -> None:
    assert cluster_spec(disabled_default_services=["ro", "r"]) == cluster_spec(
        disabled_default_services=["r", "ro"]
    )


def test_a_default_service_turned_off_has_no_output() -> None:
    values = outputs(disabled_default_services=["ro", "r"])
    assert (values["replica_service_name"], values["replica_endpoint"]) == (None, None)
    assert (values["read_service_name"], values["read_endpoint"]) == (None, None)
    endpoints = values["sync_policy_contract"]["endpoints"]
    assert (endpoints["replica"], endpoints["read"]) == (None, None)
    assert endpoints["primary"] == {
        "host": "wildside-pg-rw.databases.svc.cluster.local",
        "port": 5432,
    }
    only_read = outputs(disabled_default_services=["r"])
    assert only_read["replica_endpoint"] == "wildside-pg-ro.databases.svc.cluster.local"
    assert only_read["read_endpoint"] is None


def test_the_server_certificate_names_your_services() -> None:
    docs = Module(
        Inputs(
            tls_enabled=True,
            tls_issuer_name="ca",
            disabled_default_services=["ro"],
            additional_services=[REPORTS],
            tls_server_alt_dns_names=["pg.example.com"],
        )
    ).objects()
    [certificate] = [doc for doc in docs if doc["kind"] == "Certificate"]
    # CNPG's own names (its default Services that are on, then yours), then yours.
    assert certificate["spec"]["dnsNames"] == [
        "wildside-pg-rw",
        "wildside-pg-rw.databases",
        "wildside-pg-rw.databases.svc",
        "wildside-pg-rw.databases.svc.cluster.local",
        "wildside-pg-r",
        "wildside-pg-r.databases",
        "wildside-pg-r.databases.svc",
        "wildside-pg-r.databases.svc.cluster.local",
        "wildside-pg-reports",
        "wildside-pg-reports.databases",
        "wildside-pg-reports.databases.svc",
        "wildside-pg-reports.databases.svc.cluster.local",
        "pg.example.com",
    ]
    [cluster] = [doc for doc in docs if doc["kind"] == "Cluster"]
    assert "serverAltDNSNames" not in cluster["spec"]["certificates"]


def test_without_cert_manager_cnpg_s_own_certificate_gets_the_names() -> None:
    assert cluster_spec(tls_server_alt_dns_names=["pg.example.com", "db.example.org"])[
        "certificates"
    ] == {"serverAltDNSNames": ["pg.example.com", "db.example.org"]}
    assert "certificates" not in cluster_spec()


def test_an_alt_dns_name_twice_or_not_a_name() -> None:
    assert problems(tls_server_alt_dns_names=["pg.example.com", "pg.example.com"]) == [
        "tls_server_alt_dns_names: 'pg.example.com' is listed twice"
    ]
    assert problems(tls_server_alt_dns_names=["10.0.0.1:5432"]) == [
        "tls_server_alt_dns_names[0]: expected a DNS-1123 subdomain (dot-separated parts of "
        "lower-case letters, digits and '-', each starting and ending with a letter or digit, "
        "at most 253 characters), got '10.0.0.1:5432'"
    ]


def test_every_problem_of_the_services_at_once() -> None:
    assert problems(
        cluster_name="geo",
        pooler_enabled=True,
        pooler_read_only_enabled=True,
        disabled_default_services=["ro", "ro"],
        additional_services=[
            {"name": "geo-any", "selector_type": "rw"},
            {"name": "geo-pooler-ro", "selector_type": "ro"},
            {"name": "geo-public", "selector_type": "rw", "labels": {"cnpg.io/cluster": "x"}},
            {
                "name": "geo-public",
                "selector_type": "rw",
                "type": "NodePort",
                "annotations": {"bad key": "x"},
                "load_balancer_source_ranges": ["10.0.0.0/8"],
                "load_balancer_class": "example.com/vip",
            },
        ],
    ) == [
        "disabled_default_services: 'ro' is listed twice",
        "disabled_default_services: the read-only Pooler (pooler_read_only_enabled) connects "
        "through the ro Service; expected ro enabled, or pooler_read_only_enabled false",
        "additional_services[0].name: 'geo-any' is a Service CNPG creates for the cluster; "
        "expected another name",
        "additional_services[1].name: 'geo-pooler-ro' is the Service of the ro Pooler; "
        "expected another name",
        "additional_services[2].labels.cnpg.io/cluster: keys under cnpg.io belong to its "
        "controllers; expected a key of your own",
        "additional_services[3].name: 'geo-public' is already the name of additional_services[2]",
        "additional_services[3].annotations: expected keys of the Kubernetes form (an optional "
        "DNS subdomain and '/', then at most 63 letters, digits, '-', '_' and '.'), such as "
        "service.beta.kubernetes.io/aws-load-balancer-internal, got 'bad key'",
        "additional_services[3].load_balancer_source_ranges: expected only with type "
        "LoadBalancer (Kubernetes refuses it on a NodePort Service)",
        "additional_services[3].load_balancer_class: expected only with type LoadBalancer "
        "(Kubernetes refuses it on a NodePort Service)",
    ]


def test_the_pooler_names_are_free_without_poolers() -> None:
    Inputs(additional_services=[{"name": "wildside-pg-pooler-rw", "selector_type": "rw"}])
    assert problems(
        pooler_enabled=True,
        additional_services=[{"name": "wildside-pg-pooler-rw", "selector_type": "rw"}],
    ) == [
        "additional_services[0].name: 'wildside-pg-pooler-rw' is the Service of the rw Pooler; "
        "expected another name"
    ]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            {"disabled_default_services": ["rw"]},
            "disabled_default_services[0]: expected one of ro or r, got 'rw'",
        ),
        (
            {"additional_services": [{"name": "1-public", "selector_type": "rw"}]},
            "additional_services[0].name: expected a Service name: a DNS-1035 label (lower-case "
            "letters, digits and '-', starting with a letter and ending with a letter or digit, "
            "at most 63 characters), got '1-public'",
        ),
        (
            {"additional_services": [{"name": "public"}]},
            "additional_services[0].selector_type: required",
        ),
        (
            {
                "additional_services": [
                    {
                        "name": "public",
                        "selector_type": "rw",
                        "type": "LoadBalancer",
                        "load_balancer_source_ranges": ["10.0.0.1/8"],
                    }
                ]
            },
            "additional_services[0].load_balancer_source_ranges[0]: expected a network in CIDR "
            "form with no host bits set, such as 10.0.0.0/8 or 2001:db8::/32, got '10.0.0.1/8'",
        ),
        (
            {
                "additional_services": [
                    {"name": "public", "selector_type": "rw", "type": "ExternalName"}
                ]
            },
            "additional_services[0].type: expected one of ClusterIP, NodePort or LoadBalancer, "
            "got 'ExternalName'",
        ),
    ],
    ids=["rw-off", "name", "selector-missing", "host-bits", "external-name"],
)
def test_a_bad_service_input(values: dict[str, Any], expected: str) -> None:
    assert problems(**values) == [expected]


@pytest.mark.parametrize(
    "network", ["10.0.0.0/8", "192.168.1.0/24", "0.0.0.0/0", "2001:db8::/32", "::/0"]
)
def test_source_ranges_in_cidr_form(network: str) -> None:
    service = {**PUBLIC, "load_balancer_source_ranges": [network]}
    spec = cluster_spec(additional_services=[service])
    [entry] = spec["managed"]["services"]["additional"]
    assert entry["serviceTemplate"]["spec"]["loadBalancerSourceRanges"] == [network]


@pytest.mark.parametrize(
    "network", ["10.0.0.0", "010.0.0.0/8", "10.0.0.0/08", "10.0.0.0/33", "fe80::1%eth0/64"]
)
def test_source_ranges_not_in_cidr_form(network: str) -> None:
    service = {**PUBLIC, "load_balancer_source_ranges": [network]}
    assert problems(additional_services=[service]) == [
        "additional_services[0].load_balancer_source_ranges[0]: expected a network in CIDR "
        f"form with no host bits set, such as 10.0.0.0/8 or 2001:db8::/32, got '{network}'"
    ]


def test_a_service_moved_from_the_primary_to_the_replicas_says_so() -> None:
    def managed(selector: str) -> dict[str, Any]:
        entry = {"selectorType": selector, "serviceTemplate": {"metadata": {"name": "app"}}}
        return {"services": {"additional": [entry]}}

    assert services_change("pg", managed("rw"), managed("ro"), "Cluster ns/pg") == (
        [
            "CNPG updates Service app in place",
            "Service app now sends its clients to the replicas (it sent them to the primary)",
        ],
        [],
    )


@pytest.mark.parametrize(
    "managed",
    [
        None,
        "services",
        {"services": ["ro"]},
        {"services": {"disabledDefaultServices": "ro", "additional": {"name": "x"}}},
        {"services": {"disabledDefaultServices": [1, None], "additional": ["x", 3]}},
        {"services": {"additional": [{"serviceTemplate": ["x"]}, {"serviceTemplate": None}]}},
    ],
)
def test_a_hand_edited_services_section_is_read_as_none(managed: Any) -> None:
    """The plan reads checkouts written by hand: what is not CNPG's shape is no Service,
    never a crash."""
    nothing: dict[str, Any] = {}
    assert services_change("pg", managed, nothing, "Cluster ns/pg") == ([], [])
    assert services_change("pg", nothing, managed, "Cluster ns/pg") == ([], [])


def test_the_pooler_service_as_cnpg_reads_it() -> None:
    docs = Module(
        Inputs(
            pooler_enabled=True,
            pooler_read_only_enabled=True,
            pooler_service={
                "type": "LoadBalancer",
                "labels": {"exposure": "office"},
                "load_balancer_source_ranges": ["10.0.0.0/8"],
                "load_balancer_class": "example.com/internal-vip",
            },
        )
    ).objects()
    templates = [doc["spec"]["serviceTemplate"] for doc in docs if doc["kind"] == "Pooler"]
    # Each Pooler (rw and ro) gets the same Service settings.
    assert templates == 2 * [
        {
            "metadata": {"labels": {"exposure": "office"}},
            "spec": {
                "type": "LoadBalancer",
                "loadBalancerSourceRanges": ["10.0.0.0/8"],
                "loadBalancerClass": "example.com/internal-vip",
            },
        }
    ]


def pooler_templates(**values: Any) -> dict[str, Any]:
    """Each rendered Pooler's spec.serviceTemplate (None: CNPG's own Service)."""
    docs = Module(Inputs(**values)).objects()
    return {
        doc["metadata"]["name"]: doc["spec"].get("serviceTemplate")
        for doc in docs
        if doc["kind"] == "Pooler"
    }


BOTH_POOLERS = {"pooler_enabled": True, "pooler_read_only_enabled": True}
POOLER_LB = {"type": "LoadBalancer", "load_balancer_source_ranges": ["10.0.0.0/8"]}
LB_TEMPLATE = {"spec": {"type": "LoadBalancer", "loadBalancerSourceRanges": ["10.0.0.0/8"]}}


def test_the_read_only_pooler_s_own_service() -> None:
    """pooler_read_only_service is the -ro Pooler's alone; -rw keeps pooler_service's."""
    assert pooler_templates(
        **BOTH_POOLERS, pooler_service=POOLER_LB, pooler_read_only_service={"type": "ClusterIP"}
    ) == {
        "wildside-pg-pooler-rw": LB_TEMPLATE,
        "wildside-pg-pooler-ro": {"spec": {"type": "ClusterIP"}},
    }
    # Without pooler_service the read-write Pooler has CNPG's Service.
    assert pooler_templates(**BOTH_POOLERS, pooler_read_only_service=POOLER_LB) == {
        "wildside-pg-pooler-rw": None,
        "wildside-pg-pooler-ro": LB_TEMPLATE,
    }


def test_the_read_only_pooler_s_service_moved_to_its_own_input_renders_the_same_tree() -> None:
    """Giving the read-only Pooler, in its own input, the settings it had from
    pooler_service changes no file: the next commit plans nothing."""
    shared = Module(Inputs(**BOTH_POOLERS, pooler_service=POOLER_LB)).documents()
    own = Module(
        Inputs(**BOTH_POOLERS, pooler_service=POOLER_LB, pooler_read_only_service=POOLER_LB)
    ).documents()
    assert own == shared


def test_the_read_only_pooler_service_problems() -> None:
    ranges_on_cluster_ip = {"type": "ClusterIP", "load_balancer_source_ranges": ["10.0.0.0/8"]}
    assert problems(pooler_read_only_service=ranges_on_cluster_ip) == [
        "pooler_read_only_service: set while pooler_enabled is false (no Pooler would use it)",
        "pooler_read_only_service.load_balancer_source_ranges: expected only with type "
        "LoadBalancer (Kubernetes refuses it on a ClusterIP Service)",
    ]
    assert problems(pooler_enabled=True, pooler_read_only_service=POOLER_LB) == [
        "pooler_read_only_service: set while pooler_read_only_enabled is false (no read-only "
        "Pooler would use it)"
    ]
    assert problems(
        **BOTH_POOLERS,
        pooler_read_only_service={"type": "LoadBalancer", "labels": {"cnpg.io/x": "y"}},
    ) == [
        "pooler_read_only_service.labels.cnpg.io/x: keys under cnpg.io belong to its "
        "controllers; expected a key of your own"
    ]


def test_a_pooler_service_without_metadata_has_none() -> None:
    """The Pooler CRD refuses a null metadata: none is written."""
    docs = Module(Inputs(pooler_enabled=True, pooler_service={"type": "NodePort"})).objects()
    [pooler] = [doc for doc in docs if doc["kind"] == "Pooler"]
    assert pooler["spec"]["serviceTemplate"] == {"spec": {"type": "NodePort"}}


def test_without_pooler_service_the_pooler_has_cnpg_s_service() -> None:
    docs = Module(Inputs(pooler_enabled=True)).objects()
    [pooler] = [doc for doc in docs if doc["kind"] == "Pooler"]
    assert "serviceTemplate" not in pooler["spec"]


def test_the_pooler_service_problems() -> None:
    assert problems(
        pooler_service={"type": "ClusterIP", "load_balancer_source_ranges": ["10.0.0.0/8"]}
    ) == [
        "pooler_service: set while pooler_enabled is false (no Pooler would use it)",
        "pooler_service.load_balancer_source_ranges: expected only with type LoadBalancer "
        "(Kubernetes refuses it on a ClusterIP Service)",
    ]
    assert problems(
        pooler_enabled=True,
        pooler_service={"type": "LoadBalancer", "annotations": {"cnpg.io/x": "y"}},
    ) == [
        "pooler_service.annotations.cnpg.io/x: keys under cnpg.io belong to its controllers; "
        "expected a key of your own"
    ]


LEGACY = "service.beta.kubernetes.io/load-balancer-source-ranges"


@pytest.mark.parametrize("ranges", ["10.0.0.0/8,192.0.2.0/24", " 10.0.0.0/8,  ::/0 ", "", " "])
def test_the_older_source_ranges_annotation_in_its_form(ranges: str) -> None:
    service = {**PUBLIC, "load_balancer_source_ranges": [], "annotations": {LEGACY: ranges}}
    [entry] = cluster_spec(additional_services=[service])["managed"]["services"]["additional"]
    assert entry["serviceTemplate"]["metadata"]["annotations"] == {LEGACY: ranges}


@pytest.mark.parametrize(
    "ranges", ["foo.bar", "10.0.0.1", "10.0.0.1/32,", "10.0.0.0/33", "1.2.3.4/8", "10.0.0.0/08"]
)
def test_the_older_source_ranges_annotation_not_in_its_form(ranges: str) -> None:
    service = {**PUBLIC, "load_balancer_source_ranges": [], "annotations": {LEGACY: ranges}}
    assert problems(additional_services=[service]) == [
        f"additional_services[0].annotations.{LEGACY}: expected networks in CIDR form "
        "with no host bits set, separated by commas, such as 10.0.0.0/8,192.0.2.0/24, "
        f"got '{ranges}'"
    ]


def test_the_older_source_ranges_annotation_beside_the_field_is_not_read() -> None:
    # Kubernetes reads the annotation only when the field is empty.
    service = {**PUBLIC, "annotations": {LEGACY: "not read"}}
    assert cluster_spec(additional_services=[service])["managed"]["services"]["additional"]


def test_the_older_source_ranges_annotation_only_on_a_load_balancer() -> None:
    service = {"type": "NodePort", "annotations": {LEGACY: "10.0.0.0/8"}}
    assert problems(pooler_enabled=True, pooler_service=service) == [
        f"pooler_service.annotations.{LEGACY}: expected only with type LoadBalancer "
        "(Kubernetes refuses it on a NodePort Service)"
    ]
