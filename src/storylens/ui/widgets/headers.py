"""Pane headings: each visible outlet's label and how much of it is shared, altered, unique."""

from __future__ import annotations

from rich.segment import Segment
from textual.content import Content
from textual.strip import Strip
from textual.widget import Widget

from ...core.model import Comparison
from ...core.summary import document_shares
from ..layout import SEPARATOR, pane_widths
from ..text import screen_text


class PaneHeaders(Widget):
    """Two lines over the aligned view: labels, then shares, one column per pane."""

    COMPONENT_CLASSES = {
        "headers--label",
        "headers--focused",
        "headers--figures",
        "headers--pinned",
    }

    DEFAULT_CSS = """
    PaneHeaders { height: 2; }
    """

    def __init__(self, comparison: Comparison, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.comparison = comparison
        self.shares = document_shares(comparison)
        self.docs: tuple[str, ...] = tuple(d.id for d in comparison.documents)
        self.focused: str | None = self.docs[0] if self.docs else None
        self.pinned: str | None = None
        self.width_hint = 0
        """The aligned view's text width, so the columns line up with its panes."""

    def show(self, docs: tuple[str, ...], focused: str | None, pinned: str | None) -> None:
        """Update which panes are shown and which is focused."""
        self.docs, self.focused, self.pinned = docs, focused, pinned
        self.refresh()

    def render_line(self, y: int) -> Strip:
        """Line 0: numbered labels; line 1: shared / altered / unique shares."""
        width = self.width_hint or self.size.width
        widths = pane_widths(width, len(self.docs))
        labels = {d.id: d.label for d in self.comparison.documents}
        order = [d.id for d in self.comparison.documents]
        parts: list[Strip] = []
        for n, (doc, w) in enumerate(zip(self.docs, widths, strict=True)):
            if n:
                parts.append(
                    Strip([Segment(SEPARATOR, self.get_component_rich_style("headers--figures"))])
                )
            if y == 0:
                number = order.index(doc) + 1
                pin = "📌 " if doc == self.pinned else ""
                text = f" {number} {pin}{screen_text(labels[doc])}"
                name = "headers--focused" if doc == self.focused else "headers--label"
                style = self.get_component_rich_style(name)
            else:
                s = self.shares[doc]
                text = (
                    f"   │ {s['shared']:.0%} shared  ≈ {s['altered']:.0%} altered  "
                    f"+ {s['unique']:.0%} unique"
                )
                if len(text) > w:
                    text = f" │{s['shared']:.0%} ≈{s['altered']:.0%} +{s['unique']:.0%}"
                style = self.get_component_rich_style("headers--figures")
            line = Content(text).truncate(w, ellipsis=True)
            parts.append(
                Strip(line.render_segments(), line.cell_length)
                .adjust_cell_length(w, style)
                .apply_style(style)
            )
        strip = Strip.join(parts) if parts else Strip.blank(self.size.width)
        return strip.adjust_cell_length(self.size.width)
