"""`wildside-cnpg render --stdout | kubectl ... -f -` with a real kubectl (built by
scripts/setup/40-kube.sh at the API server's version) against the test API server,
for every golden case: the stream is what kubectl reads, in an order it can apply."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from kube_harness import CACHE, ControlPlane, suffix
from tests.golden.cases import CASES

from wildside_cnpg import Inputs, Module
from wildside_cnpg.stream import object_stream
from wildside_cnpg.yamlio import load_all_yaml_text

KUBE_VERSION = "v1.36.3"
TIMEOUT = 120
CLI = Path(sys.executable).with_name("wildside-cnpg")


def _kubectl() -> str:
    found = shutil.which("kubectl", path=str(CACHE / "bin")) or shutil.which("kubectl")
    if found is None:
        pytest.fail("kubectl is not installed: run scripts/setup/40-kube.sh (scripts/test.sh does)")
    return found


def _inputs(tmp_path: Path, case: dict[str, Any], **extra: Any) -> tuple[Path, Inputs]:
    tag = suffix()
    values = {
        **case,
        "cluster_namespace": f"db-{tag}",
        "operator_namespace": f"op-{tag}",
        "flux_namespace": f"flux-{tag}",
        **extra,
    }
    path = tmp_path / f"inputs-{tag}.yaml"
    path.write_text(yaml.safe_dump(values))
    return path, Inputs.from_mapping(values)


def pipe(plane: ControlPlane, inputs: Path, *kubectl_args: str) -> subprocess.CompletedProcess[str]:
    """`wildside-cnpg render --stdout -i INPUTS | kubectl ARGS -f -`, both real processes."""
    render = subprocess.Popen(
        [str(CLI), "render", "--stdout", "-i", str(inputs)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert render.stdout is not None
    try:
        result = subprocess.run(
            [
                _kubectl(),
                "--kubeconfig",
                str(plane.kubeconfig),
                "--context",
                plane.context,
                *kubectl_args,
                "-f",
                "-",
            ],
            stdin=render.stdout,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            env={**os.environ, "KUBECTL_EXTERNAL_DIFF": "diff -u -N"},
            check=False,
        )
    finally:
        render.stdout.close()
        _, render_err = render.communicate(timeout=TIMEOUT)
    assert render.returncode == 0, render_err.decode()
    return result


def kubectl(plane: ControlPlane, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_kubectl(), "--kubeconfig", str(plane.kubeconfig), "--context", plane.context, *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def _names(inputs: Inputs) -> list[str]:
    """`kind.group/name` of every object of the stream, in its order, as kubectl -o name
    prints them."""
    names = []
    for obj in load_all_yaml_text(object_stream(Module(inputs))):
        group = obj["apiVersion"].rpartition("/")[0]
        kind = obj["kind"].lower() + (f".{group}" if group else "")
        names.append(f"{kind}/{obj['metadata']['name']}")
    return names


def test_kubectl_is_the_api_servers_version(control_plane: ControlPlane) -> None:
    client = subprocess.run(
        [_kubectl(), "version", "--client", "-o", "yaml"],
        capture_output=True,
        text=True,
        check=True,
        timeout=TIMEOUT,
    )
    assert yaml.safe_load(client.stdout)["clientVersion"]["gitVersion"] == KUBE_VERSION
    server = kubectl(control_plane, "version", "-o", "yaml")
    assert server.returncode == 0, server.stderr
    assert yaml.safe_load(server.stdout)["serverVersion"]["gitVersion"] == KUBE_VERSION


@pytest.mark.parametrize("case", sorted(CASES))
def test_stream_server_side_dry_run_then_apply_then_diff(
    case: str, control_plane: ControlPlane, tmp_path: Path
) -> None:
    path, inputs = _inputs(tmp_path, CASES[case])
    for namespace in (inputs.flux_namespace, inputs.operator_namespace, inputs.cluster_namespace):
        created = kubectl(control_plane, "create", "namespace", namespace)
        assert created.returncode == 0, created.stderr

    dry = pipe(control_plane, path, "apply", "--server-side", "--dry-run=server", "-o", "name")
    assert (dry.returncode, dry.stderr) == (0, "")
    assert dry.stdout.splitlines() == _names(inputs)
    # Nothing was created by the dry run: diff sees every object as new (exit 1).
    before = pipe(control_plane, path, "diff", "--server-side")
    assert before.returncode == 1, before.stderr
    assert before.stderr == ""

    applied = pipe(control_plane, path, "apply", "--server-side", "-o", "name")
    assert (applied.returncode, applied.stderr) == (0, "")
    after = pipe(control_plane, path, "diff", "--server-side")
    assert (after.returncode, after.stdout, after.stderr) == (0, "", "")


def test_diff_shows_a_changed_input(control_plane: ControlPlane, tmp_path: Path) -> None:
    path, inputs = _inputs(tmp_path, {})
    created = kubectl(control_plane, "create", "namespace", inputs.flux_namespace)
    assert created.returncode == 0, created.stderr
    # The stream puts the namespaces first, so one apply creates them and their objects.
    applied = pipe(control_plane, path, "apply", "--server-side")
    assert (applied.returncode, applied.stderr) == (0, "")

    changed = tmp_path / "changed.yaml"
    changed.write_text(yaml.safe_dump({**yaml.safe_load(path.read_text()), "instances": 5}))
    diff = pipe(control_plane, changed, "diff", "--server-side")
    assert diff.returncode == 1, diff.stderr
    assert diff.stderr == ""
    assert "-  instances: 3\n+  instances: 5\n" in diff.stdout
    assert "-  enablePDB: true\n" not in diff.stdout
