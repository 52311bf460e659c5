"""Apply mode for the module's inputs: the plan Module(inputs) describes."""

from __future__ import annotations

from collections.abc import Callable

from ..inputs import Inputs
from ..module import Module
from ..shape import Shape
from .helm import HelmRelease
from .inventory import Inventory
from .retry import Notify, warn
from .runner import ApplyOptions, ApplyReport, Plan, apply_plan


def helm_releases(shape: Shape) -> tuple[HelmRelease, ...]:
    """Each chart's `helm upgrade --install`, pinned to its version: the operator, then
    the Barman Cloud plugin when it is installed (same repository, same namespace);
    none when the operator is installed by another inputs file or outside this tool."""
    inputs = shape.inputs
    values = inputs.helm_values_mapping()
    operator = shape.operator_chart
    return tuple(
        HelmRelease(
            release=chart.release,
            namespace=inputs.operator_namespace,
            chart=chart.chart,
            version=chart.version,
            repository=inputs.chart_repository,
            values=(values,) if chart == operator and values else (),
            wait=inputs.helm_wait,
            timeout_seconds=inputs.helm_timeout,
        )
        for chart in shape.charts
    )


def plan_for(source: Inputs | Module) -> Plan:
    """Every object the module renders, the Helm releases and the inventory.

    Objects are the same plain data render mode writes (unset fields left out,
    never sent as null). Pass the Module itself to reuse what it already rendered.
    """
    module = source if isinstance(source, Module) else Module(source)
    inputs = module.inputs
    return Plan.build(
        module.objects(),
        Inventory(namespace=inputs.cluster_namespace, cluster_name=inputs.cluster_name),
        helm_releases(module.shape),
        sensitive=inputs.sensitive_values(),
    )


def apply_inputs(
    source: Inputs | Module,
    options: ApplyOptions,
    *,
    progress: Callable[[str], None] = print,
    notify: Notify = warn,
) -> ApplyReport:
    """Converge what the inputs (or an already built Module) render onto the cluster
    options point at."""
    return apply_plan(plan_for(source), options, progress=progress, notify=notify)
