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

The work goes cluster by cluster (a cluster's paragraphs are all linked to each
other) and gives exactly what comparing each linked paragraph with each outlet
in turn would. Each distinct paragraph text is compared once with each distinct
wording among the outlets in its cluster (a wire republished by many outlets is
read and compared once). A sentence equal to one of the wording's sentences is
found word for word without a search; the word diff of the two paragraphs runs
only when a sentence the wording misses could be carried or not depending on it,
which a sentence of the wording with three of its content words rules out. In a
large cluster that leaves about one pair in thirty to diff, and the sums are
added up in numpy.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from rapidfuzz.distance import Indel

from .classify import MIN_MATCHED
from .model import Comparison, Link, Paragraph
from .sentences import sentence_spans
from .tokens import WORD, Vocabulary, fold

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
    for x, a in enumerate(ids):
        total = sizes[a] or 1
        row_shared, row_altered = coverage.shared[x], coverage.altered[x]
        for y, b in enumerate(ids):
            if x != y:
                shared[a, b] = row_shared[y] / total
                altered[a, b] = row_altered[y] / total
    matrix = Derivation(ids, shared, altered, [], [])
    labels = {d.id: d.label for d in documents}
    judged = _judge(matrix, coverage, sizes)
    findings = [_finding(j, matrix, labels) for j in judged]
    findings += _unplaced(matrix, judged, labels, sizes)
    return Derivation(ids, shared, altered, findings, [j.relation for j in judged])


# --------------------------------------------------------------------------- coverage
#
# What *b* carries of *a* is whole sentences of *a* (or whole paragraphs), and
# each paragraph of *a* is compared once with each outlet, so the stretches never
# overlap: the characters carried are plain sums of sentence lengths. The
# stretches themselves matter only to the splice search, which rebuilds them, for
# the few versions it looks at, from what each paragraph found.

_Result = tuple[int, int, int, int] | tuple[int, int, list[int], list[int], list[int]] | None
"""One paragraph against one outlet: ``(shared, altered, ...)`` characters, then either
the two bit masks of the sentences carried (bit *k*: sentence *k*) shared and altered,
or the sentences that were not found word for word, those of them that are altered,
and those that are shared after all. None: every sentence with words is found word
for word (the common case, so it costs nothing to say)."""

_NOTHING: _Result = (0, 0, 0, 0)


class _WordIds(dict[str, str]):
    """Raw word → its token character (one per folded word), numbered on first sight."""

    def __init__(self, vocab: Vocabulary) -> None:
        super().__init__()
        self.vocab = vocab
        self.stems: dict[str, int] = {}
        """Token character → stem id of its word (-1: a function word)."""

    def __missing__(self, word: str) -> str:
        folded = fold(word)
        char = self[word] = chr(self.vocab.word_id(folded))
        if char not in self.stems:
            sid = self.vocab.stem_id(folded)
            self.stems[char] = -1 if sid is None else sid
        return char


class _Para:
    """One paragraph text as the derivation reads it: its sentences and their words.

    Built once per distinct text (a wire paragraph republished by many outlets is
    read once). ``toks[k]`` is sentence *k*'s words as a token string (one
    character per word), cut exactly where
    :class:`~storylens.core.features.Features` cuts them; :attr:`tok` joins them.
    """

    __slots__ = (
        "_marks",
        "contents",
        "length",
        "lens",
        "sentset",
        "sig",
        "tok",
        "toks",
        "total",
        "words",
        "zero",
    )

    def __init__(self, text: str, toks: list[str], spans: list[tuple[int, int]]) -> None:
        self.length = len(text)
        self.toks = toks
        self.tok = "".join(toks)
        self.sig = "\0".join(toks)
        """The words with the sentence breaks: equal for paragraphs that compare alike."""
        self.lens = [end - start for start, end in spans]
        self.words = [k for k, t in enumerate(toks) if t]
        """The sentences that have words (only those can be carried one by one)."""
        self.zero = len(self.words) < len(toks) and bool(self.tok)
        """Some sentence has no words: it counts only when the whole paragraph is carried."""
        self.total = (
            self.length if len(self.words) == len(toks) else sum(self.lens[k] for k in self.words)
        )
        """Characters in its sentences with words."""
        self.sentset = frozenset(toks)
        self.contents: list[frozenset[int]] | None = None
        self._marks = ""

    def marks(self) -> str:
        """One character per word: its sentence's mark, ``chr(k + 1)`` for sentence *k*."""
        if not self._marks:
            self._marks = "".join(chr(k + 1) * len(t) for k, t in enumerate(self.toks))
        return self._marks

    @property
    def wordmask(self) -> int:
        """The sentences with words, as bits."""
        return sum(1 << k for k in self.words)

    @property
    def allmask(self) -> int:
        """All the sentences, as bits."""
        return (1 << len(self.toks)) - 1


