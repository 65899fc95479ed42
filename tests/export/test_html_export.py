"""The HTML report: structure, self-containment, escaping, anchors, links, speed.

These tests parse the page with :mod:`html.parser` (no browser needed);
``test_report_render.py`` draws it with Chromium when one is installed.
"""

from __future__ import annotations

import io
import re
import sys
import time
import types
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from storylens.core.model import Comparison
from storylens.core.sanitize import visible
from storylens.core.summary import document_shares
from storylens.export.html_export import html_report, safe_text, write_html
from tests.export.helpers import (
    HOSTILE_PARAGRAPH,
    SHARED,
    FakeDerivation,
    demo,
    fake_derivation,
    hostile,
    twelve,
)

VOID = {"meta", "input", "col", "br", "img", "link", "hr", "wbr", "source"}


@dataclass
class Node:
    """An element of the parsed page."""

    tag: str
    attrs: dict[str, str]
    parent: Node | None
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self, skip: frozenset[str] = frozenset()) -> str:
        """All text inside, leaving out elements with a class in *skip*."""
        out = []
        for child in self.children:
            if isinstance(child, str):
                out.append(child)
            elif not (child.classes & skip):
                out.append(child.text(skip))
        return "".join(out)

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        return [
            n
            for n in self.walk()
            if (tag is None or n.tag == tag) and (cls is None or cls in n.classes)
        ]


