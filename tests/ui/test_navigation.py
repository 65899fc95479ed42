"""Moving through the story: divergence jumps, rows, scrolling and the mouse wheel.

Every test drives the real reader with keys (or wheel events) and asserts where
it ends up: the current row, the divergence, the highlights, the scroll offset,
and what the panes draw.
"""

from __future__ import annotations

import itertools

from textual.message import Message

from storylens.ui.widgets.aligned import AlignedView

from .support import (
    SIZE,
    ReaderApp,
    assert_row_centred,
    demo_comparison,
    expected_marks,
    marked_text,
    reader,
    reading_order,
    screen_lines,
    settle,
    tap,
    two_outlets,
    view_height,
    wheel,
)


def _docs_of(pids: tuple[str, ...]) -> set[str]:
    return {pid.partition(".")[0] for pid in pids}


class TestDivergenceSteps:
    """``n``/``]`` and ``N``/``[``: every divergence, in reading order, centred and marked."""

    async def test_n_visits_divergences_in_reading_order(self) -> None:
        """Each ``n`` selects the next divergence, makes its row current and marks its spans."""
        c = demo_comparison()
        order = reading_order(c)
        rows = {row.id: k for k, row in enumerate(c.rows)}
        app = ReaderApp(comparison=c)
        async with app.run_test(size=SIZE) as pilot:
            screen = reader(app)
            view = screen.view
            # The first five include two divergences on one row (altered, then moved).
            for step in range(5):
                await tap(pilot, "n")
                d = c.divergences[order[step]]
                assert screen.divergence == order[step]
                assert_row_centred(view, rows[d.row])
                assert dict(view.highlights) == expected_marks(d.spans)
                assert screen.focused_doc in _docs_of(d.paragraphs)
                status = str(screen.query_one("#status").render())
                assert f"divergence {order[step] + 1}/{len(c.divergences)} {d.type}" in status
                # The divergence's text is on screen, in its outlet's pane, and the
                # marked spans are drawn in the highlight style.
                first = c.paragraph(d.paragraphs[0]).text.split()[:3]
                assert any(" ".join(first) in line for line in screen_lines(view))
                marked = marked_text(view)
                for pid, start, _ in d.spans:
                    assert " ".join(c.paragraph(pid).text[start:].split()[:2]) in marked
                if not d.spans:
                    assert not marked.strip()
            assert c.divergences[order[3]].row == c.divergences[order[2]].row
            assert app.notices == []

    async def test_brackets_step_both_ways_and_wrap_with_a_notice(self) -> None:
        """``N``/``[`` go back, ``n``/``]`` forward; past either end they wrap and say so."""
        c = demo_comparison()
        order = reading_order(c)
        last_row = len(c.rows) - 1
        app = ReaderApp(comparison=c)
        async with app.run_test(size=SIZE) as pilot:
            screen = reader(app)
            view = screen.view
            # On the first row with nothing selected, its divergence is the previous one.
            await tap(pilot, "N")
            assert screen.divergence == order[0]
            assert_row_centred(view, 0)
            assert app.notices == []
            await tap(pilot, "left_square_bracket")
            assert screen.divergence == order[-1]
            assert_row_centred(view, last_row)
            assert view.scroll_y == view.max_scroll_y
            assert app.notices == ["Round to the last divergence."]
            await tap(pilot, "right_square_bracket")
            assert screen.divergence == order[0]
            assert_row_centred(view, 0)
            assert view.scroll_y == 0
            assert app.notices[-1] == "Back to the first divergence."
            await tap(pilot, "n", "N")
            assert screen.divergence == order[0]
            assert dict(view.highlights) == expected_marks(c.divergences[order[0]].spans)

    async def test_moving_off_the_row_clears_the_divergence(self) -> None:
        """``j`` leaves the divergence's row: the selection and marks go; ``n`` resumes there."""
        c = two_outlets()
        app = ReaderApp(comparison=c)
        async with app.run_test(size=SIZE) as pilot:
            screen = reader(app)
            view = screen.view
            await tap(pilot, "n")
            assert screen.divergence == 0 and view.current_row == 1
            assert dict(view.highlights) == expected_marks(c.divergences[0].spans)
            await tap(pilot, "j")
            assert view.current_row == 2
            assert screen.divergence is None
            assert dict(view.highlights) == {}
            # n searches from the current row: the divergence on row 2 comes next.
            await tap(pilot, "n")
            assert screen.divergence == 1
            assert_row_centred(view, 2)
            assert app.notices == []


