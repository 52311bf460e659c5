"""Service inputs: CNPG's default Services turned off, and Services of your own that
CNPG keeps beside them (spec.managed.services), such as a LoadBalancer in front of
the primary."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import InputFields, InputGroup
from .feature_types import LabelKey, LabelValue, SourceRange, TextValue
from .service_names import SelectorType
from .types import ServiceName


class ServiceSettings(InputGroup):
    """How a Service CNPG makes is exposed: its type, metadata and load balancer."""

    type: Literal["ClusterIP", "NodePort", "LoadBalancer"] = "ClusterIP"
    annotations: dict[str, TextValue] = Field(
        default_factory=dict,
        description="the Service's annotations, such as a cloud load balancer's settings",
    )
    labels: dict[str, LabelValue] = Field(default_factory=dict)
    load_balancer_source_ranges: tuple[SourceRange, ...] = Field(
        (), strict=False, description="the client networks a LoadBalancer accepts"
    )
    load_balancer_class: LabelKey | None = Field(
        None, description="the LoadBalancer's implementation (Kubernetes never changes it)"
    )


class AdditionalService(ServiceSettings):
    """A Service CNPG creates and keeps for the cluster (managed.services.additional)."""

    name: ServiceName
    selector_type: SelectorType = Field(
        description="rw: the primary; ro: the replicas; r: any instance"
    )
    update_strategy: Literal["patch", "replace"] = Field(
        "patch",
        description="patch: CNPG updates the Service in place; replace: CNPG deletes and "
        "recreates it on every change (a LoadBalancer gets a new address)",
    )


class ServicesInputs(InputFields):
    disabled_default_services: tuple[Literal["ro", "r"], ...] = Field(
        (),
        strict=False,
        description="CNPG's default Services not to create: ro (the replicas) and r (any "
        "instance); the primary's rw Service always exists. The outputs of a Service "
        "turned off are null",
    )
    additional_services: tuple[AdditionalService, ...] = Field(
        (),
        strict=False,
        description="Services CNPG keeps beside its own, each {type, annotations, labels, "
        "load_balancer_source_ranges, load_balancer_class, name, selector_type, "
        "update_strategy}; CNPG deletes one removed from the list",
    )
