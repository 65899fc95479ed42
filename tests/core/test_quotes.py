"""Quotes: the passages inside quotation marks, who spoke them, and the same words across
outlets. Every sentence here is invented for the test, except the demo and the real story
at the end, which are measured against their hand labels."""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

from storylens.core.load import load_sources
from storylens.core.model import Entity
from storylens.core.quotes import extract_quotes, quote_word_diff
from storylens.demo import demo_sources

from ..conftest import make_doc

BENCH = Path(__file__).resolve().parents[2] / "bench" / "quotes_quality.py"


def found(*paragraphs: str, entities: tuple[Entity, ...] = ()) -> list[tuple[str | None, str]]:
    """(speaker, text) of every quote in a one-document story."""
    quotes = extract_quotes([make_doc(0, *paragraphs)], entities=entities)
    return [(q.speaker, q.variants[0].text) for q in quotes]


def speakers(*paragraphs: str) -> list[str | None]:
    return [speaker for speaker, _ in found(*paragraphs)]


class TestFinding:
    """Which stretches of text are quoted passages."""

    def test_straight_and_curly_double_quotes(self) -> None:
        assert [t for _, t in found('She said "we are ready" on Monday.')] == ["we are ready"]
        assert [t for _, t in found("She said “we are ready” on Monday.")] == ["we are ready"]

    def test_the_text_is_exactly_what_sits_inside_the_marks(self) -> None:
        doc = make_doc(0, "“The bridge opens in May,” said Omar Haddad.")
        (quote,) = extract_quotes([doc])
        (v,) = quote.variants
        assert v.text == "The bridge opens in May,"
        assert doc.paragraphs[0].text[v.start : v.end] == v.text
        assert (v.doc, v.paragraph) == ("d0", "d0.p0")

    def test_nested_single_quotes_stay_inside_the_double_ones(self) -> None:
        text = "“He told me ‘wait until spring’ and then he left,” said Jonas Berg."
        assert found(text) == [("Jonas Berg", "He told me ‘wait until spring’ and then he left,")]

    def test_apostrophes_and_inch_marks_are_not_quotes(self) -> None:
        assert found("The officers’ plans were shelved, Mr. Kim's aide said.") == []
        assert found('The storm dropped 12" of snow on the valley.') == []

    def test_partial_quote_inside_a_sentence(self) -> None:
        text = 'Karl Brenner described the meetings as "all talk and no plan" in an interview.'
        assert found(text) == [("Karl Brenner", "all talk and no plan")]

    def test_scare_quotes_count(self) -> None:
        text = 'Critics called the proposal a "paper tiger" that would change nothing.'
        assert found(text) == [("critics", "paper tiger")]

    def test_a_quotation_over_several_paragraphs(self) -> None:
        doc = make_doc(
            0,
            'Grace Obi, a nurse, described the night. "The lights went out first.',
            '"Then the water came up the stairs.',
            '"By morning it was over," she said.',
            "The council met the next day.",
        )
        quotes = extract_quotes([doc])
        parts = [(q.variants[0].paragraph, q.variants[0].text) for q in quotes]
        assert parts == [
            ("d0.p0", "The lights went out first."),
            ("d0.p1", "Then the water came up the stairs."),
            ("d0.p2", "By morning it was over,"),
        ]
        flags = [(q.variants[0].continued, q.variants[0].runs_on) for q in quotes]
        assert flags == [(False, True), (True, True), (True, False)]
        assert [q.continued for q in quotes] == [False, True, True]
        assert {q.speaker for q in quotes} == {"Grace Obi"}

    def test_an_unclosed_mark_not_reopened_ends_with_its_paragraph(self) -> None:
        doc = make_doc(0, 'Elena Cruz said "the system failed us', "The vote is on Friday.")
        (quote,) = extract_quotes([doc])
        assert quote.variants[0].text == "the system failed us"
        assert not quote.variants[0].runs_on


