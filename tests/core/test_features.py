"""Paragraph features: the word ids and content sets the aligner and classifier read."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from storylens.core.features import Features, featurise
from storylens.core.model import Document, Paragraph
from storylens.core.tokens import Vocabulary, find_words, fold

# Pieces that test where words end: full stops inside and after words, number marks,
# apostrophes, accents, a space-less script and whitespace of several kinds.
PIECES = st.sampled_from(
    [
        *("U.S.", "Mr.", "4.2", "1,500", "don't", "a.m.", "x", ".", "said", "the", "police"),
        *("Nicolás", "café", "cafe\u0301", "市议会", "Ruiz"),
    ]
)
GAPS = st.sampled_from([" ", ". ", ", ", "  ", ".  ", "! ", " . ", "\u00a0"])
TEXT = st.lists(st.tuples(PIECES, GAPS), min_size=1, max_size=14).map(
    lambda pairs: "".join(word + gap for word, gap in pairs).strip()
)


def _documents(texts: list[list[str]]) -> list[Document]:
    docs = []
    for d, paragraphs in enumerate(texts):
        paras = tuple(
            Paragraph(f"d{d}.p{k}", f"d{d}", k, "body", text, 0, len(text))
            for k, text in enumerate(paragraphs)
        )
        docs.append(Document(f"d{d}", f"d{d}", f"d{d}.txt", None, "\n\n".join(paragraphs), paras))
    return docs


def _expected(text: str, vocab: Vocabulary) -> tuple[list[str], set[int]]:
    words = [fold(w) for w in find_words(text)]
    stems = {vocab.stem_id(w) for w in words}
    stems.discard(None)
    return words, stems  # type: ignore[return-value]  # None discarded


def _check(feats: list[list[Features]], vocab: Vocabulary) -> None:
    for doc_feats in feats:
        for f in doc_feats:
            words, stems = _expected(f.paragraph.text, vocab)
            assert [vocab.words[ord(c)] for c in f.tokstr] == words
            assert f.content == stems


@given(st.lists(st.lists(TEXT, min_size=1, max_size=4), min_size=1, max_size=3))
def test_token_strings_and_content_are_the_paragraphs_words(texts: list[list[str]]) -> None:
    vocab = Vocabulary()
    _check(featurise(_documents(texts), vocab), vocab)


@given(TEXT, TEXT, TEXT)
def test_sentences_shared_between_paragraphs_are_read_the_same(a: str, b: str, c: str) -> None:
    # Paragraphs that share sentences reuse what was read of them: the result must
    # be what reading each paragraph whole gives, in either order.
    texts = [[f"{a}. {b}", f"{b}. {c}", f"{a}. {b}. {c}", a]]
    for order in (texts, [list(reversed(texts[0]))]):
        vocab = Vocabulary()
        _check(featurise(_documents(order), vocab), vocab)


def test_word_ids_follow_first_sighting_in_reading_order() -> None:
    vocab = Vocabulary()
    featurise(_documents([["Ruiz spoke. The mayor left."], ["The mayor spoke. Ruiz left."]]), vocab)
    assert [w for w in vocab.words if w] == ["ruiz", "spoke", "the", "mayor", "left"]
