"""Divergences: the ordered places where outlets differ, for navigation and reports."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .align import Alignment
from .model import ChangeFlag, Divergence, Document, Quote, Row, Span


def find_divergences(
    documents: Sequence[Document],
    rows: Sequence[Row],
    alignment: Alignment,
    spans: Mapping[str, tuple[Span, ...]],
    row_of: Mapping[str, str],
    quotes: Sequence[Quote] = (),
) -> list[Divergence]:
    """List the divergences row by row, in reading order.

    Per row, at most one of each type: ``unique`` (text only one outlet has),
    ``altered`` (reworded text, with fact flags), ``omitted`` (content some
    outlets carry and others leave out entirely), ``moved`` (content another
    outlet placed elsewhere); and one ``quote`` per quotation whose words differ
    between outlets or which outlets attribute to different speakers, in the row
    of its first variant.

    *documents* come in the caller's order, which is the order of documents and
    paragraphs within each divergence; the aligner may have read them in another.
    """
    # Documents by the caller's order: the ids the aligner's clusters carry are
    # read from their paragraphs, never from the aligner's own numbering.
    position = {doc.id: k for k, doc in enumerate(documents)}
    place = {p.id: (k, p.index) for k, doc in enumerate(documents) for p in doc.paragraphs}
    all_docs = set(position)
    # Per cluster, once: the outlets carrying it and the rows its members sit in.
    carriers: dict[int, set[str]] = {}
    rows_of: dict[int, dict[str, list[str]]] = {}
    for cluster in alignment.clusters:
        if len(cluster.docs) < 2:
            continue
        carriers[id(cluster)] = {m.paragraph.doc for m in cluster.members}
        by_row: dict[str, list[str]] = {}
        for m in cluster.members:
            by_row.setdefault(row_of[m.paragraph.id], []).append(m.paragraph.id)
        rows_of[id(cluster)] = by_row
    # Quotes worth a stop: reworded, or credited to different people.
    order = {row.id: k for k, row in enumerate(rows)}
    quotes_by_row: dict[str, list[Quote]] = {}
    for quote in quotes:
        if quote.status == "altered" or quote.speakers_differ:
            first = min(quote.variants, key=lambda v: (order[row_of[v.paragraph]], v.doc))
            quotes_by_row.setdefault(row_of[first.paragraph], []).append(quote)
    out: list[Divergence] = []
    for row in rows:
        pids = [pid for cell in row.cells.values() for pid in cell]
        unique: list[tuple[str, int, int]] = []
        altered: list[tuple[str, int, int]] = []
        flags: set[ChangeFlag] = set()
        for pid in pids:
            for span in spans[pid]:
                if span.status == "unique":
                    unique.append((pid, span.start, span.end))
                elif span.status == "altered":
                    altered.append((pid, span.start, span.end))
                    flags |= span.flags
        if unique:
            out.append(
                Divergence("unique", row.id, _ordered({u[0] for u in unique}, pids), tuple(unique))
            )
        if altered:
            out.append(
                Divergence(
                    "altered",
                    row.id,
                    _ordered({a[0] for a in altered}, pids),
                    tuple(altered),
                    frozenset(flags),
                )
            )
        carried: set[str] = set()
        shared_pids: list[str] = []
        moved: list[str] = []
        counterparts: list[str] = []
        for pid in pids:
            key = id(alignment.cluster_of[pid])
            if key not in carriers:
                continue
            shared_pids.append(pid)
            carried |= carriers[key]
            by_row = rows_of[key]
            if len(by_row) > 1:
                moved.append(pid)
                for rid, members in by_row.items():
                    if rid != row.id:
                        counterparts.extend(a for a in members if a not in counterparts)
        missing = tuple(sorted(all_docs - carried, key=position.__getitem__))
        if shared_pids and missing:
            out.append(Divergence("omitted", row.id, tuple(shared_pids), missing=missing))
        if moved:
            counterparts.sort(key=place.__getitem__)
            out.append(Divergence("moved", row.id, tuple(moved), counterparts=tuple(counterparts)))
        for quote in quotes_by_row.get(row.id, ()):
            out.append(
                Divergence(
                    "quote",
                    row.id,
                    tuple(dict.fromkeys(v.paragraph for v in quote.variants)),
                    tuple((v.paragraph, v.start, v.end) for v in quote.variants),
                    quote=quote.id,
                )
            )
    return out


def _ordered(chosen: set[str], order: Sequence[str]) -> tuple[str, ...]:
    return tuple(pid for pid in order if pid in chosen)
