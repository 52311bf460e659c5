"""The command line: exit codes, messages, files, outputs."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli import run, snapshot
from tests.policy.expected import superuser_warning
from wildside_cnpg import Inputs, Module, cli
from wildside_cnpg.cli import main
from wildside_cnpg.yamlio import load_all_yaml_text

REPO = Path(__file__).resolve().parents[2]


# The default tree warns about superuser access (on by default, as it always was).
SUPERUSER_WARNING = f"warning: C15 {superuser_warning('databases', 'wildside-pg')}\n"


def test_render_writes_the_default_tree(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "render", "--out", str(tmp_path))
    assert (code, err) == (0, SUPERUSER_WARNING)
    assert out.splitlines()[0] == f"{tmp_path}: 13 written, 0 unchanged, 0 removed"
    written = snapshot(tmp_path)
    assert written.pop(".wildside-cnpg-owned.json")
    assert {k: v.decode() for k, v in written.items()} == Module().render()
    code, out, _ = run(capsys, "render", "--out", str(tmp_path))
    assert out == f"{tmp_path}: 0 written, 13 unchanged, 0 removed\n"


def test_bad_inputs_exit_2_one_line_each_and_write_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "render", "--out", str(tmp_path))
    before = snapshot(tmp_path)
    code, out, err = run(
        capsys,
        "render",
        "--out",
        str(tmp_path),
        "--set",
        "instances=0",
        "--set",
        "backup_schedule=0 0 * * *",
        "--set",
        "clustr_name=x",
    )
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert (
        lines[0] == "error: instances: expected a whole number from 1 to 9223372036854775807, got 0"
    )
    assert lines[1].startswith("error: backup_schedule: expected six cron fields, seconds first")
    assert lines[1].endswith("got '0 0 * * *'")
    assert lines[2] == "error: clustr_name: unknown input; did you mean 'cluster_name'?"
    assert len(lines) == 3
    assert "Traceback" not in err
    assert snapshot(tmp_path) == before


def test_secret_values_never_reach_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys,
        "render",
        "--stdout",
        "--set",
        "backup_enabled=true",
        "--set",
        "backup_destination_path=s3://wildside-backups/pg",
        "--set",
        "backup_endpoint_url=https://nyc3.digitaloceanspaces.com",
        "--set",
        "backup_s3_access_key_id=AKIAVISIBLE",
        "--set",
        "backup_s3_secret_access_key=[super-secret-value]",
    )
    assert code == 2
    assert "super-secret-value" not in err
    assert "error: backup_s3_secret_access_key: expected a string, got <sensitive>" in err


def test_check_reports_drift_with_a_diff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "render", "--out", str(tmp_path))
    before = snapshot(tmp_path)
    code, out, err = run(
        capsys, "render", "--out", str(tmp_path), "--check", "--set", "instances=5"
    )
    assert code == 1
    assert "-  instances: 3\n+  instances: 5\n" in out
    assert err == SUPERUSER_WARNING + (
        f"error: {tmp_path}: 2 file(s) differ from what the inputs render: "
        "platform/databases/clusters/wildside-pg/cluster/cluster.yaml, "
        ".wildside-cnpg-owned.json\n"
    )
    assert snapshot(tmp_path) == before
    code, out, _ = run(capsys, "render", "--out", str(tmp_path), "--check")
    assert (code, out) == (0, f"{tmp_path}: up to date (13 files)\n")


def test_check_on_an_empty_directory_lists_every_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "render", "--out", str(tmp_path), "--check")
    assert code == 1
    assert out.count("--- /dev/null") == 13
    assert snapshot(tmp_path) == {}


def test_stdout_stream_holds_every_object(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "render", "--stdout")
    assert code == 0
    docs = load_all_yaml_text(out)
    expected = Module().objects()
    assert sorted(map(json.dumps, docs)) == sorted(map(json.dumps, expected))
    assert len(docs) == len(expected)


def test_render_needs_a_target(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["render"])
    assert caught.value.code == 2
    assert "one of the arguments --out --stdout is required" in capsys.readouterr().err


def test_outputs_json_is_tofu_shaped(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "outputs", "--json", "-i", str(REPO / "examples/render/inputs.yaml"))
    assert code == 0
    outputs = json.loads(out)
    assert outputs["primary_endpoint"] == {
        "sensitive": False,
        "type": "string",
        "value": "wildside-pg-rw.databases.svc.cluster.local",
    }
    assert set(outputs["rendered_manifests"]) == {"sensitive", "type", "value"}
    # Like `tofu output -json`: null outputs are left out.
    code, out, _ = run(capsys, "outputs", "--json", "--set", "instances=1")
    assert code == 0
    assert {
        "backup_credentials_secret_name",
        "replica_endpoint",
        "replica_service_name",
    }.isdisjoint(json.loads(out))


def test_outputs_json_escapes_strings_as_tofu_does(capsys: pytest.CaptureFixture[str]) -> None:
    # Go's encoding/json, which `tofu output -json` prints with: <, > and & escaped,
    # other characters as they are (UTF-8).
    code, out, _ = run(capsys, "outputs", "--json", "--set", "helm_values.note=<café & crème>")
    assert code == 0
    assert "\\u003ccafé \\u0026 crème\\u003e" in out
    assert "<" not in out
    assert "&" not in out
    assert (
        json.loads(out)["rendered_manifests"]["value"]
        == Module(Inputs(helm_values={"note": "<café & crème>"})).render()
    )


def test_outputs_human_form_hides_sensitive_values(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "outputs")
    assert code == 0
    assert "rendered_manifests = <sensitive>\n" in out
    assert 'primary_endpoint = "wildside-pg-rw.databases.svc.cluster.local"\n' in out
    _, shown, _ = run(capsys, "outputs", "--show-sensitive")
    assert "rendered_manifests = {" in shown


def test_single_output_raw(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "outputs", "replica_endpoint", "--raw")[1] == (
        "wildside-pg-ro.databases.svc.cluster.local\n"
    )
    code, _, err = run(capsys, "outputs", "nope")
    assert code == 2
    assert err.startswith("error: nope: no such output; outputs are: app_credentials_secret_name")


def test_schema_lists_every_input(capsys: pytest.CaptureFixture[str]) -> None:
    from wildside_cnpg import Inputs

    code, out, _ = run(capsys, "schema")
    schema = json.loads(out)
    assert code == 0
    assert sorted(schema["properties"]) == sorted(["$schema", *Inputs.names()])
    assert schema["additionalProperties"] is False
    assert schema["properties"]["wal_compression"]["anyOf"][0]["enum"] == [
        "bzip2",
        "gzip",
        "lz4",
        "snappy",
        "xz",
        "zstd",
    ]


def test_inputs_files_tfvars_json_null_and_later_wins(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tfvars = tmp_path / "prod.tfvars.json"
    tfvars.write_text(json.dumps({"instances": 5, "cluster_name": "geo", "storage_class": None}))
    override = tmp_path / "override.yaml"
    override.write_text("instances: 4\n")
    code, out, _ = run(
        capsys,
        "outputs",
        "sync_policy_contract",
        "-i",
        str(tfvars),
        "-i",
        str(override),
        "--set",
        "cluster_namespace=gis",
    )
    assert code == 0
    contract = json.loads(out)
    assert contract["cluster"] == {"name": "geo", "namespace": "gis"}
    _, stream, _ = run(capsys, "render", "--stdout", "-i", str(tfvars), "-i", str(override))
    cluster = next(d for d in load_all_yaml_text(stream) if d["kind"] == "Cluster")
    assert cluster["spec"]["instances"] == 4
    assert cluster["spec"]["storage"]["storageClass"] == "do-block-storage"


def test_set_values_are_yaml_and_dotted(capsys: pytest.CaptureFixture[str]) -> None:
    code, stream, _ = run(
        capsys,
        "render",
        "--stdout",
        "--set",
        "instances=2",
        "--set",
        "postgis_enabled=false",
        "--set",
        "resource_requests.cpu=250m",
        "--set",
        'postgresql_parameters={"work_mem": "16MB"}',
    )
    assert code == 0
    spec = next(d for d in load_all_yaml_text(stream) if d["kind"] == "Cluster")["spec"]
    assert spec["instances"] == 2
    assert spec["resources"]["requests"] == {"cpu": "250m", "memory": "2Gi"}
    assert spec["postgresql"]["parameters"] == {"work_mem": "16MB"}
    assert "postInitTemplateSQL" not in spec["bootstrap"]["initdb"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (
            "a: [1",
            "line 2, column 1: did not find expected ',' or ']' (while parsing a flow sequence)",
        ),
        ("- 1\n- 2\n", "expected a mapping of input names to values"),
    ],
)
def test_unreadable_inputs_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, message: str
) -> None:
    path = tmp_path / "inputs.yaml"
    if content is not None:
        path.write_text(content)
    code, _, err = run(capsys, "outputs", "-i", str(path))
    assert code == 2
    assert err == f"error: --inputs {path}: {message}\n"


def test_bad_set_syntax(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "outputs", "--set", "instances")
    assert (code, err) == (2, "error: --set instances: expected name=value\n")


def test_unexpected_errors_exit_70_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def boom(self: Module) -> dict[str, str]:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Module, "render", boom)
    code, _, err = run(capsys, "render", "--stdout")
    assert code == 70
    assert err == (
        "internal error: RuntimeError: disk on fire (rerun with --debug for the traceback)\n"
    )
    code, _, err = run(capsys, "--debug", "render", "--stdout")
    assert code == 70
    assert "Traceback (most recent call last)" in err


def test_module_entry_point_version_and_help() -> None:
    version = subprocess.run(
        [sys.executable, "-m", "wildside_cnpg", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert version.stdout == "wildside-cnpg 0.1.0\n"
    helped = subprocess.run(
        [sys.executable, "-m", "wildside_cnpg", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    for command in ("render", "outputs", "schema"):
        assert command in helped.stdout


HEAVY_MODULES = (
    "argparse",
    "typing",
    "re",
    "pydantic",
    "yaml",
    "wasmtime",
    "wildside_cnpg.module",
    "wildside_cnpg.commands.render",
)


@pytest.mark.parametrize("flag", ["--version", "--help", "-h"])
def test_help_and_version_import_nothing_heavy(flag: str) -> None:
    code = (
        "import sys; from wildside_cnpg.cli import main\n"
        f"main([{flag!r}])\n"
        f"heavy = [m for m in {HEAVY_MODULES!r} if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "COLUMNS": "80"},
    )
    assert result.stdout.splitlines()[-1] == "HEAVY="


def test_static_top_level_help_is_what_argparse_prints(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", str(cli.HELP_COLUMNS))
    assert cli.build_parser().format_help() == cli.TOP_HELP


def test_wide_terminal_help_comes_from_argparse(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out != cli.TOP_HELP
    assert out.startswith("usage: wildside-cnpg [-h] [--version] [--debug] COMMAND ...\n")
    assert "CloudNativePG: render a Flux GitOps tree or apply to a cluster." in out


def test_each_command_module_registers_its_summary() -> None:
    parser = cli.build_parser()
    subparsers = next(
        action for action in parser._actions if isinstance(action, argparse._SubParsersAction)
    )
    helps = {choice.dest: choice.help for choice in subparsers._choices_actions}
    assert helps == cli.SUMMARIES
    assert tuple(cli.SUMMARIES) == cli.COMMANDS


def test_only_the_command_being_run_is_imported() -> None:
    code = (
        "import sys; from wildside_cnpg.cli import main\n"
        "main(['schema'])\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('wildside_cnpg.commands.'))\n"
        "print('LOADED=' + ','.join(loaded))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-1] == "LOADED=wildside_cnpg.commands.schema"


STDOUT_PATH_SKIPS = (
    "wildside_cnpg.plan",
    "wildside_cnpg.writer",
    "wildside_cnpg.policy.runner",
    "wildside_cnpg.policy.findings",
)


@pytest.mark.parametrize(
    ("flags", "loaded"),
    [
        (["--no-policy"], ""),
        ([], "wildside_cnpg.policy.findings,wildside_cnpg.policy.runner"),
    ],
)
def test_render_stdout_loads_no_checkout_code(flags: list[str], loaded: str) -> None:
    """--stdout never plans or writes, and --no-policy never loads the policy runner."""
    code = (
        "import sys; from wildside_cnpg.cli import main\n"
        f"main(['render', '--stdout', *{flags!r}])\n"
        f"seen = [m for m in {STDOUT_PATH_SKIPS!r} if m in sys.modules]\n"
        "print('LOADED=' + ','.join(sorted(seen)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-1] == f"LOADED={loaded}"


def test_render_refuses_to_shrink_storage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "render", "--out", str(tmp_path), "--set", "storage_size=20Gi")
    before = snapshot(tmp_path)
    code, _, err = run(capsys, "render", "--out", str(tmp_path), "--set", "storage_size=15Gi")
    assert code == 2
    assert err == SUPERUSER_WARNING + (
        "error: storage_size: '20Gi' -> '15Gi' shrinks the volumes of Cluster "
        "databases/wildside-pg; CNPG's webhook refuses it (volumes can grow, never shrink). "
        "Keep storage_size at '20Gi' or more; --allow-destroy does not change this\n"
    )
    assert snapshot(tmp_path) == before
    assert run(capsys, "render", "--out", str(tmp_path), "--set", "storage_size=30Gi")[0] == 0


@pytest.mark.parametrize(("given", "seen"), [(None, "__all__"), ("", ""), ("1", "1")])
def test_commands_skip_the_pydantic_plugin_scan_unless_told_otherwise(
    given: str | None, seen: str
) -> None:
    code = (
        "import os; from wildside_cnpg.cli import main\n"
        "main(['schema'])\n"
        "print('PLUGINS=' + os.environ['PYDANTIC_DISABLE_PLUGINS'])"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    if given is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = given
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert result.stdout.splitlines()[-1] == f"PLUGINS={seen}"


SECRET_KEY = "backup_s3_secret_access_key"


@pytest.mark.parametrize(
    ("message", "arguments", "masked"),
    [
        # After the name and "=", wherever the pair is quoted.
        (f"bad: {SECRET_KEY}=s3kr1t!", [f"--x={SECRET_KEY}=s3kr1t!"],
         f"bad: {SECRET_KEY}=<sensitive>"),
        # The value alone, as a token of its own: quoted, after ": " or "=", before ":".
        ("file 's3kr1t!' and s3kr1t!: x=s3kr1t!", ["--set", f"{SECRET_KEY}=s3kr1t!"],
         "file '<sensitive>' and <sensitive>: x=<sensitive>"),
        # A value split from its name by a space is the next argument.
        ("unrecognized arguments: s3kr1t!", ["--set", f"{SECRET_KEY}=", "s3kr1t!"],
         "unrecognized arguments: <sensitive>"),
        # Inside a longer word it is not the value: a short value leaves the text whole.
        ("bad arguments", ["--set", f"{SECRET_KEY}=a"], "bad arguments"),
        # Nothing sensitive on the line: the message is as it was.
        ("cluster_name=pg: x", ["--set", "cluster_name=pg"], "cluster_name=pg: x"),
    ],
)  # fmt: skip
def test_mask_typed_secrets(message: str, arguments: list[str], masked: str) -> None:
    assert cli.mask_typed_secrets(message, arguments) == masked


def test_debug_traceback_masks_a_typed_secret(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unexpected error's traceback (--debug) quotes the error: the secret typed on
    the line is masked there too."""
    from wildside_cnpg.commands import outputs

    def fail(args: argparse.Namespace) -> int:
        raise RuntimeError(f"boom {args.overrides[0].text}")

    monkeypatch.setattr(outputs, "run", fail)
    code, out, err = run(capsys, "outputs", "--debug", "--set", f"{SECRET_KEY}=s3kr1t!")
    assert "s3kr1t!" not in out + err
    assert code == 70
    assert err.splitlines()[-2:] == [
        f"RuntimeError: boom {SECRET_KEY}=<sensitive>",
        f"internal error: RuntimeError: boom {SECRET_KEY}=<sensitive> (rerun with --debug for "
        "the traceback)",
    ]


def test_plan_refuses_switching_a_running_clusters_credentials_to_eso(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """ESO switched on for a running cluster: CNPG sets the owner's and the superuser's
    passwords from the new Secrets, so the plan refuses it unless told, and names the
    Secret CNPG generated (never 'None')."""
    run(capsys, "render", "--out", str(tmp_path))
    eso = [
        "--set",
        "eso_enabled=true",
        "--set",
        "app_credentials_vault_path=a/b",
        "--set",
        "superuser_credentials_vault_path=a/c",
    ]
    code, _, err = run(capsys, "plan", "--out", str(tmp_path), *eso)
    assert code == 2
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert [line.split(" of ", 1)[0] for line in errors] == [
        "error: eso_enabled: the application owner wildside_user",
        "error: eso_enabled: the superuser postgres",
    ]
    assert "CloudNativePG's generated wildside-pg-app (spec.bootstrap.initdb.secret)" in errors[0]
    assert "None" not in err
    code, out, _ = run(capsys, "plan", "--out", str(tmp_path), *eso, "--allow-destroy")
    assert code == 0
    assert out.count("allowed by --allow-destroy: eso_enabled: ") == 2
