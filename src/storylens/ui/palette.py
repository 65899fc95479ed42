"""The styles the reader draws with, read from the view's component classes.

Colours live in ``app.tcss`` (so themes restyle them); the encoding never relies
on colour alone: every line carries a gutter glyph for its status, unique text
is bold and changed words are underlined.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style

STATUS_GLYPHS = {"shared": "│", "altered": "≈", "unique": "+", "heading": "#", "aside": "·"}
"""The gutter glyph of a line by the status that starts it."""


@dataclass(frozen=True)
class Palette:
    """Rich styles for each kind of text the aligned view draws."""

    shared: Style
    altered: Style
    changed: Style
    unique: Style
    heading: Style
    moved: Style
    aside: Style
    filler: Style
    match: Style
    current: Style
    gutter: Style
    rule: Style
    fold: Style

    @classmethod
    def plain(cls) -> Palette:
        """A palette without colours (before the view is mounted)."""
        null = Style()
        return cls(*(null for _ in range(13)))
