"""The names of a cluster's Services and Poolers, which the inputs, the rules and the
builders share."""

from __future__ import annotations

from typing import Literal

SelectorType = Literal["rw", "ro", "r"]
# The Services CNPG creates for every cluster, named <cluster>-<suffix> and reserved
# by its webhook (internal/webhook/v1/cluster_webhook.go, validateManagedServices).
DEFAULT_SERVICES = ("rw", "ro", "r", "any")


def default_service(cluster: str, suffix: str) -> str:
    return f"{cluster}-{suffix}"


PoolerType = Literal["rw", "ro"]


def pooler_kinds(enabled: bool, read_only: bool) -> tuple[PoolerType, ...]:
    """The Poolers rendered: in front of the primary, and of the replicas too."""
    if not enabled:
        return ()
    return ("rw", "ro") if read_only else ("rw",)


def pooler_name(cluster: str, kind: str) -> str:
    """A Pooler's name, which is also the name of the Service CNPG makes for it."""
    return f"{cluster}-pooler-{kind}"
