"""Segmentation: paragraphs from every plain-text layout, headings, Markdown blocks."""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from pathlib import Path

import pytest

from storylens.core import boilerplate as bp
from storylens.core.segment import markdown_blocks, plain_blocks, segment, segment_text

from ..conftest import reader_join

DATA = Path(__file__).parents[1] / "data" / "load"
WORD = re.compile(r"[^\W_]+")


def words(text: str) -> Counter[str]:
    return Counter(WORD.findall(text))


def check_offsets(text: str, doc_id: str = "d0") -> None:
    """Every paragraph's text is its source slice joined, and all words are accounted for."""
    seg = segment_text(doc_id, text)
    for p in seg.paragraphs:
        assert reader_join(text[p.start : p.end]) == p.text, p.id
    for item in seg.set_aside:
        assert reader_join(text[item.start : item.end]).replace(" ", "") == item.text.replace(
            "\n", ""
        ).replace(" ", "")
    found = words(
        " ".join(p.text for p in seg.paragraphs) + " " + " ".join(s.text for s in seg.set_aside)
    )
    assert not words(text) - found


def paragraph_texts(text: str) -> list[str]:
    return [p.text for p in segment_text("d0", text).paragraphs]


P1 = (
    "The city library will stay open until midnight on weekdays from next month, the "
    "culture department announced on Thursday, after a petition signed by students."
)
P2 = (
    "Extending the hours will cost about 300,000 crowns a year, most of it for extra "
    "staff and security, and the money will come from a fund set aside for youth projects."
)
P3 = "The trial period will run for six months, after which the council will decide again."


class TestLayouts:
    """Blank-line, one-per-line, hard-wrapped and mixed files."""

    def test_blank_line_separated(self) -> None:
        text = f"{P1}\n\n{P2}\n\n\n{P3}\n"
        assert paragraph_texts(text) == [P1, P2, P3]
        check_offsets(text)

    def test_one_paragraph_per_line(self) -> None:
        text = f"{P1}\n{P2}\n{P3}\n"
        assert paragraph_texts(text) == [P1, P2, P3]
        check_offsets(text)

    @pytest.mark.parametrize("width", [60, 72, 79])
    def test_wrapped_with_blank_lines(self, width: int) -> None:
        text = "\n\n".join(textwrap.fill(p, width) for p in (P1, P2, P3))
        assert paragraph_texts(text) == [P1, P2, P3]
        check_offsets(text)

    def test_wrapped_with_first_line_indent(self) -> None:
        text = "\n".join(textwrap.fill(p, 66, initial_indent="    ") for p in (P1, P2, P3))
        assert paragraph_texts(text) == [P1, P2, P3]
        check_offsets(text)

    def test_wrapped_with_short_last_lines(self) -> None:
        text = "\n".join(textwrap.fill(p, 70) for p in (P1, P2, P3))
        assert paragraph_texts(text) == [P1, P2, P3]
        check_offsets(text)

    def test_ragged_hand_wrapping_between_blank_lines(self) -> None:
        text = (
            "The trial period will run for six months, after which\n"
            "the council will decide whether to make the late hours\n"
            "permanent, a spokeswoman said.\n\n" + P2
        )
        assert paragraph_texts(text) == [
            "The trial period will run for six months, after which the council will decide "
            "whether to make the late hours permanent, a spokeswoman said.",
            P2,
        ]

    def test_broken_line_mid_sentence_is_joined(self) -> None:
        text = (
            f"{P1}\nThe operator said it would appeal, arguing that storms and a broken\n"
            f"ramp caused most of the delays.\n{P3}"
        )
        texts = paragraph_texts(text)
        assert texts[1] == (
            "The operator said it would appeal, arguing that storms and a broken "
            "ramp caused most of the delays."
        )
        assert len(texts) == 3

    def test_hyphen_at_the_wrap_keeps_the_hyphen(self) -> None:
        text = (
            "Librarians welcomed the change but warned that the\n"
            "heating system would need attention before the win-\n"
            "ter, said head librarian Else Vinter, who has worked\n"
            "there since the building opened in the seventies.\n"
        )
        (only,) = paragraph_texts(text)
        assert "the win-ter, said" in only
        check_offsets(text)

    def test_dash_at_the_wrap_keeps_the_space(self) -> None:
        text = (
            "Then in August the president declared that the country had a military option --\n"
            "a declaration that drew condemnation from allies in the region and beyond it.\n"
        )
        assert "option -- a declaration" in paragraph_texts(text)[0]

    def test_bullets_are_separate_paragraphs(self) -> None:
        text = (
            "The council listed the changes that will follow the reopening of the bridge:\n"
            "- Detour signs will be removed by Friday.\n"
            "- Bus line 4 returns to its old route next week.\n"
        )
        assert len(paragraph_texts(text)) == 3

    def test_mixed_fixture(self) -> None:
        text = (DATA / "mixed.txt").read_text()
        seg = segment_text("d0", text)
        kinds = [p.kind for p in seg.paragraphs]
        assert kinds == [
            "heading",
            "body",
            "body",
            "body",
            "body",
            "body",
            "body",
            "heading",
            "body",
        ]
        assert seg.paragraphs[4].text.startswith(
            "Critics of the plan, including the local business"
        )
        assert seg.paragraphs[5].text.endswith("residents will have six weeks to comment.")
        check_offsets(text)

    @pytest.mark.parametrize(
        "name",
        [
            "blank_lines",
            "one_per_line",
            "wrapped_blank",
            "wrapped_indent",
            "wrapped_short_last",
            "mixed",
            "widgets",
        ],
    )
    def test_fixture_offsets_and_words(self, name: str) -> None:
        check_offsets((DATA / f"{name}.txt").read_text())

    @pytest.mark.parametrize(
        ("name", "count"),
        [("wrapped_blank", 4), ("wrapped_indent", 4), ("wrapped_short_last", 4)],
    )
    def test_wrapped_fixtures(self, name: str, count: int) -> None:
        seg = segment_text("d0", (DATA / f"{name}.txt").read_text())
        assert len(seg.paragraphs) == count
        assert all(p.text.endswith(".") for p in seg.paragraphs)


