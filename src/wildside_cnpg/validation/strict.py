"""A CRD's structural schema made strict, the way the API server reads it but
rejecting instead of pruning: every object node that neither declares
`additionalProperties` nor sets `x-kubernetes-preserve-unknown-fields` gets
`additionalProperties: false`, and the root's `metadata` is checked against
ObjectMeta (the API server validates it itself, so CRDs leave it open).

Logical junctors (allOf, anyOf, oneOf, not) are left alone: in a structural schema
they only add value checks on fields the node already declares."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_STRING_MAP: dict[str, Any] = {"type": "object", "additionalProperties": {"type": "string"}}
_OWNER_REFERENCE: dict[str, Any] = {
    "type": "object",
    "required": ["apiVersion", "kind", "name", "uid"],
    "additionalProperties": False,
    "properties": {
        "apiVersion": {"type": "string"},
        "kind": {"type": "string"},
        "name": {"type": "string"},
        "uid": {"type": "string"},
        "controller": {"type": "boolean"},
        "blockOwnerDeletion": {"type": "boolean"},
    },
}
OBJECT_META: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string"},
        "generateName": {"type": "string"},
        "namespace": {"type": "string"},
        "labels": _STRING_MAP,
        "annotations": _STRING_MAP,
        "finalizers": {"type": "array", "items": {"type": "string"}},
        "ownerReferences": {"type": "array", "items": _OWNER_REFERENCE},
        "uid": {"type": "string"},
        "resourceVersion": {"type": "string"},
        "generation": {"type": "integer"},
        "creationTimestamp": {"type": "string", "nullable": True},
        "deletionTimestamp": {"type": "string", "nullable": True},
        "deletionGracePeriodSeconds": {"type": "integer"},
        "selfLink": {"type": "string"},
        "managedFields": {
            "type": "array",
            "items": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
        },
    },
}
_EMBEDDED: dict[str, Any] = {
    "apiVersion": {"type": "string"},
    "kind": {"type": "string"},
    "metadata": OBJECT_META,
}
PRESERVE = "x-kubernetes-preserve-unknown-fields"


def _is_object(node: Mapping[str, Any]) -> bool:
    return node.get("type") == "object" or "properties" in node


def _strict(node: Any, *, root: bool) -> Any:
    if not isinstance(node, Mapping):
        return node
    out: dict[str, Any] = dict(node)
    properties = node.get("properties")
    if isinstance(properties, Mapping):
        out["properties"] = {key: _strict(value, root=False) for key, value in properties.items()}
    if isinstance(node.get("items"), Mapping):
        out["items"] = _strict(node["items"], root=False)
    if isinstance(node.get("additionalProperties"), Mapping):
        out["additionalProperties"] = _strict(node["additionalProperties"], root=False)
    if node.get("x-kubernetes-embedded-resource"):
        out["properties"] = _EMBEDDED | out.get("properties", {})
    if root:
        metadata = (properties or {}).get("metadata") or {}
        extra = {k: v for k, v in metadata.items() if k not in ("type", "description")}
        out["properties"] = out.get("properties", {}) | {
            "metadata": OBJECT_META | ({"allOf": [extra]} if extra else {})
        }
    if _is_object(node) and not node.get(PRESERVE) and "additionalProperties" not in node:
        out["additionalProperties"] = False
    return out


def strict_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    """A strict copy of a CRD version's `openAPIV3Schema` (the input is not changed)."""
    result: dict[str, Any] = _strict(schema, root=True)
    return result


def to_json_schema(node: Any) -> Any:
    """An OpenAPI 3.0 schema as plain JSON Schema (what kubeconform reads): `nullable`
    becomes a "null" type; the Kubernetes extensions are dropped."""
    if isinstance(node, list):
        return [to_json_schema(item) for item in node]
    if not isinstance(node, Mapping):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key.startswith("x-kubernetes-") or key == "nullable":
            continue
        if key in ("properties", "patternProperties", "definitions", "$defs"):
            out[key] = {name: to_json_schema(sub) for name, sub in value.items()}
        elif key in {"enum", "required", "default", "example"}:
            out[key] = value
        else:
            out[key] = to_json_schema(value)
    if node.get("nullable") and "type" in out:
        types = out["type"] if isinstance(out["type"], list) else [out["type"]]
        out["type"] = [*types, "null"]
        if "enum" in out and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
    return out
