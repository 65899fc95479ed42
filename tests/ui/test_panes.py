"""Which outlets are on screen and which one keys act on: focus, paging, pinning, choosing.

The reader shows as many panes as fit at a readable width; the others are paged.
These tests check the focused outlet, the visible outlets, their order and the
headers after each key, at widths where everything fits and where it does not.
"""

from __future__ import annotations

from textual.widgets import SelectionList

from storylens.ui.screens.panes import PaneChooser
from storylens.ui.widgets.headers import PaneHeaders

from .support import (
    SIZE,
    ReaderApp,
    assert_row_centred,
    many_outlets,
    reader,
    tap,
    two_outlets,
)

NARROW = (120, 45)
"""Three panes fit at this width."""


def _headers(app: ReaderApp) -> PaneHeaders:
    return reader(app).query_one("#headers", PaneHeaders)


def _status(app: ReaderApp) -> str:
    return str(reader(app).query_one("#status").render())


class TestFocus:
    """``tab``/``shift+tab`` and the digits choose the outlet keys act on."""

    async def test_tab_shift_tab_and_digits_focus_a_pane(self) -> None:
        """Focus moves pane by pane (wrapping), digits jump to an outlet by number."""
        c = many_outlets(5)
        app = ReaderApp(comparison=c)
        async with app.run_test(size=SIZE) as pilot:
            screen = reader(app)
            assert screen.visible_docs() == ("d0", "d1", "d2", "d3", "d4")
            assert screen.focused_doc == "d0"
            await tap(pilot, "tab")
            assert screen.focused_doc == "d1"
            assert _headers(app).focused == "d1"
            assert "outlet 2: Outlet 2" in _status(app)
            await tap(pilot, "tab", "tab", "tab")
            assert screen.focused_doc == "d4"
            await tap(pilot, "tab")  # past the last pane: round to the first
            assert screen.focused_doc == "d0"
            await tap(pilot, "shift+tab")
            assert screen.focused_doc == "d4"
            for digit in "31524":
                await tap(pilot, digit)
                assert screen.focused_doc == f"d{int(digit) - 1}"
                assert _headers(app).focused == screen.focused_doc
            assert "outlet 4: Outlet 4" in _status(app)
            # No outlet 9: a notice, and the focus stays.
            await tap(pilot, "9")
            assert screen.focused_doc == "d3"
            assert app.notices == ["There is no outlet 9."]
            # Nothing was paged: all five are still on screen, in order.
            assert screen.visible_docs() == ("d0", "d1", "d2", "d3", "d4")

    async def test_panes_follow_the_terminal_width(self) -> None:
        """Narrower, fewer panes fit (the rest are paged); wider again, all come back."""
        c = many_outlets(5)
        app = ReaderApp(comparison=c)
        async with app.run_test(size=SIZE) as pilot:
            screen = reader(app)
            await tap(pilot, "5")
            await pilot.resize_terminal(100, 45)
            await pilot.pause()
            assert screen.capacity == 3
            # The focused outlet (5) stays on screen: the panes page to it.
            assert screen.focused_doc == "d4"
            assert screen.visible_docs() == ("d2", "d3", "d4")
            assert screen.view.layout_.options.docs == screen.visible_docs()
            assert _headers(app).docs == screen.visible_docs()
            assert "2 more outlet(" in _status(app)
            await pilot.resize_terminal(*SIZE)
            await pilot.pause()
            assert screen.visible_docs() == ("d0", "d1", "d2", "d3", "d4")
            assert screen.view.layout_.options.docs == screen.visible_docs()


