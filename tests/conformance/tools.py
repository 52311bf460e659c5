"""Running kubeconform and kustomize on a tree written to disk."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wildside_cnpg.validation import DEFAULT_KUBERNETES_VERSIONS
from wildside_cnpg.yamlio import load_all_yaml_text

KUSTOMIZATION = "kustomization.yaml"


def write_tree(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def manifest_files(root: Path) -> list[str]:
    """Every YAML file except kustomize's own build files, relative to root."""
    return sorted(
        p.relative_to(root).as_posix() for p in root.rglob("*.yaml") if p.name != KUSTOMIZATION
    )


@dataclass(frozen=True)
class Tools:
    kubeconform: Path
    kustomize: Path
    schemas: Path

    def kubeconform_summaries(self, root: Path) -> dict[str, dict[str, Any]]:
        """`kubeconform -strict` over the tree's manifests, once per supported
        Kubernetes version: version -> {"summary": ..., "resources": [...]}."""
        results: dict[str, dict[str, Any]] = {}
        for version in DEFAULT_KUBERNETES_VERSIONS:
            completed = subprocess.run(
                [
                    str(self.kubeconform),
                    "-strict",
                    "-summary",
                    "-output",
                    "json",
                    "-kubernetes-version",
                    f"{version}.0",
                    "-schema-location",
                    str(self.schemas),
                    "-schema-location",
                    f"{self.schemas}/crds/{{{{ .Group }}}}/{{{{ .ResourceKind }}}}_"
                    "{{ .ResourceAPIVersion }}.json",
                    *manifest_files(root),
                ],
                cwd=root,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            report = json.loads(completed.stdout)
            report["returncode"] = completed.returncode
            results[version] = report
        return results

    def kustomize_build(self, directory: Path) -> list[Any]:
        completed = subprocess.run(
            [
                str(self.kustomize),
                "build",
                "--load-restrictor",
                "LoadRestrictionsNone",
                str(directory),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert completed.returncode == 0, completed.stderr
        return load_all_yaml_text(completed.stdout)
