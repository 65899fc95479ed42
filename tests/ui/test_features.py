"""The reader's other keys: counterparts, search, folding, boilerplate, sidebar, palette,
help, quitting and the command palette.

Each test presses the keys a reader would and checks the state the key is for:
the current row and focused outlet after a jump, the highlighted occurrences,
the folded blocks, the set-aside lines, the screens pushed and popped.
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from textual.command import CommandInput, CommandList, CommandPalette
from textual.geometry import Region
from textual.widgets import Input, Label, OptionList, Static

from storylens.core.compare import compare
from storylens.core.entities import entity_mentions
from storylens.core.model import Comparison
from storylens.ui.screens.help import HelpScreen
from storylens.ui.screens.reader import ReaderScreen

from ..conftest import make_doc
from .support import (
    CHARACTERS,
    SIZE,
    ReaderApp,
    assert_row_centred,
    block_text,
    demo_comparison,
    expected_marks,
    marked_text,
    reader,
    row_index,
    settle,
    tap,
    two_outlets,
)


def _occurrences(c: Comparison, *needles: str) -> list[tuple[str, int, int]]:
    """Every case-insensitive occurrence of *needles* (longest first), in reading order."""
    pattern = re.compile(
        "|".join(re.escape(n) for n in sorted(needles, key=len, reverse=True)), re.I
    )
    order = [d.id for d in c.documents]
    found = [
        (p.id, m.start(), m.end())
        for d in c.documents
        for p in d.paragraphs
        for m in pattern.finditer(p.text)
    ]
    return sorted(
        found, key=lambda f: (row_index(c, f[0]), order.index(f[0].partition(".")[0]), f[1])
    )


class TestCounterpart:
    """``o`` jumps to where another outlet placed the focused pane's moved paragraph."""

    async def test_o_jumps_between_moved_counterparts(self) -> None:
        """From a moved paragraph to its first counterpart's row and outlet, and on."""
        c = demo_comparison()
        moved = set(c.moves)
        app = ReaderApp(comparison=c)
        async with app.run_test(size=SIZE) as pilot:
            screen = reader(app)
            view = screen.view
            # The first row has nothing moved in the focused outlet: a notice, no jump.
            await tap(pilot, "o")
            assert app.notices == ["Nothing moved in the focused pane on this row."]
            assert view.current_row == 0
            # The first moved divergence: its outlet's paragraph has moved links.
            await tap(pilot, "m")
            start = view.current_row
            mine = c.rows[start].cells[screen.focused_doc]
            assert set(mine) & moved
            targets = sorted(
                (link.b if link.a in mine else link.a)
                for link in c.links
                if link.moved and (link.a in mine or link.b in mine)
            )
            first = min(targets, key=lambda pid: int(pid[1 : pid.index(".")]))
            await tap(pilot, "o")
            assert screen.focused_doc == first.partition(".")[0]
            assert_row_centred(view, row_index(c, first))
            assert "moved, also at row" in block_text(view, view.current_row, screen.focused_doc)
            # Again: on to the first outlet carrying *first*'s paragraph elsewhere.
            onward = [
                (link.b if link.a == first else link.a)
                for link in c.links
                if link.moved and first in (link.a, link.b)
            ]
            second = min(onward, key=lambda pid: int(pid[1 : pid.index(".")]))
            await tap(pilot, "o")
            assert screen.focused_doc == second.partition(".")[0]
            assert_row_centred(view, row_index(c, second))


