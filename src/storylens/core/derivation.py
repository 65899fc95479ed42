"""Where each version came from: how much of each outlet's text another carries.

For every ordered pair of documents ``(a, b)`` the engine's paragraph links say
which of *a*'s paragraphs report the same content as which of *b*'s. Each of
*a*'s linked paragraphs is then compared word by word against *b*'s linked
paragraphs alone, by the rules of :class:`~storylens.core.classify.Classifier`
(the ones that made the comparison's spans): a sentence whose words appear in
a row in *b* is *shared* with *b*, one that *b* carries reworded is *altered*
against *b*, anything else is not in *b*. A span of the comparison names only
its one best counterpart, so the status against every other outlet is worked
out again; with a single other outlet the shares are exactly those of
:func:`storylens.core.summary.document_shares`. The shares are of *a*'s body
characters: headings included, set-aside boilerplate excluded.

From that asymmetric matrix :func:`derivation` draws a judgement, in words and
as :class:`Relation` records (at most one per version):

* **near-copy** / **rewrite**: at least :data:`COPY` of a version's text is in
  one other version, mostly word for word or mostly reworded. The direction is
  a judgement: of two versions, the one whose text is more fully contained in
  the other is taken to derive from it (about equally: the later-listed one);
  when each contains most of the other the finding says so, and that either
  could be the copy. Of several possible sources, the one carrying most of the
  version's very words is preferred, and on a tie one that is not itself a copy.
* **subset**: as above, but the version carries less than :data:`SUBSET` of its
  source's text: an excerpt or a cut-down.
* **splice**: the version is covered much better by the union of two or more
  others than by any single one (greedy cover, each source adding at least
  :data:`SPLICE_PART` of its text).
* **independent**: less than :data:`INDEPENDENT` of its text is in any other
  version. Splices that borrow from it do not count against it; a version
  others copy whole is reported as their *source* instead.

The work is linear in the links: each linked paragraph is diffed once per
outlet it is linked to, and once only for outlets carrying the same copy of
its counterparts (a wire republished by many outlets).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz.distance import Indel

from .classify import MIN_MATCHED
from .features import Features, Sentence, featurise
from .model import Comparison, Document
from .tokens import Vocabulary

RelationKind = Literal["near-copy", "rewrite", "independent", "splice", "subset"]
"""The kinds of :class:`Relation`."""

COPY = 0.8
"""Share of a version's text found in one other version that makes it a copy of it."""
SUBSET = 0.5
"""A copy carrying less than this share of its source's text is a *subset* of it."""
INDEPENDENT = 0.25
"""A version with less than this share of its text in every other one is independent."""
SPLICE_GAIN = 0.2
"""How much more of a version the union of its sources must cover than the best one."""
SPLICE_PART = 0.1
"""Share of a version's text each source of a splice must add to the others'."""
SPLICE_MIN = 0.5
"""Share of a version's text the sources of a splice must cover together."""
SAME_TEXT = 0.95
"""Two versions each at least this much inside the other carry the same text."""
SAME = 0.03
"""Shares closer than this tell nothing about which of two versions is derived."""
TIE = 0.01
"""Shares closer than this are a tie when choosing between possible sources."""
ALTERED_WEIGHT = 0.5
"""What a reworded character counts for, against a word-for-word one, when choosing
between possible sources: the outlet carrying the very words is the likelier source."""

Carried = Literal["shared", "altered"]
"""How another outlet carries a stretch of text: word for word or reworded."""

Interval = tuple[int, int]
"""A stretch ``(start, end)`` of a document's body characters (see :func:`_body_offsets`)."""


@dataclass(frozen=True)
class Relation:
    """Where one version's text came from (or that it came from nowhere else)."""

    kind: RelationKind
    doc: str
    """The derived version (for ``independent``: the independent one)."""
    sources: tuple[str, ...]
    """The versions it derives from, the main one first (empty when independent)."""
    share: float
    """Share of :attr:`doc`'s text found in :attr:`sources` (together, for a splice);
    for ``independent``: the largest share found in any other version."""


