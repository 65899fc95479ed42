"""Invariants of the engine on generated documents (hypothesis)."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storylens.core.compare import compare
from storylens.core.model import Comparison

from ..conftest import make_doc

WORDS = st.sampled_from(
    [
        "harbour",
        "ferry",
        "pier",
        "board",
        "council",
        "mayor",
        "Tate",
        "Lowmere",
        "cracks",
        "pylons",
        "repairs",
        "million",
        "closed",
        "opened",
        "voted",
        "Tuesday",
        "engineers",
        "traders",
        "market",
        "report",
        "12",
        "40",
        "not",
        "no",
        "the",
        "a",
        "of",
        "to",
        "and",
        "said",
        "will",
        "would",
    ]
)
SENTENCE = st.lists(WORDS, min_size=1, max_size=12).map(lambda ws: " ".join(ws).capitalize() + ".")
PARAGRAPH = st.lists(SENTENCE, min_size=1, max_size=3).map(" ".join)
DOCUMENT = st.lists(PARAGRAPH, min_size=1, max_size=6)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(c: Comparison) -> None:
    for doc in c.documents:
        # Every paragraph in exactly one row, in its document's order.
        seen = [pid for row in c.rows for pid in row.cells.get(doc.id, ())]
        assert seen == [p.id for p in doc.paragraphs]
        for p in doc.paragraphs:
            spans = c.spans[p.id]
            # Every character in exactly one span, in order.
            assert spans[0].start == 0 and spans[-1].end == len(p.text)
            assert all(a.end == b.start for a, b in itertools.pairwise(spans))
            assert all(s.start < s.end or len(p.text) == 0 for s in spans)
    pairs = set()
    for link in c.links:
        # Links only between different documents, never twice.
        assert link.a.split(".")[0] != link.b.split(".")[0]
        key = frozenset((link.a, link.b))
        assert key not in pairs
        pairs.add(key)
    # The relation is symmetric: a span's counterpart is a paragraph it is linked
    # with, whichever of the two the link names first.
    for pid, spans in c.spans.items():
        for span in spans:
            if span.counterpart is not None:
                assert frozenset((pid, span.counterpart)) in pairs, (pid, span)


@SETTINGS
@given(st.lists(DOCUMENT, min_size=2, max_size=4))
def test_rows_spans_and_links_are_well_formed(documents: list[list[str]]) -> None:
    _check(compare([make_doc(k, *paras) for k, paras in enumerate(documents)]))


@SETTINGS
@given(DOCUMENT)
def test_a_document_compared_with_itself_is_all_shared(paragraphs: list[str]) -> None:
    c = compare([make_doc(0, *paragraphs), make_doc(1, *paragraphs)])
    _check(c)
    assert all(s.status == "shared" for spans in c.spans.values() for s in spans)
