"""Web pages as sources in the reader and the export: one failed page loses nothing else."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from storylens.core.fetch import CACHE_ENV

from ..core.test_fetch import StoryServer, page
from .support import ReaderApp


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[StoryServer]:
    """Two outlets' pages on 127.0.0.1, a fresh cache, no proxy."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    httpd = StoryServer()
    httpd.routes["/coastal"] = page("coastal-times.html")
    httpd.routes["/herald"] = page("harbour-herald.html")
    try:
        yield httpd
    finally:
        httpd.stop()


async def _open(app: ReaderApp) -> None:
    async with app.run_test(size=(160, 45)) as pilot:
        for _ in range(100):
            await pilot.pause(0.05)
            if app.comparison is not None or app.return_code_on_quit:
                break
        await pilot.pause()
        app.final_screen = type(app.screen).__name__  # type: ignore[attr-defined]


class TestReaderWithPages:
    """The reader opens web pages, and says which could not be fetched."""

    async def test_two_pages_and_a_broken_one(self, server: StoryServer) -> None:
        urls = [server.url("/coastal"), server.url("/herald"), server.url("/gone")]
        app = ReaderApp(urls)
        await _open(app)
        assert app.final_screen == "ReaderScreen"  # type: ignore[attr-defined]
        assert app.comparison is not None
        assert [d.source for d in app.comparison.documents] == urls[:2]
        assert any("Left out" in n and "/gone" in n and "HTTP 404" in n for n in app.notices)

    async def test_too_few_pages_is_a_problem_screen(self, server: StoryServer) -> None:
        app = ReaderApp([server.url("/coastal"), server.url("/gone")])
        await _open(app)
        assert app.final_screen == "ProblemScreen"  # type: ignore[attr-defined]
        assert app.return_code_on_quit == 2


def test_export_leaves_out_a_broken_page_with_a_warning(
    server: StoryServer, tmp_path: Path
) -> None:
    out = tmp_path / "out.json"
    urls = [server.url("/coastal"), server.url("/herald"), server.url("/gone")]
    done = subprocess.run(
        [sys.executable, "-m", "storylens", "export", *urls, "-o", str(out)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == f"storylens: warning: {urls[2]}: HTTP 404 Not Found (left out)\n"
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [d["source"] for d in data["documents"]] == urls[:2]
    assert all(d["label"] for d in data["documents"])


def test_export_fails_when_fewer_than_two_pages_load(server: StoryServer) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "storylens", "export", server.url("/coastal"), server.url("/gone")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("storylens: error: ")
    assert "HTTP 404 Not Found; only 1 of 2 sources could be used" in done.stderr
