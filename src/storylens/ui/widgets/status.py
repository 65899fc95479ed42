"""The status line: where the reader is, and the keys that matter now."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from ..text import screen_text


class StatusBar(Static):
    """Row and divergence position, the focused outlet, key hints and the legend."""

    DEFAULT_CSS = """
    StatusBar { height: 1; }
    """

    def show(
        self,
        *,
        row: int,
        rows: int,
        divergence: int | None,
        divergences: int,
        kind: str | None,
        outlet: str,
        hints: str,
    ) -> None:
        """Redraw the line from the reader's state."""
        where = f"row {row + 1}/{rows}"
        if divergences:
            at = f"{divergence + 1}" if divergence is not None else "–"
            what = f" {kind}" if kind else ""
            where += f" · divergence {at}/{divergences}{what}"
        else:
            where += " · no divergences"
        legend = Content.assemble(
            ("│ shared ", "$text-muted"), ("≈ altered ", "$warning"), ("+ unique ", "bold $success")
        )
        line = Content.assemble(
            (f" {where} ", "bold"),
            ("│ ", "dim"),
            (screen_text(outlet), "italic"),
            (" │ ", "dim"),
            (hints, ""),
        )
        # The legend keeps its place at the right edge; the hints give way first.
        room = max(0, self.size.width - legend.cell_length - 1)
        if line.cell_length > room:
            line = line.truncate(room, ellipsis=True)
        # One docked line: a new text never changes the layout, so skip the layout pass.
        self.update(
            Content.assemble(line.pad_right(room - line.cell_length), " ", legend), layout=False
        )
