"""A canary secret sent down every error path the inputs, outputs and kubeconfig
readers have: it never reaches stdout or stderr, and each path still ends with its
documented exit code and one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.attacks.conftest import CANARY, run_cli

BACKUP = (
    "--set",
    "backup_enabled=true",
    "--set",
    "backup_destination_path=s3://wildside-backups/pg",
    "--set",
    "backup_endpoint_url=https://nyc3.digitaloceanspaces.com",
)
INLINE = (*BACKUP, "--set", "backup_s3_inline_credentials_acknowledged=true")
KEY = "backup_s3_secret_access_key"
SENSITIVE_LINE = (
    f"error: {KEY}: expected a non-blank string without surrounding spaces or control "
    "characters, got <sensitive>\n"
)

NOT_YAML = (
    f"error: --set {KEY}=<sensitive>: invalid value (not valid YAML; a sensitive input's "
    "problem is not shown); --set-string takes it as a string\n"
)


def lines(text: str) -> list[str]:
    return text.splitlines()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("--set", f"{KEY}=[{CANARY}"), NOT_YAML),
        (("--set", f'{KEY}="{CANARY}\\q"'), NOT_YAML),
        # YAML reads an unquoted value that starts with "!" as a tag.
        (("--set", f"{KEY}=!{CANARY}"), NOT_YAML),
        (("--set", f"{KEY}=!<{CANARY}> x"), NOT_YAML),
        (("--set", f"{KEY}={{{CANARY},{CANARY}}}"), NOT_YAML),
        (("--set-string", f"{KEY}={CANARY}\n"), SENSITIVE_LINE),
        (("--set-string", f"{KEY}= {CANARY}"), SENSITIVE_LINE),
        (
            ("--set", f"{KEY}.x={CANARY}"),
            f"error: {KEY}: expected a string, got <sensitive>\n",
        ),
        (("--set", f"{KEY}=[{CANARY}]"), f"error: {KEY}: expected a string, got <sensitive>\n"),
    ],
)
def test_invalid_set_of_a_sensitive_input(arguments: tuple[str, ...], message: str) -> None:
    result = run_cli(
        "render", "--stdout", *INLINE, "--set", "backup_s3_access_key_id=AKIA1", *arguments
    )
    assert CANARY not in result.printed
    assert (result.code, result.out, result.err) == (2, "", message)


@pytest.mark.parametrize(
    ("arguments", "last_line"),
    [
        (
            ("render", "--stdout", "--sett", f"{KEY}={CANARY}"),
            f"wildside-cnpg: error: unrecognized arguments: --sett {KEY}=<sensitive>",
        ),
        (
            ("render", "--stdout", f"--sett={KEY}={CANARY}"),
            f"wildside-cnpg: error: unrecognized arguments: --sett={KEY}=<sensitive>",
        ),
        (
            ("outputs", f"-set={KEY}={CANARY}"),
            f"wildside-cnpg: error: unrecognized arguments: -set={KEY}=<sensitive>",
        ),
        (
            ("render", "--stdout", f"--se={KEY}={CANARY}"),
            f"wildside-cnpg render: error: ambiguous option: --se={KEY}=<sensitive> could "
            "match --set, --set-string",
        ),
        # A space between the name and the value: the value is an argument of its own.
        (
            ("render", "--stdout", "--set", f"{KEY}=", CANARY),
            "wildside-cnpg: error: unrecognized arguments: <sensitive>",
        ),
        # The assignment given where a file is expected: the error names the "file".
        (
            ("outputs", f"--values={KEY}={CANARY}"),
            f"error: --inputs {KEY}=<sensitive>: no such file",
        ),
    ],
)
def test_a_mistyped_option_does_not_echo_the_value(
    arguments: tuple[str, ...], last_line: str
) -> None:
    result = run_cli(*arguments)
    assert CANARY not in result.printed
    assert result.code == 2
    assert lines(result.err)[-1] == last_line


def test_a_set_without_a_name_does_not_echo_the_value() -> None:
    result = run_cli("outputs", "--set", f"={CANARY}")
    assert CANARY not in result.printed
    assert (result.code, result.err) == (2, "error: --set =…: expected name=value\n")


CUSTOM_TAG = (
    "line 1: a custom tag is not allowed (only strings, numbers, booleans, null, lists and "
    "mappings); quote a value that starts with !"
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            f"{KEY}: '{CANARY}\n",
            "line 2, column 1: found unexpected end of stream (while scanning a quoted scalar)",
        ),
        (
            f'{KEY}: "{CANARY}\\q"\n',
            "line 1, column 70: found unknown escape character (while parsing a quoted scalar)",
        ),
        (
            f"{KEY}: {CANARY}\n\t{KEY}: x\n",
            "line 2, column 1: found a tab character that violates indentation (while "
            "scanning a plain scalar)",
        ),
        (f"{KEY}: {CANARY}\n{KEY}: {CANARY}\n", f"line 2: duplicate key '{KEY}' (first on line 1)"),
        (f"{KEY}: !secret {CANARY}\n", CUSTOM_TAG),
        (f"{KEY}: !{CANARY}\n", CUSTOM_TAG),
        (f"{KEY}: !!{CANARY} x\n", CUSTOM_TAG),
        (f"{KEY}: !<{CANARY}> x\n", CUSTOM_TAG),
        (
            f"{KEY}: {CANARY}\n  nested: [\n",
            "line 2, column 9: mapping values are not allowed in this context",
        ),
    ],
)
def test_a_yaml_error_on_the_secret_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "secrets.yaml"
    path.write_text(text, encoding="utf-8")
    result = run_cli("render", "--stdout", *INLINE, "-f", str(path))
    assert CANARY not in result.printed
    assert (result.code, result.out, result.err) == (2, "", f"error: --inputs {path}: {message}\n")


def test_a_fleet_file_with_a_bad_secret(tmp_path: Path) -> None:
    """`render --each`: the file is named, the value is not, and nothing is written."""
    repo = tmp_path / "repo"
    repo.mkdir()
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(f"cluster_name: pg-0\n{KEY}: not-the-canary\n", encoding="utf-8")
    bad.write_text(f"cluster_name: pg-1\n{KEY}: ' {CANARY}'\n", encoding="utf-8")
    yaml_error = tmp_path / "broken.yaml"
    yaml_error.write_text(f"{KEY}: '{CANARY}\n", encoding="utf-8")
    result = run_cli(
        "render", "--out", str(repo), *INLINE, "--set", "backup_s3_access_key_id=AKIA1",
        "--each", str(good), str(bad), str(yaml_error),
    )  # fmt: skip
    assert CANARY not in result.printed
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        f"error: --each {bad}: {SENSITIVE_LINE.removeprefix('error: ')}"
        f"error: --each {yaml_error}: line 2, column 1: found unexpected end of stream "
        "(while scanning a quoted scalar)\n"
    )
    assert list(repo.iterdir()) == []


def test_a_bad_value_from_the_environment() -> None:
    environment = {
        "WILDSIDE_CNPG_BACKUP_S3_ACCESS_KEY_ID": "AKIA1",
        "WILDSIDE_CNPG_BACKUP_S3_SECRET_ACCESS_KEY": f"{CANARY}\r\n",
    }
    result = run_cli("render", "--stdout", *INLINE, env=environment)
    assert CANARY not in result.printed
    assert (result.code, result.err) == (2, SENSITIVE_LINE)


def test_keys_from_the_environment_need_no_command_line() -> None:
    environment = {
        "WILDSIDE_CNPG_BACKUP_S3_ACCESS_KEY_ID": "AKIAFROMENV",
        "WILDSIDE_CNPG_BACKUP_S3_SECRET_ACCESS_KEY": CANARY,
    }
    result = run_cli("outputs", *INLINE, env=environment)
    assert result.code == 0, result.err
    assert CANARY not in result.printed
    assert "rendered_manifests = <sensitive>\n" in result.out


def test_outputs_name_of_a_sensitive_output_needs_show_sensitive() -> None:
    environment = {
        "WILDSIDE_CNPG_BACKUP_S3_ACCESS_KEY_ID": "AKIAFROMENV",
        "WILDSIDE_CNPG_BACKUP_S3_SECRET_ACCESS_KEY": CANARY,
    }
    for extra in ((), ("--raw",)):
        result = run_cli("outputs", "rendered_manifests", *extra, *INLINE, env=environment)
        assert CANARY not in result.printed
        assert (result.code, result.out, result.err) == (
            2,
            "",
            "error: rendered_manifests: a sensitive output; pass --show-sensitive to print "
            "its value\n",
        )
    shown = run_cli("outputs", "rendered_manifests", "--show-sensitive", *INLINE, env=environment)
    assert shown.code == 0
    assert CANARY in shown.out


def test_a_malformed_kubeconfig_does_not_print_its_token(tmp_path: Path) -> None:
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(
        "apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n"
        f'    token: "{CANARY}\n    client-key-data: [\n',
        encoding="utf-8",
    )
    result = run_cli(
        "apply",
        "--kubeconfig",
        str(kubeconfig),
        "--skip-operator",
        "--set",
        "enable_superuser_access=false",
    )
    assert CANARY not in result.printed
    assert (result.code, result.err) == (
        5,
        f"error: cannot load {kubeconfig}: line 8, column 1: found unexpected end of stream "
        "(while scanning a quoted scalar)\n",
    )


def test_a_kubeconfig_that_is_not_one_does_not_print_its_token(tmp_path: Path) -> None:
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(f"users:\n- name: admin\n  user: {{token: {CANARY}}}\n")
    result = run_cli(
        "apply",
        "--kubeconfig",
        str(kubeconfig),
        "--skip-operator",
        "--set",
        "enable_superuser_access=false",
    )
    assert CANARY not in result.printed
    assert (result.code, result.err) == (
        5,
        f"error: cannot load {kubeconfig}: no 'clusters' in it\n",
    )


def test_a_tree_with_a_broken_secret_line(tmp_path: Path) -> None:
    (tmp_path / "secret.yaml").write_text(
        f"apiVersion: v1\nkind: Secret\nstringData:\n  key: '{CANARY}\n", encoding="utf-8"
    )
    result = run_cli("policy", str(tmp_path))
    assert CANARY not in result.printed
    assert (result.code, result.err) == (
        2,
        "error: secret.yaml: line 5, column 1: found unexpected end of stream (while scanning "
        "a quoted scalar)\n",
    )


@pytest.mark.parametrize("command", ["policy", "validate"])
def test_a_tree_with_an_unquoted_secret_read_as_a_tag(tmp_path: Path, command: str) -> None:
    (tmp_path / "secret.yaml").write_text(
        f"apiVersion: v1\nkind: Secret\nstringData:\n  key: !{CANARY}\n", encoding="utf-8"
    )
    result = run_cli(command, str(tmp_path))
    assert CANARY not in result.printed
    problem = f"line 4: {CUSTOM_TAG.removeprefix('line 1: ')}"
    assert (result.code, result.err) == (
        2,
        f"error: secret.yaml: {problem}\n"
        if command == "policy"
        else f"error: secret.yaml: cannot read YAML ({problem})\n",
    )


SECRET_HEAD = "apiVersion: v1\nkind: Secret\nmetadata: {name: s3, namespace: db}\n"


NOT_OF_TYPE = "<sensitive> is not of type"


@pytest.mark.parametrize(
    ("body", "finding"),
    [
        (f"stringData:\n  KEY: [{CANARY}]\n", f"$.stringData.KEY: {NOT_OF_TYPE} 'string', 'null'"),
        (f"stringData: KEY={CANARY}\n", f"$.stringData: {NOT_OF_TYPE} 'object', 'null'"),
        (f"data:\n  KEY: {{value: {CANARY}}}\n", f"$.data.KEY: {NOT_OF_TYPE} 'string', 'null'"),
    ],
)
def test_validate_does_not_quote_a_secrets_values(tmp_path: Path, body: str, finding: str) -> None:
    """A Secret of the wrong shape: the finding names the path and the rule, and shows
    the value as <sensitive> (other kinds quote the value, which helps)."""
    (tmp_path / "secret.yaml").write_text(SECRET_HEAD + body, encoding="utf-8")
    result = run_cli("validate", "--kubernetes-version", "1.35", str(tmp_path))
    assert CANARY not in result.printed
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        f"invalid: secret.yaml: Secret db/s3: {finding} [Kubernetes 1.35]"
    )
