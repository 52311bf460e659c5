"""Topology inputs: where the instances run (anti-affinity across hosts, spread across
zones, node selection, tolerations, priority)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import InputFields, InputGroup
from .feature_types import INT64_MAX, DNSSubdomain, LabelKey, LabelValue

TaintEffect = Literal["NoSchedule", "PreferNoSchedule", "NoExecute"]


class Toleration(InputGroup):
    """A toleration of every instance pod (CNPG's affinity.tolerations)."""

    key: LabelKey | None = Field(None, description="the taint's key; unset matches every key")
    operator: Literal["Equal", "Exists"] = "Equal"
    value: LabelValue | None = None
    effect: TaintEffect | None = Field(None, description="unset matches every effect")
    toleration_seconds: int | None = Field(None, ge=0, le=INT64_MAX)


class TopologyInputs(InputFields):
    pod_anti_affinity_type: Literal["preferred", "required"] = Field(
        "preferred",
        description="Anti-affinity of the instances across hosts (kubernetes.io/hostname): "
        "preferred (CNPG's default) spreads them over as many nodes as there are and shares "
        "a node when it must; required never shares one, and an instance without a free node "
        "stays Pending",
    )
    zone_spread: Literal["off", "preferred", "required"] = Field(
        "off",
        description="Spread the instances across zones (topology.kubernetes.io/zone, maxSkew 1): "
        "preferred is ScheduleAnyway, required DoNotSchedule",
    )
    node_selector: dict[str, LabelValue] = Field(
        default_factory=dict, description="Node labels every instance pod requires"
    )
    tolerations: tuple[Toleration, ...] = Field(
        (),
        strict=False,
        description="Tolerations of the instance pods, each {key, operator, value, effect, "
        "toleration_seconds}",
    )
    priority_class_name: DNSSubdomain | None = Field(
        None, description="PriorityClass of the instance pods"
    )
