"""`render --stdout`: the objects-only stream in apply order with `# Source:` lines,
and `--all-files`: every file of the tree."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.golden.cases import CASES
from wildside_cnpg import Inputs, Module
from wildside_cnpg.apply.order import FLUX_KINDS, kind_key, sort_for_apply
from wildside_cnpg.cli import main
from wildside_cnpg.stream import file_stream, object_stream
from wildside_cnpg.yamlio import dump_document, load_all_yaml_text

SOURCE = re.compile(r"^---\n# Source: (?P<path>[^\n]+)\n", re.M)


def split(stream: str) -> list[tuple[str, str]]:
    """(source path, document text) pairs; every document must carry its Source line."""
    starts = list(SOURCE.finditer(stream))
    assert starts, "no document"
    assert starts[0].start() == 0, "text before the first document"
    pieces = []
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(stream)
        pieces.append((match["path"], stream[match.end() : end]))
    return pieces


def where(module: Module) -> dict[str, str]:
    """Each document's JSON (a stable key) -> the file that holds it."""
    return {
        json.dumps(doc, sort_keys=True): path
        for path, docs in module.documents().items()
        for doc in docs
    }


def module_of(case: str) -> Module:
    return Module(Inputs.from_mapping(CASES[case]))


@pytest.mark.parametrize("case", sorted(CASES))
def test_object_stream_is_module_objects_with_their_sources(case: str) -> None:
    module = module_of(case)
    pieces = split(object_stream(module))
    documents = [load_all_yaml_text(text)[0] for _, text in pieces]
    # Exactly the module's objects, no kustomize build files among them.
    key = json.dumps
    assert sorted(map(key, documents)) == sorted(map(key, module.objects()))
    assert not [d for d in documents if d["apiVersion"].startswith("kustomize.config.k8s.io/")]
    # Each document is the same YAML the tree holds, under the file that holds it.
    origin = where(module)
    for path, text in pieces:
        document = load_all_yaml_text(text)[0]
        assert text == dump_document(document)
        assert origin[json.dumps(document, sort_keys=True)] == path
        assert path in module.render()


@pytest.mark.parametrize("case", sorted(CASES))
def test_object_stream_follows_apply_order(case: str) -> None:
    """What apply sends keeps apply's order; Flux's sources and HelmReleases (which apply
    replaces by its Helm step) stand where that step runs: after the namespaces,
    before everything else."""
    module = module_of(case)
    documents = load_all_yaml_text(object_stream(module))
    applied = [d for d in documents if kind_key(d) not in FLUX_KINDS]
    assert applied == sort_for_apply(d for d in module.objects() if kind_key(d) not in FLUX_KINDS)
    kinds = [d["kind"] for d in documents]
    flux = [i for i, d in enumerate(documents) if kind_key(d) in FLUX_KINDS]
    namespaces = [i for i, kind in enumerate(kinds) if kind == "Namespace"]
    assert max(namespaces) < min(flux)
    assert max(flux) < min(i for i in range(len(kinds)) if i not in flux + namespaces)
    assert kinds.index("HelmRepository" if "HelmRepository" in kinds else "OCIRepository") < (
        kinds.index("HelmRelease")
    )


def test_default_stream_order_and_sources() -> None:
    stream = object_stream(Module())
    assert [(path, load_all_yaml_text(text)[0]["kind"]) for path, text in split(stream)] == [
        ("platform/databases/namespaces/cnpg-system/namespace.yaml", "Namespace"),
        ("platform/databases/namespaces/databases/namespace.yaml", "Namespace"),
        ("platform/databases/operator/layer/chart-sources.yaml", "HelmRepository"),
        ("platform/databases/operator/layer/cnpg-operator-helmrelease.yaml", "HelmRelease"),
        ("platform/databases/clusters/wildside-pg/cluster/cluster.yaml", "Cluster"),
    ]


@pytest.mark.parametrize("case", sorted(CASES))
def test_all_files_stream_holds_every_document_file_by_file(case: str) -> None:
    module = module_of(case)
    pieces = split(file_stream(module))
    expected: list[tuple[str, Any]] = [
        (path, doc) for path, docs in module.documents().items() for doc in docs
    ]
    assert [(path, load_all_yaml_text(text)[0]) for path, text in pieces] == expected
    # Joined per file, the pieces are the rendered files themselves.
    files: dict[str, list[str]] = {}
    for path, text in pieces:
        files.setdefault(path, []).append(text)
    assert {path: "---\n".join(texts) for path, texts in files.items()} == module.render()


def test_cli_prints_the_streams(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "--stdout"]) == 0
    assert capsys.readouterr().out == object_stream(Module())
    assert main(["render", "--stdout", "--all-files"]) == 0
    assert capsys.readouterr().out == file_stream(Module())
