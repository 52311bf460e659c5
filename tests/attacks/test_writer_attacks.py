"""Attacks on `render --out`: symbolic links, FIFOs and sockets inside the checkout, an
edited ownership record, concurrent renders, unreadable files, read-only and full file
systems. Each asserts the exact outcome: nothing outside the directory is written,
read or removed, a refusal changes nothing inside it, and each failure has its exit
code and one line."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.attacks.conftest import run_cli
from tests.policy.expected import superuser_warning
from wildside_cnpg import Inputs, Module
from wildside_cnpg.cli import main
from wildside_cnpg.writer import OWNERSHIP_FILE

CLUSTER_UNIT = "platform/databases/clusters/wildside-pg"


# Superuser access is on by default and every render warns about it (policy C12);
# these tests are about the writer, so that one line is left out of stderr.
SUPERUSER_WARNING = f"warning: C15 {superuser_warning('databases', 'wildside-pg')}\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err.replace(SUPERUSER_WARNING, "")


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    target = tmp_path / "outside"
    target.mkdir()
    (target / "precious.yaml").write_text("do: not touch\n")
    return target


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    root = tmp_path / "gitops"
    root.mkdir()
    return root


def test_a_symlinked_directory_is_never_followed(
    checkout: Path, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (checkout / "platform").symlink_to(outside)
    code, _out, err = run(capsys, "render", "--out", str(checkout))
    assert code == 2
    assert err.splitlines()[-1] == (
        f"error: platform: a symbolic link or a file where a directory is expected inside "
        f"{checkout}; refusing to follow it"
    )
    assert snapshot(outside) == {"precious.yaml": b"do: not touch\n"}


def test_a_symlinked_file_is_never_written_through(
    checkout: Path, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "render", "--out", str(checkout))
    target = checkout / CLUSTER_UNIT / "cluster/cluster.yaml"
    target.unlink()
    target.symlink_to(outside / "precious.yaml")
    code, _, err = run(capsys, "render", "--out", str(checkout), "--set", "instances=5")
    assert code == 2
    assert err.splitlines()[-1] == (
        f"error: {CLUSTER_UNIT}/cluster/cluster.yaml: a symbolic link inside {checkout}; "
        "refusing to follow it"
    )
    assert (outside / "precious.yaml").read_text() == "do: not touch\n"


def _edit_record(checkout: Path, extra: dict[str, object]) -> None:
    record = json.loads((checkout / OWNERSHIP_FILE).read_text())
    record["files"].update(extra)
    (checkout / OWNERSHIP_FILE).write_text(json.dumps(record))


def test_an_edited_record_is_data_to_verify_not_paths_to_trust(
    checkout: Path, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "render", "--out", str(checkout))
    git_config = checkout / ".git" / "config"
    git_config.parent.mkdir()
    git_config.write_text("[core]\n")
    team = checkout / "platform/databases/team-notes.yaml"
    team.write_text("kind: ConfigMap\n")
    owner = {"owners": ["databases/wildside-pg"], "sha256": "0" * 64}
    _edit_record(
        checkout,
        {
            ".git/config": owner,
            "../outside/precious.yaml": owner,
            str(outside / "precious.yaml"): owner,
            "platform/databases/team-notes.yaml": owner,
        },
    )
    code, _out, err = run(capsys, "render", "--out", str(checkout))
    assert code == 0
    assert err.splitlines() == [
        "warning: ../outside/precious.yaml: not a path wildside-cnpg renders; record entry ignored",
        "warning: .git/config: not a path wildside-cnpg renders; record entry ignored",
        f"warning: {outside / 'precious.yaml'}: not a path wildside-cnpg renders; record "
        "entry ignored",
        "warning: platform/databases/team-notes.yaml: no longer rendered, but changed since "
        "wildside-cnpg wrote it; left in place (remove it yourself if it is not needed)",
    ]
    assert git_config.read_text() == "[core]\n"
    assert team.read_text() == "kind: ConfigMap\n"
    assert (outside / "precious.yaml").read_text() == "do: not touch\n"
    # The record now lists only what this render wrote.
    assert sorted(json.loads((checkout / OWNERSHIP_FILE).read_text())["files"]) == sorted(
        Module().render()
    )


def test_check_never_prints_a_file_it_did_not_write(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "render", "--out", str(checkout))
    private = checkout / "platform/databases/private-notes.yaml"
    private.write_text("token: hunter2\n")
    _edit_record(
        checkout,
        {
            "platform/databases/private-notes.yaml": {
                "owners": ["databases/wildside-pg"],
                "sha256": "1" * 64,
            }
        },
    )
    code, out, _ = run(capsys, "render", "--out", str(checkout), "--check")
    assert code == 1
    assert "hunter2" not in out
    assert (
        "--- a/platform/databases/private-notes.yaml\n+++ b/platform/databases/private-notes.yaml\n"
        "(sensitive or modified file differs; contents not shown)\n" in out
    )


def test_a_record_that_is_a_directory_is_bad_input(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (checkout / OWNERSHIP_FILE).mkdir()
    code, out, err = run(capsys, "render", "--out", str(checkout))
    assert (code, out) == (2, "")
    assert err == (f"error: {OWNERSHIP_FILE}: not a regular file inside {checkout}; move it away\n")


def state(root: Path) -> dict[str, object]:
    """Everything under `root`: each regular file's bytes, and the kind of anything
    else (a FIFO is never opened)."""
    found: dict[str, object] = {}
    for path in sorted(root.rglob("*")):
        mode = path.lstat().st_mode
        name = path.relative_to(root).as_posix()
        found[name] = path.read_bytes() if stat.S_ISREG(mode) else stat.S_IFMT(mode)
    return found


def refused(result_err: str) -> list[str]:
    return result_err.replace(SUPERUSER_WARNING, "").splitlines()


OPERATOR_ENTRY = "platform/databases/operator/kustomization.yaml"


# A FIFO would block open() until a writer comes, with the lock held; these run the
# command line in its own process, killed at the attack deadline if it hangs.
@pytest.mark.parametrize(
    "extra", [(), ("--check",), ("--set", "instances=5"), ("--adopt",)], ids=str
)
def test_a_fifo_at_a_rendered_path_is_refused_not_waited_on(
    checkout: Path, capsys: pytest.CaptureFixture[str], extra: tuple[str, ...]
) -> None:
    run(capsys, "render", "--out", str(checkout))
    (checkout / OPERATOR_ENTRY).unlink()
    os.mkfifo(checkout / OPERATOR_ENTRY)
    before = state(checkout)
    result = run_cli("render", "--out", str(checkout), *extra)
    assert (result.code, result.out) == (2, "")
    assert refused(result.err) == [
        f"error: {OPERATOR_ENTRY}: not a regular file inside {checkout}; move it away"
    ]
    assert state(checkout) == before


@pytest.mark.parametrize("extra", [(), ("--check",)], ids=str)
def test_a_fifo_as_the_record_is_refused_not_waited_on(
    checkout: Path, extra: tuple[str, ...]
) -> None:
    os.mkfifo(checkout / OWNERSHIP_FILE)
    result = run_cli("render", "--out", str(checkout), *extra)
    assert (result.code, result.out) == (2, "")
    assert refused(result.err) == [
        f"error: {OWNERSHIP_FILE}: not a regular file inside {checkout}; move it away"
    ]
    assert state(checkout) == {OWNERSHIP_FILE: stat.S_IFIFO}


def test_a_socket_at_a_rendered_path_is_refused(
    checkout: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run(capsys, "render", "--out", str(checkout))
    (checkout / OPERATOR_ENTRY).unlink()
    monkeypatch.chdir((checkout / OPERATOR_ENTRY).parent)  # a socket's path is short
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(Path(OPERATOR_ENTRY).name)
        before = state(checkout)
        result = run_cli("render", "--out", str(checkout), "--check")
    assert (result.code, result.out) == (2, "")
    assert refused(result.err) == [
        f"error: {OPERATOR_ENTRY}: not a regular file inside {checkout}; move it away"
    ]
    assert state(checkout) == before


def test_an_adopted_checkout_is_refused_before_anything_is_written(checkout: Path) -> None:
    # --adopt reads no file before writing (it takes them all): an odd file late in
    # the tree must still be refused before the record or any earlier file is written.
    (checkout / OPERATOR_ENTRY).mkdir(parents=True)
    before = state(checkout)
    result = run_cli("render", "--out", str(checkout), "--adopt")
    assert (result.code, result.out) == (2, "")
    assert refused(result.err) == [
        f"error: {OPERATOR_ENTRY}: not a regular file inside {checkout}; move it away"
    ]
    assert state(checkout) == before


@pytest.mark.parametrize("extra", [(), ("--check",)], ids=str)
def test_an_unreadable_file_is_an_environment_failure(
    checkout: Path, capsys: pytest.CaptureFixture[str], extra: tuple[str, ...]
) -> None:
    run(capsys, "render", "--out", str(checkout))
    (checkout / OPERATOR_ENTRY).chmod(0)
    before = state(checkout)
    # Root reads any file: it runs without the capabilities that let it (setpriv, from
    # util-linux); any other user is refused by the mode alone.
    drop = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
    result = subprocess.run(
        [
            *drop,
            sys.executable,
            "-m",
            "wildside_cnpg",
            "render",
            "--out",
            str(checkout),
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (result.returncode, result.stdout) == (5, "")
    assert refused(result.stderr) == [
        f"error: {checkout}: cannot read {OPERATOR_ENTRY}: Permission denied"
    ]
    assert state(checkout) == before


@pytest.mark.parametrize("extra", [(), ("--check",)], ids=str)
def test_a_deeply_nested_record_is_unreadable_not_a_crash(
    checkout: Path, capsys: pytest.CaptureFixture[str], extra: tuple[str, ...]
) -> None:
    run(capsys, "render", "--out", str(checkout))
    (checkout / OWNERSHIP_FILE).write_text("[" * 200_000 + "]" * 200_000 + "\n")
    before = state(checkout)
    result = run_cli("render", "--out", str(checkout), *extra)
    assert (result.code, result.out) == (2, "")
    assert refused(result.err) == [
        f"error: {checkout / OWNERSHIP_FILE}: unreadable ownership record (nested too "
        "deeply); restore it from version control"
    ]
    assert state(checkout) == before


# Names no file system takes, and a name no file system can be given (a lone
# surrogate, which JSON spells \ud800): entries the tool never renders.
TOO_LONG = "platform/" + "a" * 300 + ".yaml"
TOO_DEEP = "platform/" + "a/" * 2100 + "x.yaml"
NOT_UTF8 = "platform/\ud800.yaml"


def test_record_entries_no_file_system_takes_are_ignored(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "render", "--out", str(checkout))
    owner = {"owners": ["databases/wildside-pg"], "sha256": "0" * 64}
    _edit_record(checkout, {TOO_LONG: owner, TOO_DEEP: owner, NOT_UTF8: owner})
    rendered = {path: data for path, data in state(checkout).items() if path != OWNERSHIP_FILE}

    before = state(checkout)
    check = run_cli("render", "--out", str(checkout), "--check")
    assert (check.code, refused(check.err)) == (
        1,
        [f"error: {checkout}: 1 file(s) differ from what the inputs render: {OWNERSHIP_FILE}"],
    )
    assert state(checkout) == before

    result = run_cli("render", "--out", str(checkout))
    assert result.code == 0
    assert refused(result.err) == [
        f"warning: {path}: not a path wildside-cnpg renders; record entry ignored"
        for path in (TOO_DEEP, TOO_LONG, "platform/\\ud800.yaml")
    ]
    after = state(checkout)
    record = after.pop(OWNERSHIP_FILE)
    assert isinstance(record, bytes)
    assert sorted(json.loads(record)["files"]) == sorted(Module().render())
    assert after == rendered


def test_check_on_a_missing_directory_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope"
    code, out, err = run(capsys, "render", "--out", str(missing), "--check")
    assert (code, out) == (2, "")
    assert err == f"error: {missing}: not a directory (render writes into an existing checkout)\n"


@contextlib.contextmanager
def tmpfs(where: Path, size: str) -> Iterator[Path]:
    where.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], check=True)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=True)


def test_a_read_only_file_system_is_an_environment_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with tmpfs(tmp_path / "ro", "1m") as root:
        subprocess.run(["mount", "-o", "remount,ro", str(root)], check=True)
        code, out, err = run(capsys, "render", "--out", str(root))
        assert (code, out) == (5, "")
        assert err == f"error: {root}: cannot write {OWNERSHIP_FILE}: Read-only file system\n"


def test_a_full_file_system_is_an_environment_failure_and_leaves_no_scraps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Room for the record and a few files, not for the whole tree.
    with tmpfs(tmp_path / "full", "24k") as root:
        code, _out, err = run(capsys, "render", "--out", str(root))
        assert code == 5
        assert err.startswith(f"error: {root}: cannot write ")
        assert err.endswith(": No space left on device\n")
        assert not [p for p in root.rglob(".wildside-cnpg-tmp-*")]
        # Every file there is whole: the old one or the new one.
        rendered = Module().render()
        for path, data in snapshot(root).items():
            if path != OWNERSHIP_FILE:
                assert data.decode() == rendered[path], path


RENDER = (
    "import sys; from wildside_cnpg.cli import main; "
    "sys.exit(main(['render', '--out', sys.argv[1], '--set', sys.argv[2]]))"
)


@pytest.mark.parametrize("pair", range(8))
def test_concurrent_renders_leave_exactly_one_render(checkout: Path, pair: int) -> None:
    settings = ["instances=5", "instances=4"]
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", RENDER, str(checkout), setting],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for setting in settings
    ]
    results = [
        (p.wait(timeout=120), (p.stderr.read() if p.stderr else "").replace(SUPERUSER_WARNING, ""))
        for p in processes
    ]
    for code, err in results:
        assert code in (0, 5), err
        if code == 5:
            assert err == (
                f"error: {checkout}: another wildside-cnpg is writing this directory; run "
                "again when it has finished\n"
            )
    assert 0 in [code for code, _ in results]
    on_disk = snapshot(checkout)
    record = json.loads(on_disk.pop(OWNERSHIP_FILE))
    candidates = [Module(Inputs(instances=n)).render() for n in (5, 4)]
    as_text = {path: data.decode() for path, data in on_disk.items()}
    assert as_text in candidates
    assert sorted(record["files"]) == sorted(as_text)
    assert os.listdir(checkout)  # something was written