class TestHeadings:
    """Short headline-like lines followed by a paragraph are headings."""

    @pytest.mark.parametrize(
        "heading",
        [
            "Details about the meetings",
            "A 'MILITARY OPTION'",
            "PROS AND CONS",
            "Quota Review Details",
        ],
    )
    def test_heading_kinds(self, heading: str) -> None:
        seg = segment_text("d0", f"{P1}\n\n{heading}\n\n{P2}")
        assert [p.kind for p in seg.paragraphs] == ["body", "heading", "body"]

    def test_title_is_an_opening_heading(self) -> None:
        seg = segment_text("d0", f"Library to stay open late\n\n{P1}\n\n{P2}")
        assert seg.title == "Library to stay open late"
        assert seg.paragraphs[0].kind == "heading"

    def test_no_title_when_the_text_starts_with_prose(self) -> None:
        assert segment_text("d0", f"{P1}\n\n{P2}").title is None

    def test_a_list_of_short_lines_is_not_headings(self) -> None:
        seg = segment_text("d0", f"{P1}\nApples\nPears\nPlums\n{P2}")
        assert [p.kind for p in seg.paragraphs] == ["body"] * 5

    def test_trailing_heading_shape_is_body(self) -> None:
        seg = segment_text("d0", f"{P1}\n\nThe end of the story")
        assert seg.paragraphs[-1].kind == "body"


class TestAssembly:
    """Ids, set-aside positions, merging and keep_boilerplate."""

    TEXT = (
        f"[ad_1]\n{P1}\nAdvertisement\n{P2}\nShare this\nTweet\n{P3}\n"
        "Jon Evers contributed to this report.\n"
    )

    def test_ids_and_doc(self) -> None:
        seg = segment_text("d3", self.TEXT)
        assert [p.id for p in seg.paragraphs] == ["d3.p0", "d3.p1", "d3.p2"]
        assert all(p.doc == "d3" for p in seg.paragraphs)
        assert [p.index for p in seg.paragraphs] == [0, 1, 2]

    def test_set_aside_after_indices(self) -> None:
        seg = segment_text("d0", self.TEXT)
        assert [(s.reason, s.after) for s in seg.set_aside] == [
            (bp.AD, -1),
            (bp.AD, 0),
            (bp.SHARE, 1),
            (bp.CONTRIBUTOR, 2),
        ]
        share = seg.set_aside[2]
        assert share.text == "Share this\nTweet"  # adjacent widget lines merge
        assert self.TEXT[share.start : share.end] == "Share this\nTweet"

    def test_keep_boilerplate(self) -> None:
        seg = segment_text("d0", self.TEXT, keep_boilerplate=True)
        assert seg.set_aside == ()
        assert len(seg.paragraphs) == 8
        assert seg.paragraphs[0].text == "[ad_1]"
        assert {p.kind for p in seg.paragraphs} == {"body"}

    def test_marker_glued_to_a_paragraph_is_cut_off(self) -> None:
        text = f"[ad_1]{P1}\n{P2}[ad_2]Source link\n"
        seg = segment_text("d0", text)
        assert [p.text for p in seg.paragraphs] == [P1, P2]
        assert [s.text for s in seg.set_aside] == ["[ad_1]", "[ad_2]Source link"]
        assert text[seg.paragraphs[0].start : seg.paragraphs[0].end] == P1
        check_offsets(text)

    def test_widget_fixture(self) -> None:
        text = (DATA / "widgets.txt").read_text()
        seg = segment_text("d0", text)
        reasons = Counter(s.reason for s in seg.set_aside)
        assert reasons == {
            bp.MASTHEAD: 1,
            bp.TEASER: 1,
            bp.CAPTION: 1,
            bp.TIMESTAMP: 1,
            bp.SHARE: 1,
            bp.AD: 1,
            bp.RELATED: 1,
            bp.CONTRIBUTOR: 1,
            bp.COMMENTS: 1,
            bp.WEATHER: 1,
            bp.EVENTS: 1,
        }
        weather = next(s for s in seg.set_aside if s.reason == bp.WEATHER)
        assert weather.text.split("\n")[0] == "Nordhavn" and "Vestby" in weather.text
        assert seg.outlet == "The Example Gazette"
        assert seg.title == "Ferry operator fined over late sailings"
        assert [p.kind for p in seg.paragraphs].count("heading") == 2
        assert len(seg.paragraphs) == 7


