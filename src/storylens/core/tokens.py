"""Words as the engine compares them: folded, numbered, and weighed.

Comparison ignores case, accents, punctuation and quote/dash style, so words are
lower-cased and stripped of diacritics before they are numbered. A paragraph's
words are also kept as a *token string*: one character per word id, so that
rapidfuzz can compare word sequences with its fast string code.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

# Scripts written without spaces between words (Thai, Lao, Myanmar, Khmer, kana,
# CJK ideographs): each character is a token of its own, so two paragraphs that
# differ by one character still share all their other tokens. (A dictionary
# segmenter would find real words, but alignment only needs shared runs.)
_NO_SPACE = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f"
)
# Combining marks that belong inside a word (accents typed as separate characters,
# Hebrew and Arabic points, Indic vowel signs and viramas): ``\w`` leaves them out,
# which would cut "café" (decomposed) or "हिन्दी" into pieces.
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670"
    "\u06d6-\u06ed\u0900-\u0963\u0966-\u0dff\u1ab0-\u1aff\u1dc0-\u1dff"
    "\u20d0-\u20ff\ufe20-\ufe2f"
)
_LETTERS = f"[^\\W{_NO_SPACE}][^\\W{_NO_SPACE}]*(?:[{_MARKS}]+[^\\W{_NO_SPACE}]*)*"
WORD = re.compile(f"[{_NO_SPACE}]|{_LETTERS}(?:[.,'’]{_LETTERS})*")
"""A word: letters and digits with their combining marks, joined across inner
apostrophes and number marks (``don't``, ``4.2``, ``1,500``); in scripts written
without spaces, one character."""

_ASCII_WORD = re.compile(r"\w+(?:[.,']\w+)*", re.ASCII)
"""WORD for text that is all ASCII (the same matches, found about 40% faster)."""


def find_words(text: str) -> list[str]:
    """The words of *text* as :data:`WORD` finds them."""
    # isascii() is a flag lookup on CPython's compact strings, not a scan.
    return (_ASCII_WORD if text.isascii() else WORD).findall(text)


_ASCII_SPLIT = re.compile(f"({_ASCII_WORD.pattern})", re.ASCII)


@cache
def _unicode_split() -> re.Pattern[str]:
    # Compiled on first need: WORD's Unicode classes take milliseconds to compile.
    return re.compile(f"({WORD.pattern})")


def split_words(text: str) -> list[str]:
    """*text* cut around its words, kept: gap, word, gap, …, word, gap."""
    return (_ASCII_SPLIT if text.isascii() else _unicode_split()).split(text)


_CONTENT_CHARACTER = re.compile(f"[{_NO_SPACE}]")
"""One-character tokens that carry meaning (kana particles aside, see ``stem_id``)."""
_HIRAGANA = re.compile("[\u3040-\u309f]")

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "nor",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "said",
        "says",
        "say",
        "told",
        "according",
        "mr",
        "mrs",
        "ms",
        "dr",
        "s",
        "t",
        "its",
        "it's",
        "that's",
        "who's",
        "he's",
        "she's",
        "they're",
        "we're",
        "i'm",
    ]
)
"""Function words left out of content comparison (they say nothing about *what* is reported)."""

NEGATIONS = frozenset(
    [
        "no",
        "not",
        "never",
        "none",
        "nobody",
        "nothing",
        "neither",
        "nor",
        "without",
        "cannot",
        "can't",
        "won't",
        "don't",
        "doesn't",
        "didn't",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
        "hasn't",
        "haven't",
        "hadn't",
        "shouldn't",
        "wouldn't",
        "couldn't",
        "mustn't",
        "n't",
    ]
)
"""Words whose presence or absence flips a statement's meaning."""

NUMBER_WORDS = frozenset(
    [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "hundred",
        "thousand",
        "million",
        "billion",
        "trillion",
        "dozen",
        "dozens",
        "hundreds",
        "thousands",
        "millions",
        "billions",
        "half",
        "percent",
    ]
)
"""Words that state a quantity, for flagging changed numbers."""


@lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """Return *word* lower-cased, without accents, with one apostrophe style."""
    word = word.lower().translate(_APOSTROPHES)
    if "." in word and not word[0].isdigit():
        word = word.replace(".", "")  # U.S. = US
    if word.isascii():
        return word
    bare = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    # A token that is all marks (a Thai vowel sign on its own) keeps them.
    return bare or word


_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ers", "es", "ed", "er", "ly", "s")


@lru_cache(maxsize=1 << 16)
def stem(folded: str) -> str:
    """Strip common English inflections so ``supporting`` ~ ``support`` ~ ``supported``.

    Deliberately light: it only needs to make rewordings meet, never to be a
    linguistically correct root, and it runs once per distinct word.
    """
    if folded.endswith("'s"):
        folded = folded[:-2]
    if len(folded) <= 4 or folded.isdigit():
        return folded
    for suffix in _SUFFIXES:
        if folded.endswith(suffix) and len(folded) - len(suffix) >= 3:
            root = folded[: -len(suffix)]
            if suffix in ("ies", "ied"):
                root += "y"
            elif len(root) > 3 and root[-1] == root[-2] and root[-1] not in "ls":
                root = root[:-1]  # stopped -> stop, planned -> plan
            return root
    return folded


def is_number(folded: str) -> bool:
    """True for a word that states a quantity (``14``, ``3.5``, ``million``, ``twelve``)."""
    return folded[:1].isdigit() or folded in NUMBER_WORDS


class Vocabulary:
    """Numbers words and stems for one comparison, so sets and sequences are of ints."""

    __slots__ = ("stem_ids", "word_ids", "words")

    def __init__(self) -> None:
        self.word_ids: dict[str, int] = {}
        """Folded word → id (ids start at 1; their characters form token strings)."""
        self.stem_ids: dict[str, int] = {}
        """Stem of a content word → id."""
        self.words: list[str] = [""]
        """Id → folded word."""

    def word_id(self, folded: str) -> int:
        """Return the id of a folded word, numbering it on first sight."""
        wid = self.word_ids.get(folded)
        if wid is None:
            wid = len(self.words)
            # Skip the surrogate range so every id is a valid character of a str.
            if 0xD800 <= wid <= 0xDFFF:
                self.words.extend([""] * (0xE000 - wid))
                wid = len(self.words)
            self.word_ids[folded] = wid
            self.words.append(folded)
        return wid

    def stem_id(self, folded: str) -> int | None:
        """Return the id of the stem of a content word, or None for a function word."""
        if folded in STOPWORDS:
            return None
        # A lone letter is an initial; a lone ideograph or Thai letter is a word of
        # its script and counts (hiragana mostly writes particles and endings).
        if (
            len(folded) == 1
            and not folded.isdigit()
            and (not _CONTENT_CHARACTER.match(folded) or _HIRAGANA.match(folded))
        ):
            return None
        root = stem(folded)
        sid = self.stem_ids.get(root)
        if sid is None:
            sid = len(self.stem_ids)
            self.stem_ids[root] = sid
        return sid
