"""``compare``: the one entry point from documents (or sources) to a :class:`Comparison`."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import BinaryIO

from rapidfuzz import process
from rapidfuzz.distance import Indel

from .align import Aligner, Alignment, Thresholds
from .classify import Classifier, classify_clusters
from .divergences import find_divergences
from .entities import extract_entities
from .features import content_weights, featurise
from .forked import both, can_fork
from .model import Comparison, Document, Entity, Link, LinkStatus, Quote, Row, Span
from .quotes import extract_quotes
from .tokens import Vocabulary

FORK_FROM = 4000
"""Paragraphs from which finding names and quotes is worth a second process."""

Progress = Callable[[str, float], None]
"""Called with a stage name and the fraction done (0..1) of the whole job."""


def compare(
    documents: Sequence[Document],
    *,
    thresholds: Thresholds | None = None,
    progress: Progress | None = None,
) -> Comparison:
    """Align and classify *documents* (at least two) into a :class:`Comparison`.

    The result does not depend on the order *documents* are given in, beyond their
    ids and labels: the engine reads them in an order of their own (see
    :func:`reading_order`), so the same documents in another order give the same
    rows, links, spans, divergences, entities and quotes (in the same order, quote
    ids included), with every document and paragraph id the caller's. Within one
    item (a row's cells, a link's two ends, a quote's variants, an entity's
    counts, a divergence's paragraphs…) documents come in the caller's order.
    """
    if len(documents) < 2:
        raise ValueError("a comparison needs at least two documents")
    if len({doc.id for doc in documents}) != len(documents):
        raise ValueError("the documents of a comparison need distinct ids")
    with no_gc_pauses():
        return _compare(documents, thresholds, progress)


def reading_order(documents: Sequence[Document]) -> list[int]:
    """The order the engine reads *documents* in: indices into *documents*.

    It depends only on what the documents say, so that no stage (the aligner's
    add order and tie-breaks, the word ids, which spelling of a name comes
    first, which quote is numbered first…) can depend on the order the caller
    happened to list them in. The fullest version comes first, as the aligner
    wants it (it carries the most content for the others to join). Documents
    that say exactly the same thing cannot be told apart by any stage, so
    only those keep the caller's order among themselves.
    """

    def key(k: int) -> tuple[int, tuple[tuple[str, int, int, str], ...], str, str]:
        doc = documents[k]
        paragraphs = tuple((p.kind, p.start, p.end, p.text) for p in doc.paragraphs)
        return -sum(len(p.text) for p in doc.paragraphs), paragraphs, doc.text, doc.title or ""

    return sorted(range(len(documents)), key=key)


@contextmanager
def no_gc_pauses() -> Iterator[None]:
    """Hold the cyclic garbage collector while the engine builds its objects.

    The engine allocates millions of small objects and frees none until it is
    done; the collector's generation scans over them cost as much as the work
    itself (measured: 6.9 s with, 3.7 s without, at a million words).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _compare(
    documents: Sequence[Document], thresholds: Thresholds | None, progress: Progress | None
) -> Comparison:
    report = progress or (lambda stage, done: None)
    report("reading words", 0.0)
    # Every stage reads the documents in the engine's own order; the ids stay
    # the caller's (they live in the Document and Paragraph objects), and the
    # caller's order is restored inside each item at the end.
    read = [documents[k] for k in reading_order(documents)]
    position = {doc.id: k for k, doc in enumerate(documents)}
    # Names and quotes need only the documents: on a big job a second process
    # finds them while this one aligns and classifies.
    paragraphs = sum(len(d.paragraphs) for d in documents)
    (rows, row_of, alignment, links, spans), (entities, quotes) = both(
        lambda: _align_and_classify(read, position, thresholds, report),
        lambda: _names_and_quotes(read),
        fork=paragraphs >= FORK_FROM and can_fork(),
    )
    entities, quotes = _entities_in_order(entities, documents), _quotes_in_order(quotes, position)
    report("finding divergences", 0.97)
    divergences = find_divergences(documents, rows, alignment, spans, row_of, quotes)
    report("done", 1.0)
    # Spans by paragraph, in the caller's reading order.
    spans = {p.id: spans[p.id] for doc in documents for p in doc.paragraphs}
    return Comparison(
        tuple(documents), tuple(rows), tuple(links), spans, tuple(divergences), entities, quotes
    )


def _align_and_classify(
    documents: Sequence[Document],
    position: Mapping[str, int],
    thresholds: Thresholds | None,
    report: Progress,
) -> tuple[list[Row], dict[str, str], Alignment, list[Link], dict[str, tuple[Span, ...]]]:
    """Rows, links and spans of *documents* (in the engine's order); *position* gives
    each document id's place in the caller's order."""
    vocab = Vocabulary()
    features = featurise(documents, vocab)
    weights = content_weights(features, len(vocab.stem_ids))

    def aligned(step: int, total: int) -> None:
        report("aligning", 0.1 + 0.5 * step / total)

    alignment = Aligner(features, weights, thresholds, aligned).run()
    report("comparing words", 0.6)
    rows = _rows(alignment, position)
    row_of = {pid: row.id for row in rows for pids in row.cells.values() for pid in pids}
    links = _links(alignment, row_of, position)
    spans = classify_clusters(alignment.clusters, alignment, Classifier(vocab))
    report("finding names and quotes", 0.9)
    return rows, row_of, alignment, links, spans


def _names_and_quotes(
    documents: Sequence[Document],
) -> tuple[tuple[Entity, ...], tuple[Quote, ...]]:
    entities = extract_entities(documents)
    return entities, extract_quotes(documents, entities=entities)


def _entities_in_order(
    entities: Sequence[Entity], documents: Sequence[Document]
) -> tuple[Entity, ...]:
    """The entities with their per-document counts in the caller's order."""
    return tuple(
        replace(e, mentions={doc.id: e.mentions.get(doc.id, 0) for doc in documents})
        for e in entities
    )


def _quotes_in_order(quotes: Sequence[Quote], position: Mapping[str, int]) -> tuple[Quote, ...]:
    """The quotes with their variants in the caller's document order.

    Within one document the variants already come in reading order, which the
    stable sort keeps; the quotes keep their own order (and ids), which does not
    depend on the caller's.
    """
    return tuple(
        replace(q, variants=tuple(sorted(q.variants, key=lambda v: position[v.doc])))
        for q in quotes
    )


def compare_sources(
    sources: Sequence[str],
    *,
    labels: Sequence[str] = (),
    keep_boilerplate: bool = False,
    stdin: BinaryIO | None = None,
    progress: Progress | None = None,
) -> Comparison:
    """Load *sources* (paths, ``-``) and compare them; raises ``SourceError``."""
    from .load import load_sources

    documents = load_sources(sources, labels=labels, keep_boilerplate=keep_boilerplate, stdin=stdin)
    return compare(documents, progress=progress)


def _rows(alignment: Alignment, position: Mapping[str, int]) -> list[Row]:
    """The aligner's rows with document ids as keys, in the caller's document order."""
    rows: list[Row] = []
    for k, row in enumerate(alignment.rows):
        cells = [(feats[0].paragraph.doc, feats) for feats in row.cells.values() if feats]
        cells.sort(key=lambda cell: position[cell[0]])
        rows.append(
            Row(f"r{k}", {did: tuple(f.paragraph.id for f in feats) for did, feats in cells})
        )
    return rows


def _links(alignment: Alignment, row_of: dict[str, str], position: Mapping[str, int]) -> list[Link]:
    """Every pair of a cluster's paragraphs in different documents.

    Pairs come in the engine's reading order (so the list is the same whatever
    order the documents were given in); each link's ``a`` is the paragraph of
    the document the caller gave first.
    """
    links: list[Link] = []
    for cluster in alignment.clusters:
        members = sorted(cluster.members, key=lambda f: (f.doc_index, f.paragraph.index))
        n = len(members)
        if n < 2:
            continue
        # Per member once, as plain lists: a big cluster has n² / 2 pairs.
        pids = [m.paragraph.id for m in members]
        tokstrs = [m.tokstr for m in members]
        docs = [m.doc_index for m in members]
        given = [position[m.paragraph.doc] for m in members]
        rows = [row_of[pid] for pid in pids]
        sims = _similarities(tokstrs)
        for x in range(n):
            pid_x, tok_x, doc_x = pids[x], tokstrs[x], docs[x]
            given_x, row_x, sim_x = given[x], rows[x], sims[x]
            for y in range(x + 1, n):
                if docs[y] == doc_x:
                    continue
                a, b = (pid_x, pids[y]) if given_x < given[y] else (pids[y], pid_x)
                status: LinkStatus = "shared" if tok_x == tokstrs[y] else "altered"
                links.append(Link(a, b, status, sim_x[y], row_x != rows[y]))
    return links


def _similarities(tokstrs: list[str]) -> list[list[float]]:
    """Word-sequence similarity of every pair, rounded to three places."""
    if len(tokstrs) <= 8:
        sim = Indel.normalized_similarity
        return [[round(sim(a, b), 3) for b in tokstrs] for a in tokstrs]
    # Big clusters (many outlets) in one C++ call; numpy only comes in here.
    import numpy

    matrix = process.cdist(
        tokstrs, tokstrs, scorer=Indel.normalized_similarity, dtype=numpy.float64
    )
    # A many-outlet cluster has n² / 2 links, each holding its similarity: one float
    # object per thousandth is shared by all of them (numpy's round(3) gives exactly
    # k / 1000, so the k read back picks the same value).
    thousandths = numpy.rint(matrix.round(3) * 1000).astype(numpy.intp).tolist()
    table = _THOUSANDTHS
    return [[table[k] for k in row] for row in thousandths]


_THOUSANDTHS = [k / 1000 for k in range(1001)]
"""The similarities 0.000 … 1.000, one float object each."""