class _Texts:
    """Paragraph texts → :class:`_Para`, reading each distinct text and sentence once."""

    def __init__(self) -> None:
        self.vocab = Vocabulary()
        self._ids = _WordIds(self.vocab)
        self._sentences: dict[str, str] = {}
        self._paras: dict[str, _Para] = {}
        self._contents: dict[str, frozenset[int]] = {}
        self._against: dict[tuple[str, tuple[int, ...]], Carried | None] = {}

    def para(self, text: str) -> _Para:
        got = self._paras.get(text)
        if got is None:
            got = self._paras[text] = self._read(text)
        return got

    def _read(self, text: str) -> _Para:
        # A sentence starts after white space and ends at white space or the end
        # of the text, so no word crosses a sentence break: reading the words of
        # each sentence gives the paragraph's words, cut where Features cuts them.
        spans = sentence_spans(text)
        seen = self._sentences
        word = self._ids.__getitem__
        findall = WORD.findall
        toks: list[str] = []
        for start, end in spans:
            piece = text[start:end]
            tok = seen.get(piece)
            if tok is None:
                tok = seen[piece] = "".join(map(word, findall(piece)))
            toks.append(tok)
        return _Para(text, toks, spans)

    def against(self, tok: str, theirs: Sequence[_Para]) -> Carried | None:
        """:func:`_against`, remembered: a sentence missing from one outlet's
        paragraph is usually missing from it for every version of the sentence."""
        key = (tok, tuple(map(id, theirs)))
        if key not in self._against:
            self._against[key] = _against(tok, theirs, self)
        return self._against[key]

    def contents(self, para: _Para) -> list[frozenset[int]]:
        """Stem ids of the content words of each of the paragraph's sentences."""
        if para.contents is None:
            para.contents = [self.content(t) for t in para.toks]
        return para.contents

    def content(self, tok: str) -> frozenset[int]:
        """Stem ids of the content words of a token string."""
        got = self._contents.get(tok)
        if got is None:
            stems = set(map(self._ids.stems.__getitem__, tok))
            stems.discard(-1)
            got = self._contents[tok] = frozenset(stems)
        return got


def _carry(p: _Para, theirs: Sequence[_Para], texts: _Texts) -> _Result:
    """How much of one paragraph *theirs* (one outlet's linked paragraphs) carry.

    Sentence by sentence, with the rules of
    :meth:`storylens.core.classify.Classifier.spans` (without the changed words
    and fact flags, which only the reader needs): a sentence whose words sit in
    a row in one of *theirs* is shared; one whose words the word diff of the
    whole paragraph against the closest of *theirs* matches at least half of is
    altered; failing that, one whose best sentence of *theirs* (most content
    words in common) matches :data:`~storylens.core.classify.MIN_MATCHED` of its
    words, or three content words, is altered (shared if the two are the same
    words). A paragraph found whole in one of *theirs* is shared whole.
    """
    mine = p.tok
    if not mine:
        return _NOTHING
    if p.zero and any(mine in t.tok for t in theirs):
        return (p.length, 0, p.allmask, 0)
    toks = p.toks
    # A sentence's words (never empty, never a blank) sit in a row in one of
    # *theirs* exactly when they do in all of them put end to end with blanks.
    joined = "\0".join(t.tok for t in theirs)
    pending = [k for k in p.words if toks[k] not in joined]
    if not pending:
        return None
    best = max(theirs, key=lambda t: Indel.normalized_similarity(mine, t.tok))
    return _diffed(p, pending, best, theirs, texts)


def _diffed(
    p: _Para, pending: list[int], best: _Para, theirs: Sequence[_Para], texts: _Texts
) -> _Result:
    """The result of *p* against *theirs* when its sentences *pending* (in order) are
    not found word for word in any of them, and *best* is the closest of them.

    The classifier also calls a sentence shared when the diff keeps all its words
    with nothing inserted between them; but then its words sit in a row in
    *best*, and it would not be pending. So a pending sentence is altered, or
    not carried, or (by its best sentence) shared.
    """
    # The diff applied to the sentence marks: one mark per word of *p* the diff
    # keeps (and a blank per word of *best* it inserts), so counting a
    # sentence's mark counts its kept words.
    count = Indel.editops(p.tok, best.tok).apply(p.marks(), "\0" * len(best.tok)).count
    toks, lens = p.toks, p.lens
    altered = [k for k in pending if count(chr(k + 1)) * 2 >= len(toks[k])]
    back: list[int] = []
    if len(altered) < len(pending):
        altered_set = set(altered)
        for k in pending:
            if k not in altered_set:
                status = texts.against(p.toks[k], theirs)
                if status == "altered":
                    altered.append(k)
                elif status == "shared":
                    back.append(k)
    lost = sum(lens[k] for k in pending) - sum(lens[k] for k in back)
    return (p.total - lost, sum(lens[k] for k in altered), pending, altered, back)


