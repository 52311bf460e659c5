"""Validate documents: object metadata as the API server checks it, custom resources
against their CRDs (strict structure and CEL rules), core kinds against Kubernetes'
schemas; a kind with neither is a finding."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .cel import walk
from .core import core_problems, is_core_kind, schema_directory
from .crds import CrdCatalog, CrdVersion
from .documents import Document
from .metadata import metadata_problems
from .openapi import structural_problems
from .report import Finding, Report, RuleRecord

# The Kubernetes minor versions CloudNativePG 1.30 supports.
DEFAULT_KUBERNETES_VERSIONS: tuple[str, ...] = ("1.34", "1.35", "1.36")


class Validator:
    def __init__(
        self,
        crds: CrdCatalog,
        kubernetes_versions: Sequence[str] = DEFAULT_KUBERNETES_VERSIONS,
    ) -> None:
        self.crds = crds
        self.kubernetes_versions = tuple(kubernetes_versions)
        for version in self.kubernetes_versions:
            schema_directory(version)  # fail early on an unknown version

    def validate(self, documents: Iterable[Document]) -> Report:
        report = Report()
        for document in documents:
            if document.is_kustomize_config or not (document.ref.api_version or document.ref.kind):
                # kustomize build files and YAML that is no Kubernetes object at all
                # (inputs files, CI configuration) have no schema to check.
                report.not_objects.append(document.ref)
                continue
            report.checked.append(document.ref)
            self._validate_one(document, report)
        return report

    def _validate_one(self, document: Document, report: Report) -> None:
        ref = document.ref
        if not ref.api_version or not ref.kind:
            report.findings.append(Finding(ref, "$", "apiVersion and kind are required"))
            return
        for path, message in metadata_problems(document.body):
            report.findings.append(Finding(ref, path, message, "object metadata"))
        crd = self.crds.get(ref.api_version, ref.kind)
        if crd is not None:
            self._custom_resource(crd, document, report)
            return
        versions = [
            v for v in self.kubernetes_versions if is_core_kind(v, ref.api_version, ref.kind)
        ]
        if not versions:
            report.findings.append(
                Finding(
                    ref,
                    "$",
                    f"no schema for {ref.api_version} {ref.kind}: not in the CRDs nor a core "
                    f"kind with shipped Kubernetes {'/'.join(self.kubernetes_versions)} schemas",
                )
            )
            return
        missing = [v for v in self.kubernetes_versions if v not in versions]
        for version in missing:
            report.findings.append(
                Finding(
                    ref, "$", f"{ref.api_version} {ref.kind} is not served by Kubernetes {version}"
                )
            )
        for version in versions:
            for path, message in core_problems(version, document.body):
                report.findings.append(Finding(ref, path, message, f"Kubernetes {version}"))

    @staticmethod
    def _custom_resource(crd: CrdVersion, document: Document, report: Report) -> None:
        ref = document.ref
        for path, message in structural_problems(crd, document.body):
            report.findings.append(Finding(ref, path, message, crd.label))
        for outcome in walk(crd.schema, document.body):
            record = RuleRecord(ref, outcome.path, outcome.rule, outcome.reason)
            if outcome.passed is None:
                report.skipped_rules.append(record)
                continue
            report.evaluated_rules.append(record)
            if not outcome.passed:
                report.findings.append(
                    Finding(ref, outcome.path, f"CEL rule failed: {outcome.message}", crd.label)
                )
