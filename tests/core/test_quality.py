"""Alignment quality against hand labels (the bar: F1 >= 0.85, link precision >= 0.85,
>= 75% of noise set aside, >= 98% of body kept)."""

from __future__ import annotations

import json
from pathlib import Path

from storylens.core.compare import compare
from storylens.core.evaluation import Quality, block_key, line_key, measure
from storylens.core.load import load_sources
from storylens.demo import demo_sources

from ..conftest import DATA


def _assert_bar(q: Quality, *, f1: float = 0.85) -> None:
    assert q.f1 >= f1, q
    assert q.link_precision >= 0.85, q
    assert q.noise_set_aside >= 0.75, q
    assert q.body_kept >= 0.98, q


def demo_quality() -> Quality:
    """Quality of the bundled demo story against its hand labels."""
    paths, labels = demo_sources()
    docs = load_sources(paths, labels=labels)
    gold = json.loads((DATA / "demo_gold.json").read_text(encoding="utf-8"))
    return measure(
        compare(docs),
        gold,
        {d.id: block_key(Path(p).name) for d, p in zip(docs, paths, strict=True)},
    )


def harbour_quality() -> Quality:
    """Quality of the small harbour story (exact copy, paraphrase, split, move)."""
    folder = DATA / "stories" / "harbour"
    paths = sorted(str(p) for p in folder.glob("*.txt"))
    docs = load_sources(paths)
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    return measure(
        compare(docs),
        gold,
        {d.id: block_key(Path(p).name) for d, p in zip(docs, paths, strict=True)},
    )


def corpus_quality(corpus: Path) -> Quality:
    """Quality on the five real versions, against hand labels by line number."""
    gold = json.loads((DATA / "venezuela_gold.json").read_text(encoding="utf-8"))
    prefixes = sorted(gold["files"])
    paths = [str(corpus / gold["files"][p]) for p in prefixes]
    docs = load_sources(paths)
    return measure(
        compare(docs), gold, {d.id: line_key(p) for d, p in zip(docs, prefixes, strict=True)}
    )


def test_demo_story_meets_the_bar() -> None:
    _assert_bar(demo_quality(), f1=0.9)


def test_harbour_story_meets_the_bar() -> None:
    q = harbour_quality()
    _assert_bar(q, f1=0.9)
    assert q.unique_unlinked == 1.0


def test_real_five_outlet_story_meets_the_bar(corpus: Path) -> None:
    _assert_bar(corpus_quality(corpus))
