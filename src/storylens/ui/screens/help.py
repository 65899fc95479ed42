"""The help screen: every key of the reader, from its bindings."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    """A table of keys and what they do."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help-close")]

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        """The keys, then the colours."""
        width = max(len(k) for k, _ in self.rows) + 2
        lines = [Content.assemble(("storylens keys", "bold"), "\n")]
        for keys, what in self.rows:
            lines.append(Content.assemble((keys.ljust(width), "bold $accent"), what))
        lines.append(
            Content.assemble(
                "\n",
                ("Colours and glyphs", "bold"),
                "\n│ shared: the same words in another outlet\n",
                "≈ altered: reworded; the changed words are underlined\n",
                "+ unique (bold): no other outlet has it\n",
                "↔ moved: another outlet placed it elsewhere (o jumps there)\n",
                "╱ hatching: this outlet has nothing here\n\nEsc closes this help.",
            )
        )
        with VerticalScroll(id="help-body"):
            yield Static(Content("\n").join(lines))