@dataclass(frozen=True)
class Derivation:
    """The pairwise shares of a comparison's versions and what they say about their origin.

    ``shared[a, b] + altered[a, b]`` is the share of *a*'s text that *b* carries;
    the matrix is not symmetric (a short version can sit wholly inside a long one).
    Pairs of a document with itself are not included.
    """

    docs: tuple[str, ...]
    """The document ids, in the comparison's order."""
    shared: dict[tuple[str, str], float]
    """``(a, b)`` → share of *a*'s body characters whose words appear in *b* word for word."""
    altered: dict[tuple[str, str], float]
    """``(a, b)`` → share of *a*'s body characters that *b* carries reworded."""
    findings: list[str]
    """Plain English, using the outlets' labels, most telling first.

    The first ``len(relations)`` findings put :attr:`relations` in words, one
    for one; after them come versions with no relation of their own: a source
    others take from, or a version partly shared with others.
    """
    relations: list[Relation]
    """The structured form of the findings: at most one per version."""

    def share(self, a: str, b: str) -> float:
        """The share of *a*'s text that *b* carries, word for word or reworded."""
        return self.shared.get((a, b), 0.0) + self.altered.get((a, b), 0.0)


def derivation(comparison: Comparison) -> Derivation:
    """Work out which versions of *comparison* copy, rewrite, splice or ignore the others."""
    documents = comparison.documents
    ids = tuple(d.id for d in documents)
    coverage = _coverage(comparison)
    sizes = {d.id: sum(len(p.text) for p in d.paragraphs) for d in documents}
    shared: dict[tuple[str, str], float] = {}
    altered: dict[tuple[str, str], float] = {}
    for a in ids:
        total = sizes[a] or 1
        for b in ids:
            if a == b:
                continue
            got = coverage.get((a, b))
            shared[a, b] = (_length(got.shared) / total) if got else 0.0
            altered[a, b] = (_length(got.altered) / total) if got else 0.0
    matrix = Derivation(ids, shared, altered, [], [])
    labels = {d.id: d.label for d in documents}
    judged = _judge(matrix, coverage, sizes)
    findings = [_finding(j, matrix, labels) for j in judged]
    findings += _unplaced(matrix, judged, labels, sizes)
    return Derivation(ids, shared, altered, findings, [j.relation for j in judged])


# --------------------------------------------------------------------------- coverage


@dataclass(slots=True)
class _Cover:
    """Which of *a*'s body characters one other document carries."""

    shared: list[Interval]
    altered: list[Interval]

    def union(self) -> list[Interval]:
        return _merged([*self.shared, *self.altered])


def _coverage(comparison: Comparison) -> dict[tuple[str, str], _Cover]:
    """``(a, b)`` → the stretches of *a*'s body text that *b* carries (only pairs with links)."""
    documents = comparison.documents
    vocab = Vocabulary()
    features = {f.paragraph.id: f for feats in featurise(documents, vocab) for f in feats}
    linked = _linked(comparison)
    out: dict[tuple[str, str], _Cover] = {}
    for doc in documents:
        base = _body_offsets(doc)
        for para in doc.paragraphs:
            by_doc = linked.get(para.id)
            if not by_doc:
                continue
            feat = features[para.id]
            # Outlets carrying the same copy of the linked paragraphs get the same answer.
            done: dict[tuple[str, ...], list[tuple[int, int, Carried]]] = {}
            for other, pids in by_doc.items():
                theirs = [features[pid] for pid in pids]
                key = tuple(t.tokstr for t in theirs)
                stretches = done.get(key)
                if stretches is None:
                    stretches = done[key] = _carried(feat, theirs)
                if not stretches:
                    continue
                cover = out.get((doc.id, other))
                if cover is None:
                    cover = out[doc.id, other] = _Cover([], [])
                offset = base[para.index]
                for start, end, status in stretches:
                    into = cover.shared if status == "shared" else cover.altered
                    into.append((offset + start, offset + end))
    return out


def _linked(comparison: Comparison) -> dict[str, dict[str, list[str]]]:
    """Paragraph id → document id → the paragraphs of that document linked to it."""
    linked: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for link in sorted(comparison.links, key=lambda k: -k.similarity):
        linked[link.a][link.b.partition(".")[0]].append(link.b)
        linked[link.b][link.a.partition(".")[0]].append(link.a)
    return linked


