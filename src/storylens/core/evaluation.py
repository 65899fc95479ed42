"""Alignment quality against hand labels: the figures the README and tests report.

Gold labels name paragraphs by where they sit in the source file (a line
number, or the index of a blank-line-separated block), never by their text, so
labels stay valid whatever the segmenter decides. A predicted paragraph is
mapped to the gold unit that contains its first character.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations

from .model import Comparison, Document

_BLANK_RUN = re.compile(r"\n[ \t]*\n\s*")


def line_key(prefix: str) -> Callable[[Document, int], str]:
    """Key a character offset by 1-based line number: ``"<prefix>:<line>"``."""

    def key(doc: Document, offset: int) -> str:
        return f"{prefix}:{doc.text.count(chr(10), 0, offset) + 1}"

    return key


def block_key(name: str) -> Callable[[Document, int], str]:
    """Key a character offset by 0-based blank-line-separated block: ``"<name>#<n>"``."""
    cache: dict[int, list[int]] = {}

    def key(doc: Document, offset: int) -> str:
        starts = cache.get(id(doc))
        if starts is None:
            text = doc.text
            first = len(text) - len(text.lstrip())
            starts = cache[id(doc)] = [first] + [m.end() for m in _BLANK_RUN.finditer(text)]
        return f"{name}#{bisect.bisect_right(starts, offset) - 1}"

    return key


@dataclass(frozen=True, slots=True)
class Quality:
    """Alignment and segmentation figures against gold labels."""

    precision: float
    """Pairwise precision of the clusters the links form."""
    recall: float
    f1: float
    link_precision: float
    """Share of links joining paragraphs of one gold cluster."""
    unique_unlinked: float
    """Share of gold-unique paragraphs that carry no link."""
    noise_set_aside: float
    """Share of gold noise units that were set aside."""
    body_kept: float
    """Share of gold body units (clustered, unique, headings) kept as paragraphs."""


def _components(nodes: Iterable[str], edges: Iterable[tuple[str, str]]) -> list[set[str]]:
    parent = {n: n for n in nodes}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        parent[find(a)] = find(b)
    groups: dict[str, set[str]] = {}
    for n in parent:
        groups.setdefault(find(n), set()).add(n)
    return list(groups.values())


def _pairs(clusters: Iterable[Iterable[str]]) -> set[tuple[str, str]]:
    return {
        (a, b) if a < b else (b, a)
        for cluster in clusters
        for a, b in combinations(sorted(set(cluster)), 2)
    }


def measure(
    comparison: Comparison,
    gold: Mapping[str, list],  # type: ignore[type-arg]
    keys: Mapping[str, Callable[[Document, int], str]],
) -> Quality:
    """Score *comparison* against *gold* (see ``tests/data/*gold*.json``).

    *keys* maps each document id to the function naming its gold units.
    """
    unit: dict[str, str] = {}
    for doc in comparison.documents:
        key = keys[doc.id]
        for p in doc.paragraphs:
            unit[p.id] = key(doc, p.start)
    # Two paragraphs of one gold unit (the segmenter split a line) count as one.
    edges = [
        (unit[link.a], unit[link.b]) for link in comparison.links if unit[link.a] != unit[link.b]
    ]
    predicted = [c for c in _components(set(unit.values()), edges) if len(c) > 1]
    gold_pairs = _pairs(gold["clusters"])
    pred_pairs = _pairs(predicted)
    hits = len(gold_pairs & pred_pairs)
    precision = hits / len(pred_pairs) if pred_pairs else 1.0
    recall = hits / len(gold_pairs) if gold_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    same = {k: n for n, cluster in enumerate(gold["clusters"]) for k in cluster}
    good = sum(1 for a, b in edges if a in same and same[a] == same.get(b))
    link_precision = good / len(edges) if edges else 1.0
    linked = {k for edge in edges for k in edge}
    unique = gold.get("unique", [])
    unique_unlinked = sum(1 for k in unique if k not in linked) / len(unique) if unique else 1.0
    kept_units = set(unit.values())
    aside_units: set[str] = set()
    for doc in comparison.documents:
        key = keys[doc.id]
        for s in doc.set_aside:
            # A set-aside block may span several gold units (a widget of many lines).
            offset = s.start
            while offset < s.end:
                if doc.text[offset : offset + 1].strip():
                    aside_units.add(key(doc, offset))
                nl = doc.text.find("\n", offset, s.end)
                if nl < 0:
                    break
                offset = nl + 1
    noise = gold.get("noise", [])
    noise_aside = sum(1 for k in noise if k in aside_units and k not in kept_units)
    body = [k for cluster in gold["clusters"] for k in cluster] + list(unique)
    body += list(gold.get("headings", []))
    body = [k for k in dict.fromkeys(body) if k not in set(noise)]
    body_kept = sum(1 for k in body if k in kept_units) / len(body) if body else 1.0
    return Quality(
        round(precision, 4),
        round(recall, 4),
        round(f1, 4),
        round(link_precision, 4),
        round(unique_unlinked, 4),
        round(noise_aside / len(noise), 4) if noise else 1.0,
        round(body_kept, 4),
    )
