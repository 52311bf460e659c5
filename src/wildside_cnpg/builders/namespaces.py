"""Namespaces. They are applied by the repository's root, never pruned: deleting a
namespace deletes every database in it."""

from __future__ import annotations

from ..kinds import NAMESPACE
from .common import NEVER_PRUNE, Document, resource


def namespace(name: str) -> Document:
    return resource(NAMESPACE, name, annotations=dict(NEVER_PRUNE))
