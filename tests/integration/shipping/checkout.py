"""Helpers of the shipping tests: a Git snapshot of this checkout (committed and
uncommitted files alike, ignored ones left out), and running commands bounded."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
TIMEOUT = 900
GIT_ENV = {
    "GIT_AUTHOR_NAME": "wildside-cnpg tests",
    "GIT_AUTHOR_EMAIL": "tests@wildside-cnpg.invalid",
    "GIT_COMMITTER_NAME": "wildside-cnpg tests",
    "GIT_COMMITTER_EMAIL": "tests@wildside-cnpg.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


def run(
    argv: list[str], cwd: Path, env: dict[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        argv,
        cwd=cwd,
        env={**os.environ, **GIT_ENV, **(env or {})},
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"{' '.join(argv)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
        )
    return result


def git_init(directory: Path) -> None:
    run(["git", "init", "--quiet", "--initial-branch=main", str(directory)], cwd=directory.parent)


def commit_all(directory: Path, message: str) -> str:
    run(["git", "add", "-A"], cwd=directory)
    run(["git", "commit", "--quiet", "--allow-empty", "-m", message], cwd=directory)
    return run(["git", "rev-parse", "HEAD"], cwd=directory).stdout.strip()


def snapshot(target: Path) -> str:
    """This checkout's files as they are now (tracked and new, not ignored), committed
    into a fresh repository at `target`; the commit's id."""
    listed = run(["git", "ls-files", "-z", "-c", "-o", "--exclude-standard"], cwd=REPO).stdout
    target.mkdir(parents=True)
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if not source.is_file():
            continue  # deleted in the working tree
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)
    git_init(target)
    return commit_all(target, "snapshot")
