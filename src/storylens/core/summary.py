"""Figures about a comparison that the reader and the reports show."""

from __future__ import annotations

from .model import Comparison


def document_shares(comparison: Comparison) -> dict[str, dict[str, float]]:
    """For each document, the share of its body characters that is shared, altered, unique."""
    out: dict[str, dict[str, float]] = {}
    for doc in comparison.documents:
        counts = {"shared": 0, "altered": 0, "unique": 0}
        for p in doc.paragraphs:
            for span in comparison.spans.get(p.id, ()):
                counts[span.status] += span.end - span.start
        total = sum(counts.values()) or 1
        out[doc.id] = {k: v / total for k, v in counts.items()}
    return out