class TestTypedJumps:
    """``u``, ``a`` and ``m`` land on divergences of one type only, in reading order."""

    async def test_typed_jumps_land_on_that_type_only(self) -> None:
        """``u``, ``a``, ``m``: three presses each visit the first three of that type, centred."""
        c = demo_comparison()
        rows = {row.id: k for k, row in enumerate(c.rows)}
        app = ReaderApp(comparison=c)
        async with app.run_test(size=SIZE) as pilot:
            screen = reader(app)
            for key, kind in (("u", "unique"), ("a", "altered"), ("m", "moved")):
                # Arrange: back on the first row with nothing selected.
                screen.action_clear()
                screen.view.centre_row(0)
                await settle(app)
                order = reading_order(c, kind)
                assert len(order) >= 3
                for step in range(3):
                    await tap(pilot, key)
                    assert screen.divergence == order[step]
                    d = c.divergences[order[step]]
                    assert d.type == kind
                    assert_row_centred(screen.view, rows[d.row])
                    assert dict(screen.view.highlights) == expected_marks(d.spans)

    async def test_typed_jump_without_that_type_says_so(self) -> None:
        """``m`` in a story where nothing moved: a notice, and nothing is selected."""
        c = two_outlets()
        assert not any(d.type == "moved" for d in c.divergences)
        app = ReaderApp(comparison=c)
        async with app.run_test(size=SIZE) as pilot:
            screen = reader(app)
            await tap(pilot, "m")
            assert app.notices == ["No moved divergences in this comparison."]
            assert screen.divergence is None
            assert screen.view.current_row == 0


