"""What this tool applied: a label on every object and a ConfigMap listing them.

Prune deletes only objects that are listed in the inventory, are no longer
rendered, and still carry this inventory's label: anything created or
re-created by someone else is left alone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from lightkube import Client
from lightkube.resources.core_v1 import ConfigMap

from ..constants import MANAGED_BY, MANAGED_BY_LABEL
from .errors import ClusterError
from .refs import ObjectRef
from .ssa import get_current

INVENTORY_LABEL = "wildside-cnpg.io/inventory"
_OBJECTS_KEY = "objects"
_MAX_LABEL_VALUE = 63
_REQUIRED = ("apiVersion", "kind", "name")


@dataclass(frozen=True)
class Inventory:
    """The inventory ConfigMap of one cluster: <cluster>-wildside-cnpg-inventory."""

    namespace: str
    cluster_name: str

    @property
    def name(self) -> str:
        return f"{self.cluster_name}-wildside-cnpg-inventory"

    @property
    def label_value(self) -> str:
        value = f"{self.namespace}.{self.cluster_name}"
        if len(value) > _MAX_LABEL_VALUE:
            value = hashlib.sha256(value.encode()).hexdigest()[:32]
        return value

    @property
    def ref(self) -> ObjectRef:
        return ObjectRef("v1", "ConfigMap", self.namespace, self.name)

    def labelled(self, obj: Mapping[str, Any]) -> dict[str, Any]:
        """A copy of obj carrying the managed-by and inventory labels."""
        meta = dict(obj.get("metadata") or {})
        meta["labels"] = {
            **(meta.get("labels") or {}),
            MANAGED_BY_LABEL: MANAGED_BY,
            INVENTORY_LABEL: self.label_value,
        }
        return {**obj, "metadata": meta}

    def owns(self, live: Mapping[str, Any]) -> bool:
        labels = (live.get("metadata") or {}).get("labels") or {}
        return bool(labels.get(INVENTORY_LABEL) == self.label_value)

    def config_map(self, refs: Iterable[ObjectRef]) -> dict[str, Any]:
        records = [r.to_record() for r in sorted(set(refs))]
        return self.labelled(
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {"name": self.name, "namespace": self.namespace},
                "data": {_OBJECTS_KEY: json.dumps(records, indent=1, sort_keys=True)},
            }
        )

    def read(self, client: Client) -> set[ObjectRef]:
        """The objects recorded by earlier applies (empty when there is no inventory)."""
        return self.load(client) or set()

    def load(self, client: Client) -> set[ObjectRef] | None:
        """The objects recorded by earlier applies; None when there is no inventory."""
        live = get_current(client, ConfigMap, self.ref)
        if live is None:
            return None
        text = (live.get("data") or {}).get(_OBJECTS_KEY) or "[]"
        try:
            records = json.loads(text)
            if not isinstance(records, list) or not all(_is_record(r) for r in records):
                raise ValueError("not a list of objects")
        except ValueError:
            raise ClusterError(
                f"inventory {self.ref}: data.{_OBJECTS_KEY} is not a JSON list of objects "
                "(apiVersion, kind, namespace, name); restore it, or delete it to start a new "
                "inventory (what it listed is then neither pruned nor uninstalled)"
            ) from None
        return {ObjectRef.from_record(r) for r in records}


def _is_record(record: Any) -> bool:
    return (
        isinstance(record, dict)
        and all(isinstance(record.get(key), str) and record[key] for key in _REQUIRED)
        and isinstance(record.get("namespace", ""), str)
    )
