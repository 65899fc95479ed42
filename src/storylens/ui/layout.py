"""Lay out a comparison as lines: rows of aligned cells, one column per visible outlet.

The reader draws with Textual's Line API, so it only needs "what is on screen
line *y*". A :class:`Layout` answers that: it wraps each paragraph once for the
current pane width (cached), stacks each row's cells to the height of its
tallest cell, folds runs of rows every outlet shares when asked, and keeps the
first screen line of every row so navigation can centre a row and scrolling can
tell which row is on screen.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from rich._wrap import divide_line
from rich.segment import Segment
from rich.style import Style
from textual.content import Content
from textual.strip import Strip

from ..core.model import Comparison, Paragraph, Row, SetAside
from .palette import STATUS_GLYPHS, Palette
from .text import screen_text

CACHE_LINES = 2000
"""Drawn paragraphs kept (per paragraph, width and highlights)."""

GUTTER = 2
"""Cells before the text of a line: the status glyph and a space."""

SEPARATOR = "│"
"""Drawn between panes."""


@dataclass(frozen=True)
class Options:
    """What the layout shows."""

    docs: tuple[str, ...]
    """The visible documents, left to right."""
    width: int
    """The width of the whole view in cells."""
    fold: bool = False
    """Fold rows every visible outlet shares word for word."""
    aside: frozenset[str] = frozenset()
    """Documents whose set-aside boilerplate is shown."""


class Cell:
    """One pane's part of a row: its pieces, measured now and drawn when first shown.

    A piece is a paragraph (drawn through the layout's cache) or ready-made lines
    (set-aside text, a blank between paragraphs). Heights come from a cheap line
    count, so building the layout of a long story renders nothing; a row's strips
    are made only when the row is on screen.
    """

    __slots__ = ("height", "layout", "pieces", "width")

    def __init__(self, layout: Layout, width: int) -> None:
        self.layout = layout
        self.width = width
        self.pieces: list[tuple[str | None, list[Strip] | None, int]] = []
        """(paragraph id, None, height) or (None, lines, height)."""
        self.height = 0

    def add_paragraph(self, pid: str, height: int) -> None:
        """A paragraph of *height* lines."""
        self.pieces.append((pid, None, height))
        self.height += height

    def add_lines(self, lines: list[Strip]) -> None:
        """Lines drawn already."""
        self.pieces.append((None, lines, len(lines)))
        self.height += len(lines)

    def __len__(self) -> int:
        return self.height

    def __bool__(self) -> bool:
        return self.height > 0

    def __getitem__(self, offset: int) -> Strip:
        for pid, lines, height in self.pieces:
            if offset < height:
                if lines is None:
                    assert pid is not None
                    lines = self.layout.paragraph_lines(pid, self.width)
                return lines[offset] if offset < len(lines) else Strip.blank(self.width)
            offset -= height
        return Strip.blank(self.width)

    def __iter__(self) -> Iterator[Strip]:
        for k in range(self.height):
            yield self[k]


@dataclass(eq=False)
class Block:
    """One row of the comparison (or a fold of several), as screen lines per pane."""

    rows: tuple[int, ...]
    """Indices into ``comparison.rows`` (several for a fold)."""
    height: int
    cells: dict[str, Cell] = field(default_factory=dict)
    folded: bool = False


def pane_widths(total: int, count: int) -> list[int]:
    """Widths of *count* panes sharing *total* cells with a one-cell separator between."""
    if count <= 0:
        return []
    usable = max(count, total - (count - 1))
    base, extra = divmod(usable, count)
    return [base + (1 if k < extra else 0) for k in range(count)]


class Layout:
    """Screen lines for one set of :class:`Options` (rebuilt when they change)."""

    def __init__(
        self,
        comparison: Comparison,
        options: Options,
        palette: Palette,
        highlights: Mapping[str, Sequence[tuple[int, int]]] | None = None,
        cache: dict[tuple[str, int, int], list[Strip]] | None = None,
        heights: dict[tuple[str, int], int] | None = None,
    ) -> None:
        self.comparison = comparison
        self.options = options
        self.palette = palette
        self.highlights = highlights or {}
        self._cache = cache if cache is not None else {}
        self._heights = heights if heights is not None else {}
        self.stale = False
        """Set when a drawn paragraph's height disagreed with the count: rebuild."""
        self.widths = pane_widths(options.width, len(options.docs))
        self._moves = comparison.moves
        self._row_of_pid = comparison.row_of_paragraph
        self._labels = {doc.id: doc.label for doc in comparison.documents}
        self._aside = _aside_by_row(comparison, options.aside)
        self.blocks: list[Block] = []
        self.starts: list[int] = []
        self.height = 0
        self._block_of_row: dict[int, int] = {}
        self._build()

    # -- building --------------------------------------------------------------

    def _build(self) -> None:
        fold_run: list[int] = []
        for k, row in enumerate(self.comparison.rows):
            if self.options.fold and self._all_shared(row):
                fold_run.append(k)
                continue
            if fold_run:
                self._add_fold(fold_run)
                fold_run = []
            self._add_row(k, row)
        if fold_run:
            self._add_fold(fold_run)

    def _add(self, block: Block) -> None:
        for k in block.rows:
            self._block_of_row[k] = len(self.blocks)
        self.starts.append(self.height)
        self.blocks.append(block)
        self.height += block.height

    def _add_fold(self, rows: list[int]) -> None:
        self._add(Block(tuple(rows), 2, folded=True))

    def _add_row(self, k: int, row: Row) -> None:
        cells: dict[str, Cell] = {}
        for doc, width in zip(self.options.docs, self.widths, strict=True):
            cell = Cell(self, width)
            aside = self._aside.get((k, doc), {})
            for entry in aside.get("before", ()):
                cell.add_lines(self._aside_lines(entry, width))
            for pid in row.cells.get(doc, ()):
                if cell:
                    cell.add_lines([Strip.blank(width)])
                cell.add_paragraph(pid, self._paragraph_height(pid, width))
                for entry in aside.get(pid, ()):
                    cell.add_lines(self._aside_lines(entry, width))
            cells[doc] = cell
        height = max((len(v) for v in cells.values()), default=0)
        self._add(Block((k,), max(1, height) + 1, cells))

    def _all_shared(self, row: Row) -> bool:
        """True when every visible outlet has this row and all of it is shared."""
        spans = self.comparison.spans
        for doc in self.options.docs:
            pids = row.cells.get(doc, ())
            if not pids:
                return False
            for pid in pids:
                if pid in self._moves or any(s.status != "shared" for s in spans[pid]):
                    return False
        return True

    # -- paragraphs ------------------------------------------------------------

    def paragraph_lines(self, pid: str, width: int) -> list[Strip]:
        """The drawn lines of a paragraph (with its highlights), made once per look."""
        marks = self.highlights.get(pid, ())
        key = (pid, width, hash(tuple(marks)))
        got = self._cache.get(key)
        if got is None:
            got = self._cache[key] = self._render_paragraph(pid, width, marks)
            if len(self._cache) > CACHE_LINES:
                # Oldest first out: a long session must not keep every look it saw.
                del self._cache[next(iter(self._cache))]
            if len(got) != self._paragraph_height(pid, width):
                # The line count disagreed with the drawing: trust the drawing and
                # ask for a new layout (never seen; a guard, not a path).
                self._heights[pid, width] = len(got)
                self.stale = True
        return got

    def _paragraph_height(self, pid: str, width: int) -> int:
        """How many lines the paragraph takes at *width*, without drawing it."""
        key = (pid, width)
        height = self._heights.get(key)
        if height is None:
            text_width = max(1, width - GUTTER)
            # divide_line gives the break offsets: one line more than breaks. It is
            # the wrapping Content.wrap uses, so the count matches the drawing.
            text = screen_text(self.comparison.paragraph(pid).text)
            lines = len(divide_line(text, text_width, fold=True)) + 1
            if pid in self._moves:
                lines += len(divide_line(self._move_text(pid), text_width, fold=True)) + 1
            height = self._heights[key] = max(1, lines)
        return height

    def _render_paragraph(
        self, pid: str, width: int, marks: Sequence[tuple[int, int]]
    ) -> list[Strip]:
        c = self.comparison
        para = c.paragraph(pid)
        pal = self.palette
        text = screen_text(para.text)
        content = Content(text)
        spans = c.spans.get(pid, ())
        for span in spans:
            style = {"shared": pal.shared, "altered": pal.altered, "unique": pal.unique}[
                span.status
            ]
            content = content.stylize(_textual_style(style), span.start, span.end)
            for start, end in span.changes:
                content = content.stylize(_textual_style(pal.changed), start, end)
        if para.kind == "heading":
            content = content.stylize(_textual_style(pal.heading))
        for start, end in marks:
            content = content.stylize(_textual_style(pal.match), start, end)
        text_width = max(1, width - GUTTER)
        out: list[Strip] = []
        pos = 0
        for line in content.wrap(text_width):
            plain = line.plain
            at = text.find(plain, pos) if plain else pos
            if at >= 0:
                pos = at + len(plain)
            glyph = (
                STATUS_GLYPHS["heading"] if para.kind == "heading" else _glyph(spans, max(at, 0))
            )
            status_style = _status_style(spans, max(at, 0), pal)
            segments = [Segment(glyph + " ", pal.gutter + status_style)]
            segments.extend(line.render_segments())
            out.append(Strip(segments).adjust_cell_length(width))
        if pid in self._moves:
            out.extend(self._move_note(pid, width))
        return out

    def _move_note(self, pid: str, width: int) -> list[Strip]:
        """Where the other outlets carry this paragraph: 'row 7: A, B; row 12: C'."""
        return _styled_lines("↔", self._move_text(pid), self.palette.moved, width)

    def _move_text(self, pid: str) -> str:
        by_row: dict[int, list[str]] = {}
        for other in self._moves[pid]:
            by_row.setdefault(self._row_of(other), []).append(self._labels[other.partition(".")[0]])
        where = "; ".join(
            f"row {row + 1}: {', '.join(labels)}" for row, labels in sorted(by_row.items())
        )
        return screen_text(f"moved, also at {where} (o jumps)")

    def _aside_lines(self, entry: SetAside, width: int) -> list[Strip]:
        text = f"set aside ({entry.reason}): " + screen_text(entry.text)
        return _styled_lines(STATUS_GLYPHS["aside"], text, self.palette.aside, width)

    def _row_of(self, pid: str) -> int:
        return self._row_of_pid[pid]

    # -- reading ---------------------------------------------------------------

    def block_at(self, y: int) -> int:
        """Index of the block drawn on screen line *y*."""
        return max(0, bisect.bisect_right(self.starts, y) - 1)

    def row_at(self, y: int) -> int:
        """Index (in ``comparison.rows``) of the row on screen line *y*."""
        if not self.blocks:
            return 0
        return self.blocks[self.block_at(y)].rows[0]

    def y_of_row(self, row: int) -> tuple[int, int]:
        """First screen line and height of the block showing row index *row*."""
        k = self._block_of_row.get(row)
        if k is None:
            return 0, 0
        return self.starts[k], self.blocks[k].height

    def line(self, y: int, current: int | None = None) -> Strip:
        """Screen line *y*: every visible pane side by side."""
        width = self.options.width
        if not 0 <= y < self.height:
            return Strip.blank(width)
        k = self.block_at(y)
        block = self.blocks[k]
        offset = y - self.starts[k]
        pal = self.palette
        if block.folded:
            if offset == 0:
                n = len(block.rows)
                rows = f"{n} row{'s' if n != 1 else ''}"
                note = f"··· {rows} every outlet shares, folded (f: unfold) ···"
                return _line(note.center(width), pal.fold, width)
            return Strip.blank(width)
        parts: list[Strip] = []
        last = offset == block.height - 1
        for doc, w in zip(self.options.docs, self.widths, strict=True):
            cell = block.cells[doc]
            if last:
                parts.append(Strip([Segment("─" * w, pal.rule)]))
            elif offset < len(cell):
                parts.append(cell[offset])
            elif not cell:
                parts.append(Strip([Segment(_hatch(w, y), pal.filler)]))
            else:
                parts.append(Strip.blank(w))
        joined: list[Strip] = []
        for n, part in enumerate(parts):
            if n:
                joined.append(Strip([Segment(SEPARATOR, pal.rule)]))
            joined.append(part)
        strip = Strip.join(joined)
        if current is not None and block.rows[0] == current and not last:
            strip = strip.apply_style(pal.current)
        return strip


# -- helpers ---------------------------------------------------------------------


def _textual_style(style: Style):  # type: ignore[no-untyped-def]
    from textual.style import Style as TStyle

    return TStyle.from_rich_style(style)


def _styled_lines(glyph: str, text: str, style: Style, width: int) -> list[Strip]:
    """*text* wrapped to the pane, every line in *style*, after a gutter glyph."""
    content = Content(text).stylize(_textual_style(style))
    return [
        Strip([Segment(glyph + " ", style), *line.render_segments()]).adjust_cell_length(width)
        for line in content.wrap(max(1, width - GUTTER))
    ]


def _hatch(width: int, y: int) -> str:
    """A diagonal hatch that lines up from one screen line to the next."""
    return "".join("╱" if (x + y) % 4 == 0 else " " for x in range(width))


def _line(text: str, style: Style, width: int) -> Strip:
    return Strip([Segment(text[:width], style)]).adjust_cell_length(width)


def _span_at(spans: Sequence, offset: int):  # type: ignore[no-untyped-def,type-arg]
    for span in spans:
        if span.start <= offset < span.end:
            return span
    return spans[-1] if spans else None


def _glyph(spans: Sequence, offset: int) -> str:  # type: ignore[type-arg]
    span = _span_at(spans, offset)
    return STATUS_GLYPHS[span.status] if span is not None else STATUS_GLYPHS["shared"]


def _status_style(spans: Sequence, offset: int, pal: Palette) -> Style:  # type: ignore[type-arg]
    span = _span_at(spans, offset)
    if span is None:
        return pal.shared
    return {"shared": pal.shared, "altered": pal.altered, "unique": pal.unique}[span.status]


def _aside_by_row(
    comparison: Comparison, docs: frozenset[str]
) -> dict[tuple[int, str], dict[str, list[SetAside]]]:
    """Where set-aside text goes: (row index, doc) → paragraph id (or "before") → items."""
    out: dict[tuple[int, str], dict[str, list[SetAside]]] = {}
    if not docs:
        return out
    row_of = comparison.row_of_paragraph
    for doc in comparison.documents:
        if doc.id not in docs or not doc.paragraphs:
            continue
        for entry in doc.set_aside:
            if entry.after < 0:
                first: Paragraph = doc.paragraphs[0]
                out.setdefault((row_of[first.id], doc.id), {}).setdefault("before", []).append(
                    entry
                )
            else:
                para = doc.paragraphs[min(entry.after, len(doc.paragraphs) - 1)]
                out.setdefault((row_of[para.id], doc.id), {}).setdefault(para.id, []).append(entry)
    return out
