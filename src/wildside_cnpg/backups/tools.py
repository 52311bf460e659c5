"""The local tools a drill runs: barman-cloud (as CNPG's instances run it), and
PostgreSQL of the backup's major version with PostGIS. When one is missing, the error
says exactly what to install (exit 5)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import EnvironmentFailureError

# The barman-cloud programs each command runs: a drill reads the catalog, restores and
# fetches WAL; `backups list` reads the catalog and, of an archive without a backup,
# asks whether it holds WAL.
BARMAN_TOOLS = ("barman-cloud-backup-list", "barman-cloud-restore", "barman-cloud-wal-restore")
LIST_TOOLS = ("barman-cloud-backup-list", "barman-cloud-check-wal-archive")
POSTGRES_TOOLS = ("postgres", "psql", "pg_controldata")
_VERSION = re.compile(r"\(PostgreSQL\) (?P<major>[0-9]+)(\.[0-9]+)?")
TOOL_TIMEOUT = 30


class MissingToolsError(EnvironmentFailureError):
    """One line per missing tool: what is missing, where it was looked for, and the
    command that installs it."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))

    def lines(self) -> list[str]:
        return list(self.problems)


@dataclass(frozen=True)
class Tools:
    barman_bin: Path
    pg_bin: Path | None = None  # set once the backup's major version is known
    share_dir: Path | None = None

    def barman(self, name: str) -> str:
        return str(self.barman_bin / name)

    def postgres(self, name: str) -> str:
        if self.pg_bin is None:
            raise AssertionError("PostgreSQL is found once the backup's version is known")
        return str(self.pg_bin / name)


def _has(directory: Path, names: tuple[str, ...]) -> bool:
    return all(os.access(directory / name, os.X_OK) for name in names)


def _barman_dir(barman_bin: Path | None, names: tuple[str, ...]) -> Path | None:
    if barman_bin is not None:
        return barman_bin if _has(barman_bin, names) else None
    found = shutil.which(names[0])
    if found is None:
        return None
    directory = Path(found).parent
    return directory if _has(directory, names) else None


def barman_missing(barman_bin: Path | None, names: tuple[str, ...] = BARMAN_TOOLS) -> str:
    where = f"in {barman_bin} (--barman-bin)" if barman_bin else "on PATH"
    # A drill's PostgreSQL runs barman-cloud-wal-restore as its own user.
    readable = (
        " (a directory the user running PostgreSQL can read: it runs barman-cloud-wal-restore)"
        if "barman-cloud-wal-restore" in names
        else ""
    )
    return (
        f"barman-cloud: {', '.join(names)} not found {where}; install it: "
        "python3 -m venv /opt/barman-cloud && /opt/barman-cloud/bin/pip install "
        f"'barman[cloud]', then pass --barman-bin /opt/barman-cloud/bin{readable}"
    )


def find_barman(barman_bin: Path | None, names: tuple[str, ...] = BARMAN_TOOLS) -> Tools:
    """barman-cloud's `names` (by default a drill's), in `barman_bin` or on PATH."""
    directory = _barman_dir(barman_bin, names)
    if directory is None:
        raise MissingToolsError([barman_missing(barman_bin, names)])
    return Tools(directory)


def _major_of(directory: Path) -> int | None:
    try:
        out = subprocess.run(
            [str(directory / "postgres"), "--version"],
            capture_output=True,
            text=True,
            timeout=TOOL_TIMEOUT,
            check=False,
        ).stdout
    except OSError:
        return None
    match = _VERSION.search(out)
    return int(match["major"]) if match else None


def _candidates(major: int) -> list[Path]:
    found = [Path(f"/usr/lib/postgresql/{major}/bin"), Path(f"/usr/pgsql-{major}/bin")]
    on_path = shutil.which("pg_config")
    if on_path is not None:
        with_config = subprocess.run(
            [on_path, "--bindir"], capture_output=True, text=True, timeout=TOOL_TIMEOUT, check=False
        ).stdout.strip()
        if with_config:
            found.append(Path(with_config))
    return found


def _share_dir(pg_bin: Path, major: int) -> Path:
    """Where PostgreSQL in `pg_bin` looks for extensions: what its pg_config says, else
    Debian's layout for Debian's directory, else the installation's own `share`."""
    config = pg_bin / "pg_config"
    if os.access(config, os.X_OK):
        out = subprocess.run(
            [str(config), "--sharedir"],
            capture_output=True,
            text=True,
            timeout=TOOL_TIMEOUT,
            check=False,
        ).stdout.strip()
        if out:
            return Path(out)
    if pg_bin == Path(f"/usr/lib/postgresql/{major}/bin"):
        return Path(f"/usr/share/postgresql/{major}")
    share = pg_bin.parent / "share"
    return share / "postgresql" if (share / "postgresql").is_dir() else share


def find_postgres(tools: Tools, major: int, pg_bin: Path | None, *, postgis: bool) -> Tools:
    """PostgreSQL `major` (the backup's) and, with `postgis`, PostGIS for it."""
    install = (
        f"apt-get install postgresql-{major} (Debian and Ubuntu; other majors from "
        "apt.postgresql.org), or pass --pg-bin DIR"
    )
    if pg_bin is not None:
        if not _has(pg_bin, POSTGRES_TOOLS):
            raise MissingToolsError(
                [
                    f"PostgreSQL {major}: {', '.join(POSTGRES_TOOLS)} not found in {pg_bin} "
                    f"(--pg-bin); install it: {install}"
                ]
            )
        found_major = _major_of(pg_bin)
        if found_major != major:
            raise MissingToolsError(
                [
                    f"PostgreSQL {major}: {pg_bin} (--pg-bin) has PostgreSQL {found_major}, "
                    f"and a backup restores only into its own major version; install it: "
                    f"{install}"
                ]
            )
        directory: Path | None = pg_bin
    else:
        directory = next(
            (d for d in _candidates(major) if _has(d, POSTGRES_TOOLS) and _major_of(d) == major),
            None,
        )
    if directory is None:
        looked = ", ".join(str(d) for d in _candidates(major))
        raise MissingToolsError(
            [
                f"PostgreSQL {major}: {', '.join(POSTGRES_TOOLS)} not found (looked in "
                f"{looked}); install it: {install}"
            ]
        )
    share = _share_dir(directory, major)
    if postgis and not (share / "extension" / "postgis.control").is_file():
        raise MissingToolsError(
            [
                f"PostGIS for PostgreSQL {major}: postgis.control not found in "
                f"{share / 'extension'}; install it: apt-get install postgresql-{major}-postgis-3"
            ]
        )
    return Tools(tools.barman_bin, directory, share)


def find_tools(barman_bin: Path | None) -> Tools:
    """The barman-cloud programs `backups list` runs."""
    return find_barman(barman_bin, LIST_TOOLS)
