"""`policy -o table|github|junit|sarif`: the exact output on a small tree, the
documents parsed, and the renderers fed conftest's own results print what conftest
prints for them."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from wildside_cnpg import __version__
from wildside_cnpg.cli import main
from wildside_cnpg.policy import NAMESPACE, policy_dir
from wildside_cnpg.policy.findings import Finding, Level
from wildside_cnpg.policy.formats import CheckResult, github, junit, sarif, table

FILES = {
    "namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: kube-system\n"
    "  annotations:\n    kustomize.toolkit.fluxcd.io/prune: disabled\n",
    "sources/charts.yaml": "apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\n"
    "metadata:\n  name: charts\n  namespace: flux-system\nspec:\n  type: oci\n"
    "  url: oci://ghcr.io/example/charts\n",
    "secret.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s3\n  namespace: apps\n"
    "  annotations:\n    wildside-cnpg.io/plaintext-credentials-acknowledged: 'true'\n"
    "stringData:\n  key: value\n",
}
F2 = (
    "Namespace/kube-system: the tree must not create (and so own) a Kubernetes or Flux "
    "namespace; use it without a Namespace document"
)
H11 = (
    "HelmRepository/flux-system/charts: spec.type: oci HelmRepositories are in maintenance "
    "mode in Flux; prefer an OCIRepository with HelmRelease spec.chartRef"
)
E7 = (
    "Secret/apps/s3: stringData: plaintext credentials in the Git tree (acknowledged by "
    "wildside-cnpg.io/plaintext-credentials-acknowledged); prefer an ExternalSecret"
)
RULES = 88
PASSED = RULES - 3  # F2, H11 and the excepted E7 are not successes


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for path, text in FILES.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    return tmp_path


def _run(tree: Path, output: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["policy", str(tree), "--exception", "e7", "-o", output]) == 1
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


def test_text(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(tree, "text", capsys) == (
        f"deny  F2  {F2}\nwarn  H11  {H11}\nexception  E7  {E7}\n"
        f"{tree}: 1 deny, 1 warn, 1 excepted (3 files checked)\n"
    )


def test_table(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = _run(tree, "table", capsys).splitlines()
    widths = (9, 19, 13, len(E7))
    assert len(E7) == 161  # the longest message sets the last column's width

    def border(left: str, middle: str, right: str) -> str:
        return left + middle.join("─" * (width + 2) for width in widths) + right

    def row(*cells: str) -> str:
        return "│" + "│".join(f" {c.ljust(w)} " for c, w in zip(cells, widths, strict=True)) + "│"

    success = row("success", "Combined", NAMESPACE, "SUCCESS")
    assert lines == [
        border("┌", "┬", "┐"),
        "│  RESULT   │        FILE         │   NAMESPACE   │"
        + " " * 78
        + "MESSAGE"
        + " " * 78
        + "│",
        border("├", "┼", "┤"),
        row("failure", "namespace.yaml", NAMESPACE, F2),
        row("exception", "secret.yaml", NAMESPACE, E7),
        row("warning", "sources/charts.yaml", NAMESPACE, H11),
        *[success] * PASSED,
        border("└", "┴", "┘"),
    ]


def test_github(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(tree, "github", capsys) == (
        '::group::Testing "namespace.yaml" against 1 policies in namespace "wildside_cnpg"\n'
        f"::error file=namespace.yaml,line=1::{F2}\n"
        "::notice file=namespace.yaml,line=1::Number of successful checks: 0\n"
        "::endgroup::\n"
        '::group::Testing "secret.yaml" against 1 policies in namespace "wildside_cnpg"\n'
        f"::notice file=secret.yaml,line=1::{E7}\n"
        "::notice file=secret.yaml,line=1::Number of successful checks: 0\n"
        "::endgroup::\n"
        '::group::Testing "sources/charts.yaml" against 1 policies in namespace '
        '"wildside_cnpg"\n'
        f"::warning file=sources/charts.yaml,line=1::{H11}\n"
        "::notice file=sources/charts.yaml,line=1::Number of successful checks: 0\n"
        "::endgroup::\n"
        f'::group::Testing "Combined" against {PASSED} policies in namespace "wildside_cnpg"\n'
        f"::notice file=Combined,line=1::Number of successful checks: {PASSED}\n"
        "::endgroup::\n"
        f"{RULES} tests, {PASSED} passed, 1 warning, 1 failure, 1 exception\n"
    )


def test_junit(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = _run(tree, "junit", capsys)
    suite = 'classname="conftest.wildside_cnpg"'
    f2 = F2.replace("'", "&#39;")
    assert text.splitlines()[:13] == [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<testsuites>",
        f'\t<testsuite tests="{PASSED + 2}" failures="2" time="0.000" '
        'name="conftest.wildside_cnpg">',
        "\t\t<properties>",
        f'\t\t\t<property name="wildside-cnpg.version" value="{__version__}"></property>',
        "\t\t</properties>",
        f'\t\t<testcase {suite} name="namespace.yaml - {f2}" time="0.000">',
        f'\t\t\t<failure message="Failed" type="">{f2}</failure>',
        "\t\t</testcase>",
        f'\t\t<testcase {suite} name="sources/charts.yaml - {H11}" time="0.000">',
        f'\t\t\t<failure message="Failed" type="">{H11}</failure>',
        "\t\t</testcase>",
        f'\t\t<testcase {suite} name="Combined" time="0.000"></testcase>',
    ]
    assert text.endswith(
        f'\t\t<testcase {suite} name="Combined" time="0.000"></testcase>\n'
        "\t</testsuite>\n</testsuites>\n"
    )
    # As a JUnit reader sees it: one suite, every rule a test case, the findings failed.
    root = ET.fromstring(text)
    assert root.tag == "testsuites"
    [testsuite] = root
    assert testsuite.attrib == {
        "tests": str(PASSED + 2),
        "failures": "2",
        "time": "0.000",
        "name": "conftest.wildside_cnpg",
    }
    cases = testsuite.findall("testcase")
    assert len(cases) == PASSED + 2
    failed = [(case.get("name"), case.find("failure")) for case in cases[:2]]
    assert [(name, failure.text) for name, failure in failed if failure is not None] == [
        (f"namespace.yaml - {F2}", F2),
        (f"sources/charts.yaml - {H11}", H11),
    ]
    assert all(case.find("failure") is None for case in cases[2:])


def test_sarif(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = _run(tree, "sarif", capsys)
    assert text.count("\n") == 1  # one compact document, as conftest writes it
    document = json.loads(text)
    success = "Policy was satisfied successfully"

    def rule(rule_id: str, text: str, properties: dict[str, str]) -> dict[str, Any]:
        return {"id": rule_id, "shortDescription": {"text": text}, "properties": properties}

    def result(rule_id: str, index: int, level: str, message: str, uri: str) -> dict[str, Any]:
        return {
            "ruleId": rule_id,
            "ruleIndex": index,
            "level": level,
            "message": {"text": message},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
        }

    assert document == {
        "version": "2.1.0",
        "$schema": "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/main/sarif-2.1/"
        "schema/sarif-schema-2.1.0.json",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "wildside-cnpg",
                        "version": __version__,
                        "rules": [
                            rule(
                                "wildside_cnpg/deny_f2",
                                "Policy violation",
                                {"query": "data.wildside_cnpg.deny_f2"},
                            ),
                            rule(
                                "wildside_cnpg/allow_e7",
                                "Policy exception",
                                {"query": "data.wildside_cnpg.warn_e7"},
                            ),
                            rule("wildside_cnpg/success", success, {"description": success}),
                            rule(
                                "wildside_cnpg/warn_h11",
                                "Policy warning",
                                {"query": "data.wildside_cnpg.warn_h11"},
                            ),
                        ],
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": True,
                        "exitCode": 1,
                        "exitCodeDescription": "Policy violations found",
                    }
                ],
                "results": [
                    result("wildside_cnpg/deny_f2", 0, "error", F2, "namespace.yaml"),
                    result("wildside_cnpg/allow_e7", 1, "note", E7, "secret.yaml"),
                    result("wildside_cnpg/success", 2, "none", success, "secret.yaml"),
                    result("wildside_cnpg/warn_h11", 3, "warning", H11, "sources/charts.yaml"),
                    result("wildside_cnpg/success", 2, "none", success, "Combined"),
                ],
            }
        ],
    }


def test_go_escapes_in_sarif() -> None:
    finding = Finding("deny", "Cluster/a/b: spec.x: <unset> & 'é'", "C1", "c.yaml")
    text = sarif([CheckResult("c.yaml", NAMESPACE, failures=[finding])], "0", 1)
    assert '"text":"Cluster/a/b: spec.x: \\u003cunset\\u003e \\u0026 \'é\'"' in text


# -- the renderers against conftest itself ----------------------------------------
USER_EXCEPTION = 'package wildside_cnpg\n\nexception contains rules if {\n\trules := ["e7"]\n}\n'


def _conftest(binary: Path, tree: Path, output: str) -> str:
    exceptions = tree.parent / "exceptions"
    exceptions.mkdir(exist_ok=True)
    (exceptions / "e7.rego").write_text(USER_EXCEPTION, encoding="utf-8")
    done = subprocess.run(
        [
            str(binary),
            "test",
            "--no-color",
            "--namespace",
            NAMESPACE,
            "--policy",
            str(policy_dir()),
            "--policy",
            str(exceptions),
            "--combine",
            "--output",
            output,
            *sorted(FILES),
        ],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    return done.stdout


def _their_result(binary: Path, tree: Path) -> CheckResult:
    """conftest's combined check result, as the renderers take one."""
    [found] = json.loads(_conftest(binary, tree, "json"))

    def finding(level: Level, item: dict[str, Any]) -> Finding:
        query = item.get("metadata", {}).get("query", "")
        return Finding(level, item["msg"], query.rsplit("_", 1)[-1].upper())

    return CheckResult(
        found["filename"],
        found["namespace"],
        [finding("deny", item) for item in found["failures"]],
        [finding("warn", item) for item in found["warnings"]],
        [finding("warn", item) for item in found["exceptions"]],
        found["successes"],
    )


