"""`wildside-cnpg policy DIR` on a GitOps repository that holds more than the
rendered tree: a Helm chart, an unrelated application and a kustomization of the
user's that lists both the rendered tree and the application."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests import layout
from tests.policy.expected import superuser_warning
from wildside_cnpg import Inputs, Module
from wildside_cnpg.cli import main

SUPERUSER_WARN = superuser_warning("databases", "wildside-pg")
RENDERED = len(Module().render())
ARGUMENTS_B = {"cluster_name": "pg-b", "cluster_namespace": "ns-b", "operator_install": "shared"}
APP_NAMESPACE_DENY = (
    "Namespace/web: metadata.annotations: expected kustomize.toolkit.fluxcd.io/prune: "
    "disabled, so that Flux never deletes it (and with it every database in it) when it "
    "leaves the tree or its Kustomization is deleted"
)
CHART_NOTES = [
    "skipped charts/web/Chart.yaml: not Kubernetes YAML (no document has apiVersion and kind)",
    "skipped charts/web/templates/deployment.yaml: not Kubernetes YAML (a Helm chart's template)",
    "skipped charts/web/templates/service.yaml: not Kubernetes YAML (a Helm chart's template)",
    "skipped charts/web/values.yaml: not Kubernetes YAML (no document has apiVersion and kind)",
]


def _write(root: Path, path: str, text: str) -> None:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


@pytest.fixture
def repository(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A checkout: the rendered tree (with its ownership record), a Helm chart, an
    unrelated app whose Namespace the policies would deny, and the user's cluster
    kustomization listing the operator, the cluster unit and the app."""
    assert main(["render", "--out", str(tmp_path), "--set", "enable_superuser_access=true"]) == 0
    capsys.readouterr()
    _write(tmp_path, "charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\n")
    _write(tmp_path, "charts/web/values.yaml", "replicas: 2\nimage: nginx\n")
    _write(
        tmp_path,
        "charts/web/templates/deployment.yaml",
        "{{- if .Values.replicas }}\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
        "  name: {{ .Values.x }}\nspec:\n  replicas: {{ .Values.replicas }}\n{{- end }}\n",
    )
    _write(
        tmp_path,
        "charts/web/templates/service.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Values.x }}\n",
    )
    _write(
        tmp_path,
        "apps/web/namespace.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n",
    )
    # Template markup outside a chart: skipped because it does not parse.
    _write(tmp_path, "deploy/job.yaml", "{{- if .Values.job }}\nkind: Job\n{{- end }}\n")
    _write(tmp_path, "apps/web/kustomization.yaml", "resources:\n- namespace.yaml\n")
    _write(
        tmp_path,
        "clusters/prod/kustomization.yaml",
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n"
        f"- ../../{layout.OPERATOR_UNIT}\n- ../../{layout.unit()}\n- ../../apps/web\n"
        "- flux-system.yaml\n",
    )
    _write(
        tmp_path,
        "clusters/prod/flux-system.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: flux-system\n",
    )
    _write(tmp_path, "clusters/prod/notes.yaml", "owner: team-a\n")
    return tmp_path


