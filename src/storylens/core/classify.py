"""Spans inside aligned paragraphs: shared, altered (with the changed words) or unique.

Each sentence of a paragraph is matched to the sentence of a linked paragraph
that shares most of its content words, then the two are diffed word by word
(rapidfuzz's exact LCS on word ids). A sentence whose words all appear in order
in another outlet is *shared*; one that has a counterpart but differs is
*altered*, and knows which of its words changed and what they replaced; one with
no counterpart is *unique*.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from .features import Features
from .model import ChangeFlag, Span, SpanStatus
from .sentences import sentence_spans
from .tokens import NEGATIONS, WORD, fold, is_number

MAX_COUNTERPARTS = 4
"""Linked paragraphs a paragraph is diffed against (the most similar first)."""

MIN_MATCHED = 0.34
"""Share of a sentence's words a counterpart must have for the sentence to be 'altered'."""


@dataclass(slots=True)
class _Sentence:
    start: int
    end: int
    tokstr: str
    content: frozenset[int]


def _sentences(feat: Features) -> list[_Sentence]:
    """Sentence records of a paragraph, rebuilt from its features."""
    text = feat.paragraph.text
    out: list[_Sentence] = []
    pos = 0
    for (start, end), content in zip(sentence_spans(text), feat.sentences, strict=True):
        n = len(WORD.findall(text, start, end))
        out.append(_Sentence(start, end, feat.tokstr[pos : pos + n], content))
        pos += n
    return out


def _word_ranges(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [m.span() for m in WORD.finditer(text, start, end)]


def _is_negation(word: str) -> bool:
    return word in NEGATIONS or word.endswith("n't")


def _flags(
    mine: Sequence[str], theirs: Sequence[str], names_mine: set[str], names_theirs: set[str]
) -> frozenset[ChangeFlag]:
    """What kind of fact differs between two matched sentences.

    *mine* and *theirs* are the sentences' folded words; the name sets hold the
    folded capitalised words of the changed stretches. A number or a negation
    counts when the sentences as a whole differ in it ("no support" and "did
    not provide any support" agree); a name when a changed capitalised word is
    absent from the other sentence altogether.
    """
    flags: set[ChangeFlag] = set()
    if {w for w in mine if is_number(w)} != {w for w in theirs if is_number(w)}:
        flags.add("number")
    if any(map(_is_negation, mine)) != any(map(_is_negation, theirs)):
        flags.add("negation")
    if names_mine - set(theirs) or names_theirs - set(mine):
        flags.add("name")
    return frozenset(flags)


class Classifier:
    """Computes the spans of every paragraph from the alignment's clusters."""

    def __init__(self, words: Sequence[str]) -> None:
        self.words = words
        """Word id → folded word, to tell numbers and negations apart."""
        self._cache: dict[str, list[_Sentence]] = {}

    def sentences(self, feat: Features) -> list[_Sentence]:
        """The sentence records of *feat* (computed once)."""
        pid = feat.paragraph.id
        got = self._cache.get(pid)
        if got is None:
            got = self._cache[pid] = _sentences(feat)
        return got

    def spans(self, feat: Features, counterparts: Sequence[Features]) -> tuple[Span, ...]:
        """The spans of one paragraph against its linked paragraphs."""
        text = feat.paragraph.text
        if not counterparts:
            return (Span(0, len(text), "unique"),)
        mine = self.sentences(feat)
        # Fast path: a sentence found word for word in any counterpart is shared.
        exact: dict[str, tuple[Features, _Sentence]] = {}
        theirs: list[tuple[Features, _Sentence]] = []
        for other in counterparts:
            for sent in self.sentences(other):
                theirs.append((other, sent))
                exact.setdefault(sent.tokstr, (other, sent))
        out: list[Span] = []
        for sent in mine:
            hit = exact.get(sent.tokstr) if sent.tokstr else None
            if hit is not None:
                other, match = hit
                out.append(
                    Span(sent.start, sent.end, "shared", other.paragraph.id, (match.start, match.end))
                )
                continue
            out.append(self._sentence_span(text, sent, theirs))
        return tuple(_merge(out))

    def _sentence_span(
        self, text: str, sent: _Sentence, theirs: list[tuple[Features, _Sentence]]
    ) -> Span:
        if not sent.tokstr:
            return Span(sent.start, sent.end, "unique")
        best: tuple[int, int, Features, _Sentence] | None = None
        for other, cand in theirs:
            overlap = len(sent.content & cand.content)
            if overlap == 0 and sent.content:
                continue
            key = (overlap, -abs(len(cand.tokstr) - len(sent.tokstr)))
            if best is None or key > (best[0], best[1]):
                best = (key[0], key[1], other, cand)
        if best is None:
            return Span(sent.start, sent.end, "unique")
        _, _, other, cand = best
        ops = Indel.opcodes(sent.tokstr, cand.tokstr)
        matched = sum(op.src_end - op.src_start for op in ops if op.tag == "equal")
        if matched < MIN_MATCHED * len(sent.tokstr) and len(sent.content & cand.content) < 3:
            return Span(sent.start, sent.end, "unique")
        if matched == len(sent.tokstr) == len(cand.tokstr):
            return Span(sent.start, sent.end, "shared", other.paragraph.id, (cand.start, cand.end))
        words = _word_ranges(text, sent.start, sent.end)
        other_text = other.paragraph.text
        their_words = _word_ranges(other_text, cand.start, cand.end)
        changes: list[tuple[int, int]] = []
        names_mine: set[str] = set()
        names_theirs: set[str] = set()
        first = words[0][0] if words else -1
        for op in ops:
            if op.tag == "equal":
                continue
            if op.src_end > op.src_start:
                changes.append((words[op.src_start][0], words[op.src_end - 1][1]))
                # A capital at the start of a sentence does not make a name.
                names_mine.update(
                    fold(text[a:b])
                    for a, b in words[op.src_start : op.src_end]
                    if text[a].isupper() and a != first
                )
            if op.dest_end > op.dest_start:
                names_theirs.update(
                    fold(other_text[a:b])
                    for a, b in their_words[op.dest_start : op.dest_end]
                    if other_text[a].isupper() and a != cand.start
                )
        w = self.words
        flags = _flags(
            [w[ord(c)] for c in sent.tokstr], [w[ord(c)] for c in cand.tokstr], names_mine, names_theirs
        )
        status: SpanStatus = "altered"
        return Span(
            sent.start,
            sent.end,
            status,
            other.paragraph.id,
            (cand.start, cand.end),
            tuple(_join_adjacent(changes, text)),
            flags,
        )


def _join_adjacent(ranges: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Join change ranges separated only by spaces or punctuation."""
    out: list[tuple[int, int]] = []
    for start, end in ranges:
        if out and not any(c.isalnum() for c in text[out[-1][1] : start]):
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _merge(spans: list[Span]) -> list[Span]:
    """Join neighbouring shared or unique spans: they carry nothing per sentence."""
    out: list[Span] = []
    for span in spans:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.status == span.status
            and span.status in ("shared", "unique")
            and prev.counterpart == span.counterpart
        ):
            rng = None
            if prev.counterpart_range and span.counterpart_range:
                rng = (prev.counterpart_range[0], max(prev.counterpart_range[1], span.counterpart_range[1]))
            out[-1] = Span(prev.start, span.end, span.status, span.counterpart, rng)
        else:
            out.append(span)
    return out
