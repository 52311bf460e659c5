"""Each HCL condition of rules.py, evaluated by the real OpenTofu (`tofu console`),
against the tool's own check on the same values: equal for the exact rules, never
stricter for the looser ones (the tool refines those when the data source runs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wildside_cnpg.inputs.types import Check
from wildside_cnpg.opentofu import hcl
from wildside_cnpg.opentofu.rules import STRING_RULES

from .harness import Tofu

SAMPLES = [
    *("", " ", "a", "abc", "a-b", "-a", "a-", "A", "a.b", "a" * 63, "a" * 64, "ab_c", "_x"),
    *("1abc", "wildside_prod", "x" * 64, "30m", "1h30m", "1.5h", "10µs", "1d", "24h"),
    *("0.29.0", "v1.2.3", "1.2", "01.2.3", "1.2.3-rc.1+build.5", "^1.2.3", "1.x"),
    *("https://example.com", "https://example.com:8443/charts", "oci://ghcr.io/cnpg"),
    *("http://example.com", "https://exa mple.com", "https://", "ftp://x.org"),
    *("s3://bucket/path", "s3://b/x", "s3://My-Bucket/x", "s3://wildside-backups", "s3:/x/y"),
    *("30d", "4w", "12m", "0d", "30", "30y"),
    *("0 0 0 * * *", "0 0 * * *", "@daily", "@every 1h", "* * * * * * *", " 0 0 2 * * * "),
    *("0 0 0 32 * *", "@never"),
    *("100m", "0.5", "2", "0", "0m", "0.0", "1.5m", "256Mi", "1Gi", "0Gi", "1.5Gi", "10Gx"),
    *("1e3", "10k", "0.0001"),
    "ghcr.io/cloudnative-pg/postgis:16-3.6-system-trixie",
    "ghcr.io/cloudnative-pg/postgis:16@sha256:" + "a" * 64,
    "postgres@sha256:" + "a" * 64,
    *("postgres:latest", "postgres", "localhost:5000/img", "localhost:5000", "Foo/bar:1"),
    *("localhost:5000/img:1.0", "img:", "img:-x"),
    *(" padded", "padded ", "wildside/postgres/app", "/abs/path", "a b"),
    *("password", "access.key-id_1", "has space", "x/y"),
    *("./", "./clusters/prod/", "clusters/prod", "./a/../b", "./a b", "./x/./y", "./.."),
    *("line\nbreak", "tab\tin", "bell\x07", "name\n"),
    *("20260801T093000", "2026-08-01T09:30:00", "0/3000060", "FFFFFFFF/1", "0/", "g/1"),
    *("2026-08-01T09:30:00Z", "2026-08-01T11:30:00.250+02:00", "2026-02-30T00:00:00Z"),
    *("before-migration", "a\tb", "é" * 32),
    # The production inputs: extensions, label keys and values, text, pg_hba and pg_ident.
    *("uuid-ossp", "3.6.4", "topology.kubernetes.io/zone", "eks.amazonaws.com/role-arn"),
    *("a/b/c", "a\x01b", "tab\there", "line\nbreak", "x" * 4097, "Europe/Paris"),
    *("host all all 10.0.0.0/8 scram-sha-256", "local all all peer", "hots all all md5"),
    *("host all all 10.0.0.0/8 md5 # x", "map alice bob", "map alice", "map root # c"),
    # Service names and load balancer source ranges.
    *("wildside-pg-public", "1-public", "10.0.0.0/8", "10.0.0.1/8", "192.168.1.0/24"),
    *("2001:db8::/32", "::/0", "10.0.0.0", "010.0.0.0/8", "10.0.0.0/33", "10.0.0.0/8 "),
]


def _tool_accepts(check: Check, value: str) -> bool:
    try:
        check(value)
    except ValueError:
        return False
    return True


def _verdict(cases: list[Any], verdicts: list[str], check: Check, value: str) -> str:
    return next(v for (c, _, s), v in zip(cases, verdicts, strict=True) if (c, s) == (check, value))


def test_hcl_conditions_agree_with_the_tool_checks(tofu: Tofu, tmp_path: Path) -> None:
    cases = [(check, rule, value) for check, rule in STRING_RULES.items() for value in SAMPLES]
    lines = [rule.condition(hcl.string(value)) for _, rule, value in cases]
    result = tofu.run(tmp_path, "console", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    verdicts = result.stdout.split()
    assert len(verdicts) == len(cases)
    disagreements = []
    for (check, rule, value), verdict in zip(cases, verdicts, strict=True):
        assert verdict in ("true", "false"), (value, verdict)
        tool, tofu_says = _tool_accepts(check, value), verdict == "true"
        if tool != tofu_says and (rule.exact or tool):
            disagreements.append((check.expected, value, tool, tofu_says))
    assert disagreements == [], "\n".join(map(repr, disagreements))
    # Every rule refuses some sample and accepts another: none is trivially true.
    for check in STRING_RULES:
        seen = {v for (c, _, _), v in zip(cases, verdicts, strict=True) if c is check}
        assert seen == {"true", "false"}, check.expected
    # The looser schedule rule still refuses the five-field form CNPG would misread.
    schedule = next(c for c in STRING_RULES if "cron" in c.expected)
    assert _verdict(cases, verdicts, schedule, "0 0 * * *") == "false"
