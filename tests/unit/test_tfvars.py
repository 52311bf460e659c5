"""An OpenTofu `*.tfvars.json` converts to its variables' types as OpenTofu (go-cty)
converts it; every other source stays strict. The types are variables.tf's, from
the one mapping; numbers read and print as cty's, up to 150 significant digits.
(The same cases against the real OpenTofu:
tests/integration/opentofu/test_tfvars_conversion.py.)"""

from __future__ import annotations

import io
import json
import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, Field, SecretStr

from tests.cli import run
from wildside_cnpg.errors import InputError
from wildside_cnpg.inputs import load_inputs
from wildside_cnpg.inputs.loader import merge_sources, read_inputs_file
from wildside_cnpg.opentofu import ctynumber
from wildside_cnpg.opentofu.tfvars import convert_tfvars, variable_types
from wildside_cnpg.opentofu.typemap import map_field
from wildside_cnpg.yamlload import YAMLInputError, load_one

REPO = Path(__file__).resolve().parents[2]
VARIABLES_TF = REPO / "opentofu" / "modules" / "cnpg" / "variables.tf"


def test_the_types_are_those_variables_tf_declares() -> None:
    text = VARIABLES_TF.read_text(encoding="utf-8")
    declared = dict(
        re.findall(r'^variable "(\w+)" \{\n(?:  description .*\n)?  type += (.*)$', text, re.M)
    )
    assert {name: t.text() for name, t in variable_types().items()} == declared
    assert variable_types()["postgresql_parameters"].text() == "map(string)"


# Each text as OpenTofu 1.12.6 reads it for a number variable and prints it for a
# string (`tostring(tonumber(text))`); None where it refuses it, or the tool does.
@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("3", "3"),
        ("+3", "3"),
        ("0003", "3"),
        ("1.5", "1.5"),
        (".5", "0.5"),
        ("5.", "5"),
        ("-.5", "-0.5"),
        ("1.0", "1"),
        ("-0", "-0"),
        ("-0.0", "-0"),
        ("0e5", "0"),
        ("1e3", "1000"),
        ("1E+3", "1000"),
        ("1.e3", "1000"),
        ("1e-7", "0.0000001"),
        ("1e21", "1000000000000000000000"),
        ("0.1", "0.1"),
        ("0.30000000000000001", "0.30000000000000001"),
        ("123456789012345678901234567890", "123456789012345678901234567890"),
        ("9" * 150, "9" * 150),  # the most significant digits the tool reads
        ("0.00" + "9" * 150 + "000e3", "9.99" + "9" * 147),
        ("3e220", "3" + "0" * 220),  # halfway between two 512-bit numbers
        ("1e" + "0" * 5000 + "3", "1000"),  # the exponent's leading zeros
        ("1p3", "8"),  # a power of two, as Go's big.ParseFloat reads it
        ("1.5p1", "3"),
        ("0.1p1", "0.2"),
        ("1p-1", "0.5"),
        ("1p-214", "0." + "0" * 64 + str(5**214)),  # 5**214: 150 digits
        (" 3", None),
        ("3 ", None),
        ("0x10", None),
        ("1_000", None),
        ("NaN", None),
        ("Infinity", None),
        ("", None),
        (".", None),
        ("1e", None),
        ("1e3.5", None),
        ("٣", None),  # digits are ASCII
        ("Inf", None),  # OpenTofu reads it; the module could not hand it over
        ("-inf", None),
        ("1e400", None),  # past the tool's 400 digits
        ("0e9223372036854775807", "0"),  # Go reads the exponent as an int64
        ("0e9223372036854775808", None),
        ("0e-9223372036854775809", None),
        ("1e" + "1" * 5000, None),
        # OpenTofu rounds these to 512 bits; the tool refuses more than 150
        # significant digits.
        ("9" * 151, None),
        ("0.00" + "9" * 151 + "000e3", None),
        ("9" * 160, None),
        ("1p-215", None),  # 5**215: 151 digits
    ],
)
def test_cty_numbers(text: str, printed: str | None) -> None:
    number = ctynumber.parse(text)
    assert (None if number is None else ctynumber.text(number)) == printed


def test_the_bound_counts_significant_digits() -> None:
    def held(text: str) -> str | None:
        number = ctynumber.held(Decimal(text))
        return None if number is None else ctynumber.text(number)

    assert held("1" * 150) == "1" * 150
    assert held("1" * 150 + "0" * 250) == "1" * 150 + "0" * 250
    assert held("0." + "0" * 200 + "1" * 150) == "0." + "0" * 200 + "1" * 150
    assert held("-1" + "0" * 148 + "1e-200") == "-0." + "0" * 50 + "1" + "0" * 148 + "1"
    assert held("1" * 151) is None
    assert held("1" * 151 + "e-200") is None
    assert held("1e399") == "1" + "0" * 399
    assert held("1e400") is None  # more than 400 digits written out