class TestSearch:
    """``/`` searches every outlet; ``.``/``,`` step through the occurrences; Esc clears."""

    async def test_search_highlights_every_occurrence_and_steps(self) -> None:
        """A word found in all outlets: all marked, first one current, then stepped through."""
        c = demo_comparison()
        expected = _occurrences(c, "Halden")
        assert len({pid.partition(".")[0] for pid, _, _ in expected}) == 5
        app = ReaderApp(comparison=c)
        async with app.run_test(size=SIZE) as pilot:
            screen = reader(app)
            view = screen.view
            search = screen.query_one("#search", Input)
            assert not search.display
            await tap(pilot, "slash")
            assert search.display and app.focused is search
            await tap(pilot, *"halden", "enter")  # case does not matter
            # The search line closes and the view grows: wait for that resize to land.
            await pilot.pause()
            assert not search.display
            assert app.focused is view
            assert screen.occurrences == expected
            assert dict(view.highlights) == expected_marks(expected)
            assert app.notices[-1] == (
                f"“halden”: {len(expected)} occurrence(s) in 5 outlet(s); "
                ". and , step through them."
            )
            assert "match 1/" in str(screen.query_one("#status").render())

            def at(k: int) -> None:
                pid = expected[k][0]
                assert screen.occurrence == k
                assert screen.focused_doc == pid.partition(".")[0]
                assert_row_centred(view, row_index(c, pid))

            at(0)
            # The marked word is drawn on screen in the highlight style.
            assert "Halden" in marked_text(view)
            await tap(pilot, "full_stop", "full_stop")
            at(2)
            await tap(pilot, "comma")
            at(1)
            await tap(pilot, "comma", "comma")  # before the first: round to the last
            at(len(expected) - 1)
            await tap(pilot, "full_stop")  # after the last: round to the first
            at(0)
            # Esc (search line closed) clears every mark.
            await tap(pilot, "escape")
            assert screen.occurrences == [] and screen.occurrence is None
            assert dict(view.highlights) == {}
            await tap(pilot, "full_stop")
            assert app.notices[-1].startswith("Nothing is highlighted")

    async def test_search_line_takes_typed_keys_and_escape_closes_it(self) -> None:
        """Reader keys typed into the search line are text; Esc closes it, marks stay."""
        c = demo_comparison()
        app = ReaderApp(comparison=c)
        async with app.run_test(size=SIZE) as pilot:
            screen = reader(app)
            view = screen.view
            search = screen.query_one("#search", Input)
            # Regex metacharacters are searched for literally.
            await tap(pilot, "slash")
            search.value = "$214 million"
            await tap(pilot, "enter")
            expected = _occurrences(c, "$214 million")
            assert len(expected) >= 4
            assert screen.occurrences == expected
            row = view.current_row
            # Keys bound in the reader (n, f, q, j, digits) type into the open line.
            await tap(pilot, "slash", "n", "f", "q", "j", "2")
            assert search.value.endswith("nfqj2")
            assert app.is_running
            assert screen.divergence is None and not screen.fold
            assert screen.focused_doc == expected[0][0].partition(".")[0]
            assert view.current_row == row
            # Esc closes the line only: the marks from the last search remain.
            await tap(pilot, "escape")
            assert not search.display and app.focused is view
            assert screen.occurrences == expected
            # A word in no outlet: a notice, and nothing is marked.
            await tap(pilot, "slash")
            search.value = "zeppelin"
            await tap(pilot, "enter")
            assert app.notices[-1] == "“zeppelin” is not in any outlet."
            assert screen.occurrences == [] and dict(view.highlights) == {}


class TestFold:
    """``f`` folds runs of rows every visible outlet shares word for word."""

    async def test_f_folds_shared_rows_and_unfolds(self) -> None:
        """With the three near-identical outlets shown, shared rows fold into short blocks."""
        c = demo_comparison()
        moved = set(c.moves)
        app = ReaderApp(comparison=c)
        async with app.run_test(size=SIZE) as pilot:
            screen = reader(app)
            view = screen.view
            # All five outlets share no row word for word: nothing folds.
            full = view.layout_.height
            await tap(pilot, "f")
            assert screen.fold
            assert not any(b.folded for b in view.layout_.blocks)
            assert view.layout_.height == full
            await tap(pilot, "f")
            # Show the wire copy, the Courier and the scraped copy only.
            await pilot.press("c")
            await tap(pilot, "down", "down", "space", "down", "space")
            await pilot.press("enter")
            assert screen.visible_docs() == ("d0", "d1", "d4")
            unfolded = view.layout_.height
            await tap(pilot, "f")
            layout = view.layout_
            folds = [b for b in layout.blocks if b.folded]
            assert folds
            assert layout.height < unfolded
            assert any(len(b.rows) > 1 for b in folds)
            for block in folds:
                for k in block.rows:
                    for doc in ("d0", "d1", "d4"):
                        pids = c.rows[k].cells.get(doc, ())
                        assert pids
                        for pid in pids:
                            assert pid not in moved
                            assert all(s.status == "shared" for s in c.spans[pid])
            # The fold is drawn as one line saying how many rows it holds.
            run = max(folds, key=lambda b: len(b.rows))
            top = layout.starts[layout.blocks.index(run)]
            assert f"{len(run.rows)} rows every outlet shares, folded" in layout.line(top).text
            await tap(pilot, "f")
            assert not screen.fold
            assert not any(b.folded for b in view.layout_.blocks)
            assert view.layout_.height == unfolded

    async def test_j_steps_over_a_fold_in_one_press(self) -> None:
        """``j`` on the row before a fold lands on the fold, the next ``j`` past it."""
        app = ReaderApp(comparison=_shared_middle())
        async with app.run_test(size=SIZE) as pilot:
            screen = reader(app)
            view = screen.view
            await tap(pilot, "f")
            fold = next(blk for blk in view.layout_.blocks if blk.folded)
            assert len(fold.rows) == 3
            await tap(pilot, "j")
            assert view.current_row == fold.rows[0]
            await tap(pilot, "j")
            assert view.current_row == fold.rows[-1] + 1


