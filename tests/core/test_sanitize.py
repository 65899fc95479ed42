"""Control characters are made visible and inert before they reach a terminal."""

from __future__ import annotations

import pytest

from storylens.core.sanitize import visible


def test_plain_text_is_returned_unchanged() -> None:
    text = "Caf\u00e9 \u201cquoted\u201d \u2014 \u0416\u0443\u043a \u4e2d\u6587\n\tindented"
    assert visible(text) is text


def test_newline_and_tab_are_kept() -> None:
    assert visible("a\nb\tc") == "a\nb\tc"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[31mred\x1b[0m", "\u241b[31mred\u241b[0m"),  # CSI colour: ESC shown as ␛
        ("\x1b]0;pwned\x07", "\u241b]0;pwned\u2407"),  # OSC window title, BEL-terminated
        ("bell\x07", "bell\u2407"),
        ("carriage\rreturn", "carriage\u240dreturn"),
        ("nul\x00", "nul\u2400"),
        ("del\x7f", "del\u2421"),
        ("\x9b31m", "<U+009B>31m"),  # the one-byte C1 CSI
        ("\x85next line", "<U+0085>next line"),
    ],
)
def test_controls_become_visible(raw: str, shown: str) -> None:
    assert visible(raw) == shown


def test_no_control_survives() -> None:
    every = "".join(chr(c) for c in range(0x00, 0xA0))
    result = visible(every)
    for ch in result:
        code = ord(ch)
        assert not (code < 0x20 and ch not in "\n\t"), repr(ch)
        assert not (0x7F <= code < 0xA0), repr(ch)
    # Printable ASCII passes through untouched.
    assert "".join(chr(c) for c in range(0x20, 0x7F)) in result
