"""The ``storylens/1`` JSON export (documented in ``docs/json-schema.md``).

The model's dataclasses for paragraphs, set-aside text, rows, links and spans
have exactly the schema's keys, so orjson writes them natively, in Rust; only
documents and divergences are reshaped here. That keeps a fifty-outlet export
(about 40 MB of JSON) to a fraction of a second.

:mod:`storylens.export.json_import` reads the export back into an equal
:class:`~storylens.core.model.Comparison`; ``docs/storylens-1.schema.json`` is
its JSON Schema. A field added to one of those dataclasses is written as it
is: it needs adding to the schema, the docs and the reader too (the
round-trip tests fail until it is).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, BinaryIO

import orjson

from ..core.compare import no_gc_pauses
from ..core.model import Comparison

SCHEMA = "storylens/1"

# C1 controls (U+0080-U+009F) in UTF-8, and the line and paragraph separators.
# Both lead bytes (0xC2, 0xE2) never occur inside another character's encoding
# and JSON outside strings is ASCII, so a match is always a whole character
# inside a JSON string, where ``\uXXXX`` stands for the same character.
_C1 = re.compile(rb"\xc2[\x80-\x9f]")
_SEPARATORS = re.compile(rb"\xe2\x80[\xa8\xa9]")
_ESCAPES = {chr(c).encode(): b"\\u%04x" % c for c in (*range(0x80, 0xA0), 0x2028, 0x2029)}


def terminal_safe(data: bytes) -> bytes:
    """*data* (UTF-8 JSON) with C1 controls, U+2028 and U+2029 written as ``\\uXXXX``.

    orjson escapes only what JSON requires (``"``, ``\\`` and U+0000-U+001F), so
    a source's C1 controls would reach the terminal raw when the export goes to
    standard output, and a terminal may act on them (U+009B is a one-byte CSI,
    U+009D starts an OSC). The parsed JSON is unchanged.
    """
    # Found through one byte of each sequence with memchr (~1 ms per 40 MB) while
    # that byte is rare; where it is common (a no-break space also starts with
    # 0xC2, an é also ends in 0xA9) one pattern scan (~20 ms per 40 MB) instead.
    spans: list[tuple[int, int]] = []
    lead = _find_few(data, b"\xc2")
    if lead is None:
        spans += (m.span() for m in _C1.finditer(data))
    else:
        spans += ((at, at + 2) for at in lead if 0x80 <= data[at + 1] <= 0x9F)
    tails = _find_few(data, b"\xa8"), _find_few(data, b"\xa9")
    if tails[0] is None or tails[1] is None:
        spans += (m.span() for m in _SEPARATORS.finditer(data))
    else:
        ends = tails[0] + tails[1]
        spans += ((at - 2, at + 1) for at in ends if data[at - 2 : at] == b"\xe2\x80")
    if not spans:
        return data
    spans.sort()
    # Views of the stretches between escapes: the join copies the data once.
    view = memoryview(data)
    pieces: list[bytes | memoryview] = []
    last = 0
    for start, end in spans:
        pieces += (view[last:start], _ESCAPES[data[start:end]])
        last = end
    pieces.append(view[last:])
    return b"".join(pieces)


def _find_few(data: bytes, byte: bytes, few: int = 64) -> list[int] | None:
    """Every position of *byte* in *data*, or None when there are more than *few*."""
    found: list[int] = []
    at = data.find(byte)
    while at >= 0:
        if len(found) == few:
            return None
        found.append(at)
        at = data.find(byte, at + 1)
    return found


def _default(value: object) -> Any:
    """orjson's hook for what it cannot write itself: the flag sets."""
    if isinstance(value, frozenset):
        return sorted(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _tree(comparison: Comparison) -> dict[str, Any]:
    """The comparison as data orjson can write (dataclasses left as they are)."""
    return {
        "schema": SCHEMA,
        "documents": [
            {
                "id": doc.id,
                "label": doc.label,
                "source": doc.source,
                "title": doc.title,
                "author": doc.author,
                "published": doc.published,
                "url": doc.url,
                "format": doc.format,
                "encoding": doc.encoding,
                "text": doc.text,
                "paragraphs": doc.paragraphs,
                "set_aside": doc.set_aside,
            }
            for doc in comparison.documents
        ],
        "rows": comparison.rows,
        "links": comparison.links,
        "spans": comparison.spans,
        "divergences": [
            {
                "type": d.type,
                "row": d.row,
                "paragraphs": d.paragraphs,
                "spans": [{"paragraph": p, "start": s, "end": e} for p, s, e in d.spans],
                "flags": sorted(d.flags),
                "missing": d.missing,
                "counterparts": d.counterparts,
                "quote": d.quote,
            }
            for d in comparison.divergences
        ],
        "entities": comparison.entities,
        "quotes": comparison.quotes,
    }


def to_dict(comparison: Comparison) -> dict[str, Any]:
    """Return the comparison as plain JSON data: dicts, lists, strings, numbers, None.

    It is exactly what a JSON parser makes of :func:`dumps`' bytes (it is made
    that way), so it can be checked against the schema and given to
    :func:`storylens.export.json_import.from_dict`.
    """
    parsed: dict[str, Any] = orjson.loads(dumps(comparison))
    return parsed


def dumps(comparison: Comparison) -> bytes:
    """The comparison as ``storylens/1`` JSON, UTF-8 encoded, ending in a newline.

    C1 controls and U+2028/U+2029 are escaped (:func:`terminal_safe`).
    """
    return b"".join(_pieces(comparison))


def write_json(comparison: Comparison, out: BinaryIO) -> None:
    """Write the comparison to the binary stream *out* as ``storylens/1`` JSON.

    The bytes are :func:`dumps`' but written piece by piece: with many outlets
    ``links`` is most of the output (hundreds of megabytes at 200 outlets), and
    it never has to be held whole.
    """
    for piece in _pieces(comparison):
        out.write(piece)


LINKS_PER_PIECE = 50_000
"""Links encoded at a time by :func:`write_json`."""


def _pieces(comparison: Comparison) -> Iterator[bytes]:
    """The JSON text in pieces, each a whole JSON value or punctuation between them
    (so no escape sequence is ever split), in the key order of :func:`_tree`."""

    def encode(value: Any) -> bytes:
        with no_gc_pauses():
            data = orjson.dumps(value, default=_default, option=orjson.OPT_NON_STR_KEYS)
        return terminal_safe(data)

    tree = _tree(comparison)
    links = tree["links"]
    for k, (key, value) in enumerate(tree.items()):
        yield (b"{" if k == 0 else b",") + encode(key) + b":"
        if key != "links":
            yield encode(value)
            continue
        yield b"["
        for at in range(0, len(links), LINKS_PER_PIECE):
            chunk = encode(links[at : at + LINKS_PER_PIECE])
            yield (b"," if at else b"") + chunk[1:-1]
        yield b"]"
    yield b"}\n"