class TestRowsAndScrolling:
    """``j``/``k``, arrows, page keys, ``home``/``end`` and the wheel: one scroll for all."""

    async def test_j_and_k_move_one_row_and_tell_the_screen(self) -> None:
        """``j``/``k`` centre the next/previous row, stop at the ends, and post ``RowChanged``."""
        c = two_outlets()
        changes: list[int] = []

        def hook(message: Message) -> None:
            if isinstance(message, AlignedView.RowChanged):
                changes.append(message.row)

        app = ReaderApp(comparison=c)
        last = len(c.rows) - 1
        async with app.run_test(size=SIZE, message_hook=hook) as pilot:
            view = reader(app).view
            await pilot.pause()
            changes.clear()
            await tap(pilot, "j")
            assert_row_centred(view, 1)
            await tap(pilot, *["j"] * (last + 1))
            assert_row_centred(view, last)
            await tap(pilot, "k")
            assert_row_centred(view, last - 1)
            await tap(pilot, *["k"] * (last + 1))
            assert_row_centred(view, 0)
            assert changes[0] == 1 and changes[-1] == 0
            assert last in changes

    async def test_j_in_the_demo_keeps_the_row_in_the_middle(self) -> None:
        """Far from the ends, the row ``j`` and ``k`` land on is centred, not just visible."""
        c = demo_comparison()
        app = ReaderApp(comparison=c)
        async with app.run_test(size=SIZE) as pilot:
            screen = reader(app)
            view = screen.view
            await tap(pilot, "m", "m", "m")  # row 14, mid-story
            middle = view.current_row
            assert view.scroll_y > 0
            await tap(pilot, "j")
            assert_row_centred(view, middle + 1)
            await tap(pilot, "k", "k")
            assert_row_centred(view, middle - 1)
            assert str(screen.query_one("#status").render()).startswith(
                f" row {middle}/{len(c.rows)}"
            )

    async def test_arrow_keys_scroll_every_pane_by_one_line(self) -> None:
        """``down``/``up`` shift the whole view by one line; the current row stays."""
        c = demo_comparison()
        app = ReaderApp(comparison=c)
        async with app.run_test(size=SIZE) as pilot:
            view = reader(app).view
            await tap(pilot, "m", "m", "m")
            row, y = view.current_row, view.scroll_y
            before = screen_lines(view)
            await pilot.press("down")
            assert view.scroll_y == y + 1
            assert view.current_row == row
            # Every pane moved together: each line is the one below it before.
            assert screen_lines(view)[:-1] == before[1:]
            await pilot.press("up", "up")
            assert view.scroll_y == y - 1
            assert screen_lines(view)[1:] == before[:-1]
            assert view.current_row == row

    async def test_page_keys_scroll_by_a_screenful(self) -> None:
        """``pagedown``/``pageup`` move one screenful; the current row follows onto the screen."""
        c = demo_comparison()
        app = ReaderApp(comparison=c)
        async with app.run_test(size=SIZE) as pilot:
            view = reader(app).view
            lines = view_height(view)
            whole = [view.layout_.line(y).text for y in range(view.layout_.height)]
            await pilot.press("pagedown")
            y = round(view.scroll_y)
            assert lines - 1 <= y <= lines
            assert screen_lines(view) == whole[y : y + lines]
            # Row 0 scrolled away, so the current row is now one on screen.
            top, _ = view.layout_.y_of_row(view.current_row)
            assert view.current_row > 0
            assert y <= top < y + lines
            await pilot.press("pagedown", "pageup")
            assert round(view.scroll_y) == y
            await pilot.press("pageup")
            assert view.scroll_y == 0
            assert screen_lines(view) == whole[:lines]

    async def test_home_and_end_scroll_to_the_ends(self) -> None:
        """``end`` shows the last lines, ``home`` the first ones."""
        c = demo_comparison()
        app = ReaderApp(comparison=c)
        async with app.run_test(size=SIZE) as pilot:
            view = reader(app).view
            await pilot.press("end")
            assert view.scroll_y == view.max_scroll_y > 0
            await pilot.press("home")
            assert view.scroll_y == 0

    async def test_home_and_end_make_the_first_and_last_rows_current(self) -> None:
        """``end``/``home`` go to the last/first row (``action_last_row``/``action_first_row``).

        Today they reach Textual's ``scroll_end``/``scroll_home`` instead: the view
        scrolls, but the current row is whichever row the scroll leaves in the middle.
        """
        c = demo_comparison()
        app = ReaderApp(comparison=c)
        async with app.run_test(size=SIZE) as pilot:
            view = reader(app).view
            await pilot.press("end")
            assert view.current_row == len(c.rows) - 1
            await pilot.press("home")
            assert view.current_row == 0

    async def test_mouse_wheel_scrolls_every_pane_together(self) -> None:
        """Wheel events over the panes move the one scroll position; the current row follows."""
        c = demo_comparison()
        app = ReaderApp(comparison=c)
        async with app.run_test(size=SIZE) as pilot:
            view = reader(app).view
            lines = view_height(view)
            step = round(app.scroll_sensitivity_y)
            whole = [view.layout_.line(y).text for y in range(view.layout_.height)]
            # A row mid-story, centred; Esc drops the divergence.
            await tap(pilot, "m", "m", "m", "escape")
            row, start = view.current_row, round(view.scroll_y)
            await wheel(pilot, view, notches=3)
            y = round(view.scroll_y)
            assert y == start + 3 * step
            assert screen_lines(view) == whole[y : y + lines]
            assert view.current_row == row  # still on screen: the current row stays
            await wheel(pilot, view, notches=20)
            y = round(view.scroll_y)
            assert y == min(start + 23 * step, view.max_scroll_y)
            assert screen_lines(view) == whole[y : y + lines]
            # The old row scrolled away: a row now on screen became current.
            assert view.current_row > row
            top, height = view.layout_.y_of_row(view.current_row)
            assert top < y + lines and top + height > y
            await wheel(pilot, view, down=False, notches=10)
            assert round(view.scroll_y) == y - 10 * step
            assert screen_lines(view) == whole[y - 10 * step : y - 10 * step + lines]

    async def test_scrolling_away_from_a_divergence_does_not_jump(self) -> None:
        """Every wheel notch moves the view the same distance, even when the row changes."""
        c = demo_comparison()
        app = ReaderApp(comparison=c)
        async with app.run_test(size=SIZE) as pilot:
            screen = reader(app)
            view = screen.view
            await tap(pilot, "m", "m", "m")
            assert screen.divergence is not None
            step = round(app.scroll_sensitivity_y)
            offsets = [round(view.scroll_y)]
            for _ in range(15):
                await wheel(pilot, view)
                offsets.append(round(view.scroll_y))
            assert screen.divergence is None  # the row changed on the way
            assert [b - a for a, b in itertools.pairwise(offsets)] == [step] * 15