def _carried(feat: Features, theirs: Sequence[Features]) -> list[tuple[int, int, Carried]]:
    """The stretches of one paragraph that *theirs* (one outlet's linked paragraphs) carry.

    Sentence by sentence, with the rules of
    :meth:`storylens.core.classify.Classifier.spans` (without the changed words
    and fact flags, which only the reader needs): a sentence whose words sit in
    a row in one of *theirs* is shared; one whose words the word diff of the
    whole paragraph against the closest of *theirs* matches at least half of is
    altered (shared if it matches all of them with nothing inserted); failing
    that, one whose best sentence of *theirs* (most content words in common)
    matches :data:`~storylens.core.classify.MIN_MATCHED` of its words, or three
    content words, is altered (shared if the two are the same words).
    """
    text = feat.paragraph.text
    mine = feat.tokstr
    if not mine:
        return []
    if any(mine in t.tokstr for t in theirs):
        return [(0, len(text), "shared")]
    best = max(theirs, key=lambda t: Indel.normalized_similarity(mine, t.tokstr))
    # Which of the paragraph's words the diff keeps, and where the closest
    # counterpart has words this paragraph lacks.
    kept = bytearray(len(mine))
    inserts: list[int] = []
    for op in Indel.opcodes(mine, best.tokstr):
        if op.tag == "equal":
            kept[op.src_start : op.src_end] = b"\x01" * (op.src_end - op.src_start)
        elif op.src_start == op.src_end:
            inserts.append(op.src_start)
    sentences: list[tuple[Features, Sentence]] | None = None
    out: list[tuple[int, int, Carried]] = []
    for sent in feat.sentences:
        words = sent.tokstr
        n = len(words)
        if not n:
            continue
        if any(words in t.tokstr for t in theirs):
            out.append((sent.start, sent.end, "shared"))
            continue
        a, b = sent.first, sent.first + n
        equal = kept.count(1, a, b)
        inserted = any(a < x < b for x in inserts)
        if equal >= max(1.0, 0.5 * n):
            out.append(
                (sent.start, sent.end, "shared" if equal == n and not inserted else "altered")
            )
            continue
        if sentences is None:
            sentences = [(t, x) for t in theirs for x in t.sentences]
        status = _against_sentences(sent, sentences)
        if status is not None:
            out.append((sent.start, sent.end, status))
    return out


def _against_sentences(
    sent: Sentence, sentences: Sequence[tuple[Features, Sentence]]
) -> Carried | None:
    """The status of *sent* against its best match among *sentences* (None: not carried)."""
    best: tuple[int, int] | None = None
    cand: Sentence | None = None
    n = len(sent.tokstr)
    for _, other in sentences:
        overlap = len(sent.content & other.content)
        if overlap == 0 and sent.content:
            continue
        key = (overlap, -abs(len(other.tokstr) - n))
        if best is None or key > best:
            best, cand = key, other
    if best is None or cand is None:
        return None
    m = len(cand.tokstr)
    matched = (n + m - Indel.distance(sent.tokstr, cand.tokstr)) // 2
    if matched < MIN_MATCHED * n and best[0] < 3:
        return None
    return "shared" if matched == n == m else "altered"


def _body_offsets(doc: Document) -> list[int]:
    """Where each paragraph starts when the document's paragraphs are laid end to end."""
    offsets: list[int] = []
    at = 0
    for para in doc.paragraphs:
        offsets.append(at)
        at += len(para.text)
    return offsets


def _merged(intervals: Iterable[Interval]) -> list[Interval]:
    """The union of *intervals*, sorted, without overlaps."""
    out: list[Interval] = []
    for start, end in sorted(intervals):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _length(intervals: Iterable[Interval]) -> int:
    return sum(end - start for start, end in _merged(intervals))


def _added(covered: list[Interval], more: list[Interval]) -> int:
    """How many characters of *more* (merged) are not already in *covered* (merged)."""
    return _length([*covered, *more]) - _length(covered)


# --------------------------------------------------------------------------- judgement


@dataclass(frozen=True, slots=True)
class _Judged:
    """A relation with what each of its sources adds to the version, in order."""

    relation: Relation
    parts: tuple[float, ...]


