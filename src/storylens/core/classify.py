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

from rapidfuzz.distance import Indel

from .features import Features, Sentence
from .model import ChangeFlag, Span, SpanStatus
from .tokens import NEGATIONS, WORD, Vocabulary, fold, is_number

ExactIndex = dict[str, list[tuple[Features, Sentence]]]
"""Sentence token string → where it occurs (see :func:`exact_index`)."""

MAX_COUNTERPARTS = 4
"""Linked paragraphs a paragraph is diffed against (the most similar first)."""

MIN_MATCHED = 0.34
"""Share of a sentence's words a counterpart must have for the sentence to be 'altered'."""


def _exact_index(paragraphs: Sequence[Features]) -> ExactIndex:
    """Sentence token string → up to two places carrying it, from different outlets.

    Two, so that a paragraph looking itself up still finds another outlet's copy.
    """
    index: ExactIndex = {}
    for para in paragraphs:
        for sent in para.sentences:
            got = index.get(sent.tokstr)
            if got is None:
                index[sent.tokstr] = [(para, sent)]
            elif len(got) == 1 and got[0][0].doc_index != para.doc_index:
                got.append((para, sent))
    return index


def _word_ranges(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [m.span() for m in WORD.finditer(text, start, end)]


def _is_negation(word: str) -> bool:
    return word in NEGATIONS or word.endswith("n't")


def _name_flag(names_mine: set[str], names_theirs: set[str], mine: str, theirs: str) -> bool:
    """True when a changed capitalised word is absent from the other sentence altogether."""
    if names_mine and names_mine - {fold(w) for w in WORD.findall(theirs)}:
        return True
    return bool(names_theirs and names_theirs - {fold(w) for w in WORD.findall(mine)})


class Classifier:
    """Computes the spans of every paragraph from the alignment's clusters."""

    def __init__(self, vocab: Vocabulary) -> None:
        self._numbers = {chr(i) for i, w in enumerate(vocab.words) if w and is_number(w)}
        self._negations = {chr(i) for i, w in enumerate(vocab.words) if w and _is_negation(w)}

    def spans(
        self,
        feat: Features,
        counterparts: Sequence[Features],
    ) -> tuple[Span, ...]:
        """The spans of one paragraph against its linked paragraphs."""
        text = feat.paragraph.text
        if not counterparts:
            return (Span(0, len(text), "unique"),)
        theirs = [(other, sent) for other in counterparts for sent in other.sentences]
        exact = _exact_index(counterparts)
        out: list[Span] = []
        for sent in feat.sentences:
            places = exact.get(sent.tokstr) if sent.tokstr else None
            hit = None
            for place in places or ():
                if place[0].doc_index != feat.doc_index:
                    hit = place
                    break
            if hit is not None:
                other, match = hit
                out.append(
                    Span(
                        sent.start, sent.end, "shared", other.paragraph.id, (match.start, match.end)
                    )
                )
                continue
            out.append(self._sentence_span(text, sent, theirs))
        return tuple(_merge(out))

    def _sentence_span(
        self, text: str, sent: Sentence, theirs: list[tuple[Features, Sentence]]
    ) -> Span:
        if not sent.tokstr:
            return Span(sent.start, sent.end, "unique")
        best: tuple[int, int, Features, Sentence] | None = None
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
        flags: set[ChangeFlag] = set()
        mine_chars, their_chars = set(sent.tokstr), set(cand.tokstr)
        if mine_chars & self._numbers != their_chars & self._numbers:
            flags.add("number")
        if mine_chars.isdisjoint(self._negations) != their_chars.isdisjoint(self._negations):
            flags.add("negation")
        if _name_flag(
            names_mine, names_theirs, text[sent.start : sent.end], other_text[cand.start : cand.end]
        ):
            flags.add("name")
        status: SpanStatus = "altered"
        return Span(
            sent.start,
            sent.end,
            status,
            other.paragraph.id,
            (cand.start, cand.end),
            tuple(_join_adjacent(changes, text)),
            frozenset(flags),
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
                rng = (
                    prev.counterpart_range[0],
                    max(prev.counterpart_range[1], span.counterpart_range[1]),
                )
            out[-1] = Span(prev.start, span.end, span.status, span.counterpart, rng)
        else:
            out.append(span)
    return out
