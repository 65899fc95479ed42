"""``compare``: the one entry point from documents (or sources) to a :class:`Comparison`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import combinations
from typing import BinaryIO

from rapidfuzz.distance import Indel

from .align import Aligner, Alignment, Thresholds
from .classify import MAX_COUNTERPARTS, Classifier
from .divergences import find_divergences
from .features import Features, content_weights, featurise
from .model import Comparison, Document, Link, Row, Span
from .tokens import Vocabulary

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
    report = progress or (lambda stage, done: None)
    report("reading words", 0.0)
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
    spans = _spans(features, alignment, vocab, weights)
    report("finding divergences", 0.95)
    divergences = find_divergences(documents, rows, alignment, spans, row_of)
    report("done", 1.0)
    return Comparison(tuple(documents), tuple(rows), tuple(links), spans, tuple(divergences))


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
            {f"d{d}": tuple(f.paragraph.id for f in feats) for d, feats in sorted(row.cells.items())},
        )
        for k, row in enumerate(alignment.rows)
    ]


def _links(alignment: Alignment, row_of: dict[str, str]) -> list[Link]:
    links: list[Link] = []
    for cluster in alignment.clusters:
        members = sorted(cluster.members, key=lambda f: (f.doc_index, f.paragraph.index))
        for a, b in combinations(members, 2):
            if a.doc_index == b.doc_index:
                continue
            pa, pb = a.paragraph.id, b.paragraph.id
            links.append(
                Link(
                    pa,
                    pb,
                    "shared" if a.tokstr == b.tokstr else "altered",
                    round(Indel.normalized_similarity(a.tokstr, b.tokstr), 3),
                    row_of[pa] != row_of[pb],
                )
            )
    return links


def _spans(
    features: Sequence[Sequence[Features]],
    alignment: Alignment,
    vocab: Vocabulary,
    weights: Sequence[float],
) -> dict[str, tuple[Span, ...]]:
    classifier = Classifier(vocab.words)
    spans: dict[str, tuple[Span, ...]] = {}
    for feats in features:
        for feat in feats:
            cluster = alignment.cluster_of[feat.paragraph.id]
            others = [m for m in cluster.members if m.doc_index != feat.doc_index]
            if len(others) > MAX_COUNTERPARTS:
                # The most similar in content first: those are the ones it was copied from.
                others.sort(key=lambda m: -sum(weights[s] for s in feat.content & m.content))
                others = others[:MAX_COUNTERPARTS]
            spans[feat.paragraph.id] = classifier.spans(feat, others)
    return spans
