"""``compare``: the one entry point from documents (or sources) to a :class:`Comparison`."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from itertools import combinations
from typing import BinaryIO

from rapidfuzz import process
from rapidfuzz.distance import Indel

from .align import Aligner, Alignment, Thresholds
from .classify import Classifier, classify_clusters
from .divergences import find_divergences
from .entities import extract_entities
from .features import content_weights, featurise
from .forked import both, can_fork
from .model import Comparison, Document, Entity, Link, Quote, Row, Span
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
    """Align and classify *documents* (at least two) into a :class:`Comparison`."""
    if len(documents) < 2:
        raise ValueError("a comparison needs at least two documents")
    with no_gc_pauses():
        return _compare(documents, thresholds, progress)


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
    # Names and quotes need only the documents: on a big job a second process
    # finds them while this one aligns and classifies.
    paragraphs = sum(len(d.paragraphs) for d in documents)
    (rows, row_of, alignment, links, spans), (entities, quotes) = both(
        lambda: _align_and_classify(documents, thresholds, report),
        lambda: _names_and_quotes(documents),
        fork=paragraphs >= FORK_FROM and can_fork(),
    )
    report("finding divergences", 0.97)
    divergences = find_divergences(documents, rows, alignment, spans, row_of, quotes)
    report("done", 1.0)
    return Comparison(
        tuple(documents), tuple(rows), tuple(links), spans, tuple(divergences), entities, quotes
    )


def _align_and_classify(
    documents: Sequence[Document], thresholds: Thresholds | None, report: Progress
) -> tuple[list[Row], dict[str, str], Alignment, list[Link], dict[str, tuple[Span, ...]]]:
    vocab = Vocabulary()
    features = featurise(documents, vocab)
    weights = content_weights(features, len(vocab.stem_ids))

    def aligned(step: int, total: int) -> None:
        report("aligning", 0.1 + 0.5 * step / total)

    alignment = Aligner(features, weights, thresholds, aligned).run()
    report("comparing words", 0.6)
    rows = _rows(alignment)
    row_of = {pid: row.id for row in rows for pids in row.cells.values() for pid in pids}
    links = _links(alignment, row_of)
    spans = classify_clusters(alignment.clusters, alignment, Classifier(vocab))
    report("finding names and quotes", 0.9)
    return (
        rows,
        row_of,
        alignment,
        links,
        dict(sorted(spans.items(), key=lambda kv: _pid_key(kv[0]))),
    )


def _names_and_quotes(
    documents: Sequence[Document],
) -> tuple[tuple[Entity, ...], tuple[Quote, ...]]:
    entities = extract_entities(documents)
    return entities, extract_quotes(documents, entities=entities)


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


def _rows(alignment: Alignment) -> list[Row]:
    return [
        Row(
            f"r{k}",
            {
                f"d{d}": tuple(f.paragraph.id for f in feats)
                for d, feats in sorted(row.cells.items())
            },
        )
        for k, row in enumerate(alignment.rows)
    ]


def _links(alignment: Alignment, row_of: dict[str, str]) -> list[Link]:
    links: list[Link] = []
    for cluster in alignment.clusters:
        members = sorted(cluster.members, key=lambda f: (f.doc_index, f.paragraph.index))
        if len(members) < 2:
            continue
        sims = _similarities([m.tokstr for m in members])
        rows = [row_of[m.paragraph.id] for m in members]
        for x, y in combinations(range(len(members)), 2):
            a, b = members[x], members[y]
            if a.doc_index == b.doc_index:
                continue
            links.append(
                Link(
                    a.paragraph.id,
                    b.paragraph.id,
                    "shared" if a.tokstr == b.tokstr else "altered",
                    sims[x][y],
                    rows[x] != rows[y],
                )
            )
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
    rounded: list[list[float]] = matrix.round(3).tolist()
    return rounded


def _pid_key(pid: str) -> tuple[int, int]:
    doc, _, index = pid.partition(".p")
    return int(doc[1:]), int(index)
