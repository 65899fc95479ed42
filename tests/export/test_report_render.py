"""The HTML report in a real browser: headless Chromium draws it (skipped without one).

Uses ``scripts/report_screenshot.py``'s own :func:`screenshot`, so the script the
README's picture comes from is exercised too.
"""

from __future__ import annotations

import importlib.util
import struct
import subprocess
import tempfile
from pathlib import Path
from types import ModuleType

import pytest

from storylens.export.html_export import write_html
from tests.export.helpers import demo, hostile

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "report_screenshot.py"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("report_screenshot", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def script() -> ModuleType:
    module = load_script()
    if module.find_chromium() is None:
        pytest.skip("Chromium is not installed (looked for /usr/bin/chromium): no browser render")
    return module


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("which", ["demo", "hostile"])
def test_chromium_draws_the_report(script: ModuleType, tmp_path: Path, which: str) -> None:
    comparison = {"demo": demo, "hostile": hostile}[which]()
    page = tmp_path / "report.html"
    with page.open("wb") as out:
        write_html(comparison, out)
    png = script.screenshot(page, tmp_path / "report.png", size=(1200, 900))
    assert png_size(png) == (1200, 900)
    assert png.stat().st_size > 20_000  # a drawn page, not a blank one


def test_chromium_sees_the_grid_and_runs_no_script(script: ModuleType, tmp_path: Path) -> None:
    """The DOM Chromium builds holds every row and paragraph, and the page has no script."""
    page = tmp_path / "report.html"
    with page.open("wb") as out:
        write_html(demo(), out)
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [
                script.find_chromium(),
                *script.CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                "--dump-dom",
                page.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    dom = done.stdout
    c = demo()
    for row in c.rows:
        assert f'id="{row.id}"' in dom
    for doc in c.documents:
        for para in doc.paragraphs:
            assert f'id="{para.id}"' in dom
    assert "<script" not in dom
