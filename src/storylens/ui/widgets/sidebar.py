"""The sidebar: named entities and quotes, and which outlets carry each."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from ...core.model import Comparison
from ..text import screen_text


class Sidebar(Vertical):
    """Two lists: entities and quotes, each with per-outlet presence."""

    DEFAULT_CSS = """
    Sidebar { width: 42; }
    Sidebar OptionList { height: 1fr; }
    """

    @dataclass
    class Chosen(Message):
        """An entity or quote was chosen: highlight its occurrences."""

        kind: str
        """``entity`` or ``quote``."""
        index: int
        """Its index in ``comparison.entities`` or ``comparison.quotes``."""

    def __init__(self, comparison: Comparison, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.comparison = comparison

    def compose(self) -> ComposeResult:
        """Entities, then quotes."""
        c = self.comparison
        numbers = {d.id: str(n + 1) for n, d in enumerate(c.documents)}
        yield Label(f"Named entities ({len(c.entities)})", classes="sidebar-title")
        entities = [
            Option(
                self._presence(e.name, e.kind, {d for d, n in e.mentions.items() if n}, numbers),
                id=f"entity-{k}",
            )
            for k, e in enumerate(c.entities)
        ]
        yield OptionList(*entities, id="entities")
        yield Label(f"Quotes ({len(c.quotes)})", classes="sidebar-title")
        quotes = [
            Option(
                self._presence(
                    (q.speaker or "unattributed")
                    + ("  ≈ altered" if q.status == "altered" else ""),
                    q.variants[0].text[:60] if q.variants else "",
                    {v.doc for v in q.variants},
                    numbers,
                ),
                id=f"quote-{k}",
            )
            for k, q in enumerate(c.quotes)
        ]
        yield OptionList(*quotes, id="quotes")
        if not c.entities and not c.quotes:
            yield Label("This comparison lists no entities or quotes.", classes="sidebar-empty")

    @staticmethod
    def _presence(title: str, detail: str, docs: set[str], numbers: dict[str, str]) -> Content:
        marks = " ".join(n if d in docs else "·" for d, n in numbers.items())
        return Content.assemble(
            (screen_text(title), "bold"),
            "\n",
            (screen_text(detail), "dim"),
            "\n",
            ("outlets " + marks, ""),
        )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on an item: ask the app to highlight it."""
        kind, _, index = (event.option.id or "").partition("-")
        if index.isdigit():
            self.post_message(self.Chosen(kind, int(index)))