def test_a_number_reaches_the_tool_as_the_module_hands_it_over() -> None:
    def value(text: str) -> int | float | None:
        number = ctynumber.parse(text)
        return None if number is None else ctynumber.value(number)

    assert [value(t) for t in ("3", "1.0", "-0", "1e3", "0.1", "1.5e-7")] == [
        3,
        1,
        0,
        1000,
        0.1,
        1.5e-7,
    ]
    assert isinstance(value("1.0"), int)
    exact = ctynumber.held(Decimal("0.30000000000000001"))
    assert exact is not None
    assert ctynumber.text(exact) == "0.30000000000000001"


class _Endpoint(BaseModel):
    host: str
    port: int = 5432
    tls: bool | None = None


class _Toy(BaseModel):
    count: int = 1
    ratio: float = 1.0
    name: str = "x"
    enabled: bool = True
    ports: list[int] = Field(default_factory=list)
    labels: dict[str, str] = Field(default_factory=dict)
    primary: _Endpoint | None = None
    replicas: list[_Endpoint] = Field(default_factory=list)
    values: dict[str, Any] = Field(default_factory=dict)
    token: SecretStr | None = None


TOY = {name: map_field(name, info).shape for name, info in _Toy.model_fields.items()}


def test_each_value_converts_to_its_variables_type() -> None:
    given = {
        "count": "3",
        "ratio": "1.5",
        "name": Decimal("1E+3"),
        "enabled": "false",
        "ports": ["5432", Decimal("6432")],
        "labels": {"a": Decimal("1.0"), "b": True, "c": "1e3"},
        "primary": {"host": Decimal("7"), "port": "6432", "tls": "1"},
        "replicas": [{"host": "a", "port": "1e1"}],
        "values": {"keep": "3", "n": Decimal("1.50")},
        "token": Decimal("12345678"),
    }
    assert convert_tfvars(given, TOY) == {
        "count": 3,
        "ratio": 1.5,
        "name": "1000",
        "enabled": False,
        "ports": [5432, 6432],
        "labels": {"a": "1", "b": "true", "c": "1e3"},
        "primary": {"host": "7", "port": 6432, "tls": True},
        "replicas": [{"host": "a", "port": 10}],
        "values": {"keep": "3", "n": 1.5},  # `any`: only numbers as OpenTofu holds them
        "token": "12345678",
    }
    _Toy.model_validate(convert_tfvars(given, TOY), strict=True)


def test_what_does_not_convert_is_left_for_the_model_to_refuse() -> None:
    given = {
        "count": "three",
        "enabled": "yes",
        "name": ["a"],
        "ports": {"a": "1"},
        "labels": "x",
        "primary": {"host": "h", "port": True, "extra": Decimal("2")},
        "unknown": {"n": Decimal("1E+1")},
        "token": None,
    }
    assert convert_tfvars(given, TOY) == {
        "count": "three",
        "enabled": "yes",
        "name": ["a"],
        "ports": {"a": "1"},
        "labels": "x",
        "primary": {"host": "h", "port": True, "extra": 2},  # a typo stays a typo
        "unknown": {"n": 10},
        "token": None,  # null: the default
    }


def test_json_numbers_of_a_tfvars_file_are_exact() -> None:
    text = '{"a": 1e3, "b": "1e3", "c": -0, "d": 0.30000000000000001, "e": 3, "f": 1.5e-7}'
    assert load_one(text, exact_numbers=True) == {
        "a": Decimal("1E+3"),
        "b": "1e3",
        "c": Decimal("-0"),
        "d": Decimal("0.30000000000000001"),
        "e": Decimal(3),
        "f": Decimal("1.5E-7"),
    }
    assert str(load_one(text, exact_numbers=True)["c"]) == "-0"
    # YAML 1.1 reads some JSON numbers as strings: that stays so elsewhere.
    assert load_one(text) == {"a": "1e3", "b": "1e3", "c": 0, "d": 0.3, "e": 3, "f": 1.5e-7}
    # Past the digits bound, and past the exponents Decimal holds at all.
    for number in ("1e400", "1e9999999999999999999"):
        with pytest.raises(YAMLInputError) as caught:
            load_one(f'{{"a": {number}}}', exact_numbers=True)
        assert str(caught.value) == "line 1, column 7: a number too long"


TFVARS = {
    "instances": "3",
    "postgis_enabled": "false",
    "postgresql_parameters": {"max_connections": 200},
    "resource_requests": {"cpu": 0.5},
    "synchronous_replication": {"number": "2"},
    "storage_class": None,
}


def test_a_tfvars_file_converts_and_other_sources_stay_strict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tfvars = tmp_path / "prod.tfvars.json"
    tfvars.write_text(json.dumps(TFVARS), encoding="utf-8")
    inputs = load_inputs([tfvars])
    assert (inputs.instances, inputs.postgis_enabled) == (3, False)
    assert inputs.postgresql_parameters == {"max_connections": "200"}
    assert inputs.resource_requests.cpu == "0.5"
    assert inputs.synchronous_replication is not None
    assert inputs.synchronous_replication.number == 2
    assert inputs.storage_class == "do-block-storage"
    assert merge_sources([], [], each=tfvars)["instances"] == 3  # --each too
    strict = [
        "instances: expected a whole number, got '3'",
        "postgis_enabled: expected true or false, got 'false'",
        "postgresql_parameters.max_connections: expected a string, got 200",
        "synchronous_replication.number: expected a whole number, got '2'",
    ]
    plain = tmp_path / "prod.json"
    plain.write_text(json.dumps(TFVARS), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_inputs([plain])
    assert caught.value.lines() == strict
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(json.dumps(TFVARS).encode())))
    with pytest.raises(InputError) as caught:
        load_inputs([Path("-")])
    assert caught.value.lines() == strict
    with pytest.raises(InputError) as caught:
        load_inputs([], ["instances='3'", "postgresql_parameters={max_connections: 200}"])
    assert caught.value.lines() == strict[::2]


