"""Inputs that broke the loading contract once, each kept so it cannot come back.

Each failed before the fix named in its docstring.  Larger findings are files
under ``tests/data/fuzz/`` (named for the bug; ``.stdin`` files are given on
standard input, so that the loader sniffs their format).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from storylens.core.decode import declared_charset, decode
from storylens.core.segment import markdown_blocks

from .contract import check_load, time_limit

SECONDS = 5.0
"""Time limit for the inputs that were slow: each now takes well under a second."""


class TestDeclaredCharsets:
    """A page or a server can name any Python codec as its charset."""

    PAGE = b'<html><head><meta charset="%s"></head><body><p>it\x92s %s</p></body></html>'

    def test_undefined_codec(self, tmp_path: Path) -> None:
        """ "undefined" fails with a bare UnicodeError, which escaped as a crash.
        Fix: a declaration naming no character set is ignored; any UnicodeError
        means "not this encoding"."""
        data = self.PAGE % (b"undefined", b"news about the harbour")
        doc = check_load(data, ".html", folder=tmp_path)
        assert doc is not None and doc.encoding == "cp1252"

    def test_undefined_codec_from_a_server(self) -> None:
        """The same name in an HTTP header reaches decode() unchecked."""
        data = b"The caf\xe9 by the harbour opens at nine."
        assert decode(data, declared="undefined") == decode(data)

    @pytest.mark.parametrize("codec", [b"unicode_escape", b"raw_unicode_escape"])
    def test_escape_codecs(self, tmp_path: Path, codec: bytes) -> None:
        """An escape codec turned "\\ud800" into a lone surrogate, and the page text
        after it was lost.  Fix: such codecs are not character sets; ignored."""
        data = self.PAGE % (codec, rb"\ud800 news about the harbour")
        doc = check_load(data, ".html", folder=tmp_path)
        assert doc is not None and "harbour" in doc.text

    @pytest.mark.parametrize("name", [b"undefined", b"idna", b"punycode", b"utf-7"])
    def test_not_a_charset(self, name: bytes) -> None:
        assert declared_charset(b'<meta charset="' + name + b'">') is None


class TestSlowInputs:
    """Regular expressions and joins that grew faster than the input."""

    def test_many_comments_before_text(self, tmp_path: Path) -> None:
        """Sniffing for HTML backtracked exponentially over leading comments
        (30 took minutes).  Fix: a comment's body cannot contain "-->"."""
        data = b"<!---->" * 40 + b"Plain words after many comments."
        check_load(data, "-", seconds=SECONDS, folder=tmp_path)

    def test_long_line_of_brackets(self, tmp_path: Path) -> None:
        """Sniffing for Markdown links was quadratic on a long line of "[" with no
        "]" (12 s at 50,000 characters).  Fix: link text cannot contain "["."""
        check_load(b"[" * 60_000 + b" words", "-", seconds=SECONDS, folder=tmp_path)

    def test_long_markdown_paragraph(self) -> None:
        """Joining a Markdown paragraph's lines searched all the text joined so far
        for a trailing hyphen, once per line: quadratic (2 s at 50,000 characters,
        minutes at a few megabytes).  Fix: only its last characters are looked at."""
        text = "word\n" * 30_000
        with time_limit(SECONDS):
            blocks, _ = markdown_blocks(text)
        assert len(blocks) == 1 and blocks[0].text.count("word") == 30_000
