"""The compiled validator (inputs/compiled.py) is the pydantic declaration
(inputs/model.py) compiled: current with it, equal to it on every input, and a render
never imports pydantic, from a `*.tfvars.json` file either (opentofu/variable_types.py
is compiled from the same declaration)."""

from __future__ import annotations

import copy
import json
import os
import pickle
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pydantic_core
import pytest
from hypothesis import HealthCheck, given, settings
from packaging.requirements import Requirement
from pydantic_core import ValidationError

from tests.golden.cases import CASES, REPO
from tests.strategies import any_inputs
from wildside_cnpg import InputError, Inputs
from wildside_cnpg.inputs import compiled, compiler
from wildside_cnpg.inputs.cluster import ComputeResources as DeclaredResources
from wildside_cnpg.inputs.marks import Secret
from wildside_cnpg.inputs.model import InputsModel
from wildside_cnpg.inputs.services import AdditionalService as DeclaredAdditional
from wildside_cnpg.inputs.services import ServiceSettings as DeclaredService

STALE = "not current: run `make compiled-inputs`"


def test_compiled_py_is_what_the_compiler_generates() -> None:
    assert compiler.TARGET.read_text(encoding="utf-8") == compiler.source(), STALE


def test_variable_types_py_is_what_the_compiler_generates() -> None:
    text = compiler.VARIABLE_TYPES_TARGET.read_text(encoding="utf-8")
    assert text == compiler.variable_types_source(), STALE


def test_the_dependency_holds_the_pydantic_core_the_schema_was_generated_for() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    pins = [
        Requirement(line)
        for line in pyproject["project"]["dependencies"]
        if Requirement(line).name == "pydantic-core"
    ]
    assert len(pins) == 1
    assert pydantic_core.__version__ == compiled.PYDANTIC_CORE_VERSION
    assert pins[0].specifier.contains(compiled.PYDANTIC_CORE_VERSION)
    # The series only: the next minor release may change the schema's format.
    next_minor = ".".join(compiled.PYDANTIC_CORE_VERSION.split(".")[:2]) + ".999"
    assert pins[0].specifier.contains(next_minor)
    major, minor = compiled.PYDANTIC_CORE_VERSION.split(".")[:2]
    assert not pins[0].specifier.contains(f"{major}.{int(minor) + 1}.0")


def _outcome(validate: Any, values: dict[str, Any]) -> tuple[str, Any]:
    """What a validator made of `values`: its errors (as pydantic-core reports them), or
    the values of every field, records and models as mappings."""
    try:
        validated = validate(values)
    except ValidationError as error:
        details = error.errors(include_url=False)
        return "refused", json.loads(json.dumps(details, default=str))
    return "accepted", {name: getattr(validated, name) for name in InputsModel.model_fields}


def _plain(value: Any) -> Any:
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return _plain(dump())
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


def _same(values: dict[str, Any]) -> None:
    declared = _outcome(InputsModel.model_validate, values)
    compiled_ = _outcome(compiled.VALIDATOR.validate_python, values)
    assert declared[0] == compiled_[0]
    assert _plain(declared[1]) == _plain(compiled_[1])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_inputs())
def test_the_compiled_validator_decides_as_the_declaration(
    drawn: tuple[dict[str, Any], Any],
) -> None:
    _same(drawn[0])


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_golden_case_validates_as_declared(case: str) -> None:
    _same(CASES[case])


@pytest.mark.parametrize(
    "values",
    [
        {"instances": 0, "resource_requests": {"cpu": "0", "memory": "1Gi"}},
        {"tolerations": [{"key": "a", "operator": "Sideways", "effect": 5}]},
        {"helm_values": ["a: 1", 3], "backup_s3_secret_access_key": 7},
        {"extra_databases": [{"name": "A", "owner": "b", "extensions": [{"name": "1"}]}]},
        {"additional_services": [{"name": "x", "selector_type": "rw", "surprise": True}]},
        {"synchronous_replication": {"method": "any", "number": -1}},
        {"pod_security_context": {"supplemental_groups": [-5]}},
        {"flux_depends_on": {"operator": ["Not/A/Reference"]}},
    ],
)
def test_refusals_inside_objects_and_lists_match_the_declaration(values: dict[str, Any]) -> None:
    _same(values)


def test_records_behave_as_the_frozen_models_they_replace() -> None:
    resources = {"cpu": "2", "memory": "4Gi"}
    inputs = Inputs(resource_requests=resources, resource_limits=resources)
    declared = DeclaredResources(cpu="2", memory="4Gi")
    assert inputs.resource_requests.model_dump() == declared.model_dump()
    assert repr(inputs.resource_requests) == repr(declared)
    assert inputs.resource_requests == compiled.ComputeResources._of(cpu="2", memory="4Gi")
    assert hash(inputs.resource_requests) == hash(
        compiled.ComputeResources._of(cpu="2", memory="4Gi")
    )
    assert inputs.model_fields_set == {"resource_requests", "resource_limits"}
    secret = compiled.VALIDATOR.validate_python({"backup_s3_access_key_id": "k"})
    assert secret.backup_s3_access_key_id == Secret("k")
    assert "k" not in repr(secret.backup_s3_access_key_id)
    with pytest.raises(AttributeError, match=r"^Inputs is frozen: instances cannot be set$"):
        inputs.instances = 5  # type: ignore[misc]


