"""The engine must not depend on the UI toolkit (design rule: core is pure)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import storylens.core

CORE = Path(storylens.core.__file__).parent


def test_core_sources_import_no_ui_toolkit() -> None:
    offenders = []
    for path in sorted(CORE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [
                f"{path.name}: {n}" for n in names if n.split(".")[0] in ("textual", "rich")
            ]
    assert offenders == []


def test_export_path_does_not_load_textual() -> None:
    code = (
        "import sys, storylens.cli, storylens.core.compare, storylens.export.json_export;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