def _judge(
    d: Derivation, coverage: dict[tuple[str, str], _Cover], sizes: dict[str, int]
) -> list[_Judged]:
    """The relations, most telling first."""
    ids = d.docs
    share = d.share
    order = {doc: k for k, doc in enumerate(ids)}

    def derived_from(a: str, b: str) -> bool:
        """*a* is mostly inside *b*, and more so than *b* is inside *a*.

        When the two are about as much inside each other (within :data:`SAME`),
        the later-listed one is taken as the copy.
        """
        there, back = share(a, b), share(b, a)
        if there < COPY:
            return False
        if abs(there - back) > SAME:
            return there > back
        return order[a] > order[b]

    # 1. Copies: near-copies, rewrites and subsets of one other version.
    candidates = {a: [b for b in ids if b != a and derived_from(a, b)] for a in ids}
    candidates = {a: cands for a, cands in candidates.items() if cands}
    judged: list[_Judged] = []
    source_of: dict[str, tuple[str, ...]] = {}
    for a, cands in candidates.items():
        b = _best(a, cands, d, candidates, order)
        kind: RelationKind
        if share(b, a) < SUBSET:
            kind = "subset"
        elif d.shared[a, b] >= d.altered[a, b]:
            kind = "near-copy"
        else:
            kind = "rewrite"
        judged.append(_Judged(Relation(kind, a, (b,), share(a, b)), (share(a, b),)))
        source_of[a] = (b,)

    def takers(a: str) -> set[str]:
        """Versions found to take their text from *a*: they are not its sources."""
        return {x for x, sources in source_of.items() if a in sources}

    # 2. Splices: covered much better by several others together than by any one.
    splices: list[_Judged] = []
    for a in ids:
        if a in source_of or not sizes[a]:
            continue
        copies = takers(a)
        others = [b for b in ids if b != a and b not in copies and (a, b) in coverage]
        picked = _greedy_cover(a, others, coverage, sizes[a], candidates, order)
        if len(picked) < 2:
            continue
        union = sum(part for _, part in picked)
        if union >= SPLICE_MIN and union >= max(share(a, b) for b in others) + SPLICE_GAIN:
            relation = Relation("splice", a, tuple(b for b, _ in picked), union)
            splices.append(_Judged(relation, tuple(part for _, part in picked)))
    for splice in sorted(splices, key=lambda j: -j.relation.share):
        rel = splice.relation
        # A version already found to take from this one is not also its source.
        if any(s in takers(rel.doc) for s in rel.sources):
            continue
        judged.append(splice)
        source_of[rel.doc] = rel.sources

    # 3. Independent: little of its text anywhere else. Splices that borrow from
    #    it do not count against it; whole copies of it make it a source instead.
    for a in ids:
        if a in source_of or not sizes[a]:
            continue
        mine = {x for x in takers(a) if len(source_of[x]) > 1}
        most = max((share(a, b) for b in ids if b != a and b not in mine), default=0.0)
        if most < INDEPENDENT:
            judged.append(_Judged(Relation("independent", a, (), most), ()))

    rank = {"near-copy": 0, "rewrite": 1, "subset": 2, "splice": 3, "independent": 4}
    judged.sort(
        key=lambda j: (
            rank[j.relation.kind],
            j.relation.share if j.relation.kind == "independent" else -j.relation.share,
            order[j.relation.doc],
        )
    )
    return judged


def _best(
    a: str,
    cands: Sequence[str],
    d: Derivation,
    derived: dict[str, list[str]],
    order: dict[str, int],
) -> str:
    """The most likely source of *a* among *cands*.

    The one carrying most of *a*, reworded text counting for
    :data:`ALTERED_WEIGHT`; among those about as good (within :data:`TIE`), one
    that is not itself a copy (the original rather than another copy of it).
    """

    def score(b: str) -> float:
        return d.shared[a, b] + ALTERED_WEIGHT * d.altered[a, b]

    top = max(map(score, cands))
    close = [b for b in cands if score(b) >= top - TIE]
    return max(close, key=lambda b: (b not in derived, score(b), d.share(a, b), -order[b]))


