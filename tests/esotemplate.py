"""An ExternalSecret's target template rendered by eso-template (tests/tools/
eso-template, built by scripts/setup/57-eso-template.sh): ESO's template engine v2,
Go's text/template with sprig's functions, for the tests in which ESO does not run."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping
from typing import Any

TIMEOUT_SECONDS = 30


def render_template(template: Mapping[str, str], data: Mapping[str, str]) -> dict[str, str]:
    """Each key of `template` rendered with `data` (what ESO fetched), as ESO would."""
    executable = shutil.which("eso-template")
    if executable is None:
        raise RuntimeError("eso-template is not built (scripts/setup/57-eso-template.sh)")
    result = subprocess.run(
        [executable],
        input=json.dumps({"template": dict(template), "data": dict(data)}),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip())
    rendered: dict[str, Any] = json.loads(result.stdout)
    return {str(key): str(value) for key, value in rendered.items()}
