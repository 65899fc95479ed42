"""A Markdown report of a comparison (``storylens export --format markdown``).

Meant for pasting into notes and tickets, so it is short: a summary, where each
version came from (when :mod:`storylens.core.derivation` is there), then one
small block per divergence in reading order (its type and row, the outlets'
text of that place as ``>`` quotes, the changed words in **bold**, where moved
text went) and the entity, quote and set-aside tables. Text every outlet shares
is not repeated.

Article text is untrusted: control and bidirectional-override characters become
visible stand-ins (as in the HTML report), line breaks become spaces, and every
character Markdown (or GitHub's flavour: ``$`` math, ``@`` mentions, ``#``
references) could act on is backslash-escaped, so a source cannot add links,
HTML, emphasis or table cells.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import BinaryIO

from .. import __version__
from ..core.model import Comparison, Divergence, Quote, Span
from ..core.quotes import quote_word_diff
from ..core.summary import document_shares
from .html_export import (
    DIVERGENCE_GLYPHS,
    counted,
    load_derivation,
    safe_text,
)

__all__ = ["markdown_report", "md_escape", "write_markdown"]

DIVERGENCE_TITLES = {
    "unique": "Unique text",
    "altered": "Altered text",
    "omitted": "Omitted content",
    "moved": "Moved paragraph",
    "quote": "Changed quote",
}
"""The heading word of each divergence type."""

EXCERPT = 220
"""Characters of context shown for an omitted or moved paragraph (the text itself is
shared, so a reminder of it is enough)."""

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&$@])")
_LEADING = re.compile(r"^(\d+)([.)])|^([-+=])")
_SPACES = re.compile(r"[ \t\n\r\f\v\u2028\u2029]+")
_EDGE = re.compile(r"^\W+|\W+$")


def md_escape(text: str) -> str:
    r"""Untrusted text as literal Markdown on one line.

    Controls become visible, runs of white space (line breaks included) one
    space, and every character Markdown or GitHub might act on (emphasis, links,
    HTML, code, tables, strike-through, ``$`` math, ``@`` mentions, ``#``
    references, entities, a leading list marker) is backslash-escaped.

    >>> print(md_escape("*not* [a](link) <b>"))
    \*not\* \[a\](link) \<b\>
    """
    escaped = _SPECIAL.sub(r"\\\1", safe_text(_SPACES.sub(" ", text)))
    return _LEADING.sub(_escape_leading, escaped)


def _escape_leading(m: re.Match[str]) -> str:
    """A list marker at the start of a line is text: escape it."""
    if m.group(3):
        return "\\" + m.group(3)
    return m.group(1) + "\\" + m.group(2)


def _strong(text: str, marker: str = "**") -> str:
    """*text* escaped and wrapped in *marker*, leaving edge punctuation outside.

    Emphasis only opens before and closes after a letter or digit whatever the
    neighbours are, so the marker goes around the word characters alone.
    """
    m = _EDGE.search(text)
    lead = m.group() if m and m.start() == 0 else ""
    core = text[len(lead) :]
    t = _EDGE.search(core[::-1])
    trail = t.group()[::-1] if t and t.start() == 0 else ""
    core = core[: len(core) - len(trail)] if trail else core
    if not core.strip():
        return md_escape(text)
    return md_escape(lead) + marker + md_escape(core) + marker + md_escape(trail)


def _excerpt(text: str, limit: int = EXCERPT) -> str:
    """The start of *text*, cut at a word, with an ellipsis when cut."""
    text = _SPACES.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit] + " …"


def _marked(text: str, span: Span | None, start: int, end: int) -> str:
    """``text[start:end]`` escaped, with the span's changed words in bold."""
    if span is None or not span.changes:
        return md_escape(text[start:end])
    parts: list[str] = []
    pos = start
    for a, b in sorted(span.changes):
        a, b = max(a, pos), min(b, end)
        if b <= a:
            continue
        parts.append(md_escape(text[pos:a]))
        parts.append(_strong(text[a:b]))
        pos = b
    parts.append(md_escape(text[pos:end]))
    return "".join(parts)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """*start*, *end* moved inwards past white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _pct(share: float) -> str:
    return f"{share:.0%}"


def _cell(text: str) -> str:
    """Text for a table cell (escaped; ``|`` cannot end the cell)."""
    return md_escape(text) or " "


class _Report:
    """Builds the Markdown as a list of strings (one join at the end)."""

    def __init__(self, comparison: Comparison) -> None:
        self.c = comparison
        self.docs = comparison.documents
        self.labels = {d.id: md_escape(d.label) for d in self.docs}
        self.numbers = {d.id: n + 1 for n, d in enumerate(self.docs)}
        self.row_of = comparison.row_of_paragraph
        self.moves = comparison.moves
        self.out: list[str] = []

    def build(self) -> str:
        """Return the report."""
        w = self.out.append
        c = self.c
        title = next((d.title for d in self.docs if d.title), None) or "one story"
        w(f"# {md_escape(title)}\n\n")
        w(
            f"{len(self.docs)} versions of one story compared by storylens {__version__}: "
            f"{len(c.rows)} aligned rows, {len(c.divergences)} divergences.\n\n"
        )
        self.summary()
        derive = load_derivation()
        if derive is not None:
            findings = list(derive(c).findings)
            if findings:
                w("## Where each version came from\n\n")
                w("".join(f"- {md_escape(f)}\n" for f in findings))
                w("\n")
        self.divergences()
        self.entities()
        self.quotes()
        self.set_aside()
        return "".join(self.out).rstrip("\n") + "\n"

    # -- pieces --------------------------------------------------------------------

    def _where(self, pid: str) -> str:
        """'Label ¶3' for a paragraph."""
        doc, _, index = pid.partition(".p")
        number = int(index) + 1 if index.isdigit() else index
        return f"{self.labels.get(doc, md_escape(doc))} ¶{number}"

    def _joined(self, doc_ids: Iterable[str]) -> str:
        return ", ".join(self.labels[d] for d in doc_ids)

    def summary(self) -> None:
        """Outlets and their shares; divergences by type; set-aside count."""
        w = self.out.append
        shares = document_shares(self.c)
        w("## Summary\n\n")
        w("| # | outlet | headline | shared │ | altered ≈ | unique + | set aside |\n")
        w("| ---: | --- | --- | ---: | ---: | ---: | ---: |\n")
        for d in self.docs:
            s = shares.get(d.id, {"shared": 0.0, "altered": 0.0, "unique": 0.0})
            w(
                f"| {self.numbers[d.id]} | {_cell(d.label)} | {_cell(d.title or '')} | "
                f"{_pct(s['shared'])} | {_pct(s['altered'])} | {_pct(s['unique'])} | "
                f"{len(d.set_aside)} |\n"
            )
        counts: Counter[str] = Counter(d.type for d in self.c.divergences)
        listed = ", ".join(
            f"{DIVERGENCE_GLYPHS[k]} {counted(k, counts[k])}" for k in DIVERGENCE_TITLES
        )
        aside = sum(len(d.set_aside) for d in self.docs)
        by = ", ".join(f"{self.labels[d.id]}: {len(d.set_aside)}" for d in self.docs if d.set_aside)
        w(f"\n**Divergences:** {listed}.  \n")
        stretches = f"{aside} stretch{'es' if aside != 1 else ''}"
        w(f"**Boilerplate set aside:** {stretches}" + (f" ({by})" if by else "") + ".\n\n")

    def divergences(self) -> None:
        """One block per divergence, in reading order."""
        w = self.out.append
        w("## Divergences\n\n")
        if not self.c.divergences:
            w("The outlets do not differ.\n\n")
            return
        w(
            "In reading order; **bold** marks the words an outlet changed. Row numbers are "
            "those of the reader and the HTML report; ¶ numbers count each outlet's "
            "paragraphs.\n\n"
        )
        quotes = {q.id: q for q in self.c.quotes}
        order = {row.id: k for k, row in enumerate(self.c.rows)}
        for n, d in enumerate(self.c.divergences, 1):
            row = order.get(d.row, -1) + 1
            head = f"### {n}. {DIVERGENCE_GLYPHS[d.type]} {DIVERGENCE_TITLES[d.type]}, row {row}"
            if d.flags:
                head += f" ({', '.join(sorted(d.flags))} changed)"
            w(head + "\n\n")
            if d.type in ("unique", "altered"):
                self._spans_block(d)
            elif d.type == "omitted":
                self._omitted_block(d)
            elif d.type == "moved":
                self._moved_block(d)
            elif d.type == "quote" and d.quote in quotes:
                self._quote_block(quotes[d.quote])
            w("\n")

    def _span_of(self, pid: str, start: int, end: int) -> Span | None:
        for span in self.c.spans.get(pid, ()):
            if span.start <= start and end <= span.end:
                return span
        return None

    def _quoted(self, entries: Sequence[tuple[str, str]]) -> None:
        """``> **who:** text`` lines, outlets with the very same text grouped."""
        groups: dict[str, list[str]] = {}
        for who, text in entries:
            groups.setdefault(text, []).append(who)
        lines = [f"> **{', '.join(dict.fromkeys(who))}:** {text}" for text, who in groups.items()]
        self.out.append("\n>\n".join(lines) + "\n")

    def _spans_block(self, d: Divergence) -> None:
        """Unique or altered text: each outlet's stretch, changed words in bold.

        For altered text, the stretch it was matched with in an outlet not listed
        (the unchanged wording) follows, so the bold words can be read against it.
        """
        entries: list[tuple[str, str]] = []
        by_pid: dict[str, list[tuple[int, int]]] = {}
        for pid, start, end in d.spans:
            by_pid.setdefault(pid, []).append((start, end))
        listed = {p.partition(".")[0] for p in by_pid}
        others: dict[str, tuple[int, int]] = {}
        for pid, ranges in by_pid.items():
            text = self.c.paragraph(pid).text
            pieces = []
            for start, end in ranges:
                span = self._span_of(pid, start, end)
                start, end = _trimmed(text, start, end)
                if end > start:
                    pieces.append(_marked(text, span, start, end))
                if span is None or not span.counterpart or not span.counterpart_range:
                    continue
                if span.counterpart.partition(".")[0] in listed:
                    continue
                a, b = span.counterpart_range
                got = others.get(span.counterpart)
                others[span.counterpart] = (min(a, got[0]), max(b, got[1])) if got else (a, b)
            entries.append((self._where(pid), " … ".join(pieces)))
        self._quoted(entries)
        if d.type == "altered" and others:
            pid, (start, end) = next(iter(others.items()))
            text = self.c.paragraph(pid).text
            start, end = _trimmed(text, start, end)
            self.out.append(
                f"\nFor comparison:\n\n> **{self._where(pid)}:** {md_escape(text[start:end])}\n"
            )

    def _omitted_block(self, d: Divergence) -> None:
        """Who leaves it out, who carries it, and a reminder of what it says."""
        carriers = dict.fromkeys(p.partition(".")[0] for p in d.paragraphs)
        self.out.append(
            f"Left out by {self._joined(d.missing)}; carried by {self._joined(carriers)}:\n\n"
        )
        if d.paragraphs:
            pid = d.paragraphs[0]
            self.out.append(
                f"> **{self._where(pid)}:** {md_escape(_excerpt(self.c.paragraph(pid).text))}\n"
            )

    def _moved_block(self, d: Divergence) -> None:
        """The paragraph and every other place the same content sits."""
        here = ", ".join(self._where(p) for p in d.paragraphs)
        by_row: dict[int, list[str]] = {}
        for other in d.counterparts:
            by_row.setdefault(self.row_of.get(other, -1), []).append(self._where(other))
        places = "; ".join(f"row {r + 1}: {', '.join(w)}" for r, w in sorted(by_row.items()))
        verb = "is" if len(d.paragraphs) == 1 else "are"
        self.out.append(f"↔ {here} {verb} also at {places}.\n\n")
        if d.paragraphs:
            pid = d.paragraphs[0]
            self.out.append(
                f"> **{self._where(pid)}:** {md_escape(_excerpt(self.c.paragraph(pid).text))}\n"
            )

    def _quote_block(self, q: Quote) -> None:
        """The speaker, why it is a divergence, and each wording against the first."""
        w = self.out.append
        why = []
        if q.status == "altered":
            why.append("partly quoted" if q.partial else "reworded")
        if q.speakers_differ:
            why.append("credited to different speakers")
        w(f"Quote by {md_escape(q.speaker or 'an unnamed speaker')}: {', '.join(why)}.\n\n")
        entries: list[tuple[str, str]] = []
        base: str | None = None
        for v in q.variants:
            who = self._where(v.paragraph)
            if q.speakers_differ:
                who += f" ({md_escape(v.speaker or 'unattributed')})"
            if base is None:
                base = v.text
            # Rendered through the diff, wordings differing only where words are
            # not (case, punctuation, apostrophe style) come out the same: grouped.
            entries.append((who, f"“{_diff(base, v.text)}”"))
        self._quoted(entries)
        if len(q.variants) > 1:
            w("\n~~Struck~~ words are the first wording's; **bold** ones replace them.\n")

    # -- tables ----------------------------------------------------------------------

    def _outlet_key(self) -> str:
        return " · ".join(f"{self.numbers[d.id]} {self.labels[d.id]}" for d in self.docs)

    def entities(self) -> None:
        """Entities with mentions per outlet (· where an outlet has none)."""
        w = self.out.append
        w("## Named entities\n\n")
        if not self.c.entities:
            w("No named entities found.\n\n")
            return
        w(f"Mentions per outlet: {self._outlet_key()}.\n\n")
        nums = " | ".join(str(self.numbers[d.id]) for d in self.docs)
        w(f"| name | kind | also called | {nums} | all |\n")
        w("| --- | --- | --- |" + " ---: |" * len(self.docs) + " ---: |\n")
        for e in sorted(self.c.entities, key=lambda e: -sum(e.mentions.values())):
            counts = " | ".join(str(e.mentions.get(d.id, 0) or "·") for d in self.docs)
            w(
                f"| {_cell(e.name)} | {_cell(e.kind)} | {_cell(', '.join(e.aliases))} | "
                f"{counts} | {sum(e.mentions.values())} |\n"
            )
        w("\n")

    def quotes(self) -> None:
        """Quotes: speaker, status, which outlets carry them, the first wording."""
        w = self.out.append
        w("## Quotes\n\n")
        if not self.c.quotes:
            w("No quotations found.\n\n")
            return
        w(f"Outlets: {self._outlet_key()}.\n\n")
        w("| speaker | status | outlets | words |\n| --- | --- | --- | --- |\n")
        for q in self.c.quotes:
            status = {"altered": "≈ reworded", "unique": "+ one outlet", "shared": "│ same"}.get(
                q.status, q.status
            )
            if q.speakers_differ:
                status += ", ≠ speakers"
            carried = {v.doc for v in q.variants}
            presence = " ".join(
                str(self.numbers[d.id]) if d.id in carried else "·" for d in self.docs
            )
            words = _excerpt(q.variants[0].text, 140) if q.variants else ""
            w(
                f"| {_cell(q.speaker or 'unattributed')} | {status} | {presence} | "
                f"“{md_escape(words)}” |\n"
            )
        w("\n")

    def set_aside(self) -> None:
        """Boilerplate set aside, per outlet, with the reason and a reminder of the text."""
        w = self.out.append
        items = [(d.id, e) for d in self.docs for e in d.set_aside]
        if not items:
            return
        w("## Set-aside text\n\n| outlet | why | text |\n| --- | --- | --- |\n")
        for doc, entry in items:
            text = _cell(_excerpt(entry.text, 80))
            w(f"| {self.labels[doc]} | {_cell(entry.reason)} | {text} |\n")
        w("\n")


def _diff(base: str, text: str) -> str:
    """*text* against *base*: ~~words only in base~~ and **words only here**."""
    parts: list[str] = []
    for tag, piece in quote_word_diff(base, text):
        if tag == "insert":
            parts.append(_strong(piece))
        elif tag == "delete":
            parts.append(_strong(piece, "~~"))
        else:
            parts.append(md_escape(piece))
    return " ".join(parts)


def markdown_report(comparison: Comparison) -> str:
    """Return the comparison as a short Markdown report."""
    return _Report(comparison).build()


def write_markdown(comparison: Comparison, out: BinaryIO) -> None:
    """Write the comparison to the binary stream *out* as a Markdown report (UTF-8)."""
    out.write(markdown_report(comparison).encode("utf-8", "replace"))
