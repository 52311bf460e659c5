"""spec.managed.services of the Cluster: CNPG's default Services turned off, and
Services of your own that CNPG creates, keeps and deletes with the cluster; and the
serviceTemplate of a Pooler's Service.

Written with CNPG's default (`updateStrategy: patch`) so that the live object reads
back the same; the selector and the port are CNPG's to set
(pkg/specs/services.go, BuildManagedServices)."""

from __future__ import annotations

from ..inputs import Inputs
from ..inputs.compiled import AdditionalService, ServiceSettings
from .common import Document


def service_template(settings: ServiceSettings, name: str | None = None) -> Document:
    """A serviceTemplate: CNPG merges its own labels, selector and port into it. No
    metadata at all rather than an empty one (the CRD refuses a null)."""
    metadata = {
        "name": name,
        "labels": dict(settings.labels) or None,
        "annotations": dict(settings.annotations) or None,
    }
    return {
        "metadata": metadata if any(value is not None for value in metadata.values()) else None,
        "spec": {
            "type": settings.type,
            "loadBalancerSourceRanges": list(settings.load_balancer_source_ranges) or None,
            "loadBalancerClass": settings.load_balancer_class,
        },
    }


def _additional(service: AdditionalService) -> Document:
    return {
        "selectorType": service.selector_type,
        "updateStrategy": service.update_strategy,
        "serviceTemplate": service_template(service, service.name),
    }


def managed_services(inputs: Inputs) -> Document | None:
    if not inputs.disabled_default_services and not inputs.additional_services:
        return None
    return {
        "disabledDefaultServices": sorted(inputs.disabled_default_services) or None,
        "additional": [_additional(service) for service in inputs.additional_services] or None,
    }