def _against(tok: str, theirs: Sequence[_Para], texts: _Texts) -> Carried | None:
    """The status of a sentence against its best match among the sentences of *theirs*."""
    content = texts.content(tok)
    n = len(tok)
    best: tuple[int, int] | None = None
    cand = ""
    for t in theirs:
        for other, their_content in zip(t.toks, texts.contents(t), strict=True):
            overlap = len(content & their_content)
            if overlap == 0 and content:
                continue
            key = (overlap, -abs(len(other) - n))
            if best is None or key > best:
                best, cand = key, other
    if best is None:
        return None
    m = len(cand)
    matched = (n + m - Indel.distance(tok, cand)) // 2
    if matched < MIN_MATCHED * n and best[0] < 3:
        return None
    return "shared" if matched == n == m else "altered"


def _lengths(p: _Para, r: _Result) -> tuple[int, int]:
    """Characters of *p* shared and altered, by result *r*."""
    return (p.total, 0) if r is None else (r[0], r[1])


def _masks(p: _Para, r: _Result) -> tuple[int, int]:
    """Sentences of *p* shared and altered, as bit masks, by result *r*."""
    if r is None:
        return p.wordmask, 0
    if len(r) == 4:
        return r[2], r[3]
    _, _, pending, altered, back = r
    gone = sum(1 << k for k in pending) - sum(1 << k for k in back)
    return p.wordmask - gone, sum(1 << k for k in altered)


class _Row(Protocol):
    """A paragraph's results against a cluster's wordings, by wording index."""

    def __getitem__(self, j: int, /) -> _Result: ...


@dataclass(slots=True)
class _Found:
    """One linked paragraph of a document and what it found in each linked outlet."""

    para: _Para
    doc: int
    targets: list[tuple[int, int]]
    """(document, wording) for the outlets its cluster compares by wording (its own
    document included when it is one of them: to be skipped)."""
    row: _Row
    """Wording → result."""
    extra: list[tuple[int, _Result]]
    """(document, result) for the other linked outlets."""

    def results(self) -> Iterable[tuple[int, _Result]]:
        row = self.row
        yield from ((b, row[j]) for b, j in self.targets if b != self.doc)
        yield from self.extra


_Cluster = tuple[list[str], list[int], dict[int, int]]
"""Linked paragraph ids, their documents (indices), and how many each document has."""

TABLE_FROM = 200
"""Paragraph-outlet pairs from which a cluster is worked out as a :class:`_Table` (numpy)."""


class _Coverage:
    """Characters of each document that each other document carries.

    ``shared[x][y]`` / ``altered[x][y]``: of document *x*'s body characters, how
    many document *y* carries word for word / reworded. The stretches themselves
    are rebuilt on demand (:meth:`units`).
    """

    def __init__(self, n: int) -> None:
        self.shared = [[0] * n for _ in range(n)]
        self.altered = [[0] * n for _ in range(n)]
        self.big: tuple[Any, Any] | None = None
        """Sums added by numpy (large clusters), until :meth:`settle`."""
        self.found: list[list[_Found]] = [[] for _ in range(n)]
        """Per document, in paragraph order, its linked paragraphs and what each found."""

    def add(self, shared: list[list[int]], altered: list[list[int]]) -> None:
        for mine, more in ((self.shared, shared), (self.altered, altered)):
            for row, add in zip(mine, more, strict=True):
                row[:] = [x + y for x, y in zip(row, add, strict=True)]

    def add_big(self, cells: tuple[Any, Any], shared: Any, altered: Any) -> None:
        """Add numpy arrays of sums at the (document, document) *cells*."""
        import numpy

        if self.big is None:
            n = len(self.shared)
            self.big = (numpy.zeros((n, n), dtype=numpy.int64), numpy.zeros((n, n), numpy.int64))
        numpy.add.at(self.big[0], cells, shared)
        numpy.add.at(self.big[1], cells, altered)

    def settle(self) -> None:
        """Fold the numpy sums in; nothing carries a document's text but the others."""
        if self.big is not None:
            self.add(self.big[0].tolist(), self.big[1].tolist())
            self.big = None
        for x in range(len(self.shared)):
            self.shared[x][x] = self.altered[x][x] = 0

    def carries(self, x: int, y: int) -> bool:
        """True when document *y* carries any of document *x*'s text."""
        return bool(self.shared[x][y] or self.altered[x][y])

    def units(self, x: int, others: Sequence[int]) -> tuple[_Units, dict[int, int], dict[int, int]]:
        """Document *x*'s linked sentences as units (bit *u*: unit *u*), and per other
        document the units it carries word for word and those it carries at all."""
        shared: dict[int, int] = dict.fromkeys(others, 0)
        whole: dict[int, int] = dict.fromkeys(others, 0)
        lengths: list[int] = []
        for found in self.found[x]:
            at = len(lengths)
            lengths += found.para.lens
            for y, r in found.results():
                if y in shared:
                    smask, amask = _masks(found.para, r)
                    shared[y] |= smask << at
                    whole[y] |= (smask | amask) << at
        return _Units(lengths), shared, whole


