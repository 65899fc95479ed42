"""Article text and labels are untrusted: markup is shown as typed, control characters
as visible stand-ins, and nothing in a story can drive the terminal or the app.
"""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import SelectionList

from storylens.core.compare import compare
from storylens.core.model import Comparison
from storylens.ui.screens.panes import PaneChooser

from ..conftest import make_doc
from .support import CONTROL_CHARACTERS, SIZE, ReaderApp, reader, screen_lines, tap

MARKUP = "[bold red]x[/]"
LINK = "[@click=app.quit]quit[/]"


def _hostile() -> Comparison:
    """Two versions of a story whose text and labels carry markup and escape sequences."""
    a = make_doc(
        0,
        f"The council met {MARKUP} and voted {LINK} on the harbour plan on Monday.",
        "Bells rang \x07 and the screen \x1b[2J cleared while \x1b]0;pwned\x07 the title "
        "changed, \x9b31m went red and back\x08space ate a letter.",
        label="[bold]Wire[/] \x1b[31m",
    )
    b = make_doc(
        1,
        f"The council met {MARKUP} and voted {LINK} on the harbour plan on Tuesday.",
        "A second paragraph about the fish market, which opens at dawn on weekdays.",
        label=f"{LINK} Courier",
    )
    return compare([a, b])


def _all_lines(widget: Widget) -> list[str]:
    """Every line a widget and its descendants draw now."""
    lines: list[str] = []
    for node in [widget, *widget.walk_children()]:
        if isinstance(node, Widget) and node.display and node.size.area:
            lines.extend(node.render_line(y).text for y in range(node.size.height))
    return lines


class TestUntrustedText:
    """Markup and control characters in sources and labels are drawn, never obeyed."""

    async def test_markup_and_escapes_are_drawn_literally(self) -> None:
        """Brackets appear as typed, controls as pictures; clicks and keys do not quit."""
        c = _hostile()
        app = ReaderApp(comparison=c)
        async with app.run_test(size=SIZE) as pilot:
            screen = reader(app)
            view = screen.view
            text = "\n".join(screen_lines(view))
            assert MARKUP in text and LINK in text
            # Control characters become visible stand-ins of the same length.
            for shown in ("␇", "␛[2J", "␛]0;pwned␇", "␦31m", "back␈space"):
                assert shown in text, shown
            headers = "\n".join(_all_lines(screen.query_one("#headers")))
            assert "[bold]Wire[/] ␛[31m" in headers and f"{LINK} Courier" in headers
            everything = "\n".join(_all_lines(screen))
            for raw in CONTROL_CHARACTERS:
                assert raw not in everything, repr(raw)
            svg = app.export_screenshot()
            for raw in CONTROL_CHARACTERS:
                assert raw not in svg, repr(raw)
            # Click right on the would-be link, in the panes and the headers.
            lines = screen_lines(view)
            y = next(k for k, line in enumerate(lines) if "[@click" in line)
            x = lines[y].index("quit[/]")
            await pilot.click(view, offset=(x + 1, y))
            header = screen.query_one("#headers").render_line(0).text
            await pilot.click("#headers", offset=(header.index("[@click") + 3, 0))
            await tap(pilot, "enter", "space", "n", "b", "2", "b")
            assert app.is_running
            assert reader(app) is screen
            # The chooser lists the labels as typed too.
            await pilot.press("c")
            assert isinstance(app.screen, PaneChooser)
            listed = "\n".join(_all_lines(app.screen.query_one(SelectionList)))
            assert "[bold]Wire[/] ␛[31m" in listed and f"{LINK} Courier" in listed
            await pilot.click(SelectionList, offset=(8, 1))
            assert app.is_running
            await pilot.press("escape")
            assert reader(app) is screen

    async def test_notifications_show_labels_with_stand_ins(self) -> None:
        """The "nothing was set aside" toast draws the label's ESC as ␛, not raw."""
        c = _hostile()
        app = ReaderApp(comparison=c)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await tap(pilot, "b")  # outlet 1 has nothing set aside: a toast names it
            await pilot.pause()
            toasts = list(app.screen.query("Toast"))
            assert toasts
            drawn = "\n".join(line for toast in toasts for line in _all_lines(toast))
            assert "nothing was set aside" in drawn
            for raw in CONTROL_CHARACTERS:
                assert raw not in drawn, repr(raw)
