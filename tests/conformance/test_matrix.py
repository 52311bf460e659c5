"""Every case of the matrix (and every example) renders a tree that the upstream
schemas accept: custom resources against their CRDs strictly with CEL rules, core
kinds against Kubernetes 1.34-1.36, kubeconform -strict on the files, and kustomize
builds holding exactly the rendered documents."""

from __future__ import annotations

import posixpath
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from wildside_cnpg.validation import CrdCatalog, Validator, documents_from_files
from wildside_cnpg.validation.cel import TRANSITION
from wildside_cnpg.yamlio import dump_documents, load_all_yaml_text

from .cases import REPO
from .render import CASES, module_for, multiset, rendered_documents
from .tools import Tools, write_tree

IDS = sorted(CASES)
CLUSTER_IMAGE_RULE = "!(has(self.imageCatalogRef) && has(self.imageName))"
HELMRELEASE_CHART_RULE = (
    "(has(self.chart) && !has(self.chartRef)) || (!has(self.chart) && has(self.chartRef))"
)
OPERATOR_KINDS = {"HelmRepository", "OCIRepository", "HelmRelease"}


def test_every_example_is_in_the_matrix() -> None:
    examples = {p.parent.name for p in REPO.glob("examples/*/inputs.yaml")}
    assert {"basic", "render"} <= examples
    assert {f"example-{name}" for name in examples} <= set(CASES)


@pytest.mark.parametrize("case", IDS)
def test_documents_validate_strictly_with_cel(case: str, validator: Validator) -> None:
    module = module_for(case)
    documents = documents_from_files(module.render())
    report = validator.validate(documents)

    assert [str(finding) for finding in report.findings] == []
    objects = [d.ref for d in documents if not d.is_kustomize_config]
    assert report.checked == objects
    assert {ref.source for ref in report.not_objects} == {
        p for p in module.render() if p.endswith("/kustomization.yaml")
    }
    evaluated = {(r.document.kind, r.path, r.rule) for r in report.evaluated_rules}
    assert ("Cluster", "$.spec", CLUSTER_IMAGE_RULE) in evaluated
    # A HelmRelease only where this render installs the operator.
    releases = ("HelmRelease", "$.spec", HELMRELEASE_CHART_RULE) in evaluated
    assert releases == bool(module.shape.charts)
    # The only rules not evaluated compare with oldSelf, which a create never does.
    assert {r.reason for r in report.skipped_rules} <= {TRANSITION}


# Scopes of the core kinds the module renders (the CRDs carry their own).
CORE_SCOPES = {"Namespace": "Cluster", "Secret": "Namespaced", "PodDisruptionBudget": "Namespaced"}


@pytest.mark.parametrize("case", IDS)
def test_every_object_is_namespaced_exactly_when_its_kind_is(
    case: str, catalog: CrdCatalog
) -> None:
    """The tree is applied without a kustomize namespace transformer, so a namespaced
    object must name its namespace and a cluster-scoped one must not."""
    documents = documents_from_files(module_for(case).render())
    found = []
    for document in documents:
        if document.is_kustomize_config:
            continue
        ref = document.ref
        crd = catalog.get(ref.api_version, ref.kind)
        scope = crd.scope if crd is not None else CORE_SCOPES[ref.kind]
        found.append((str(ref), scope, ref.namespace is not None))
    assert [entry for entry in found if (entry[1] == "Namespaced") != entry[2]] == []


@pytest.mark.parametrize("case", IDS)
def test_kubeconform_strict_accepts_the_tree(case: str, tools: Tools, tmp_path: Path) -> None:
    files = module_for(case).render()
    write_tree(tmp_path, files)
    objects = len(rendered_documents(files, ("",)))

    for version, result in tools.kubeconform_summaries(tmp_path).items():
        assert (version, result["resources"]) == (version, [])
        assert (version, result["summary"]) == (
            version,
            {"valid": objects, "invalid": 0, "errors": 0, "skipped": 0},
        )
        assert result["returncode"] == 0


def _documents_of(files: dict[str, str], directory: str) -> list[Any]:
    """The documents of the files directly in `directory`, its kustomization left out."""
    return rendered_documents(
        {path: text for path, text in files.items() if posixpath.dirname(path) == directory},
        (f"{directory}/",),
    )


@pytest.mark.parametrize("case", IDS)
def test_kustomize_builds_every_unit_and_layer_exactly(
    case: str, tools: Tools, tmp_path: Path
) -> None:
    """Each directory holding a kustomization.yaml (a unit's entry, a namespace unit, a
    layer) builds to exactly the documents of the other files beside it; the layers a
    Flux Kustomization applies and the namespace units together hold every object
    once, and the unit entries hold exactly the Flux Kustomizations."""
    module = module_for(case)
    shape = module.shape
    files = module.render()
    write_tree(tmp_path, files)
    directories = sorted(
        posixpath.dirname(path) for path in files if path.endswith("/kustomization.yaml")
    )
    built = {directory: tools.kustomize_build(tmp_path / directory) for directory in directories}
    for directory in directories:
        assert multiset(built[directory]) == multiset(_documents_of(files, directory)), directory

    layers = {layer.layer: layer.directory for layer in shape.layers.values()}
    namespace_units = sorted(file.directory for file in shape.files if file.content == "namespace")
    entries = sorted(set(directories) - set(layers.values()) - set(namespace_units))
    assert sorted([*layers.values(), *namespace_units, *entries]) == directories

    # Every object exactly once, from a layer or a namespace unit.
    objects = sum((multiset(built[d]) for d in [*layers.values(), *namespace_units]), Counter())
    # objects() is the builders' data (None values unset): compare it as serialised.
    assert objects == multiset(load_all_yaml_text(dump_documents(module.objects())))
    assert all({doc["kind"] for doc in built[d]} == {"Namespace"} for d in namespace_units)
    assert [doc["metadata"]["name"] for d in namespace_units for doc in built[d]] == sorted(
        shape.namespaces
    )

    # The entries hold the Flux Kustomizations, one per layer, each applying its layer.
    flux = [doc for d in entries for doc in built[d]]
    assert {doc["kind"] for doc in flux} == {"Kustomization"}
    assert sorted(doc["spec"]["path"] for doc in flux) == sorted(
        shape.flux_path(directory) for directory in layers.values()
    )
    assert sum((multiset(built[d]) for d in directories), Counter()) == multiset(
        rendered_documents(files, ("",))
    )

    # What each layer holds.
    kinds = {layer: {doc["kind"] for doc in built[d]} for layer, d in layers.items()}
    assert kinds.get("operator", {"HelmRelease"}) <= OPERATOR_KINDS
    assert ("operator" in kinds) == bool(shape.charts)
    assert "Cluster" in kinds["cluster"]
    assert not OPERATOR_KINDS & kinds["cluster"]
    # Kinds whose CRD may be missing (ESO, cert-manager, the Prometheus Operator) stay
    # out of the cluster layer.
    assert not {"ExternalSecret", "Certificate", "PodMonitor", "PrometheusRule"} & kinds["cluster"]
    credentials = {"ExternalSecret"} if shape.eso else set()
    credentials |= {"Certificate"} if shape.tls else set()
    assert kinds.get("credentials", set()) == credentials
    addons = {"PodMonitor"} if module.inputs.monitoring_enabled else set()
    addons |= {"PrometheusRule"} if module.inputs.alerts_enabled else set()
    assert kinds.get("addons", set()) == addons
