"""Access inputs: host-based authentication, identity maps, the instances'
environment, service account, image pull secrets, security contexts and the labels
and annotations CNPG passes on to the objects it creates."""

from __future__ import annotations

from typing import Annotated, Literal

from annotated_types import Ge, Le
from pydantic import Field

from .base import InputFields, InputGroup
from .feature_types import INT32_MAX, DNSSubdomain, HbaLine, IdentLine, LabelValue, TextValue


class PodSecurityContext(InputGroup):
    """Overrides of CNPG's pod security context; unset fields keep CNPG's defaults."""

    run_as_user: int | None = Field(None, ge=1, le=INT32_MAX)
    run_as_group: int | None = Field(None, ge=0, le=INT32_MAX)
    fs_group: int | None = Field(None, ge=0, le=INT32_MAX)
    fs_group_change_policy: Literal["Always", "OnRootMismatch"] | None = None
    supplemental_groups: tuple[Annotated[int, Ge(0), Le(INT32_MAX)], ...] = Field((), strict=False)


class ContainerSecurityContext(InputGroup):
    """Overrides of CNPG's container security context; unset fields keep CNPG's
    defaults (no privilege escalation, read-only root, every capability dropped)."""

    run_as_user: int | None = Field(None, ge=1, le=INT32_MAX)
    run_as_group: int | None = Field(None, ge=0, le=INT32_MAX)


class AccessInputs(InputFields):
    pg_hba: tuple[HbaLine, ...] = Field(
        (),
        strict=False,
        description="pg_hba.conf lines, after CNPG's own and before its final "
        "'host all all all scram-sha-256'",
    )
    pg_ident: tuple[IdentLine, ...] = Field(
        (), strict=False, description="pg_ident.conf lines (MAPNAME SYSTEM-USERNAME PG-USERNAME)"
    )
    extra_env: dict[str, TextValue] = Field(
        default_factory=dict,
        description="Environment of the instance pods; names CNPG or barman-cloud use are refused",
    )
    service_account_annotations: dict[str, TextValue] = Field(
        default_factory=dict,
        description="Annotations of the instances' ServiceAccount (serviceAccountTemplate), such "
        "as eks.amazonaws.com/role-arn for workload identity",
    )
    image_pull_secrets: tuple[DNSSubdomain, ...] = Field(
        (), strict=False, description="Secrets to pull the PostgreSQL image with"
    )
    pod_security_context: PodSecurityContext | None = Field(
        None,
        description="Pod security context {run_as_user, run_as_group, fs_group, "
        "fs_group_change_policy, supplemental_groups} (CNPG's images run as 26)",
    )
    container_security_context: ContainerSecurityContext | None = Field(
        None, description="Container security context {run_as_user, run_as_group}"
    )
    inherited_labels: dict[str, LabelValue] = Field(
        default_factory=dict,
        description="Labels CNPG puts on every object it creates for the cluster "
        "(inheritedMetadata)",
    )
    inherited_annotations: dict[str, TextValue] = Field(
        default_factory=dict,
        description="Annotations CNPG puts on every object it creates for the cluster "
        "(inheritedMetadata)",
    )
