"""`wildside-cnpg completion bash|zsh|fish`: each script loaded into the real shell
(zsh and fish from scripts/setup/70-shells.sh), asked to complete command lines."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from wildside_cnpg.cli import build_parser, main
from wildside_cnpg.completion import completion_script

HERE = Path(__file__).resolve().parent
COMMANDS = [
    "apply",
    "backups",
    "completion",
    "init",
    "opentofu",
    "outputs",
    "plan",
    "policy",
    "render",
    "schema",
    "status",
    "uninstall",
    "validate",
]
TIMEOUT = 60


def shell(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: run scripts/setup/70-shells.sh")
    return found


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A directory with a file (with a space in its name) and a subdirectory."""
    (tmp_path / "a file.yaml").write_text("instances: 3\n")
    (tmp_path / "sub").mkdir()
    return tmp_path


def script(tmp_path: Path, name: str) -> Path:
    path = tmp_path.parent / f"completion.{name}"
    path.write_text(completion_script(name, build_parser()))
    return path


def bash_complete(workdir: Path, line: str) -> list[str]:
    """COMPREPLY of the bash function for `line` (a trailing space starts a new word)."""
    source = script(workdir, "bash")
    program = (
        f"source {source}\n"
        'read -ra COMP_WORDS <<< "$LINE"\n'
        '[[ "$LINE" == *" " ]] && COMP_WORDS+=("")\n'
        "COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
        "_wildside_cnpg\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    result = subprocess.run(
        [shell("bash"), "--norc", "-c", program],
        cwd=workdir,
        env={"LINE": line, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=True,
    )
    return sorted(filter(None, result.stdout.splitlines()))


def fish_complete(workdir: Path, line: str) -> list[str]:
    source = script(workdir, "fish")
    result = subprocess.run(
        [shell("fish"), "--no-config", "-c", f"source {source}; complete -C{line!r}"],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=True,
    )
    return sorted(line.split("\t")[0] for line in result.stdout.splitlines())


def zsh_complete(workdir: Path, line: str) -> list[str]:
    source = script(workdir, "zsh")
    result = subprocess.run(
        [shell("zsh"), "-f", str(HERE / "completion_capture.zsh"), str(source), line],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=True,
    )
    return sorted(result.stdout.splitlines())


COMPLETERS = {"bash": bash_complete, "fish": fish_complete, "zsh": zsh_complete}


@pytest.mark.parametrize("name", sorted(COMPLETERS))
def test_commands_options_and_choices(name: str, workdir: Path) -> None:
    complete = COMPLETERS[name]
    # bash offers the top-level flags with the commands; zsh and fish wait for a "-".
    top = ["-h", "--help", "--version", "--debug"] if name == "bash" else []
    assert complete(workdir, "wildside-cnpg ") == sorted([*COMMANDS, *top])
    assert complete(workdir, "wildside-cnpg re") == ["render"]
    assert complete(workdir, "wildside-cnpg render --ou") == ["--out", "--output"]
    assert complete(workdir, "wildside-cnpg render -o ") == ["json", "text", "yaml"]
    assert complete(workdir, "wildside-cnpg --debug outputs --js") == ["--json"]
    assert complete(workdir, "wildside-cnpg apply --dry-run ") == ["none", "server"]
    assert complete(workdir, "wildside-cnpg completion ") == ["bash", "fish", "zsh"]


@pytest.mark.parametrize("name", ["bash", "fish"])
def test_files_and_directories(name: str, workdir: Path) -> None:
    complete = COMPLETERS[name]
    files = complete(workdir, "wildside-cnpg render --inputs ")
    assert [f.rstrip("/") for f in files] == ["a file.yaml", "sub"]
    assert [d.rstrip("/") for d in complete(workdir, "wildside-cnpg render --out ")] == ["sub"]
    assert [d.rstrip("/") for d in complete(workdir, "wildside-cnpg policy ")] == ["sub"]


def test_zsh_offers_repeatable_options_again(workdir: Path) -> None:
    assert zsh_complete(workdir, "wildside-cnpg render --inputs x.yaml --inp") == ["--inputs"]
    assert zsh_complete(workdir, "wildside-cnpg render --out x --ou") == ["--output"]


def test_zsh_completes_paths_for_path_options(workdir: Path) -> None:
    assert zsh_complete(workdir, "wildside-cnpg render --inputs ") == ["a\\ file.yaml", "sub"]
    # zsh's own _files -/ keeps to directories; the script asks for exactly that.
    text = completion_script("zsh", build_parser())
    assert "'--out[root of the GitOps checkout]:dir:_files -/'" in text


def test_free_text_values_complete_to_nothing(workdir: Path) -> None:
    assert bash_complete(workdir, "wildside-cnpg render --set ") == []
    assert fish_complete(workdir, "wildside-cnpg render --set ") == []


def test_completion_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", "fish"]) == 0
    assert capsys.readouterr().out == completion_script("fish", build_parser())
    with pytest.raises(SystemExit) as caught:
        main(["completion", "powershell"])
    assert caught.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "wildside-cnpg completion: error: argument SHELL: invalid choice: 'powershell' "
        "(choose from 'bash', 'zsh', 'fish')"
    )
