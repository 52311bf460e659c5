"""Install, upgrade or uninstall the CloudNativePG operator with the real helm binary.

With a progress callback, an install or upgrade is not silent: a line when helm
starts, one per status of the release's newest revision as helm records it
(followed by watch, see helm_progress.py), a line every half minute while nothing
changes, and the summary."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .errors import ClusterError, ToolMissingError

if TYPE_CHECKING:
    from lightkube import Client

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

    @property
    def where(self) -> str:
        return f"{self.namespace}/{self.release}"

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
        argv += _cluster_args(kubeconfig, context)
        if dry_run:
            argv.append("--dry-run=server")
        return argv

    def uninstall_argv(
        self, helm: str, *, kubeconfig: Path | None, context: str | None, dry_run: bool
    ) -> list[str]:
        argv = [helm, "uninstall", self.release, "--namespace", self.namespace]
        if self.wait:
            argv.append("--wait")
        argv += ["--timeout", f"{self.timeout_seconds}s"]
        argv += _cluster_args(kubeconfig, context)
        if dry_run:
            argv.append("--dry-run")
        return argv


def _cluster_args(kubeconfig: Path | None, context: str | None) -> list[str]:
    argv = []
    if kubeconfig is not None:
        argv += ["--kubeconfig", str(kubeconfig)]
    if context:
        argv += ["--kube-context", context]
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
    progress: Callable[[str], None] | None = None,
    client: Client | None = None,
) -> str:
    """Run helm upgrade --install; return a one-line summary of what it did.

    With progress, report what helm is doing while it runs; with client too, follow
    the release's records on the cluster client points at."""
    binary = find_helm(helm)
    # Bounded by helm's own --timeout, plus time to fetch the chart.
    limit = release.timeout_seconds + 300
    with tempfile.TemporaryDirectory(prefix="wildside-cnpg-helm-") as tmp:
        files = []
        for index, values in enumerate(release.values):
            path = Path(tmp) / f"values-{index}.yaml"
            path.write_text(yaml.safe_dump(dict(values), sort_keys=True))
            path.chmod(0o600)
            files.append(path)
        argv = release.argv(binary, files, kubeconfig=kubeconfig, context=context, dry_run=dry_run)
        if progress is None:
            code, stdout, stderr = _run(argv, limit, f"helm upgrade --install {release.release}")
        else:
            from .helm_progress import run_with_progress

            code, stdout, stderr = run_with_progress(
                argv, release, limit=limit, dry_run=dry_run, progress=progress, client=client
            )
    if code != 0:
        detail = stderr.strip() or stdout.strip()
        raise ClusterError(f"helm upgrade --install {release.release} failed: {detail}")
    what = f"chart {release.chart} {release.version}"
    if dry_run:
        return (
            f"would install or upgrade Helm release {release.where} ({what}; helm --dry-run=server)"
        )
    return f"installed or upgraded Helm release {release.where} ({what})"


def uninstall(
    release: HelmRelease,
    *,
    kubeconfig: Path | None,
    context: str | None,
    dry_run: bool,
    helm: str = "helm",
) -> str:
    """Run helm uninstall; return a one-line summary."""
    binary = find_helm(helm)
    argv = release.uninstall_argv(binary, kubeconfig=kubeconfig, context=context, dry_run=dry_run)
    code, stdout, stderr = _run(
        argv, release.timeout_seconds + 60, f"helm uninstall {release.release}"
    )
    if code != 0:
        detail = stderr.strip() or stdout.strip()
        raise ClusterError(f"helm uninstall {release.release} failed: {detail}")
    if dry_run:
        return f"would uninstall Helm release {release.where} (helm uninstall --dry-run)"
    return f"uninstalled Helm release {release.where}"


def _run(argv: list[str], limit: int, what: str) -> tuple[int, str, str]:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=limit)
    except subprocess.TimeoutExpired as exc:
        raise ClusterError(f"{what} did not finish in {limit}s") from exc
    return done.returncode, done.stdout, done.stderr