def _shared_middle() -> Comparison:
    """Two outlets that differ in their first and last paragraphs, not in the three between."""
    middle = (
        "The tide gauge at Saltings Quay read four metres on Sunday night.",
        "Sandbags were handed out at the fire station from six in the morning.",
        "Volunteers filled another two thousand bags by Monday lunchtime.",
    )
    return compare(
        [
            make_doc(
                0,
                "Heavy rain flooded the low road into town before dawn on Sunday.",
                *middle,
                "The council will meet on Wednesday to discuss the barrier.",
            ),
            make_doc(
                1,
                "Rain flooded the coast road before dawn on Sunday, police said.",
                *middle,
                "Councillors meet on Thursday to talk about a new barrier.",
            ),
        ]
    )


class TestBoilerplate:
    """``b`` shows or hides the focused outlet's set-aside boilerplate, in place."""

    async def test_b_shows_the_set_aside_text_of_the_focused_outlet(self) -> None:
        """The scraped copy's seven set-aside items appear after their paragraphs, then go."""
        c = demo_comparison()
        scraped = c.document("d4")
        assert len(scraped.set_aside) == 7
        app = ReaderApp(comparison=c)
        async with app.run_test(size=SIZE) as pilot:
            screen = reader(app)
            view = screen.view
            height = view.layout_.height
            await tap(pilot, "5", "b")
            assert screen.focused_doc == "d4" and screen.aside == {"d4"}
            assert view.layout_.height > height
            for entry in scraped.set_aside:
                para = scraped.paragraphs[max(entry.after, 0)]
                text = block_text(view, row_index(c, para.id), "d4")
                assert f"set aside ({entry.reason}):" in text
                assert " ".join(entry.text.split()[:4]) in text
            # Before its first paragraph: the masthead comes first in that cell.
            first = block_text(view, row_index(c, scraped.paragraphs[0].id), "d4")
            assert first.startswith("set aside (masthead")
            # Only the focused outlet's boilerplate is shown.
            for doc in ("d0", "d1", "d2", "d3"):
                for k in range(len(c.rows)):
                    if c.rows[k].cells.get(doc):
                        assert "set aside (" not in block_text(view, k, doc)
            await tap(pilot, "b")
            assert screen.aside == frozenset()
            assert view.layout_.height == height
            assert "set aside (" not in block_text(view, row_index(c, "d4.p0"), "d4")
            # An outlet with nothing set aside says so.
            await tap(pilot, "1", "b")
            assert app.notices[-1] == "Keystone Wire: nothing was set aside."


class TestSidebar:
    """``s`` shows entities and quotes; Enter (or a click) on one marks it everywhere."""

    async def test_sidebar_items_highlight_and_jump(self) -> None:
        """An entity marks its mentions; a quote marks its variants and shows its wordings."""
        c = demo_comparison()
        ortega = next(k for k, e in enumerate(c.entities) if e.name == "Marisol Ortega")
        app = ReaderApp(comparison=c)
        async with app.run_test(size=SIZE) as pilot:
            screen = reader(app)
            view = screen.view
            sidebar = screen.query_one("#sidebar")
            assert not sidebar.display
            await pilot.press("s")
            assert sidebar.display
            entities = screen.query_one("#entities", OptionList)
            assert app.focused is entities
            # The panes share what is left beside the sidebar.
            assert len(screen.visible_docs()) == screen.capacity < 5
            entities.highlighted = entities.get_option_index(f"entity-{ortega}")
            await tap(pilot, "enter")
            expected = sorted(
                entity_mentions(c.documents, [c.entities[ortega]])["Marisol Ortega"],
                key=screen._reading_order,
            )
            assert sum(c.entities[ortega].mentions.values()) == len(expected) > 5
            assert screen.occurrences == expected
            assert dict(view.highlights) == expected_marks(expected)
            assert screen.focused_doc == expected[0][0].partition(".")[0]
            assert_row_centred(view, row_index(c, expected[0][0]))
            # A reworded quote: its variants are marked and its wordings shown.
            quotes = screen.query_one("#quotes", OptionList)
            altered = next(k for k, q in enumerate(c.quotes) if q.status == "altered")
            quotes.focus()
            quotes.highlighted = quotes.get_option_index(f"quote-{altered}")
            await tap(pilot, "enter")
            quote = c.quotes[altered]
            assert sorted(screen.occurrences) == sorted(
                (v.paragraph, v.start, v.end) for v in quote.variants
            )
            detail = str(screen.query_one("#quote-detail", Static).render())
            assert all(screen.labels[v.doc] in detail for v in quote.variants)
            await pilot.press("s")
            assert not sidebar.display
            assert app.focused is view
            await pilot.pause()
            assert screen.visible_docs() == ("d0", "d1", "d2", "d3", "d4")
            # The marks outlive the sidebar until Esc.
            assert view.highlights
            await tap(pilot, "escape")
            assert dict(view.highlights) == {}

    async def test_sidebar_without_entities_says_so(self) -> None:
        """A comparison listing no entities or quotes: the sidebar says so plainly."""
        c = dataclasses.replace(two_outlets(), entities=(), quotes=())
        app = ReaderApp(comparison=c)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("s")
            texts = [str(label.render()) for label in reader(app).query("#sidebar Label")]
            assert "Named entities (0)" in texts and "Quotes by speaker (0)" in texts
            assert "This comparison lists no entities or quotes." in texts
            await pilot.press("enter")  # nothing to choose: nothing happens
            assert reader(app).occurrences == []


