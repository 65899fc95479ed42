"""The sidebar: named entities and quotes, and which outlets carry each."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from ...core.model import Comparison, Quote
from ...core.quotes import quote_word_diff
from ..text import screen_text


class Sidebar(Vertical):
    """Entities (who each outlet names, and how often) and quotes by speaker."""

    DEFAULT_CSS = """
    Sidebar { width: 44; }
    Sidebar OptionList { height: 1fr; }
    Sidebar #quote-detail { height: auto; max-height: 12; }
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
        self.numbers = {d.id: str(n + 1) for n, d in enumerate(comparison.documents)}

    def compose(self) -> ComposeResult:
        """Entities, then quotes grouped by speaker, then the chosen quote's wordings."""
        c = self.comparison
        yield Label(f"Named entities ({len(c.entities)})", classes="sidebar-title")
        yield OptionList(
            *(
                Option(self._entity(k), id=f"entity-{k}")
                for k in sorted(
                    range(len(c.entities)), key=lambda k: -sum(c.entities[k].mentions.values())
                )
            ),
            id="entities",
        )
        yield Label(f"Quotes by speaker ({len(c.quotes)})", classes="sidebar-title")
        order = sorted(
            range(len(c.quotes)), key=lambda k: ((c.quotes[k].speaker or "~").casefold(), k)
        )
        yield OptionList(
            *(Option(self._quote(c.quotes[k]), id=f"quote-{k}") for k in order), id="quotes"
        )
        yield Static(id="quote-detail")
        if not c.entities and not c.quotes:
            yield Label("This comparison lists no entities or quotes.", classes="sidebar-empty")

    def _presence(self, counts: dict[str, int]) -> Content:
        """'1:9 2:10 3:· …': mentions per outlet, a dot where an outlet has none."""
        parts: list[tuple[str, str] | str] = []
        for doc, number in self.numbers.items():
            n = counts.get(doc, 0)
            parts.append((f"{number}:{n} " if n else f"{number}:· ", "" if n else "dim"))
        return Content.assemble(*parts)

    def _entity(self, k: int) -> Content:
        e = self.comparison.entities[k]
        aliases = ", ".join(e.aliases[:3]) + ("…" if len(e.aliases) > 3 else "")
        return Content.assemble(
            (screen_text(e.name), "bold"),
            (f"  {e.kind}", "dim"),
            "\n",
            (screen_text(aliases), "dim italic"),
            "\n" if aliases else "",
            self._presence(dict(e.mentions)),
        )

    def _quote(self, q: Quote) -> Content:
        marks = []
        if q.status == "altered":
            marks.append(("  ≈ reworded", "bold $text-warning"))
        if q.speakers_differ:
            marks.append(("  ≠ speakers", "bold $text-error"))
        counts = {v.doc: 1 for v in q.variants}
        words = q.variants[0].text if q.variants else ""
        return Content.assemble(
            (screen_text(q.speaker or "unattributed"), "bold"),
            *marks,
            "\n",
            (screen_text(f"“{words[:70]}{'…' if len(words) > 70 else ''}”"), "italic"),
            "\n",
            self._presence(counts),
        )

    def show_quote(self, index: int) -> None:
        """Show how the outlets word quote *index*, word by word against the first."""
        q = self.comparison.quotes[index]
        detail = self.query_one("#quote-detail", Static)
        if not q.variants:
            detail.update("")
            return
        labels = {d.id: d.label for d in self.comparison.documents}
        first = q.variants[0]
        lines: list[Content] = [
            Content.assemble(
                (screen_text(labels[first.doc]), "bold"), ": ", screen_text(first.text)
            )
        ]
        for v in q.variants[1:]:
            runs: list[tuple[str, str]] = []
            for tag, text in quote_word_diff(first.text, v.text):
                if runs and not runs[-1][0][-1:].isspace() and not text[:1].isspace():
                    runs.append((" ", ""))  # runs are words: keep them apart
                if tag == "equal":
                    runs.append((screen_text(text), ""))
                elif tag == "insert":
                    runs.append((screen_text(text), "bold underline $text-warning"))
                else:
                    runs.append((screen_text(text), "strike dim"))
            who = f" ({screen_text(v.speaker)})" if q.speakers_differ and v.speaker else ""
            lines.append(Content.assemble((screen_text(labels[v.doc]) + who, "bold"), ": ", *runs))
        detail.update(Content("\n").join(lines))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on an item: ask the app to highlight it."""
        kind, _, index = (event.option.id or "").partition("-")
        if index.isdigit():
            if kind == "quote":
                self.show_quote(int(index))
            self.post_message(self.Chosen(kind, int(index)))
