"""Sentence boundaries, good enough for news prose and fast enough for a million words.

A full sentence segmenter (e.g. pySBD) handles more corner cases but costs
milliseconds per paragraph; news copy is regular, and the engine only needs
boundaries to match statements across outlets, so a boundary rule with an
abbreviation list does the job at a fraction of the cost.
"""

from __future__ import annotations

import re

_LATIN_BOUNDARY = r"[.!?…]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9À-Ý])"
_BOUNDARY = re.compile(
    _LATIN_BOUNDARY
    # Chinese and Japanese full stops end a sentence with or without a space after.
    + r"|[。！？]+[」』”’）)]*\s*(?=\S)"
)
_CJK_STOPS = "。！？"
# A pattern that starts with one character class lets the regex engine skip
# ahead to the next candidate in C; the alternation above does not, and costs
# twice as much. Text without CJK full stops only needs the first branch.
_LATIN_ONLY = re.compile(_LATIN_BOUNDARY)


def _boundaries(text: str) -> re.Pattern[str]:
    if text.isascii() or not any(stop in text for stop in _CJK_STOPS):
        return _LATIN_ONLY
    return _BOUNDARY


_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sen",
        "rep",
        "gov",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "maj",
        "pres",
        "st",
        "jr",
        "sr",
        "rev",
        "hon",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "no",
        "vs",
        "etc",
        "inc",
        "corp",
        "ltd",
        "co",
        "dept",
        "est",
        "mt",
        "ft",
        "u.s",
        "u.k",
        "u.n",
        "e.g",
        "i.e",
        "a.m",
        "p.m",
    ]
)


_LONGEST = max(map(len, _ABBREVIATIONS))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` ranges of the sentences in *text*, covering it in order.

    Whitespace between sentences is attached to the preceding sentence, so the
    ranges tile the text exactly.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _boundaries(text).finditer(text):
        end = match.start()
        if text[end] == ".":
            # The word before the full stop: an abbreviation or an initial is no
            # boundary. Those are at most _LONGEST characters, so only that far back
            # is looked at (a sentence's last word is usually longer).
            lo = max(start, end - _LONGEST - 1)
            word_start = max(text.rfind(" ", lo, end), text.rfind("(", lo, end)) + 1
            if word_start or lo == start:
                word = text[word_start or start : end].lower().rstrip(".")
                if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                    continue
        spans.append((start, match.end()))
        start = match.end()
    if start < len(text) or not spans:
        spans.append((start, len(text)))
    return spans
