"""Lists the tool keeps in step with upstream sources, pinned against the vendored
source archives (tests/data/upstream-src): a new operator release that changes them
fails here first."""

from __future__ import annotations

import re
import tarfile
from pathlib import Path

from wildside_cnpg import Inputs
from wildside_cnpg.inputs import pgbouncer_settings, rules_parameters
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


def _function(text: str, signature: str) -> str:
    """The body of a Go function, from its signature to the closing brace."""
    return text.split(signature, 1)[1].split("\n}\n", 1)[0]


def test_parameter_rules_mirror_the_webhooks_checks() -> None:
    """What rules_parameters mirrors, as CloudNativePG 1.30.0 writes it: a change to any
    of these fails here first."""
    webhook = _upstream_file("internal/webhook/v1/cluster_webhook.go")
    sizes = _function(webhook, "func parsePostgresQuantityValue(")
    for line in (
        'if _, err := strconv.Atoi(value); err == nil {\n\t\tvalue += "MB"',
        'if value[len(value)-1:] != "B" {',
        'value = strings.TrimSuffix(value, "B")',
        'value = strings.ReplaceAll(value, " ", "")',
        'value += "i"',
        'value = strings.ReplaceAll(value, "ki", "Ki")',
        "return resource.ParseQuantity(value)",
    ):
        assert line in sizes
    wal = _function(webhook, "func validateWalSizeConfiguration(")
    assert f'minWalSizeDefault = "{rules_parameters.MIN_WAL_SIZE_DEFAULT}"' in wal
    assert f'maxWalSizeDefault = "{rules_parameters.MAX_WAL_SIZE_DEFAULT}"' in wal
    assert "minWalSizeValue.Cmp(maxWalSizeValue) >= 0" in wal
    assert (
        "hasMaxWalSize &&\n\t\t!maxWalSizeValue.IsZero() &&\n\t\t"
        "maxWalSizeValue.Cmp(*walVolumeSize) >= 0"
    ) in wal
    assert (
        "hasMinWalSize &&\n\t\t!minWalSizeValue.IsZero() &&\n\t\t"
        "minWalSizeValue.Cmp(*walVolumeSize) >= 0" in wal
    )
    configuration = _function(webhook, "func (v *ClusterCustomValidator) validateConfiguration(")
    assert f"if pgMajor < {rules_parameters.OLDEST_POSTGRES} {{" in configuration
    assert "walLogHintsActivated != nil && !*walLogHintsActivated && r.Spec.Instances > 1" in (
        configuration
    )
    for name in rules_parameters.BOOLEAN_PARAMETERS:
        constant = {
            "hot_standby_feedback": "ParameterHotStandbyFeedback",
            "sync_replication_slots": "ParameterSyncReplicationSlots",
            "wal_log_hints": "ParameterWalLogHints",
        }[name]
        assert f"tryParseBooleanPostgresParameter(r, postgres.{constant})" in configuration
    assert "sharedBuffers.Cmp(*memoryRequest) <= 0" in webhook
    assert (
        "r.Spec.PrimaryUpdateStrategy == apiv1.PrimaryUpdateStrategySupervised && "
        "r.Spec.Instances == 1"
    ) in webhook
    booleans = _upstream_file("pkg/postgres/booleans.go")
    words = re.findall(r'case ((?:"[^"]*", )*"[^"]*"):', booleans)
    assert [set(re.findall(r'"([^"]*)"', w)) for w in words] == [
        rules_parameters.POSTGRES_TRUE,
        rules_parameters.POSTGRES_FALSE,
    ]
    postgres = _upstream_file("pkg/postgres/configuration.go")
    assert 'configuration.OverwriteConfig("archive_mode", "on")' in postgres
    assert 'sanitizedParameters[postgres.ParameterArchiveMode] != "off"' in configuration
    failover = _function(webhook, "func (v *ClusterCustomValidator) validatePgFailoverSlots(")
    assert "if !hotStandbyFeedback {" in failover


def test_pgbouncer_settings_are_the_pooler_webhooks() -> None:
    text = _upstream_file("internal/webhook/v1/pooler_webhook.go")
    body = text.split(
        "AllowedPgbouncerGenericConfigurationParameters = stringset.From([]string{", 1
    )[1].split("})", 1)[0]
    upstream = set(re.findall(r'^\s*"([a-z_0-9]+)",', body, re.MULTILINE))
    assert len(upstream) > 50
    assert upstream == set(pgbouncer_settings.ALLOWED)
    assert "if !AllowedPgbouncerGenericConfigurationParameters.Has(param) {" in text
    assert pgbouncer_settings.READ_AT_START <= pgbouncer_settings.ALLOWED
    assert set(pgbouncer_settings.WITH_INPUTS) <= pgbouncer_settings.ALLOWED
