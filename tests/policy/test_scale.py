"""A tree with a thousand databases and roles is checked whole, every finding there:
the rules relate them to their Cluster through the joins of lib.rego, never a lookup
per document. It runs in a child process, so the memory of such a check never stays
with the test process (and counts in the peak memory of the processes it starts
later, which other tests bound)."""

from __future__ import annotations

import json
import subprocess
import sys

CHECK = """
import json
from tests.policy.expected import knowing_warnings
from wildside_cnpg import Inputs, Module
from wildside_cnpg.policy import check_module

databases = [{"name": f"db_{i:04d}", "owner": f"owner_{i:04d}"} for i in range(1000)]
module = Module(Inputs(databases=databases, database_resource_enabled=True))
report = check_module(module)
print(json.dumps({
    "denies": report.denies,
    "warns": len(report.warns),
    "expected": report.warns == knowing_warnings(module),
}))
"""


def test_a_thousand_databases_with_secrets_you_manage() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, check=True, timeout=600
    )
    # Superuser access, and one R5 warning per role: their Secrets are not in the tree.
    assert json.loads(done.stdout) == {"denies": [], "warns": 1001, "expected": True}
