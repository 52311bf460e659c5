"""The rendered module as one multi-document YAML stream, for the standard tools.

- `object_stream`: the Kubernetes objects the module defines (`Module.objects()`,
  so no kustomize build files), in the order apply converges them, for
  `kubectl apply -f -` and `kubectl diff -f -`. Flux's sources and HelmReleases
  stand where apply installs the operator: after the namespaces, before secrets.
- `file_stream`: every document of every file of the tree, kustomizations
  included, in the tree's order.

Each document is preceded by `# Source: <path>`, the file of the tree it lives in,
as `helm template` does."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from . import kinds
from .apply.order import OPERATOR_RANK, kind_key, rank
from .module import Module
from .yamlio import dump_document

# Flux objects that take the place of apply's Helm step: sources, then releases.
_FLUX_OPERATOR_STEP: Mapping[tuple[str, str], int] = {
    kind_key({"apiVersion": k.api_version, "kind": k.kind}): step
    for k, step in (
        (kinds.HELM_REPOSITORY, OPERATOR_RANK - 1),
        (kinds.OCI_REPOSITORY, OPERATOR_RANK - 1),
        (kinds.HELM_RELEASE, OPERATOR_RANK),
    )
}


def _identity(obj: Mapping[str, Any]) -> tuple[str, str, str, str]:
    meta = obj.get("metadata") or {}
    return (
        str(obj.get("apiVersion") or ""),
        str(obj.get("kind") or ""),
        str(meta.get("namespace") or ""),
        str(meta.get("name") or ""),
    )


def _order(obj: Mapping[str, Any]) -> tuple[int, str, str, str, str]:
    key = kind_key(obj)
    _, _, namespace, name = _identity(obj)
    return _FLUX_OPERATOR_STEP.get(key, rank(obj)), *key, namespace, name


def _document(path: str, document: Mapping[str, Any]) -> str:
    return f"---\n# Source: {path}\n{dump_document(document)}"


def _join(documents: Iterable[tuple[str, Mapping[str, Any]]]) -> str:
    return "".join(_document(path, document) for path, document in documents)


def object_stream(module: Module) -> str:
    """The module's objects in apply order, each with the file it comes from."""
    source: dict[tuple[str, str, str, str], str] = {}
    for path, docs in module.documents().items():
        for doc in docs:
            source.setdefault(_identity(doc), path)
    objects = sorted(module.objects(), key=_order)
    return _join((source[_identity(obj)], obj) for obj in objects)


def file_stream(module: Module) -> str:
    """Every document of the tree, file by file."""
    return _join((path, doc) for path, docs in module.documents().items() for doc in docs)
