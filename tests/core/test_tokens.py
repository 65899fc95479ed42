"""Word folding, stemming and sentence boundaries."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from storylens.core.sentences import sentence_spans
from storylens.core.tokens import WORD, Vocabulary, fold, is_number, stem


def test_fold_ignores_case_accents_and_apostrophe_style() -> None:
    assert fold("Nicolás") == fold("NICOLAS") == "nicolas"
    assert fold("don’t") == fold("don't")


def test_stem_makes_inflections_meet() -> None:
    assert stem("supporting") == stem("supported") == stem("support")
    assert stem("countries") == stem("country")
    assert stem("planned") == stem("plan")
    assert stem("1999") == "1999"


def test_numbers() -> None:
    assert is_number("14") and is_number("million") and is_number("twelve")
    assert not is_number("mayor")


def test_vocabulary_skips_surrogates_and_drops_function_words() -> None:
    vocab = Vocabulary()
    vocab.words.extend([""] * (0xD800 - 1))
    wid = vocab.word_id("harbour")
    assert not 0xD800 <= wid <= 0xDFFF
    assert chr(wid).encode("utf-8")  # a valid character of a token string
    assert vocab.stem_id("the") is None
    assert vocab.stem_id("harbour") is not None

    text = (
        'Mr. Ruiz met U.S. officials in St. Paul on Monday. "We agreed," she said. '
        "Then 3 left! Why?"
    )
    spans = sentence_spans(text)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    parts = [text[a:b].strip() for a, b in spans]
    assert parts == [
        "Mr. Ruiz met U.S. officials in St. Paul on Monday.",
        '"We agreed," she said.',
        "Then 3 left!",
        "Why?",
    ]


def test_sentences_of_text_without_boundaries() -> None:
    assert sentence_spans("") == [(0, 0)]
    assert sentence_spans("no full stop here") == [(0, 17)]


def test_words_keep_their_combining_marks() -> None:
    decomposed = "cafe\u0301 au lait"
    assert WORD.findall(decomposed) == ["cafe\u0301", "au", "lait"]
    assert fold("cafe\u0301") == fold("café") == "cafe"
    # Devanagari vowel signs and the virama are marks, not word breaks.
    assert WORD.findall("हिन्दी भाषा") == ["हिन्दी", "भाषा"]


def test_scripts_without_spaces_give_one_token_per_character() -> None:
    assert WORD.findall("港口预算。") == ["港", "口", "预", "算"]
    assert WORD.findall("ภาษา") == ["ภ", "า", "ษ", "า"]
    # Mixed text: a Latin word stays whole next to ideographs.
    assert WORD.findall("在Ruiz市长") == ["在", "Ruiz", "市", "长"]
    # A lone Thai vowel sign folds to itself, never to an empty word.
    assert fold("\u0e31") == "\u0e31"


def test_ideographs_are_content_words_and_kana_particles_are_not() -> None:
    vocab = Vocabulary()
    assert vocab.stem_id("港") is not None
    assert vocab.stem_id("ภ") is not None
    assert vocab.stem_id("の") is None
    assert vocab.stem_id("j") is None  # an initial


def test_chinese_and_japanese_full_stops_end_sentences() -> None:
    text = "市议会周二投票。市长表示同意！「好」他说。"
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "市议会周二投票。",
        "市长表示同意！",
        "「好」他说。",
    ]


def test_find_words_gives_what_the_word_pattern_gives() -> None:
    from storylens.core.tokens import find_words

    for text in [
        "The U.S. paid $3,000.50 on Jan. 4 -- don't ask, it's 4.2% (or so).",
        "Nicolás Maduro’s rival's cafe\u0301 in 市议会 said “no”.",
        "snake_case and x1 y_2 __init__ 'quoted' end.",
    ]:
        assert find_words(text) == WORD.findall(text)


def test_word_offsets_match_the_words_in_ascii_and_other_text() -> None:
    from storylens.core.features import Features
    from storylens.core.model import Paragraph

    for text in ["It's 4.2% of U.S. sales, don't ask.", "Nicolás’ café in 市议会, 4,000 words."]:
        para = Paragraph("d0.p0", "d0", 0, "body", text, 0, len(text))
        feats = Features(para, 0, "", frozenset())
        starts, ends = feats.bounds[0::2], feats.bounds[1::2]  # the list ends with len(text)
        assert [text[a:b] for a, b in zip(starts, ends, strict=False)] == WORD.findall(text)


def test_an_abbreviation_opening_a_later_sentence_is_no_boundary() -> None:
    text = "He left. Mr. Smith stayed. The U.S. Army came. (Gen. Lee) agreed."
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "He left. ",
        "Mr. Smith stayed. ",
        "The U.S. Army came. ",
        "(Gen. Lee) agreed.",
    ]


@given(st.text(alphabet=" \n.!?…。！？\"'”’“‘)(][」』）AaZzÀÉé09x", max_size=60))
def test_the_quicker_boundary_pattern_finds_what_the_full_one_finds(text: str) -> None:
    from storylens.core.sentences import _BOUNDARY, _boundaries

    assert [m.span() for m in _boundaries(text).finditer(text)] == [
        m.span() for m in _BOUNDARY.finditer(text)
    ]
