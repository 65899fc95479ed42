"""Article text made safe for the screen, one character for one character.

Article text is never parsed as markup (it becomes ``Content(text)``), and every
control character is replaced by a visible stand-in *of the same length*, so the
engine's character offsets still point at the right places and nothing a source
contains can drive the terminal (escape sequences, bells, title changes).

Characters that terminals draw at different widths are made unambiguous the
same way, so that every terminal puts the panes' edges where Textual measured
them: invisible characters (zero-width space, word joiner, a stray byte-order
mark) become a visible ``∙`` (two texts that differ only by one of them would
otherwise look identical while being compared as different), a zero-width
joiner between emoji too (terminals disagree on whether a joined sequence is
one glyph or several), and the emoji-style variation selector becomes the
text-style one (a heart with it is one cell in some terminals, two in others).
Joiners inside words (Indic scripts) and the non-joiner (Persian) are kept.
"""

from __future__ import annotations

import re

_INVISIBLE = "\u2219"
"""Shown for a character that has no width of its own (∙, one cell in every terminal)."""
_C0_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)}
_STAND_INS = str.maketrans(
    {
        **{chr(code): pic for code, pic in _C0_PICTURES.items() if code not in (0x09, 0x0A)},
        "\t": " ",
        "\n": " ",
        "\x7f": "\u2421",
        # C1 controls (0x80-0x9f) and the bidirectional overrides that could
        # reorder what is shown: one visible mark each.
        **{chr(code): "\u2426" for code in range(0x80, 0xA0)},
        **{
            chr(code): "\u2426" for code in (0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E)
        },
        **{chr(code): "\u2426" for code in range(0x2066, 0x206A)},
        **{chr(code): _INVISIBLE for code in (0x180E, 0x200B, 0x2060, 0xFEFF)},
        **{chr(code): _INVISIBLE for code in range(0x2061, 0x2065)},
        "\ufe0f": "\ufe0e",
    }
)
_EMOJI_JOINER = re.compile("(?<=[\u2600-\u27bf\ufe0e\ufe0f\U0001f000-\U0001faff])\u200d")


def screen_text(text: str) -> str:
    """Return *text* with every control character replaced by one visible character."""
    text = text.translate(_STAND_INS)
    if "\u200d" in text:
        text = _EMOJI_JOINER.sub(_INVISIBLE, text)
    return text
