"""What the aligner knows about each paragraph: its words as ids, its content, its sentences."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .model import Document, Paragraph
from .sentences import sentence_spans
from .tokens import WORD, Vocabulary, fold


@dataclass(slots=True)
class Features:
    """Comparison features of one paragraph (built once, read by align and classify)."""

    paragraph: Paragraph
    doc_index: int
    tokstr: str
    """One character per word id: the word sequence, for rapidfuzz."""
    content: frozenset[int]
    """Stem ids of the content words."""
    sentences: list[frozenset[int]]
    """Content stem ids of each sentence."""
    weight: float = 0.0
    """Sum of the content words' weights (set once weights are known)."""


def featurise(documents: Sequence[Document], vocab: Vocabulary) -> list[list[Features]]:
    """Build the features of every paragraph of every document."""
    word_id = vocab.word_id
    stem_id = vocab.stem_id
    out: list[list[Features]] = []
    for d, doc in enumerate(documents):
        feats: list[Features] = []
        for para in doc.paragraphs:
            text = para.text
            ids: list[int] = []
            sentences: list[frozenset[int]] = []
            for start, end in sentence_spans(text):
                stems: set[int] = set()
                for word in WORD.findall(text, start, end):
                    folded = fold(word)
                    ids.append(word_id(folded))
                    sid = stem_id(folded)
                    if sid is not None:
                        stems.add(sid)
                sentences.append(frozenset(stems))
            content = frozenset().union(*sentences) if sentences else frozenset()
            feats.append(Features(para, d, "".join(map(chr, ids)), content, sentences))
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
            f.weight = sum(weights[s] for s in f.content)
    return weights