class _Units:
    """Sentences as bits of an int, each weighing its length in characters."""

    def __init__(self, lengths: Sequence[int]) -> None:
        # One mask per bit of the lengths: a set's weight is then a few popcounts.
        last = lengths[::-1]
        self.planes = [
            int("0" + "".join("01"[n >> bit & 1] for n in last), 2)
            for bit in range(max(lengths, default=0).bit_length())
        ]

    def weight(self, units: int) -> int:
        """Characters in the sentences of *units*."""
        return sum((units & plane).bit_count() << bit for bit, plane in enumerate(self.planes))


def _coverage(comparison: Comparison) -> _Coverage:
    """What each document carries of each other's text (sums over linked paragraphs).

    Paragraphs are linked in clusters (every pair of a cluster's paragraphs from
    different outlets is linked), so the work goes cluster by cluster (see
    :meth:`_Engine.run`).
    """
    documents = comparison.documents
    doc_index = {d.id: k for k, d in enumerate(documents)}
    paragraphs = {p.id: p for d in documents for p in d.paragraphs}
    links = comparison.links
    clusters: list[_Cluster] = []
    several: set[str] = set()
    """Paragraphs sharing a cluster with another of their document's."""
    pairs = 0
    for members in _clusters(links):
        docs = [doc_index[paragraphs[pid].doc] for pid in members]
        count: dict[int, int] = {}
        for d in docs:
            count[d] = count.get(d, 0) + 1
        if len(count) < len(members):
            several.update(pid for pid, d in zip(members, docs, strict=True) if count[d] > 1)
        n = len(members)
        pairs += (n * n - sum(c * c for c in count.values())) // 2
        clusters.append((members, docs, count))
    # Every pair of a cluster's paragraphs from different documents is linked (as
    # compare links them), or else every paragraph is taken link by link; so are
    # outlets with several paragraphs in a cluster, when it comes to their order.
    clique = pairs == len(links)
    engine = _Engine(paragraphs, doc_index, clique, _linked(links, several if clique else None))
    out = _Coverage(len(documents))
    found: dict[str, _Found] = {}
    for cluster in clusters:
        engine.run(cluster, out, found)
    out.settle()
    for x, doc in enumerate(documents):
        out.found[x] = [found[p.id] for p in doc.paragraphs if p.id in found]
    return out


