"""Where each version came from: a heat map of how much of each outlet's text the others carry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.style import Style
from textual.widgets import Static

if TYPE_CHECKING:
    from ...core.derivation import Derivation
from ...core.model import Comparison
from ..text import screen_text

CELL = 9
"""Width of one heat-map cell."""

MIN_NAME = 8
"""The narrowest the outlet-name column gets ("1 Keyst…") before the matrix scrolls."""


def _fit(name: str, width: int) -> str:
    """*name* cut to *width* characters (with an ellipsis when cut), padded by one space."""
    if len(name) > width:
        name = name[: width - 1] + "…"
    return name.ljust(width + 1)


class DerivationScreen(ModalScreen[None]):
    """Rows: an outlet's text; columns: where it is found; cells: the share found there."""

    BINDINGS = [Binding("escape,q,d", "dismiss", "Close", id="derivation-close")]

    def __init__(self, comparison: Comparison, derivation: Derivation) -> None:
        super().__init__()
        self.comparison = comparison
        self.derivation = derivation

    def compose(self) -> ComposeResult:
        """The matrix, the key to reading it, then the findings."""
        with VerticalScroll(id="derivation-body"):
            yield Static(self._key(), id="derivation-key")
            # The matrix keeps one line per outlet however narrow the box: it
            # scrolls sideways instead of wrapping a row's cells onto the next line.
            yield Static(self._matrix(), id="derivation-matrix")
            yield Static(self._findings(), id="derivation-findings")

    @staticmethod
    def _key() -> Content:
        return Content("\n").join(
            [
                Content.assemble(("Where each version came from", "bold")),
                Content(
                    "Each row is one outlet's text; each column, another outlet. A cell is the "
                    "share of the row's text that the column's outlet carries: word for word "
                    "(first figure) plus reworded (second)."
                ),
                Content(""),
            ]
        )

    def _matrix(self) -> Content:
        d = self.derivation
        docs = d.docs
        labels = {doc.id: doc.label for doc in self.comparison.documents}
        numbers = {doc.id: str(n + 1) for n, doc in enumerate(self.comparison.documents)}
        name_width = min(28, max(len(screen_text(labels[x])) for x in docs) + 4)
        # A narrow terminal shortens the names before the matrix has to scroll sideways:
        # the box is 90% of the screen, less its border (2), padding (4) and scrollbar (2).
        room = int(self.app.size.width * 0.9) - 8 - CELL * len(docs)
        name_width = max(MIN_NAME, min(name_width, room))
        lines: list[Content] = [
            Content.assemble(
                " " * name_width, *((f"{'in ' + numbers[b]:^{CELL}}", "bold") for b in docs)
            ),
        ]
        for a in docs:
            cells: list[tuple[str, Style | str] | str] = [
                (_fit(f"{numbers[a]} {screen_text(labels[a])}", name_width - 1), "bold")
            ]
            for b in docs:
                if a == b:
                    cells.append((f"{'·':^{CELL}}", "dim"))
                    continue
                shared, altered = d.shared.get((a, b), 0.0), d.altered.get((a, b), 0.0)
                total = shared + altered
                text = f"{shared * 100:3.0f}+{altered * 100:<3.0f}"
                # Heat: the more of the row's text the column carries, the stronger.
                background = (
                    Color(40, 90, 160)
                    .blend(Color(230, 150, 30), total)
                    .with_alpha(0.25 + 0.75 * total)
                )
                cells.append((f"{text:^{CELL}}", Style(background=background, bold=total >= 0.8)))
            lines.append(Content.assemble(*cells))
        return Content("\n").join(lines)

    def _findings(self) -> Content:
        findings = self.derivation.findings or ["No outlet's text is found in another."]
        return Content("\n").join(
            [Content.assemble("\n", ("What it suggests", "bold"))]
            + [Content("• " + screen_text(f)) for f in findings]
            + [Content.assemble("\n", ("Esc closes.", "dim"))]
        )