def test_instances_of_the_declared_models_are_read_as_their_mappings() -> None:
    """Code written for the pydantic models passes their instances, alone or in lists;
    they validate as the mappings they stand for, given fields included."""
    declared = Inputs(
        pooler_enabled=True,
        pooler_service=DeclaredService(type="LoadBalancer", load_balancer_class="a.b/c"),
        additional_services=[DeclaredAdditional(name="wildside-pg-x", selector_type="r")],
        resource_requests=DeclaredResources(cpu="1", memory="1Gi"),
    )
    mapped = Inputs(
        pooler_enabled=True,
        pooler_service={"type": "LoadBalancer", "load_balancer_class": "a.b/c"},
        additional_services=[{"name": "wildside-pg-x", "selector_type": "r"}],
        resource_requests={"cpu": "1", "memory": "1Gi"},
    )
    assert declared == mapped
    assert declared.pooler_service.model_fields_set == {"type", "load_balancer_class"}
    # Checked as a mapping is: source ranges only on a LoadBalancer.
    with pytest.raises(InputError) as refused:
        Inputs(
            pooler_enabled=True,
            pooler_service=DeclaredService(load_balancer_source_ranges=["10.0.0.0/8"]),
        )
    assert refused.value.problems == [
        "pooler_service.load_balancer_source_ranges: expected only with type LoadBalancer "
        "(Kubernetes refuses it on a ClusterIP Service)"
    ]


def test_inputs_copy_and_pickle_as_the_models_did() -> None:
    inputs = Inputs(cluster_name="orders", tolerations=[{"key": "a", "operator": "Exists"}])
    for copied in (copy.copy(inputs), copy.deepcopy(inputs), pickle.loads(pickle.dumps(inputs))):
        assert type(copied) is Inputs
        assert copied == inputs
        assert copied.model_fields_set == {"cluster_name", "tolerations"}
        assert copied.tolerations[0] == inputs.tolerations[0]


def test_defaults_are_the_declared_defaults() -> None:
    for name, info in InputsModel.model_fields.items():
        assert _plain(Inputs.default(name)) == _plain(info.get_default(call_default_factory=True))


def test_a_problem_is_still_one_line_naming_the_input() -> None:
    with pytest.raises(InputError) as raised:
        Inputs(instances=0, clustr_name="x")
    assert raised.value.problems == [
        "instances: expected a whole number from 1 to 9223372036854775807, got 0",
        "clustr_name: unknown input; did you mean 'cluster_name'?",
    ]


def _run_noting_pydantic(argv: list[str], cwd: Path, stdin: str = "") -> tuple[str, list[str]]:
    """The command's standard output, and the pydantic modules it imported."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONWARNINGS"}
    probe = (
        "import sys, runpy\n"
        f"sys.argv = {['wildside-cnpg', *argv]!r}\n"
        "try:\n"
        "    runpy.run_module('wildside_cnpg', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write(' '.join(sorted(m for m in sys.modules if m.startswith('pydantic'))))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        check=True,
    )
    return run.stdout, run.stderr.rsplit("\n", 1)[-1].split()


@pytest.mark.parametrize(
    ("inputs_file", "text"),
    [
        (None, ""),
        # A number as text: a `*.tfvars.json` value converts to its variable's type.
        ("cluster.tfvars.json", '{"instances": "2", "cluster_name": "orders"}'),
        ("cluster.yaml", "instances: 2\ncluster_name: orders\n"),
    ],
)
def test_a_render_does_not_import_pydantic(
    tmp_path: Path, inputs_file: str | None, text: str
) -> None:
    """Only pydantic-core, the validator: importing pydantic and building the models
    is what compiling saves every run."""
    argv = ["render", "--stdout", "--no-policy"]
    if inputs_file is not None:
        (tmp_path / inputs_file).write_text(text)
        argv += ["--inputs", inputs_file]
    stdout, imported = _run_noting_pydantic(argv, tmp_path)
    assert "kind: Cluster" in stdout
    assert ("  name: orders\n" in stdout) == (inputs_file is not None)
    assert ("  instances: 2\n" in stdout) == (inputs_file is not None)
    assert "pydantic_core" in imported
    assert [name for name in imported if not name.startswith("pydantic_core")] == []


def test_the_opentofu_data_source_does_not_import_pydantic(tmp_path: Path) -> None:
    """OpenTofu runs `opentofu external` on every plan; a value equal to its default is
    recognised from the compiled defaults."""
    query = json.dumps({"inputs": json.dumps({"instances": 3, "cluster_name": "orders"})})
    stdout, imported = _run_noting_pydantic(["opentofu", "external"], tmp_path, query)
    answer = json.loads(stdout)
    assert json.loads(answer["cluster_name"]) == "orders"
    assert "pydantic_core" in imported
    assert [name for name in imported if not name.startswith("pydantic_core")] == []
