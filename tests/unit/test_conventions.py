"""Command-line conventions shared by every command: `-o/--output` formats, global
flags anywhere on the line, and the one-line message of a missing extra."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import yaml

from tests.cli import run
from tests.policy.expected import superuser_warning
from wildside_cnpg import Module
from wildside_cnpg.cli import main

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = str(REPO / "examples/render/inputs.yaml")


def usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """The last stderr line of an argparse usage error (exit 2)."""
    with pytest.raises(SystemExit) as caught:
        main(list(argv))
    assert caught.value.code == 2
    return capsys.readouterr().err.splitlines()[-1]


# --- -o/--output ---------------------------------------------------------------------


def test_render_summary_as_json_and_yaml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "render", "--out", str(tmp_path), "-o", "json")
    assert (code, err) == (0, f"warning: C15 {superuser_warning('databases', 'wildside-pg')}\n")
    report = json.loads(out)
    assert report == {
        "out": str(tmp_path),
        "written": sorted(Module().render()),
        "unchanged": [],
        "removed": [],
        "left": [],
        "notes": [],
    }
    code, out, _ = run(capsys, "render", "--out", str(tmp_path), "--output", "yaml")
    assert code == 0
    assert yaml.safe_load(out) == {
        "out": str(tmp_path),
        "written": [],
        "unchanged": sorted(Module().render()),
        "removed": [],
        "left": [],
        "notes": [],
    }


def test_render_check_as_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "render", "--out", str(tmp_path))
    code, out, _ = run(capsys, "render", "--out", str(tmp_path), "--check", "-o", "json")
    assert code == 0
    assert json.loads(out) == {
        "out": str(tmp_path),
        "up_to_date": True,
        "files": 13,
        "changed": [],
        "diff": "",
    }
    code, out, err = run(
        capsys, "render", "--out", str(tmp_path), "--check", "-o", "json", "--set", "instances=5"
    )
    assert code == 1
    report = json.loads(out)
    assert report["up_to_date"] is False
    assert report["changed"] == [
        "platform/databases/clusters/wildside-pg/cluster/cluster.yaml",
        ".wildside-cnpg-owned.json",
    ]
    assert "-  instances: 3\n+  instances: 5\n" in report["diff"]
    assert err.splitlines()[1].startswith(f"error: {tmp_path}: 2 file(s) differ")


def test_render_o_is_the_output_format_not_the_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert usage_error(capsys, "render", "-o", str(tmp_path)) == (
        f"wildside-cnpg render: error: argument -o/--output: invalid choice: '{tmp_path}' "
        "(choose from 'text', 'json', 'yaml')"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--stdout", "-o", "json"],
         "--output json goes with --out DIR; the --stdout stream is YAML"),
        (["--stdout", "--check"], "--check and --protect-only go with --out DIR, not --stdout"),
        (["--out", "{tmp}", "--all-files"], "--all-files goes with --stdout"),
    ],
)  # fmt: skip
def test_render_option_combinations_refused(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "render", *(a.format(tmp=tmp_path) for a in argv))
    assert (code, out, err) == (2, "", f"error: {message}\n")
    assert list(tmp_path.iterdir()) == []


def test_outputs_json_alias_and_yaml(capsys: pytest.CaptureFixture[str]) -> None:
    _, by_alias, _ = run(capsys, "outputs", "--json", "-i", EXAMPLE)
    _, by_option, _ = run(capsys, "outputs", "-o", "json", "-i", EXAMPLE)
    _, as_yaml, _ = run(capsys, "outputs", "--output", "yaml", "-i", EXAMPLE)
    assert by_alias == by_option
    assert yaml.safe_load(as_yaml) == json.loads(by_option)
    # null values survive in YAML (backup is null without backups)
    _, defaults, _ = run(capsys, "outputs", "-o", "yaml")
    assert "    backup: null\n" in defaults


def test_outputs_single_value_formats(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "outputs", "cluster_name", "-o", "json")
    assert (code, out) == (0, '"wildside-pg"\n')
    code, out, _ = run(capsys, "outputs", "cluster_name", "-o", "yaml")
    assert (code, out) == (0, "wildside-pg\n")
    code, out, err = run(capsys, "outputs", "-o", "json", "--raw")
    assert (code, out, err) == (2, "", "error: --raw goes with NAME and the text output\n")


def test_policy_output_formats(capsys: pytest.CaptureFixture[str]) -> None:
    code, as_json, _ = run(capsys, "policy", "-o", "json", "--set", "enable_superuser_access=false")
    assert code == 0
    report = json.loads(as_json)
    assert report == {"deny": [], "warn": [], "files": 13, "skipped": [], "exceptions": []}
    code, as_yaml, _ = run(
        capsys, "policy", "--output", "yaml", "--set", "enable_superuser_access=false"
    )
    assert (code, yaml.safe_load(as_yaml)) == (0, report)


def test_validate_output_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", "-o", "json")
    assert code == 0
    report = json.loads(out)
    assert report["ok"] is True
    assert report["checked"] == 7
    assert report["findings"] == []
    assert [(d["file"], d["kind"]) for d in report["ignored"]] == [
        (f"{path}/kustomization.yaml", "Kustomization")
        for path in (
            "platform/databases/clusters/wildside-pg/cluster",
            "platform/databases/clusters/wildside-pg",
            "platform/databases/namespaces/cnpg-system",
            "platform/databases/namespaces/databases",
            "platform/databases/operator",
            "platform/databases/operator/layer",
        )
    ]


@pytest.mark.parametrize(
    "command", ["render", "outputs", "policy", "validate", "apply", "status", "uninstall"]
)
def test_every_reporting_command_takes_the_same_formats(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # policy also prints conftest's formats.
    extra = ", 'table', 'github', 'junit', 'sarif'" if command == "policy" else ""
    assert usage_error(capsys, command, "-o", "xml") == (
        f"wildside-cnpg {command}: error: argument -o/--output: invalid choice: 'xml' "
        f"(choose from 'text', 'json', 'yaml'{extra})"
    )


# --- global flags ------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["--debug", "render", "--stdout"],
        ["render", "--debug", "--stdout"],
        ["render", "--stdout", "--debug"],
    ],
)
def test_debug_works_before_and_after_the_command(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def boom(self: Module) -> dict[str, str]:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Module, "render", boom)
    code, _, err = run(capsys, *argv)
    assert code == 70
    assert "Traceback (most recent call last)" in err
    assert err.endswith(
        "internal error: RuntimeError: disk on fire (rerun with --debug for the traceback)\n"
    )


def test_without_debug_no_traceback_wherever_the_command_is(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def boom(self: Module) -> dict[str, str]:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Module, "render", boom)
    code, _, err = run(capsys, "render", "--stdout")
    assert (code, err) == (
        70,
        "internal error: RuntimeError: disk on fire (rerun with --debug for the traceback)\n",
    )


@pytest.mark.parametrize("argv", [["--version"], ["render", "--version"], ["schema", "--version"]])
def test_version_anywhere(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    assert (code, capsys.readouterr().out) == (0, "wildside-cnpg 0.1.0\n")


def test_command_help_lists_the_global_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["render", "--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert "global options:\n  --version" in out
    assert "  --debug " in out


# --- extras --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "hidden", "message"),
    [
        (
            ["apply", "--dry-run=server"],
            ["lightkube"],
            "error: apply needs the 'apply' extra (not installed: lightkube): "
            "pip install 'wildside-cnpg[apply]'",
        ),
        *(
            (
                [command],
                ["lightkube"],
                f"error: {command} needs the 'apply' extra (not installed: lightkube): "
                "pip install 'wildside-cnpg[apply]'",
            )
            for command in ("status", "uninstall")
        ),
        (
            ["validate"],
            ["celpy", "openapi_schema_validator"],
            "error: validate needs the 'validate' extra (not installed: "
            "openapi-schema-validator, cel-python): pip install 'wildside-cnpg[validate]'",
        ),
    ],
)
def test_a_missing_extra_is_one_line_and_exit_5(
    argv: list[str],
    hidden: list[str],
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A None entry in sys.modules is how Python marks a module as not importable.
    for name in hidden:
        monkeypatch.setitem(sys.modules, name, None)
    code, out, err = run(capsys, *argv)
    assert (code, out, err) == (5, "", message + "\n")