class _Engine:
    """Works out what each linked paragraph finds in each outlet, cluster by cluster."""

    def __init__(
        self,
        paragraphs: dict[str, Paragraph],
        doc_index: dict[str, int],
        clique: bool,
        linked: dict[str, dict[str, list[str]]],
    ) -> None:
        self.paragraphs = paragraphs
        self.doc_index = doc_index
        self.clique = clique
        self.linked = linked
        self.texts = _Texts()

    def run(self, cluster: _Cluster, out: _Coverage, found: dict[str, _Found]) -> None:
        """Add what the cluster's paragraphs find in each outlet to *out*'s sums, and
        record it in *found*.

        Each distinct paragraph text of the cluster is compared once with each
        distinct wording of the outlets in it, and the results are shared out to
        every outlet with that text or wording. An outlet with several
        paragraphs in the cluster is compared with each paragraph on its own,
        its paragraphs taken most similar first, as the links rank them (in a
        large cluster, only where that order can matter).
        """
        members, docs, count = cluster
        texts, paragraphs = self.texts, self.paragraphs
        paras = [texts.para(paragraphs[pid].text) for pid in members]
        if self.clique and len(members) * len(count) >= TABLE_FROM:
            self._table(members, paras, docs, out, found)
            return
        # The outlets with one paragraph here, by wording.
        wording: dict[str, int] = {}
        targets: list[tuple[int, int]] = []
        their: list[_Para] = []
        if self.clique:
            for para, d in zip(paras, docs, strict=True):
                if count[d] == 1:
                    j = wording.get(para.sig)
                    if j is None:
                        j = wording[para.sig] = len(their)
                        their.append(para)
                    targets.append((d, j))
        rows = _rows(paras, their, texts)
        if targets:
            _spread(out, rows, paras, docs, targets)
        para_of = dict(zip(members, paras, strict=True))
        skip = {d for d, c in count.items() if c == 1} if self.clique else set()
        for pid, para, a in zip(members, paras, docs, strict=True):
            extra = self._one_by_one(pid, para, a, para_of, skip, out)
            found[pid] = _Found(para, a, targets, rows[id(para)], extra)

    def _one_by_one(
        self,
        pid: str,
        para: _Para,
        a: int,
        para_of: dict[str, _Para],
        skip: set[int],
        out: _Coverage,
    ) -> list[tuple[int, _Result]]:
        """The paragraph's results against the outlets linked to it (but *skip*),
        each outlet's paragraphs in the order the links rank them; added to *out*."""
        extra: list[tuple[int, _Result]] = []
        mine = self.linked.get(pid)
        if mine is None:
            return extra
        texts, doc_index = self.texts, self.doc_index
        for b_id, pids in mine.items():
            b = doc_index[b_id]
            if b in skip:
                continue
            got = _carry(para, [para_of[q] for q in pids], texts)
            extra.append((b, got))
            shared, altered = _lengths(para, got)
            out.shared[a][b] += shared
            out.altered[a][b] += altered
        return extra

    def _table(
        self,
        members: list[str],
        paras: list[_Para],
        docs: list[int],
        out: _Coverage,
        found: dict[str, _Found],
    ) -> None:
        """:meth:`run` for a large cluster: the sums through a :class:`_Table`."""
        import numpy

        # Each outlet's wording: its paragraphs here (as one when it has several).
        group: dict[int, list[_Para]] = {}
        for para, d in zip(paras, docs, strict=True):
            group.setdefault(d, []).append(para)
        wording: dict[tuple[str, ...], int] = {}
        targets: list[tuple[int, int]] = []
        their: list[list[_Para]] = []
        for d, mine in group.items():
            key = tuple(p.sig for p in mine)
            j = wording.get(key)
            if j is None:
                j = wording[key] = len(their)
                their.append(mine)
            targets.append((d, j))
        table = _Table(list({id(p): p for p in paras}.values()), their, self.texts)
        which = numpy.array([table.index[id(p)] for p in paras])[:, None]
        columns = numpy.array([j for _, j in targets])[None, :]
        cells = (numpy.array(docs)[:, None], numpy.array([b for b, _ in targets])[None, :])
        out.add_big(cells, table.shared[which, columns], table.altered[which, columns])
        asked: dict[int, set[int]] = {}
        for i, j in table.ask:
            asked.setdefault(i, set()).add(j)
        para_of = dict(zip(members, paras, strict=True)) if asked else {}
        for pid, para, a in zip(members, paras, docs, strict=True):
            i = table.index[id(para)]
            extra: list[tuple[int, _Result]] = []
            if i in asked:
                # The outlets whose several paragraphs' order matters to this one.
                keep = {b for b, j in targets if j in asked[i]}
                extra = self._one_by_one(pid, para, a, para_of, set(group) - keep, out)
            found[pid] = _Found(para, a, targets, _TableRow(table, i), extra)


def _spread(
    out: _Coverage,
    rows: dict[int, list[_Result]],
    paras: Sequence[_Para],
    docs: Sequence[int],
    targets: Sequence[tuple[int, int]],
) -> None:
    """Add each paragraph's results against the cluster's wordings to the sums of its
    document against the outlets with those wordings (its own document included,
    zeroed at the end)."""
    for para, a in zip(paras, docs, strict=True):
        row, total = rows[id(para)], para.total
        shared, altered = out.shared[a], out.altered[a]
        for b, j in targets:
            r = row[j]
            if r is None:
                shared[b] += total
            else:
                shared[b] += r[0]
                altered[b] += r[1]


def _sentence_homes(wordings: Iterable[Iterable[str]]) -> dict[str, set[int]]:
    """Sentence (token string) → the indices of the wordings holding it whole."""
    where: dict[str, set[int]] = {}
    for j, sentences in enumerate(wordings):
        for tok in sentences:
            got = where.get(tok)
            if got is None:
                where[tok] = {j}
            else:
                got.add(j)
    return where


