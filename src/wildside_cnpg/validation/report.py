"""What a validation found, and which CEL rules it evaluated or could not."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .documents import DocumentRef


@dataclass(frozen=True)
class Finding:
    """One problem: the document, the JSON path inside it, and what is wrong."""

    document: DocumentRef
    path: str
    message: str
    schema: str = ""

    def __str__(self) -> str:
        via = f" [{self.schema}]" if self.schema else ""
        return f"{self.document}: {self.path}: {self.message}{via}"


@dataclass(frozen=True)
class RuleRecord:
    """A CEL rule met at a schema node that the document has: evaluated, or skipped
    with the reason (never counted as passed)."""

    document: DocumentRef
    path: str
    rule: str
    reason: str = ""

    def __str__(self) -> str:
        why = f" ({self.reason})" if self.reason else ""
        return f"{self.document}: {self.path}: {self.rule}{why}"


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    evaluated_rules: list[RuleRecord] = field(default_factory=list)
    skipped_rules: list[RuleRecord] = field(default_factory=list)
    checked: list[DocumentRef] = field(default_factory=list)
    not_objects: list[DocumentRef] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    def extend(self, other: Report) -> None:
        self.findings.extend(other.findings)
        self.evaluated_rules.extend(other.evaluated_rules)
        self.skipped_rules.extend(other.skipped_rules)
        self.checked.extend(other.checked)
        self.not_objects.extend(other.not_objects)


def _ref_data(ref: DocumentRef) -> dict[str, Any]:
    return {
        "file": ref.source,
        "index": ref.index,
        "apiVersion": ref.api_version,
        "kind": ref.kind,
        "namespace": ref.namespace,
        "name": ref.name,
    }


def report_data(report: Report) -> dict[str, Any]:
    """The report as plain data, for `validate -o json|yaml`."""
    return {
        "ok": report.ok,
        "checked": len(report.checked),
        "findings": [
            _ref_data(f.document) | {"path": f.path, "message": f.message, "schema": f.schema}
            for f in report.findings
        ],
        "rules": {
            "evaluated": len(report.evaluated_rules),
            "skipped": [
                _ref_data(r.document) | {"path": r.path, "rule": r.rule, "reason": r.reason}
                for r in report.skipped_rules
            ],
        },
        "ignored": [_ref_data(ref) for ref in report.not_objects],
    }
