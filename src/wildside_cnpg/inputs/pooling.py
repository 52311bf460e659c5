"""Pooling inputs: PgBouncer in front of the cluster, as CNPG Poolers."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import InputFields
from .cluster import ComputeResources
from .services import ServiceSettings
from .types import ParameterValue

# Kubernetes' replicas and PgBouncer's integer settings are 32-bit.
INT32_MAX = 2_147_483_647


class PoolingInputs(InputFields):
    pooler_enabled: bool = Field(
        False,
        description="Render a PgBouncer Pooler in front of the primary (<cluster_name>-pooler-rw)",
    )
    pooler_read_only_enabled: bool = Field(
        False,
        description="Also a Pooler in front of the replicas (<cluster_name>-pooler-ro); needs "
        "pooler_enabled and two or more instances",
    )
    pooler_instances: int = Field(
        2,
        ge=1,
        le=INT32_MAX,
        description="PgBouncer pods of each Pooler; from two on, a disruption budget lets a "
        "node drain take one at a time",
    )
    pooler_pool_mode: Literal["transaction", "session"] = Field(
        "transaction",
        description="transaction: a server connection per transaction (most clients); session: "
        "per client session (clients that use session state, such as prepared statements "
        "without max_prepared_statements, advisory locks or LISTEN)",
    )
    pooler_max_client_connections: int = Field(
        1000,
        ge=1,
        le=INT32_MAX,
        description="Client connections each PgBouncer pod accepts (max_client_conn)",
    )
    pooler_default_pool_size: int = Field(
        20,
        ge=1,
        le=INT32_MAX,
        description="Server connections each PgBouncer pod opens per database and user "
        "(default_pool_size)",
    )
    pooler_parameters: dict[str, ParameterValue] = Field(
        default_factory=dict,
        description="More PgBouncer settings of each Pooler (spec.pgbouncer.parameters, "
        "string values), such as max_prepared_statements or server_idle_timeout: those "
        "CloudNativePG allows, except max_client_conn and default_pool_size (inputs of "
        "their own)",
    )
    pooler_resource_requests: ComputeResources = Field(
        ComputeResources(cpu="100m", memory="64Mi"), description="Requests of each PgBouncer pod"
    )
    pooler_resource_limits: ComputeResources = Field(
        ComputeResources(cpu="500m", memory="256Mi"), description="Limits of each PgBouncer pod"
    )
    pooler_service: ServiceSettings | None = Field(
        None,
        description="The Service of each Pooler (its serviceTemplate), {type, annotations, "
        "labels, load_balancer_source_ranges, load_balancer_class}, such as a LoadBalancer "
        "for clients outside Kubernetes (unset: CNPG's ClusterIP)",
    )
    pooler_read_only_service: ServiceSettings | None = Field(
        None,
        description="The Service of the read-only Pooler when it differs from the read-write "
        "one's, such as a ClusterIP beside a read-write LoadBalancer; same form as "
        "pooler_service (unset: pooler_service)",
    )
