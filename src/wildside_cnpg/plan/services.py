"""What CNPG does with the Services when spec.managed changes
(internal/controller/cluster_create.go, reconcilePostgresServices, 1.30.0): a default
Service turned off and an additional Service removed from the list are deleted, a
new one is created, a changed one is patched, or deleted and created again with
`updateStrategy: replace`.

Kubernetes never changes a LoadBalancer's loadBalancerClass in place, so a patch of
it fails, and the failed update stops CNPG's reconciliation of the whole cluster
(the Services come before the instances in its loop): such a change is refused."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .model import Refusal

_DEFAULTS = ("ro", "r")
_SELECTS = {"rw": "the primary", "ro": "the replicas", "r": "every instance"}


def _mapping(document: Any, *path: str) -> Mapping[str, Any]:
    """The mapping at path, or an empty one (a hand-edited document may hold anything)."""
    for key in path:
        document = document.get(key) if isinstance(document, Mapping) else None
    return document if isinstance(document, Mapping) else {}


def _additional(services: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    found: dict[str, Mapping[str, Any]] = {}
    entries = services.get("additional")
    for entry in entries if isinstance(entries, list) else ():
        name = _mapping(entry, "serviceTemplate", "metadata").get("name")
        if isinstance(name, str):
            found[name] = entry
    return found


def _spec(entry: Mapping[str, Any]) -> Mapping[str, Any]:
    return _mapping(entry, "serviceTemplate", "spec")


def _disabled(services: Mapping[str, Any]) -> set[str]:
    listed = services.get("disabledDefaultServices")
    return {item for item in listed if isinstance(item, str)} if isinstance(listed, list) else set()


def _selects(entry: Mapping[str, Any]) -> str:
    return _SELECTS.get(str(entry.get("selectorType")), "the instances")


def _type(entry: Mapping[str, Any]) -> str:
    return str(_spec(entry).get("type") or "ClusterIP")


def _created(name: str, entry: Mapping[str, Any]) -> str:
    return f"CNPG creates Service {name} ({_type(entry)}, to {_selects(entry)})"


def _deleted(name: str, entry: Mapping[str, Any]) -> str:
    tail = ", its load balancer and its address" if _type(entry) == "LoadBalancer" else ""
    return f"CNPG deletes Service {name}{tail}; clients connecting through it can no longer connect"


def _changed(name: str, before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    details = [_how_changed(name, before, after)]
    if _selects(before) != _selects(after):
        # A Service that reached the primary and now reaches the replicas takes no writes.
        details.append(
            f"Service {name} now sends its clients to {_selects(after)} (it sent them to "
            f"{_selects(before)})"
        )
    return details


def _how_changed(name: str, before: Mapping[str, Any], after: Mapping[str, Any]) -> str:
    if after.get("updateStrategy") == "replace":
        tail = " (a LoadBalancer gets a new address)" if _type(after) == "LoadBalancer" else ""
        return f"CNPG deletes Service {name} and creates it again (updateStrategy replace){tail}"
    if _type(before) == "LoadBalancer" and _type(after) != "LoadBalancer":
        return (
            f"CNPG changes Service {name} to {_type(after)}: its load balancer and its "
            "address are released"
        )
    return f"CNPG updates Service {name} in place"


def _class_change(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[str, str] | None:
    """The load balancer class before and after, when a LoadBalancer's class changes."""
    if _type(before) != "LoadBalancer" or _type(after) != "LoadBalancer":
        return None
    old, new = _spec(before).get("loadBalancerClass"), _spec(after).get("loadBalancerClass")
    return None if old == new else (str(old or "unset"), str(new or "unset"))


def _class_refusal(
    name: str, before: Mapping[str, Any], after: Mapping[str, Any], where: str
) -> Refusal | None:
    change = _class_change(before, after)
    if change is None or after.get("updateStrategy") == "replace":
        return None
    return Refusal(
        "additional_services",
        f"changing load_balancer_class of Service {name} ({where}) from {change[0]} to "
        f"{change[1]} is refused by Kubernetes, which never changes it on a LoadBalancer; "
        "CNPG's update fails and stops reconciling the cluster",
        f"Set update_strategy to replace for {name} (CNPG deletes and recreates it, with a "
        "new address), or give the new class to a Service of another name",
        overridable=False,
    )


def pooler_service_change(
    name: str, read_only: bool, before: Any, after: Any, where: str
) -> tuple[list[str], list[Refusal]]:
    """A Pooler's serviceTemplate changed: CNPG's pooler controller always patches the
    Service (internal/controller/pooler_update.go, reconcileService), so a new class of
    a LoadBalancer fails there and the Pooler stops reconciling. The read-only Pooler's
    settings are pooler_read_only_service's, or pooler_service's when that is unset."""
    old = {"serviceTemplate": before if isinstance(before, Mapping) else {}}
    new = {"serviceTemplate": after if isinstance(after, Mapping) else {}}
    if _type(old) != "LoadBalancer" and _type(new) == "LoadBalancer":
        details = [f"CNPG changes Service {name} to LoadBalancer: a load balancer and an address"]
    else:
        details = [_how_changed(name, old, new)]
    change = _class_change(old, new)
    if change is None:
        return details, []
    setting = "pooler_read_only_service" if read_only else "pooler_service"
    whose = (
        "pooler_read_only_service's type (or pooler_service's, when that is unset)"
        if read_only
        else "pooler_service's type"
    )
    return details, [
        Refusal(
            setting,
            f"changing load_balancer_class of the Service of Pooler {where} from {change[0]} "
            f"to {change[1]} is refused by Kubernetes, which never changes it on a "
            "LoadBalancer; CNPG's update fails and stops reconciling the Pooler",
            f"Set {whose} to ClusterIP in one commit (its load balancer and address go) and "
            "back to LoadBalancer with the new class in the next",
            overridable=False,
        )
    ]


def services_change(
    cluster: str, before: Any, after: Any, where: str
) -> tuple[list[str], list[Refusal]]:
    """The details and refusals of a change of spec.managed's services."""
    old, new = _mapping(before, "services"), _mapping(after, "services")
    details: list[str] = []
    refusals: list[Refusal] = []
    old_disabled, new_disabled = _disabled(old), _disabled(new)
    for suffix in _DEFAULTS:
        name = f"{cluster}-{suffix}"
        if suffix in new_disabled - old_disabled:
            details.append(
                f"CNPG deletes its Service {name}; clients connecting through it can no "
                "longer connect"
            )
        elif suffix in old_disabled - new_disabled:
            details.append(f"CNPG creates its Service {name} again")
    old_additional, new_additional = _additional(old), _additional(new)
    for name in sorted(old_additional.keys() - new_additional.keys()):
        details.append(_deleted(name, old_additional[name]))
    for name in sorted(new_additional.keys() - old_additional.keys()):
        details.append(_created(name, new_additional[name]))
    for name in sorted(old_additional.keys() & new_additional.keys()):
        before_entry, after_entry = old_additional[name], new_additional[name]
        if before_entry == after_entry:
            continue
        details.extend(_changed(name, before_entry, after_entry))
        refusal = _class_refusal(name, before_entry, after_entry, where)
        if refusal is not None:
            refusals.append(refusal)
    return details, refusals
