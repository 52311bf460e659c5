"""spec.managed.services of the Cluster: CNPG's default Services turned off, and
Services of your own that CNPG creates, keeps and deletes with the cluster.

Written with CNPG's default (`updateStrategy: patch`) so that the live object reads
back the same; the selector and the port are CNPG's to set
(pkg/specs/services.go, BuildManagedServices)."""

from __future__ import annotations

from ..inputs import Inputs
from ..inputs.services import AdditionalService
from .common import Document


def _additional(service: AdditionalService) -> Document:
    return {
        "selectorType": service.selector_type,
        "updateStrategy": service.update_strategy,
        "serviceTemplate": {
            "metadata": {
                "name": service.name,
                "labels": dict(service.labels) or None,
                "annotations": dict(service.annotations) or None,
            },
            "spec": {
                "type": service.type,
                "loadBalancerSourceRanges": list(service.load_balancer_source_ranges) or None,
                "loadBalancerClass": service.load_balancer_class,
            },
        },
    }


def managed_services(inputs: Inputs) -> Document | None:
    if not inputs.disabled_default_services and not inputs.additional_services:
        return None
    return {
        "disabledDefaultServices": sorted(inputs.disabled_default_services) or None,
        "additional": [_additional(service) for service in inputs.additional_services] or None,
    }
