"""Where each version came from: the pairwise shares and the derivation judgement."""

from __future__ import annotations

import dataclasses
import json
from functools import cache
from pathlib import Path

import pytest

from storylens.core.compare import compare
from storylens.core.derivation import COPY, INDEPENDENT, Derivation, Relation, derivation
from storylens.core.load import load_sources
from storylens.core.model import Comparison, Document, SetAside
from storylens.core.summary import document_shares
from storylens.demo import demo_sources

from ..conftest import DATA, make_doc

STORY = DATA / "stories" / "derivation"
GOLD = json.loads((STORY / "gold.json").read_text(encoding="utf-8"))

LIBRARY = (
    "# Council votes to close the Mersey Street library",
    "The city council voted nine to four on Monday night to close the Mersey Street library "
    "in June, ending 112 years of lending on the site.",
    "Councillor Ruth Abernethy said the building needed repairs costing 2.3 million pounds "
    "that the city could not afford this year.",
    "Campaigners collected 6,000 signatures in three weeks and promised to challenge the "
    "decision in the high court.",
    "The library's collection of local maps and parish records will move to the central "
    "archive on Dale Road.",
)
STORM = (
    "# Storm brings down power lines across the northern valleys",
    "High winds tore through the northern valleys overnight, bringing down power lines and "
    "leaving 14,000 homes without electricity.",
    "Engineers from Fellside Power worked through the night, and the company expects most "
    "supplies to return by Thursday evening.",
    "The ferry between Orrin and Skelly Point was cancelled for a second day as waves topped "
    "four metres in the sound.",
)


def _derive(*docs: Document) -> Derivation:
    return derivation(compare(docs))


def _chars(*paragraphs: str) -> int:
    return sum(len(p[2:] if p.startswith("# ") else p) for p in paragraphs)


# --------------------------------------------------------------------------- share arithmetic


def test_identical_documents_share_everything_both_ways() -> None:
    d = _derive(make_doc(0, *LIBRARY), make_doc(1, *LIBRARY))
    assert d.docs == ("d0", "d1")
    assert d.shared == {("d0", "d1"): 1.0, ("d1", "d0"): 1.0}
    assert d.altered == {("d0", "d1"): 0.0, ("d1", "d0"): 0.0}
    # Same text: the later-listed one is taken as the copy, and the finding says so.
    assert d.relations == [Relation("near-copy", "d1", ("d0",), 1.0)]
    assert "the same text" in d.findings[0]


def test_disjoint_documents_share_nothing_and_are_independent() -> None:
    d = _derive(make_doc(0, *LIBRARY, label="Library Post"), make_doc(1, *STORM))
    assert d.share("d0", "d1") == d.share("d1", "d0") == 0.0
    assert {r.doc for r in d.relations if r.kind == "independent"} == {"d0", "d1"}
    assert all(r.sources == () for r in d.relations)
    assert any(f.startswith("Library Post is independent") for f in d.findings)


def test_a_subset_is_asymmetric() -> None:
    whole = make_doc(0, *LIBRARY)
    part = make_doc(1, LIBRARY[1])
    d = _derive(whole, part)
    assert d.shared["d1", "d0"] == 1.0
    # Exactly the lifted paragraph's share of the whole (the heading counts as text).
    assert d.shared["d0", "d1"] == pytest.approx(_chars(LIBRARY[1]) / _chars(*LIBRARY))
    assert d.altered["d0", "d1"] == d.altered["d1", "d0"] == 0.0
    assert d.relations == [Relation("subset", "d1", ("d0",), 1.0)]


def test_a_reworded_sentence_counts_as_altered_the_rest_as_shared() -> None:
    changed = LIBRARY[2].replace("needed repairs costing", "required work worth")
    d = _derive(make_doc(0, *LIBRARY), make_doc(1, *LIBRARY[:2], changed, *LIBRARY[3:]))
    total = _chars(*LIBRARY)
    assert d.altered["d0", "d1"] == pytest.approx(len(LIBRARY[2]) / total)
    assert d.shared["d0", "d1"] == pytest.approx(1 - len(LIBRARY[2]) / total)
    assert d.share("d0", "d1") == pytest.approx(1.0)


def test_set_aside_text_is_not_counted() -> None:
    plain = make_doc(1, LIBRARY[1])
    boxed = dataclasses.replace(
        plain, set_aside=(SetAside("Advertisement. Subscribe today for 1 pound.", "ad marker"),)
    )
    whole = make_doc(0, *LIBRARY)
    assert _derive(whole, boxed).shared == _derive(whole, plain).shared


