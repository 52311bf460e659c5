"""Every alert of the rendered PrometheusRule, tested by the real promtool on
synthetic series: one test file per alert (tests/alerts/promtool/), each asserting
that the alert fires, with its exact labels and annotations, and that it does not
(healthy series, other pods, other namespaces, a condition shorter than `for`).

The rule files are rendered by the module for the inputs below, so a changed
expression, threshold or text fails here."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conformance.render import CASES as MATRIX_CASES
from tests.conformance.render import module_for
from tests.golden.cases import CASES as GOLDEN_CASES
from wildside_cnpg import Inputs, Module

HERE = Path(__file__).resolve().parent
TESTS = HERE / "promtool"
BACKUP: dict[str, Any] = {
    "backup_enabled": True,
    "backup_destination_path": "s3://wildside-backups/pg",
    "backup_endpoint_url": "https://nyc3.digitaloceanspaces.com",
    "backup_s3_credentials_secret_name": "wildside-s3",
    "monitoring_enabled": True,
    "alerts_enabled": True,
}
# rules file -> the inputs it is rendered from (the test files name the rules file):
# each names its backup method, since the metric of the last backup depends on it.
RULE_FILES: dict[str, dict[str, Any]] = {
    "rules.yaml": {**BACKUP, "backup_method": "barman_object_store"},
    "rules-plugin.yaml": {
        **BACKUP,
        "backup_method": "barman_cloud_plugin",
        "image_name": "ghcr.io/cloudnative-pg/postgis:16-3.6-standard-trixie",
    },
}


def rule_groups(module: Module) -> dict[str, Any]:
    """The PrometheusRule's spec as a Prometheus rules file."""
    (rule,) = [doc for doc in module.objects() if doc["kind"] == "PrometheusRule"]
    return {"groups": rule["spec"]["groups"]}


def alert_names(values: dict[str, Any]) -> list[str]:
    return [
        rule["alert"]
        for group in rule_groups(Module(Inputs(**values)))["groups"]
        for rule in group["rules"]
    ]


def prepare(directory: Path, overrides: dict[str, Any] | None = None) -> None:
    for name, values in RULE_FILES.items():
        groups = rule_groups(Module(Inputs(**values, **(overrides or {}))))
        (directory / name).write_text(yaml.safe_dump(groups, sort_keys=False), encoding="utf-8")
    for test in TESTS.glob("*.yaml"):
        shutil.copy(test, directory / test.name)


def run(promtool: Path, directory: Path, test: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(promtool), "test", "rules", test],
        cwd=directory,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_one_test_file_per_alert() -> None:
    tested = sorted(
        {test["alertname"] for path in TESTS.glob("*.yaml") for test in _alert_tests(path)}
    )
    assert tested == sorted(alert_names(BACKUP))
    assert len(tested) == 7
    for path in TESTS.glob("*.yaml"):
        assert len({test["alertname"] for test in _alert_tests(path)}) == 1, path.name


def _alert_tests(path: Path) -> list[dict[str, Any]]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [check for test in document["tests"] for check in test["alert_rule_test"]]


@pytest.mark.parametrize("test", sorted(path.name for path in TESTS.glob("*.yaml")))
def test_alert_fires_and_does_not_fire(test: str, promtool: Path, tmp_path: Path) -> None:
    prepare(tmp_path)
    result = run(promtool, tmp_path, test)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout
    checks = _alert_tests(TESTS / test)
    # Every file asserts both: at least one evaluation where the alert fires, one where not.
    assert any(check.get("exp_alerts") for check in checks), test
    assert any(not check.get("exp_alerts") for check in checks), test


@pytest.mark.parametrize(
    ("test", "overrides"),
    [
        ("replication-lag.yaml", {"alerts_replication_lag_seconds": 600}),
        ("volume-nearly-full.yaml", {"alerts_volume_usage_percent": 95}),
        ("connections-near-max.yaml", {"alerts_connections_percent": 95}),
        ("backup-too-old.yaml", {"alerts_backup_max_age_hours": 48}),
        ("instances-not-ready.yaml", {"instances": 2}),
    ],
)
def test_the_thresholds_come_from_the_inputs(
    test: str, overrides: dict[str, Any], promtool: Path, tmp_path: Path
) -> None:
    """The same series against rules rendered with another threshold: the test file's
    expectations no longer hold, so promtool fails it."""
    prepare(tmp_path, overrides)
    result = run(promtool, tmp_path, test)
    assert result.returncode == 1, result.stdout
    assert "FAILED" in result.stdout + result.stderr


def _cases_with_alerts() -> list[str]:
    golden = [
        f"golden-{name}" for name, values in GOLDEN_CASES.items() if values.get("alerts_enabled")
    ]
    matrix = [f"matrix-{name}" for name in MATRIX_CASES if module_for(name).inputs.alerts_enabled]
    return sorted(golden + matrix)


@pytest.mark.parametrize("case", _cases_with_alerts())
def test_every_rendered_rule_passes_promtool_check(
    case: str, promtool: Path, tmp_path: Path
) -> None:
    if case.startswith("golden-"):
        module = Module(Inputs.from_mapping(GOLDEN_CASES[case.removeprefix("golden-")]))
    else:
        module = module_for(case.removeprefix("matrix-"))
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(rule_groups(module)), encoding="utf-8")
    result = subprocess.run(
        [str(promtool), "check", "rules", "--lint=all", "--lint-fatal", str(path)],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(alert_names_of(module))} rules found" in result.stdout


def alert_names_of(module: Module) -> list[str]:
    return [rule["alert"] for group in rule_groups(module)["groups"] for rule in group["rules"]]
