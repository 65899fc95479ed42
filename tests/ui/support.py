"""Shared helpers for the reader's Pilot tests.

The demo comparison is computed once per test session (it is frozen data), the
small stories are written for these tests, and the probes read the reader's
state and what it draws, so tests assert on positions rather than "no crash".
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App
from textual.pilot import Pilot

from storylens.core.compare import compare, compare_sources
from storylens.core.model import Comparison
from storylens.demo import demo_sources
from storylens.ui import app as app_module
from storylens.ui.app import StorylensApp
from storylens.ui.screens.reader import ReaderScreen
from storylens.ui.widgets.aligned import AlignedView

from ..conftest import make_doc

SIZE = (160, 45)
"""The terminal size of most tests: wide enough for all five demo outlets."""

CONTROL_CHARACTERS = ("\x1b", "\x07", "\x08", "\x9b", "\x9d")
"""Raw control characters that must never reach the terminal."""


@cache
def demo_comparison() -> Comparison:
    """The bundled demo story, compared once and shared (a Comparison is frozen)."""
    paths, labels = demo_sources()
    return compare_sources(paths, labels=labels)


class ReaderApp(StorylensApp):
    """The storylens app, recording every notification it is asked to show."""

    # Textual resolves a relative CSS_PATH beside the file defining the class: point
    # this subclass at the app's own stylesheet.
    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Scrolls land at once (what a reader sees at the end of an animation).
        self.animation_level = "none"
        self.notices: list[str] = []
        """The messages of every notification, in order."""

    def notify(self, message: str, **kwargs: Any) -> None:  # type: ignore[override]
        """Record *message*, then notify as usual."""
        self.notices.append(message)
        super().notify(message, **kwargs)


CHARACTERS = {
    "slash": "/",
    "full_stop": ".",
    "comma": ",",
    "less_than_sign": "<",
    "greater_than_sign": ">",
    "question_mark": "?",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "quotation_mark": '"',
    "space": " ",
}
"""The character a named key types (single-character keys type themselves)."""


async def settle(app: App[Any], rounds: int = 3) -> None:
    """Wait until the app and every widget of its screen have handled what is queued.

    Each round queues a callback behind the pending messages of every node and
    waits for all of them; later rounds catch the messages those handlers posted
    (``RowChanged`` after a jump, say).
    """
    for _ in range(rounds):
        nodes = [app, *app.screen.walk_children(with_self=True)]
        handled = [asyncio.Event() for _ in nodes]
        queued = [
            event for node, event in zip(nodes, handled, strict=True) if node.call_later(event.set)
        ]
        await asyncio.wait_for(asyncio.gather(*(event.wait() for event in queued)), timeout=10)


async def tap(pilot: Pilot[Any], *keys: str) -> None:
    """Press *keys* as the terminal driver delivers them, waiting only until handled.

    ``pilot.press`` waits for the process to go idle twice per key (≈ 0.1 s);
    these tests press hundreds of keys, so the navigation keys go through here:
    the same ``Key`` event posted to the app, then :func:`settle`. Keys whose effect
    waits for a screen refresh (Textual's own scroll bindings, screens that mount)
    or that type into an input go through ``pilot.press``.
    """
    for key in keys:
        character = CHARACTERS.get(key, key if len(key) == 1 else None)
        pilot.app.post_message(events.Key(key, character))
        await settle(pilot.app)


def reader(app: App[Any]) -> ReaderScreen:
    """The app's current screen, which must be the reader."""
    screen = app.screen
    assert isinstance(screen, ReaderScreen), f"expected the reader, got {screen!r}"
    return screen


def view_height(view: AlignedView) -> int:
    """Lines of the view the panes are drawn in."""
    return view.scrollable_content_region.height


def assert_row_centred(view: AlignedView, row: int) -> None:
    """*row* is current, its block is on screen, and it sits in the middle if it can."""
    assert view.current_row == row
    top, height = view.layout_.y_of_row(row)
    assert height > 0, f"row {row} is not laid out"
    y, lines = round(view.scroll_y), view_height(view)
    assert y <= top, f"row {row} starts above the view ({top} < {y})"
    assert top + min(height, lines) <= y + lines, f"row {row} ends below the view"
    if 0 < y < view.max_scroll_y:
        # Not clamped at either end: the block's middle is the view's middle.
        assert abs((top + height / 2) - (y + lines / 2)) <= 1.0


def screen_lines(view: AlignedView) -> list[str]:
    """The plain text of every line the view draws now, top to bottom."""
    return [view.render_line(y).text for y in range(view_height(view))]


def marked_text(view: AlignedView) -> str:
    """The text drawn on screen in the highlight (match) style, line by line."""
    match = view.get_component_rich_style("aligned--match").bgcolor
    assert match is not None
    return "\n".join(
        "".join(seg.text for seg in view.render_line(y) if seg.style and seg.style.bgcolor == match)
        for y in range(view_height(view))
    )


def block_text(view: AlignedView, row: int, doc: str) -> str:
    """The text one pane shows for *row*: its lines without their gutter glyph, joined."""
    layout = view.layout_
    block = layout.blocks[layout.block_at(layout.y_of_row(row)[0])]
    return " ".join(" ".join(strip.text[2:].split()) for strip in block.cells[doc]).strip()


async def wheel(
    pilot: Pilot[Any], widget: AlignedView, *, down: bool = True, notches: int = 1
) -> None:
    """Turn the mouse wheel over the middle of *widget*, one notch at a time.

    The events go to the app, which forwards them to the widget under the pointer,
    as it does for a real terminal's wheel (``view.scroll_down()`` would skip that
    routing). Notches posted in one burst are partly coalesced, so each one is
    handled before the next is sent, as a wheel's notches are spaced in time.
    """
    region = widget.region
    x, y = region.x + region.width // 2, region.y + region.height // 2
    kind = events.MouseScrollDown if down else events.MouseScrollUp
    for _ in range(notches):
        pilot.app.post_message(
            kind(None, x, y, 0, 0, 0, False, False, False, screen_x=x, screen_y=y)
        )
        await settle(pilot.app)


def reading_order(comparison: Comparison, kind: str | None = None) -> list[int]:
    """Indices of the divergences (of one *kind*) in reading order: by row, then index."""
    rows = {row.id: k for k, row in enumerate(comparison.rows)}
    found = [i for i, d in enumerate(comparison.divergences) if kind is None or d.type == kind]
    return sorted(found, key=lambda i: (rows[comparison.divergences[i].row], i))


def row_index(comparison: Comparison, pid: str) -> int:
    """Index of the row holding paragraph *pid*."""
    for k, row in enumerate(comparison.rows):
        if any(pid in pids for pids in row.cells.values()):
            return k
    raise KeyError(pid)


def expected_marks(spans: Sequence[tuple[str, int, int]]) -> dict[str, list[tuple[int, int]]]:
    """Highlights as the view holds them: paragraph id → ranges, in order given."""
    marks: dict[str, list[tuple[int, int]]] = {}
    for pid, start, end in spans:
        marks.setdefault(pid, []).append((start, end))
    return marks


def many_outlets(count: int = 12) -> Comparison:
    """*count* outlets of a tiny invented story; only the last carries a second paragraph."""
    lead = "The harbour council met on Tuesday and approved the flood barrier plan after a debate."
    extra = "Only this outlet reports that the mayor left early to catch the ferry to Port Ellery."
    docs = [
        make_doc(i, lead, *([extra] if i == count - 1 else []), label=f"Outlet {i + 1}")
        for i in range(count)
    ]
    return compare(docs)


def two_outlets() -> Comparison:
    """Two short invented versions: one shared paragraph, one reworded, one unique."""
    a = make_doc(
        0,
        "The ferry to Gull Island will stop running in November, the operator said on Monday.",
        "Fares rose by twelve percent last spring after the fuel contract was renegotiated.",
        "Residents plan a meeting at the village hall on Friday evening to discuss the news.",
        label="Island Gazette",
    )
    b = make_doc(
        1,
        "The ferry to Gull Island will stop running in November, the operator said on Monday.",
        "Fares rose by fifteen percent last spring after the fuel contract was renegotiated.",
        label="Coast Radio",
    )
    return compare([a, b])
