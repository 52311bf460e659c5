"""An API server's message that quotes a secret, as apply mode shows it: each value
of the run's Secrets and sensitive inputs (as text or as base64) is <sensitive>.

The quoting is real: a ValidatingAdmissionPolicy (CEL) refuses the object and its
message quotes the Secret's values as the API server holds them (base64)."""

from __future__ import annotations

import base64
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from kube_harness import ControlPlane, on_cluster, suffix
from lightkube import ApiError, Client
from lightkube.models.meta_v1 import ObjectMeta
from lightkube.resources.admissionregistration_v1 import (
    ValidatingAdmissionPolicy,
    ValidatingAdmissionPolicyBinding,
)
from lightkube.resources.core_v1 import Namespace, Secret
from lightkube.resources.policy_v1 import PodDisruptionBudget
from lightkube.types import PatchType
from tests.cli import run
from tests.policy.expected import ACK

from wildside_cnpg import Inputs
from wildside_cnpg.apply import (
    ApplyConflictError,
    ApplyOptions,
    ApplyRejectedError,
    apply_plan,
    plan_for,
)
from wildside_cnpg.constants import PLAINTEXT_ACK_ANNOTATION

ACCESS_KEY_ID = "AKIAMASKINGEXAMPLE"
SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYMASKING"
SECRET = "wildside-pg-s3-credentials"
ENFORCE_TIMEOUT = 30.0


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


# Every form a value could be shown in: as typed, and as the API server holds it.
SHOWN_FORMS = (ACCESS_KEY_ID, SECRET_ACCESS_KEY, b64(ACCESS_KEY_ID), b64(SECRET_ACCESS_KEY))
SECRET_RULE = {"apiGroups": [""], "apiVersions": ["v1"], "resources": ["secrets"]}


def quote_keys(source: str) -> str:
    """A CEL message quoting both keys of `source` (object, or oldObject on a DELETE)."""
    return (
        f"'ACCESS_KEY_ID=' + string({source}.data.ACCESS_KEY_ID) + "
        f"' SECRET_ACCESS_KEY=' + string({source}.data.SECRET_ACCESS_KEY)"
    )


@dataclass
class Cluster:
    """The test API server, a namespace of the test's own (made beforehand: a dry
    run validates only in a namespace that exists) and the policies made in it."""

    plane: ControlPlane
    kube: Client
    namespace: str
    tmp_path: Path
    policies: list[str] = field(default_factory=list)

    def inputs(self, **values: Any) -> Path:
        """Inputs with plaintext S3 keys: apply creates the Secret holding them."""
        data = {
            "mode": "apply",
            "cluster_namespace": self.namespace,
            "create_namespaces": False,
            "operator_install": "external",
            "enable_superuser_access": False,
            "backup_enabled": True,
            "backup_method": "barman_cloud_plugin",
            "backup_destination_path": "s3://wildside-backups/pg",
            "backup_endpoint_url": "https://nyc3.digitaloceanspaces.com",
            "backup_s3_access_key_id": ACCESS_KEY_ID,
            "backup_s3_secret_access_key": SECRET_ACCESS_KEY,
            "backup_s3_inline_credentials_acknowledged": True,
            **values,
        }
        path = self.tmp_path / "inputs.yaml"
        path.write_text(yaml.safe_dump(data))
        return path

    def args(self, command: str, inputs: Path, *extra: str) -> list[str]:
        return on_cluster(self.plane, command, inputs, *extra)

    def options(self) -> ApplyOptions:
        return ApplyOptions(kubeconfig=self.plane.kubeconfig, context=self.plane.context)

    def policy(self, rule: dict[str, Any], message: str, **binding: Any) -> str:
        """A ValidatingAdmissionPolicy and its binding refusing what `rule` matches in
        the namespace, with `message` (CEL); `binding` adds to the binding's spec (a
        paramRef, with the policy's paramKind a Secret)."""
        name = f"quote-secret-{suffix()}"
        spec: dict[str, Any] = {
            "failurePolicy": "Fail",
            "matchConstraints": {
                "resourceRules": [rule],
                "namespaceSelector": {
                    "matchLabels": {"kubernetes.io/metadata.name": self.namespace}
                },
            },
            "validations": [{"expression": "false", "messageExpression": message}],
        }
        if "paramRef" in binding:
            spec["paramKind"] = {"apiVersion": "v1", "kind": "Secret"}
        self.policies.append(name)
        for resource, body in (
            (ValidatingAdmissionPolicy, spec),
            (
                ValidatingAdmissionPolicyBinding,
                {"policyName": name, "validationActions": ["Deny"], **binding},
            ),
        ):
            self.kube.patch(
                resource,
                name,
                {
                    "apiVersion": "admissionregistration.k8s.io/v1",
                    "kind": resource.__name__,
                    "metadata": {"name": name},
                    "spec": body,
                },
                patch_type=PatchType.APPLY,
                field_manager="wildside-cnpg-tests",
            )
        return name

    def refuse_secret_writes(self) -> str:
        """A policy refusing every Secret written in the namespace, quoting its keys."""
        name = self.policy(
            {**SECRET_RULE, "operations": ["CREATE", "UPDATE"]}, quote_keys("object")
        )
        probe = {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "probe", "namespace": self.namespace},
            "data": {"ACCESS_KEY_ID": b64("probe"), "SECRET_ACCESS_KEY": b64("probe")},
        }
        wait_enforced(
            name,
            lambda: self.kube.patch(
                Secret,
                "probe",
                probe,
                namespace=self.namespace,
                patch_type=PatchType.APPLY,
                field_manager="wildside-cnpg-tests",
                dry_run=True,
            ),
        )
        return name


