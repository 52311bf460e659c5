"""Install or upgrade the CloudNativePG operator with the real helm binary."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ClusterError, ToolMissingError

HELM_INSTALL_HINT = (
    "helm is not installed (or not on PATH): install Helm 3 "
    "(`go install helm.sh/helm/v3/cmd/helm@v3.21.4`, or your package manager's helm), "
    "or pass --skip-operator when the operator is managed elsewhere"
)


@dataclass(frozen=True)
class HelmRelease:
    """One `helm upgrade --install`: what to install, where, and how long to wait.

    repository: an https:// chart repository (passed as --repo), an oci://
    registry path (the chart is <repository>/<chart>), or empty when chart is
    itself a reference helm understands (a local directory or archive).
    """

    release: str
    namespace: str
    chart: str
    version: str
    repository: str = ""
    values: Sequence[Mapping[str, Any]] = field(default_factory=tuple)
    wait: bool = True
    timeout_seconds: int = 600

    def chart_args(self) -> list[str]:
        if self.repository.startswith("oci://"):
            return [f"{self.repository.rstrip('/')}/{self.chart}"]
        if self.repository:
            return [self.chart, "--repo", self.repository]
        return [self.chart]

    def argv(
        self,
        helm: str,
        values_files: Sequence[Path],
        *,
        kubeconfig: Path | None,
        context: str | None,
        dry_run: bool,
    ) -> list[str]:
        argv = [helm, "upgrade", "--install", self.release, *self.chart_args()]
        argv += ["--version", self.version, "--namespace", self.namespace]
        for path in values_files:
            argv += ["--values", str(path)]
        if self.wait:
            argv.append("--wait")
        argv += ["--timeout", f"{self.timeout_seconds}s"]
        if kubeconfig is not None:
            argv += ["--kubeconfig", str(kubeconfig)]
        if context:
            argv += ["--kube-context", context]
        if dry_run:
            argv.append("--dry-run=server")
        return argv


def find_helm(name: str = "helm") -> str:
    found = shutil.which(name)
    if found is None:
        raise ToolMissingError(HELM_INSTALL_HINT)
    return found


def upgrade_install(
    release: HelmRelease,
    *,
    kubeconfig: Path | None,
    context: str | None,
    dry_run: bool,
    helm: str = "helm",
) -> str:
    """Run helm upgrade --install; return a one-line summary of what it did."""
    binary = find_helm(helm)
    with tempfile.TemporaryDirectory(prefix="wildside-cnpg-helm-") as tmp:
        files = []
        for index, values in enumerate(release.values):
            path = Path(tmp) / f"values-{index}.yaml"
            path.write_text(yaml.safe_dump(dict(values), sort_keys=True))
            path.chmod(0o600)
            files.append(path)
        argv = release.argv(binary, files, kubeconfig=kubeconfig, context=context, dry_run=dry_run)
        # Bounded by helm's own --timeout, plus time to fetch the chart.
        try:
            done = subprocess.run(
                argv,
                capture_output=True,
                text=True,
                check=False,
                timeout=release.timeout_seconds + 300,
            )
        except subprocess.TimeoutExpired as exc:
            raise ClusterError(
                f"helm upgrade --install {release.release} did not finish in "
                f"{release.timeout_seconds + 300}s"
            ) from exc
    if done.returncode != 0:
        detail = done.stderr.strip() or done.stdout.strip()
        raise ClusterError(f"helm upgrade --install {release.release} failed: {detail}")
    where = f"{release.namespace}/{release.release}"
    what = f"chart {release.chart} {release.version}"
    if dry_run:
        return f"would install or upgrade Helm release {where} ({what}; helm --dry-run=server)"
    return f"installed or upgraded Helm release {where} ({what})"
