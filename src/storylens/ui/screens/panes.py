"""Choose which outlets are shown."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, SelectionList

from ...core.model import Comparison
from ..text import screen_text


class PaneChooser(ModalScreen[tuple[str, ...] | None]):
    """A checklist of outlets; Enter keeps the choice, Esc cancels."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="chooser-cancel"),
        Binding("enter", "keep", "Show the chosen outlets", priority=True, id="chooser-keep"),
    ]

    def __init__(self, comparison: Comparison, shown: tuple[str, ...]) -> None:
        super().__init__()
        self.comparison = comparison
        self.shown = shown

    def compose(self) -> ComposeResult:
        """The outlets with their numbers."""
        with Vertical(id="chooser"):
            yield Label(
                "Outlets to show (Space toggles, Enter keeps, Esc cancels)", id="chooser-title"
            )
            yield SelectionList[str](
                *(
                    (Content(f"{n + 1}  {screen_text(d.label)}"), d.id, d.id in self.shown)
                    for n, d in enumerate(self.comparison.documents)
                ),
                id="chooser-list",
            )

    def action_keep(self) -> None:
        """Return the chosen outlets, in their order (at least one)."""
        chosen = set(self.query_one(SelectionList).selected)
        docs = tuple(d.id for d in self.comparison.documents if d.id in chosen)
        if not docs:
            self.notify("Choose at least one outlet.", markup=False)
            return
        self.dismiss(docs)

    def action_cancel(self) -> None:
        """Keep the panes as they were."""
        self.dismiss(None)
