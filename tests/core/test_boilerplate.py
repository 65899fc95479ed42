"""Boilerplate rules: each fires on its own shape and leaves body text alone."""

from __future__ import annotations

import pytest

from storylens.core import boilerplate as bp
from storylens.core.boilerplate import (
    heading_shape,
    mark,
    masthead_name,
    rule_reason,
    source_name,
    station_name,
    trims,
)

BODY = [
    # Ordinary sentences, including ones that start with a rule's key word.
    "The council voted on Tuesday to extend the library's opening hours until midnight.",
    "More than 200 people attended the meeting, which ran late into the night.",
    "Related to the overrun, the contractor faces a separate inquiry, officials said.",
    "Read more about the plan in the report, the mayor told residents on Friday.",
    "Published reports say the minister knew about the delays for months.",
    "Updated figures released on Monday show the cost rose to 4.2 million crowns.",
    "Copyright law changed last year, which the publishers' association welcomed.",
    "By Tuesday, most of the detour signs had been removed from the east side.",
    "Many factors contributed to the delay, including a shortage of steel.",
    "Sign up forms for the new bus pass will be available at the station.",
    "The share price fell 3 percent after the announcement, traders said.",
    "Email records show the contractor warned the council in March.",
    "Reporting by the local paper first revealed the overrun in June.",
    "It was cold: temperatures fell to -12 degrees in the valley overnight.",
    '"We will appeal," said Ruth Asplund, the operator\'s chair (pictured above).',
    "The poll by Norstat (for the Example Gazette) showed support at 54 percent.",
    "Mara Olsen, who runs a bakery at the foot of the bridge, has more customers now.",
]


@pytest.mark.parametrize("text", BODY)
def test_body_sentences_are_kept(text: str) -> None:
    assert rule_reason(text) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[ad_1]", bp.AD),
        ("[ad_2]Source link", bp.AD_SCRAPER),
        ("Source link", bp.SCRAPER),
        ("Advertisement", bp.AD),
        ("ADVERTISEMENT", bp.AD),
        ("Story continues below advertisement", bp.AD),
        ("Posted: Mar 3, 2024 9:15 AM", bp.TIMESTAMP),
        ("Updated: Mar 3, 2024 11:02 AM", bp.TIMESTAMP),
        ("Published 10:31 AM EDT Sep 10, 2018", bp.TIMESTAMP),
        ("Monday, 10 September 2018", bp.TIMESTAMP),
        ("28° wxIcon", bp.WEATHER),
        ("Hi: 31° Lo: 27°", bp.WEATHER),
        ("Feels Like: 28°", bp.WEATHER),
        ("Broken Clouds", bp.WEATHER),
        ("Mostly cloudy Sunday", bp.WEATHER),
        ("Radar", bp.WEATHER),
        ("KXYZ Radar", bp.WEATHER),
        ("Share this", bp.SHARE),
        ("Tweet", bp.SHARE),
        ("Email", bp.SHARE),
        ("Share on Facebook", bp.SHARE),
        ("Facebook Twitter Email", bp.SHARE),
        ("Article Comments", bp.COMMENTS),
        ("12 comments", bp.COMMENTS),
        ("Community Events", bp.EVENTS),
        ("Read more: Island councils demand a second ferry route", bp.RELATED),
        ("Related: How the storms closed the road", bp.RELATED),
        ("RELATED", bp.RELATED),
        ("RELATED: Ferry fares to rise in spring", bp.RELATED),
        ("MORE: Bridge repairs run late", bp.RELATED),
        ("Lena Brekke in Nordhavn contributed to this report.", bp.CONTRIBUTOR),
        (
            "Jon Evers in Vellmar and Ruth Lind in Ostby contributed to this report.",
            bp.CONTRIBUTOR,
        ),
        ("Additional reporting by Jon Evers; Editing by Ruth Lind", bp.CONTRIBUTOR),
        ("(Reporting by Jon Evers; Editing by Ruth Lind)", bp.CONTRIBUTOR),
        (
            "The ferry has been late all winter. Gazette TV's Nils Aron has more.",
            bp.TEASER,
        ),
        ("Watch: the storm hits the harbour", bp.TEASER),
        (
            "Passengers wait on the quay as the ferry arrives late. (Karin Holm/Example Press)",
            bp.CAPTION,
        ),
        ("The mayor at the opening ceremony (Photo: Jon Evers)", bp.CAPTION),
        ("Photo: Karin Holm", bp.CAPTION),
        ("Ruth Asplund in her office. Photograph: Karin Holm/Example Press", bp.CAPTION),
        ("By Jon Evers and Ruth Lind, Example News", bp.BYLINE),
        ("Source: Example News Service", bp.SOURCE),
        ("Copyright 2024 The Lakeside Courier. All rights reserved.", bp.COPYRIGHT),
        ("© 2024 Example Media", bp.COPYRIGHT),
        ("Sign up for our morning newsletter", bp.NEWSLETTER),
        ("* * *", bp.SEPARATOR),
    ],
)
def test_rule(text: str, reason: str) -> None:
    assert rule_reason(text) == reason


