"""The result does not depend on the order the sources were given in.

Comparing the same documents in another order must give the same comparison up
to the documents' ids, labels and column order: the same rows in the same
reading order, the same links, spans, divergences, entities and quotes, once
every document and paragraph id is mapped through the permutation.

:func:`canonical` turns a comparison into plain data in which every id is
replaced by the position of its document in a *reference* order (and its
paragraph's index), looked up from the comparison's own Document and Paragraph
objects, never parsed out of strings; things whose order is the documents'
order (a row's cells, a link's two ends, a quote's variants, an entity's
counts…) are sorted by that key; everything else keeps its order, so the lists
(rows, links, divergences, entities, quotes) must come in the same order too.

Documents with the same content cannot be told apart, so swapping them is not a
change: two results that differ only by such a swap are equal (see
:func:`_automorphisms`).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storylens.core.compare import compare, reading_order
from storylens.core.load import load_sources
from storylens.core.model import Comparison, Document, QuoteVariant, Span
from storylens.demo import demo_sources

from ..conftest import make_doc
from .test_engine_invariants import DOCUMENT, PARAGRAPH, SENTENCE, SETTINGS, WORDS

ParaKey = tuple[int, int]
"""A paragraph as (its document's position in the reference order, its index)."""


@dataclass(frozen=True)
class Canonical:
    """A comparison as plain data keyed by reference positions (see :func:`canonical`)."""

    rows: tuple[tuple[tuple[int, tuple[ParaKey, ...]], ...], ...]
    links: tuple[tuple[Any, ...], ...]
    spans: tuple[tuple[ParaKey, tuple[Any, ...]], ...]
    divergences: tuple[tuple[Any, ...], ...]
    entities: tuple[tuple[Any, ...], ...]
    quotes: tuple[tuple[Any, ...], ...]


def canonical(c: Comparison, to_ref: Sequence[int]) -> Canonical:
    """*c* with ids mapped to reference positions: ``to_ref[j]`` is where ``c.documents[j]``
    sits in the reference order."""
    doc_key: dict[str, int] = {doc.id: to_ref[j] for j, doc in enumerate(c.documents)}
    para_key: dict[str, ParaKey] = {
        p.id: (to_ref[j], p.index) for j, doc in enumerate(c.documents) for p in doc.paragraphs
    }
    row_index = {row.id: k for k, row in enumerate(c.rows)}

    def pk(pid: str) -> ParaKey:
        return para_key[pid]

    def span(s: Span) -> tuple[Any, ...]:
        counterpart = None if s.counterpart is None else pk(s.counterpart)
        return (s.start, s.end, s.status, counterpart, s.counterpart_range, s.changes, s.flags)

    def variant(v: QuoteVariant) -> tuple[Any, ...]:
        return (
            pk(v.paragraph),
            v.start,
            v.end,
            doc_key[v.doc],
            v.text,
            v.speaker,
            v.continued,
            v.runs_on,
        )

    rows = tuple(
        tuple(
            sorted((doc_key[did], tuple(map(pk, pids))) for did, pids in row.cells.items() if pids)
        )
        for row in c.rows
    )
    # A link's two ends in the reference order (which end is ``a`` follows the caller's).
    links = tuple(
        (*sorted((pk(link.a), pk(link.b))), link.status, link.similarity, link.moved)
        for link in c.links
    )
    spans = tuple(sorted((pk(pid), tuple(map(span, spans))) for pid, spans in c.spans.items()))
    divergences = tuple(
        (
            d.type,
            row_index[d.row],
            tuple(sorted(map(pk, d.paragraphs))),
            tuple(sorted((pk(pid), start, end) for pid, start, end in d.spans)),
            d.flags,
            tuple(sorted(doc_key[did] for did in d.missing)),
            tuple(sorted(map(pk, d.counterparts))),
            d.quote,
        )
        for d in c.divergences
    )
    entities = tuple(
        (
            e.name,
            e.kind,
            e.aliases,
            tuple(sorted((doc_key[did], n) for did, n in e.mentions.items())),
        )
        for e in c.entities
    )
    quotes = tuple(
        (
            q.id,
            q.speaker,
            q.status,
            q.speakers_differ,
            q.partial,
            q.continued,
            tuple(sorted(map(variant, q.variants), key=lambda v: v[:3])),
        )
        for q in c.quotes
    )
    return Canonical(rows, links, spans, divergences, entities, quotes)


def _content(doc: Document) -> tuple[Any, ...]:
    """What a document says, without its id, label or source."""
    paragraphs = tuple((p.kind, p.text, p.start, p.end) for p in doc.paragraphs)
    return (doc.text, doc.title, paragraphs)


def _automorphisms(documents: Sequence[Document]) -> Iterator[list[int]]:
    """Every renumbering of *documents* that swaps only documents with the same content."""
    groups: dict[tuple[Any, ...], list[int]] = {}
    for k, doc in enumerate(documents):
        groups.setdefault(_content(doc), []).append(k)
    classes = list(groups.values())
    for arrangement in itertools.product(*(itertools.permutations(g) for g in classes)):
        sigma = list(range(len(documents)))
        for group, image in zip(classes, arrangement, strict=True):
            for k, v in zip(group, image, strict=True):
                sigma[k] = v
        yield sigma


def _in_caller_order(c: Comparison) -> None:
    """Within one item, documents come in the order they were given."""
    position = {doc.id: k for k, doc in enumerate(c.documents)}
    para = {p.id: (k, p.index) for k, doc in enumerate(c.documents) for p in doc.paragraphs}
    for row in c.rows:
        columns = [position[did] for did in row.cells]
        assert columns == sorted(columns)
    for link in c.links:
        assert para[link.a] < para[link.b]
    assert list(c.spans) == sorted(c.spans, key=para.__getitem__)
    for d in c.divergences:
        assert list(d.paragraphs) == sorted(d.paragraphs, key=para.__getitem__)
        assert list(d.missing) == sorted(d.missing, key=position.__getitem__)
        assert list(d.counterparts) == sorted(d.counterparts, key=para.__getitem__)
        assert list(d.spans) == sorted(d.spans, key=lambda s: (para[s[0]], s[1]))
    for e in c.entities:
        assert list(e.mentions) == [doc.id for doc in c.documents]
    for q in c.quotes:
        keys = [(para[v.paragraph], v.start) for v in q.variants]
        assert keys == sorted(keys)


def assert_same_up_to_order(
    reference: Comparison, permuted: Comparison, perm: Sequence[int]
) -> None:
    """*permuted* compared the documents of *reference* given in the order *perm*
    (``permuted.documents[j]`` is ``reference.documents[perm[j]]`` renumbered)."""
    _in_caller_order(reference)
    _in_caller_order(permuted)
    want = canonical(reference, range(len(reference.documents)))
    tried: list[Canonical] = []
    for sigma in _automorphisms(reference.documents):
        got = canonical(permuted, [sigma[p] for p in perm])
        if got == want:
            return
        tried.append(got)
    # Report the first difference against the plain mapping, field by field.
    got = tried[0]
    for name in Canonical.__dataclass_fields__:
        assert getattr(got, name) == getattr(want, name), name


def _permutations(n: int) -> list[list[int]]:
    """Reverse, rotate by one, and one shuffle with a fixed seed."""
    shuffled = list(range(n))
    random.Random(2018).shuffle(shuffled)
    return [list(reversed(range(n))), [*range(1, n), 0], shuffled]


# --------------------------------------------------------------------------- generated


SPEAKER = st.sampled_from(
    ["Tate", "Mayor Tate", "Ann Tate", "Mayor Ann Tate", "the mayor", "a council official", "she"]
)
QUOTED = st.builds(
    lambda words, speaker, open_: (
        f'"{words}," {speaker} said.' if open_ else f'{speaker} said "{words}."'
    ),
    st.lists(WORDS, min_size=1, max_size=8).map(" ".join),
    SPEAKER,
    st.booleans(),
)
"""A paragraph quoting someone: names and quotes for entities and quotes to find."""
STORY_PARAGRAPH = st.one_of(PARAGRAPH, QUOTED, st.builds("# {}".format, SENTENCE))


def _reworded(paragraph: str, at: int, word: str) -> str:
    """*paragraph* with its word number *at* (if it has one) replaced by *word*."""
    words = paragraph.split(" ")
    if at < len(words):
        words[at] = word
    return " ".join(words)


@st.composite
def _stories(draw: st.DrawFn) -> list[list[str]]:
    """Several outlets' versions of one story: paragraphs from a shared pool, some
    reworded, in their own order, a few of their own; sometimes one version twice."""
    pool = draw(st.lists(STORY_PARAGRAPH, min_size=1, max_size=6))
    taken = st.sampled_from(pool)
    reworded = st.builds(_reworded, taken, st.integers(0, 6), WORDS)
    version = st.lists(st.one_of(taken, taken, reworded, STORY_PARAGRAPH), min_size=1, max_size=7)
    docs = draw(st.lists(version, min_size=1, max_size=4))
    if len(docs) == 1 or draw(st.booleans()):
        docs.append(list(draw(st.sampled_from(docs))))
    if draw(st.booleans()):  # the same paragraphs in another order: the same weight
        docs.append(draw(st.permutations(draw(st.sampled_from(docs)))))
    return docs


def _check_generated(texts: list[list[str]], data: st.DataObject) -> None:
    perm = data.draw(st.permutations(range(len(texts))), label="order")
    reference = compare([make_doc(k, *paras) for k, paras in enumerate(texts)])
    permuted = compare([make_doc(j, *texts[p]) for j, p in enumerate(perm)])
    assert_same_up_to_order(reference, permuted, perm)


@settings(SETTINGS, max_examples=150)  # about 10 ms an example: cheap, and ties are rare
@given(_stories(), st.data())
def test_generated_stories_do_not_depend_on_order(
    texts: list[list[str]], data: st.DataObject
) -> None:
    _check_generated(texts, data)


@SETTINGS
@given(st.lists(DOCUMENT, min_size=2, max_size=4), st.data())
def test_unrelated_documents_do_not_depend_on_order(
    texts: list[list[str]], data: st.DataObject
) -> None:
    _check_generated(texts, data)


def test_the_same_document_twice_is_symmetric() -> None:
    paras = [
        "# Harbour closed",
        "The harbour board closed the pier on Tuesday, Mayor Ann Tate said.",
        '"It is not safe," she said. "We will not reopen it."',
        "Engineers found cracks in 12 pylons.",
        "Engineers found cracks in 12 pylons.",
    ]
    c = compare([make_doc(0, *paras), make_doc(1, *paras)])
    # Swapping the two is the same comparison: each points at the other.
    assert canonical(c, [1, 0]) == canonical(c, [0, 1])
    assert all(s.status == "shared" for spans in c.spans.values() for s in spans)


# --------------------------------------------------------------------------- real files


@cache
def _load(paths: tuple[str, ...], labels: tuple[str, ...]) -> Comparison:
    return compare(load_sources(list(paths), labels=list(labels)))


def _check_files(paths: Sequence[str], labels: Sequence[str]) -> None:
    reference = _load(tuple(paths), tuple(labels))
    for perm in _permutations(len(paths)):
        permuted = _load(
            tuple(paths[p] for p in perm), tuple(labels[p] for p in perm) if labels else ()
        )
        assert_same_up_to_order(reference, permuted, perm)


def test_demo_story_does_not_depend_on_order() -> None:
    paths, labels = demo_sources()
    _check_files(paths, labels)


def test_demo_story_with_a_file_given_twice() -> None:
    paths, labels = demo_sources()
    paths = [*paths, paths[1]]
    labels = [*labels, labels[1] + " again"]
    _check_files(paths, labels)


def test_real_story_does_not_depend_on_order(corpus: Path) -> None:
    _check_files(sorted(str(p) for p in corpus.glob("*.txt")), ())


def test_real_story_with_a_file_given_twice(corpus: Path) -> None:
    paths = sorted(str(p) for p in corpus.glob("*.txt"))
    _check_files([*paths, paths[2]], ())


def test_canonical_form_sees_a_changed_link() -> None:
    """The helper itself: a comparison differs from one with a link dropped."""
    c = _load(*map(tuple, demo_sources()))
    assert c.links
    broken = Comparison(
        c.documents, c.rows, c.links[1:], c.spans, c.divergences, c.entities, c.quotes
    )
    ident = range(len(c.documents))
    assert canonical(c, ident) != canonical(broken, ident)
    with pytest.raises(AssertionError):
        assert_same_up_to_order(c, broken, list(ident))


# --------------------------------------------------------------------------- the reading order


def test_reading_order_is_fullest_first_and_ignores_ids() -> None:
    short, long_, other = (
        ["Harbour closed."],
        ["Harbour closed.", "Pier shut on Tuesday."],
        ["Pier."],
    )
    docs = [make_doc(0, *short), make_doc(1, *long_), make_doc(2, *other)]
    assert reading_order(docs) == [1, 0, 2]
    renamed = [make_doc(0, *other), make_doc(1, *short), make_doc(2, *long_)]
    assert reading_order(renamed) == [2, 1, 0]


def test_reading_order_keeps_the_callers_order_only_between_equal_documents() -> None:
    # As long as each other: then by their words; the two copies in the given order.
    docs = [make_doc(0, "Quay."), make_doc(1, "Pier."), make_doc(2, "Pier.")]
    assert reading_order(docs) == [1, 2, 0]


def test_documents_need_distinct_ids() -> None:
    with pytest.raises(ValueError, match="distinct ids"):
        compare([make_doc(0, "Pier."), make_doc(0, "Ferry.")])
