"""Word folding, stemming and sentence boundaries."""

from __future__ import annotations

import itertools

from storylens.core.sentences import sentence_spans
from storylens.core.tokens import Vocabulary, fold, is_number, stem


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
