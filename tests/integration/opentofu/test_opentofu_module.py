"""The OpenTofu module (opentofu/modules/cnpg) with the real OpenTofu and the real
external provider: outputs, composition, diagnostics and sensitivity."""

from __future__ import annotations

import json
from pathlib import Path

from wildside_cnpg import Inputs, Module
from wildside_cnpg.inputs import load_inputs
from wildside_cnpg.outputs import OUTPUTS

from .harness import REPO, Tofu, run_tool, tool_outputs, write_root

RENDER_INPUTS = str(REPO / "examples" / "render" / "inputs.yaml")
SECRET = "AKIAWILDSIDETESTSECRET"


def test_render_example_outputs_equal_the_tool_outputs(tofu: Tofu, render_root: Path) -> None:
    assert tofu.outputs(render_root) == tool_outputs("--inputs", RENDER_INPUTS)


def test_render_example_outputs_json_is_byte_for_byte_tofus(tofu: Tofu, render_root: Path) -> None:
    # The rendered manifests hold & (an ExternalSecret template): Go's JSON escapes it.
    printed = tofu.ok(render_root, "output", "-json")
    assert "\\u0026" in printed
    tool = run_tool("outputs", "--json", "--inputs", RENDER_INPUTS)
    assert tool.returncode == 0, tool.stderr
    assert tool.stdout == printed


def test_a_second_plan_of_the_applied_example_has_no_changes(tofu: Tofu, render_root: Path) -> None:
    result = tofu.run(render_root, "plan", "-detailed-exitcode", "-no-color")
    assert result.returncode == 0, result.stdout + result.stderr


def test_sensitive_outputs_are_sensitive_in_opentofu(tofu: Tofu, render_root: Path) -> None:
    outputs = tofu.outputs(render_root)
    # Null outputs are left out (the example has no poolers): every other one is there.
    tool = Module(load_inputs([Path(RENDER_INPUTS)])).outputs()
    present = {name for name, output in tool.items() if output["value"] is not None}
    assert present < set(OUTPUTS)
    assert {name: o["sensitive"] for name, o in outputs.items()} == {
        name: OUTPUTS[name].sensitive for name in present
    }
    assert outputs["rendered_manifests"]["sensitive"] is True
    shown = tofu.ok(render_root, "output", "-no-color")
    assert "rendered_manifests = <sensitive>" in shown.splitlines()


def test_rendered_manifests_are_the_tree_render_out_writes(
    tofu: Tofu, render_root: Path, tmp_path: Path
) -> None:
    manifests = tofu.outputs(render_root)["rendered_manifests"]["value"]
    written = run_tool("render", "--inputs", RENDER_INPUTS, "--out", str(tmp_path))
    assert written.returncode == 0, written.stderr
    on_disk = {
        path.relative_to(tmp_path).as_posix(): path.read_text(encoding="utf-8")
        for path in tmp_path.rglob("*")
        if path.is_file() and path.name != ".wildside-cnpg-owned.json"
    }
    assert len(manifests) > 5
    assert manifests == on_disk


def test_apply_mode_defaults_match_the_tool_null_outputs_left_out_alike(
    tofu: Tofu, opentofu_tree: Path
) -> None:
    # OpenTofu leaves null root outputs out of `tofu output -json`; so does the tool.
    root = write_root(opentofu_tree / "examples" / "apply-defaults", '  mode = "apply"\n')
    tofu.apply(root)
    (root / "outputs.tf").write_text(
        "".join(
            f'output "{name}" {{\n  value     = module.cnpg.{name}\n'
            f"  sensitive = {str(spec.sensitive).lower()}\n}}\n"
            for name, spec in OUTPUTS.items()
        ),
        encoding="utf-8",
    )
    tofu.ok(root, "apply", "-auto-approve", "-no-color")
    expected = tool_outputs("--set", "mode=apply")
    assert "backup_credentials_secret_name" not in expected  # null: left out
    assert Module(Inputs(mode="apply")).outputs()["backup_credentials_secret_name"]["value"] is None
    assert tofu.outputs(root) == expected
    assert expected["rendered_manifests"] == {
        "sensitive": True,
        "type": ["map", "string"],
        "value": {},
    }


def test_inputs_left_at_their_defaults_count_as_unset(tofu: Tofu, opentofu_tree: Path) -> None:
    # OpenTofu sends every variable, postgis_extensions' default list included: the
    # tool must not read it as set (it refuses postgis_extensions without PostGIS).
    root = write_root(
        opentofu_tree / "examples" / "no-postgis",
        '  mode            = "apply"\n  postgis_enabled = false\n',
    )
    (root / "outputs.tf").write_text(
        'output "sync_policy_contract" {\n  value = module.cnpg.sync_policy_contract\n}\n',
        encoding="utf-8",
    )
    tofu.apply(root)
    expected = tool_outputs("--set", "mode=apply", "--set", "postgis_enabled=false")
    assert tofu.outputs(root) == {"sync_policy_contract": expected["sync_policy_contract"]}
    assert expected["sync_policy_contract"]["value"]["postgis_enabled"] is False