class TestShapes:
    """Headline and masthead shapes."""

    @pytest.mark.parametrize(
        "text",
        [
            "Details about the meetings",
            "A 'MILITARY OPTION'",
            "PROS AND CONS",
            "Harbour Bridge Reopens After Repairs",
            "2024 in review",
        ],
    )
    def test_headings(self, text: str) -> None:
        assert heading_shape(text)

    @pytest.mark.parametrize(
        "text",
        [
            "The council voted on Tuesday.",
            "and the lessons learned from the project",
            "What it means:",
            "Costs rose. Then they rose again",
            "x" * 200,
        ],
    )
    def test_not_headings(self, text: str) -> None:
        assert not heading_shape(text)

    @pytest.mark.parametrize(
        ("line", "name"),
        [
            ("The Example GazetteTruth Before Speed", "The Example Gazette"),
            ("Lakeside CourierNews You Can Use", "Lakeside Courier"),
            ("The Example Gazette | Truth Before Speed", "The Example Gazette"),
        ],
    )
    def test_masthead(self, line: str, name: str) -> None:
        assert masthead_name(line) == name

    @pytest.mark.parametrize(
        "line",
        [
            "McMaster recommended against an invasion",
            "LinkedIn Adds New Features",
            "The LinkedIn Effect Grows Fast",
            "The council voted on Tuesday.",
        ],
    )
    def test_not_masthead(self, line: str) -> None:
        assert masthead_name(line) is None

    def test_source_name(self) -> None:
        assert source_name("Source: Example News Service") == "Example News Service"
        assert source_name("Originally published at https://www.example.org/a/b") == "example.org"
        assert source_name("Source link") is None


class TestStationName:
    """A local station's call letters, read from its own widget lines."""

    def test_call_letters_opening_widget_lines(self) -> None:
        lines = ["Lowmere", "Light Rain", "KZRB Radar", "KZRB Temperatures", "KZRB National"]
        assert station_name(lines) == "KZRB"
        assert station_name(["WQXL-TV Weather", "WQXL-TV Traffic"]) == "WQXL-TV"

    @pytest.mark.parametrize(
        "lines",
        [
            ["KZRB Radar"],  # once is not enough
            ["KZRB Radar", "KZRB Radar"],  # nor the same line twice
            ["WHAT We Know", "WHAT Comes Next"],  # a word, not call letters
            ["KZRB is on air", "KZRB goes off air at midnight"],  # sentences, not menu items
            ["ABCD Radar", "ABCD Traffic"],  # US call letters start with K or W
            ["KZRBX Radar", "KZRBX Traffic"],  # three or four letters
        ],
        ids=["once", "repeated", "word", "sentences", "letter", "length"],
    )
    def test_not_a_station(self, lines: list[str]) -> None:
        assert station_name(lines) is None

    def test_the_station_named_most_wins(self) -> None:
        lines = ["KAAA Radar", "KAAA Traffic", "WZZZ Radar", "WZZZ Traffic", "WZZZ News"]
        assert station_name(lines) == "WZZZ"


