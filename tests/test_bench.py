"""The benchmark's stage timer reads compare()'s progress reports: it must see every stage."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = sorted((ROOT / "src" / "storylens" / "demo").glob("0*"))


def test_every_stage_of_an_export_is_timed() -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--worker-stages", "--repeat", "2"]
        + [str(p) for p in DEMO],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(lines) == 2
    stages = ["load", "alignment", "links and spans", "names and quotes", "divergences", "JSON"]
    for seconds in lines:
        assert list(seconds) == stages
        # Every stage took some time: none was folded into the one before it.
        assert all(seconds[name] > 0 for name in stages), seconds
