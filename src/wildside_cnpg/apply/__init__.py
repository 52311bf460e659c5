"""Apply mode: converge the rendered objects onto a live cluster.

Server-side apply with a field manager, in the order order.py lays out, with
the operator (and the Barman Cloud plugin) installed by Helm, optional prune of
what earlier applies left behind, and an optional wait for the Cluster to
become Ready.
"""

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
from .runner import DEFAULT_FIELD_MANAGER, ApplyOptions, ApplyReport, Plan, apply_plan
from .wait import ClusterStatus

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
    "ClusterStatus",
    "FieldConflict",
    "HelmRelease",
    "Inventory",
    "ObjectRef",
    "Plan",
    "ToolMissingError",
    "WaitTimeoutError",
    "apply_inputs",
    "apply_plan",
    "helm_releases",
    "plan_for",
]