def _rows(
    paras: Sequence[_Para], their: Sequence[_Para], texts: _Texts
) -> dict[int, list[_Result]]:
    """For each distinct paragraph of *paras* (by id), its result against each of *their*.

    What :func:`_carry` finds for one of *their*, done for all at once: a
    sentence equal to one of a wording's sentences is in it without a search,
    and only a wording missing some sentence of the paragraph is diffed
    (:func:`_diffed`, written out here).
    """
    # Where each sentence is found whole: a sentence of a wording is in it.
    where = _sentence_homes(t.sentset for t in their)
    every = set(range(len(their)))
    toks_of = [t.tok for t in their]
    # Sentence → the wordings it is not found in, word for word.
    missing: dict[str, list[int]] = {}
    editops = Indel.editops
    rows: dict[int, list[_Result]] = {}
    for p in paras:
        if id(p) in rows:
            continue
        row: list[_Result] = [None] * len(their)
        rows[id(p)] = row
        mine = p.tok
        if not mine:
            row[:] = [_NOTHING] * len(their)
            continue
        toks = p.toks
        pending: defaultdict[int, list[int]] = defaultdict(list)
        for k in p.words:
            tok = toks[k]
            js = missing.get(tok)
            if js is None:
                exact = where.get(tok)
                js = missing[tok] = [
                    j for j in (every if exact is None else every - exact) if tok not in toks_of[j]
                ]
            for j in js:
                pending[j].append(k)
        lens, total = p.lens, p.total
        size = lens.__getitem__
        for j, ks in pending.items():
            t = their[j]
            count = editops(mine, t.tok).apply(p.marks(), "\0" * len(t.tok)).count
            altered = [k for k in ks if count(chr(k + 1)) * 2 >= len(toks[k])]
            lost = sum(map(size, ks))
            if len(altered) == len(ks):
                row[j] = (total - lost, lost, ks, altered, [])
                continue
            changed = sum(map(size, altered))
            back: list[int] = []
            for k in ks:
                if k not in altered:
                    status = texts.against(toks[k], (t,))
                    if status == "altered":
                        changed += lens[k]
                        altered.append(k)
                    elif status == "shared":
                        lost -= lens[k]
                        back.append(k)
            row[j] = (total - lost, changed, ks, altered, back)
        if p.zero:
            for j, t in enumerate(their):
                if mine in t.tok:
                    row[j] = (p.length, 0, p.allmask, 0)
    return rows


_ASKED: _Result = (0, 0, 0, 0)
"""In a :class:`_Table`: a result that depends on the order of an outlet's several
paragraphs, worked out for each paragraph of the cluster on its own."""


