r"""Make untrusted text safe to print to a terminal or put in a message.

Article text comes from the web and from files anyone could have written.
A stray ESC or C1 control byte can recolour, retitle or scramble a terminal
(``ESC ]0;…BEL`` sets the window title; ``\x9b`` is a one-byte CSI), so before
source text reaches a terminal every such character is replaced by a visible
stand-in.  Replacing the introducer alone neutralises a whole escape
sequence: without its ESC, ``[31m`` is just five printable characters.
"""

from __future__ import annotations

import re

__all__ = ["visible"]


def _stand_in(code: int) -> str:
    if code < 0x20:
        # U+2400..U+241F are the "control pictures": ␀ ␁ … ␛ … ␟.
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"  # C1 controls have no pictures: show the code point


_TABLE: dict[int, str] = {
    code: _stand_in(code)
    for code in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0))
    if code not in (0x09, 0x0A)  # TAB and LF lay text out; they are harmless
}

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    r"""Return *text* with every control character made visible and inert.

    C0 controls except ``\n`` and ``\t`` become control pictures (ESC → ``␛``,
    BEL → ``␇``, CR → ``␍``), DEL becomes ``␡`` and C1 controls (0x80-0x9F,
    including the one-byte CSI and OSC) become ``<U+009B>``-style tags.  So
    escape sequences are shown, not obeyed.  Everything else, including all
    printable Unicode, is left as it is.

    >>> visible("red \x1b[31mtext\x07")
    'red ␛[31mtext␇'
    """
    if _CONTROL.search(text) is None:  # the common case costs one scan
        return text
    return text.translate(_TABLE)
