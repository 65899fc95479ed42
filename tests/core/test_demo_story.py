"""The bundled demo story shows what it was written to show: the deliberate
differences between its outlets are found, typed and flagged."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from storylens.core.compare import compare
from storylens.core.evaluation import block_key
from storylens.core.load import load_sources
from storylens.core.model import Comparison
from storylens.demo import demo_sources

from ..conftest import DATA

GOLD = json.loads((DATA / "demo_gold.json").read_text(encoding="utf-8"))


@cache
def _demo() -> tuple[Comparison, dict[str, str]]:
    paths, labels = demo_sources()
    docs = load_sources(paths, labels=labels)
    comparison = compare(docs)
    unit = {}
    for doc, path in zip(docs, paths, strict=True):
        key = block_key(Path(path).name)
        for p in doc.paragraphs:
            unit[key(doc, p.start)] = p.id
    return comparison, unit


def test_changed_facts_are_flagged_in_the_right_paragraphs() -> None:
    c, unit = _demo()
    for fact in GOLD["altered_facts"]:
        pid = unit[fact["b"]]
        text = c.paragraph(pid).text
        at = text.index(fact["b_words"])
        span = next(s for s in c.spans[pid] if s.start <= at < s.end)
        assert span.status == "altered", fact
        assert fact["what"] in span.flags, (fact, span)
        # The counterpart is the original or a copy of it carrying the original words.
        assert span.counterpart is not None
        linked = {link.b for link in c.links if link.a == pid} | {
            link.a for link in c.links if link.b == pid
        }
        assert unit[fact["a"]] in linked and span.counterpart in linked
        assert fact["a_words"] in c.paragraph(span.counterpart).text


def test_moved_background_paragraph_is_linked_as_a_move() -> None:
    c, unit = _demo()
    moved = {frozenset((link.a, link.b)) for link in c.links if link.moved}
    for a, b in GOLD["moved"]:
        assert frozenset((unit[a], unit[b])) in moved


def test_every_kind_of_divergence_occurs() -> None:
    c, _ = _demo()
    assert {d.type for d in c.divergences} == {"unique", "altered", "omitted", "moved", "quote"}
    rows = [r.id for r in c.rows]
    order = [rows.index(d.row) for d in c.divergences]
    assert order == sorted(order)


def test_boilerplate_of_the_scraped_copy_is_set_aside_with_reasons() -> None:
    c, unit = _demo()
    scraped = c.documents[4]
    assert len(scraped.set_aside) >= 6
    assert all(s.reason for s in scraped.set_aside)
    kept = set(unit)
    assert not kept & set(GOLD["noise"])
