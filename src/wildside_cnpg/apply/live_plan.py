"""The plan in apply mode: each rendered object against the live one.

The live object carries what the API server and CNPG's mutating webhook add (status,
defaults), so it is first projected onto the fields the render sets; a field the
render leaves to its default is not a change. The classification and the refusals
are the render mode's (`wildside_cnpg.plan`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lightkube import Client

from ..fluxgraph import ObjectKey
from ..plan import Plan, classify
from .kube import Resources
from .refs import ObjectRef
from .runner import Plan as ApplyPlan
from .ssa import get_current


def project(live: Any, rendered: Any) -> Any:
    """The part of `live` that `rendered` describes (mappings key by key; lists and
    scalars whole)."""
    if isinstance(rendered, Mapping) and isinstance(live, Mapping):
        return {
            key: project(live.get(key), value) for key, value in rendered.items() if key in live
        }
    return live


def live_plan(client: Client, plan: ApplyPlan, resources: Resources) -> Plan:
    result = Plan()
    for obj in plan.objects:
        ref = ObjectRef.of(obj)
        resource = resources.for_kind(ref.api_version, ref.kind, wait=False)
        live = None if resource is None else get_current(client, resource, ref)
        old = None if live is None else project(live, obj)
        change, refusals = classify(ObjectKey.of(obj), old, obj)
        result.changes.append(change)
        result.refusals.extend(refusals)
    return result
