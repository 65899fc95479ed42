"""Bytes → text: encoding detection and newline normalisation.

The rule here is *never lose text silently*: every byte of a source either
decodes to a character or the source is refused with a :class:`DecodeError`.
No ``errors="replace"`` anywhere.

The fast path is strict UTF-8, which covers almost every file people save
today; charset-normalizer (slow to import, about 30 ms) is imported only
when that fails, and even then its guess is checked, because on short
Western text it often picks a Central European code page and turns
"crème" into "crčme".
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "DecodeError",
    "Decoded",
    "binary_problem",
    "declared_charset",
    "decode",
    "normalise_newlines",
]


class DecodeError(ValueError):
    """The bytes are not text we can decode without losing something."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem
        """A short human description, used as :attr:`SourceError.problem`."""


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded, newline-normalised text and the encoding it came from."""

    text: str
    encoding: str
    """A Python codec name (``utf-8``, ``utf-8-sig``, ``utf-16-le``, ``cp1252``…)."""


_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/OpenDocument file)"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
)

# Control bytes that never occur in real text files (TAB, LF, VT, FF, CR and
# ESC are left out: ESC shows up in text that was saved with terminal colours).
_CONTROL_BYTES = bytes([*range(0x01, 0x09), 0x0E, 0x0F, *range(0x10, 0x1B), *range(0x1C, 0x20)])
_CONTROL_TABLE = bytes.maketrans(_CONTROL_BYTES, b"\x00" * len(_CONTROL_BYTES))

_SAMPLE = 8192
"""Bytes looked at by the cheap sniffing heuristics."""


def binary_problem(data: bytes) -> str | None:
    """Say why *data* is not a text file, or return ``None`` if it may be text.

    Called after the BOM and BOM-less UTF-16 checks, so NUL bytes here mean
    binary data, unless there are only a stray few.
    """
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return f"is {what}, not text"
    sample = data[:_SAMPLE]
    # Binary formats are full of NUL bytes; a text that picked up a stray one or
    # two (a bad copy, a scraper's glitch) is still text, and the NUL is kept and
    # shown as a stand-in, not dropped.
    if data.count(0) > max(2, len(data) // 1000):
        return "looks like a binary file (it contains NUL bytes), not text"
    if sample:
        # Count control bytes by mapping them all to NUL: one C-level pass.
        controls = sample.translate(_CONTROL_TABLE).count(0)
        if controls > max(8, len(sample) // 20):
            return "looks like a binary file (many control bytes), not text"
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """Guess the byte order of BOM-less UTF-16 from where the NUL bytes sit.

    ASCII-heavy UTF-16 has a NUL in every other byte; binary files have NULs
    scattered everywhere.  Cheap, and only trusted if the decode is clean.
    """
    sample = data[:_SAMPLE]
    if len(sample) < 4 or len(data) % 2:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.3 * half and even < 0.02 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.02 * half:
        return "utf-16-be"
    return None


_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I
)


# Python codecs that no page is written in, though a page (or a server) can
# name them: the escape codecs and IDNA rewrite backslashes and dots (the
# escape codecs turn "\ud800" into a lone surrogate, which no text may hold),
# "undefined" refuses every byte with a bare UnicodeError, and browsers refuse
# UTF-7 as a script-injection risk.  A declaration naming one is ignored.
_NOT_CHARSETS = frozenset(
    ["undefined", "unicode-escape", "raw-unicode-escape", "idna", "punycode", "utf-7"]
)


def _charset(name: str) -> str | None:
    """The Python codec a declared charset names, or ``None`` if it names no character set."""
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return None if codec in _NOT_CHARSETS else codec


def declared_charset(data: bytes) -> str | None:
    """Return the charset an HTML page declares in a ``<meta>`` tag, if any.

    Per the HTML standard, "iso-8859-1" and "ascii" labels mean windows-1252.
    """
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    codec = _charset(match.group(1).decode("ascii").lower())
    if codec is None:
        return None
    if codec in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"
    return codec


def normalise_newlines(text: str) -> str:
    r"""Turn CRLF, bare CR and the Unicode line/paragraph separators into ``\n``.

    U+2029 (paragraph separator) becomes a blank line so it still separates
    paragraphs after normalisation.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\u2028" in text or "\u2029" in text:
        text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    return text


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeError, LookupError):
        # UnicodeError, not just UnicodeDecodeError: some codecs fail with the
        # bare base class ("undefined" always does).
        return None


_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_UTF8_RUN = re.compile(
    rb"(?:[\x00-\x7f]|[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]"
    rb"|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2})+"
)
"""Maximal runs of well-formed UTF-8; the bytes between runs are strays."""


def _mostly_utf8(data: bytes) -> str | None:
    """Decode UTF-8 text that has a few stray windows-1252 bytes pasted in.

    Scraped text often mixes the two (a UTF-8 page with one smart quote
    copied from a Word file).  Decoding the whole file as cp1252 would turn
    every accented letter into mojibake, so when valid multi-byte UTF-8
    clearly dominates, only the stray bytes are read as cp1252.  A stray
    byte cp1252 leaves undefined makes this fail: nothing is replaced.
    """
    valid = len(_UTF8_MULTIBYTE.findall(data))
    if valid < 2:
        return None
    parts: list[str] = []
    strays = 0
    pos = 0
    for run in _UTF8_RUN.finditer(data):
        if run.start() > pos:
            gap = data[pos : run.start()]
            strays += len(gap)
            text = _strict(gap, "cp1252")
            if text is None or strays > valid:
                return None
            parts.append(text)
        parts.append(run.group().decode("utf-8"))
        pos = run.end()
    if pos < len(data):
        strays += len(data) - pos
        tail = _strict(data[pos:], "cp1252")
        if tail is None or strays > valid:
            return None
        parts.append(tail)
    return "".join(parts)


