"""The operator's and the cluster's namespaces."""

from __future__ import annotations

from ..inputs import Inputs
from ..kinds import NAMESPACE
from .common import Document, resource


def namespace_names(inputs: Inputs) -> list[str]:
    """The namespaces to create, operator's first, without duplicates."""
    if not inputs.create_namespaces:
        return []
    return list(dict.fromkeys((inputs.operator_namespace, inputs.cluster_namespace)))


def namespace(name: str) -> Document:
    return resource(NAMESPACE, name)
