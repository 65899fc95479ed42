"""The reader on every hostile input: it opens and stays usable, or it shows the
one-line problem; whatever it draws holds no control character, and with text
of every width each pane's edge is where the layout put it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from textual.app import App
from textual.widget import Widget
from textual.widgets import Label

from storylens.ui.layout import SEPARATOR, pane_widths
from storylens.ui.screens.message import ProblemScreen

from ..ui.support import ReaderApp, reader, screen_lines
from .cases import CASES, MARKUP, UNREADABLE, Case, refuse_reading

SIZE = (120, 36)
FORBIDDEN = [chr(c) for c in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0))]
"""Control characters: none may reach the terminal (the drawn lines hold no newlines)."""


def _drawn(app: App[Any]) -> list[str]:
    """Every line drawn now by the screen's widgets (those shown)."""
    lines: list[str] = []
    for node in [app.screen, *app.screen.walk_children()]:
        if isinstance(node, Widget) and node.display and node.size.area:
            lines.extend(node.render_line(y).text for y in range(node.size.height))
    return lines


def _assert_inert(app: App[Any]) -> None:
    for line in _drawn(app):
        bad = [c for c in line if c in FORBIDDEN]
        assert not bad, (bad, line)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_reader_survives(case: Case, tmp_path: Path) -> None:
    """Opened, the reader answers its keys; refused, it shows the problem and exits 2."""
    app = ReaderApp(sources=case.build(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        if case.refused:
            assert isinstance(app.screen, ProblemScreen)
            message = str(app.screen.query_one("#problem", Label).render())
            assert case.refused in message
            _assert_inert(app)
            await pilot.press("q")
            await pilot.pause()
        else:
            screen = reader(app)
            assert app.comparison is not None
            _assert_inert(app)
            for key in case.reader_keys:
                await pilot.press(key)
                await pilot.pause()
                _assert_inert(app)
            assert app.is_running
            assert reader(app) is screen
            await pilot.press("q")
            await pilot.pause()
    assert app.return_code == (2 if case.refused else 0)


async def test_markup_and_escapes_are_drawn_as_typed(tmp_path: Path) -> None:
    """The payloads are on screen, as text: markup as typed, escapes as stand-ins."""
    for case_id, expected in [
        ("markup", [MARKUP]),
        ("escapes", ["␛[2J", "␛]0;pwned␇", "␛]52;c;c3RvcnlsZW5z␇", "␈␈␈"]),
    ]:
        case = next(c for c in CASES if c.id == case_id)
        folder = tmp_path / case_id
        folder.mkdir()
        app = ReaderApp(sources=case.build(folder))
        async with app.run_test(size=(400, 60)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            view = reader(app).view
            text = "".join(screen_lines(view))
            for wanted in expected:
                assert wanted in text, (wanted, text[:400])


async def test_every_pane_edge_is_where_the_layout_put_it(tmp_path: Path) -> None:
    """CJK, right-to-left, combining marks, emoji and zero-width characters: every line is
    exactly as wide as the view and the separators sit in the same columns on every line.
    """
    case = next(c for c in CASES if c.id == "scripts")
    app = ReaderApp(sources=case.build(tmp_path))
    async with app.run_test(size=(100, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        view = reader(app).view
        width = view.scrollable_content_region.width
        panes = pane_widths(width, 2)
        edge = panes[0]
        lines = [view.render_line(y) for y in range(view.scrollable_content_region.height)]
        text = "".join(strip.text for strip in lines)
        # The stories are on screen, with the invisible characters made visible.
        assert "米尔布鲁克" in text and "آنا رويز" in text and "∙" in text
        assert "\u200b" not in text and "\u200d" not in text
        drawn = [strip for strip in lines if strip.text.strip()]
        assert len(drawn) > 10
        for strip in lines:
            assert strip.cell_length == width
        for strip in drawn:
            column = 0
            at_edge = None
            for char in strip.text:
                if column == edge:
                    at_edge = char
                    break
                column += cell_len(char)
            assert at_edge == SEPARATOR, strip.text


async def test_an_unreadable_file_shows_the_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = UNREADABLE.build(tmp_path)
    refuse_reading(monkeypatch, sources[0])
    app = ReaderApp(sources=sources)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ProblemScreen)
        assert "permission denied" in str(app.screen.query_one("#problem", Label).render())
