"""Decoding: every byte becomes a character or the source is refused, never replaced."""

from __future__ import annotations

import codecs
import subprocess
import sys

import pytest

from storylens.core.decode import (
    DecodeError,
    binary_problem,
    declared_charset,
    decode,
    normalise_newlines,
)

SAMPLE = "The caf\u00e9 said \u201chello\u201d \u2014 it\u2019s na\u00efve.\nSecond line\n"


class TestUnicode:
    """UTF-8 (with and without BOM), UTF-16 and UTF-32 decode exactly."""

    def test_utf8(self) -> None:
        decoded = decode(SAMPLE.encode("utf-8"))
        assert decoded.text == SAMPLE
        assert decoded.encoding == "utf-8"

    def test_utf8_bom_is_dropped(self) -> None:
        decoded = decode(codecs.BOM_UTF8 + SAMPLE.encode("utf-8"))
        assert decoded.text == SAMPLE
        assert decoded.encoding == "utf-8-sig"

    @pytest.mark.parametrize(
        ("data", "encoding"),
        [
            (codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"), "utf-16-le"),
            (codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16-be"),
            (codecs.BOM_UTF32_LE + SAMPLE.encode("utf-32-le"), "utf-32-le"),
            (codecs.BOM_UTF32_BE + SAMPLE.encode("utf-32-be"), "utf-32-be"),
        ],
    )
    def test_byte_order_marks(self, data: bytes, encoding: str) -> None:
        decoded = decode(data)
        assert decoded.text == SAMPLE
        assert decoded.encoding == encoding

    @pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
    def test_utf16_without_bom(self, encoding: str) -> None:
        decoded = decode(SAMPLE.encode(encoding))
        assert decoded.text == SAMPLE
        assert decoded.encoding == encoding

    def test_broken_utf16_is_an_error(self) -> None:
        with pytest.raises(DecodeError, match="UTF-16"):
            decode(codecs.BOM_UTF16_LE + b"a\x00b")  # odd length: a byte is missing


class TestLegacy:
    """8-bit files: cp1252 smart quotes, Latin-1 accents, other scripts."""

    def test_cp1252_smart_quotes(self) -> None:
        text = "He said \u201cwe will appeal\u201d \u2014 and left\u2026 it\u2019s over."
        decoded = decode(text.encode("cp1252"))
        assert decoded.text == text
        assert decoded.encoding == "cp1252"

    def test_latin1_accents_are_not_read_as_central_european(self) -> None:
        # charset-normalizer alone reads this as cp1250 ("crčme br\u0171lée").
        text = "The caf\u00e9 served cr\u00e8me br\u00fbl\u00e9e to na\u00efve tourists."
        decoded = decode(text.encode("latin-1"))
        assert decoded.text == text
        assert decoded.encoding == "latin-1"

    def test_central_european_keeps_its_code_page(self) -> None:
        text = "Za\u017c\u00f3\u0142\u0107 g\u0119\u015bl\u0105 ja\u017a\u0144, powiedzia\u0142."
        assert decode(text.encode("cp1250")).text == text

    def test_cyrillic(self) -> None:
        text = "\u041f\u0440\u0438\u0432\u0435\u0442, \u043a\u0430\u043a \u0434\u0435\u043b\u0430?"
        decoded = decode((text + " ").encode("cp1251") * 3)
        assert decoded.text.startswith(text)
        assert decoded.encoding == "cp1251"

    @pytest.mark.parametrize(
        "text",
        [
            "caf\u00e9 au lait",
            "na\u00efve r\u00e9sum\u00e9",
            "Stra\u00dfe",
            "\u00e9t\u00e9 \u00e0 Paris",
        ],
    )
    def test_short_western_text_is_not_read_in_a_far_code_page(self, text: str) -> None:
        # charset-normalizer alone reads these as Urdu (cp1006: "caf\ufee0 au lait")
        # or as UTF-16 ("Stra\u00dfe" as three ideographs).
        assert decode(text.encode("latin-1")).text == text

    @pytest.mark.parametrize(
        ("text", "encoding"),
        [
            (
                "\u039a\u03b1\u03bb\u03b7\u03bc\u03ad\u03c1\u03b1 \u03ba\u03cc\u03c3\u03bc\u03b5",
                "cp1253",
            ),
            ("\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645", "cp1256"),
            (
                "\u041c\u043e\u0441\u043a\u0432\u0430, 2018: "
                "\u0432\u0441\u0451 \u0442\u0438\u0445\u043e.",
                "cp1251",
            ),
        ],
    )
    def test_short_text_in_another_script_keeps_its_code_page(
        self, text: str, encoding: str
    ) -> None:
        assert decode(text.encode(encoding)).text == text

    @pytest.mark.parametrize(
        ("line", "encoding"),
        [
            (
                "\u041c\u044d\u0440 \u0441\u043a\u0430\u0437\u0430\u043b\u0430, "
                "\u0447\u0442\u043e \u0432\u0441\u0451 \u0442\u0438\u0445\u043e.",
                "cp1251",
            ),
            ("The caf\u00e9 served cr\u00e8me br\u00fbl\u00e9e to na\u00efve tourists.", "latin-1"),
            ("He said \u201cwe will appeal\u201d \u2014 it\u2019s over.", "cp1252"),
        ],
    )
    def test_long_files_are_judged_by_their_non_ascii_lines(self, line: str, encoding: str) -> None:
        # The code page is judged on a sample; here every non-ASCII line comes after
        # 100,000 characters of ASCII, well past any sample taken from the start.
        text = "Plain ASCII words on a line of their own.\n" * 2500 + (line + "\n") * 3000
        decoded = decode(text.encode(encoding))
        assert decoded.text == text
        assert decoded.encoding == encoding

    def test_utf8_with_stray_cp1252_bytes(self) -> None:
        data = "Caf\u00e9 na\u00efve \u00fcber ".encode() + b"\x93quoted\x94 end"
        decoded = decode(data)
        assert decoded.text == "Caf\u00e9 na\u00efve \u00fcber \u201cquoted\u201d end"
        assert decoded.encoding == "utf-8+cp1252"

    def test_declared_charset_is_used_before_guessing(self) -> None:
        text = "\u00c5rets b\u00e4sta \u00f6l"
        assert decode(text.encode("iso-8859-15"), declared="iso8859-15").encoding == "iso8859-15"

    def test_undecodable_is_an_error_not_replacement(self) -> None:
        with pytest.raises(DecodeError, match="cannot be decoded"):
            decode(bytes(range(0x80, 0x100)) * 3)


class TestNewlines:
    """CRLF, bare CR and Unicode separators all become LF."""

    def test_crlf_and_cr(self) -> None:
        assert decode(b"one\r\ntwo\rthree\n").text == "one\ntwo\nthree\n"

    def test_unicode_separators(self) -> None:
        assert normalise_newlines("a\u2028b\u2029c") == "a\nb\n\nc"

    def test_utf16_crlf(self) -> None:
        assert decode("x\r\ny".encode("utf-16")).text == "x\ny"


class TestBinary:
    """Binary data is refused with a reason."""

    @pytest.mark.parametrize(
        ("data", "reason"),
        [
            (b"%PDF-1.7\n...", "PDF"),
            (b"PK\x03\x04rest", "ZIP"),
            (b"\x89PNG\r\n\x1a\n", "PNG"),
            (b"text\x00with\x00nul\x00bytes\x00here and more\x00", "NUL"),
            (bytes(range(1, 8)) * 40, "control"),
        ],
    )
    def test_binary(self, data: bytes, reason: str) -> None:
        problem = binary_problem(data)
        assert problem is not None and reason in problem
        with pytest.raises(DecodeError):
            decode(data)

    def test_text_with_escape_sequences_is_text(self) -> None:
        assert binary_problem(b"plain \x1b[31mred\x1b[0m text\n") is None


class TestDeclared:
    """The charset an HTML page declares."""

    def test_meta_charset(self) -> None:
        assert declared_charset(b'<meta charset="windows-1251">') == "cp1251"

    def test_http_equiv(self) -> None:
        html = b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
        assert declared_charset(html) == "cp1252"  # as browsers read it

    def test_unknown(self) -> None:
        assert declared_charset(b'<meta charset="no-such-thing">') is None
        assert declared_charset(b"<p>no meta</p>") is None


def test_charset_normalizer_is_not_imported_for_utf8() -> None:
    """The UTF-8 path must not pay for charset-normalizer's import."""
    code = (
        "import sys; from storylens.core.decode import decode; "
        "decode('caf\\u00e9'.encode()); "
        "print('charset_normalizer' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
