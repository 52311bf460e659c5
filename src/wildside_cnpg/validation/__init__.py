"""Schema conformance of rendered manifests: custom resources against their CRDs'
`openAPIV3Schema` (strictly: unknown fields are errors, as the API server would
silently prune them) and CEL rules, core kinds against Kubernetes' own schemas.

Imports of the validators (jsonschema, openapi-schema-validator, cel-python) happen when
a check runs, so importing this package stays cheap."""

from __future__ import annotations

from .crds import CrdCatalog, CrdVersion, load_crds, load_shipped_crds, shipped_crds_directory
from .documents import Document, DocumentRef, documents_from_directory, documents_from_files
from .report import Finding, Report, RuleRecord
from .validator import DEFAULT_KUBERNETES_VERSIONS, Validator

__all__ = [
    "DEFAULT_KUBERNETES_VERSIONS",
    "CrdCatalog",
    "CrdVersion",
    "Document",
    "DocumentRef",
    "Finding",
    "Report",
    "RuleRecord",
    "Validator",
    "documents_from_directory",
    "documents_from_files",
    "load_crds",
    "load_shipped_crds",
    "shipped_crds_directory",
]
