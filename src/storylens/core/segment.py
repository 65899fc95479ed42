"""Paragraphs: blocks from plain text and Markdown, then headings and boilerplate.

Every format is first turned into :class:`Block` s (a stretch of the
document's text, joined the way a reader would read it), then
:func:`segment` decides which blocks are boilerplate (set aside with a
reason, never dropped), which are headings, and numbers the paragraphs.

Plain text comes in three layouts, often mixed in one file: paragraphs
separated by blank lines, one paragraph per (long) line, and lines
hard-wrapped at a fixed width.  Wrapping is recognised the way a reader
does it: a line ends a paragraph when the next line's first word would have
fitted on it.  Everything is one pass over the lines, so the cost stays a
small multiple of reading the file.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storylens.core import boilerplate
from storylens.core.model import Paragraph, ParagraphKind, SetAside

if TYPE_CHECKING:
    from markdown_it.token import Token

__all__ = [
    "Block",
    "Segmented",
    "markdown_blocks",
    "plain_blocks",
    "segment",
    "segment_text",
]

Piece = tuple[int, int, int]
"""``(offset in the block's text, start in the document, end in the document)``."""


@dataclass(slots=True)
class Block:
    """One candidate paragraph, before boilerplate and heading decisions."""

    text: str
    """The block's text as a reader reads it (wrapped lines joined by one space)."""
    pieces: tuple[Piece, ...]
    """Where the text comes from in the document, one piece per source line."""
    kind: ParagraphKind | None = None
    """Declared by the source (a Markdown heading), or ``None`` to judge by shape."""
    literal: bool = False
    """Code or table text: shown as is, never judged as boilerplate."""
    reason: str | None = None
    """Already known to be set aside (e.g. page text outside an HTML article)."""
    exact: bool = True
    """Each piece's text equals the document slice it points at, so cuts map exactly."""

    @property
    def start(self) -> int:
        """Offset of the block's first character in the document."""
        return self.pieces[0][1]

    @property
    def end(self) -> int:
        """Offset just past the block's last character in the document."""
        return self.pieces[-1][2]

    def cut(self, i: int, j: int, reason: str | None = None) -> Block | None:
        """Return the part of this block whose text is ``text[i:j]``, whitespace trimmed.

        Only exact blocks can be cut precisely; others keep their whole range.
        """
        segment = self.text[i:j]
        lead = len(segment) - len(segment.lstrip())
        stripped = segment.strip()
        if not stripped:
            return None
        i += lead
        j = i + len(stripped)
        if not self.exact:
            return Block(stripped, self.pieces, self.kind, self.literal, reason, exact=False)
        pieces: list[Piece] = []
        for offset, start, end in self.pieces:
            lo = max(i, offset)
            hi = min(j, offset + (end - start))
            if lo < hi:
                pieces.append((lo - i, start + lo - offset, start + hi - offset))
        return Block(stripped, tuple(pieces), self.kind, self.literal, reason)


@dataclass(frozen=True, slots=True)
class Segmented:
    """A document's paragraphs and set-aside text, plus what the text says about itself."""

    paragraphs: tuple[Paragraph, ...]
    set_aside: tuple[SetAside, ...]
    title: str | None = None
    """The opening heading, when the text starts with one."""
    outlet: str | None = None
    """An outlet name shown by a masthead or a scraper's source line."""


# --------------------------------------------------------------------------- plain text

_BULLET = re.compile(r"(?:[-*•+\u2013]|\d{1,3}[.)]|[a-z][.)])\s")
_HYPHEN_END = re.compile(r"[^\W\d_]-$")
_MIN_WRAP = 40
"""Lines shorter than this are never taken as evidence of wrapping (labels, stamps)."""
_MAX_WRAP = 200
"""Nobody hard-wraps wider than this; longer lines are one-paragraph-per-line text."""
_SENTENCE_END = frozenset(".!?\"'\u201d\u2019)]")
"""Characters a line ends with when it ends a sentence (closing quotes included)."""


_Line = tuple[int, int, int, int]
"""A non-blank line: (start, end, width, indent).

``start``/``end`` bound the line's text without surrounding spaces; ``width``
is the columns used including indentation (what a wrapping tool counted).
Plain tuples: a file of a million words has a hundred thousand lines.
"""
_START, _END, _WIDTH, _INDENT = 0, 1, 2, 3


def _lines(text: str) -> list[_Line | None]:
    """Split *text* into lines; ``None`` for blank ones."""
    rows: list[_Line | None] = []
    append = rows.append
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            if line[0] == stripped[0]:  # no indentation: skip the second strip
                append((pos, pos + len(stripped), len(stripped), 0))
            else:
                lead = len(line) - len(line.lstrip())
                append((pos + lead, pos + lead + len(stripped), lead + len(stripped), lead))
        else:
            append(None)
        pos += len(line) + 1
    return rows


def _wrap_width(rows: Sequence[_Line | None]) -> int | None:
    """Estimate the width the file was hard-wrapped at, from lines that continue."""
    widths = sorted(
        a[_WIDTH]
        for a, b in itertools.pairwise(rows)
        if a is not None and b is not None and _MIN_WRAP <= a[_WIDTH] <= _MAX_WRAP
    )
    if not widths:
        return None
    high = widths[(len(widths) - 1) * 9 // 10]
    # The wrap width is the edge of the bulk of continuing lines; a few
    # longer lines (a URL, a one-line paragraph) must not move it.
    return max(w for w in widths if w <= high * 1.1 + 1)


def _first_word_len(text: str, line: _Line) -> int:
    start, end = line[_START], line[_END]
    space = text.find(" ", start, end)
    return (space if space != -1 else end) - start


def _fits(text: str, a: _Line, b: _Line, width: int) -> bool:
    """True if *a* is full: *b*'s first word would not have fitted on it."""
    used = a[_WIDTH]
    return used <= width * 1.15 and used + 1 + _first_word_len(text, b) > width


def _run_is_wrapped(text: str, run: Sequence[_Line], width: int | None) -> bool:
    """Decide whether a run of non-blank lines is hard-wrapped prose.

    Wrapped lines are full (the next word would not have fitted) and often
    stop mid-sentence; one-paragraph-per-line text ends every line with a
    sentence.  Without the second test, three long lines look "full" against
    a width estimated from those same three lines.
    """
    if width is None or len(run) < 2:
        return False
    considered = full = mid = 0
    for a, b in itertools.pairwise(run):
        if a[_WIDTH] >= _MIN_WRAP:
            considered += 1
            full += _fits(text, a, b, width)
            mid += text[a[_END] - 1] not in _SENTENCE_END
    over = sum(1 for line in run if line[_WIDTH] > width * 1.15)
    return (
        considered > 0
        and full * 2 >= considered
        and mid * 3 >= considered
        and over * 10 <= len(run)
    )


def _joiner(previous: str, following: str) -> str:
    """How two wrapped lines join: one space, or nothing after a hyphen at the wrap.

    "co-" + "operate" → "co-operate": the hyphen is kept (dropping it would
    turn "well-" + "known" into "wellknown"), so nothing is ever lost.
    """
    # Only the end of *previous* matters: searching all of it made joining the
    # lines of a long Markdown paragraph (all of it so far, each time) quadratic.
    end = previous[-3:]
    if _HYPHEN_END.search(end) and not end.endswith("--") and following[:1].islower():
        return ""
    return " "


def _block_from_lines(text: str, lines: Sequence[_Line]) -> Block:
    if len(lines) == 1:  # the common case, kept cheap
        start, end = lines[0][_START], lines[0][_END]
        return Block(text[start:end], ((0, start, end),))
    parts: list[str] = []
    pieces: list[Piece] = []
    offset = 0
    for start, end, _, _ in lines:
        chunk = text[start:end]
        if parts:
            sep = _joiner(parts[-1], chunk)
            parts.append(sep)
            offset += len(sep)
        parts.append(chunk)
        pieces.append((offset, start, end))
        offset += len(chunk)
    return Block("".join(parts), tuple(pieces))


def _continues(text: str, a: _Line, b: _Line) -> bool:
    """True if *b* plainly carries on *a*'s sentence: *a* is a long line that does
    not end a sentence and *b* starts with a small letter (a broken line)."""
    return (
        a[_WIDTH] >= _MIN_WRAP
        and text[b[_START]].islower()
        and text[a[_END] - 1] not in _SENTENCE_END
    )


def plain_blocks(text: str) -> list[Block]:
    """Split plain *text* into paragraph blocks (offsets into *text*).

    Blank lines always separate.  Inside a run of non-blank lines:

    * a hard-wrapped run joins its lines, except before a bullet, before a
      more indented line (a first-line indent starts a paragraph) and after a
      short line.  "Short" depends on the file's style: where blank lines
      separate paragraphs, a line is short when it is well under the wrap
      width (right edges of hand-wrapped text are ragged); where nothing
      else separates them, a line is short when the next line's first word
      would have fitted on it;
    * any run joins a long line that stops mid-sentence with a next line that
      starts with a small letter (a broken line);
    * everything else is one paragraph per line.
    """
    rows = _lines(text)
    width = _wrap_width(rows)
    blanks = sum(1 for row in rows if row is None)
    blank_style = blanks * 4 >= len(rows) - blanks
    blocks: list[Block] = []
    run: list[_Line] = []

    def joins(a: _Line, b: _Line, wrapped: bool) -> bool:
        if _BULLET.match(text, b[_START]):
            return False
        if wrapped and width is not None:
            if b[_INDENT] > a[_INDENT] and not _BULLET.match(text, a[_START]):
                return False
            if blank_style and a[_WIDTH] >= 0.7 * width:
                return True
            if _fits(text, a, b, width):
                return True
        return _continues(text, a, b)

    def flush() -> None:
        if not run:
            return
        if len(run) == 1:
            start, end = run[0][_START], run[0][_END]
            blocks.append(Block(text[start:end], ((0, start, end),)))
            run.clear()
            return
        wrapped = _run_is_wrapped(text, run, width)
        current = [run[0]]
        for a, b in itertools.pairwise(run):
            if joins(a, b, wrapped):
                current.append(b)
            else:
                blocks.append(_block_from_lines(text, current))
                current = [b]
        blocks.append(_block_from_lines(text, current))
        run.clear()

    for row in rows:
        if row is None:
            flush()
        else:
            run.append(row)
    flush()
    return blocks


# --------------------------------------------------------------------------- Markdown

_FRONT_MATTER = re.compile(
    r"---[ \t]*\n(?:[\w-]+[ \t]*:.*\n)(?:.*\n){0,200}?(?:---|\.\.\.)[ \t]*\n?"
)
_FM_TITLE = re.compile(r"^title[ \t]*:[ \t]*[\"']?(.+?)[\"']?[ \t]*$", re.M)
# Comments and tags, in one pass from left to right as a browser reads them.  A
# tag is "<" then a name, "/", "!" or "?", with no other "<" before its ">": a
# looser "<[^>]*>" ate the words of "1 < 2 and 3 > 2", and of an unclosed "<!--"
# up to the next tag's ">".  Comments first, then tags, lost the words between a
# comment and a later ">" ("</b x<!---->words>": the comment's removal made a tag).
_MARKUP = re.compile(r"<!--.*?-->|<[A-Za-z/!?][^<>]*>", re.S)


def _inline_text(token: Token) -> str:
    """The text a reader sees in an inline token: no markup, link targets or HTML tags."""
    lines: list[str] = [""]
    alt_end = False  # the line ends with an image's alt text
    for child in token.children or ():
        if child.type in ("text", "code_inline", "image"):  # image: its alt text
            words = child.content
            # Alt text stands for a picture, not part of the words beside it:
            # glued on ("image![the tower](t.jpg)" read "imagethe") it made a
            # word the source never had, so a space keeps the two apart.
            glued = child.type == "image" or alt_end
            if glued and lines[-1][-1:].isalnum() and words[:1].isalnum():
                words = f" {words}"
            lines[-1] += words
            alt_end = child.type == "image"
        elif child.type in ("softbreak", "hardbreak"):
            lines.append("")
            alt_end = False
    out = ""
    for line in (part.strip() for part in lines):
        if line:
            out = f"{out}{_joiner(out, line)}{line}" if out else line
    return out


_LINE_END = re.compile(r"\r\n?|\n")


class _LineIndex:
    """Map Markdown line numbers (``token.map``) to character offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        # Lines end where markdown-it ends them: at CR LF, CR or LF.  Counting LF
        # alone put every block after a bare CR on the wrong line (text the loader
        # gets is newline-normalised, but markdown_blocks takes any text).
        self.starts = [0, *(m.end() for m in _LINE_END.finditer(text))]

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Offsets of lines ``first..last-1``, trimmed of surrounding whitespace."""
        start = self.starts[min(first, len(self.starts) - 1)]
        end = self.starts[last] - 1 if last < len(self.starts) else len(self.text)
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return start, end


def _loose(text: str, span: tuple[int, int], **kwargs: object) -> Block:
    """A block whose text is not a character-for-character copy of its source lines."""
    block = Block(text, ((0, span[0], span[1]),), exact=False)
    for name, value in kwargs.items():
        setattr(block, name, value)
    return block


def markdown_blocks(text: str) -> tuple[list[Block], str | None]:
    """Parse Markdown *text* into blocks with markdown-it-py; return them and the title.

    Headings become heading blocks; paragraphs, block-quote paragraphs and
    list items (one block per item) become body blocks; code is kept
    literally; each table row becomes a literal block with its cells joined
    by `` | ``.  The title is the first level-one heading (or a front-matter
    ``title:``).
    """
    from markdown_it import MarkdownIt  # lazy: 0.1 s to import, plain text never needs it

    blocks: list[Block] = []
    title: str | None = None
    index = _LineIndex(text)
    front = _FRONT_MATTER.match(text)
    source = text
    if front:
        # Blank the front matter out (keeping its newlines so line numbers hold).
        source = re.sub(r"[^\r\n]", " ", text[: front.end()]) + text[front.end() :]
        # Its lines: the closing "---" ends them, not the line break after it
        # (counting that break took in the first line of the body as well).
        lines = len(_LINE_END.findall(text[: front.end()].rstrip("\r\n"))) + 1
        start, end = index.span(0, lines)
        blocks.append(Block(text[start:end], ((0, start, end),), reason="front matter"))
        found = _FM_TITLE.search(text, 0, front.end())
        title = found.group(1).strip() if found else None

    tokens = MarkdownIt("commonmark").enable("table").parse(source)
    heading_h1 = False
    item: list[tuple[str, tuple[int, int]]] = []  # paragraphs of the open list item
    depth = 0  # list-item nesting

    def flush_item() -> None:
        if item:
            span = (item[0][1][0], item[-1][1][1])
            # A list item is body text even when it is short and unpunctuated.
            blocks.append(_loose(" ".join(t for t, _ in item), span, kind="body"))
            item.clear()

    i = 0
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if kind == "heading_open" and token.map:
            words = _inline_text(tokens[i + 1])
            if words:
                blocks.append(_loose(words, index.span(*token.map), kind="heading"))
                if token.tag == "h1" and not heading_h1:
                    heading_h1 = True
                    title = title or words
            i += 3
            continue
        if kind == "paragraph_open" and token.map:
            words = _inline_text(tokens[i + 1])
            if words and depth:
                item.append((words, index.span(*token.map)))
            elif words:
                blocks.append(_loose(words, index.span(*token.map)))
            i += 3
            continue
        if kind == "list_item_open":
            flush_item()  # a nested item: the outer item's own text comes first
            depth += 1
        elif kind == "list_item_close":
            flush_item()
            depth -= 1
        elif kind in ("fence", "code_block") and token.map:
            code = token.content.rstrip("\n")
            if code.strip():
                blocks.append(_loose(code, index.span(*token.map), literal=True))
        elif kind == "tr_open" and token.map:
            cells: list[str] = []
            i += 1
            while i < len(tokens) and tokens[i].type != "tr_close":
                if tokens[i].type == "inline":
                    cells.append(_inline_text(tokens[i]))
                i += 1
            if any(cells):
                blocks.append(_loose(" | ".join(cells), index.span(*token.map), literal=True))
        elif kind == "html_block" and token.map:
            span = index.span(*token.map)
            shown = " ".join(_MARKUP.sub(" ", token.content).split())
            if shown:
                blocks.append(_loose(shown, span))
            else:  # comments and bare tags: nothing a reader sees, but nothing lost
                raw = text[span[0] : span[1]]
                blocks.append(Block(raw, ((0, span[0], span[1]),), reason="HTML markup"))
        i += 1
    flush_item()
    blocks.sort(key=lambda b: b.start)
    return blocks, title


# --------------------------------------------------------------------------- assembly


def _apply_trims(blocks: Iterable[Block]) -> list[Block]:
    """Split ``[ad_1]``-style markers and trailing credit sentences off kept blocks."""
    out: list[Block] = []
    for block in blocks:
        trim = None
        if block.reason is None and not block.literal and block.exact:
            trim = boilerplate.trims(block.text)
            # A block that is boilerplate as a whole ("[ad_2]Source link", a
            # short video teaser) is set aside whole, not cut in pieces.
            if trim is not None and boilerplate.rule_reason(block.text) is not None:
                trim = None
        if trim is None:
            out.append(block)
            continue
        parts = (
            block.cut(0, trim.head, trim.head_reason),
            block.cut(trim.head, trim.tail),
            block.cut(trim.tail, len(block.text), trim.tail_reason),
        )
        out.extend(part for part in parts if part is not None)
    return out


def _headings(blocks: Sequence[Block], reasons: Sequence[str | None]) -> list[bool]:
    """Decide which undeclared kept blocks are headings.

    A heading is heading-shaped (short, no terminal punctuation) and is
    followed by a paragraph.  One or two such lines in a row qualify (a
    headline and its subheading); a longer run is a list, not headings.
    """
    kept = [i for i, r in enumerate(reasons) if r is None]
    result = [False] * len(blocks)
    pos = 0
    while pos < len(kept):
        end = pos
        while (
            end < len(kept)
            and blocks[kept[end]].kind is None
            and not blocks[kept[end]].literal
            and boilerplate.heading_shape(blocks[kept[end]].text)
        ):
            end += 1
        if end > pos:
            followed = end < len(kept) and not boilerplate.heading_shape(blocks[kept[end]].text)
            if followed and end - pos <= 2:
                for k in kept[pos:end]:
                    result[k] = True
            pos = end
        else:
            pos += 1
    return result


def segment(doc_id: str, blocks: Sequence[Block], *, keep_boilerplate: bool = False) -> Segmented:
    """Turn blocks into numbered paragraphs and set-aside text.

    Boilerplate blocks are set aside with a reason and the index of the kept
    paragraph they followed; adjacent ones with the same reason are merged.
    With *keep_boilerplate* they stay in the text as body paragraphs.
    """
    pieces = _apply_trims(blocks)
    eligible = [b.reason is None and not b.literal for b in pieces]
    reasons = boilerplate.mark(
        [b.text for b in pieces],
        eligible=eligible,
        structured=[b.kind is not None for b in pieces],
    )
    reasons = [b.reason or r for b, r in zip(pieces, reasons, strict=True)]
    headings = _headings(pieces, reasons)

    outlet: str | None = None
    for block, reason in zip(pieces, reasons, strict=True):
        if reason == boilerplate.MASTHEAD:
            outlet = outlet or boilerplate.masthead_name(block.text)
        elif reason == boilerplate.MASTHEAD_ONLY:
            outlet = outlet or block.text
    if outlet is None:
        for block, reason in zip(pieces, reasons, strict=True):
            if reason == boilerplate.SOURCE:
                outlet = boilerplate.source_name(block.text)
                break
    if outlet is None:
        # A local station's widgets carry its call letters ("WXYZ Radar").
        outlet = boilerplate.station_name(
            line
            for block, reason in zip(pieces, reasons, strict=True)
            if reason is not None
            for line in block.text.split("\n")
        )

    paragraphs: list[Paragraph] = []
    aside: list[SetAside] = []
    for block, reason, heading in zip(pieces, reasons, headings, strict=True):
        if reason is not None and not keep_boilerplate:
            last = aside[-1] if aside else None
            if last is not None and last.reason == reason and last.after == len(paragraphs) - 1:
                aside[-1] = SetAside(
                    f"{last.text}\n{block.text}", reason, last.start, block.end, last.after
                )
            else:
                aside.append(
                    SetAside(block.text, reason, block.start, block.end, len(paragraphs) - 1)
                )
            continue
        kind: ParagraphKind = block.kind or ("heading" if heading else "body")
        index = len(paragraphs)
        paragraphs.append(
            Paragraph(f"{doc_id}.p{index}", doc_id, index, kind, block.text, block.start, block.end)
        )

    title = None
    first = next((i for i, r in enumerate(reasons) if r is None), None)
    if first is not None and headings[first] and pieces[first].kind is None:
        title = pieces[first].text
    return Segmented(tuple(paragraphs), tuple(aside), title, outlet)


def segment_text(doc_id: str, text: str, *, keep_boilerplate: bool = False) -> Segmented:
    """Segment plain *text* (already decoded and newline-normalised)."""
    return segment(doc_id, plain_blocks(text), keep_boilerplate=keep_boilerplate)
