"""Hostile files: alias bombs, deep nesting, self-reference, huge values, duplicate
keys, tags that build other types, bytes that are not UTF-8. Each is refused with
one line (the file and the line) and exit code 2, fast and in bounded memory,
whichever way it comes in: an inputs file, standard input, --set, a tree on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.attacks.conftest import bomb, run_cli
from wildside_cnpg import Module

# Far below the 2.8 GiB an alias bomb reached before; a normal run peaks near 60 MiB.
MEMORY_BOUND_MIB = 300
ONLY = " (only strings, numbers, booleans, null, lists and mappings)"


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_an_alias_bomb_in_an_inputs_file(tmp_path: Path) -> None:
    text = bomb()
    assert len(text) < 500
    path = write(tmp_path / "bomb.yaml", text)
    result = run_cli("render", "--stdout", "-f", str(path))
    assert (result.code, result.out) == (2, "")
    assert (
        result.err == f"error: --inputs {path}: line 6: aliases expand to more than 100000 values\n"
    )
    assert result.peak_mib < MEMORY_BOUND_MIB


def test_an_alias_bomb_on_standard_input() -> None:
    result = run_cli("outputs", "-f", "-", stdin=bomb().encode())
    assert result.code == 2
    assert result.err == "error: --inputs -: line 6: aliases expand to more than 100000 values\n"
    assert result.peak_mib < MEMORY_BOUND_MIB


def test_an_alias_bomb_in_a_set_value() -> None:
    anchors = ", ".join(
        f"a{n}: &a{n} [{', '.join([f'*a{n - 1}' if n else 'x'] * 9)}]" for n in range(9)
    )
    value = "{" + anchors + "}"
    assert len(value) < 500
    result = run_cli("outputs", "--set", f"helm_values={value}")
    assert result.code == 2
    assert result.err == (
        "error: --set helm_values='{a0: &a0 [x, x, x, x, x, x, x, x, x], a1: &a1 [*a0, *a0, "
        "*…': invalid value (line 1: aliases expand to more than 100000 values); "
        "--set-string takes it as a string\n"
    )
    assert result.peak_mib < MEMORY_BOUND_MIB


def test_an_alias_bomb_in_a_tree(tmp_path: Path) -> None:
    write(tmp_path / "bomb.yaml", "apiVersion: v1\nkind: ConfigMap\ndata:\n" + bomb(key="  x"))
    result = run_cli("policy", str(tmp_path))
    assert result.code == 2
    assert result.err == "error: bomb.yaml: line 9: aliases expand to more than 100000 values\n"
    assert result.peak_mib < MEMORY_BOUND_MIB


def test_aliases_count_across_the_files_of_a_tree(tmp_path: Path) -> None:
    # Each file stays under the cap; the tree does not.
    for index in range(20):
        write(tmp_path / f"cm{index}.yaml", "kind: ConfigMap\ndata:\n" + bomb(levels=6, key="  x"))
    result = run_cli("policy", str(tmp_path))
    assert result.code == 2
    assert result.err.startswith("error: cm")
    assert result.err.endswith(": aliases expand to more than 100000 values\n")
    assert result.peak_mib < MEMORY_BOUND_MIB


def test_deep_nesting(tmp_path: Path) -> None:
    path = write(tmp_path / "deep.yaml", "helm_values:\n  x: " + "[" * 150 + "]" * 150)
    result = run_cli("outputs", "-f", str(path))
    assert (result.code, result.err) == (
        2,
        f"error: --inputs {path}: line 2: nested deeper than 100 levels\n",
    )
    # Deeper still, libyaml's own guard stops the parser first.
    path = write(tmp_path / "deeper.yaml", "helm_values:\n  x: " + "[" * 5000 + "]" * 5000)
    result = run_cli("outputs", "-f", str(path))
    assert (result.code, result.err) == (
        2,
        f"error: --inputs {path}: line 2, column 1004: exceeded maximum nesting depth "
        "(while increasing flow level)\n",
    )
    tree = tmp_path / "tree"
    tree.mkdir()
    write(tree / "deep.json", "")  # not a manifest suffix: skipped
    write(tree / "deep.yaml", "kind: ConfigMap\ndata: " + "{a: " * 150 + "1" + "}" * 150)
    result = run_cli("policy", str(tree))
    assert (result.code, result.err) == (
        2,
        "error: deep.yaml: line 2: nested deeper than 100 levels\n",
    )


def test_a_self_referencing_file(tmp_path: Path) -> None:
    path = write(tmp_path / "self.yaml", "helm_values: &top\n  me: *top\n")
    result = run_cli("outputs", "-f", str(path))
    assert (result.code, result.err) == (
        2,
        f"error: --inputs {path}: line 1: an alias refers to a node that contains it "
        "(a self-referencing structure)\n",
    )


def test_a_huge_file_and_a_huge_value(tmp_path: Path) -> None:
    path = write(tmp_path / "huge.yaml", "cluster_name: " + "x" * (1 << 20) + "\n")
    result = run_cli("outputs", "-f", str(path))
    assert (result.code, result.err) == (2, f"error: --inputs {path}: larger than 1 MiB\n")
    path = write(tmp_path / "long.yaml", "cluster_name: " + "x" * 900_000 + "\n")
    result = run_cli("outputs", "-f", str(path))
    assert result.code == 2
    assert result.err.startswith("error: cluster_name: expected a DNS-1035 label")
    assert result.err.endswith(", got '" + "x" * 58 + "…'\n")
    assert len(result.err) < 300


def test_duplicate_keys_name_both_lines(tmp_path: Path) -> None:
    path = write(tmp_path / "dup.yaml", "instances: 3\ncluster_name: a\ninstances: 5\n")
    result = run_cli("outputs", "-f", str(path))
    assert (result.code, result.err) == (
        2,
        f"error: --inputs {path}: line 3: duplicate key 'instances' (first on line 1)\n",
    )
    tree = tmp_path / "tree"
    tree.mkdir()
    write(tree / "cm.yaml", "kind: ConfigMap\nmetadata:\n  name: a\n  name: b\n")
    result = run_cli("policy", str(tree))
    assert (result.code, result.err) == (
        2,
        "error: cm.yaml: line 4: duplicate key 'name' (first on line 3)\n",
    )


CUSTOM = f"a custom tag is not allowed{ONLY}; quote a value that starts with !"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("!!set {a, b}", f"tag !!set is not allowed{ONLY}"),
        ("!!binary aGk=", f"tag !!binary is not allowed{ONLY}"),
        # Tags of the user's own are not echoed: an unquoted secret that starts with
        # "!" is one.
        ("!!python/object/apply:os.system ['true']", CUSTOM),
        ("!include other.yaml", CUSTOM),
    ],
)
def test_tags_that_build_other_types_are_refused(tmp_path: Path, value: str, problem: str) -> None:
    path = write(tmp_path / "tags.yaml", f"helm_values:\n  a: {value}\n")
    result = run_cli("render", "--stdout", "-f", str(path))
    assert (result.code, result.out) == (2, "")
    assert result.err == f"error: --inputs {path}: line 2: {problem}\n"


def test_timestamps_stay_the_strings_they_were_written_as(tmp_path: Path) -> None:
    path = write(tmp_path / "ts.yaml", "helm_values:\n  since: 2026-01-01T00:00:00Z\n")
    first = run_cli("render", "--stdout", "-f", str(path))
    second = run_cli("render", "--stdout", "-f", str(path))
    assert (first.code, second.code) == (0, 0)
    assert first.out == second.out
    assert "since: '2026-01-01T00:00:00Z'\n" in first.out


def test_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    path = write(
        tmp_path / "latin1.yaml",
        "cluster_name: wildside\ndatabase_name: caf\xe9\n".encode("latin-1"),
    )
    result = run_cli("outputs", "-f", str(path))
    assert (result.code, result.err) == (
        2,
        f"error: --inputs {path}: line 2: not UTF-8 text (byte 0xe9)\n",
    )
    tree = tmp_path / "tree"
    tree.mkdir()
    write(tree / "cm.yaml", b"kind: ConfigMap\ndata:\n  a: \xff\n")
    result = run_cli("policy", str(tree))
    assert (result.code, result.err) == (2, "error: cm.yaml: line 3: not UTF-8 text (byte 0xff)\n")


def test_a_rendered_tree_reads_back_within_the_limits(tmp_path: Path) -> None:
    for path, text in Module().render().items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    result = run_cli("policy", str(tmp_path))
    assert result.code == 0, result.err


def test_the_peak_measured_is_the_commands_own() -> None:
    """A child forked from a large test process inherits its resident pages (and
    wait4 reports that peak across exec); the harness measures the command alone."""
    ballast = bytearray(MEMORY_BOUND_MIB * 2 << 20)
    ballast[::4096] = b"\1" * len(range(0, len(ballast), 4096))
    result = run_cli("--version")
    del ballast
    assert result.code == 0
    assert result.peak_mib < 60
