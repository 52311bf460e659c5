"""Apply mode for the module's inputs: the plan Module(inputs) describes."""

from __future__ import annotations

from collections.abc import Callable

from ..inputs import Inputs
from ..module import Module
from ..yamlio import dump_document, load_yaml_text
from .helm import HelmRelease
from .inventory import Inventory
from .runner import ApplyOptions, ApplyReport, Plan, apply_plan


def operator_release(inputs: Inputs) -> HelmRelease:
    """The operator's `helm upgrade --install`, pinned to the inputs' chart version."""
    values = inputs.helm_values_mapping()
    return HelmRelease(
        release=inputs.helm_release_name,
        namespace=inputs.operator_namespace,
        chart=inputs.chart_name,
        version=inputs.chart_version,
        repository=inputs.chart_repository,
        values=(values,) if values else (),
        wait=inputs.helm_wait,
        timeout_seconds=inputs.helm_timeout,
    )


def plan_for(inputs: Inputs) -> Plan:
    """Every object the module renders, the operator release and the inventory.

    Objects go through the same serialiser as render mode, so apply sends exactly
    what a GitOps tree would hold (unset fields left out, never sent as null).
    """
    objects = [load_yaml_text(dump_document(obj)) for obj in Module(inputs).objects()]
    return Plan.build(
        objects,
        Inventory(namespace=inputs.cluster_namespace, cluster_name=inputs.cluster_name),
        operator_release(inputs),
    )


def apply_inputs(
    inputs: Inputs, options: ApplyOptions, *, progress: Callable[[str], None] = print
) -> ApplyReport:
    """Converge what inputs render onto the cluster options point at."""
    return apply_plan(plan_for(inputs), options, progress=progress)