class _Table:
    """A large cluster's distinct paragraphs (rows) against its outlets' wordings.

    What :func:`_rows` finds, with the sums in numpy: a sentence of a paragraph
    not found word for word in a wording (``missing``) is altered against it
    when some sentence of the wording has three of its content words
    (:func:`_certain`), whatever the diff says; so a pair is diffed only when
    some sentence it misses is not so (one pair in about thirty in a
    many-outlet story). A wording is one outlet's paragraphs in the cluster,
    several when it has several; then a pair it must diff is left to
    :meth:`_Engine.run` (``ask``), as their order matters.
    """

    def __init__(self, paras: list[_Para], their: list[list[_Para]], texts: _Texts) -> None:
        import numpy

        self.paras = paras
        self.index = {id(p): i for i, p in enumerate(paras)}
        width = len(their)
        where = _sentence_homes([tok for t in mine for tok in t.sentset] for mine in their)
        every = set(range(width))
        # Token strings end to end with blanks: a sentence's words sit in a row in
        # one of a wording's paragraphs exactly when they do in its joined string.
        joined = ["\0".join(t.tok for t in mine) for mine in their]
        missing: dict[str, list[int]] = {}
        for p in paras:
            for k in p.words:
                tok = p.toks[k]
                if tok not in missing:
                    exact = where.get(tok)
                    missing[tok] = [
                        j
                        for j in (every if exact is None else every - exact)
                        if tok not in joined[j]
                    ]
        lacking = [tok for tok, js in missing.items() if js]
        self.missing = {tok: set(missing[tok]) for tok in lacking}
        unsure: dict[str, Any] = {}
        lost_at: dict[str, Any] = {}
        for tok, sure in zip(lacking, _certain(lacking, their, texts), strict=True):
            js = missing[tok]
            lost_at[tok] = numpy.array(js)
            doubtful = [j for j in js if not sure[j]]
            if doubtful:
                unsure[tok] = numpy.array(doubtful)
        # Characters lost per (paragraph, wording): its sentences the wording misses.
        parts: list[Any] = []
        weights: list[int] = []
        counts: list[int] = []
        doubts: list[Any] = []
        for i, p in enumerate(paras):
            toks, lens = p.toks, p.lens
            for k in p.words:
                at = lost_at.get(toks[k])
                if at is not None:
                    parts.append(at + i * width)
                    weights.append(lens[k])
                    counts.append(len(at))
                    doubt = unsure.get(toks[k])
                    if doubt is not None:
                        doubts.append(doubt + i * width)
        cells = len(paras) * width
        lost: Any = numpy.zeros(cells, dtype=numpy.int64)
        if parts:
            flat = numpy.concatenate(parts)
            lost = numpy.bincount(
                flat, weights=numpy.repeat(weights, counts), minlength=cells
            ).astype(numpy.int64)
        lost = lost.reshape(len(paras), width)
        total = numpy.array([p.total for p in paras], dtype=numpy.int64)
        self.shared = total[:, None] - lost
        self.altered = lost
        self.exact: dict[tuple[int, int], _Result] = {}
        """Results other than "each sentence missed is altered"."""
        self.ask: set[tuple[int, int]] = set()
        for flat_index in numpy.unique(numpy.concatenate(doubts)).tolist() if doubts else ():
            i, j = divmod(flat_index, width)
            p, mine = paras[i], their[j]
            if len(mine) > 1:
                self.ask.add((i, j))
                self.shared[i, j] = self.altered[i, j] = 0
                continue
            t = mine[0]
            gone = self.missing
            pending = [k for k in p.words if j in gone.get(p.toks[k], ())]
            r = _diffed(p, pending, t, mine, texts)
            self.exact[i, j] = r
            self.shared[i, j], self.altered[i, j] = _lengths(p, r)
        # A paragraph with a sentence without words, found whole.
        for i, p in enumerate(paras):
            if p.zero:
                for j, mine in enumerate(their):
                    if any(p.tok in t.tok for t in mine):
                        self.exact[i, j] = (p.length, 0, p.allmask, 0)
                        self.shared[i, j], self.altered[i, j] = p.length, 0
                        self.ask.discard((i, j))

    def result(self, i: int, j: int) -> _Result:
        got = self.exact.get((i, j))
        if got is not None:
            return got
        if (i, j) in self.ask:
            return _ASKED
        p = self.paras[i]
        gone = self.missing
        pending = [k for k in p.words if j in gone.get(p.toks[k], ())]
        if not pending:
            return _NOTHING if not p.tok else None
        lost = sum(p.lens[k] for k in pending)
        return (p.total - lost, lost, pending, pending, [])


@dataclass(frozen=True, slots=True)
class _TableRow:
    """One paragraph's row of a :class:`_Table`."""

    table: _Table
    i: int

    def __getitem__(self, j: int, /) -> _Result:
        return self.table.result(self.i, j)


