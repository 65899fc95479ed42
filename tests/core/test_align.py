"""Paragraph alignment: rows, links, moves, splits, merges, order."""

from __future__ import annotations

import random

from storylens.core.compare import compare
from storylens.core.model import Comparison

from ..conftest import make_doc

P = [
    "The harbour board of Lowmere voted on Tuesday to close the old ferry pier after engineers "
    "found cracks in three of its concrete pylons.",
    "Chair Imogen Tate said the vote was unanimous and that repairs would cost at least "
    "4.2 million pounds, money the board does not have.",
    "Ferry services will move to the northern quay from March, adding about ten minutes to "
    "the crossing for most passengers.",
    "Local traders warned that the closure would cut footfall in the old town, where the pier "
    "has anchored the market since 1911.",
    "The board will publish the engineers' full report next week, a spokesman for the "
    "harbour authority confirmed.",
]


def _check_rows(c: Comparison) -> None:
    """Every paragraph in exactly one row; each document's order kept across rows."""
    for doc in c.documents:
        seen = [pid for row in c.rows for pid in row.cells.get(doc.id, ())]
        assert seen == [p.id for p in doc.paragraphs]


def _cluster_of(c: Comparison, pid: str) -> set[str]:
    out = {pid}
    grew = True
    while grew:
        grew = False
        for link in c.links:
            if (link.a in out) != (link.b in out):
                out |= {link.a, link.b}
                grew = True
    return out


def test_identical_documents_align_row_by_row_and_are_shared() -> None:
    c = compare([make_doc(0, *P), make_doc(1, *P)])
    _check_rows(c)
    assert len(c.rows) == len(P)
    assert all(set(row.cells) == {"d0", "d1"} for row in c.rows)
    assert len(c.links) == len(P)
    assert all(
        link.status == "shared" and link.similarity == 1.0 and not link.moved for link in c.links
    )
    assert all(s.status == "shared" for spans in c.spans.values() for s in spans)
    assert c.divergences == ()


def test_unique_paragraph_stays_unlinked_and_is_a_divergence() -> None:
    extra = (
        "A petition against the closure, started by the rowing club, had gathered 900 "
        "signatures by Wednesday evening."
    )
    c = compare([make_doc(0, *P), make_doc(1, P[0], P[1], extra, *P[2:])])
    _check_rows(c)
    pid = "d1.p2"
    assert all(pid not in (link.a, link.b) for link in c.links)
    assert [s.status for s in c.spans[pid]] == ["unique"]
    kinds = {(d.type, d.paragraphs) for d in c.divergences}
    assert ("unique", (pid,)) in kinds
    omitted = [d for d in c.divergences if d.type == "omitted"]
    assert omitted == []  # the unique paragraph is carried by one outlet only


def test_moved_paragraph_is_linked_both_ways_and_marked() -> None:
    b = [P[3], P[0], P[1], P[2], P[4]]
    c = compare([make_doc(0, *P), make_doc(1, *b)])
    _check_rows(c)
    moved = [link for link in c.links if link.moved]
    assert len(moved) == 1
    assert {moved[0].a, moved[0].b} == {"d0.p3", "d1.p0"}
    moves = [d for d in c.divergences if d.type == "moved"]
    assert {d.paragraphs for d in moves} == {("d0.p3",), ("d1.p0",)}
    assert any(d.counterparts == ("d1.p0",) for d in moves)


def test_split_paragraph_lands_in_one_row_with_both_halves() -> None:
    first, second = P[1].split(" and that ")
    b = [P[0], first + ".", "She added that " + second, *P[2:]]
    c = compare([make_doc(0, *P), make_doc(1, *b)])
    _check_rows(c)
    row = next(r for r in c.rows if "d0.p1" in r.cells.get("d0", ()))
    assert row.cells["d1"] == ("d1.p1", "d1.p2")
    assert _cluster_of(c, "d0.p1") == {"d0.p1", "d1.p1", "d1.p2"}


def test_merged_paragraph_joins_the_rows_it_covers() -> None:
    b = [P[0], P[1] + " " + P[2], *P[3:]]
    c = compare([make_doc(0, *P), make_doc(1, *b)])
    _check_rows(c)
    row = next(r for r in c.rows if "d1.p1" in r.cells.get("d1", ()))
    assert row.cells["d0"] == ("d0.p1", "d0.p2")