_NON_LATIN_START = 0x0370  # Greek and everything after: not a Latin alphabet


def _misplaced(text: str) -> int:
    """Count non-ASCII symbols wedged between letters ("Za¿ó³æ"): a wrong code page.

    Typographic punctuation (U+2000-U+206F: curly apostrophes, dashes) is at
    home inside words ("it\u2019s") and does not count.
    """
    count = 0
    for i in range(1, len(text) - 1):
        ch = text[i]
        if ch <= "\x7f" or "\u2000" <= ch <= "\u206f":
            continue
        wedged = not ch.isalpha() and text[i - 1].isalpha() and text[i + 1].isalpha()
        if wedged or unicodedata.category(ch) == "Cc":
            count += 1
    return count


_LETTER_RUN = re.compile(r"[^\W\d_]+")


def _mixes_scripts(text: str) -> bool:
    """Whether a third or more of the words with non-ASCII letters also hold ASCII ones
    while being mostly non-Latin: the mark of a wrong code page on Latin text."""
    foreign = mixed = 0
    for m in _LETTER_RUN.finditer(text):
        word = m.group()
        if word.isascii():
            continue
        if any(ord(ch) >= _NON_LATIN_START for ch in word):
            foreign += 1
            if any(ch.isascii() for ch in word):
                mixed += 1
    return foreign > 0 and mixed * 3 >= foreign


_FOREIGN_LINE = re.compile(r"[^\n]*[^\x00-\x7f][^\n]*")
_JUDGED = 65_536
"""Characters of a reading that the code-page checks look at."""


def _judged(text: str) -> str:
    """What the checks below read of *text*: all of it when short, else its lines with
    non-ASCII characters up to :data:`_JUDGED` characters (the ASCII lines read alike in
    every code page, and the checks are Python loops over characters)."""
    if len(text) <= _JUDGED:
        return text
    lines: list[str] = []
    room = _JUDGED
    for m in _FOREIGN_LINE.finditer(text):
        lines.append(m.group()[:room])
        room -= len(lines[-1])
        if room <= 0:
            break
    return "\n".join(lines)


def _legacy(data: bytes) -> Decoded | None:
    """Pick an 8-bit encoding: charset-normalizer's guess, checked against cp1252."""
    from charset_normalizer import from_bytes  # lazy: only non-UTF-8 input pays for it

    best = from_bytes(data).best()
    guess = codecs.lookup(best.encoding).name if best is not None else None
    guessed = _strict(data, guess) if guess else None
    western = _strict(data, "cp1252")
    if guess is not None and guess.startswith(("utf-16", "utf-32")) and b"\0" not in data:
        # Text in UTF-16 or UTF-32 has NUL bytes (its spaces, digits and newlines);
        # without any, the guess only paired up 8-bit bytes ("Straße" as "瑓慲旟").
        guessed = None
    if guessed is not None and guess is not None and guess != "cp1252":
        sample = _judged(guessed)
        letters = [ch for ch in sample if ch > "\x7f" and ch.isalpha()]
        non_latin = sum(1 for ch in letters if ord(ch) >= _NON_LATIN_START)
        # A Cyrillic, Greek, Arabic… reading made of real letters, each word in one
        # script: trust it. Short Western text often reads as some far code page,
        # but then its non-Latin letters sit inside Latin words ("cafﻠ").
        if letters and non_latin * 2 > len(letters) and not _mixes_scripts(sample):
            return Decoded(guessed, guess)
        # Two Latin readings: keep the guess only if cp1252 reads worse.
        if western is None or _misplaced(sample) < _misplaced(_judged(western)):
            return Decoded(guessed, guess)
    if western is not None:
        # Without bytes in 0x80-0x9F the file is plain ISO-8859-1 (Latin-1).
        if re.search(rb"[\x80-\x9f]", data) is None:
            return Decoded(western, "latin-1")
        return Decoded(western, "cp1252")
    if guessed is not None and guess is not None:
        return Decoded(guessed, guess)
    return None


def decode(data: bytes, *, declared: str | None = None) -> Decoded:
    """Decode *data* to text with normalised newlines, or raise :class:`DecodeError`.

    Order: byte-order marks, BOM-less UTF-16, binary checks, strict UTF-8,
    UTF-8 with stray cp1252 bytes, the *declared* charset (an HTML ``<meta>``),
    then charset-normalizer checked against cp1252.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom) :], encoding.removesuffix("-sig"))
            if text is None:
                raise DecodeError(f"is not valid {encoding.removesuffix('-sig').upper()} text")
            return Decoded(normalise_newlines(text), encoding)
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        text = _strict(data, utf16)
        if text is not None:
            return Decoded(normalise_newlines(text), utf16)
    problem = binary_problem(data)
    if problem is not None:
        raise DecodeError(problem)
    text = _strict(data, "utf-8")
    if text is not None:
        return Decoded(normalise_newlines(text), "utf-8")
    mixed = _mostly_utf8(data)
    if mixed is not None:
        return Decoded(normalise_newlines(mixed), "utf-8+cp1252")
    # A charset from an HTTP header arrives unchecked: it may name no character set.
    if declared is not None and declared != "utf-8" and _charset(declared) is not None:
        text = _strict(data, declared)
        if text is not None:
            return Decoded(normalise_newlines(text), declared)
    legacy = _legacy(data)
    if legacy is None:
        raise DecodeError("cannot be decoded as text (not UTF-8, UTF-16 or a known 8-bit encoding)")
    return Decoded(normalise_newlines(legacy.text), legacy.encoding)
