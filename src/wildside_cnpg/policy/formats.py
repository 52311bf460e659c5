"""`policy -o table|github|junit|sarif`: a report in the shapes conftest (v0.69.0,
its output/*.go) prints, so that CI already reading conftest reads these too.

conftest reports check results, one per file (or one `Combined` under --combine),
each with failures, warnings, exceptions and a count of rules that passed. Here a
check result is a file that findings name (`Finding.file`), then `Combined` for the
findings that name no file and for the rules that passed (each rule that found
nothing counts once, as conftest counts it)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from ..gojson import go_json
from .findings import Finding, PolicyReport

COMBINED = "Combined"
TOOL = "wildside-cnpg"


@dataclass
class CheckResult:
    """conftest's output.CheckResult."""

    filename: str
    namespace: str
    failures: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    exceptions: list[Finding] = field(default_factory=list)
    successes: int = 0


def check_results(report: PolicyReport, namespace: str, rules: int) -> list[CheckResult]:
    by_file: dict[str, CheckResult] = {}

    def result(finding: Finding) -> CheckResult:
        name = finding.file or COMBINED
        return by_file.setdefault(name, CheckResult(name, namespace))

    for finding in report.findings:
        target = result(finding)
        (target.failures if finding.level == "deny" else target.warnings).append(finding)
    for finding in report.exceptions:
        result(finding).exceptions.append(finding)
    fired = {finding.rule for finding in (*report.findings, *report.exceptions)}
    combined = by_file.pop(COMBINED, CheckResult(COMBINED, namespace))
    combined.successes = rules - len(fired)
    return [*(by_file[name] for name in sorted(by_file)), combined]


def _query(finding: Finding, namespace: str) -> str:
    return f"data.{namespace}.{finding.level}_{finding.rule.lower()}"


