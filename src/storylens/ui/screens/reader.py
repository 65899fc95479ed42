"""The reader screen: headers, the aligned panes, the sidebar, search and the status line."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.keys import format_key
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Input

from ...core.model import Comparison, Divergence, Quote

if TYPE_CHECKING:
    from ...core.derivation import Derivation
from ..text import screen_text
from ..widgets.aligned import AlignedView
from ..widgets.headers import PaneHeaders
from ..widgets.sidebar import Sidebar
from ..widgets.status import StatusBar
from .derivation import DerivationScreen
from .help import HelpScreen
from .panes import PaneChooser

MIN_PANE = 30
"""The narrowest a pane may get (cells) before panes are paged instead."""

HINTS = 'n/N divergences · u/a/m/" by type · o moved · / search · s sidebar · ? help'


class ReaderScreen(Screen[None]):
    """Outlets side by side, in sync by aligned row."""

    BINDINGS = [
        Binding(
            "n,right_square_bracket", "next_divergence", "Next divergence", id="next-divergence"
        ),
        Binding(
            "N,left_square_bracket",
            "previous_divergence",
            "Previous divergence",
            id="previous-divergence",
        ),
        Binding("u", "next_of('unique')", "Next unique text", id="next-unique"),
        Binding("a", "next_of('altered')", "Next altered text", id="next-altered"),
        Binding("m", "next_of('moved')", "Next moved paragraph", id="next-moved"),
        Binding("quotation_mark", "next_of('quote')", "Next reworded quote", id="next-quote"),
        Binding("j", "next_row", "Next row", id="next-row"),
        Binding("k", "previous_row", "Previous row", id="previous-row"),
        Binding("down", "scroll_lines(1)", "Scroll down", show=False, id="scroll-down"),
        Binding("up", "scroll_lines(-1)", "Scroll up", show=False, id="scroll-up"),
        Binding("pagedown", "scroll_page(1)", "Page down", show=False, id="page-down"),
        Binding("pageup", "scroll_page(-1)", "Page up", show=False, id="page-up"),
        Binding("home", "first_row", "First row", show=False, id="first-row"),
        Binding("end", "last_row", "Last row", show=False, id="last-row"),
        Binding("tab", "focus_pane(1)", "Next pane", priority=True, id="next-pane"),
        Binding("shift+tab", "focus_pane(-1)", "Previous pane", priority=True, id="previous-pane"),
        *(
            Binding(
                str(n),
                f"focus_outlet({n})",
                f"Focus outlet {n}",
                show=False,
                id=f"focus-outlet-{n}",
            )
            for n in range(1, 10)
        ),
        Binding("o", "jump_counterpart", "Jump to the moved counterpart", id="jump-counterpart"),
        Binding("slash", "search", "Search all outlets", id="search"),
        Binding("full_stop", "next_occurrence(1)", "Next occurrence", id="next-occurrence"),
        Binding("comma", "next_occurrence(-1)", "Previous occurrence", id="previous-occurrence"),
        Binding("f", "toggle_fold", "Fold rows every outlet shares", id="fold"),
        Binding(
            "b", "toggle_aside", "Show/hide set-aside boilerplate (focused pane)", id="boilerplate"
        ),
        Binding("s", "toggle_sidebar", "Show/hide entities and quotes", id="sidebar"),
        Binding("p", "pin", "Pin the focused pane as reference", id="pin"),
        Binding("less_than_sign", "page(-1)", "Page panes left", id="page-left"),
        Binding("greater_than_sign", "page(1)", "Page panes right", id="page-right"),
        Binding("c", "choose_panes", "Choose which outlets are shown", id="choose-panes"),
        Binding("t", "toggle_palette", "Colour-blind-safe colours on/off", id="palette"),
        Binding(
            "d", "derivation", "Where each version came from (who copied whom)", id="derivation"
        ),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("escape", "clear", "Clear highlights / close search", show=False, id="clear"),
        Binding("q", "app.quit", "Quit", id="quit"),
    ]

    focused_doc: reactive[str] = reactive("d0", init=False)
    """The outlet keys act on (counterpart jumps, boilerplate)."""

    def __init__(self, comparison: Comparison) -> None:
        super().__init__()
        self.comparison = comparison
        self.order: tuple[str, ...] = tuple(d.id for d in comparison.documents)
        self.shown: tuple[str, ...] = self.order
        """The outlets chosen to be shown (all by default), in order."""
        self.pinned: str | None = None
        self.page_start = 0
        self.fold = False
        self.aside: frozenset[str] = frozenset()
        self.divergence: int | None = None
        self.occurrences: list[tuple[str, int, int]] = []
        self.occurrence: int | None = None
        self.row_index = {row.id: k for k, row in enumerate(comparison.rows)}
        self.row_of = comparison.row_of_paragraph
        self.labels = {d.id: d.label for d in comparison.documents}
        self.set_reactive(ReaderScreen.focused_doc, self.order[0])
        self._derivation: Derivation | None = None  # computed on first use (d)

    def compose(self) -> ComposeResult:
        """Headers over panes and sidebar; search and status at the bottom."""
        yield PaneHeaders(self.comparison, id="headers")
        with Horizontal(id="body"):
            yield AlignedView(self.comparison, id="view")
            yield Sidebar(self.comparison, id="sidebar")
        yield Input(placeholder="search all outlets (Enter: find, Esc: close)", id="search")
        yield StatusBar(id="status")

    @property
    def view(self) -> AlignedView:
        """The aligned panes."""
        return self.query_one("#view", AlignedView)

    def on_mount(self) -> None:
        """Start on the first row with the panes that fit."""
        self.query_one("#sidebar").display = False
        self.query_one("#search").display = False
        self.view.focus()
        self._update_panes()

    def on_resize(self) -> None:
        """Pane capacity depends on the width."""
        self.call_after_refresh(self._keep_focus_visible)

    # -- which panes are visible ----------------------------------------------------------

    @property
    def capacity(self) -> int:
        """How many panes fit side by side at the minimum readable width."""
        width = self.view.scrollable_content_region.width or self.size.width
        return max(1, (width + 1) // (MIN_PANE + 1))

    def visible_docs(self) -> tuple[str, ...]:
        """The panes on screen: the pinned one first, then a page of the others."""
        others = [d for d in self.shown if d != self.pinned]
        room = self.capacity - (1 if self.pinned else 0)
        room = max(room, 1 if not self.pinned else 0)
        self.page_start = max(0, min(self.page_start, max(0, len(others) - room)))
        page = others[self.page_start : self.page_start + room]
        return ((self.pinned,) if self.pinned else ()) + tuple(page)

    def _keep_focus_visible(self) -> None:
        """After a resize: page so the focused outlet stays on screen."""
        others = [d for d in self.shown if d != self.pinned]
        if self.focused_doc not in self.visible_docs() and self.focused_doc in others:
            self.page_start = others.index(self.focused_doc)
        self._update_panes()

    def _update_panes(self) -> None:
        docs = self.visible_docs()
        if self.focused_doc not in docs and docs:
            self.focused_doc = docs[0]
        self.view.configure(
            docs=docs, fold=self.fold, aside=self.aside, highlights=self._highlights()
        )
        headers = self.query_one("#headers", PaneHeaders)
        headers.width_hint = self.view.scrollable_content_region.width
        headers.show(docs, self.focused_doc, self.pinned)
        self._update_status()

    def _highlights(self) -> dict[str, list[tuple[int, int]]]:
        marks: dict[str, list[tuple[int, int]]] = {}
        for pid, start, end in self._marked():
            marks.setdefault(pid, []).append((start, end))
        return marks

    def _marked(self) -> Sequence[tuple[str, int, int]]:
        if self.occurrences:
            return self.occurrences
        if self.divergence is not None:
            return self.comparison.divergences[self.divergence].spans
        return ()

    # -- status -----------------------------------------------------------------------------

    def _update_status(self) -> None:
        kind = None
        if self.divergence is not None:
            d = self.comparison.divergences[self.divergence]
            kind = d.type + (f" ({', '.join(sorted(d.flags))} changed)" if d.flags else "")
            if d.quote is not None:
                quote = self._quote(d.quote)
                change = "reworded" if quote.status == "altered" else "credited differently"
                kind = (
                    f"quote {change}: {screen_text(quote.speaker or 'unattributed')} (s: wordings)"
                )
        focused = (
            f"outlet {self.order.index(self.focused_doc) + 1}: {self.labels[self.focused_doc]}"
        )
        hidden = len(self.shown) - len(self.visible_docs())
        hints = HINTS if not hidden else f"{hidden} more outlet(s): < > page · " + HINTS
        if self.occurrences and self.occurrence is not None:
            focused += f" · match {self.occurrence + 1}/{len(self.occurrences)}"
        self.query_one("#status", StatusBar).show(
            row=self.view.current_row,
            rows=len(self.comparison.rows),
            divergence=self.divergence,
            divergences=len(self.comparison.divergences),
            kind=kind,
            outlet=focused,
            hints=hints,
        )

    @on(AlignedView.RowChanged)
    def _row_changed(self, event: AlignedView.RowChanged) -> None:
        if self.divergence is not None:
            d = self.comparison.divergences[self.divergence]
            # Compare with the row now, not the event's: a later jump may have
            # moved on since this message was sent.
            if self.row_index[d.row] != self.view.current_row:
                self.divergence = None
                self.view.configure(highlights=self._highlights())
        self._update_status()

    def watch_focused_doc(self) -> None:
        """Show the focus in the headers and the status line."""
        self.query_one("#headers", PaneHeaders).show(
            self.visible_docs(), self.focused_doc, self.pinned
        )
        self._update_status()

    # -- divergences --------------------------------------------------------------------------

    def _go_to_divergence(self, index: int) -> None:
        self.divergence = index
        self.occurrences, self.occurrence = [], None
        d = self.comparison.divergences[index]
        if d.quote is not None:
            quote = self._quote(d.quote)
            self.query_one("#sidebar", Sidebar).show_quote(self.comparison.quotes.index(quote))
        self._reveal(d)
        self.view.configure(highlights=self._highlights())
        self.view.centre_row(self.row_index[d.row])
        self._update_status()

    def _reveal(self, d: Divergence) -> None:
        """Make sure a pane of the divergence is visible and focused."""
        docs = {pid.partition(".")[0] for pid in d.paragraphs}
        visible = self.visible_docs()
        if docs and not docs & set(visible):
            self._bring_into_view(min(docs, key=self.order.index))
        first = next((doc for doc in self.visible_docs() if doc in docs), None)
        if first is not None:
            self.focused_doc = first

    def _step(self, direction: int, kind: str | None = None) -> None:
        divergences = self.comparison.divergences
        folded = self.view.folded_rows() if self.fold else set()
        candidates = [
            i
            for i, d in enumerate(divergences)
            if (kind is None or d.type == kind) and self.row_index[d.row] not in folded
        ]
        if not candidates:
            what = f"{kind} " if kind else ""
            self.notify(f"No {what}divergences in this comparison.", markup=False)
            return
        row = self.view.current_row
        here = self.divergence if self.divergence is not None else None

        def key(i: int) -> tuple[int, int]:
            return self.row_index[divergences[i].row], i

        if here is not None and self.row_index[divergences[here].row] == row:
            position = key(here)
        else:
            position = (row, -1 if direction > 0 else len(divergences))
        if direction > 0:
            ahead = [i for i in candidates if key(i) > position]
            target = ahead[0] if ahead else candidates[0]
            if not ahead:
                self.notify("Back to the first divergence.", markup=False)
        else:
            behind = [i for i in candidates if key(i) < position]
            target = behind[-1] if behind else candidates[-1]
            if not behind:
                self.notify("Round to the last divergence.", markup=False)
        self._go_to_divergence(target)

    def action_next_divergence(self) -> None:
        """Centre the next place where the outlets differ."""
        self._step(1)

    def action_previous_divergence(self) -> None:
        """Centre the previous place where the outlets differ."""
        self._step(-1)

    def action_next_of(self, kind: str) -> None:
        """Centre the next divergence of one type (unique, altered, moved)."""
        self._step(1, kind)

    # -- moving -------------------------------------------------------------------------------

    def action_next_row(self) -> None:
        """Centre the next row (a fold of shared rows counts as one)."""
        self.view.centre_row(self.view.next_block_row(1))
        self._update_status()  # now, not a frame later when the row message arrives

    def action_previous_row(self) -> None:
        """Centre the previous row (a fold of shared rows counts as one)."""
        self.view.centre_row(self.view.next_block_row(-1))
        self._update_status()

    def action_scroll_lines(self, lines: int) -> None:
        """Scroll every pane by *lines*."""
        self.view.scroll_to(y=self.view.scroll_y + lines, animate=False, immediate=True)

    def action_scroll_page(self, pages: int) -> None:
        """Scroll every pane by a screenful."""
        height = self.view.scrollable_content_region.height
        self.view.scroll_to(
            y=self.view.scroll_y + pages * max(1, height - 1), animate=False, immediate=True
        )
        self._update_status()

    def action_first_row(self) -> None:
        """Go to the first row."""
        self.view.centre_row(0)

    def action_last_row(self) -> None:
        """Go to the last row."""
        self.view.centre_row(len(self.comparison.rows) - 1)

    # -- panes -------------------------------------------------------------------------------

    def action_focus_pane(self, step: int) -> None:
        """Focus the next (or previous) visible pane, paging when past the edge.

        In the sidebar, Tab moves between its lists instead.
        """
        sidebar = self.query_one("#sidebar", Sidebar)
        if sidebar.display and self.focused is not None and sidebar in self.focused.ancestors:
            if step > 0:
                self.focus_next()
            else:
                self.focus_previous()
            return
        visible = self.visible_docs()
        k = visible.index(self.focused_doc) if self.focused_doc in visible else 0
        k += step
        if 0 <= k < len(visible):
            self.focused_doc = visible[k]
            return
        others = [d for d in self.shown if d != self.pinned]
        if not others:
            return
        if self.focused_doc in others:
            j = (others.index(self.focused_doc) + step) % len(others)
        else:  # the pinned pane: go round to the far end of the others
            j = len(others) - 1 if step < 0 else 0
        self._bring_into_view(others[j])
        self.focused_doc = others[j]

    def action_focus_outlet(self, number: int) -> None:
        """Focus outlet *number* (1-based, in the order given), showing it if hidden."""
        if number > len(self.order):
            self.notify(f"There is no outlet {number}.", markup=False)
            return
        doc = self.order[number - 1]
        self._bring_into_view(doc)
        self.focused_doc = doc

    def _bring_into_view(self, doc: str) -> None:
        if doc not in self.shown:
            self.shown = tuple(d for d in self.order if d in self.shown or d == doc)
        if doc not in self.visible_docs():
            others = [d for d in self.shown if d != self.pinned]
            self.page_start = others.index(doc)
        self._update_panes()

    def action_page(self, step: int) -> None:
        """Show the next (or previous) page of panes."""
        room = max(1, self.capacity - (1 if self.pinned else 0))
        self.page_start = max(0, self.page_start + step * room)
        self._update_panes()

    def action_pin(self) -> None:
        """Pin the focused pane as the reference (always shown, leftmost); again to unpin."""
        self.pinned = None if self.pinned == self.focused_doc else self.focused_doc
        self._update_panes()

    def action_choose_panes(self) -> None:
        """Choose which outlets are shown."""

        def chosen(docs: tuple[str, ...] | None) -> None:
            if docs:
                self.shown = docs
                if self.pinned not in docs:
                    self.pinned = None
                self.page_start = 0
                self._update_panes()

        self.app.push_screen(PaneChooser(self.comparison, self.shown), chosen)

    def action_toggle_fold(self) -> None:
        """Fold (or unfold) the rows every visible outlet shares word for word."""
        self.fold = not self.fold
        self._update_panes()

    def action_toggle_aside(self) -> None:
        """Show (or hide) the focused outlet's set-aside boilerplate."""
        doc = self.focused_doc
        self.aside = self.aside - {doc} if doc in self.aside else self.aside | {doc}
        count = len(self.comparison.document(doc).set_aside)
        if doc in self.aside and not count:
            self.notify(f"{screen_text(self.labels[doc])}: nothing was set aside.", markup=False)
        self._update_panes()

    def action_toggle_sidebar(self) -> None:
        """Show or hide the entities and quotes."""
        sidebar = self.query_one("#sidebar", Sidebar)
        sidebar.display = not sidebar.display
        if sidebar.display:
            sidebar.query_one("#entities").focus()
        else:
            self.view.focus()
        self.call_after_refresh(self._update_panes)

    def action_toggle_palette(self) -> None:
        """Switch between the default and the colour-blind-safe colours."""
        self.toggle_class("-colourblind")

    def action_derivation(self) -> None:
        """Show how much of each outlet's text the others carry, and what that suggests."""
        from ...core.derivation import derivation

        if self._derivation is None:
            self._derivation = derivation(self.comparison)
        self.app.push_screen(DerivationScreen(self.comparison, self._derivation))

    def action_help(self) -> None:
        """Show every key."""
        self.app.push_screen(HelpScreen(help_rows(self.BINDINGS)))

    # -- counterparts, search, sidebar ------------------------------------------------------------

    def action_jump_counterpart(self) -> None:
        """Jump to where another outlet placed the focused pane's moved paragraph."""
        row = self.comparison.rows[self.view.current_row]
        mine = row.cells.get(self.focused_doc, ())
        targets = [
            (link.b if link.a in mine else link.a)
            for link in self.comparison.links
            if link.moved and (link.a in mine or link.b in mine)
        ]
        if not targets:
            self.notify("Nothing moved in the focused pane on this row.", markup=False)
            return
        target = min(targets, key=lambda pid: self.order.index(pid.partition(".")[0]))
        doc = target.partition(".")[0]
        self._bring_into_view(doc)
        self.focused_doc = doc
        self.view.centre_row(self.row_of[target])

    def action_search(self) -> None:
        """Open the search line."""
        search = self.query_one("#search", Input)
        search.display = True
        search.focus()

    @on(Input.Submitted, "#search")
    def _search(self, event: Input.Submitted) -> None:
        query = event.value.strip()
        event.input.display = False
        self.view.focus()
        if query:
            self.highlight_occurrences([query], f"“{query}”")

    def highlight_occurrences(self, needles: Sequence[str], what: str) -> None:
        """Highlight every occurrence of *needles* in every outlet and go to the first."""
        pattern = re.compile(
            "|".join(re.escape(n) for n in sorted(needles, key=len, reverse=True) if n), re.I
        )
        found: list[tuple[str, int, int]] = []
        for doc in self.comparison.documents:
            for p in doc.paragraphs:
                found.extend((p.id, m.start(), m.end()) for m in pattern.finditer(p.text))
        self.show_places(found, what)

    def show_places(self, places: Sequence[tuple[str, int, int]], what: str) -> None:
        """Highlight *places* (paragraph id, start, end) in every outlet and go to the first."""
        found = sorted(places, key=self._reading_order)
        self.occurrences = found
        self.divergence = None
        if not found:
            self.occurrence = None
            self.notify(f"{screen_text(what)} is not in any outlet.", markup=False)
            self.view.configure(highlights={})
            self._update_status()
            return
        docs = {f[0].partition(".")[0] for f in found}
        self.notify(
            f"{screen_text(what)}: {len(found)} occurrence(s) in {len(docs)} outlet(s);"
            " . and , step through them.",
            markup=False,
        )
        self.view.configure(highlights=self._highlights())
        self._go_to_occurrence(0)

    def _quote(self, quote_id: str) -> Quote:
        return next(q for q in self.comparison.quotes if q.id == quote_id)

    def _reading_order(self, place: tuple[str, int, int]) -> tuple[int, int, int]:
        """Sort key of a highlighted place: row, then outlet, then offset."""
        pid, start, _ = place
        return self.row_of[pid], self.order.index(pid.partition(".")[0]), start

    def _go_to_occurrence(self, index: int) -> None:
        self.occurrence = index
        pid = self.occurrences[index][0]
        doc = pid.partition(".")[0]
        self._bring_into_view(doc)
        self.focused_doc = doc
        self.view.centre_row(self.row_of[pid])
        self._update_status()

    def action_next_occurrence(self, step: int) -> None:
        """Go to the next (or previous) highlighted occurrence."""
        if not self.occurrences:
            self.notify(
                "Nothing is highlighted: search with / or choose from the sidebar.", markup=False
            )
            return
        current = self.occurrence if self.occurrence is not None else -step
        self._go_to_occurrence((current + step) % len(self.occurrences))

    @on(Sidebar.Chosen)
    def _chosen(self, event: Sidebar.Chosen) -> None:
        c = self.comparison
        if event.kind == "entity":
            entity = c.entities[event.index]
            from ...core.entities import entity_mentions

            mentions = entity_mentions(c.documents, [entity]).get(entity.name, [])
            self.show_places(mentions, entity.name)
        else:
            quote = c.quotes[event.index]
            self.occurrences = sorted(
                ((v.paragraph, v.start, v.end) for v in quote.variants),
                key=self._reading_order,
            )
            self.divergence = None
            self.view.configure(highlights=self._highlights())
            if self.occurrences:
                self._go_to_occurrence(0)

    def action_clear(self) -> None:
        """Close the search line, or clear the highlights."""
        search = self.query_one("#search", Input)
        if search.display:
            search.display = False
            self.view.focus()
            return
        self.occurrences, self.occurrence, self.divergence = [], None, None
        self.view.configure(highlights={})
        self._update_status()