class TestPaletteHelpQuit:
    """``t``, ``?``, ``q`` and the command palette."""

    async def test_t_toggles_the_colour_blind_class(self) -> None:
        """``t`` adds the ``-colourblind`` class to the reader and removes it again."""
        app = ReaderApp(comparison=two_outlets())
        async with app.run_test(size=SIZE) as pilot:
            screen = reader(app)
            assert not screen.has_class("-colourblind")
            await tap(pilot, "t")
            assert screen.has_class("-colourblind")
            view = screen.view
            assert view.get_component_rich_style("aligned--unique").color.name == "#56b4e9"
            await tap(pilot, "t")
            assert not screen.has_class("-colourblind")

    async def test_t_recolours_the_text_in_the_panes(self) -> None:
        """After ``t`` the unique text is drawn in the colour-blind palette's blue."""
        c = two_outlets()
        unique_pid = next(d.paragraphs[0] for d in c.divergences if d.type == "unique")
        row = row_index(c, unique_pid)
        app = ReaderApp(comparison=c)
        async with app.run_test(size=SIZE) as pilot:
            view = reader(app).view
            words = c.paragraph(unique_pid).text.split()[0]

            def unique_colour() -> str:
                top, _ = view.layout_.y_of_row(row)
                strip = view.render_line(top - round(view.scroll_y))
                segment = next(s for s in strip if words in s.text)
                assert segment.style is not None and segment.style.color is not None
                return str(segment.style.color.name)

            before = unique_colour()
            assert before == view.get_component_rich_style("aligned--unique").color.name
            await tap(pilot, "t")
            await pilot.pause()
            assert unique_colour() == "#56b4e9"

    async def test_help_lists_every_key_and_closes(self) -> None:
        """``?`` shows each binding's key and description; Esc and ``q`` close it."""
        names = {**CHARACTERS, "shift+tab": "Shift+Tab", "tab": "Tab", "escape": "Esc"}
        folded = {"down", "up", "pagedown", "pageup", "home", "end"}
        app = ReaderApp(comparison=two_outlets())
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen)
            lines = str(app.screen.query_one(Static).render()).splitlines()
            for binding in ReaderScreen.BINDINGS:
                assert not isinstance(binding, tuple)
                if binding.key in folded:
                    assert any(line.startswith("↓ ↑ PgDn PgUp Home End") for line in lines)
                    continue
                if binding.key.isdigit():
                    assert any(line.startswith("1 … 9 ") for line in lines)
                    continue
                keys = ", ".join(names.get(k, k) for k in binding.key.split(","))
                assert "_" not in keys, f"{keys}: a key name, not the key a reader presses"
                assert any(
                    line.startswith(keys + " ") and line.rstrip().endswith(binding.description)
                    for line in lines
                ), (keys, binding.description)
            await pilot.press("escape")
            assert isinstance(app.screen, ReaderScreen)
            # q closes the help, not the app.
            await pilot.press("question_mark", "q")
            assert isinstance(app.screen, ReaderScreen)
            assert app.is_running

    @pytest.mark.parametrize(("key", "box"), [("question_mark", "#help-body"), ("c", "#chooser")])
    async def test_dialogs_fit_a_small_terminal(self, key: str, box: str) -> None:
        """The help and the outlet chooser stay inside a 50-column terminal, borders and all."""
        app = ReaderApp(comparison=two_outlets())
        async with app.run_test(size=(50, 24)) as pilot:
            await tap(pilot, key)
            await pilot.pause()
            region = app.screen.query_one(box).region
            assert region.x >= 0 and region.right <= 50, region

    @pytest.mark.parametrize("width", [160, 50])
    async def test_the_chooser_shows_its_whole_title(self, width: int) -> None:
        """The chooser's instructions wrap inside its box, none of them cut off."""
        app = ReaderApp(comparison=two_outlets())
        async with app.run_test(size=(width, 24)) as pilot:
            await tap(pilot, "c")
            await pilot.pause()
            title = app.screen.query_one("#chooser-title", Label)
            lines = title.render_lines(Region(0, 0, title.size.width, title.size.height))
            shown = " ".join(" ".join(line.text.split()) for line in lines)
            assert shown == "Outlets to show (Space toggles, Enter keeps, Esc cancels)"

    async def test_q_quits(self) -> None:
        """``q`` in the reader ends the app."""
        app = ReaderApp(comparison=two_outlets())
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("q")
            await pilot.pause()
            assert not app.is_running
        assert app.return_code == 0

    async def test_command_palette_lists_the_reader_actions(self) -> None:
        """ctrl+p finds "Next divergence"; choosing it moves to the first divergence."""
        c = two_outlets()
        app = ReaderApp(comparison=c)
        async with app.run_test(size=SIZE) as pilot:
            screen = reader(app)
            titles = {command.title for command in app.get_system_commands(screen)}
            for binding in ReaderScreen.BINDINGS:
                assert not isinstance(binding, tuple)
                if binding.id and not binding.id.startswith("focus-outlet-"):
                    assert binding.description in titles
            await pilot.press("ctrl+p")
            assert isinstance(app.screen, CommandPalette)
            app.screen.query_one(CommandInput).value = "Next divergence"
            hits = app.screen.query_one(CommandList)
            for _ in range(100):
                await pilot.pause()
                if hits.option_count:
                    break
            prompts = [str(hits.get_option_at_index(k).prompt) for k in range(hits.option_count)]
            assert prompts and prompts[0].startswith("Next divergence")
            await pilot.press("enter")
            await settle(app)
            assert reader(app) is screen
            assert screen.divergence == 0
            assert_row_centred(screen.view, row_index(c, c.divergences[0].paragraphs[0]))


