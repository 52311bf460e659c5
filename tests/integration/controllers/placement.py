"""Putting rendered objects into a namespace of the test's own."""

from __future__ import annotations

import copy
import secrets

from .objects import Document, Objects


def fresh_namespace(objects: Objects, prefix: str) -> str:
    """A new Namespace named prefix-<random>: tests on the shared control plane never
    meet each other's objects (and without a controller manager a namespace never
    finishes terminating, so none is deleted)."""
    name = f"{prefix}-{secrets.token_hex(3)}"
    objects.namespace(name)
    return name


def moved(doc: Document, namespace: str) -> Document:
    """A copy of a namespaced rendered object, in namespace."""
    copied = copy.deepcopy(doc)
    copied["metadata"]["namespace"] = namespace
    return copied
