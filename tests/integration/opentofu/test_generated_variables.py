"""The variables generator on a model shaped like inputs other branches add (nested
objects, lists of objects, maps, optional values, bounds, secrets), run by the real
OpenTofu: defaults fill in, the JSON handed to the tool validates, and each broken
rule is reported with the path the tool would name."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, SecretStr

from wildside_cnpg.inputs.types import DNSLabel
from wildside_cnpg.opentofu.variables import render_variables

from .harness import Tofu

DNS_LABEL = (
    "expected a DNS-1123 label (lower-case letters, digits and '-', starting and ending "
    "with a letter or digit, at most 63 characters)"
)


class Endpoint(BaseModel):
    host: DNSLabel
    port: int = Field(5432, ge=1, le=65535)
    tls: bool | None = None


class Toy(BaseModel):
    replicas: list[Endpoint] = Field(default_factory=list, description="Read replicas")
    labels: dict[str, DNSLabel] = Field(default_factory=dict, description="Labels")
    primary: Endpoint | None = Field(None, description="Primary")
    mirrors: dict[str, Endpoint] = Field(default_factory=dict, description="Mirrors")
    token: SecretStr | None = Field(None, description="Token")


def _root(tmp_path: Path, values: dict[str, Any]) -> Path:
    (tmp_path / "variables.tf").write_text(render_variables(Toy), encoding="utf-8")
    (tmp_path / "outputs.tf").write_text(
        'output "inputs" {\n  value     = jsonencode(local.inputs)\n  sensitive = true\n}\n',
        encoding="utf-8",
    )
    (tmp_path / "terraform.tfvars.json").write_text(json.dumps(values), encoding="utf-8")
    return tmp_path


def test_defaults_fill_in_and_the_json_validates(tofu: Tofu, tmp_path: Path) -> None:
    root = _root(
        tmp_path,
        {
            "replicas": [{"host": "a"}, {"host": "b", "port": 6432, "tls": True}],
            "labels": {"team": "orders"},
            "token": "s3cr3t",
        },
    )
    tofu.apply(root)
    sent = json.loads(json.loads(tofu.ok(root, "output", "-json", "inputs")))
    assert sent == {
        "replicas": [
            {"host": "a", "port": 5432, "tls": None},
            {"host": "b", "port": 6432, "tls": True},
        ],
        "labels": {"team": "orders"},
        "primary": None,
        "mirrors": {},
        "token": "s3cr3t",
    }
    model = Toy.model_validate({k: v for k, v in sent.items() if v is not None})
    assert model.replicas[1].port == 6432
    assert model.token is not None
    assert model.token.get_secret_value() == "s3cr3t"


def test_each_broken_rule_names_its_path(tofu: Tofu, tmp_path: Path) -> None:
    # OpenTofu reports one broken rule per variable: one each here.
    root = _root(
        tmp_path,
        {
            "replicas": [{"host": "a"}, {"host": "Not_A_Label"}],
            "labels": {"team": "orders", "cost": "Centre 7"},
            "primary": {"host": "p", "port": 0},
            "mirrors": {"nightly": {"host": "m", "port": 1.5}},
            "token": "s3cr3t",
        },
    )
    errors, printed = tofu.failed_plan(root)
    assert sorted(e["detail"].split("\n\n")[0] for e in errors) == [
        f"labels.cost: {DNS_LABEL}",
        "mirrors.nightly.port: expected a whole number",
        "primary.port: expected a whole number from 1 to 65535",
        f"replicas[1].host: {DNS_LABEL}",
    ]
    assert "s3cr3t" not in printed