def test_every_ordered_pair_has_a_share_and_no_document_is_paired_with_itself() -> None:
    d = _derive(make_doc(0, *LIBRARY), make_doc(1, *STORM), make_doc(2, *LIBRARY[:3]))
    pairs = {(a, b) for a in d.docs for b in d.docs if a != b}
    assert set(d.shared) == set(d.altered) == pairs
    assert all(0.0 <= d.share(a, b) <= 1.0 + 1e-9 for a, b in pairs)


def test_two_outlets_match_the_engine_spans() -> None:
    """With one other outlet, the shares are the comparison's own span shares."""
    paths = sorted(STORY.glob("0*.txt"))
    for pair in ((paths[0], paths[1]), (paths[0], paths[2]), (paths[3], paths[4])):
        comparison = compare(load_sources([str(p) for p in pair]))
        d = derivation(comparison)
        spans = document_shares(comparison)
        for a, b in (("d0", "d1"), ("d1", "d0")):
            assert d.shared[a, b] == pytest.approx(spans[a]["shared"]), pair
            assert d.altered[a, b] == pytest.approx(spans[a]["altered"]), pair


def test_a_splice_of_two_unrelated_stories() -> None:
    mixed = make_doc(2, LIBRARY[0], LIBRARY[1], LIBRARY[2], STORM[1], STORM[3], label="Mix")
    d = _derive(make_doc(0, *LIBRARY, label="Lib"), make_doc(1, *STORM, label="Storm"), mixed)
    splice = next(r for r in d.relations if r.kind == "splice")
    assert splice.doc == "d2"
    assert splice.sources == ("d0", "d1")  # the larger contributor first
    assert splice.share == pytest.approx(1.0)
    assert d.findings[0].startswith("Mix combines Lib (")
    # Being borrowed from by a splice does not stop a version being independent.
    assert {r.doc for r in d.relations if r.kind == "independent"} == {"d0", "d1"}


# --------------------------------------------------------------------------- the labelled story


@cache
def _story() -> tuple[Comparison, Derivation, dict[str, str]]:
    """The derivation story compared, and file name → document id."""
    files = sorted(GOLD["labels"])
    documents = load_sources(
        [str(STORY / f) for f in files], labels=[GOLD["labels"][f] for f in files]
    )
    comparison = compare(documents)
    return comparison, derivation(comparison), {f: f"d{k}" for k, f in enumerate(files)}


def test_story_relations_match_the_gold() -> None:
    _, d, doc = _story()
    found = {(r.kind, r.doc, frozenset(r.sources)) for r in d.relations}
    expected = {
        (g["kind"], doc[g["doc"]], frozenset(doc[s] for s in g["sources"]))
        for g in GOLD["relations"]
    }
    assert found == expected
    # One relation per version at most; the wire, the common source, has none.
    assert len({r.doc for r in d.relations}) == len(d.relations)
    assert {doc[f] for f in GOLD["sources"]}.isdisjoint(r.doc for r in d.relations)


def test_story_copies_are_told_apart_by_wording() -> None:
    _, d, doc = _story()
    wire, herald, digest = doc["01-wire.txt"], doc["02-herald.txt"], doc["03-digest.txt"]
    assert d.shared[herald, wire] > 0.95
    assert d.share(digest, wire) >= COPY
    assert d.altered[digest, wire] > 0.9 > 0.05 > d.shared[digest, wire]
    # The wire keeps a paragraph each copy dropped: each copy sits more fully in it.
    assert d.share(herald, wire) > d.share(wire, herald)
    assert d.share(digest, wire) > d.share(wire, digest)


def test_story_independent_report_shares_little_except_with_its_splice() -> None:
    _, d, doc = _story()
    chronicle, roundup = doc["04-chronicle.txt"], doc["05-roundup.txt"]
    others = [x for x in d.docs if x not in (chronicle, roundup)]
    assert all(d.share(chronicle, x) < INDEPENDENT for x in others)
    assert d.share(chronicle, roundup) > INDEPENDENT  # the splice borrows from it


def test_story_findings_name_the_outlets_most_telling_first() -> None:
    _, d, _ = _story()
    assert len(d.findings) == len(d.relations) + 1
    assert d.findings[0].startswith("Kelderby Herald is a near-copy of Norlink Press: 100%")
    assert "mostly word for word" in d.findings[0]
    assert d.findings[1].startswith("Valley Digest is a rewrite of Norlink Press")
    assert "mostly reworded" in d.findings[1]
    assert d.findings[2].startswith("Regional Roundup combines Upland Chronicle (")
    assert "and Norlink Press (" in d.findings[2]
    assert d.findings[3].startswith("Upland Chronicle is independent")
    assert d.findings[4].startswith("Norlink Press is a source: Kelderby Herald (a near-copy)")


# --------------------------------------------------------------------------- demo and real story