class TestDerivation:
    """``d`` opens the overview of where each version came from."""

    async def test_d_shows_the_matrix_and_findings(self) -> None:
        """Every outlet in the matrix, the derivation's findings listed; Esc closes."""
        from storylens.core.derivation import derivation
        from storylens.ui.screens.derivation import DerivationScreen

        c = demo_comparison()
        app = ReaderApp(comparison=c)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("d")
            assert isinstance(app.screen, DerivationScreen)
            matrix = str(app.screen.query_one("#derivation-matrix", Static).render())
            findings = str(app.screen.query_one("#derivation-findings", Static).render())
            assert all(doc.label in matrix for doc in c.documents)
            expected = derivation(c)
            assert all(f in findings.replace("\n", " ") for f in expected.findings)
            # The wire's text in the scraped copy: a full-strength cell.
            assert "100+0" in matrix
            await pilot.press("escape")
            assert reader(app) is app.screen

    @pytest.mark.parametrize(("width", "fits"), [(80, True), (50, False)])
    async def test_a_narrow_terminal_keeps_one_line_per_outlet(
        self, width: int, fits: bool
    ) -> None:
        """Names are shortened first; past that the matrix scrolls sideways, never wraps."""
        c = demo_comparison()
        app = ReaderApp(comparison=c)
        async with app.run_test(size=(width, 24)) as pilot:
            await pilot.press("d")
            await pilot.pause()
            matrix = app.screen.query_one("#derivation-matrix", Static)
            body = app.screen.query_one("#derivation-body")
            assert matrix.size.height == 1 + len(c.documents)  # the header, then a row each
            assert (matrix.region.right <= body.content_region.right) is fits
            assert body.max_scroll_x == 0 if fits else body.max_scroll_x > 0
            lines = str(matrix.render()).splitlines()
            if fits:  # "2 The Carrow Bay C…": shortened, with an ellipsis
                assert any(line.startswith("2 The Carrow") and "…" in line for line in lines)