class TestAttribution:
    """Who the article says spoke the words."""

    @pytest.mark.parametrize(
        ("text", "speaker"),
        [
            ('"We are ready," Helena Voss said.', "Helena Voss"),
            ("“The bridge opens in May,” said Omar Haddad, a city engineer.", "Omar Haddad"),
            ("“Nothing has changed,” Priya Natarajan says.", "Priya Natarajan"),
            ('The talks were "going nowhere," according to Bruno Keller.', "Bruno Keller"),
            ('Karl Brenner told the newspaper that it was "a disaster."', "Karl Brenner"),
            ('Dana Whitlock told reporters "the vote is final" and left.', "Dana Whitlock"),
            ('Ruth Okafor told CNN that "nobody is above the law."', "Ruth Okafor"),
            ('Lena Fischer wrote on Twitter that it was "a victory."', "Lena Fischer"),
            ('Tom Reyes wrote on social media: "We will appeal."', "Tom Reyes"),
            ('Ada Quinn said in a statement that "the figures are wrong."', "Ada Quinn"),
            ('Ada Quinn said so, adding that the figures were "plainly wrong."', "Ada Quinn"),
            ('Asked whether he would resign, Peter Lang said: "Never."', "Peter Lang"),
            ('Halden\'s chief, Gerald Moss, has said the firm "won on merit."', "Gerald Moss"),
            ('"We are done," the White House said.', "White House"),
            ('"It is cold," said head librarian Else Vinter.', "Else Vinter"),
            ('The Times quoted Ann Cole as saying "the money is gone."', "Ann Cole"),
            ('"Two were hurt," a police spokesman, Sgt. Ali Khan, said.', "Ali Khan"),
        ],
    )
    def test_attribution_forms(self, text: str, speaker: str) -> None:
        assert speakers(text) == [speaker]

    def test_added_and_a_second_quote_in_the_paragraph(self) -> None:
        text = "“The money is gone,” said Aaron Mills. He added: “Someone must answer for it.”"
        assert speakers(text) == ["Aaron Mills", "Aaron Mills"]
        text = "“We lost,” said Maria Lopez. “But we will be back.”"
        assert speakers(text) == ["Maria Lopez", "Maria Lopez"]
        text = '"We will," Lars Holm said, "win this."'
        assert speakers(text) == ["Lars Holm", "Lars Holm"]

    def test_a_relative_clause_or_apposition_between_subject_and_verb(self) -> None:
        text = (
            "Mayor Ines Alvarado, who appoints four of the seven board members, said the "
            'freeze was "the only responsible course."'
        )
        assert speakers(text) == ["Ines Alvarado"]
        text = 'The governor, Ines Alvarado, put it bluntly: "We cannot wait."'
        assert speakers(text) == ["Ines Alvarado"]

    def test_a_pronoun_is_the_nearest_fitting_person_before_it(self) -> None:
        paragraphs = ("Victor Osei has run the bakery for 30 years.", '"Prices doubled," he said.')
        assert speakers(*paragraphs) == ["Victor Osei"]
        paragraphs = (
            "Mr. Patel met Ms. Greene on Tuesday. Mr. Patel left early.",
            '"It was a productive meeting," she said.',
        )
        assert speakers(*paragraphs) == ["Greene"]

    def test_a_pronoun_skips_places_and_organisations(self) -> None:
        paragraphs = (
            "Jorge Amado, the trade minister, answered the Financial Times on Sunday.",
            '"We will not be bullied," he said.',
        )
        assert speakers(*paragraphs) == ["Jorge Amado"]

    def test_honorifics_give_way_to_the_full_name(self) -> None:
        paragraphs = (
            "Rosa Delgado chairs the committee.",
            '"We will hold hearings," Ms. Delgado said.',
        )
        assert speakers(*paragraphs) == ["Rosa Delgado"]
        paragraphs = ('"We are done," Ms. Okoye said.', "Adaeze Okoye runs the shelter.")
        assert speakers(*paragraphs) == ["Adaeze Okoye"]

    def test_one_surname_two_people(self) -> None:
        paragraphs = (
            "Tomas Ward, an engineer, warned the board in 2021.",
            "Councillor Aoife Ward, no relation, said she would call a hearing.",
            '"Nobody listened to me," Mr. Ward said.',
            '"We will find out why," Ms. Ward said.',
        )
        assert speakers(*paragraphs) == ["Tomas Ward", "Aoife Ward"]

    def test_descriptions_and_unnamed_sources_stay_as_written(self) -> None:
        assert speakers('"We were never consulted," one senior official said.') == [
            "one senior official"
        ]
        text = '"It is a mess," said a person familiar with the talks, who asked not to be named.'
        assert speakers(text) == ["a person familiar with the talks"]
        text = '"It is over," the former Venezuelan coach on the shortlist said in an interview.'
        assert speakers(text) == ["the former Venezuelan coach"]

    def test_a_definite_description_refers_back(self) -> None:
        paragraphs = (
            'The plan "was doomed," according to another person familiar with the talks.',
            '"Nobody believed in it," the person said.',
        )
        assert speakers(*paragraphs) == ["another person familiar with the talks"] * 2
        paragraphs = (
            "Mayor Marisol Reyes called a news conference.",
            '"We will not pay," the mayor said.',
        )
        assert speakers(*paragraphs) == ["Marisol Reyes"]

    def test_a_statement_speaks_for_its_author(self) -> None:
        paragraphs = (
            'Spokeswoman Carla Diaz said the agency was "looking into it."',
            '"We take these claims seriously," the statement said.',
        )
        assert speakers(*paragraphs) == ["Carla Diaz", "Carla Diaz"]
        text = 'The audit, signed by City Auditor Nadia Lund, calls the scoring "opaque."'
        assert speakers(text) == ["Nadia Lund"]

    def test_a_quotation_opening_a_paragraph_goes_on_from_the_last_speaker(self) -> None:
        paragraphs = (
            "Adam Isaksen, of the Baltic Policy Institute, said few governments would refuse.",
            '"You listen to everyone," although the risks are real.',
        )
        assert speakers(*paragraphs) == ["Adam Isaksen"]

    def test_no_speaker_when_the_article_gives_none(self) -> None:
        assert speakers('The so-called "red line" was crossed on Sunday.') == [None]

    def test_speakers_are_linked_to_entities(self) -> None:
        entities = (
            Entity("Marisol Reyes", "person", ("Mayor Reyes", "Reyes", "the mayor")),
            Entity("Carrow Bay", "place"),
        )
        text = '"We will not pay," Reyes said.'
        assert found(text, entities=entities) == [("Marisol Reyes", "We will not pay,")]
        text = '"We will not pay," the mayor said.'
        assert found(text, entities=entities) == [("Marisol Reyes", "We will not pay,")]


