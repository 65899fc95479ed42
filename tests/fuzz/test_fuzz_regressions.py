"""Inputs that broke the loading contract once, each kept so it cannot come back.

Each failed before the fix named in its docstring.  Larger findings are files
under ``tests/data/fuzz/`` (named for the bug; ``.stdin`` files are given on
standard input, so that the loader sniffs their format).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from storylens.core.decode import declared_charset, decode

from .contract import check_load


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
