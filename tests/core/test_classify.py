"""Spans: every character covered; shared, altered with changed words, unique; fact flags."""

from __future__ import annotations

import itertools

from storylens.core.compare import compare
from storylens.core.model import Comparison

from ..conftest import make_doc
from .test_align import P


def _covered(c: Comparison) -> None:
    for doc in c.documents:
        for p in doc.paragraphs:
            spans = c.spans[p.id]
            assert spans[0].start == 0 and spans[-1].end == len(p.text)
            assert all(a.end == b.start for a, b in itertools.pairwise(spans))


def _span_at(c: Comparison, pid: str, needle: str):  # type: ignore[no-untyped-def]
    text = c.paragraph(pid).text
    at = text.index(needle)
    return next(s for s in c.spans[pid] if s.start <= at < s.end)


def test_case_punctuation_and_quote_style_do_not_make_an_alteration() -> None:
    a = 'Ms. Tate said: "It\'s over -- the pier must close."'
    b = "MS TATE SAID \u201cIt\u2019s over \u2014 the pier must close\u201d"
    c = compare([make_doc(0, a, P[0]), make_doc(1, b, P[0])])
    _covered(c)
    assert {s.status for s in c.spans["d0.p0"]} == {"shared"}


def test_reworded_sentence_is_altered_with_its_changed_words_and_counterpart() -> None:
    b = P[2].replace("about ten minutes", "roughly ten minutes")
    c = compare([make_doc(0, *P), make_doc(1, *P[:2], b, *P[3:])])
    _covered(c)
    span = _span_at(c, "d1.p2", "roughly")
    assert span.status == "altered"
    assert span.counterpart == "d0.p2"
    text = c.paragraph("d1.p2").text
    assert [text[a:b] for a, b in span.changes] == ["roughly"]
    assert span.flags == frozenset()


def test_changed_number_is_flagged() -> None:
    b = P[1].replace("4.2 million", "2.4 million")
    c = compare([make_doc(0, *P), make_doc(1, P[0], b, *P[2:])])
    span = _span_at(c, "d1.p1", "2.4")
    assert span.status == "altered" and "number" in span.flags
    assert any(d.type == "altered" and "number" in d.flags for d in c.divergences)


def test_dropped_negation_is_flagged() -> None:
    a = "There is no sign that the pylons will fail before March, the engineers said."
    b = "There is sign that the pylons will fail before March, the engineers said."
    c = compare([make_doc(0, P[0], a), make_doc(1, P[0], b)])
    assert "negation" in _span_at(c, "d1.p1", "sign").flags


def test_changed_name_is_flagged() -> None:
    b = P[1].replace("Imogen Tate", "Imogen Hale")
    c = compare([make_doc(0, *P), make_doc(1, P[0], b, *P[2:])])
    assert "name" in _span_at(c, "d1.p1", "Hale").flags


def test_added_sentence_inside_a_linked_paragraph_is_unique() -> None:
    added = " The pier's lamps were sold at auction in 1987 to a collector from Bristol."
    c = compare([make_doc(0, *P), make_doc(1, P[0] + added, *P[1:])])
    _covered(c)
    assert _span_at(c, "d1.p0", "auction").status == "unique"
    assert _span_at(c, "d1.p0", "harbour board").status == "shared"
