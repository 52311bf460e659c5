"""Fixtures of the conformance suite: the upstream CRDs (vendored in tests/data/crds,
see its SOURCES.txt), the validator, and the manifest tools the setup script installs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from wildside_cnpg.validation import CrdCatalog, Validator, load_crds
from wildside_cnpg.validation.cel import evaluate

from .cases import REPO
from .tools import Tools

SETUP = "scripts/setup/60-manifest-tools.sh"
KUBECONFORM_VERSION = "v0.7.0"
KUSTOMIZE_VERSION = "v5.8.2"


def _cache() -> Path:
    default = Path.home() / ".cache" / "wildside-cnpg"
    return Path(os.environ.get("WILDSIDE_CNPG_CACHE", default))


@pytest.fixture(scope="session")
def crds_dir() -> Path:
    path = (REPO / "tests" / "data" / "crds").resolve()
    if not (path / "SOURCES.txt").is_file():
        pytest.fail(f"vendored upstream CRDs missing: expected {path}")
    return path


@pytest.fixture(scope="session")
def catalog(crds_dir: Path) -> CrdCatalog:
    return load_crds(crds_dir)


@pytest.fixture(scope="session")
def validator(catalog: CrdCatalog) -> Validator:
    # cel-python raises the recursion limit when its environment is created: do that
    # once here, not inside a hypothesis test (which warns about it).
    assert evaluate("self == true", True) == (True, "")
    return Validator(catalog)


def _tool(name: str, version: str) -> Path:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} not on PATH: run the suite through scripts/test.sh ({SETUP})")
    stamp = Path(found).parent / f".{name}.version"
    installed = stamp.read_text().strip() if stamp.is_file() else "unknown"
    if installed != version:
        pytest.fail(f"{found} is {installed}, the suite pins {version}: rerun {SETUP}")
    return Path(found)


@pytest.fixture(scope="session")
def tools(crds_dir: Path) -> Tools:
    schemas = _cache() / "kubeconform-schemas"
    # A no-op when the setup script already generated them from these CRDs.
    subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "kubeconform_schemas.py"),
            "--crds",
            str(crds_dir),
            "--out",
            str(schemas),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return Tools(
        kubeconform=_tool("kubeconform", KUBECONFORM_VERSION),
        kustomize=_tool("kustomize", KUSTOMIZE_VERSION),
        schemas=schemas,
    )
