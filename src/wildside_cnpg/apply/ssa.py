"""Server-side apply of one object (PATCH application/apply-patch+yaml)."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any

import httpx2
from lightkube import ApiError, Client
from lightkube.types import PatchType

from ..masking import scrub
from .changes import Change, field_changes
from .errors import ApplyConflictError, ApplyRejectedError, ClusterError, FieldConflict
from .kube import ResourceType, is_namespaced
from .refs import ObjectRef

_MANAGER = re.compile(r'conflict with "([^"]*)"')
SENSITIVE_KINDS = frozenset({("v1", "Secret")})


def as_dict(obj: Any) -> dict[str, Any]:
    """A lightkube object (model or generic) as plain data."""
    if isinstance(obj, dict):
        return dict(obj)
    data: dict[str, Any] = obj.to_dict()
    return data


def conflicts_of(exc: ApiError, secrets: Collection[str] = ()) -> list[FieldConflict]:
    """The fields and managers the causes name, with every secret masked."""
    details = exc.status.details
    found = []
    for cause in (details.causes or []) if details else []:
        match = _MANAGER.search(cause.message or "")
        found.append(
            FieldConflict(
                field=scrub(cause.field or "?", secrets),
                manager=scrub(match.group(1), secrets) if match else "?",
            )
        )
    return found


def _namespace(resource: ResourceType, ref: ObjectRef) -> str | None:
    return ref.namespace or None if is_namespaced(resource) else None


def get_current(client: Client, resource: ResourceType, ref: ObjectRef) -> dict[str, Any] | None:
    """The live object, or None when it does not exist."""
    try:
        live = client.get(resource, ref.name, namespace=_namespace(resource, ref))
    except ApiError as exc:
        if exc.status.code == 404:
            return None
        raise ClusterError(f"{ref}: cannot read it: {exc.status.message}") from exc
    except httpx2.HTTPError as exc:
        raise ClusterError(f"cannot reach the API server: {exc}") from exc
    return as_dict(live)


def apply_one(
    client: Client,
    resource: ResourceType,
    obj: Mapping[str, Any],
    *,
    field_manager: str,
    force: bool,
    dry_run: bool,
    secrets: Collection[str] = (),
) -> tuple[Change, dict[str, Any]]:
    """Apply obj; return what changed and the object the server answered with.

    A refusal's text (an admission webhook's may quote the object) shows each of
    `secrets` as <sensitive>; the API server's own error, whose text is not masked,
    is not chained to it."""
    ref = ObjectRef.of(obj)
    current = get_current(client, resource, ref)
    try:
        answer = client.patch(
            resource,
            ref.name,
            dict(obj),
            namespace=_namespace(resource, ref),
            patch_type=PatchType.APPLY,
            field_manager=field_manager,
            force=force,
            dry_run=dry_run,
        )
    except ApiError as exc:
        if exc.status.code == 409 and exc.status.reason == "Conflict":
            raise ApplyConflictError(str(ref), conflicts_of(exc, secrets)) from None
        message = scrub(exc.status.message or str(exc), secrets)
        raise ApplyRejectedError(
            str(ref), message, dry_run=dry_run, status=exc.status.code
        ) from None
    except httpx2.HTTPError as exc:
        raise ClusterError(f"cannot reach the API server: {exc}") from exc
    result = as_dict(answer)
    sensitive = (ref.api_version, ref.kind) in SENSITIVE_KINDS
    if current is None:
        return Change(ref, "create", dry_run=dry_run), result
    if dry_run:
        details = field_changes(current, result, sensitive=sensitive)
        action = "configure" if details else "unchanged"
        return Change(ref, action, dry_run=True, details=details), result
    before = current["metadata"].get("resourceVersion")
    after = result["metadata"].get("resourceVersion")
    if before == after:
        return Change(ref, "unchanged"), result
    details = field_changes(current, result, sensitive=sensitive) or ("field ownership only",)
    return Change(ref, "configure", details=details), result
