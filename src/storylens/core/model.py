"""The frozen data model shared by the engine, the reader and the exporters.

Everything here is plain data. The engine builds it once; the UI and the
exporters only read it and never recompute analysis.

Identifiers are stable strings: documents are ``d0``, ``d1``…; paragraphs are
``d0.p0``…; rows are ``r0``…. Offsets are Python string indices
(code points), ``start`` inclusive and ``end`` exclusive.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

ParagraphKind = Literal["body", "heading"]
"""A body paragraph (including block quotes and list items) or a heading."""

SpanStatus = Literal["shared", "altered", "unique"]
"""How a stretch of a paragraph relates to the other outlets."""

LinkStatus = Literal["shared", "altered"]
"""Whether two linked paragraphs say the same words or a rewording."""

DivergenceType = Literal["unique", "altered", "omitted", "moved", "quote"]
"""The kinds of place where the outlets differ (``quote``: a quotation reworded
between outlets or credited to different speakers)."""

ChangeFlag = Literal["number", "name", "negation"]
"""What kind of fact an altered span changed: what a fact-checker looks at first."""


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One block of an outlet's text, in that outlet's own order."""

    id: str
    """``d<doc>.p<index>``."""
    doc: str
    """The id of the document it belongs to."""
    index: int
    """Its position among the document's paragraphs."""
    kind: ParagraphKind
    text: str
    """The paragraph's text; hard-wrapped lines are joined with single spaces."""
    start: int = 0
    """Offset of the paragraph's first character in :attr:`Document.text`."""
    end: int = 0
    """Offset just past the paragraph's last character in :attr:`Document.text`."""


@dataclass(frozen=True, slots=True)
class SetAside:
    """A stretch of a source recognised as boilerplate: kept, never deleted."""

    text: str
    reason: str
    """Why it was set aside, in words a reader understands (e.g. ``"ad marker"``)."""
    start: int = 0
    """Offset in :attr:`Document.text`."""
    end: int = 0
    after: int = -1
    """Index of the body paragraph it followed in the source (-1: before the first)."""


@dataclass(frozen=True, slots=True)
class Document:
    """One outlet's version of the story, decoded, cleaned and segmented."""

    id: str
    label: str
    """Short name shown on the pane and in exports (outlet or file stem)."""
    source: str
    """The path or URL exactly as given (``-`` for standard input)."""
    title: str | None
    text: str
    """The decoded source text (newlines normalised) that offsets point into."""
    paragraphs: tuple[Paragraph, ...]
    set_aside: tuple[SetAside, ...] = ()
    format: Literal["text", "markdown", "html"] = "text"
    encoding: str = "utf-8"
    """The encoding the source was decoded from."""
    author: str | None = None
    """The author(s) the page names (HTML metadata), if any."""
    published: str | None = None
    """The publication date the page gives, ISO 8601 (``2024-03-14``), if any."""
    url: str | None = None
    """For a web page: the address the text came from, after redirects."""


@dataclass(frozen=True, slots=True)
class Row:
    """One step of the merged reading order: per document, zero or more paragraphs.

    Every document's paragraphs appear across rows in their own order, each in
    exactly one row. A document with nothing in this row has an empty tuple.
    """

    id: str
    cells: Mapping[str, tuple[str, ...]]
    """Document id → the ids of its paragraphs in this row (read-only)."""


@dataclass(frozen=True, slots=True)
class Link:
    """Two paragraphs in different documents that report the same content."""

    a: str
    b: str
    status: LinkStatus
    similarity: float
    """0..1: how much of the content the two share."""
    moved: bool = False
    """True when the two could not sit in one row without breaking an order."""


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of one paragraph with one status.

    The spans of a paragraph cover every character exactly once, in order.
    """

    start: int
    end: int
    status: SpanStatus
    counterpart: str | None = None
    """For shared/altered spans: the paragraph id of the best counterpart."""
    counterpart_range: tuple[int, int] | None = None
    """The matching stretch inside the counterpart paragraph."""
    changes: tuple[tuple[int, int], ...] = ()
    """For altered spans: the changed words, as ranges inside this paragraph."""
    flags: frozenset[ChangeFlag] = frozenset()
    """For altered spans: a number, a name or a negation changed."""


@dataclass(frozen=True, slots=True)
class Divergence:
    """One place where the outlets differ, in reading order."""

    type: DivergenceType
    row: str
    paragraphs: tuple[str, ...]
    """The paragraphs concerned (for ``omitted``: those the others carry)."""
    spans: tuple[tuple[str, int, int], ...] = ()
    """``(paragraph id, start, end)`` of the text concerned, for highlighting."""
    flags: frozenset[ChangeFlag] = frozenset()
    missing: tuple[str, ...] = ()
    """For ``omitted``: the documents that leave this content out."""
    counterparts: tuple[str, ...] = ()
    """For ``moved``: where the same content sits in the other outlets."""
    quote: str | None = None
    """For ``quote``: the id of the quote in :attr:`Comparison.quotes`."""


@dataclass(frozen=True, slots=True)
class Entity:
    """A named person, organisation or place, clustered across outlets."""

    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    mentions: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class QuoteVariant:
    """One outlet's wording of a quote."""

    doc: str
    paragraph: str
    text: str
    """Exactly what sits inside the quotation marks (trailing punctuation included)."""
    start: int = 0
    """Offset of the quoted text's first character in the paragraph's text."""
    end: int = 0
    speaker: str | None = None
    """Who this outlet says spoke the words (a name, or a description such as
    ``"a senior official"``); None when the outlet does not say."""
    continued: bool = False
    """The quotation began in an earlier paragraph (news style: each paragraph of a
    long quotation reopens the quote mark)."""
    runs_on: bool = False
    """The quotation goes on in the next paragraph (no closing mark here)."""


@dataclass(frozen=True, slots=True)
class Quote:
    """The same quotation as carried by one or more outlets."""

    id: str
    speaker: str | None
    status: Literal["shared", "altered", "unique"]
    variants: tuple[QuoteVariant, ...] = ()
    speakers_differ: bool = False
    """The outlets attribute these words to different speakers."""
    partial: bool = False
    """Altered only by length: some outlets quote a stretch of the others' words."""
    continued: bool = False
    """In some outlet this passage continues a quotation from the previous paragraph."""


@dataclass(frozen=True)
class Comparison:
    """The whole analysis of several versions of one story."""

    documents: tuple[Document, ...]
    rows: tuple[Row, ...]
    links: tuple[Link, ...]
    spans: Mapping[str, tuple[Span, ...]]
    """Paragraph id → its spans, covering the paragraph exactly."""
    divergences: tuple[Divergence, ...]
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()

    @cached_property
    def row_of_paragraph(self) -> Mapping[str, int]:
        """Paragraph id → the index of the row it sits in (worked out once)."""
        return {
            pid: k for k, row in enumerate(self.rows) for pids in row.cells.values() for pid in pids
        }

    @cached_property
    def moves(self) -> Mapping[str, list[str]]:
        """Paragraph id → the paragraphs linked to it that sit in other rows (worked out once)."""
        out: dict[str, list[str]] = {}
        for link in self.links:
            if link.moved:
                out.setdefault(link.a, []).append(link.b)
                out.setdefault(link.b, []).append(link.a)
        return out

    def paragraph(self, pid: str) -> Paragraph:
        """Return the paragraph with id *pid*."""
        doc, _, index = pid.partition(".p")
        return self.document(doc).paragraphs[int(index)]

    def document(self, did: str) -> Document:
        """Return the document with id *did*."""
        return self.documents[int(did[1:])]
