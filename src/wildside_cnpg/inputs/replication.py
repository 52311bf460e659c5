"""Replication inputs: synchronous replication (CNPG's postgresql.synchronous)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import InputFields, InputGroup
from .feature_types import INT32_MAX


class SynchronousReplication(InputGroup):
    method: Literal["any", "first"] = Field(
        "any", description="any: quorum of the replicas; first: by priority"
    )
    number: int = Field(1, ge=1, le=INT32_MAX, description="replicas each commit waits for")
    data_durability: Literal["required", "preferred"] = Field(
        "required",
        description="required: commits wait while too few replicas are healthy; preferred: "
        "CNPG lowers the number while replicas are missing",
    )


class ReplicationInputs(InputFields):
    synchronous_replication: SynchronousReplication | None = Field(
        None,
        description="Synchronous replication {method, number, data_durability}; number must be "
        "below instances (unset: asynchronous)",
    )
