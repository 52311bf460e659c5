"""The validator's rules on a small CRD: strict unknown fields except where the
schema preserves them, `nullable` honoured, ObjectMeta checked, CEL rules evaluated,
failed or skipped with the reason (never counted as passed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from wildside_cnpg.validation import Validator, documents_from_files, load_crds
from wildside_cnpg.validation.cel import TRANSITION, evaluate

CRD: dict[str, Any] = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {"name": "widgets.example.com"},
    "spec": {
        "group": "example.com",
        "names": {"kind": "Widget", "plural": "widgets"},
        "scope": "Namespaced",
        "versions": [
            {"name": "v1alpha1", "served": False, "storage": False,
             "schema": {"openAPIV3Schema": {"type": "object"}}},
            {
                "name": "v1",
                "served": True,
                "storage": True,
                "schema": {
                    "openAPIV3Schema": {
                        "type": "object",
                        "properties": {
                            "apiVersion": {"type": "string"},
                            "kind": {"type": "string"},
                            "metadata": {"type": "object"},
                            "spec": {
                                "type": "object",
                                "x-kubernetes-validations": [
                                    {"rule": "self.size > 0", "message": "size must be positive"},
                                    {"rule": "isURL(self.url)"},
                                    {"rule": "self.size >= oldSelf.size"},
                                ],
                                "properties": {
                                    "size": {"type": "integer", "format": "int32"},
                                    "url": {"type": "string"},
                                    "note": {"type": "string", "nullable": True},
                                    "free": {
                                        "type": "object",
                                        "x-kubernetes-preserve-unknown-fields": True,
                                    },
                                    "labels": {
                                        "type": "object",
                                        "additionalProperties": {"type": "string"},
                                    },
                                    "closed": {"type": "object"},
                                },
                            },
                        },
                    }
                },
            },
        ],
    },
}  # fmt: skip


@pytest.fixture
def widget_validator(tmp_path: Path) -> Validator:
    (tmp_path / "widgets.yaml").write_text(yaml.safe_dump(CRD))
    return Validator(load_crds(tmp_path))


def _check(validator: Validator, spec: dict[str, Any], **metadata: Any) -> Any:
    body = {
        "apiVersion": "example.com/v1",
        "kind": "Widget",
        "metadata": {"name": "w", "namespace": "ns", **metadata},
        "spec": spec,
    }
    return validator.validate(documents_from_files({"w.yaml": yaml.safe_dump(body)}))


def _problems(report: Any) -> list[tuple[str, str]]:
    return [(f.path, f.message) for f in report.findings]


def test_a_valid_widget_passes(widget_validator: Validator) -> None:
    spec = {"size": 1, "url": "https://x", "note": None, "free": {"any": {"thing": 1}},
            "labels": {"a": "b"}}  # fmt: skip
    report = _check(widget_validator, spec)
    assert _problems(report) == []
    assert [r.rule for r in report.evaluated_rules] == ["self.size > 0"]
    assert [(r.path, r.rule, r.reason) for r in report.skipped_rules] == [
        ("$.spec", "isURL(self.url)", "cel-python lacks 'isURL'"),
        ("$.spec", "self.size >= oldSelf.size", TRANSITION),
    ]


def test_unknown_fields_are_errors_where_the_schema_does_not_preserve_them(
    widget_validator: Validator,
) -> None:
    spec = {"size": 1, "url": "u", "sise": 2, "closed": {"x": 1}, "free": {"y": 1}}
    assert _problems(_check(widget_validator, spec, uid="1", nam="w")) == [
        ("$.metadata.nam", "unknown field (the API server would drop it)"),
        ("$.spec.closed.x", "unknown field (the API server would drop it)"),
        ("$.spec.sise", "unknown field (the API server would drop it)"),
    ]


def test_null_is_refused_unless_nullable(widget_validator: Validator) -> None:
    spec = {"size": 1, "url": None, "note": None, "labels": {"cnpg.io/x": 1}}
    assert _problems(_check(widget_validator, spec)) == [
        ("$.spec.labels['cnpg.io/x']", "1 is not of type 'string'"),
        ("$.spec.url", "None for not nullable"),
        ("$.spec.url", "None is not of type 'string'"),
    ]


def test_object_metadata_is_checked_as_the_api_server_does(widget_validator: Validator) -> None:
    report = _check(
        widget_validator,
        {"size": 1, "url": "u"},
        name="Widget_1",
        namespace="-ns",
        labels={"example.com/ok": "yes", "Bad_Prefix/x": "v", "tier": "x" * 64, "empty": ""},
        annotations={"example.com/note": "any text at all", "-bad": "v"},
    )
    assert [(f.path, f.message, f.schema) for f in report.findings] == [
        (
            "$.metadata.name",
            "'Widget_1' is not a DNS-1123 subdomain (lower-case alphanumerics, '-' and '.', "
            "at most 253 characters)",
            "object metadata",
        ),
        ("$.metadata.namespace", "'-ns' is not a DNS-1123 label", "object metadata"),
        (
            "$.metadata.labels['Bad_Prefix/x']",
            "invalid label key: prefix 'Bad_Prefix' is not a DNS-1123 subdomain",
            "object metadata",
        ),
        (
            "$.metadata.labels.tier",
            f"invalid label value {'x' * 64!r}: at most 63 characters, alphanumerics, '-', "
            "'_' or '.', starting and ending with an alphanumeric",
            "object metadata",
        ),
        (
            "$.metadata.annotations['-bad']",
            "invalid annotation key: name part '-bad' must be at most 63 characters: "
            "alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric",
            "object metadata",
        ),
    ]


def test_formats_are_checked(widget_validator: Validator) -> None:
    assert _problems(_check(widget_validator, {"size": 2**31, "url": "u"})) == [
        ("$.spec.size", "2147483648 is not a 'int32'")
    ]


def test_a_failed_rule_is_reported_with_its_message(widget_validator: Validator) -> None:
    assert _problems(_check(widget_validator, {"size": 0, "url": "u"})) == [
        ("$.spec", "CEL rule failed: size must be positive")
    ]


def test_a_rule_that_errors_fails_as_on_the_api_server(widget_validator: Validator) -> None:
    assert _problems(_check(widget_validator, {"url": "u"})) == [
        (
            "$.spec",
            "CEL rule failed: size must be positive (evaluation error: "
            "no such member in mapping: 'size')",
        )
    ]


def test_unserved_versions_are_not_indexed(widget_validator: Validator) -> None:
    assert widget_validator.crds.get("example.com/v1alpha1", "Widget") is None
    assert widget_validator.crds.get("example.com/v1", "Widget") is not None


@pytest.mark.parametrize(
    ("rule", "value", "outcome"),
    [
        ("self.a == 1", {"a": 1}, (True, "")),
        ("self.a == 1", {"a": 2}, (False, "")),
        ("self.all(x, x.startsWith('a'))", ["ab", "ac"], (True, "")),
        ("self.matches('^[a-z]+$')", "abc", (True, "")),
        ("!has(self.b) || self.b > 0", {"a": 1}, (True, "")),
        ("quantity(self).isGreaterThan(quantity('1'))", "2",
         (None, "cel-python lacks 'isGreaterThan'")),
        ("self == oldSelf", 1, (None, TRANSITION)),
    ],
)  # fmt: skip
def test_evaluate(rule: str, value: Any, outcome: tuple[bool | None, str]) -> None:
    assert evaluate(rule, value) == outcome
