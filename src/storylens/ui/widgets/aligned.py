"""The aligned view: every visible outlet side by side, one scroll position for all.

One Line-API widget draws all panes, so they cannot drift apart: a row is as
tall as its tallest cell and every pane scrolls with it, by keyboard or wheel.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rich.style import Style
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...core.model import Comparison
from ..layout import Layout, Options
from ..palette import Palette


class AlignedView(ScrollView, can_focus=True, inherit_bindings=False):
    """Panes of aligned paragraphs, drawn line by line."""

    COMPONENT_CLASSES = {
        "aligned--shared",
        "aligned--altered",
        "aligned--changed",
        "aligned--unique",
        "aligned--heading",
        "aligned--moved",
        "aligned--aside",
        "aligned--filler",
        "aligned--match",
        "aligned--current",
        "aligned--gutter",
        "aligned--rule",
        "aligned--fold",
    }

    current_row: reactive[int] = reactive(0, layout=False)
    """Index (in ``comparison.rows``) of the row the reader is on."""

    @dataclass
    class RowChanged(Message):
        """The row in the middle of the view changed (by scrolling or a jump)."""

        row: int

    def __init__(self, comparison: Comparison, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.comparison = comparison
        self.docs: tuple[str, ...] = tuple(d.id for d in comparison.documents)
        self.fold = False
        self.aside: frozenset[str] = frozenset()
        self.highlights: Mapping[str, Sequence[tuple[int, int]]] = {}
        self._layout: Layout | None = None
        self._cache: dict[tuple[str, int, int], list[Strip]] = {}
        self._heights: dict[tuple[str, int], int] = {}
        self._palette: Palette | None = None
        self._centre_row = -1

    # -- state pushed down by the app ------------------------------------------------

    def configure(
        self,
        *,
        docs: tuple[str, ...] | None = None,
        fold: bool | None = None,
        aside: frozenset[str] | None = None,
        highlights: Mapping[str, Sequence[tuple[int, int]]] | None = None,
    ) -> None:
        """Change what is shown.

        When the panes, the folding or the boilerplate change, the current row is
        scrolled back into the middle; new highlights alone leave the scroll as it is.
        """
        reshaped = (
            (docs is not None and docs != self.docs)
            or (fold is not None and fold != self.fold)
            or (aside is not None and aside != self.aside)
        )
        if docs is not None:
            self.docs = docs
        if fold is not None:
            self.fold = fold
        if aside is not None:
            self.aside = aside
        if highlights is not None:
            self.highlights = highlights
        if not reshaped and self._layout is not None:
            # Heights do not depend on highlights: the same layout, drawn anew.
            self._layout.highlights = self.highlights
            self.refresh()
            return
        self._relayout(keep=self.current_row if reshaped else None)

    @property
    def layout_(self) -> Layout:
        """The current layout (built on demand, at 80 cells before the first resize)."""
        if self._layout is None:
            self._relayout()
        if self._layout is None:
            self._layout = Layout(
                self.comparison,
                Options(self.docs, 80, self.fold, self.aside),
                self._palette_now(),
                self.highlights,
                self._cache,
            )
        return self._layout

    def folded_rows(self) -> set[int]:
        """Indices of the rows hidden in folds."""
        return {k for block in self.layout_.blocks if block.folded for k in block.rows}

    def next_block_row(self, step: int) -> int:
        """The first row of the block after (or before) the current row's block."""
        layout = self.layout_
        top, _ = layout.y_of_row(self.current_row)
        k = max(0, min(len(layout.blocks) - 1, layout.block_at(top) + step))
        return layout.blocks[k].rows[0] if layout.blocks else 0

    def _palette_now(self) -> Palette:
        if self._palette is None:

            def get(name: str) -> Style:
                # Colours resolved against the view (so translucent theme colours
                # blend), but no background: the row highlight shows through text.
                full = self.get_component_rich_style(name)
                return Style(
                    color=full.color,
                    bold=full.bold,
                    italic=full.italic,
                    underline=full.underline,
                    dim=full.dim,
                    reverse=full.reverse,
                )

            self._palette = Palette(
                shared=get("aligned--shared"),
                altered=get("aligned--altered"),
                changed=get("aligned--changed"),
                unique=get("aligned--unique"),
                heading=get("aligned--heading"),
                moved=get("aligned--moved"),
                aside=get("aligned--aside"),
                filler=get("aligned--filler"),
                match=Style(bgcolor=self.get_component_rich_style("aligned--match").bgcolor),
                current=Style(bgcolor=self.get_component_rich_style("aligned--current").bgcolor),
                gutter=get("aligned--gutter"),
                rule=get("aligned--rule"),
                fold=get("aligned--fold"),
            )
        return self._palette

    def _relayout(self, keep: int | None = None) -> None:
        if not self.size.width:
            return  # not laid out yet: on_resize builds it at the real width
        width = max(10, self.scrollable_content_region.width or self.size.width)
        self._layout = Layout(
            self.comparison,
            Options(self.docs, width, self.fold, self.aside),
            self._palette_now(),
            self.highlights,
            self._cache,
            self._heights,
        )
        self.virtual_size = Size(width, self._layout.height)
        if keep is not None and self.is_mounted:
            self.centre_row(keep, animate=False)
        self.refresh()

    def notify_style_update(self) -> None:
        """Theme or CSS changed: redraw with the new colours, if they changed.

        Textual also calls this on every focus change (``:focus`` may restyle a
        widget); re-rendering every paragraph then would cost a large comparison
        most of a second, so the wrapped lines are kept unless a colour changed.
        """
        super().notify_style_update()
        # Textual calls this before it has applied the new component styles: read
        # them on the next turn of the loop.
        self.call_next(self._restyle)

    def _restyle(self) -> None:
        old = self._palette
        self._palette = None
        if old is not None and self._palette_now() == old:
            return
        self._cache.clear()
        if self._layout is not None:
            self._relayout(keep=self.current_row)

    def on_resize(self) -> None:
        """Re-wrap for the new width, keeping the current row in view."""
        self._relayout(keep=self.current_row)

    # -- drawing and moving --------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """Draw screen line *y* of the view."""
        layout = self.layout_
        strip = layout.line(y + round(self.scroll_y), self.current_row)
        if layout.stale:
            layout.stale = False
            self.call_after_refresh(self._relayout, self.current_row)
        return strip.crop(0, self.scrollable_content_region.width).apply_style(self.rich_style)

    def centre_row(self, row: int, *, animate: bool = False) -> None:
        """Make *row* current and scroll it to the middle of the view."""
        self.current_row = row
        top, height = self.layout_.y_of_row(row)
        view = self.scrollable_content_region.height or self.size.height
        target = max(0, top - max(0, (view - height) // 2))
        self.scroll_to(y=target, animate=animate, immediate=True)
        self.refresh()

    def row_in_middle(self) -> int:
        """The row drawn in the middle of the view."""
        view = self.scrollable_content_region.height or self.size.height
        return self.layout_.row_at(round(self.scroll_y) + view // 2)

    def watch_scroll_y(self, old: float, new: float) -> None:
        """Keep the current row on screen when the reader scrolls past it."""
        super().watch_scroll_y(old, new)
        if self._layout is None:
            return
        view = self.scrollable_content_region.height or self.size.height
        top, height = self._layout.y_of_row(self.current_row)
        if top + height <= new or top >= new + view:
            self.current_row = self.row_in_middle()
        if self.current_row != self._centre_row:
            self._centre_row = self.current_row
            self.post_message(self.RowChanged(self.current_row))

    def watch_current_row(self, row: int) -> None:
        """Redraw the highlight and tell the app."""
        self.refresh()
        if row != self._centre_row:
            self._centre_row = row
            self.post_message(self.RowChanged(row))