def test_paraphrase_keeping_names_and_numbers_is_linked() -> None:
    para = (
        "Engineers found cracks in three concrete pylons, and so the Lowmere harbour board "
        "decided on Tuesday to shut the old ferry pier."
    )
    c = compare([make_doc(0, *P), make_doc(1, para, *P[1:])])
    assert any(
        {link.a, link.b} == {"d0.p0", "d1.p0"} and link.status == "altered" for link in c.links
    )


def test_short_paragraph_that_is_one_sentence_of_a_longer_one_is_linked() -> None:
    long = P[1] + " " + P[4]
    c = compare([make_doc(0, P[0], long, P[2]), make_doc(1, P[0], P[4], P[2], P[3])])
    assert any({link.a, link.b} == {"d0.p1", "d1.p1"} for link in c.links)


def test_headings_align_with_headings_only() -> None:
    c = compare(
        [
            make_doc(0, "# Ferry pier to close", *P[:2]),
            make_doc(1, "# Old ferry pier will close", *P[:2]),
        ]
    )
    assert any({link.a, link.b} == {"d0.p0", "d1.p0"} for link in c.links)
    assert all(
        not ({link.a, link.b} & {"d0.p0"}) or "d1.p0" in (link.a, link.b) for link in c.links
    )


def _signature(c: Comparison) -> set[frozenset[str]]:
    """Clusters named by paragraph text: independent of document ids and order."""
    text = {p.id: p.text for d in c.documents for p in d.paragraphs}
    return {frozenset(text[m] for m in _cluster_of(c, link.a)) for link in c.links}


def test_result_does_not_depend_on_source_order() -> None:
    rng = random.Random(7)
    versions = [P, [P[0], P[2], P[1], P[4]], [P[4], P[0], P[1], P[3]]]
    baseline = _signature(compare([make_doc(k, *v) for k, v in enumerate(versions)]))
    for _ in range(4):
        rng.shuffle(versions)
        shuffled = compare([make_doc(k, *v) for k, v in enumerate(versions)])
        _check_rows(shuffled)
        assert _signature(shuffled) == baseline


def test_fifty_documents_align() -> None:
    rng = random.Random(3)
    docs = []
    for k in range(50):
        paras = list(P)
        if k % 3 == 0:
            paras.pop(rng.randrange(len(paras)))
        if k % 5 == 0:
            i, j = rng.sample(range(len(paras)), 2)
            paras[i], paras[j] = paras[j], paras[i]
        docs.append(make_doc(k, *paras))
    c = compare(docs)
    _check_rows(c)
    # Every paragraph of every version is linked to its copies in the others.
    assert len(_cluster_of(c, "d1.p0")) == sum(
        1 for d in c.documents for p in d.paragraphs if p.text == P[0]
    )
    assert all(link.a.split(".")[0] != link.b.split(".")[0] for link in c.links)


def test_a_wording_repeated_thousands_of_times_costs_linear_work(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A filler line carried 3,000 times: each copy looks at a bounded number of others."""
    from storylens.core import align

    calls = 0
    real = align.Cluster.live

    def counting(self: align.Cluster) -> align.Cluster:
        nonlocal calls
        calls += 1
        return real(self)

    monkeypatch.setattr(align.Cluster, "live", counting)
    copies = 3000
    filler = "Subscribe to the Lowmere Ledger for more harbour news every morning."
    a = make_doc(0, P[0], *[filler] * copies, P[1])
    b = make_doc(1, P[0], filler, P[1])
    c = compare([a, b])
    # Quadratic would be ~copies**2 = 9,000,000 calls.
    assert calls < copies * align.COPIES_SCANNED * 3
    # The one copy in b is linked to a's first copies (the rest are a's own).
    linked = [x for x in c.links if "d1.p1" in (x.a, x.b)]
    assert linked and {x.a for x in linked} <= {"d0.p1", "d0.p2"}
    assert all(x.status == "shared" for x in linked)
    assert c.spans["d0.p0"][0].status == "shared" and c.spans["d0.p3001"][0].status == "shared"
    _check_rows(c)
