"""Apply mode: converge the rendered objects onto a live cluster.

Server-side apply with a field manager, in the order order.py lays out, with
the operator (and the Barman Cloud plugin) installed by Helm, optional prune of
what earlier applies left behind, and an optional wait for the Cluster to
become Ready; `status` and `uninstall` read and remove what an apply recorded.

Names are imported from their modules on first use (PEP 562), so `apply.order`,
which rendering reads too, loads without lightkube (the `apply` extra).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .changes import Change
    from .errors import (
        ApplyConflictError,
        ApplyRejectedError,
        ApplyUsageError,
        ClusterError,
        FieldConflict,
        ToolMissingError,
        WaitTimeoutError,
    )
    from .from_inputs import apply_inputs, helm_releases, plan_for
    from .helm import HelmRelease
    from .inventory import INVENTORY_LABEL, Inventory
    from .refs import ObjectRef
    from .retry import RetriesExhaustedError, RetryPolicy
    from .runner import DEFAULT_FIELD_MANAGER, ApplyOptions, ApplyReport, Plan, apply_plan
    from .status import ClusterOptions, StatusReport, status_of
    from .uninstall import UninstallOptions, UninstallReport, uninstall_plan
    from .wait import ClusterStatus

_EXPORTS: dict[str, str] = {
    "ApplyConflictError": ".errors",
    "ApplyOptions": ".runner",
    "ApplyRejectedError": ".errors",
    "ApplyReport": ".runner",
    "ApplyUsageError": ".errors",
    "Change": ".changes",
    "ClusterError": ".errors",
    "ClusterOptions": ".status",
    "ClusterStatus": ".wait",
    "DEFAULT_FIELD_MANAGER": ".runner",
    "FieldConflict": ".errors",
    "HelmRelease": ".helm",
    "INVENTORY_LABEL": ".inventory",
    "Inventory": ".inventory",
    "ObjectRef": ".refs",
    "Plan": ".runner",
    "RetriesExhaustedError": ".retry",
    "RetryPolicy": ".retry",
    "StatusReport": ".status",
    "ToolMissingError": ".errors",
    "UninstallOptions": ".uninstall",
    "UninstallReport": ".uninstall",
    "WaitTimeoutError": ".errors",
    "apply_inputs": ".from_inputs",
    "apply_plan": ".runner",
    "helm_releases": ".from_inputs",
    "plan_for": ".from_inputs",
    "status_of": ".status",
    "uninstall_plan": ".uninstall",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module, __name__), name)


__all__ = [
    "DEFAULT_FIELD_MANAGER",
    "INVENTORY_LABEL",
    "ApplyConflictError",
    "ApplyOptions",
    "ApplyRejectedError",
    "ApplyReport",
    "ApplyUsageError",
    "Change",
    "ClusterError",
    "ClusterOptions",
    "ClusterStatus",
    "FieldConflict",
    "HelmRelease",
    "Inventory",
    "ObjectRef",
    "Plan",
    "RetriesExhaustedError",
    "RetryPolicy",
    "StatusReport",
    "ToolMissingError",
    "UninstallOptions",
    "UninstallReport",
    "WaitTimeoutError",
    "apply_inputs",
    "apply_plan",
    "helm_releases",
    "plan_for",
    "status_of",
    "uninstall_plan",
]