class TreeBuilder(HTMLParser):
    """A small DOM: enough to check structure; fails on unbalanced tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.here = self.root
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.here)
        self.here.children.append(node)
        if tag not in VOID:
            self.here = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.here.children.append(Node(tag, {k: v or "" for k, v in attrs}, self.here))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self.here.tag != tag:
            self.problems.append(f"</{tag}> closes <{self.here.tag}>")
            return
        assert self.here.parent is not None
        self.here = self.here.parent

    def handle_data(self, data: str) -> None:
        self.here.children.append(data)


def parse(page: str) -> Node:
    builder = TreeBuilder()
    builder.feed(page)
    builder.close()
    assert builder.problems == []
    assert builder.here is builder.root, "unclosed elements"
    return builder.root


def by_id(root: Node) -> dict[str, Node]:
    ids: dict[str, Node] = {}
    for node in root.walk():
        if "id" in node.attrs:
            assert node.attrs["id"] not in ids, f"duplicate id {node.attrs['id']}"
            ids[node.attrs["id"]] = node
    return ids


@pytest.fixture(scope="module")
def demo_page() -> str:
    return html_report(demo())


@pytest.fixture(scope="module")
def hostile_page() -> str:
    return html_report(hostile())


def all_pages() -> list[tuple[str, Comparison]]:
    return [("demo", demo()), ("hostile", hostile()), ("twelve", twelve())]


@pytest.mark.parametrize("name", ["demo", "hostile", "twelve"])
def test_the_page_is_well_formed_and_every_paragraph_has_its_anchor(name: str) -> None:
    comparison = dict(all_pages())[name]
    root = parse(html_report(comparison))
    ids = by_id(root)
    for doc in comparison.documents:
        for para in doc.paragraphs:
            assert para.id in ids, para.id
            assert "p" in ids[para.id].classes
    for row in comparison.rows:
        assert ids[row.id].tag == "tr"


@pytest.mark.parametrize("name", ["demo", "hostile", "twelve"])
def test_every_internal_link_points_at_an_existing_anchor(name: str) -> None:
    root = parse(html_report(dict(all_pages())[name]))
    ids = by_id(root)
    hrefs = [n.attrs["href"] for n in root.find_all("a")]
    assert hrefs
    for href in hrefs:
        assert href.startswith("#"), href
        assert href[1:] in ids, href


@pytest.mark.parametrize("name", ["demo", "hostile", "twelve"])
def test_nothing_is_fetched_from_anywhere(name: str) -> None:
    page = html_report(dict(all_pages())[name])
    root = parse(page)
    for node in root.walk():
        for attr, value in node.attrs.items():
            assert not attr.startswith("on"), f"event handler {attr} on <{node.tag}>"
            if attr in ("src", "href", "action", "srcset", "poster", "data", "formaction"):
                assert not re.match(r"\s*(https?:)?//", value, re.I), value
                assert not value.strip().lower().startswith(("javascript:", "data:")), value
    assert not root.find_all("script"), "the page needs no script"
    for tag in ("img", "link", "iframe", "object", "embed", "video", "audio", "base", "form"):
        assert not root.find_all(tag), tag
    style = "".join(n.text() for n in root.find_all("style"))
    assert "url(" not in style and "@import" not in style and "@font-face" not in style
    csp = [
        n for n in root.find_all("meta") if n.attrs.get("http-equiv") == "Content-Security-Policy"
    ]
    assert csp and "default-src 'none'" in csp[0].attrs["content"]


def test_the_grid_has_one_row_per_comparison_row_and_a_column_per_outlet() -> None:
    c = demo()
    root = parse(html_report(c))
    grid = root.find_all("table", "grid")[0]
    body = grid.find_all("tbody")[0]
    rows = [n for n in body.children if isinstance(n, Node)]
    assert len(rows) == len(c.rows)
    gaps = 0
    for row, tr in zip(c.rows, rows, strict=True):
        cells = [n for n in tr.children if isinstance(n, Node)]
        assert cells[0].tag == "th"
        tds = cells[1:]
        assert len(tds) == len(c.documents)
        for doc, td in zip(c.documents, tds, strict=True):
            pids = row.cells.get(doc.id, ())
            if not pids:
                gaps += 1
                assert "gap" in td.classes
                assert "nothing here" in td.text()
            else:
                assert [p.attrs["id"] for p in td.find_all("div", "p")] == list(pids)
    assert gaps > 0
    heads = grid.find_all("thead")[0].find_all("th")
    assert [h.attrs.get("id") for h in heads[1:]] == [f"col-{d.id}" for d in c.documents]


def test_each_paragraph_shows_its_whole_text_once() -> None:
    """Nothing is lost or duplicated: the marked-up text reads back as the source."""
    for comparison in (demo(), hostile()):
        ids = by_id(parse(html_report(comparison)))
        for doc in comparison.documents:
            for para in doc.paragraphs:
                shown = ids[para.id].find_all("span", "t")[0].text(skip=frozenset({"gi"}))
                assert shown == safe_text(para.text), para.id


def test_spans_are_marked_with_glyphs_weight_and_changed_words() -> None:
    c = demo()
    ids = by_id(parse(html_report(c)))
    marked = unique = 0
    for pid, spans in c.spans.items():
        node = ids[pid]
        gutter = node.children[0]
        assert isinstance(gutter, Node) and "g" in gutter.classes
        text = c.paragraph(pid).text
        first = spans[0].status if spans else "shared"
        expected = (
            "#"
            if c.paragraph(pid).kind == "heading"
            else {"shared": "│", "altered": "≈", "unique": "+"}[first]
        )
        assert gutter.text() == expected
        marks = [m.text() for m in node.find_all("mark")]
        changes = [text[a:b] for s in spans for a, b in s.changes if s.status == "altered"]
        assert marks == [safe_text(x) for x in changes]
        marked += len(marks)
        strongs = [s.text() for s in node.find_all("strong", "u")]
        assert strongs == [text[s.start : s.end] for s in spans if s.status == "unique"]
        unique += len(strongs)
    assert marked > 20 and unique > 10


def test_moved_paragraphs_link_to_their_counterparts() -> None:
    c = demo()
    root = parse(html_report(c))
    ids = by_id(root)
    moves = c.moves
    assert moves
    for pid, others in moves.items():
        para = ids[pid]
        assert para.parent is not None
        siblings = [n for n in para.parent.children if isinstance(n, Node)]
        note = siblings[siblings.index(para) + 1]
        assert "moved" in note.classes and "↔" in note.text()
        targets = {a.attrs["href"][1:] for a in note.find_all("a")}
        assert targets == set(others)
        assert all(t in ids for t in targets)


def test_hostile_text_is_shown_as_text(hostile_page: str) -> None:
    root = parse(hostile_page)
    # No markup from a source became markup on the page.
    assert not root.find_all("script") and not root.find_all("img")
    assert [n.text() for n in root.find_all("i") if "label" in n.text()] == []
    assert [n.text() for n in root.find_all("b") if "board" in n.text()] == []
    # It is all there as text, controls made visible.
    text = root.text()
    assert '<script>alert("x")</script>' in text
    assert "[bold red]not red[/]" in text
    assert '<img src="http://evil.example/x.png">' in text
    assert "␛[2J␛]0;title␇" in text and "nul␀" in text and "<U+009B>" in text
    assert "<U+202E>evil<U+202C>" in text
    assert 'Evil "<i>label</i>" onmouseover="alert(1)" [b]x[/b]' in text
    # The raw characters are gone from the file itself.
    for raw in ("\x1b", "\x00", "\x07", "\x9b", "\u202e", "<script"):
        assert raw not in hostile_page
    assert "&lt;script&gt;" in hostile_page


def test_safe_text_agrees_with_the_engines_visible_for_controls() -> None:
    sample = "a\x1b[31mb\x07c\x9bd\x7fe\tf\ng"
    assert safe_text(sample) == visible(sample)
    assert safe_text("plain") == "plain"
    assert safe_text("x\u202ey\u2066z\ud800") == "x<U+202E>y<U+2066>z\ufffd"


def test_the_legend_and_the_palettes_are_there(demo_page: str) -> None:
    ids = by_id(parse(demo_page))
    legend = ids["legend"].text()
    for glyph, word in (("│", "shared"), ("≈", "altered"), ("+", "unique"), ("↔", "moved")):
        assert glyph in legend and word in legend
    assert "nothing here" in legend
    assert "prefers-color-scheme: dark" in demo_page
    for colour in ("#e69f00", "#56b4e9", "#cc79a7"):  # the colour-blind palette
        assert colour in demo_page
    assert ids["cb"].tag == "input" and ids["fold"].tag == "input"


def test_the_summary_gives_shares_divergences_and_set_aside(demo_page: str) -> None:
    c = demo()
    summary = by_id(parse(demo_page))["summary"].text()
    shares = document_shares(c)
    for doc in c.documents:
        s = shares[doc.id]
        assert doc.label in summary
        assert f"{s['shared']:.0%} shared" in summary
        assert f"{s['altered']:.0%} altered" in summary
        assert f"{s['unique']:.0%} unique" in summary
    flat = " ".join(summary.split())
    assert "15 unique passages" in flat or "unique passage" in flat
    for kind in ("unique", "altered", "omitted", "moved", "quote"):
        n = sum(1 for d in c.divergences if d.type == kind)
        assert re.search(rf"\b{n}\b", flat)
    aside = sum(len(d.set_aside) for d in c.documents)
    assert f"{aside} stretches of boilerplate set aside" in flat


def test_entities_and_quotes_tables(demo_page: str) -> None:
    c = demo()
    ids = by_id(parse(demo_page))
    entities = ids["entities"]
    rows = entities.find_all("tbody")[0].find_all("tr")
    assert len(rows) == len(c.entities)
    first = max(c.entities, key=lambda e: sum(e.mentions.values()))
    cells = [n.text() for n in rows[0].children if isinstance(n, Node)]
    assert cells[0] == first.name and cells[1] == first.kind
    assert cells[3 : 3 + len(c.documents)] == [
        str(first.mentions.get(d.id, 0) or "·") for d in c.documents
    ]
    quotes = ids["quotes"]
    assert len(quotes.find_all("tbody")[0].find_all("tr")) == len(c.quotes)
    reworded = [q for q in c.quotes if q.status == "altered"]
    assert reworded
    row = ids[reworded[0].id]
    assert row.find_all("ins") and row.find_all("del")
    assert "won't" in " ".join(n.text() for n in row.find_all("ins"))


def test_divergences_are_listed_in_reading_order_with_links(demo_page: str) -> None:
    c = demo()
    ids = by_id(parse(demo_page))
    rows = ids["divergences"].find_all("tbody")[0].find_all("tr")
    assert len(rows) == len(c.divergences)
    order = {row.id: k for k, row in enumerate(c.rows)}
    for d, tr in zip(c.divergences, rows, strict=True):
        links = [a.attrs["href"] for a in tr.find_all("a")]
        assert f"#{d.row}" in links
        assert f"row {order[d.row] + 1}" in tr.text()


def test_many_outlets_scroll_sideways_with_a_minimum_column_width() -> None:
    page = html_report(twelve())
    root = parse(page)
    grid = root.find_all("table", "grid")[0]
    assert grid.attrs["style"] == "--n:12"
    assert "calc(var(--n) * 18rem" in page
    assert "gridwrap" in grid.parent.classes if grid.parent else False
    assert re.search(r"\.gridwrap \{ overflow: auto;", page)


def test_write_html_writes_utf8_bytes() -> None:
    out = io.BytesIO()
    write_html(hostile(), out)
    data = out.getvalue()
    assert data.startswith(b"<!DOCTYPE html>")
    assert "Evil" in data.decode("utf-8")


def test_the_demo_report_is_fast() -> None:
    c = demo()
    html_report(c)  # imports and the derivation module's first use
    began = time.perf_counter()
    html_report(c)
    assert time.perf_counter() - began < 0.5


def test_the_paragraph_shared_by_all_is_marked_shared(hostile_page: str) -> None:
    ids = by_id(parse(hostile_page))
    c = hostile()
    pid = next(p.id for p in c.documents[0].paragraphs if p.text == SHARED)
    assert "st-shared" in ids[pid].classes
    assert HOSTILE_PARAGRAPH[:10] in parse(hostile_page).text()


# -- where each version came from -------------------------------------------------------


def test_the_derivation_section_draws_the_matrix_and_findings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    c = hostile()
    result = FakeDerivation(
        shared={("d0", "d1"): 0.6, ("d1", "d0"): 0.2},
        altered={("d0", "d1"): 0.25, ("d1", "d0"): 0.1},
        findings=["d1 reuses 85% of <b>d0</b>'s text, mostly reworded"],
    )
    fake_derivation(monkeypatch, result)
    root = parse(html_report(c))
    ids = by_id(root)
    section = ids["derivation"]
    assert "Where each version came from" in section.text()
    cells = section.find_all("td", "cell")
    assert [n.find_all("b")[0].text() for n in cells] == ["85%", "30%"]
    assert "│ 60% ≈ 25%" in cells[0].text()
    assert [n.text() for n in section.find_all("li")] == [result.findings[0]]
    assert not [b for b in section.find_all("b") if b.text() == "d0"]
    assert any(a.attrs["href"] == "#derivation" for a in root.find_all("a"))


def test_without_the_derivation_module_the_section_is_left_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "storylens.core.derivation", None)
    root = parse(html_report(hostile()))
    assert "derivation" not in by_id(root)
    assert not any(a.attrs["href"] == "#derivation" for a in root.find_all("a"))


def test_a_broken_derivation_module_is_not_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the module's absence skips the section: an import error inside it surfaces."""
    import importlib

    real = importlib.import_module

    def failing(name: str, package: str | None = None) -> types.ModuleType:
        if name == "storylens.core.derivation":
            raise ModuleNotFoundError("No module named 'numpyx'", name="numpyx")
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", failing)
    with pytest.raises(ModuleNotFoundError):
        html_report(hostile())


def test_rows_every_outlet_shares_can_be_folded_away() -> None:
    c = twelve()
    root = parse(html_report(c))
    same = [tr for tr in root.find_all("tr") if "same" in tr.classes]
    assert same
    for tr in same:
        paras = tr.find_all("div", "p")
        assert paras and all("st-shared" in p.classes for p in paras)
        assert not tr.find_all("td", "gap") and not tr.find_all("mark")
        assert not tr.find_all("div", "moved")
    page = html_report(c)
    assert "#fold:checked ~ .page tr.same { display: none; }" in page
    assert f"fold the {len(same)} rows every outlet shares" in page
