"""The plan in apply mode: each rendered object against the live one.

The live object carries what the API server and CNPG's mutating webhook add (status,
defaults), so it is first projected onto the fields the render sets, and onto those
this tool's field manager applied before: a field the render leaves to its default
is not a change, but one an earlier apply set and this render drops (`walStorage`,
`bootstrap.initdb.secret`) is, since server-side apply removes it. The
classification and the refusals are the render mode's (`wildside_cnpg.plan`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from lightkube import Client

from ..fluxgraph import ObjectKey
from ..kinds import DATABASE
from ..plan import Plan, classify, protected
from ..plan.checkout import database_refusal
from .kube import Resources
from .order import group_of
from .refs import ObjectRef
from .runner import Plan as ApplyPlan
from .ssa import get_current


def applied_fields(live: Mapping[str, Any], manager: str) -> dict[str, Any]:
    """The fields (a merged FieldsV1 set) `manager` owns in `live` by server-side apply."""
    merged: dict[str, Any] = {}
    for entry in (live.get("metadata") or {}).get("managedFields") or []:
        if entry.get("manager") == manager and entry.get("operation") == "Apply":
            _merge(merged, entry.get("fieldsV1") or {})
    return merged


def _merge(into: dict[str, Any], fields: Mapping[str, Any]) -> None:
    for key, value in fields.items():
        if isinstance(value, Mapping):
            _merge(into.setdefault(key, {}), value)


def project(live: Any, rendered: Any, applied: Mapping[str, Any] | None = None) -> Any:
    """The part of `live` that `rendered` describes, and that `applied` (the FieldsV1
    set an earlier apply owns) describes where the render no longer does (mappings key
    by key; lists and scalars whole)."""
    if not isinstance(live, Mapping):
        return live
    dropped = {key[2:]: value for key, value in (applied or {}).items() if key.startswith("f:")}
    if isinstance(rendered, Mapping):
        wanted = {**{key: None for key in dropped}, **rendered}
    elif rendered is None and dropped:
        wanted = dict.fromkeys(dropped)
    else:
        return live
    return {
        key: project(live[key], value, dropped.get(key))
        for key, value in wanted.items()
        if key in live
    }


def _pruned(
    client: Client, plan: ApplyPlan, resources: Resources, stale: Iterable[ObjectRef]
) -> Plan:
    """What --prune would delete that the render mode refuses to delete: a Database
    (CNPG drops the database with databaseReclaimPolicy delete; with retain it leaves it
    unmanaged)."""
    result = Plan()
    for ref in sorted(stale):
        if (group_of(ref.api_version), ref.kind) != (group_of(DATABASE.api_version), DATABASE.kind):
            continue
        resource = resources.for_kind(ref.api_version, ref.kind, wait=False)
        live = None if resource is None else get_current(client, resource, ref)
        if live is None or not plan.inventory.owns(live) or protected(live):
            continue  # prune leaves it alone
        key = ObjectKey.of(live)
        change, _ = classify(key, live, None)
        result.changes.append(change)
        result.refusals.append(
            database_refusal(
                plan.database,
                key,
                live,
                leaves="is no longer rendered and --prune deletes the object",
            )
        )
    return result


def live_plan(
    client: Client,
    plan: ApplyPlan,
    resources: Resources,
    *,
    field_manager: str,
    stale: Iterable[ObjectRef] = (),
) -> Plan:
    """The plan against the live objects; `stale`: what --prune would delete."""
    result = Plan()
    for unlabelled in plan.objects:
        obj = plan.inventory.labelled(unlabelled)  # as apply sends it
        ref = ObjectRef.of(obj)
        resource = resources.for_kind(ref.api_version, ref.kind, wait=False)
        live = None if resource is None else get_current(client, resource, ref)
        old = None if live is None else project(live, obj, applied_fields(live, field_manager))
        change, refusals = classify(ObjectKey.of(obj), old, obj)
        result.changes.append(change)
        result.refusals.extend(refusals)
    pruned = _pruned(client, plan, resources, stale)
    result.changes.extend(pruned.changes)
    result.refusals.extend(pruned.refusals)
    return result
