"""Every case of the matrix (and every example) renders a tree that the upstream
schemas accept: custom resources against their CRDs strictly with CEL rules, core
kinds against Kubernetes 1.34-1.36, kubeconform -strict on the files, and kustomize
builds holding exactly the rendered documents."""

from __future__ import annotations

from pathlib import Path

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
OPERATOR_KINDS = {"HelmRepository", "OCIRepository", "Namespace", "HelmRelease"}


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
        p for p in module.render() if p.endswith("kustomization.yaml")
    }
    evaluated = {(r.document.kind, r.path, r.rule) for r in report.evaluated_rules}
    assert ("Cluster", "$.spec", CLUSTER_IMAGE_RULE) in evaluated
    assert ("HelmRelease", "$.spec", HELMRELEASE_CHART_RULE) in evaluated
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
    objects = len(rendered_documents(files, ("platform/",)))

    for version, result in tools.kubeconform_summaries(tmp_path).items():
        assert (version, result["resources"]) == (version, [])
        assert (version, result["summary"]) == (
            version,
            {"valid": objects, "invalid": 0, "errors": 0, "skipped": 0},
        )
        assert result["returncode"] == 0


@pytest.mark.parametrize("case", IDS)
def test_kustomize_builds_exactly_the_rendered_documents(
    case: str, tools: Tools, tmp_path: Path
) -> None:
    module = module_for(case)
    files = module.render()
    write_tree(tmp_path, files)
    databases = tmp_path / "platform" / "databases"

    built = tools.kustomize_build(databases)
    expected = rendered_documents(files, ("platform/databases/", "platform/sources/"))
    assert multiset(built) == multiset(expected)
    # objects() is the builders' data (None values unset): compare it as serialised.
    assert multiset(built) == multiset(load_all_yaml_text(dump_documents(module.objects())))

    operator = tools.kustomize_build(databases / "layers" / "operator")
    cluster = tools.kustomize_build(databases / "layers" / "cluster")
    assert multiset(operator) + multiset(cluster) == multiset(expected)
    assert {doc["kind"] for doc in operator} <= OPERATOR_KINDS
    assert "HelmRelease" in {doc["kind"] for doc in operator}
    assert "Cluster" in {doc["kind"] for doc in cluster}
    assert not OPERATOR_KINDS & {doc["kind"] for doc in cluster}
