"""The ``storylens/1`` JSON export (documented in ``docs/json-schema.md``)."""

from __future__ import annotations

from typing import Any, BinaryIO

import orjson

from ..core.compare import no_gc_pauses
from ..core.model import Comparison, Span

SCHEMA = "storylens/1"


def _span(span: Span) -> dict[str, Any]:
    out: dict[str, Any] = {"start": span.start, "end": span.end, "status": span.status}
    if span.counterpart is not None:
        out["counterpart"] = span.counterpart
        if span.counterpart_range is not None:
            out["counterpart_range"] = list(span.counterpart_range)
    if span.changes:
        out["changes"] = [list(c) for c in span.changes]
    if span.flags:
        out["flags"] = sorted(span.flags)
    return out


def to_dict(comparison: Comparison) -> dict[str, Any]:
    """Return the comparison as plain JSON-ready data."""
    return {
        "schema": SCHEMA,
        "documents": [
            {
                "id": doc.id,
                "label": doc.label,
                "source": doc.source,
                "title": doc.title,
                "format": doc.format,
                "encoding": doc.encoding,
                "paragraphs": [
                    {"id": p.id, "kind": p.kind, "text": p.text, "start": p.start, "end": p.end}
                    for p in doc.paragraphs
                ],
                "set_aside": [
                    {
                        "text": s.text,
                        "reason": s.reason,
                        "start": s.start,
                        "end": s.end,
                        "after": s.after,
                    }
                    for s in doc.set_aside
                ],
            }
            for doc in comparison.documents
        ],
        "rows": [
            {"id": row.id, "cells": {d: list(p) for d, p in row.cells.items()}}
            for row in comparison.rows
        ],
        # Link's fields are exactly the schema's keys: orjson writes them natively.
        "links": comparison.links,
        "spans": {pid: [_span(s) for s in spans] for pid, spans in comparison.spans.items()},
        "divergences": [
            {
                "type": d.type,
                "row": d.row,
                "paragraphs": list(d.paragraphs),
                "spans": [{"paragraph": p, "start": s, "end": e} for p, s, e in d.spans],
                "flags": sorted(d.flags),
                **({"missing": list(d.missing)} if d.missing else {}),
                **({"counterparts": list(d.counterparts)} if d.counterparts else {}),
            }
            for d in comparison.divergences
        ],
        "entities": [
            {
                "name": e.name,
                "kind": e.kind,
                "aliases": list(e.aliases),
                "mentions": dict(e.mentions),
            }
            for e in comparison.entities
        ],
        "quotes": [
            {
                "id": q.id,
                "speaker": q.speaker,
                "status": q.status,
                "variants": [
                    {
                        "doc": v.doc,
                        "paragraph": v.paragraph,
                        "text": v.text,
                        "start": v.start,
                        "end": v.end,
                    }
                    for v in q.variants
                ],
            }
            for q in comparison.quotes
        ],
    }


def dumps(comparison: Comparison) -> bytes:
    """The comparison as ``storylens/1`` JSON, UTF-8 encoded, ending in a newline.

    orjson writes the 40 MB of a fifty-outlet comparison about ten times faster
    than the standard library's encoder.
    """
    with no_gc_pauses():
        return orjson.dumps(to_dict(comparison), option=orjson.OPT_APPEND_NEWLINE)


def write_json(comparison: Comparison, out: BinaryIO) -> None:
    """Write the comparison to the binary stream *out* as ``storylens/1`` JSON."""
    out.write(dumps(comparison))
