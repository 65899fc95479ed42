"""What the reader looks like, at fixed sizes with a pinned theme.

Update after an intended change with ``pytest tests/snapshots --snapshot-update``
and look at every changed SVG before committing it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .apps import app, demo_comparison, hostile_comparison, many_outlets

SIZE = (160, 45)


class TestReader:
    """The demo story in the reader."""

    def test_demo_opened(self, snap_compare: Any) -> None:
        assert snap_compare(app(demo_comparison()), terminal_size=SIZE)

    def test_after_next_divergences(self, snap_compare: Any) -> None:
        # The third divergence: an altered paragraph with a changed name and number.
        assert snap_compare(app(demo_comparison()), press=["n", "n", "n"], terminal_size=SIZE)

    def test_help(self, snap_compare: Any) -> None:
        assert snap_compare(app(demo_comparison()), press=["question_mark"], terminal_size=SIZE)

    def test_sidebar_on_an_entity(self, snap_compare: Any) -> None:
        # The third entity by mentions: the mayor, with her aliases.
        assert snap_compare(
            app(demo_comparison()), press=["s", "down", "down", "enter"], terminal_size=SIZE
        )

    def test_reworded_quote(self, snap_compare: Any) -> None:
        # The next quote reworded between outlets, with its wordings in the sidebar.
        assert snap_compare(
            app(demo_comparison()), press=["quotation_mark", "s"], terminal_size=SIZE
        )

    def test_divergences_only(self, snap_compare: Any) -> None:
        assert snap_compare(app(demo_comparison()), press=["f"], terminal_size=SIZE)

    def test_boilerplate_shown_for_the_scraped_copy(self, snap_compare: Any) -> None:
        assert snap_compare(app(demo_comparison()), press=["5", "b"], terminal_size=SIZE)

    def test_search(self, snap_compare: Any) -> None:
        keys = ["slash", *"Lamarre", "enter", "full_stop"]
        assert snap_compare(app(demo_comparison()), press=keys, terminal_size=SIZE)

    def test_derivation_overview(self, snap_compare: Any) -> None:
        assert snap_compare(app(demo_comparison()), press=["d"], terminal_size=SIZE)

    def test_colour_blind_palette(self, snap_compare: Any) -> None:
        assert snap_compare(app(demo_comparison()), press=["t", "n", "n", "n"], terminal_size=SIZE)


class TestSizes:
    """Many outlets, and small terminals."""

    def test_twelve_outlets_in_120_columns_paged(self, snap_compare: Any) -> None:
        assert snap_compare(
            app(many_outlets()), press=["greater_than_sign"], terminal_size=(120, 40)
        )

    def test_narrow_terminal(self, snap_compare: Any) -> None:
        assert snap_compare(app(demo_comparison()), press=["n"], terminal_size=(80, 24))


class TestHostileInput:
    """Markup and escape sequences in a source are shown as text."""

    def test_hostile_markup_source(self, snap_compare: Any, tmp_path: Path) -> None:
        assert snap_compare(app(hostile_comparison(tmp_path)), terminal_size=(120, 24))
