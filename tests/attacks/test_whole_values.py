"""Trailing newlines and control characters through the command line, in every
string input: refused with exit 2 and one line, nothing rendered."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.attacks.conftest import run_cli
from tests.unit.test_input_types import string_inputs, valid_value
from wildside_cnpg import Inputs
from wildside_cnpg.cli import main


def test_the_trailing_newline_of_the_issue() -> None:
    result = run_cli("render", "--stdout", "--set-string", "cluster_name=x\n")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "error: cluster_name: expected a DNS-1035 label of at most 50 characters, as "
        "CloudNativePG requires (lower-case letters, digits and '-', starting with a letter "
        "and ending with a letter or digit), got 'x\\n'\n"
    )


def test_a_reserved_parameter_with_a_newline(tmp_path: Path) -> None:
    path = tmp_path / "inputs.yaml"
    path.write_text('postgresql_parameters:\n  "archive_command\\n": /bin/true\n')
    result = run_cli("render", "--stdout", "-f", str(path))
    assert (result.code, result.out, result.err) == (
        2,
        "",
        "error: postgresql_parameters: expected parameter names such as shared_buffers, "
        "got 'archive_command\\n'\n",
    )
    result = run_cli(
        "render",
        "--stdout",
        "--set-string",
        "postgresql_parameters.work_mem=4MB\narchive_command=x",
    )
    assert result.code == 2
    assert result.err == (
        "error: postgresql_parameters.work_mem: expected a value without control characters "
        "(such as a newline), got '4MB\\narchive_command=x'\n"
    )


@pytest.mark.parametrize("name", string_inputs())
@pytest.mark.parametrize("suffix", ["\n", "\x00", "\x1b[2J", "\u2028"])
def test_every_string_input_from_the_command_line(
    name: str, suffix: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code = main(
        ["render", "--out", str(tmp_path), "--set-string", f"{name}={valid_value(name)}{suffix}"]
    )
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert line.startswith(f"error: {name}: expected ")
    if name in Inputs.sensitive_names():
        assert line.endswith(", got <sensitive>")
    elif len(repr(valid_value(name) + suffix)) <= 60:  # echoed whole up to 60 characters
        assert line.endswith(repr(suffix)[1:-1] + "'")
    else:  # the echo is cut short
        assert line.endswith("…'")
    assert list(tmp_path.iterdir()) == []


def test_a_field_manager_with_a_trailing_newline() -> None:
    result = run_cli(
        "apply",
        "--field-manager",
        "wildside-cnpg\n",
        "--kubeconfig",
        "/nonexistent",
        "--set",
        "enable_superuser_access=false",
    )
    assert (result.code, result.err) == (
        2,
        "error: --field-manager: expected 1 to 128 printable characters, got 'wildside-cnpg\\n'\n",
    )