def test_the_file_name_decides(tmp_path: Path) -> None:
    for name, converted in [("a.tfvars.json", True), ("a.tfvars", False), ("tfvars.json", False)]:
        path = tmp_path / name
        path.write_text('{"instances": "3"}', encoding="utf-8")
        assert (read_inputs_file(path) == {"instances": 3}) is converted, name


def test_unconvertible_values_fail_with_the_inputs_own_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = "hunter2-canary"
    tfvars = tmp_path / "bad.tfvars.json"
    tfvars.write_text(
        json.dumps(
            {
                "instances": "three",
                "postgis_enabled": "yes",
                "helm_wait": "True",
                "postgresql_parameters": {"work_mem": ["4MB"]},
                "backup_s3_secret_access_key": {"key": secret},
                "backup_s3_access_key_id": [secret],
            }
        ),
        encoding="utf-8",
    )
    code, out, err = run(capsys, "outputs", "--json", "-i", str(tfvars))
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "error: helm_wait: expected true or false, got 'True'",
        "error: instances: expected a whole number, got 'three'",
        "error: postgis_enabled: expected true or false, got 'yes'",
        'error: postgresql_parameters.work_mem: expected a string, got ["4MB"]',
        "error: backup_s3_access_key_id: expected a string, got <sensitive>",
        "error: backup_s3_secret_access_key: expected a string, got <sensitive>",
    ]
    assert secret not in err


def test_a_number_of_more_than_150_significant_digits_stays_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # OpenTofu rounds it to 512 bits; the tool refuses it with the input's own line.
    def tfvars(digits: str) -> Path:
        path = tmp_path / f"n{len(digits)}.tfvars.json"
        path.write_text(
            f'{{"instances": {digits}, "helm_timeout": "{digits}", "cluster_name": {digits},'
            f' "pg_ident": [0.{digits}], "postgresql_parameters": {{"work_mem": {digits}e-3}},'
            f' "helm_values": {{"a": [{digits}]}}, "backup_s3_access_key_id": {digits}}}',
            encoding="utf-8",
        )
        return path

    fits = "1" * 150
    assert read_inputs_file(tfvars(fits)) == {
        "instances": int(fits),
        "helm_timeout": int(fits),
        "cluster_name": fits,
        "pg_ident": [f"0.{fits}"],
        "postgresql_parameters": {"work_mem": f"{fits[:-3]}.111"},
        "helm_values": {"a": [int(fits)]},
        "backup_s3_access_key_id": fits,
    }
    long = "1" * 151
    assert read_inputs_file(tfvars(long)) == {
        "instances": Decimal(long),
        "helm_timeout": long,
        "cluster_name": Decimal(long),
        "pg_ident": [Decimal(f"0.{long}")],
        "postgresql_parameters": {"work_mem": Decimal(f"{long}e-3")},
        "helm_values": {"a": [Decimal(long)]},
        "backup_s3_access_key_id": Decimal(long),
    }
    code, out, err = run(capsys, "outputs", "--json", "-i", str(tfvars(long)))
    assert (code, out) == (2, "")
    ones = "1" * 59 + "…"
    assert err.splitlines() == [
        "error: helm_values: expected chart values without numbers of more than 150 "
        "significant digits; found one in helm_values.a[0], got "
        '{"a": ["' + ones[8:],
        f"error: helm_timeout: expected a whole number, got '{ones[1:]}'",
        f"error: cluster_name: expected a string, got {ones}",
        f"error: instances: expected a whole number, got {ones}",
        f"error: postgresql_parameters.work_mem: expected a string, got {ones}",
        "error: backup_s3_access_key_id: expected a string, got <sensitive>",
        f"error: pg_ident[0]: expected a string, got 0.{ones[2:]}",
    ]


def test_a_sensitive_number_converts_like_any_string(tmp_path: Path) -> None:
    tfvars = tmp_path / "keys.tfvars.json"
    tfvars.write_text(
        '{"backup_s3_access_key_id": 12345678, "backup_s3_secret_access_key": 1e3}',
        encoding="utf-8",
    )
    inputs = load_inputs([tfvars])
    assert inputs.backup_s3_access_key_id is not None
    assert inputs.backup_s3_secret_access_key is not None
    assert inputs.backup_s3_access_key_id.get_secret_value() == "12345678"
    assert inputs.backup_s3_secret_access_key.get_secret_value() == "1000"