class TestTrims:
    """Markers glued to kept text are cut off, the text is kept."""

    def test_leading_ad_marker(self) -> None:
        text = "[ad_1] The council voted on Tuesday."
        trim = trims(text)
        assert trim is not None and trim.head_reason == bp.AD
        assert text[trim.head :].strip() == "The council voted on Tuesday."

    def test_trailing_marker(self) -> None:
        text = "The council voted on Tuesday.[ad_2]Source link"
        trim = trims(text)
        assert trim is not None and trim.tail_reason == bp.AD_SCRAPER
        assert text[: trim.tail] == "The council voted on Tuesday."

    def test_trailing_contributor_sentence_on_a_long_paragraph(self) -> None:
        body = "The council voted on Tuesday to extend the hours. " * 6
        text = body + "Jon Evers contributed to this report."
        trim = trims(text)
        assert trim is not None and trim.tail_reason == bp.CONTRIBUTOR
        assert text[trim.tail :].strip() == "Jon Evers contributed to this report."

    def test_nothing_to_trim(self) -> None:
        assert trims("The council voted on Tuesday.") is None


LONG = (
    "The maritime authority fined the island ferry operator on Monday for repeatedly "
    "missing its timetable over the winter, the largest penalty it has imposed."
)
LONG2 = (
    "Inspectors found that one sailing in four left more than fifteen minutes late "
    "between November and February, and that crews twice skipped a stop."
)


class TestContext:
    """Rules that need the neighbouring blocks."""

    def test_place_names_inside_a_weather_widget(self) -> None:
        texts = [LONG, "Nordhavn", "Scattered Clouds", "4° wxIcon", "Hi: 6° Lo: 1°", "Vestby"]
        reasons = mark(texts)
        assert reasons[0] is None
        assert reasons[1:] == [bp.WEATHER] * 5

    def test_short_lines_after_the_article_end(self) -> None:
        reasons = mark([LONG, LONG2, "Sport", "Culture", "Contact us"])
        assert reasons == [None, None, bp.AFTER_END, bp.AFTER_END, bp.AFTER_END]

    def test_a_single_short_last_line_is_kept(self) -> None:
        assert mark([LONG, LONG2, "Jon Evers, Vellmar"]) == [None, None, None]

    def test_heading_after_a_share_widget_is_kept(self) -> None:
        texts = [LONG, "Share this", "Tweet", "Email", "The road ahead", LONG2]
        reasons = mark(texts)
        assert reasons[1:4] == [bp.SHARE] * 3
        assert reasons[4] is None

    def test_heading_before_a_single_widget_line_is_kept(self) -> None:
        reasons = mark([LONG, "Costs Rose Sharply", "Tweet", LONG2])
        assert reasons == [None, None, bp.SHARE, None]

    def test_related_headline_that_introduces_nothing(self) -> None:
        headline = "Bakers raise bread prices as flour costs climb again"
        reasons = mark([LONG, headline, LONG2, LONG])
        assert reasons[1] == bp.RELATED_HEADLINE

    def test_section_heading_that_introduces_the_text_is_kept(self) -> None:
        heading = "Inspectors found sailings late all through the winter"
        assert mark([LONG, heading, LONG2, LONG])[1] is None

    def test_short_section_headings_are_never_related_links(self) -> None:
        assert mark([LONG, "What happens next", LONG2])[1] is None

    def test_masthead_only_before_a_headline(self) -> None:
        reasons = mark(["The Lakeside Courier", "Harbour bridge reopens", LONG, LONG2])
        assert reasons[0] == bp.MASTHEAD_ONLY
        assert reasons[1] is None

    def test_masthead_rule_only_at_the_top(self) -> None:
        reasons = mark([LONG, LONG2, "The Example GazetteTruth Before Speed", LONG])
        assert reasons[2] != bp.MASTHEAD

    def test_ineligible_blocks_are_never_marked(self) -> None:
        reasons = mark([LONG, "Advertisement"], eligible=[True, False])
        assert reasons == [None, None]