def test_owned_files_and_the_kustomization_listing_them(
    repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The chart and the app are never read; the user's kustomization is checked
    # (what it lists is there), and the note beside it is skipped with a note.
    assert main(["policy", str(repository)]) == 0
    captured = capsys.readouterr()
    assert captured.out == (
        f"warn  C15  {SUPERUSER_WARN}\n"
        f"{repository}: 0 deny, 1 warn ({RENDERED + 1} files checked)\n"
    )
    assert captured.err == (
        "skipped clusters/prod/notes.yaml: not Kubernetes YAML "
        "(no document has apiVersion and kind)\n"
    )


def test_a_manifest_beside_the_users_kustomization_must_be_listed(
    repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(repository, "clusters/prod/extra.yaml", "apiVersion: v1\nkind: ConfigMap\n")
    _write(
        repository,
        "clusters/prod/kustomization.yaml",
        f"resources:\n- ../../{layout.OPERATOR_UNIT}\n- ../../apps/missing\n- flux-system.yaml\n",
    )
    assert main(["policy", str(repository), "-o", "json"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out) == {
        "deny": [
            {
                "rule": "T1",
                "file": "clusters/prod/kustomization.yaml",
                "object": None,
                "msg": "clusters/prod/kustomization.yaml: resources: does not list extra.yaml, "
                "a manifest in its directory",
            },
            {
                "rule": "T2",
                "file": "clusters/prod/kustomization.yaml",
                "object": None,
                "msg": "clusters/prod/kustomization.yaml: resources: lists ../../apps/missing, "
                "which is not in the tree",
            },
        ],
        "warn": [
            {
                "rule": "C15",
                "file": layout.cluster_file(),
                "object": "Cluster/databases/wildside-pg",
                "msg": SUPERUSER_WARN,
            }
        ],
        "files": RENDERED + 1,
        "skipped": [
            {
                "path": "clusters/prod/notes.yaml",
                "reason": "not Kubernetes YAML (no document has apiVersion and kind)",
            }
        ],
        "exceptions": [],
    }


def test_a_finding_in_an_owned_file_is_reported(
    repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cluster = repository / layout.cluster_file()
    cluster.write_text(
        cluster.read_text(encoding="utf-8")
        + "---\n"
        + (
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: kube-system\n"
            "  annotations:\n    kustomize.toolkit.fluxcd.io/prune: disabled\n"
        ),
        encoding="utf-8",
    )
    assert main(["policy", str(repository)]) == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        "deny  F2  Namespace/kube-system: the tree must not create (and so own) a Kubernetes or "
        "Flux namespace; use it without a Namespace document"
    )


def test_without_an_ownership_record_every_kubernetes_file_is_checked(
    repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repository / ".wildside-cnpg-owned.json").unlink()
    assert main(["policy", str(repository)]) == 1
    captured = capsys.readouterr()
    assert captured.out == (
        "deny  F1  Namespace/flux-system: metadata.annotations: expected "
        "kustomize.toolkit.fluxcd.io/prune: disabled, so that Flux never deletes it (and with "
        "it every database in it) when it leaves the tree or its Kustomization is deleted\n"
        "deny  F2  Namespace/flux-system: the tree must not create (and so own) a Kubernetes or "
        "Flux namespace; use it without a Namespace document\n"
        f"deny  F1  {APP_NAMESPACE_DENY}\n"
        f"warn  C15  {SUPERUSER_WARN}\n"
        f"{repository}: 3 deny, 1 warn ({RENDERED + 4} files checked)\n"
    )
    assert captured.err.splitlines() == sorted(
        [
            *CHART_NOTES,
            "skipped deploy/job.yaml: not Kubernetes YAML (template markup {{ }})",
            "skipped clusters/prod/notes.yaml: not Kubernetes YAML "
            "(no document has apiVersion and kind)",
        ]
    )


def test_ignore_globs(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repository / ".wildside-cnpg-owned.json").unlink()
    # A directory's name, or a glob over the paths under it ('*' crosses '/').
    arguments = ["--ignore", "apps", "--ignore", "clusters/*", "--ignore", "charts/web/t*"]
    arguments += ["--ignore", "*/job.yaml"]
    assert main(["policy", str(repository), *arguments]) == 0
    captured = capsys.readouterr()
    assert captured.out == (
        f"warn  C15  {SUPERUSER_WARN}\n{repository}: 0 deny, 1 warn ({RENDERED} files checked)\n"
    )
    assert captured.err == f"{CHART_NOTES[0]}\n{CHART_NOTES[3]}\n"


def test_ignore_applies_to_owned_files_too(
    repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Leaving out an owned directory leaves the kustomization listing it naming a
    # path that is no longer in the checked tree.
    assert main(["policy", str(repository), "--ignore", f"{layout.OPERATOR_UNIT}*"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        "deny  T2  clusters/prod/kustomization.yaml: resources: lists "
        f"../../{layout.OPERATOR_UNIT}, which is not in the tree"
    )
    operator = [path for path in Module().render() if path.startswith(layout.OPERATOR_UNIT)]
    assert len(lines) == 3
    assert lines[-1] == (
        f"{repository}: 1 deny, 1 warn ({RENDERED + 1 - len(operator)} files checked)"
    )


def test_ignore_goes_with_a_directory(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", "--ignore", "charts"]) == 2
    assert capsys.readouterr().err == "error: --ignore GLOB goes with DIR\n"


def test_every_owners_files_are_checked(
    repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A second cluster rendered into the same checkout, sharing the operator; its
    # storage size then removed by hand (C2).
    second = ["--set", "cluster_name=pg-b", "--set", "cluster_namespace=ns-b"]
    arguments = [*second, "--set", "operator_install=shared"]
    assert main(["render", "--out", str(repository), *arguments]) == 0
    capsys.readouterr()
    cluster = repository / layout.cluster_file("pg-b")
    text = cluster.read_text(encoding="utf-8")
    assert text.count("    size: 10Gi\n") == 1
    cluster.write_text(text.replace("    size: 10Gi\n", ""), encoding="utf-8")
    second_files = len(Module(Inputs(**ARGUMENTS_B)).render())
    assert main(["policy", str(repository)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "deny  C2  Cluster/ns-b/pg-b: spec.storage.size: not set",
        f"warn  C15  {SUPERUSER_WARN}",
        f"warn  C15  {superuser_warning('ns-b', 'pg-b')}",
        f"{repository}: 1 deny, 2 warn ({RENDERED + second_files + 1} files checked)",
    ]


def test_an_unreadable_ownership_record(
    repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repository / ".wildside-cnpg-owned.json").write_text("{", encoding="utf-8")
    assert main(["policy", str(repository)]) == 2
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == (
        "",
        f"error: {repository}/.wildside-cnpg-owned.json: unreadable ownership record (not "
        "JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)); "
        "restore it from version control\n",
    )


def test_a_checkout_reached_through_a_symbolic_link(
    repository: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path_factory.mktemp("link") / "gitops"
    link.symlink_to(repository)
    assert main(["policy", str(link)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"{link}: 0 deny, 1 warn ({RENDERED + 1} files checked)"
    )


def test_a_file_beside_the_users_kustomization_that_cannot_be_read(
    repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Not the tool's file and only passed by path: it is noted, not an error.
    _write(repository, "clusters/prod/big.yaml", "data: " + "x" * (8 << 20) + "\n")
    _write(repository, "clusters/prod/broken.yaml", "kind: [unclosed\n")
    # An unrelated kustomization that cannot be read: it might list the tool's files.
    _write(repository, "apps/api/kustomization.yaml", "resources: [a.yaml\n")
    assert main(["policy", str(repository)]) == 0
    assert capsys.readouterr().err.splitlines() == [
        "skipped apps/api/kustomization.yaml: not read (line 2, column 1: did not find "
        "expected ',' or ']' (while parsing a flow sequence))",
        "skipped clusters/prod/big.yaml: not read (larger than 8 MiB)",
        "skipped clusters/prod/broken.yaml: not read (line 2, column 1: did not find "
        "expected ',' or ']' (while parsing a flow sequence))",
        "skipped clusters/prod/notes.yaml: not Kubernetes YAML "
        "(no document has apiVersion and kind)",
    ]
    # Without the ownership record every file is checked, and a broken one is an error.
    (repository / ".wildside-cnpg-owned.json").unlink()
    arguments = ["--ignore", "clusters/prod/big.yaml", "--ignore", "apps/api"]
    assert main(["policy", str(repository), *arguments]) == 2
    assert capsys.readouterr().err == (
        "error: clusters/prod/broken.yaml: line 2, column 1: did not find expected ',' or ']' "
        "(while parsing a flow sequence)\n"
    )
