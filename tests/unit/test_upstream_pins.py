"""Lists the tool keeps in step with upstream sources, pinned against the vendored
source archives (tests/data/upstream-src): a new operator release that changes them
fails here first."""

from __future__ import annotations

import re
import tarfile
from pathlib import Path

from wildside_cnpg import Inputs
from wildside_cnpg.inputs.rules import CNPG_FIXED_PARAMETERS

ARCHIVE = Path(__file__).resolve().parents[1] / "data/upstream-src/cloudnative-pg-1.30.0.tar.gz"


def _upstream_file(member: str) -> str:
    with tarfile.open(ARCHIVE) as archive:
        handle = archive.extractfile(f"cloudnative-pg-1.30.0/{member}")
        assert handle is not None
        return handle.read().decode()


def test_fixed_parameters_are_cnpg_1_30_0s() -> None:
    text = _upstream_file("pkg/postgres/configuration.go")
    body = text.split("FixedConfigurationParameters = map[string]string{", 1)[1].split("\n\t}", 1)[
        0
    ]
    upstream = set(re.findall(r'^\s*"([a-z_.]+)":', body, re.MULTILINE))
    assert len(upstream) > 50
    assert upstream == set(CNPG_FIXED_PARAMETERS)


def test_defaults_cnpg_lets_users_set_are_accepted() -> None:
    inputs = Inputs(
        postgresql_parameters={
            "wal_level": "logical",
            "wal_log_hints": "on",
            "full_page_writes": "on",
        }
    )
    assert inputs.postgresql_parameters["wal_level"] == "logical"


def test_cluster_name_rules_are_the_webhooks() -> None:
    text = _upstream_file("internal/webhook/v1/cluster_webhook.go")
    assert "validationutil.IsDNS1035Label(r.Name)" in text
    assert "if len(r.Name) > 50 {" in text