class TestMarkdown:
    """markdown-it-py token stream to blocks."""

    def test_fixture(self) -> None:
        text = (DATA / "article.md").read_text()
        blocks, title = markdown_blocks(text)
        seg = segment("d0", blocks)
        assert title == "Orchard growers count frost losses"
        kinds = [(p.kind, p.text[:20]) for p in seg.paragraphs]
        assert kinds[0] == ("heading", "Orchard growers coun")
        assert ("heading", "What the growers say") in kinds
        texts = [p.text for p in seg.paragraphs]
        assert texts[1].startswith(
            "A late frost damaged up to a third of the apple blossom in the valley, growers"
        )
        assert any(
            t.startswith('"We lit fires in the rows all night and still lost the lower branches,"')
            for t in texts
        )
        assert "Early varieties were hit hardest." in texts  # each list item a paragraph
        assert "North slope | 10%" in texts  # table text kept
        assert "loss = damaged / total" in texts  # code kept literally
        reasons = {s.reason for s in seg.set_aside}
        assert {"front matter", bp.BYLINE, bp.RELATED, "HTML markup"} <= reasons
        for p in seg.paragraphs:
            assert 0 <= p.start < p.end <= len(text)

    def test_inline_markup_and_link_targets_are_not_text(self) -> None:
        blocks, _ = markdown_blocks(
            "Some **bold** and *em* text with a [link](http://x.example/y) and `code`.\n"
        )
        assert blocks[0].text == "Some bold and em text with a link and code."

    def test_wrapped_markdown_paragraph_and_hyphen(self) -> None:
        blocks, _ = markdown_blocks("A late frost dam-\naged the blossom\nin the valley.\n")
        assert blocks[0].text == "A late frost dam-aged the blossom in the valley."

    def test_nested_list_items_keep_their_order(self) -> None:
        blocks, _ = markdown_blocks("- outer item\n  - inner item\n- last item\n")
        assert [b.text for b in blocks] == ["outer item", "inner item", "last item"]

    def test_short_list_items_at_the_end_are_kept(self) -> None:
        text = (
            "# Changes\n\nThe council listed what changes after the bridge reopens.\n\n"
            "- Signs go\n- Buses return\n"
        )
        seg = segment("d0", markdown_blocks(text)[0])
        assert [p.text for p in seg.paragraphs][-2:] == ["Signs go", "Buses return"]
        assert seg.set_aside == ()

    def test_indented_code_is_kept_literally(self) -> None:
        text = "The formula the council used:\n\n    loss = damaged / total\n    print(loss)\n"
        seg = segment("d0", markdown_blocks(text)[0])
        assert seg.paragraphs[-1].text == "loss = damaged / total\nprint(loss)"
        assert seg.paragraphs[-1].kind == "body"

    def test_setext_title(self) -> None:
        _, title = markdown_blocks("Frost in the valley\n===\n\nText here.\n")
        assert title == "Frost in the valley"

    def test_words_kept(self) -> None:
        text = (DATA / "article.md").read_text()
        seg = segment("d0", markdown_blocks(text)[0])
        visible = re.sub(r"\]\([^)]*\)", "]", text)  # link targets are not article words
        found = words(
            " ".join(p.text for p in seg.paragraphs) + " " + " ".join(s.text for s in seg.set_aside)
        )
        assert not words(visible) - found


def test_plain_blocks_offsets_point_into_the_text() -> None:
    text = "  Indented first line of a paragraph that is long enough\n\n\nSecond\n"
    blocks = plain_blocks(text)
    assert [text[b.start : b.end] for b in blocks] == [
        "Indented first line of a paragraph that is long enough",
        "Second",
    ]