def _certain(
    toks: Sequence[str], their: Sequence[Sequence[_Para]], texts: _Texts
) -> list[list[bool]]:
    """For each sentence of *toks* and each wording of *their*: whether some
    sentence of the wording has three of the sentence's content words.

    Then a sentence not found word for word in it is altered against it, whatever
    the diff: failing the diff, :func:`_against` picks a sentence with the most
    content words in common, three or more, and does not call it unlike (nor
    the same words, or they would be found word for word).
    """
    if not toks:
        return []
    import numpy

    # Content words as bits, one per stem met in *their*; each distinct sentence once.
    column: dict[int, int] = {}
    row: dict[str, int] = {}
    masks: list[int] = []
    which: list[int] = []
    starts: list[int] = []
    for mine in their:
        starts.append(len(which))
        for t in mine:
            for tok, content in zip(t.toks, texts.contents(t), strict=True):
                at = row.get(tok)
                if at is None:
                    at = row[tok] = len(masks)
                    mask = 0
                    for sid in content:
                        col = column.get(sid)
                        if col is None:
                            col = column[sid] = len(column)
                        mask |= 1 << col
                    masks.append(mask)
                which.append(at)
    ours: list[int] = []
    for tok in toks:
        mask = 0
        for sid in texts.content(tok):
            col = column.get(sid)
            if col is not None:
                mask |= 1 << col
        ours.append(mask)
    size = (len(column) + 63) // 64 * 8 or 8

    def packed(values: list[int]) -> Any:
        raw = b"".join(v.to_bytes(size, "little") for v in values)
        return numpy.frombuffer(raw, dtype=numpy.uint64).reshape(len(values), size // 8)

    theirs = packed(masks)[None, :, :]
    certain: list[list[bool]] = []
    step = max(1, _CHUNK // theirs.size)  # a bounded block of sentence pairs at a time
    for at in range(0, len(ours), step):
        common = _popcount(numpy, packed(ours[at : at + step])[:, None, :] & theirs).sum(axis=2)
        best = numpy.maximum.reduceat(common[:, which], starts, axis=1)
        certain += (best >= 3).tolist()
    return certain


_CHUNK = 1 << 21
"""Words (of 64 bits) :func:`_certain` compares at once: 16 MB."""


def _popcount(numpy: Any, words: Any) -> Any:
    """Set bits of each uint64 (numpy 2 counts them itself)."""
    count = getattr(numpy, "bitwise_count", None)
    if count is not None:
        return count(words)
    table = numpy.array([bin(x).count("1") for x in range(256)], dtype=numpy.uint8)
    return table[words.view(numpy.uint8)].reshape(*words.shape, 8).sum(axis=-1)


def _clusters(links: Sequence[Link]) -> list[list[str]]:
    """The paragraph ids joined by *links*, in connected groups."""
    root: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    for link in links:
        a, b = link.a, link.b
        ra, rb = root.get(a), root.get(b)
        if ra is None:
            if rb is None:
                root[a] = root[b] = a
                members[a] = [a, b]
            else:
                root[a] = rb
                members[rb].append(a)
        elif rb is None:
            root[b] = ra
            members[ra].append(b)
        elif ra != rb:
            small, big = (ra, rb) if len(members[ra]) < len(members[rb]) else (rb, ra)
            for pid in members[small]:
                root[pid] = big
            members[big] += members.pop(small)
    return list(members.values())


def _linked(links: Sequence[Link], only: set[str] | None) -> dict[str, dict[str, list[str]]]:
    """Paragraph id → document id → the paragraphs of that document linked to it,
    the most similar first; only linked paragraphs in *only*, unless it is None."""
    linked: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    if only is None:
        wanted: Iterable[Link] = links
    elif only:
        wanted = [k for k in links if k.a in only or k.b in only]
    else:
        return linked
    for link in sorted(wanted, key=lambda k: -k.similarity):
        if only is None or link.b in only:
            linked[link.a][link.b.partition(".")[0]].append(link.b)
        if only is None or link.a in only:
            linked[link.b][link.a.partition(".")[0]].append(link.a)
    return linked


# --------------------------------------------------------------------------- judgement


@dataclass(frozen=True, slots=True)
class _Judged:
    """A relation with what each of its sources adds to the version, in order."""

    relation: Relation
    parts: tuple[float, ...]


def _judge(d: Derivation, coverage: _Coverage, sizes: dict[str, int]) -> list[_Judged]:
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
        others = [
            b for b in ids if b != a and b not in copies and coverage.carries(order[a], order[b])
        ]
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
    coverage: _Coverage,
    size: int,
    derived: dict[str, list[str]],
    order: dict[str, int],
) -> list[tuple[str, float]]:
    """Sources covering *a*, each with the share of *a* it adds to those before it.

    Greedy: the source adding most first, reworded text counting for
    :data:`ALTERED_WEIGHT` (near-ties as in :func:`_best`), while each adds at
    least :data:`SPLICE_PART`. Text is counted in characters, over the sentences
    of *a* each source carries.
    """
    if not others:
        return []
    units, shared_units, whole_units = coverage.units(order[a], [order[b] for b in others])
    shared = {b: shared_units[order[b]] for b in others}
    whole = {b: whole_units[order[b]] for b in others}
    covered = 0
    picked: list[tuple[str, float]] = []
    left = set(others)

    def added(more: int) -> int:
        """How many characters of *more* are not already covered."""
        return units.weight(more & ~covered)

    while left:
        gains = {b: added(whole[b]) for b in left}
        scores = {
            b: (1 - ALTERED_WEIGHT) * added(shared[b]) + ALTERED_WEIGHT * gains[b] for b in left
        }
        enough = [b for b in left if gains[b] >= SPLICE_PART * size]
        if not enough:
            break
        top = max(scores[b] for b in enough)
        close = [b for b in enough if scores[b] >= top - TIE * size]
        b = max(close, key=lambda x: (x not in derived, scores[x], -order[x]))
        picked.append((b, gains[b] / size))
        covered = covered | whole[b]
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