class TestPaging:
    """More outlets than fit (12 at width 120): digits, ``<``/``>``, tab and ``p``."""

    async def test_hidden_outlets_page_into_view(self) -> None:
        """Digits and divergences bring a hidden outlet on screen; ``<``/``>`` page."""
        c = many_outlets(12)
        app = ReaderApp(comparison=c)
        async with app.run_test(size=NARROW) as pilot:
            screen = reader(app)
            assert screen.capacity == 3
            assert screen.visible_docs() == ("d0", "d1", "d2")
            assert "9 more outlet(s): < > page" in _status(app)
            await tap(pilot, "9")
            assert screen.focused_doc == "d8"
            assert "d8" in screen.visible_docs()
            assert len(screen.visible_docs()) == 3
            assert screen.view.layout_.options.docs == screen.visible_docs()
            assert _headers(app).docs == screen.visible_docs()
            await tap(pilot, "greater_than_sign")  # the last page: it ends with outlet 12
            assert screen.visible_docs()[-1] == "d11"
            await tap(pilot, "greater_than_sign")  # nothing further right
            assert screen.visible_docs()[-1] == "d11"
            await tap(pilot, "less_than_sign", "less_than_sign", "less_than_sign")
            assert screen.visible_docs() == ("d0", "d1", "d2")
            assert screen.focused_doc == "d0"
            # tab past the right edge pages one outlet on.
            await tap(pilot, "tab", "tab", "tab")
            assert screen.focused_doc == "d3"
            assert "d3" in screen.visible_docs()
            # The one divergence is in outlet 12, off screen: n pages it in and focuses it.
            await tap(pilot, "n")
            assert screen.divergence == 0
            assert screen.focused_doc == "d11"
            assert "d11" in screen.visible_docs()
            assert_row_centred(screen.view, 1)

    async def test_pinned_pane_stays_leftmost_while_paging(self) -> None:
        """``p`` pins the focused pane: it leads every page; ``p`` again unpins it."""
        c = many_outlets(12)
        app = ReaderApp(comparison=c)
        async with app.run_test(size=NARROW) as pilot:
            screen = reader(app)
            await tap(pilot, "2", "p")
            assert screen.pinned == "d1"
            assert screen.visible_docs()[0] == "d1"
            assert _headers(app).pinned == "d1"
            seen: set[str] = set()
            for _ in range(6):
                await tap(pilot, "greater_than_sign")
                docs = screen.visible_docs()
                assert docs[0] == "d1" and docs.count("d1") == 1
                assert len(docs) == 3
                seen.update(docs[1:])
            # Paging right reached the last outlet; the pinned one led every page.
            assert "d11" in seen
            await tap(pilot, "9")  # a hidden outlet: paged in beside the pinned one
            assert screen.visible_docs()[0] == "d1"
            assert "d8" in screen.visible_docs()
            await tap(pilot, "2", "p")
            assert screen.pinned is None
            assert _headers(app).pinned is None
            assert len(screen.visible_docs()) == 3
            assert screen.focused_doc in screen.visible_docs()

    async def test_shift_tab_from_the_pinned_pane_wraps(self) -> None:
        """``shift+tab`` on the pinned (leftmost) pane goes round to the last outlet."""
        c = many_outlets(12)
        app = ReaderApp(comparison=c)
        async with app.run_test(size=NARROW) as pilot:
            screen = reader(app)
            await tap(pilot, "p")
            assert screen.pinned == screen.focused_doc == "d0"
            await tap(pilot, "shift+tab")
            assert screen.focused_doc == "d11"


class TestChooser:
    """``c`` opens a checklist of outlets: space toggles, Enter keeps, Esc cancels."""

    async def test_chooser_changes_the_shown_outlets(self) -> None:
        """Unticked outlets leave the screen (and the pin); Esc changes nothing."""
        c = many_outlets(5)
        app = ReaderApp(comparison=c)
        async with app.run_test(size=SIZE) as pilot:
            screen = reader(app)
            await tap(pilot, "p")
            assert screen.pinned == "d0"
            await pilot.press("c")
            assert isinstance(app.screen, PaneChooser)
            chooser = app.screen.query_one(SelectionList)
            assert sorted(chooser.selected) == ["d0", "d1", "d2", "d3", "d4"]
            await tap(pilot, "space", "down", "down", "space")
            assert sorted(chooser.selected) == ["d1", "d3", "d4"]
            await pilot.press("enter")
            assert reader(app) is screen
            assert screen.shown == ("d1", "d3", "d4")
            assert screen.visible_docs() == ("d1", "d3", "d4")
            assert screen.view.layout_.options.docs == ("d1", "d3", "d4")
            assert screen.pinned is None  # the pinned outlet was hidden
            assert screen.focused_doc == "d1"
            # Esc keeps things as they were, whatever was toggled.
            await pilot.press("c")
            await tap(pilot, "space", "space", "down", "space")
            await pilot.press("escape")
            assert reader(app) is screen
            assert screen.shown == ("d1", "d3", "d4")
            # A digit for a hidden outlet shows it again, in its place.
            await tap(pilot, "1")
            assert screen.focused_doc == "d0"
            assert screen.visible_docs() == ("d0", "d1", "d3", "d4")

    async def test_chooser_needs_at_least_one_outlet(self) -> None:
        """Enter with nothing ticked says so and keeps the chooser open."""
        c = two_outlets()
        app = ReaderApp(comparison=c)
        async with app.run_test(size=SIZE) as pilot:
            screen = reader(app)
            await pilot.press("c")
            await tap(pilot, "space", "down", "space")
            await pilot.press("enter")
            assert isinstance(app.screen, PaneChooser)
            assert app.notices == ["Choose at least one outlet."]
            await pilot.press("escape")
            assert reader(app) is screen
            assert screen.visible_docs() == ("d0", "d1")