def test_demo_derivation() -> None:
    paths, labels = demo_sources()
    comparison = compare(load_sources(paths, labels=labels))
    d = derivation(comparison)
    ids = {doc.label: doc.id for doc in comparison.documents}
    wire, mirror = ids["Keystone Wire"], ids["NewsMirror24"]
    kind = {r.doc: (r.kind, r.sources) for r in d.relations}
    # The scraper site carries the wire word for word, and the wire it.
    assert min(d.shared[wire, mirror], d.shared[mirror, wire]) > 0.95
    assert kind[mirror] == ("near-copy", (wire,))
    assert kind[ids["The National Ledger"]] == ("rewrite", (wire,))
    # The Observer's own reporting: about a quarter of it (background) is found
    # elsewhere, reworded; it derives from no one.
    observer = ids["Estuary Observer"]
    assert all(d.share(observer, x) < 0.3 for x in d.docs if x != observer)
    assert kind.get(observer, ("independent", ()))[0] == "independent"


def test_real_story_derivation(corpus: Path) -> None:
    comparison = compare(load_sources([str(p) for p in sorted(corpus.glob("*.txt"))]))
    d = derivation(comparison)
    # 002 re-translates CNN's report (003): all of it, reworded.
    assert Relation("rewrite", "d2", ("d3",), d.share("d2", "d3")) in d.relations
    assert d.share("d2", "d3") > 0.95
    assert len(d.findings) == len(comparison.documents)


# --------------------------------------------------------------------------- how it is worked out


def test_a_sentence_without_words_counts_only_with_its_paragraph_carried_whole() -> None:
    changed = LIBRARY[2].replace("needed repairs costing", "required work worth")
    plain = make_doc(0, *LIBRARY)
    dotted = make_doc(1, *LIBRARY[:2], "... " + LIBRARY[2], *LIBRARY[3:])
    reworded = make_doc(2, *LIBRARY[:2], "... " + changed, *LIBRARY[3:])
    d = _derive(plain, dotted, reworded)
    # The plain paragraph has every word of the dotted one: all of it is carried.
    assert d.share("d1", "d0") == pytest.approx(1.0)
    # The reworded one is carried sentence by sentence, and "... " has no words.
    total = _chars(*LIBRARY) + len("... ") + len(changed) - len(LIBRARY[2])
    assert d.share("d2", "d0") == pytest.approx(1 - len("... ") / total)
    assert d.altered["d2", "d0"] == pytest.approx(len(changed) / total)


def _outlets(n: int) -> list[Document]:
    """*n* outlets retelling both stories, each with its own rewordings, one paragraph
    split in two by some, and a few sentences of their own."""
    swaps = [
        ("voted", "decided"),
        ("close", "shut"),
        ("needed repairs", "required repairs"),
        ("collected", "gathered"),
        ("promised", "vowed"),
        ("tore through", "swept across"),
        ("worked through the night", "worked overnight"),
        ("cancelled", "called off"),
    ]
    body = [
        LIBRARY[1] + " " + LIBRARY[2],
        LIBRARY[3] + " " + LIBRARY[4],
        STORM[1] + " " + STORM[2],
        STORM[3],
    ]
    docs = []
    for k in range(n):
        paragraphs = []
        for i, text in enumerate(body):
            for s, (old, new) in enumerate(swaps):
                if (k >> (s % 4)) & 1 and (i + s + k) % 3:
                    text = text.replace(old, new)
            if k % 5 == 2 and i in (0, 3):
                text += f" Outlet {k} adds a line of its own about the weather."
            if k % 4 == 1 and i == 0:
                paragraphs += text.split(". ", 1)  # one paragraph made two
                continue
            paragraphs.append(text)
        docs.append(make_doc(k, LIBRARY[0], *paragraphs, label=f"Outlet {k}"))
    return docs


def test_many_outlets_as_a_table_or_pair_by_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    """Large clusters are worked out at once (numpy), with the same result."""
    from storylens.core import derivation as module

    comparison = compare(_outlets(16))
    assert max(len(c) for c in module._clusters(comparison.links)) >= 14
    at_once = derivation(comparison)
    monkeypatch.setattr(module, "TABLE_FROM", 10**9)
    assert derivation(comparison) == at_once
    assert sum(r.kind == "near-copy" for r in at_once.relations) >= 8


@pytest.mark.parametrize("table_from", [0, 10**9])
def test_the_story_as_a_table_or_pair_by_pair(
    monkeypatch: pytest.MonkeyPatch, table_from: int
) -> None:
    from storylens.core import derivation as module

    comparison, expected, _ = _story()
    monkeypatch.setattr(module, "TABLE_FROM", table_from)
    assert derivation(comparison) == expected