# -- table (conftest's output/table.go, drawn as tablewriter v1 draws it) ---------
def table(results: list[CheckResult]) -> str:
    rows = []
    for result in results:
        rows += [["success", result.filename, result.namespace, "SUCCESS"]] * result.successes
        rows += [
            ["exception", result.filename, result.namespace, f.message] for f in result.exceptions
        ]
        rows += [["warning", result.filename, result.namespace, f.message] for f in result.warnings]
        rows += [["failure", result.filename, result.namespace, f.message] for f in result.failures]
    if not rows:
        return ""
    header = ["RESULT", "FILE", "NAMESPACE", "MESSAGE"]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def rule(left: str, middle: str, right: str) -> str:
        return left + middle.join("─" * (width + 2) for width in widths) + right + "\n"

    def centred(text: str, width: int) -> str:
        extra = width - len(text)
        return " " * (extra // 2) + text + " " * (extra - extra // 2)

    lines = [
        rule("┌", "┬", "┐"),
        "│" + "│".join(f" {centred(h, w)} " for h, w in zip(header, widths, strict=True)) + "│\n",
        rule("├", "┼", "┤"),
        *(
            "│" + "│".join(f" {c.ljust(w)} " for c, w in zip(row, widths, strict=True)) + "│\n"
            for row in rows
        ),
        rule("└", "┴", "┘"),
    ]
    return "".join(lines)


# -- github (output/github.go: workflow commands) ----------------------------------
def _plural(word: str, count: int) -> str:
    return word if count == 1 else word + "s"


def github(results: list[CheckResult]) -> str:
    lines = []
    totals = {"failures": 0, "exceptions": 0, "warnings": 0, "successes": 0}
    for result in results:
        totals["failures"] += len(result.failures)
        totals["exceptions"] += len(result.exceptions)
        totals["warnings"] += len(result.warnings)
        totals["successes"] += result.successes
        policies = (
            result.successes + len(result.failures) + len(result.warnings) + len(result.exceptions)
        )
        where = f"file={result.filename},line=1"
        lines.append(
            f"::group::Testing {json.dumps(result.filename)} against {policies} policies in "
            f"namespace {json.dumps(result.namespace)}"
        )
        lines += [f"::error {where}::{f.message}" for f in result.failures]
        lines += [f"::warning {where}::{f.message}" for f in result.warnings]
        lines += [f"::notice {where}::{f.message}" for f in result.exceptions]
        lines.append(f"::notice {where}::Number of successful checks: {result.successes}")
        lines.append("::endgroup::")
    tests = sum(totals.values())
    lines.append(
        f"{tests} {_plural('test', tests)}, {totals['successes']} passed, "
        f"{totals['warnings']} {_plural('warning', totals['warnings'])}, "
        f"{totals['failures']} {_plural('failure', totals['failures'])}, "
        f"{totals['exceptions']} {_plural('exception', totals['exceptions'])}"
    )
    return "\n".join(lines) + "\n"


# -- junit (output/junit.go through go-junit-report's formatter) -------------------
def _xml_text(text: str) -> str:
    """Text as Go's encoding/xml escapes it."""
    return escape(text, {'"': "&#34;", "'": "&#39;", "\t": "&#x9;", "\n": "&#xA;"})


def junit(results: list[CheckResult], version: str) -> str:
    suites: dict[str, list[tuple[str, str | None]]] = {}
    for result in results:
        tests = suites.setdefault(result.namespace, [])
        for finding in (*result.warnings, *result.failures):
            summary = finding.message.split("\n")[0]
            tests.append((f"{result.filename} - {summary}", finding.message))
        tests += [(result.filename, None)] * result.successes
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<testsuites>"]
    for namespace in sorted(suites):
        tests = suites[namespace]
        name = f"conftest.{namespace}"
        failures = sum(1 for _, failure in tests if failure is not None)
        lines += [
            f'\t<testsuite tests="{len(tests)}" failures="{failures}" time="0.000" '
            f'name="{_xml_text(name)}">',
            "\t\t<properties>",
            f'\t\t\t<property name="{TOOL}.version" value="{_xml_text(version)}"></property>',
            "\t\t</properties>",
        ]
        for test, failure in tests:
            opening = (
                f'\t\t<testcase classname="{_xml_text(name)}" name="{_xml_text(test)}" time="0.000"'
            )
            if failure is None:
                lines.append(opening + "></testcase>")
            else:
                lines += [
                    opening + ">",
                    f'\t\t\t<failure message="Failed" type="">{_xml_text(failure)}</failure>',
                    "\t\t</testcase>",
                ]
        lines.append("\t</testsuite>")
    lines.append("</testsuites>")
    return "\n".join(lines) + "\n"


# -- sarif (output/sarif.go, SARIF 2.1.0) ----------------------------------------
SARIF_SCHEMA = (
    "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/main/sarif-2.1/schema/"
    "sarif-schema-2.1.0.json"
)
_DESCRIPTIONS = {
    "deny": "Policy violation",
    "warn": "Policy warning",
    "allow": "Policy exception",
    "success": "Policy was satisfied successfully",
    "skip": "Policy check was skipped",
}


def sarif(results: list[CheckResult], version: str, exit_code: int) -> str:
    """One SARIF run; a rule per policy rule that reported (`wildside_cnpg/deny_c4`,
    where conftest has one per level, `wildside_cnpg/deny`), with conftest's
    descriptions and the query conftest runs for it. The package names no home page,
    so the driver has no informationUri."""
    rules: list[dict[str, object]] = []
    indices: dict[str, int] = {}
    entries: list[dict[str, object]] = []

    def add(rule: str, kind: str, *, level: str, message: str, query: str, uri: str) -> None:
        if rule not in indices:
            indices[rule] = len(rules)
            properties = {"query": query} if query else {"description": _DESCRIPTIONS[kind]}
            rules.append(
                {
                    "id": rule,
                    "shortDescription": {"text": _DESCRIPTIONS[kind]},
                    "properties": properties,
                }
            )
        entries.append(
            {
                "ruleId": rule,
                "ruleIndex": indices[rule],
                "level": level,
                "message": {"text": message},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
            }
        )

    for result in results:
        namespace, uri = result.namespace, result.filename
        for kind, level, findings in (
            ("deny", "error", result.failures),
            ("warn", "warning", result.warnings),
            ("allow", "note", result.exceptions),
        ):
            for finding in findings:
                query = _query(finding, namespace)
                rule = f"{namespace}/{kind}_{finding.rule.lower()}"
                add(rule, kind, level=level, message=finding.message, query=query, uri=uri)
        if result.failures or result.warnings:
            continue
        kind = "success" if result.successes or result.exceptions else "skip"
        status = _DESCRIPTIONS[kind]
        add(f"{namespace}/{kind}", kind, level="none", message=status, query="", uri=uri)
    failed = any(result.failures for result in results)
    warned = any(result.warnings for result in results)
    description = (
        "Policy violations found"
        if failed
        else "Policy warnings found"
        if warned
        else "No policy violations found"
    )
    document = {
        "version": "2.1.0",
        "$schema": SARIF_SCHEMA,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL,
                        "rules": rules,
                        "version": version,
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": True,
                        "exitCode": exit_code,
                        "exitCodeDescription": description,
                    }
                ],
                "results": entries,
            }
        ],
    }
    return go_json(document) + "\n"