def test_table_github_and_junit_print_what_conftest_prints(
    tree: Path, conftest_binary: Path
) -> None:
    theirs = _their_result(conftest_binary, tree)
    assert (len(theirs.failures), len(theirs.warnings), len(theirs.exceptions)) == (1, 1, 1)
    assert theirs.successes == PASSED
    assert table([theirs]) == _conftest(conftest_binary, tree, "table")
    assert github([theirs]) == _conftest(conftest_binary, tree, "github")
    # conftest names the Go release it was built with; this names the package's version.
    expected = _conftest(conftest_binary, tree, "junit").splitlines(keepends=True)
    [go] = [index for index, line in enumerate(expected) if 'name="go.version"' in line]
    expected[go] = (
        f'\t\t\t<property name="wildside-cnpg.version" value="{__version__}"></property>\n'
    )
    assert junit([theirs], __version__) == "".join(expected)


def _shape(value: Any) -> Any:
    """The field names of a JSON document, nested, lists by their first item."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value else []
    return type(value).__name__


def test_sarif_has_conftests_fields(tree: Path, conftest_binary: Path) -> None:
    theirs = json.loads(_conftest(conftest_binary, tree, "sarif"))
    ours = json.loads(sarif([_their_result(conftest_binary, tree)], __version__, 1))
    # The package names no home page: conftest's driver has one more field.
    del theirs["runs"][0]["tool"]["driver"]["informationUri"]
    assert _shape(ours) == _shape(theirs)
    assert list(ours) == list(theirs)
    levels = [(result["level"], result["message"]["text"]) for result in ours["runs"][0]["results"]]
    assert levels == [
        (result["level"], result["message"]["text"]) for result in theirs["runs"][0]["results"]
    ]
    assert ours["runs"][0]["invocations"] == theirs["runs"][0]["invocations"]
