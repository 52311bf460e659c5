"""The wheel, installed as a user installs it: the base install renders, checks
policies and prints outputs and the schema with pydantic, PyYAML and wasmtime only;
`apply` and `validate` name the extra they need; `validate` then works with the
CRDs and Kubernetes schemas the wheel carries."""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

import pytest

from wildside_cnpg.validation import shipped_crds_directory
from wildside_cnpg.validation.core import shipped_versions

from .checkout import REPO, run

# What must never come with the base install: the extras' packages and what they pull.
NOT_IN_BASE = {
    "lightkube",
    "lightkube-models",
    "cel-python",
    "openapi-schema-validator",
    "jsonschema",
    "kubernetes-validate",
    "httpx",
}
CORE_KINDS = [
    "configmap-v1.json",
    "namespace-v1.json",
    "poddisruptionbudget-policy-v1.json",
    "secret-v1.json",
    "service-v1.json",
    "serviceaccount-v1.json",
]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), "."], REPO)
    (found,) = out.glob("wildside_cnpg-*.whl")
    return found


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Path:
    """A fresh virtualenv with the wheel installed, no extras; its bin directory."""
    venv = tmp_path_factory.mktemp("base") / "venv"
    run([sys.executable, "-m", "venv", str(venv)], REPO)
    run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)], REPO)
    return venv / "bin"


def cli(bin_dir: Path, *argv: str) -> tuple[int, str, str]:
    result = run([str(bin_dir / "wildside-cnpg"), *argv], cwd=bin_dir, check=False)
    return result.returncode, result.stdout, result.stderr


def test_wheel_carries_the_crds_and_core_schemas(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    crds = sorted(p.name for p in shipped_crds_directory().glob("*.yaml"))
    assert len(crds) == 23
    for name in [*crds, "SOURCES.txt"]:
        assert f"wildside_cnpg/data/crds/{name}" in names
    assert shipped_versions() == ("1.34", "1.35", "1.36")
    for version in shipped_versions():
        for kind in CORE_KINDS:
            assert f"wildside_cnpg/data/kubernetes/v{version}/{kind}" in names
    for notice in ("LICENSE-Apache-2.0", "kubernetes/LICENSE", "kubernetes/SOURCES.txt"):
        assert f"wildside_cnpg/data/{notice}" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)


def test_base_install_holds_no_extra(base: Path) -> None:
    listed = run([str(base / "python"), "-m", "pip", "list", "--format", "json"], base).stdout
    installed = {entry["name"].lower() for entry in json.loads(listed)}
    assert {"wildside-cnpg", "pydantic", "pyyaml", "wasmtime"} <= installed
    assert "regopy" not in installed
    assert installed & NOT_IN_BASE == set()


@pytest.mark.parametrize(
    "argv",
    [
        ["render", "--stdout"],
        ["outputs", "-o", "json"],
        ["policy"],
        ["schema"],
        ["init", "-"],
        ["completion", "bash"],
    ],
)
def test_base_commands_work(base: Path, argv: list[str]) -> None:
    code, out, err = cli(base, *argv)
    # The defaults keep the superuser's network login, and a render says so.
    expected_err = SUPERUSER_WARNING if argv[0] == "render" else ""
    assert (code, err) == (0, expected_err)
    assert out


SUPERUSER_WARNING = (
    "warning: C15 Cluster/databases/wildside-pg: spec.enableSuperuserAccess: true lets the "
    "postgres superuser log in with a password over the network; CloudNativePG's default "
    "is false (administer with managed roles, or kubectl cnpg psql)\n"
)


def test_commands_with_extras_say_which_to_install(base: Path) -> None:
    assert cli(base, "apply", "--dry-run=server") == (
        5,
        "",
        "error: apply needs the 'apply' extra (not installed: lightkube): "
        "pip install 'wildside-cnpg[apply]'\n",
    )
    assert cli(base, "validate") == (
        5,
        "",
        "error: validate needs the 'validate' extra (not installed: openapi-schema-validator, "
        "jsonschema, cel-python): pip install 'wildside-cnpg[validate]'\n",
    )


def test_installing_the_named_extra_makes_validate_work(
    tmp_path_factory: pytest.TempPathFactory, wheel: Path
) -> None:
    """What the message says works over an installed wheel (pip reads the installed
    distribution's extras and installs only what they add)."""
    venv = tmp_path_factory.mktemp("validate") / "venv"
    run([sys.executable, "-m", "venv", str(venv)], REPO)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    run([*pip, str(wheel)], REPO)
    run([*pip, "wildside-cnpg[validate]"], REPO)
    code, out, err = cli(venv / "bin", "validate")
    assert (code, err) == (0, "")
    assert out == (
        "7 documents checked against 23 CRD versions and Kubernetes 1.34, 1.35, 1.36: "
        "0 problem(s); CEL rules: 7 evaluated, 0 skipped; 6 document(s) that are not "
        "Kubernetes objects (kustomization.yaml and the like) ignored\n"
    )
