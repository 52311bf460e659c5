"""What the base install must import without its extras: rendering reads the apply
order (apply.order), which must load without lightkube."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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


def test_a_render_loads_the_opentofu_layer_only_for_a_tfvars_file(tmp_path: Path) -> None:
    """The tfvars conversion (and the rest of the OpenTofu layer) is imported only when
    a `*.tfvars.json` is read: never on a render's start-up path."""
    code = (
        "import sys\n"
        "from wildside_cnpg.cli import main\n"
        "assert main(['render', '--stdout', '--no-policy', *sys.argv[1:]]) == 0\n"
        "print('LOADED=' + ','.join(sorted(m for m in sys.modules if '.opentofu' in m)))"
    )
    tfvars = tmp_path / "prod.tfvars.json"
    tfvars.write_text('{"instances": "2"}')
    loaded = [
        subprocess.run(
            [sys.executable, "-c", code, *extra],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout.splitlines()[-1]
        for extra in ([], ["--inputs", str(tfvars)])
    ]
    assert loaded[0] == "LOADED="
    assert "wildside_cnpg.opentofu.tfvars" in loaded[1].removeprefix("LOADED=").split(",")
