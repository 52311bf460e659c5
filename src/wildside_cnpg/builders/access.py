"""Who reaches the instances and how they run: pg_hba and pg_ident lines,
synchronous replication, extra environment, the ServiceAccount's annotations, image
pull secrets, security contexts, and the metadata CNPG passes on to what it creates."""

from __future__ import annotations

from ..inputs import Inputs
from .common import Document

# CNPG's default postgresGID (the postgres user of its images).
POSTGRES_GID = 26


def postgresql_extras(inputs: Inputs) -> Document:
    """Fields of spec.postgresql beside parameters and shared_preload_libraries."""
    synchronous = inputs.synchronous_replication
    return {
        "pg_hba": list(inputs.pg_hba) or None,
        "pg_ident": list(inputs.pg_ident) or None,
        "synchronous": None
        if synchronous is None
        else {
            "method": synchronous.method,
            "number": synchronous.number,
            "dataDurability": synchronous.data_durability,
        },
    }


def extra_env(inputs: Inputs) -> list[Document]:
    return [{"name": name, "value": inputs.extra_env[name]} for name in sorted(inputs.extra_env)]


def _security(inputs: Inputs) -> Document:
    """CNPG fills the unset fields of a container security context with its defaults,
    but of a pod security context only the user, group and seccomp profile: so the
    pod's keeps runAsNonRoot and an fsGroup (the group, or CNPG's 26) here."""
    pod, container = inputs.pod_security_context, inputs.container_security_context
    return {
        "podSecurityContext": None
        if pod is None
        else {
            "runAsNonRoot": True,
            "runAsUser": pod.run_as_user,
            "runAsGroup": pod.run_as_group,
            "fsGroup": pod.fs_group
            if pod.fs_group is not None
            else (pod.run_as_group if pod.run_as_group is not None else POSTGRES_GID),
            "fsGroupChangePolicy": pod.fs_group_change_policy,
            "supplementalGroups": list(pod.supplemental_groups) or None,
        },
        "securityContext": None
        if container is None
        else {"runAsUser": container.run_as_user, "runAsGroup": container.run_as_group},
    }


def access(inputs: Inputs) -> Document:
    """The Cluster spec fields of access (None values are dropped; an empty section is
    left out)."""
    annotations = dict(sorted(inputs.service_account_annotations.items()))
    inherited = {
        "labels": dict(sorted(inputs.inherited_labels.items())) or None,
        "annotations": dict(sorted(inputs.inherited_annotations.items())) or None,
    }
    return {
        "serviceAccountTemplate": {"metadata": {"annotations": annotations}}
        if annotations
        else None,
        "imagePullSecrets": [{"name": name} for name in inputs.image_pull_secrets] or None,
        "inheritedMetadata": inherited if any(inherited.values()) else None,
        **_security(inputs),
    }
