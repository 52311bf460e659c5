"""The object-metadata rules the API server enforces beyond the schemas: a name that
is a DNS-1123 subdomain, label keys and values in Kubernetes' syntax, annotation keys
that are qualified names. A schema only says these are strings."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from .paths import child

_SUBDOMAIN = re.compile(r"\A[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z")
_NAME_PART = re.compile(r"\A[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?\Z")
SUBDOMAIN_MAX = 253
NAME_PART_MAX = 63


def _subdomain(value: str) -> bool:
    return len(value) <= SUBDOMAIN_MAX and bool(_SUBDOMAIN.match(value))


def _qualified_name(key: str) -> str | None:
    """Why `key` is not a qualified name (`prefix/name` or `name`), or None."""
    prefix, _, name = key.rpartition("/")
    if "/" in key and not _subdomain(prefix):
        return f"prefix {prefix!r} is not a DNS-1123 subdomain"
    if len(name) > NAME_PART_MAX or not _NAME_PART.match(name):
        return (
            f"name part {name!r} must be at most {NAME_PART_MAX} characters: alphanumerics, "
            "'-', '_' or '.', starting and ending with an alphanumeric"
        )
    return None


def metadata_problems(body: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    metadata = body.get("metadata")
    if not isinstance(metadata, Mapping):
        yield "$.metadata", "required"
        return
    name = metadata.get("name")
    if name is None and metadata.get("generateName") is None:
        yield "$.metadata.name", "required"
    elif isinstance(name, str) and not _subdomain(name):
        yield (
            "$.metadata.name",
            f"{name!r} is not a DNS-1123 subdomain (lower-case alphanumerics, '-' and '.', "
            f"at most {SUBDOMAIN_MAX} characters)",
        )
    namespace = metadata.get("namespace")
    if isinstance(namespace, str) and not (
        len(namespace) <= NAME_PART_MAX
        and re.match(r"\A[a-z0-9]([-a-z0-9]*[a-z0-9])?\Z", namespace)
    ):
        yield "$.metadata.namespace", f"{namespace!r} is not a DNS-1123 label"
    labels = metadata.get("labels")
    if isinstance(labels, Mapping):
        path = child("$.metadata", "labels")
        for key, value in labels.items():
            why = _qualified_name(str(key))
            if why:
                yield child(path, str(key)), f"invalid label key: {why}"
            if (
                isinstance(value, str)
                and value
                and (len(value) > NAME_PART_MAX or not _NAME_PART.match(value))
            ):
                yield (
                    child(path, str(key)),
                    f"invalid label value {value!r}: at most {NAME_PART_MAX} characters, "
                    "alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric",
                )
    annotations = metadata.get("annotations")
    if isinstance(annotations, Mapping):
        path = child("$.metadata", "annotations")
        for key in annotations:
            why = _qualified_name(str(key))
            if why:
                yield child(path, str(key)), f"invalid annotation key: {why}"
