"""CNPG's real admission webhooks admit the CNPG objects of every golden tree and of
every conformance matrix case (and example) on create.

Each case's objects are created with dryRun=All in a namespace of its own: the
mutating and validating webhooks are called as for a real create (CNPG declares them
free of side effects) and nothing is stored. The ObjectStore of the Barman Cloud
plugin has no admission webhook (neither CNPG 1.30 nor the plugin's chart 0.7.0
registers one): the API server admits it by its CRD schema alone.
"""

from __future__ import annotations

import pytest
from lightkube import ApiError
from tests.conformance.render import CASES as MATRIX_CASES
from tests.conformance.render import module_for
from tests.golden.cases import CASES as GOLDEN_CASES

from wildside_cnpg import Inputs, Module

from .objects import Objects
from .placement import fresh_namespace, moved

CNPG = "postgresql.cnpg.io/v1"
# Pooler and Database are CNPG kinds with webhooks too: covered once the tree has them.
ADMITTED_KINDS = {
    (CNPG, "Cluster"),
    (CNPG, "ScheduledBackup"),
    (CNPG, "Pooler"),
    (CNPG, "Database"),
    ("barmancloud.cnpg.io/v1", "ObjectStore"),
}

CASES = sorted(
    [f"golden-{name}" for name in GOLDEN_CASES] + [f"matrix-{name}" for name in MATRIX_CASES]
)


def module_of(case: str) -> Module:
    if case.startswith("golden-"):
        return Module(Inputs.from_mapping(GOLDEN_CASES[case.removeprefix("golden-")]))
    return module_for(case.removeprefix("matrix-"))


@pytest.mark.usefixtures("operator")
@pytest.mark.parametrize("case", CASES)
def test_every_cnpg_object_of_the_case_is_admitted_on_create(case: str, objects: Objects) -> None:
    module = module_of(case)
    admitted_kinds = [
        doc for doc in module.objects() if (doc["apiVersion"], doc["kind"]) in ADMITTED_KINDS
    ]
    assert [doc["kind"] for doc in admitted_kinds].count("Cluster") == 1
    namespace = fresh_namespace(objects, "admit")

    for doc in admitted_kinds:
        admitted = objects.create(moved(doc, namespace), dry_run=True)

        if doc["kind"] == "Cluster":
            # archive_mode is a parameter only CNPG's mutating webhook writes (a user
            # may not set it): the admitted object went through the webhook.
            assert "archive_mode" in admitted["spec"]["postgresql"]["parameters"]


# The webhooks really judge the poolers and the certificates: what CNPG refuses, with
# its own message (the policies P2 and L1 mirror these refusals).
POOLING_TLS = GOLDEN_CASES["pooling-alerts-tls"]


def _refused(objects: Objects, doc: dict[str, object]) -> str:
    with pytest.raises(ApiError) as refused:
        objects.create(doc, dry_run=True)
    return str(refused.value.status.message)


def _rendered(kind: str, name: str) -> dict[str, object]:
    module = Module(Inputs.from_mapping(POOLING_TLS))
    [doc] = [d for d in module.objects() if d["kind"] == kind and d["metadata"]["name"] == name]
    return doc


@pytest.mark.usefixtures("operator")
def test_the_pooler_webhook_refuses_a_pooler_named_like_its_cluster(objects: Objects) -> None:
    namespace = fresh_namespace(objects, "pooler")
    pooler = moved(_rendered("Pooler", "wildside-pg-pooler-rw"), namespace)
    assert objects.create(pooler, dry_run=True)["spec"]["type"] == "rw"
    pooler["metadata"]["name"] = "wildside-pg"
    assert _refused(objects, pooler) == (
        'admission webhook "vpooler.cnpg.io" denied the request: Pooler.postgresql.cnpg.io '
        '"wildside-pg" is invalid: metadata.name: Invalid value: "wildside-pg": the pooler '
        "resource cannot have the same name of a cluster"
    )


@pytest.mark.usefixtures("operator")
def test_the_cluster_webhook_refuses_a_server_certificate_without_its_ca(
    objects: Objects,
) -> None:
    namespace = fresh_namespace(objects, "tls")
    cluster = moved(_rendered("Cluster", "wildside-pg"), namespace)
    admitted = objects.create(cluster, dry_run=True)
    assert admitted["spec"]["certificates"] == {
        "serverTLSSecret": "wildside-pg-server-tls",
        "serverCASecret": "wildside-pg-server-tls",
        "clientCASecret": "wildside-pg-client-ca",
    }
    del cluster["spec"]["certificates"]["serverCASecret"]
    assert _refused(objects, cluster) == (
        'admission webhook "vcluster.cnpg.io" denied the request: Cluster.postgresql.cnpg.io '
        '"wildside-pg" is invalid: spec.certificates.servercasecret: Invalid value: "": Server '
        "CA secret can't be empty when server TLS secret is provided"
    )
