"""Storage inputs beyond the data volume: a separate WAL volume."""

from __future__ import annotations

from pydantic import Field

from .base import InputFields
from .feature_types import DNSSubdomain
from .types import StorageQuantity


class StorageInputs(InputFields):
    wal_storage_size: StorageQuantity | None = Field(
        None,
        description="Size of a separate WAL volume per instance (walStorage); unset keeps WAL "
        "on the data volume. It can grow, never shrink, and never be removed once set",
    )
    wal_storage_class: DNSSubdomain | None = Field(
        None, description="StorageClass of the WAL volumes (default storage_class)"
    )
