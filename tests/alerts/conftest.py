"""promtool as scripts/setup/75-promtool.sh installs it (a missing binary fails)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SETUP = "scripts/setup/75-promtool.sh"
MODULE_VERSION = "v0.316.0"  # Prometheus 3.16.0


@pytest.fixture(scope="session")
def promtool() -> Path:
    cache = Path(os.environ.get("WILDSIDE_CNPG_CACHE", Path.home() / ".cache/wildside-cnpg"))
    path = Path(shutil.which("promtool") or cache / "bin" / "promtool")
    assert path.is_file(), f"promtool not installed at {path}: run {SETUP}"
    built = subprocess.run(
        ["go", "version", "-m", str(path)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert f"github.com/prometheus/prometheus\t{MODULE_VERSION}" in built, (
        f"{path} is not promtool {MODULE_VERSION}: rerun {SETUP}"
    )
    return path
