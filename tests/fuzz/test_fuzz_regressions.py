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

from .contract import (
    check_load,
    check_markdown_segmentation,
    time_limit,
)

DATA = Path(__file__).parents[1] / "data" / "fuzz"
SECONDS = 5.0
"""Time limit for the inputs that were slow: each now takes well under a second."""
FILES = sorted(p for p in DATA.iterdir() if not p.name.startswith("."))


def suffix_of(path: Path) -> str:
    """How a finding was given: standard input for ``.stdin``, else a file with its suffix."""
    return "-" if path.suffix == ".stdin" else path.suffix


@pytest.mark.parametrize("keep", [False, True])
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_findings_on_file(tmp_path: Path, path: Path, keep: bool) -> None:
    """HTML where the extractor's paragraphs do not line up with the page's words.

    ``table-dropped-between-anchors``: trafilatura fell back to one paragraph
    that glued list items together and left a table out; found by its first
    and last words, it covered the page's table and list lines, whose words
    were then kept nowhere.  ``word-split-by-extractor*``: trafilatura split a
    page word ("mairie" into "mairi" and "e."), and the exact matches of the
    two pieces covered the page's word.  ``control-char-inside-word``: see
    the next test but one.  Fix (the first two): page lines the article text does
    not account for, or that a match cuts inside a word, are set aside.
    """
    assert check_load(path.read_bytes(), suffix_of(path), keep_boilerplate=keep, folder=tmp_path)


def test_html_word_split_by_extractor_in_a_long_page(tmp_path: Path) -> None:
    """The same word split, from a 64-byte chunk repeated to 50,000 bytes (KOI8-R)."""
    chunk = (
        b"<p>a</p>\xcf\xcf\xcf\xcf\xcf>a</p>\xcf\xcf\xcf\xcf\xcf\xcf\xcf\xcf>a</p>"
        b"\xcf\xcf\xcf\xcf\xcf\xcf\xcf\xcf>a</p>\xcf\xcf\xcf\xcf\xcf\xcf\xcf\xcf>\xcf>a</p>\xcf"
    )
    data = chunk * (50_000 // len(chunk))
    assert check_load(data, ".html", keep_boilerplate=True, folder=tmp_path)


@pytest.mark.parametrize("control", ["\x13", "\x00", "\ufffe"])
def test_html_control_character_between_words(tmp_path: Path, control: str) -> None:
    """trafilatura deletes characters XML does not allow, so "sailing\\x13on" became
    "sailingon" in the article while the page text had two words, covered and kept
    nowhere.  Fix: both see a space there.  (UTF-16, so the NUL is not "binary".)
    """
    html = (
        "<p>The river ferry will run an extra sailing"
        f"{control}on Sundays from next month, the operator said.</p>"
    )
    doc = check_load(html.encode("utf-16"), ".html", folder=tmp_path)
    assert doc is not None
    assert "sailing on Sundays" in " ".join(p.text for p in doc.paragraphs)


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


class TestMarkdown:
    """Markdown text a reader sees, kept."""

    @pytest.mark.parametrize(
        "text",
        [
            "<div>\n1 < 2 and 3 > 2 the ferry said\n</div>",
            "<div>\n</b then<!---->the ferry said> more\n</div>",
        ],
    )
    def test_html_block_text_that_is_not_a_tag(self, text: str) -> None:
        """Raw HTML blocks lost words a browser shows.  Tags were stripped with
        "<[^>]*>", which also took the words from a lone "<" up to the next ">";
        and comments were stripped before tags, so a comment's removal could turn
        "</b then<!---->the ferry said>" into one long tag.  Found by atheris.
        Fix: one left-to-right pass over comments and real tags only."""
        check_markdown_segmentation(text)

    def test_html_block_unclosed_comment(self) -> None:
        """An unclosed comment's text was eaten up to the ">" of a later tag (the
        hypothesis tests found it when the reference still kept unclosed comments)."""
        result = check_markdown_segmentation("<!--harbour<http://example.invalid/auto>harbour")
        kept = " ".join([p.text for p in result.paragraphs] + [s.text for s in result.set_aside])
        assert kept.count("harbour") == 2

    def test_image_alt_text_glued_to_a_word(self) -> None:
        """Alt text joined the word before it: "image![the tower](t.jpg)" read
        "imagethe".  Fix: a space where alt text meets a word."""
        result = check_markdown_segmentation("An image![the tower](t.jpg)here too.")
        assert result.paragraphs[0].text == "An image the tower here too."

    def test_bare_carriage_returns(self) -> None:
        """markdown-it ends lines at CR too, the line index only at LF: blocks after a
        bare CR pointed at the wrong lines, and an HTML block at blank text came
        out as an empty set-aside text.  Fix: the index ends lines where markdown-it does.
        """
        text = "Harbour\r\r\r<div>\n   "
        result = check_markdown_segmentation(text)
        assert [s.text for s in result.set_aside] == ["<div>"]

    @pytest.mark.parametrize("end", ["\n", "\r"])
    def test_front_matter_then_text(self, end: str) -> None:
        """The front matter's set-aside block took in the body's first line when no
        blank line followed it (its closing line break was counted as a line), and
        after a bare CR inside it every paragraph's offsets were off by a line.
        Fix: its lines end at the closing "---"; it is blanked out keeping CRs."""
        text = f"---\ntitle: Ferry{end}fares\n---\nThe ferry fares rise.\n\nSecond one.\n"
        result = check_markdown_segmentation(text)
        assert [s.text for s in result.set_aside] == [f"---\ntitle: Ferry{end}fares\n---"]
        for p in result.paragraphs:
            assert text[p.start : p.end] == p.text
