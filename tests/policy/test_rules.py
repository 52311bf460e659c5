"""Every rule rejects its fixture with the exact message, and nothing else fires."""

from __future__ import annotations

import re

import pytest

from tests.policy.cases import CASES, RULES, Case
from tests.policy.expected import superuser_warnings
from tests.policy.trees import dump
from wildside_cnpg.policy import check_files, policy_dir


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_reports_exactly_its_findings(case: Case) -> None:
    tree = case.tree()
    report = check_files(dump(tree))
    assert report.denies == sorted(case.deny)
    # Besides its own findings, every Cluster with superuser access (the default) warns.
    assert report.warns == sorted({*case.warn, *superuser_warnings(tree)})
    # Each finding carries the id of the rule that fired: the case's rules are among them.
    assert set(case.rules) <= {finding.rule for finding in report.findings}


def _rules_in_policies() -> dict[str, str]:
    """rule id -> 'deny' or 'warn', from the `# rule ID` line above each rule."""
    found: dict[str, str] = {}
    for path in sorted(policy_dir().glob("*.rego")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for index, line in enumerate(lines):
            head = re.match(r"(deny|warn)(\S*) contains ", line)
            if head:
                marker = re.fullmatch(r"# rule ([A-Z][0-9]+)", lines[index - 1])
                assert marker, f"{path.name}:{index + 1}: rule without a '# rule ID' line"
                rule = marker.group(1)
                # conftest reports deny_<id> and warn_<id>, and excepts them by <id>.
                assert head.group(2) == f"_{rule.lower()}", f"{path.name}:{index + 1}: {line}"
                assert rule not in found, f"duplicate rule id {rule}"
                found[rule] = head.group(1)
    return found


def test_every_rule_has_a_rejecting_case() -> None:
    rules = _rules_in_policies()
    assert len(rules) == 88
    assert sorted(rules) == RULES


def test_every_case_names_rules_that_exist_and_fire() -> None:
    rules = _rules_in_policies()
    for case in CASES:
        assert case.deny or case.warn or not case.rules, case.name
        for rule in case.rules:
            level = rules[rule]
            assert getattr(case, level), f"{case.name}: {rule} is a {level} rule"


def test_a_multi_document_file_is_checked_document_by_document() -> None:
    text = (
        "apiVersion: v1\nkind: Secret\nmetadata: {name: a, namespace: databases}\n"
        "stringData: {k: v}\n---\n"
        "apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\n"
        "metadata: {name: b, namespace: databases,\n"
        "  annotations: {kustomize.toolkit.fluxcd.io/prune: disabled}}\n"
        "spec: {secretStoreRef: {kind: ClusterSecretStore, name: vault}}\n"
    )
    report = check_files({"secrets.yaml": text})
    assert report.denies == [
        "ExternalSecret/databases/b: apiVersion: expected external-secrets.io/v1 (older "
        "versions are no longer served), got 'external-secrets.io/v1beta1'",
        "Secret/databases/a: stringData: plaintext credentials in the Git tree; use an "
        "ExternalSecret, or acknowledge with the annotation "
        "wildside-cnpg.io/plaintext-credentials-acknowledged: 'true'",
    ]
    assert report.files == 1
