"""Cluster inputs: the CNPG Cluster, PostGIS and disruption budgets
(the OpenTofu module's variables-cluster.tf)."""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import Field

from .base import InputFields, InputGroup
from .types import (
    INT32_MAX,
    INT64_MAX,
    ClusterName,
    CpuQuantity,
    DNSLabel,
    DNSSubdomain,
    LibraryName,
    MemoryQuantity,
    ParameterValue,
    PgIdentifier,
    PinnedImage,
    StorageQuantity,
)

PostgisExtension = Literal[
    "postgis",
    "postgis_topology",
    "postgis_raster",
    "postgis_sfcgal",
    "postgis_tiger_geocoder",
    "fuzzystrmatch",
    "address_standardizer",
    "address_standardizer_data_us",
]
POSTGIS_EXTENSIONS: tuple[str, ...] = get_args(PostgisExtension)


class ComputeResources(InputGroup):
    cpu: CpuQuantity
    memory: MemoryQuantity


class ClusterInputs(InputFields):
    cluster_name: ClusterName = Field(
        "wildside-pg",
        description="Name of the CNPG Cluster; every other per-cluster name derives from it",
    )
    cluster_domain: DNSSubdomain = Field(
        "cluster.local", description="Kubernetes cluster DNS domain used in endpoint FQDNs"
    )
    instances: int = Field(
        3,
        ge=1,
        le=INT64_MAX,
        description="PostgreSQL instances (one primary, the rest replicas)",
    )
    image_name: PinnedImage | None = Field(
        None,
        description="Pinned PostGIS image (default: PostgreSQL 16 with PostGIS, pinned by "
        "digest: the 'standard' image with backup_method barman_cloud_plugin, the 'system' "
        "image, which carries barman-cloud, with barman_object_store)",
    )
    storage_size: StorageQuantity = Field("10Gi", description="Volume size of each instance")
    storage_class: DNSSubdomain = Field(
        "do-block-storage", description="StorageClass of the volumes"
    )
    database_name: PgIdentifier = Field("wildside_prod", description="Application database")
    database_owner: PgIdentifier = Field("wildside_user", description="Owner role of the database")
    enable_superuser_access: bool = Field(
        True, description="Let the postgres superuser log in (CNPG's enableSuperuserAccess)"
    )
    postgis_enabled: bool = Field(True, description="Create the PostGIS extensions at bootstrap")
    postgis_extensions: tuple[PostgisExtension, ...] = Field(
        ("postgis", "postgis_topology", "fuzzystrmatch"),
        min_length=1,
        strict=False,  # a JSON/YAML list is the natural spelling of this tuple
        description="Extensions created in template1, so the app database and later ones have them",
    )
    primary_update_strategy: Literal["unsupervised", "supervised"] = Field(
        "unsupervised", description="Whether primary updates need a manual switchover"
    )
    primary_update_method: Literal["switchover", "restart"] = Field(
        "switchover", description="How the primary is updated"
    )
    postgresql_parameters: dict[str, ParameterValue] = Field(
        default_factory=dict, description="postgresql.conf parameters (string values)"
    )
    shared_preload_libraries: tuple[LibraryName, ...] = Field(
        (),
        strict=False,
        description="Extra libraries to preload (spec.postgresql.shared_preload_libraries; "
        "CNPG refuses them in parameters)",
    )
    resource_requests: ComputeResources = Field(
        ComputeResources(cpu="1", memory="2Gi"),
        description="Requests of each instance pod (equal to the limits: Guaranteed QoS, "
        "which protects the postmaster from the OOM killer)",
    )
    resource_limits: ComputeResources = Field(
        ComputeResources(cpu="1", memory="2Gi"), description="Limits of each instance pod"
    )
    monitoring_enabled: bool = Field(
        False,
        description="Render a Prometheus Operator PodMonitor for the instances' metrics port "
        "(CNPG's own enablePodMonitor is deprecated)",
    )
    pdb_enabled: bool = Field(
        False,
        description="Render custom disruption budgets and switch CNPG's off; by default CNPG's "
        "own budgets protect two or more instances, and a single instance has none (a budget "
        "over it would block every drain of its node)",
    )
    pdb_min_available: int | None = Field(
        None,
        ge=1,
        le=INT32_MAX,
        description="Custom budgets: replicas that must stay available (default instances - 2)",
    )
    pdb_name: DNSLabel | None = Field(
        None,
        description="Custom budgets: name of the replicas' budget, the primary's adds -primary "
        "(default <cluster_name>-pdb)",
    )