class TestGrouping:
    """The same words in several outlets are one quote."""

    def test_same_words_shared_reworded_altered_alone_unique(self) -> None:
        a = make_doc(0, '"We will not approve this budget until the audit is done," Reyes said.')
        b = make_doc(1, "“We will NOT approve this budget -- until the audit is done,” Reyes said.")
        c = make_doc(1, '"We won\'t approve this budget until the audit is done," she said.')
        d = make_doc(2, '"The audit is a farce," said Leo Marsh.')
        shared, unique = extract_quotes([a, b, d])
        assert (shared.status, [v.doc for v in shared.variants]) == ("shared", ["d0", "d1"])
        assert (unique.status, [v.doc for v in unique.variants]) == ("unique", ["d2"])
        (altered, _) = extract_quotes([a, c, d])
        assert altered.status == "altered"
        assert [v.doc for v in altered.variants] == ["d0", "d1"]

    def test_apostrophe_and_dash_style_do_not_alter(self) -> None:
        a = make_doc(0, "“It’s like-minded partners — all of them,” said Jo Kemp.")
        b = make_doc(1, '"It\'s like-minded partners -- all of them," said Jo Kemp.')
        (quote,) = extract_quotes([a, b])
        assert quote.status == "shared"

    def test_a_partial_quote_inside_a_longer_one_is_the_same_quote(self) -> None:
        a = make_doc(0, 'The treasurer said the project was "sound and fully funded and ready."')
        b = make_doc(1, 'The treasurer said the project was "fully funded and ready."')
        (quote,) = extract_quotes([a, b])
        assert quote.status == "altered"
        assert quote.partial

    def test_a_short_scare_quote_is_not_merged_into_a_long_quote_containing_it(self) -> None:
        a = make_doc(0, 'Last year, Mr. Holt declared that a "trade war" was possible.')
        b = make_doc(1, '"We have many tools, and I will not rule out a trade war," Holt said.')
        assert len(extract_quotes([a, b])) == 2

    def test_a_short_rewording_joins_by_its_surroundings(self) -> None:
        a = make_doc(
            0, 'Asked about the merger, the chairman said the board "could certainly act".'
        )
        b = make_doc(
            1, 'Asked about the merger, the chairman said the board "certainly could act."'
        )
        (quote,) = extract_quotes([a, b])
        assert quote.status == "altered"

    def test_one_variant_per_outlet_and_ids_in_reading_order(self) -> None:
        a = make_doc(0, '"First words here," said Ann Lee.', '"Second words now," said Ann Lee.')
        b = make_doc(1, '"Second words now," said Ann Lee.', '"First words here," said Ann Lee.')
        quotes = extract_quotes([a, b])
        assert [q.id for q in quotes] == ["q0", "q1"]
        assert [q.variants[0].text for q in quotes] == ["First words here,", "Second words now,"]
        for q in quotes:
            assert len({v.doc for v in q.variants}) == len(q.variants) == 2

    def test_the_same_words_from_different_speakers_are_flagged(self) -> None:
        a = make_doc(0, '"The plan is sound and fully funded," said Chen Wu, the treasurer.')
        b = make_doc(1, '"The plan is sound and fully funded," said Ivan Petrov, the auditor.')
        c = make_doc(2, '"The plan is sound and fully funded," said Mr. Wu.')
        (quote,) = extract_quotes([a, b])
        assert quote.speakers_differ
        assert [v.speaker for v in quote.variants] == ["Chen Wu", "Ivan Petrov"]
        (quote,) = extract_quotes([a, c])
        assert not quote.speakers_differ

    def test_an_unresolved_title_takes_the_name_another_outlet_gives(self) -> None:
        a = make_doc(0, "President Ana Ruiz spoke.", 'The president said it "could happen soon."')
        b = make_doc(1, 'Asked about it, the president said it "could happen soon."')
        (quote,) = extract_quotes([a, b])
        assert [v.speaker for v in quote.variants] == ["Ana Ruiz", "Ana Ruiz"]


