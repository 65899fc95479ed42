"""The Markdown report: its blocks, its escaping (checked by rendering it), its brevity."""

from __future__ import annotations

import html as html_lib
import io
import re
import sys

import pytest
from markdown_it import MarkdownIt

from storylens.core.compare import compare
from storylens.export.markdown_export import markdown_report, md_escape, write_markdown
from tests.conftest import make_doc
from tests.export.helpers import SHARED, FakeDerivation, demo, fake_derivation, hostile


def render(markdown: str) -> str:
    """Markdown → HTML as a CommonMark renderer with GitHub's tables and strike-through,
    raw HTML allowed (so a hostile source *would* get through if it were not escaped)."""
    md = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")
    return str(md.render(markdown))


@pytest.fixture(scope="module")
def demo_md() -> str:
    return markdown_report(demo())


def test_the_report_has_its_sections_in_order(demo_md: str) -> None:
    heads = re.findall(r"^## (.+)$", demo_md, re.M)
    expected = ["Summary", "Divergences", "Named entities", "Quotes", "Set-aside text"]
    assert [h for h in heads if h in expected] == expected
    assert demo_md.startswith("# ")
    assert demo_md.endswith("\n") and not demo_md.endswith("\n\n")


def test_one_block_per_divergence_in_reading_order(demo_md: str) -> None:
    c = demo()
    order = {row.id: k for k, row in enumerate(c.rows)}
    blocks = re.findall(r"^### (\d+)\. \S+ ([A-Z][a-z]+ [a-z]+), row (\d+)", demo_md, re.M)
    assert len(blocks) == len(c.divergences)
    titles = {
        "unique": "Unique text",
        "altered": "Altered text",
        "omitted": "Omitted content",
        "moved": "Moved paragraph",
        "quote": "Changed quote",
    }
    for n, (d, (number, title, row)) in enumerate(zip(c.divergences, blocks, strict=True), 1):
        assert int(number) == n
        assert title == titles[d.type]
        assert int(row) == order[d.row] + 1


def test_altered_words_are_bold_and_quotes_show_the_word_diff(demo_md: str) -> None:
    html = render(demo_md)
    c = demo()
    # Every changed word of the altered divergences is in <strong>.
    strong = html_lib.unescape(" ".join(re.findall(r"<strong>(.*?)</strong>", html)))
    for d in c.divergences:
        if d.type != "altered":
            continue
        for pid, start, end in d.spans:
            text = c.paragraph(pid).text
            for span in c.spans[pid]:
                if span.start == start and span.end == end:
                    for a, b in span.changes:
                        word = re.sub(r"^\W+|\W+$", "", text[a:b])
                        if word:
                            assert word in strong, word
    # The reworded quote: struck words of the first wording, bold replacements.
    assert "<s>will not</s> <strong>won't</strong>" in html.replace("&#x27;", "'")
    assert "<s>in this report</s>" in html


def test_moves_omissions_and_quotes_say_where(demo_md: str) -> None:
    assert re.search(r"↔ .+ ¶\d+ (is|are) also at row \d+: ", demo_md)
    assert re.search(r"^Left out by .+; carried by .+:$", demo_md, re.M)
    assert "Quote by Marisol Ortega: reworded." in demo_md
    # Each block quotes the outlets' text with '>'.
    assert len(re.findall(r"^> \*\*", demo_md, re.M)) >= len(demo().divergences)


def test_the_summary_and_tables(demo_md: str) -> None:
    c = demo()
    html = render(demo_md)
    assert html.count("<table>") == 4  # summary, entities, quotes, set-aside
    for doc in c.documents:
        assert md_escape(doc.label) in demo_md
    entity_rows = re.findall(r"^\| (.+?) \| (person|organisation|place|\S+) \| ", demo_md, re.M)
    names = {name for name, _ in entity_rows}
    assert {e.name for e in c.entities} <= names
    assert "**Boilerplate set aside:** 7 stretches" in demo_md


def test_text_every_outlet_shares_is_not_repeated() -> None:
    a = make_doc(
        0, SHARED, "The board voted on Tuesday to close the pier after finding three cracks."
    )
    b = make_doc(
        1, SHARED, "The board voted on Wednesday to close the pier after finding four cracks."
    )
    c = compare([a, b])
    md = markdown_report(c)
    assert "row 2" in md and "Wednesday" in md
    assert SHARED[:40] not in md


def test_hostile_text_cannot_become_markup() -> None:
    md = markdown_report(hostile())
    html = render(md)
    for raw in ("<script", "<img", "<a ", "<i>", "<b>", "<code>"):
        assert raw not in html, raw
    assert "&lt;script&gt;" in html
    assert "[bold red]not red[/]" in html
    assert "␛[2J␛]0;title␇" in html and "<U+202E>" not in html  # escaped: &lt;U+202E&gt;
    assert "&lt;U+202E&gt;evil&lt;U+202C&gt;" in html
    for raw in ("\x1b", "\x00", "\x07", "\x9b", "\u202e"):
        assert raw not in md
    # The hostile label's quotes and pipes do not break the tables.
    assert "Clean | outlet" in html
    table_rows = [line for line in md.splitlines() if line.startswith("| ")]
    widths = {line.count(" | ") - line.count("\\|") for line in table_rows}
    assert widths  # every row of a table has its own table's columns (checked below)
    for block in re.split(r"\n\n", md):
        lines = [x for x in block.splitlines() if x.startswith("|")]
        if lines:
            cells = {len(re.split(r"(?<!\\)\|", x)) for x in lines}
            assert len(cells) == 1, block


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("*a* _b_ `c`", r"\*a\* \_b\_ \`c\`"),
        ("[x](y) <b>", r"\[x\](y) \<b\>"),
        ("a | b ~~c~~", r"a \| b \~\~c\~\~"),
        ("$5 @me #3 &amp;", r"\$5 \@me \#3 \&amp;"),
        ("1. first", r"1\. first"),
        ("- item", r"\- item"),
        ("line\nbreak\r\n  here", "line break here"),
        ("esc\x1b[1m", "esc␛\\[1m"),
    ],
)
def test_md_escape(text: str, escaped: str) -> None:
    assert md_escape(text) == escaped
    rendered = render(md_escape(text))
    assert "<em>" not in rendered and "<strong>" not in rendered and "<li>" not in rendered


def test_write_markdown_writes_utf8_bytes() -> None:
    out = io.BytesIO()
    write_markdown(demo(), out)
    assert out.getvalue().decode("utf-8") == markdown_report(demo())


def test_findings_are_listed_when_the_derivation_module_is_there(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake_derivation(monkeypatch, FakeDerivation({}, {}, ["B reuses *85%* of A's text"]))
    md = markdown_report(hostile())
    assert "## Where each version came from\n\n- B reuses \\*85%\\* of A's text\n" in md
    monkeypatch.setitem(sys.modules, "storylens.core.derivation", None)
    assert "Where each version came from" not in markdown_report(hostile())