@pytest.fixture
def cluster(control_plane: ControlPlane, kube: Client, tmp_path: Path) -> Iterator[Cluster]:
    namespace = f"db-{suffix()}"
    kube.create(Namespace(metadata=ObjectMeta(name=namespace)))
    made = Cluster(control_plane, kube, namespace, tmp_path)
    yield made
    for name in made.policies:
        kube.delete(ValidatingAdmissionPolicyBinding, name)
        kube.delete(ValidatingAdmissionPolicy, name)


def wait_enforced(policy: str, attempt: Callable[[], object]) -> None:
    """Until `attempt` (a dry run) is refused by `policy`: the API server takes up a
    new policy a moment after it is made."""
    deadline = time.monotonic() + ENFORCE_TIMEOUT
    while time.monotonic() < deadline:
        try:
            attempt()
        except ApiError as exc:
            if f"ValidatingAdmissionPolicy '{policy}'" in (exc.status.message or ""):
                return
            raise
        time.sleep(0.2)
    pytest.fail(f"{policy} not enforced after {ENFORCE_TIMEOUT}s")


def denial(policy: str) -> str:
    """The API server's message for the Secret the policy refuses, values masked."""
    return (
        f"secrets \"{SECRET}\" is forbidden: ValidatingAdmissionPolicy '{policy}' with binding "
        f"'{policy}' denied request: ACCESS_KEY_ID=<sensitive> SECRET_ACCESS_KEY=<sensitive>"
    )


def plaintext_warning(namespace: str) -> str:
    """The policies' warning on every apply of inline keys (E7), before anything is sent."""
    return (
        f"warning: E7 Secret/{namespace}/{SECRET}: stringData: plaintext credentials in the "
        f"Git tree (acknowledged by {ACK}); prefer an ExternalSecret"
    )


def assert_nowhere(*texts: str) -> None:
    for text in texts:
        for form in SHOWN_FORMS:
            assert form not in text


@pytest.mark.parametrize(
    ("extra", "verb"),
    [((), "rejected"), (("--dry-run=server",), "rejected (server-side dry run)")],
    ids=["apply", "dry-run"],
)
def test_a_refusal_quoting_the_secrets_values_shows_them_masked(
    cluster: Cluster, capsys: pytest.CaptureFixture[str], extra: tuple[str, ...], verb: str
) -> None:
    policy = cluster.refuse_secret_writes()
    ns = cluster.namespace

    code, out, err = run(capsys, *cluster.args("apply", cluster.inputs(), *extra))

    assert (code, out) == (2, "")
    assert err.splitlines() == [
        plaintext_warning(ns),
        f"error: Secret {ns}/{SECRET}: {verb} by the API server: {denial(policy)}",
    ]
    assert_nowhere(out, err)


def test_the_python_api_keeps_the_servers_answer_out_of_the_error(cluster: Cluster) -> None:
    """ApplyRejectedError's message and server_message are masked, and the API
    server's answer is not chained to it: a logged traceback shows no value either."""
    policy = cluster.refuse_secret_writes()
    values = yaml.safe_load(cluster.inputs().read_text())

    with pytest.raises(ApplyRejectedError) as caught:
        apply_plan(
            plan_for(Inputs.from_mapping(values)), cluster.options(), progress=lambda _: None
        )

    assert caught.value.server_message == denial(policy)
    assert caught.value.exit_code == 2
    assert_nowhere("".join(traceback.format_exception(caught.value)))


