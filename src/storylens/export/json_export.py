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

from typing import Any, BinaryIO

import orjson

from ..core.compare import no_gc_pauses
from ..core.model import Comparison

SCHEMA = "storylens/1"


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
    """The comparison as ``storylens/1`` JSON, UTF-8 encoded, ending in a newline."""
    with no_gc_pauses():
        return orjson.dumps(
            _tree(comparison),
            default=_default,
            option=orjson.OPT_APPEND_NEWLINE | orjson.OPT_NON_STR_KEYS,
        )


def write_json(comparison: Comparison, out: BinaryIO) -> None:
    """Write the comparison to the binary stream *out* as ``storylens/1`` JSON."""
    out.write(dumps(comparison))
