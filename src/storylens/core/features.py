"""What the aligner knows about each paragraph: its words as ids, its content, its sentences."""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from .model import Document, Paragraph
from .sentences import sentence_spans
from .tokens import Vocabulary, find_words, fold, split_words


@dataclass(slots=True)
class Sentence:
    """One sentence of a paragraph: where it is, its words, its content."""

    start: int
    end: int
    """Character range in the paragraph's text (trailing space included)."""
    first: int
    """Index of its first word among the paragraph's words."""
    tokstr: str
    """Its words as a token string (a slice of the paragraph's)."""
    content: frozenset[int]
    """Stem ids of its content words."""


@dataclass(slots=True)
class Features:
    """Comparison features of one paragraph (built once, read by align and classify)."""

    paragraph: Paragraph
    doc_index: int
    tokstr: str
    """One character per word id: the word sequence, for rapidfuzz."""
    content: frozenset[int]
    """Stem ids of the content words."""
    stem_of: list[int] = field(repr=False, default_factory=list)
    """Word id → stem id (-1: a function word), shared by all paragraphs."""
    weight: float = 0.0
    """Sum of the content words' weights (set once weights are known)."""
    _sentences: list[Sentence] | None = field(default=None, repr=False)
    _bounds: list[int] | None = field(default=None, repr=False)

    @property
    def bounds(self) -> list[int]:
        """Word offsets, flat: word *i* is ``text[bounds[2 * i] : bounds[2 * i + 1]]``.

        Found on first use. split() with a capturing group alternates gaps and
        words; summing the piece lengths in C gives every offset without a match
        object (or a tuple) per word.
        """
        if self._bounds is None:
            self._bounds = list(accumulate(map(len, split_words(self.paragraph.text))))
        return self._bounds

    @property
    def sentences(self) -> list[Sentence]:
        """The paragraph's sentences, tiling its text (split on first use).

        Only paragraphs that differ from every counterpart need sentences, so
        splitting waits until someone asks.
        """
        if self._sentences is None:
            self._sentences = self._split()
        return self._sentences

    def _split(self) -> list[Sentence]:
        text = self.paragraph.text
        stem_of = self.stem_of
        starts = self.bounds[0::2]
        out: list[Sentence] = []
        pos = 0
        for start, end in sentence_spans(text):
            n = bisect_left(starts, end, pos) - pos
            tokstr = self.tokstr[pos : pos + n]
            stems = set(map(stem_of.__getitem__, map(ord, tokstr)))
            stems.discard(-1)
            out.append(Sentence(start, end, pos, tokstr, frozenset(stems)))
            pos += n
        return out


def featurise(documents: Sequence[Document], vocab: Vocabulary) -> list[list[Features]]:
    """Build the features of every paragraph of every document."""
    # Raw word -> word id, and word id -> stem id (-1: a function word): one
    # dict lookup per word after its first sighting, which keeps a million
    # words cheap.
    seen: dict[str, int] = {}
    stem_of: list[int] = [-1] * len(vocab.words)

    def learn(word: str) -> int:
        folded = fold(word)
        wid = seen[word] = vocab.word_id(folded)
        if wid >= len(stem_of):
            stem_of.extend([-1] * (wid + 1 - len(stem_of)))
        sid = vocab.stem_id(folded)
        stem_of[wid] = -1 if sid is None else sid
        return wid

    findall = find_words
    get = seen.get

    def read(text: str) -> tuple[str, frozenset[int]]:
        words = findall(text)
        # Every step runs in C (map, join, set) unless a word is new.
        found = list(map(get, words))
        if None in found:  # new words: number them (a word twice learns once)
            pairs = zip(found, words, strict=True)
            found = [i if i is not None else get(w) or learn(w) for i, w in pairs]
        ids: list[int] = found  # type: ignore[assignment]  # no None left
        stems = set(map(stem_of.__getitem__, ids))
        stems.discard(-1)
        return "".join(map(chr, ids)), frozenset(stems)

    # Outlets repeat each other word for word: a paragraph seen before reuses its
    # token string and content set, and so does a sentence (roughly: the text
    # between full stops) of a paragraph that was reworded elsewhere. No word
    # spans a space, so cutting at ". " leaves every word whole and in order.
    known: dict[str, tuple[str, frozenset[int]]] = {}
    pieces: dict[str, tuple[str, frozenset[int]]] = {}
    out: list[list[Features]] = []
    for d, doc in enumerate(documents):
        feats: list[Features] = []
        for para in doc.paragraphs:
            text = para.text
            got = known.get(text)
            if got is None:
                parts = text.split(". ")
                if len(parts) == 1:
                    got = read(text)
                else:
                    read_parts = []
                    for part in parts:
                        piece = pieces.get(part)
                        if piece is None:
                            piece = pieces[part] = read(part)
                        read_parts.append(piece)
                    got = (
                        "".join([tokstr for tokstr, _ in read_parts]),
                        frozenset().union(*[content for _, content in read_parts]),
                    )
                known[text] = got
            feats.append(Features(para, d, got[0], got[1], stem_of))
        out.append(feats)
    return out


def content_weights(features: Sequence[Sequence[Features]], n_stems: int) -> list[float]:
    """Weigh each stem by how rare it is *within* a document, averaged over documents.

    Every outlet tells the same story, so a name found in one paragraph of each
    outlet is rare (and telling) even though every document contains it; a word
    found in many paragraphs of each outlet says little about which paragraph
    is which. The weights are also stored on each paragraph's features.
    """
    counts = [0] * n_stems
    for feats in features:
        for f in feats:
            for sid in f.content:
                counts[sid] += 1
    n_docs = max(1, len(features))
    avg_paras = max(1.0, sum(len(f) for f in features) / n_docs)
    weights = [math.log(1.0 + avg_paras / max(c / n_docs, 0.5)) for c in counts]
    for feats in features:
        for f in feats:
            f.weight = sum(map(weights.__getitem__, f.content))
    return weights