_SCROLL_IDS = frozenset(
    {"scroll-down", "scroll-up", "page-down", "page-up", "first-row", "last-row"}
)
"""Bindings the help screen folds into one line (they all scroll every pane)."""


def help_rows(bindings: Sequence[Binding | tuple[str, ...]]) -> list[tuple[str, str]]:
    """(keys, description) for the help screen; digits and scroll keys folded into one line each."""
    rows: list[tuple[str, str]] = []
    for b in bindings:
        if not isinstance(b, Binding):
            continue
        if b.id and b.id.startswith("focus-outlet-"):
            if b.id == "focus-outlet-1":
                rows.append(("1 … 9", "Focus outlet 1 … 9 (showing it if hidden)"))
            continue
        if b.id in _SCROLL_IDS:
            if b.id == "scroll-down":
                rows.append(("↓ ↑ PgDn PgUp Home End, wheel", "Scroll all panes together"))
            continue
        rows.append((", ".join(_key_name(k) for k in b.key.split(",")), b.description))
    return rows


_KEY_NAMES = {"shift+tab": "Shift+Tab", "tab": "Tab", "escape": "Esc"}
"""Keys spelt as the help writes them; the rest as Textual shows keys (``"`` for quotation_mark)."""


def _key_name(key: str) -> str:
    return _KEY_NAMES.get(key) or format_key(key)