def _greedy_cover(
    a: str,
    others: Sequence[str],
    coverage: dict[tuple[str, str], _Cover],
    size: int,
    derived: dict[str, list[str]],
    order: dict[str, int],
) -> list[tuple[str, float]]:
    """Sources covering *a*, each with the share of *a* it adds to those before it.

    Greedy: the source adding most first, reworded text counting for
    :data:`ALTERED_WEIGHT` (near-ties as in :func:`_best`), while each adds at
    least :data:`SPLICE_PART`.
    """
    shared = {b: _merged(coverage[a, b].shared) for b in others}
    whole = {b: coverage[a, b].union() for b in others}
    covered: list[Interval] = []
    picked: list[tuple[str, float]] = []
    left = set(others)
    while left:
        gains = {b: _added(covered, whole[b]) for b in left}
        scores = {
            b: (1 - ALTERED_WEIGHT) * _added(covered, shared[b]) + ALTERED_WEIGHT * gains[b]
            for b in left
        }
        enough = [b for b in left if gains[b] >= SPLICE_PART * size]
        if not enough:
            break
        top = max(scores[b] for b in enough)
        close = [b for b in enough if scores[b] >= top - TIE * size]
        b = max(close, key=lambda x: (x not in derived, scores[x], -order[x]))
        picked.append((b, gains[b] / size))
        covered = _merged([*covered, *whole[b]])
        left.discard(b)
    return picked


def _unplaced(
    d: Derivation, judged: Sequence[_Judged], labels: dict[str, str], sizes: dict[str, int]
) -> list[str]:
    """Findings for the versions with no relation of their own.

    A version others take their text from is named as their source; any other
    is partly shared, and the finding names its closest version. Versions with
    no body text get no finding.
    """
    placed = {j.relation.doc for j in judged}
    takers: dict[str, list[Relation]] = defaultdict(list)
    for j in judged:
        for source in j.relation.sources:
            takers[source].append(j.relation)
    sources: list[str] = []
    partly: list[tuple[float, str]] = []
    for a in d.docs:
        if a in placed or not sizes[a]:
            continue
        if takers[a]:
            named = _and([f"{labels[r.doc]} ({_HOW[r.kind]})" for r in takers[a]])
            verb = "takes" if len(takers[a]) == 1 else "take"
            sources.append(f"{labels[a]} is a source: {named} {verb} text from it.")
            continue
        others = [b for b in d.docs if b != a]
        if not others:
            continue
        b = max(others, key=lambda x: (d.share(a, x), d.shared[a, x]))
        s = d.share(a, b)
        partly.append(
            (
                -s,
                f"{labels[a]} is partly shared: {_pct(s)} of its text is in {labels[b]}, "
                f"its closest version ({_pct(d.shared[a, b])} word for word).",
            )
        )
    return sources + [line for _, line in sorted(partly, key=lambda x: x[0])]


_HOW = {
    "near-copy": "a near-copy",
    "rewrite": "a rewrite",
    "subset": "a cut-down",
    "splice": "in part",
    "independent": "",
}


# --------------------------------------------------------------------------- words


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def _finding(judged: _Judged, d: Derivation, labels: dict[str, str]) -> str:
    """One relation in plain English."""
    rel = judged.relation
    me = labels[rel.doc]
    if rel.kind == "independent":
        if round(100 * rel.share) == 0:
            return f"{me} is independent: none of its text is found in any other version."
        return (
            f"{me} is independent: no other version carries more than {_pct(rel.share)} "
            "of its text."
        )
    if rel.kind == "splice":
        named = _and(
            [f"{labels[s]} ({_pct(p)})" for s, p in zip(rel.sources, judged.parts, strict=True)]
        )
        return f"{me} combines {named}: {_pct(rel.share)} of its text comes from them."
    src = rel.sources[0]
    them = labels[src]
    how = (
        "mostly word for word"
        if d.shared[rel.doc, src] >= d.altered[rel.doc, src]
        else "mostly reworded"
    )
    back = d.share(src, rel.doc)
    if rel.kind == "subset":
        return (
            f"{me} is a cut-down of {them}: {_pct(rel.share)} of its text is {them}'s, "
            f"{how}, but it carries only {_pct(back)} of {them}'s."
        )
    what = "a near-copy" if rel.kind == "near-copy" else "a rewrite"
    line = f"{me} is {what} of {them}: {_pct(rel.share)} of its text is {them}'s, {how}"
    if back >= COPY:
        what = "text" if rel.kind == "near-copy" else "story"
        same = "the same" if min(rel.share, back) >= SAME_TEXT else "much the same"
        line += (
            f"; {them} has {_pct(back)} of its own text in {me}: {same} {what}, "
            "either could be the copy"
        )
    return line + "."


def _and(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
