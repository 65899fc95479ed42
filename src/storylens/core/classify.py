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

from rapidfuzz.distance import Indel, Opcodes

from .align import Alignment, Cluster
from .features import Features, Sentence
from .model import ChangeFlag, Span
from .tokens import NEGATIONS, WORD, Vocabulary, fold, is_number

MAX_COUNTERPARTS = 4
"""Linked paragraphs a paragraph is diffed against (the most similar first)."""

MIN_MATCHED = 0.34
"""Share of a sentence's words a counterpart must have for the sentence to be 'altered'."""


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

    def spans(self, feat: Features, counterparts: Sequence[Features]) -> tuple[Span, ...]:
        """The spans of one paragraph against its linked paragraphs.

        Three passes per sentence, cheapest first: found word for word inside a
        counterpart (a substring search on token strings); matched through the
        word diff of the whole paragraph against its closest counterpart; or,
        when the outlets ordered their sentences differently, matched to the
        best sentence of any counterpart.
        """
        text = feat.paragraph.text
        if not counterparts:
            return (Span(0, len(text), "unique"),)
        best = max(counterparts, key=lambda c: Indel.normalized_similarity(feat.tokstr, c.tokstr))
        ops = Indel.opcodes(feat.tokstr, best.tokstr)
        theirs: list[tuple[Features, Sentence]] | None = None
        out: list[Span] = []
        k = 0  # first op that may overlap the current sentence
        for sent in feat.sentences:
            if not sent.tokstr:
                out.append(Span(sent.start, sent.end, "unique"))
                continue
            copy = self._verbatim(sent, counterparts)
            if copy is not None:
                out.append(copy)
                continue
            a, b = sent.first, sent.first + len(sent.tokstr)
            while k < len(ops) and ops[k].src_end < a:
                k += 1
            span = self._through_diff(feat, sent, best, ops, k, a, b)
            if span is None:
                if theirs is None:
                    theirs = [(o, t) for o in counterparts for t in o.sentences]
                span = self._sentence_span(text, sent, theirs)
            out.append(span)
        return tuple(_merge(out))

    @staticmethod
    def _verbatim(sent: Sentence, counterparts: Sequence[Features]) -> Span | None:
        """A shared span if some counterpart has the sentence's words in a row."""
        for other in counterparts:
            at = other.tokstr.find(sent.tokstr)
            if at >= 0:
                bounds = other.bounds
                return Span(
                    sent.start,
                    sent.end,
                    "shared",
                    other.paragraph.id,
                    (bounds[2 * at], bounds[2 * (at + len(sent.tokstr)) - 1]),
                )
        return None

    def _through_diff(
        self,
        feat: Features,
        sent: Sentence,
        other: Features,
        ops: Opcodes,
        k: int,
        a: int,
        b: int,
    ) -> Span | None:
        """The sentence's span as the paragraph-level diff sees it, or None if too unlike."""
        equal = 0
        changes: list[tuple[int, int]] = []
        lo_dest: int | None = None
        hi_dest = 0
        inserted = False
        while k < len(ops) and ops[k].src_start <= b:
            op = ops[k]
            k += 1
            lo, hi = max(op.src_start, a), min(op.src_end, b)
            if op.tag == "equal":
                if hi <= lo:
                    continue
                equal += hi - lo
                d0 = op.dest_start + (lo - op.src_start)
                d1 = d0 + (hi - lo)
            elif hi > lo:
                changes.append((lo, hi))
                d0, d1 = op.dest_start, op.dest_end
            elif op.src_start == op.src_end and a < op.src_start < b:
                inserted = True  # the counterpart has words this sentence lacks
                d0, d1 = op.dest_start, op.dest_end
            else:
                continue
            lo_dest = d0 if lo_dest is None else min(lo_dest, d0)
            hi_dest = max(hi_dest, d1)
        n = b - a
        if equal < max(1, MIN_MATCHED * n) or lo_dest is None or hi_dest <= lo_dest:
            return None
        if equal < 0.5 * n:
            return None  # weakly matched here: let the sentence search decide
        bounds = feat.bounds
        their_bounds = other.bounds
        rng = (their_bounds[2 * lo_dest], their_bounds[2 * hi_dest - 1])
        if not changes and not inserted:
            return Span(sent.start, sent.end, "shared", other.paragraph.id, rng)
        text = feat.paragraph.text
        other_text = other.paragraph.text
        mine = sent.tokstr
        theirs = other.tokstr[lo_dest:hi_dest]
        # A capital at the start of the sentence does not make a name.
        names = {
            fold(text[bounds[2 * i] : bounds[2 * i + 1]])
            for lo, hi in changes
            for i in range(lo, hi)
            if i != a and text[bounds[2 * i]].isupper()
        }
        named = _name_flag(names, set(), "", other_text[rng[0] : rng[1]])
        flags = self._flags(mine, theirs, named)
        char_changes = [(bounds[2 * lo], bounds[2 * hi - 1]) for lo, hi in changes]
        return Span(
            sent.start,
            sent.end,
            "altered",
            other.paragraph.id,
            rng,
            tuple(_join_adjacent(char_changes, text)),
            flags,
        )

    def _flags(self, mine: str, theirs: str, named: bool) -> frozenset[ChangeFlag]:
        """Fact flags of a sentence against its counterpart (token strings).

        A number or a negation counts when the two differ in it as a whole ("no
        support" and "did not provide any support" agree); *named* says whether a
        changed capitalised word is missing from the other side.
        """
        flags: set[ChangeFlag] = set()
        mine_chars, their_chars = set(mine), set(theirs)
        if mine_chars & self._numbers != their_chars & self._numbers:
            flags.add("number")
        if mine_chars.isdisjoint(self._negations) != their_chars.isdisjoint(self._negations):
            flags.add("negation")
        if named:
            flags.add("name")
        return frozenset(flags)

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
        named = _name_flag(
            names_mine, names_theirs, text[sent.start : sent.end], other_text[cand.start : cand.end]
        )
        return Span(
            sent.start,
            sent.end,
            "altered",
            other.paragraph.id,
            (cand.start, cand.end),
            tuple(_join_adjacent(changes, text)),
            self._flags(sent.tokstr, cand.tokstr, named),
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


def classify_clusters(
    clusters: Sequence[Cluster], alignment: Alignment, classifier: Classifier
) -> dict[str, tuple[Span, ...]]:
    """The spans of every paragraph of *clusters*, by paragraph id.

    A paragraph copied word for word from another outlet is one shared span;
    the others are diffed against up to :data:`MAX_COUNTERPARTS` linked
    paragraphs, those aligned in the same row first.
    """
    spans: dict[str, tuple[Span, ...]] = {}
    for cluster in clusters:
        members = cluster.members
        if len(members) == 1:
            feat = members[0]
            spans[feat.paragraph.id] = classifier.spans(feat, ())
            continue
        whole: dict[str, Features] = {}
        for m in members:
            whole.setdefault(m.tokstr, m)
        for feat in members:
            twin = whole.get(feat.tokstr)
            if twin is not None and twin.doc_index == feat.doc_index:
                twin = next(
                    (
                        m
                        for m in members
                        if m.tokstr == feat.tokstr and m.doc_index != feat.doc_index
                    ),
                    None,
                )
            if twin is not None and feat.tokstr:
                # Copied word for word: one shared span, no sentence work.
                text = feat.paragraph.text
                spans[feat.paragraph.id] = (
                    Span(0, len(text), "shared", twin.paragraph.id, (0, len(twin.paragraph.text))),
                )
                continue
            # Those in the same row first (aligned, not moved), then the rest.
            row = alignment.row_of[feat.paragraph.id]
            others = [
                m
                for m in members
                if m.doc_index != feat.doc_index and alignment.row_of[m.paragraph.id] is row
            ][:MAX_COUNTERPARTS]
            if len(others) < MAX_COUNTERPARTS:
                others += [
                    m
                    for m in members
                    if m.doc_index != feat.doc_index and alignment.row_of[m.paragraph.id] is not row
                ][: MAX_COUNTERPARTS - len(others)]
            spans[feat.paragraph.id] = classifier.spans(feat, others)
    return spans