def test_word_diff_shows_how_two_wordings_differ() -> None:
    assert quote_word_diff("We will not sign it", "We won't sign it") == [
        ("equal", "We"),
        ("delete", "will not"),
        ("insert", "won't"),
        ("equal", "sign it"),
    ]
    assert quote_word_diff("Same WORDS, here", "same words here") == [("equal", "Same WORDS, here")]


def test_repeated_quotes_keep_one_variant_per_outlet_in_each_group() -> None:
    paragraph = (
        'Anna Berg, a local teacher, said the plan was "far too late for the families here." '
        "Others disagreed."
    )
    docs = [make_doc(n, *([paragraph] * 200)) for n in range(3)]
    quotes = extract_quotes(docs)
    assert sum(len(q.variants) for q in quotes) == 600
    assert all(len({v.doc for v in q.variants}) == len(q.variants) for q in quotes)


# --------------------------------------------------------------------------- many outlets
# What a text says is worked out once however many outlets carry it; who its pronouns
# and surnames stand for is still each document's own.


def test_the_same_paragraph_is_read_in_its_own_document() -> None:
    quote = '"We will wait," she said.'
    docs = [
        make_doc(0, "Ann Low arrived in the city.", quote),
        make_doc(1, "Mia Ross arrived in the city.", quote),
    ]
    (q,) = extract_quotes(docs)
    assert [(v.doc, v.speaker) for v in q.variants] == [("d0", "Ann Low"), ("d1", "Mia Ross")]
    assert q.speakers_differ


@pytest.mark.parametrize(("between", "speaker"), [(0, "Ann Low"), (2, "Ann Low"), (3, None)])
def test_a_pronoun_looks_back_over_paragraphs_without_quotes(
    between: int, speaker: str | None
) -> None:
    paragraphs = ["Ann Low arrived in the city.", *["Prices rose again."] * between]
    assert speakers(*paragraphs, '"We will wait," she said.') == [speaker]


def test_a_sentence_opening_with_an_honorific_reads_the_same_anywhere() -> None:
    paragraphs = (
        "Omar Haddad chairs the board.",
        'Mr. Haddad said "we will wait."',
        'The talks ended. Mr. Haddad said "it is over."',
    )
    assert speakers(*paragraphs) == ["Omar Haddad", "Omar Haddad"]


def test_many_outlets_group_by_wording() -> None:
    def story(n: int) -> tuple[str, str]:
        month = "June" if n % 7 == 0 else "May"  # every seventh outlet changes a word
        return (
            "Dana Reyes spoke on Monday.",
            f'"The bridge will open in {month} after the last inspection," Reyes said.',
        )

    (q,) = extract_quotes([make_doc(n, *story(n)) for n in range(120)])
    assert (q.status, len(q.variants), q.speaker) == ("altered", 120, "Dana Reyes")


# --------------------------------------------------------------------------- hand labels


@cache
def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("quotes_quality", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


def test_demo_reworded_quote_is_altered() -> None:
    paths, labels = demo_sources()
    quotes = extract_quotes(load_sources(paths, labels=labels))
    (ortega,) = [q for q in quotes if q.variants[0].text.startswith("We will not sign")]
    assert ortega.status == "altered"
    assert ortega.speaker == "Marisol Ortega"
    assert len(ortega.variants) == 5
    assert any(v.text.startswith("We won't sign") for v in ortega.variants)


def test_demo_against_its_labels() -> None:
    fig = _bench().demo()
    assert fig.found == fig.gold_variants
    assert fig.predicted_hit == fig.predicted
    assert fig.speaker_right >= 0.95 * fig.found
    assert fig.altered_caught == fig.gold_altered
    assert fig.false_alarms == 0


def test_real_story_meets_the_bar(corpus: Path) -> None:
    fig = _bench().real(corpus)
    assert fig.found >= 0.85 * fig.gold_variants
    assert fig.speaker_right >= 0.75 * fig.found
    assert fig.altered_caught >= 4
    assert fig.false_alarms <= 3
