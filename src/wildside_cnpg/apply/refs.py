"""How the apply package names one object, in reports and in the inventory."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, order=True)
class ObjectRef:
    api_version: str
    kind: str
    namespace: str
    name: str

    @classmethod
    def of(cls, obj: Mapping[str, Any]) -> ObjectRef:
        meta = obj.get("metadata") or {}
        return cls(
            api_version=str(obj["apiVersion"]),
            kind=str(obj["kind"]),
            namespace=str(meta.get("namespace") or ""),
            name=str(meta["name"]),
        )

    def as_object(self) -> dict[str, Any]:
        """A stub object (apiVersion, kind, metadata) for ordering and lookups."""
        meta: dict[str, str] = {"name": self.name}
        if self.namespace:
            meta["namespace"] = self.namespace
        return {"apiVersion": self.api_version, "kind": self.kind, "metadata": meta}

    def to_record(self) -> dict[str, str]:
        return {
            "apiVersion": self.api_version,
            "kind": self.kind,
            "namespace": self.namespace,
            "name": self.name,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> ObjectRef:
        return cls(
            api_version=str(record["apiVersion"]),
            kind=str(record["kind"]),
            namespace=str(record.get("namespace") or ""),
            name=str(record["name"]),
        )

    def __str__(self) -> str:
        where = f"{self.namespace}/{self.name}" if self.namespace else self.name
        return f"{self.kind} {where}"