def test_downstream_module_reads_the_sync_policy_contract(
    tofu: Tofu, downstream_root: Path
) -> None:
    contract = tool_outputs(
        "--set",
        "cluster_name=orders-pg",
        "--set",
        "cluster_namespace=orders",
        "--set",
        "database_name=orders",
        "--set",
        "database_owner=orders_app",
        "--set",
        "enable_superuser_access=false",
        "--set",
        "backup_enabled=true",
        "--set",
        "backup_destination_path=s3://orders-backups/pg",
        "--set",
        "backup_endpoint_url=https://fra1.digitaloceanspaces.com",
        "--set",
        "backup_s3_credentials_secret_name=orders-s3",
    )["sync_policy_contract"]["value"]
    outputs = {name: o["value"] for name, o in tofu.outputs(downstream_root).items()}
    assert outputs == {
        "orders_environment": {
            "APPLICATION_NAME": "orders-api",
            "PGHOST": contract["endpoints"]["primary"]["host"],
            "PGPORT": str(contract["endpoints"]["primary"]["port"]),
            "PGHOST_READONLY": contract["endpoints"]["replica"]["host"],
            "PGDATABASE": contract["database"]["name"],
            "PGUSER": contract["database"]["owner"],
        },
        "orders_credentials_secret": "orders/orders-pg-app",
        "orders_backup_schedule": contract["backup"]["schedule"],
    }
    assert contract["endpoints"]["primary"]["host"] == "orders-pg-rw.orders.svc.cluster.local"


def test_a_cross_input_error_fails_plan_with_the_tool_message(
    tofu: Tofu, opentofu_tree: Path
) -> None:
    root = write_root(opentofu_tree / "examples" / "bad-backup", "  backup_enabled = true\n")
    errors, printed = tofu.failed_plan(root)
    tool = run_tool("outputs", "--set", "backup_enabled=true")
    assert tool.returncode == 2
    assert [e["summary"] for e in errors] == ["External Program Execution Failed"]
    detail = errors[0]["detail"]
    assert f"Error Message: {tool.stderr}" in detail
    assert tool.stderr.splitlines()[0] == (
        "error: backup_destination_path: required when backup_enabled is true; "
        "expected an S3 URI such as s3://bucket-name/path"
    )
    assert "State: exit status 2" in detail
    assert "Traceback" not in printed


def test_variable_validations_fail_plan_with_the_tool_wording(
    tofu: Tofu, opentofu_tree: Path
) -> None:
    bad = {
        "instances": ("0", "instances=0"),
        "mode": ('"plan"', "mode=plan"),
        "image_name": ('"postgres:latest"', "image_name=postgres:latest"),
        "postgis_extensions": ('["postgis", "nope"]', "postgis_extensions=[postgis, nope]"),
        "resource_requests": ('{ cpu = "0", memory = "1Gi" }', "resource_requests.cpu=0"),
        "backup_data_compression": ('"xz"', "backup_data_compression=xz"),
        "backup_schedule": ('"0 0 * * *"', "backup_schedule=0 0 * * *"),
        "helm_timeout": ("1.5", "helm_timeout=1.5"),
    }
    arguments = "".join(f"  {name} = {hcl}\n" for name, (hcl, _) in bad.items())
    root = write_root(opentofu_tree / "examples" / "bad-values", arguments)
    errors, _ = tofu.failed_plan(root)
    assert {e["summary"] for e in errors} == {"Invalid value for variable"}
    messages = sorted(e["detail"].split("\n\n")[0] for e in errors)
    overrides = [arg for _, (_, value) in bad.items() for arg in ("--set", value)]
    tool = run_tool("outputs", *overrides)
    assert tool.returncode == 2
    # The tool adds the value it got (", got ...") and, for a five-field schedule,
    # what it would mean; the expected form is the same text.
    tool_lines = sorted(line.removeprefix("error: ") for line in tool.stderr.splitlines())
    assert len(messages) == len(tool_lines) == len(bad)
    for message, line in zip(messages, tool_lines, strict=True):
        assert line.startswith(message), (message, line)
    assert "postgis_extensions[1]: expected one of postgis," in "\n".join(messages)


def test_inline_keys_never_reach_the_diagnostics(tofu: Tofu, opentofu_tree: Path) -> None:
    arguments = {
        "backup_enabled": "true",
        "backup_destination_path": '"s3://wildside-backups/postgres"',
        "backup_endpoint_url": '"https://nyc3.digitaloceanspaces.com"',
        "backup_s3_access_key_id": json.dumps(SECRET),
        "backup_s3_secret_access_key": json.dumps(SECRET + "KEY"),
    }
    root = write_root(
        opentofu_tree / "examples" / "bad-secret",
        "".join(f"  {name} = {value}\n" for name, value in arguments.items()),
    )
    errors, printed = tofu.failed_plan(root)
    assert [e["summary"] for e in errors] == ["External Program Execution Failed"]
    assert (
        "Error Message: error: backup_s3_inline_credentials_acknowledged: expected true to "
        "write inline S3 keys as a plaintext Secret into the tree" in errors[0]["detail"]
    )
    human = tofu.run(root, "plan", "-no-color")
    assert human.returncode == 1
    assert SECRET not in printed + human.stdout + human.stderr


def test_checked_in_hcl_is_formatted(tofu: Tofu) -> None:
    result = tofu.run(REPO / "opentofu", "fmt", "-check", "-recursive", "-no-color")
    assert (result.returncode, result.stdout) == (0, "")
