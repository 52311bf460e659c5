"""--prune: delete what earlier applies made that this one no longer renders.

Only objects listed in the inventory that still carry its label are deleted;
namespaces never are (removing one removes everything in it), nor is any object
annotated `kustomize.toolkit.fluxcd.io/prune: disabled`: what Flux never prunes,
apply mode never prunes either.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable

from lightkube import ApiError, Client

from ..masking import scrub
from ..plan.classify import protected
from .changes import Change
from .errors import ClusterError
from .inventory import Inventory
from .kube import Resources, is_namespaced
from .order import NEVER_PRUNED, kind_key, sort_for_delete
from .refs import ObjectRef
from .ssa import get_current


def prune(
    client: Client,
    resources: Resources,
    inventory: Inventory,
    stale: Iterable[ObjectRef],
    *,
    dry_run: bool,
    record: Callable[[Change], None],
    secrets: Collection[str] = (),
) -> None:
    """Delete each stale object that is still this inventory's, in reverse apply order.

    Afterwards every stale entry can leave the inventory: it was deleted, was
    already gone, is never pruned, or no longer carries the inventory's label.
    A refused deletion's text shows each of `secrets` as <sensitive>.
    """
    for ref in (ObjectRef.of(o) for o in sort_for_delete(r.as_object() for r in stale)):
        if kind_key(ref.as_object()) in NEVER_PRUNED:
            record(Change(ref, "keep", dry_run=dry_run, note="namespaces are never pruned"))
            continue
        resource = resources.for_kind(ref.api_version, ref.kind, wait=False)
        live = None if resource is None else get_current(client, resource, ref)
        if resource is None or live is None:
            continue  # its CRD or the object itself is gone already
        if not inventory.owns(live):
            note = "no longer labelled as applied by this inventory: left alone"
            record(Change(ref, "keep", dry_run=dry_run, note=note))
            continue
        if protected(live):
            note = "annotated kustomize.toolkit.fluxcd.io/prune: disabled: never pruned"
            record(Change(ref, "keep", dry_run=dry_run, note=note))
            continue
        try:
            client.delete(
                resource,
                ref.name,
                namespace=(ref.namespace or None) if is_namespaced(resource) else None,
                dry_run=dry_run,
            )
        except ApiError as exc:
            if exc.status.code != 404:
                message = scrub(exc.status.message or str(exc), secrets)
                raise ClusterError(f"{ref}: cannot delete it: {message}") from None
        record(Change(ref, "prune", dry_run=dry_run))