def test_a_conflict_naming_a_secret_shows_it_masked(
    cluster: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    """A conflict's causes are the API server's text too: a field manager named after
    a secret value is shown masked."""
    inputs = cluster.inputs()
    ns = cluster.namespace
    assert run(capsys, *cluster.args("apply", inputs))[0] == 0
    cluster.kube.patch(
        Secret,
        SECRET,
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {
                "name": SECRET,
                "namespace": ns,
                "annotations": {PLAINTEXT_ACK_ANNOTATION: "false"},
            },
        },
        namespace=ns,
        patch_type=PatchType.APPLY,
        field_manager=SECRET_ACCESS_KEY,
        force=True,
    )

    code, out, err = run(capsys, *cluster.args("apply", inputs))

    assert (code, out) == (3, "")
    assert err.splitlines() == [
        plaintext_warning(ns),
        f"error: Secret {ns}/{SECRET}: 1 field(s) owned by another field manager:",
        f"error:   .metadata.annotations.{PLAINTEXT_ACK_ANNOTATION}: owned by '<sensitive>'",
        "error: Rerun with --force-conflicts to take these fields over.",
    ]
    assert_nowhere(out, err)
    values = yaml.safe_load(inputs.read_text())
    with pytest.raises(ApplyConflictError) as caught:
        apply_plan(
            plan_for(Inputs.from_mapping(values)), cluster.options(), progress=lambda _: None
        )
    assert_nowhere("".join(traceback.format_exception(caught.value)))


def test_a_refused_prune_quoting_the_secret_shows_it_masked(
    cluster: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    """A policy that reads the S3 Secret (its parameter) refuses deleting disruption
    budgets, quoting the key: --prune deletes the primary's budget first."""
    ns = cluster.namespace
    assert run(capsys, *cluster.args("apply", cluster.inputs(pdb_enabled=True)))[0] == 0
    policy = cluster.policy(
        {
            "apiGroups": ["policy"],
            "apiVersions": ["v1"],
            "resources": ["poddisruptionbudgets"],
            "operations": ["DELETE"],
        },
        "'the backups still use ' + string(params.data.ACCESS_KEY_ID)",
        paramRef={"name": SECRET, "namespace": ns, "parameterNotFoundAction": "Deny"},
    )
    wait_enforced(
        policy,
        lambda: cluster.kube.delete(
            PodDisruptionBudget, "wildside-pg-pdb", namespace=ns, dry_run=True
        ),
    )

    code, out, err = run(
        capsys, *cluster.args("apply", cluster.inputs(pdb_enabled=False), "--prune")
    )

    assert code == 5
    assert out.splitlines() == [
        f"unchanged Secret {ns}/{SECRET}",
        f"unchanged ObjectStore {ns}/wildside-pg-object-store",
        f"configured Cluster {ns}/wildside-pg",
        "    spec.enablePDB: False -> True",
        f"unchanged ScheduledBackup {ns}/wildside-pg-backup",
    ]
    assert err.splitlines() == [
        plaintext_warning(ns),
        f"error: PodDisruptionBudget {ns}/wildside-pg-pdb-primary: cannot delete it: "
        'poddisruptionbudgets.policy "wildside-pg-pdb-primary" is forbidden: '
        f"ValidatingAdmissionPolicy '{policy}' with binding '{policy}' denied request: "
        "the backups still use <sensitive>",
    ]
    assert_nowhere(out, err)


def test_a_refused_uninstall_quoting_the_secret_shows_it_masked(
    cluster: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    """A policy refusing the Secret's deletion quotes the keys it held (oldObject)."""
    inputs = cluster.inputs()
    ns = cluster.namespace
    assert run(capsys, *cluster.args("apply", inputs))[0] == 0
    policy = cluster.policy({**SECRET_RULE, "operations": ["DELETE"]}, quote_keys("oldObject"))
    wait_enforced(policy, lambda: cluster.kube.delete(Secret, SECRET, namespace=ns, dry_run=True))

    code, out, err = run(capsys, *cluster.args("uninstall", inputs, "--allow-destroy", "--yes"))

    assert code == 5
    assert out.splitlines() == [
        f"deleted ScheduledBackup {ns}/wildside-pg-backup",
        f"deleted Cluster {ns}/wildside-pg (--allow-destroy, confirmed: its instances "
        "and their volumes go with it)",
        f"deleted ObjectStore {ns}/wildside-pg-object-store",
    ]
    assert err.splitlines() == [f"error: Secret {ns}/{SECRET}: cannot delete it: {denial(policy)}"]
    assert_nowhere(out, err)
