"""Running the real OpenTofu (built by scripts/setup/80-opentofu.sh) on copies of
the repository's OpenTofu roots, offline: the external provider is installed from
the cache's plugin directory, never from a registry."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[3]
SETUP = "scripts/setup/80-opentofu.sh"
TOFU_VERSION = "1.12.6"
CACHE = Path(os.environ.get("WILDSIDE_CNPG_CACHE", Path.home() / ".cache" / "wildside-cnpg"))
# Generous bounds: a plan runs the tool once (well under a second here).
TIMEOUT = 300


def tool_command() -> list[str]:
    """This checkout's wildside-cnpg, next to the interpreter running the tests."""
    script = Path(sys.executable).parent / "wildside-cnpg"
    if not script.is_file():
        pytest.fail(f"{script} is missing: install the package (scripts/venv.sh test)")
    return [str(script)]


def run_tool(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*tool_command(), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def tool_outputs(*args: str) -> dict[str, Any]:
    result = run_tool("outputs", "--json", *args)
    assert result.returncode == 0, result.stderr
    value: dict[str, Any] = json.loads(result.stdout)
    return value


@dataclass(frozen=True)
class Tofu:
    binary: Path
    plugins: Path
    home: Path

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "TOFU_"))}
        config = self.home / "tofurc"
        config.touch()  # an empty CLI configuration: nothing from the machine's own
        env.update(
            TF_CLI_CONFIG_FILE=str(config),
            TF_IN_AUTOMATION="1",
            TF_INPUT="0",
            CHECKPOINT_DISABLE="1",
            TF_VAR_wildside_cnpg_command=json.dumps(tool_command()),
        )
        return env

    def run(
        self, root: Path, *args: str, stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.binary), *args],
            input=stdin,
            cwd=root,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )

    def ok(self, root: Path, *args: str) -> str:
        result = self.run(root, *args)
        assert result.returncode == 0, f"tofu {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def init(self, root: Path) -> None:
        self.ok(root, "init", "-no-color", f"-plugin-dir={self.plugins}")

    def apply(self, root: Path) -> None:
        self.init(root)
        self.ok(root, "apply", "-auto-approve", "-no-color")

    def outputs(self, root: Path) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self.ok(root, "output", "-json"))
        return value

    def failed_plan(self, root: Path) -> tuple[list[dict[str, Any]], str]:
        """The error diagnostics of a plan that must fail, and everything it printed."""
        self.init(root)
        result = self.run(root, "plan", "-json", "-no-color")
        assert result.returncode == 1, f"plan did not fail:\n{result.stdout}\n{result.stderr}"
        messages = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
        errors = [
            m["diagnostic"]
            for m in messages
            if m.get("type") == "diagnostic" and m["diagnostic"]["severity"] == "error"
        ]
        return errors, result.stdout + result.stderr


def find_tofu(home: Path) -> Tofu:
    binary = CACHE / "opentofu" / "tofu"
    plugins = CACHE / "opentofu" / "plugins"
    provider = plugins / "registry.opentofu.org" / "hashicorp" / "external" / "2.4.0"
    if not binary.is_file() or not provider.is_dir():
        pytest.fail(f"OpenTofu or the external provider is not built: run {SETUP} (make test does)")
    tofu = Tofu(binary, plugins, home)
    version = json.loads(tofu.ok(home, "version", "-json"))["terraform_version"]
    if version != TOFU_VERSION:
        pytest.fail(f"{binary} is OpenTofu {version}, the tests pin {TOFU_VERSION}: rerun {SETUP}")
    return tofu


def copy_opentofu_tree(destination: Path) -> Path:
    """The repository's opentofu/ directory, without anything a local run left."""
    target = destination / "opentofu"
    shutil.copytree(
        REPO / "opentofu",
        target,
        ignore=shutil.ignore_patterns(".terraform", ".terraform.lock.hcl", "*.tfstate*"),
    )
    return target


def write_root(directory: Path, module_arguments: str) -> Path:
    """A root module next to the examples that calls the module with these arguments."""
    directory.mkdir(parents=True)
    (directory / "main.tf").write_text(
        'variable "wildside_cnpg_command" {\n  type = list(string)\n}\n\n'
        'module "cnpg" {\n  source                = "../../modules/cnpg"\n'
        "  wildside_cnpg_command = var.wildside_cnpg_command\n"
        f"{module_arguments}}}\n",
        encoding="utf-8",
    )
    return directory
