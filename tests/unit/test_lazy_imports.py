"""What the base install must import without its extras: rendering reads the apply
order (apply.order), which must load without lightkube."""

from __future__ import annotations

import subprocess
import sys

from wildside_cnpg import apply


def test_render_stream_loads_without_lightkube() -> None:
    code = (
        "import sys\n"
        "sys.modules['lightkube'] = None  # not importable, as in the base install\n"
        "from wildside_cnpg.cli import main\n"
        "assert main(['render', '--stdout']) == 0\n"
        "print('LOADED=' + ','.join(sorted(m for m in sys.modules if m.startswith('lightkube'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.splitlines()[-1] == "LOADED=lightkube"  # only the None marker


def test_every_exported_name_of_apply_resolves() -> None:
    assert sorted(apply._EXPORTS) == sorted(apply.__all__)
    for name in apply.__all__:
        assert getattr(apply, name) is not None, name
    assert apply.ApplyOptions.__module__ == "wildside_cnpg.apply.runner"
