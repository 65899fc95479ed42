"""Article text made safe for the screen, one character for one character.

Article text is never parsed as markup (it becomes ``Content(text)``), and every
control character is replaced by a visible stand-in *of the same length*, so the
engine's character offsets still point at the right places and nothing a source
contains can drive the terminal (escape sequences, bells, title changes).
"""

from __future__ import annotations

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
    }
)


def screen_text(text: str) -> str:
    """Return *text* with every control character replaced by one visible character."""
    return text.translate(_STAND_INS)
