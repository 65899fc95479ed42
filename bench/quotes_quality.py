"""Quote quality against hand labels: passages found, speakers, altered quotes, grouping.

Usage (storylens installed in the interpreter)::

    python bench/quotes_quality.py                 # the demo and, when present, the real story
    python bench/quotes_quality.py --real DIR      # the real story's folder
    python bench/quotes_quality.py --show          # also list every miss and wrong speaker

Gold: ``tests/data/venezuela_quotes_entities_gold.json`` (variants by file, line and
character offsets of the text inside the marks) and ``tests/data/demo_gold.json``
(variants by file, blank-line block and exact text).

Figures:

* **passages found**: recall = gold variants a predicted variant covers (the two
  ranges overlap by at least half of each); precision = predicted variants that
  cover a gold variant.
* **speaker right**: of the gold variants found, the share whose predicted speaker
  names the gold speaker after folding, honorific stripping and dropping a leading
  article; a surname or an alias of the gold entity counts, and so does a
  description whose content words include, or are included in, the gold one's
  (``a spokesman`` for ``a Venezuelan spokesman``). **Strict**: a description must
  have the same content words (``the former Venezuelan commander on the sanctions
  list`` is then wrong for ``the former Venezuelan commander``).
* **altered caught**: gold altered quotes whose predicted group (the one holding
  most of their found variants) is ``altered``.
* **false alarms**: predicted ``altered`` groups holding no variant of a gold
  altered quote.
* **grouping**: pairwise precision and recall of "these two variants are the same
  quote" over the found variants.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from rapidfuzz.distance import Indel

from storylens.core.evaluation import block_key
from storylens.core.load import load_sources
from storylens.core.model import Document, Entity
from storylens.core.quotes import extract_quotes
from storylens.core.tokens import WORD, fold
from storylens.demo import demo_sources

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
REAL = ROOT.parent / "shared" / "corpus" / "venezuela-2018"
REPEAT = 7
"""Warm calls timed per figure (the median is reported)."""

_HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame"}
_ARTICLES = {"a", "an", "the", "one", "another"}
_LITTLE = {"of", "with", "and", "at", "on", "in", "to", "for", "who", "was", "the", "a", "an"}


def _words(text: str) -> list[str]:
    """Folded words, possessives dropped."""
    return [fold(w).replace("'s", "") for w in WORD.findall(text)]


def _norm(speaker: str) -> list[str]:
    """Folded words without leading honorifics and articles."""
    words = _words(speaker)
    while words and (words[0] in _HONORIFICS or words[0] in _ARTICLES):
        words.pop(0)
    return words


def speaker_ok(
    pred: str | None, gold: str, aliases: Mapping[str, set[str]], *, strict: bool = False
) -> bool:
    """True when *pred* names the gold speaker (see the module docstring).

    *strict*: a description must have the same content words as the gold one.
    """
    if not pred:
        return False
    p, g = _norm(pred), _norm(gold)
    if not p or not g:
        return False
    if p == g or " ".join(p) in aliases.get(" ".join(g), set()):
        return True
    named = pred[:1].isupper() and gold[:1].isupper()
    if named:
        return p[-1] == g[-1]
    cp = {w for w in p if w not in _LITTLE}
    cg = {w for w in g if w not in _LITTLE}
    if strict:
        return cp == cg
    return bool(cp and cg) and (cp <= cg or cg <= cp)


def _aliases(entities: Iterable[Mapping[str, Any]]) -> dict[str, set[str]]:
    """Normalised name → every normalised name of the same gold entity."""
    out: dict[str, set[str]] = {}
    for e in entities:
        names = {" ".join(_norm(n)) for n in [e["name"], *e.get("aliases", [])]}
        for n in names:
            out.setdefault(n, set()).update(names)
    return out


def _given(
    which: str, gold: Mapping[str, Any], documents: Sequence[Document]
) -> tuple[Entity, ...]:
    """The ``entities=`` to pass: none, the gold entities, or ``extract_entities``'s."""
    if which == "gold":
        return tuple(
            Entity(e["name"], e.get("kind", ""), tuple(e.get("aliases", [])))
            for e in gold.get("entities", [])
        )
    if which == "extracted":
        from storylens.core.entities import extract_entities

        return extract_entities(documents)
    return ()


def _with(which: str) -> str:
    """The figure title's note on the entities given."""
    return {"gold": ", entities= the gold entities", "extracted": ", entities= extracted"}.get(
        which, ""
    )


def _has_entities() -> bool:
    """Whether storylens.core.entities is there to extract entities."""
    try:
        import storylens.core.entities  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass
class GoldVariant:
    """One labelled variant of a gold quote."""

    quote: int
    doc: int
    key: Any
    """Whatever locates it: a character range in the document, or (block, text)."""


@dataclass
class Figures:
    """The figures of one run, and the lines behind them."""

    name: str
    gold_variants: int = 0
    found: int = 0
    predicted: int = 0
    predicted_hit: int = 0
    speaker_right: int = 0
    speaker_strict: int = 0
    gold_altered: int = 0
    altered_caught: int = 0
    predicted_altered: int = 0
    false_alarms: int = 0
    pair_precision: float = 0.0
    pair_recall: float = 0.0
    quotes: int = 0
    speakers_differ: int = 0
    seconds: float = 0.0
    """Median of :data:`REPEAT` warm calls."""
    first_seconds: float = 0.0
    """The first call (word caches cold)."""
    misses: list[str] = field(default_factory=list)
    wrong_speakers: list[str] = field(default_factory=list)
    bad_alarms: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The figures as lines of text."""

        def pct(a: int, b: int) -> str:
            return f"{100 * a / b:.1f}% ({a}/{b})" if b else "n/a"

        return [
            f"## {self.name}",
            f"passages found (recall)     {pct(self.found, self.gold_variants)}",
            f"passages found (precision)  {pct(self.predicted_hit, self.predicted)}",
            f"speaker right               {pct(self.speaker_right, self.found)}",
            f"speaker right (strict)      {pct(self.speaker_strict, self.found)}",
            f"altered quotes caught       {self.altered_caught} of {self.gold_altered}",
            f"false alarms                {self.false_alarms}"
            f" (of {self.predicted_altered} predicted altered groups)",
            f"grouping (pairs)            precision {self.pair_precision:.3f},"
            f" recall {self.pair_recall:.3f}",
            f"quote groups predicted      {self.quotes}"
            f" ({self.speakers_differ} with speakers differing)",
            f"time                        {1000 * self.seconds:.1f} ms (median of {REPEAT}),"
            f" first call {1000 * self.first_seconds:.1f} ms",
        ]


def score(
    name: str,
    documents: Sequence[Document],
    gold: Mapping[str, Any],
    gold_variants: list[GoldVariant],
    hit: Callable[[GoldVariant, Document, Any], bool],
    *,
    entities: Sequence[Entity] = (),
) -> Figures:
    """Compare extract_quotes(documents) with the gold variants."""
    started = time.perf_counter()
    quotes = extract_quotes(documents, entities=entities)
    first = time.perf_counter() - started
    warm = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        extract_quotes(documents, entities=entities)
        warm.append(time.perf_counter() - started)
    seconds = sorted(warm)[len(warm) // 2]
    aliases = _aliases(gold.get("entities", []))
    gold_quotes = gold["quotes"]
    altered_gold = {
        n for n, q in enumerate(gold_quotes) if q.get("altered") or q.get("status") == "altered"
    }
    fig = Figures(name, seconds=seconds, first_seconds=first, quotes=len(quotes))
    fig.speakers_differ = sum(q.speakers_differ for q in quotes)
    doc_index = {d.id: n for n, d in enumerate(documents)}
    predicted = [(qn, v) for qn, q in enumerate(quotes) for v in q.variants]
    fig.predicted = len(predicted)
    matched: dict[int, int] = {}  # gold variant → predicted variant
    used: set[int] = set()
    for g_n, g in enumerate(gold_variants):
        for p_n, (_, v) in enumerate(predicted):
            if p_n in used or doc_index[v.doc] != g.doc:
                continue
            if hit(g, documents[g.doc], v):
                matched[g_n] = p_n
                used.add(p_n)
                break
    fig.gold_variants = len(gold_variants)
    fig.found = len(matched)
    fig.predicted_hit = len(used)
    for g_n, g in enumerate(gold_variants):
        gq = gold_quotes[g.quote]
        if g_n not in matched:
            fig.misses.append(f"missed {documents[g.doc].id}: {gq['speaker']}: {g.key}")
            continue
        qn, v = predicted[matched[g_n]]
        fig.speaker_strict += speaker_ok(v.speaker, gq["speaker"], aliases, strict=True)
        if speaker_ok(v.speaker, gq["speaker"], aliases):
            fig.speaker_right += 1
        else:
            fig.wrong_speakers.append(
                f"{v.doc} {v.paragraph}: got {v.speaker!r}, gold {gq['speaker']!r}: {v.text[:50]!r}"
            )
    for p_n, (_, v) in enumerate(predicted):
        if p_n not in used:
            fig.misses.append(f"extra {v.doc} {v.paragraph} {v.speaker!r}: {v.text[:60]!r}")
    # Altered quotes: the predicted group holding most of a gold quote's found variants.
    group_of = {g_n: predicted[p_n][0] for g_n, p_n in matched.items()}
    fig.gold_altered = len(altered_gold)
    for gq in altered_gold:
        groups = Counter(
            group_of[g_n]
            for g_n, g in enumerate(gold_variants)
            if g.quote == gq and g_n in group_of
        )
        if groups and quotes[groups.most_common(1)[0][0]].status == "altered":
            fig.altered_caught += 1
    gold_of_pred = {p_n: gold_variants[g_n].quote for g_n, p_n in matched.items()}
    for qn, q in enumerate(quotes):
        if q.status != "altered":
            continue
        fig.predicted_altered += 1
        members = [p_n for p_n, (n, _) in enumerate(predicted) if n == qn]
        if not any(gold_of_pred.get(p_n) in altered_gold for p_n in members):
            fig.false_alarms += 1
            fig.bad_alarms.append(
                f"{q.id} {q.speaker!r}: " + " | ".join(v.text[:40] for v in q.variants)
            )
    # Pairwise grouping over the found variants.
    found = sorted(matched)
    gold_pairs = {
        (a, b)
        for a, b in combinations(found, 2)
        if gold_variants[a].quote == gold_variants[b].quote
    }
    pred_pairs = {(a, b) for a, b in combinations(found, 2) if group_of[a] == group_of[b]}
    both = len(gold_pairs & pred_pairs)
    fig.pair_precision = both / len(pred_pairs) if pred_pairs else 1.0
    fig.pair_recall = both / len(gold_pairs) if gold_pairs else 1.0
    return fig


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two ranges overlap by at least half of each."""
    common = min(a[1], b[1]) - max(a[0], b[0])
    return common > 0 and common >= 0.5 * (a[1] - a[0]) and common >= 0.5 * (b[1] - b[0])


def _doc_range(doc: Document, paragraph: str, start: int, end: int) -> tuple[int, int]:
    """A variant's range in its document's text."""
    p = doc.paragraphs[int(paragraph.partition(".p")[2])]
    if doc.text[p.start : p.end] == p.text:
        return p.start + start, p.start + end
    at = doc.text.find(p.text[start:end], p.start)
    return (at, at + end - start) if at >= 0 else (-1, -1)


def real(folder: Path, *, entities: str = "") -> Figures:
    """Figures on the real story."""
    gold = json.loads((DATA / "venezuela_quotes_entities_gold.json").read_text("utf-8"))
    keys = sorted(gold["files"])
    documents = load_sources([str(folder / gold["files"][k]) for k in keys])
    line_starts = []
    for doc in documents:
        starts = [0] + [m.end() for m in re.finditer("\n", doc.text)]
        line_starts.append(starts)
    variants = [
        GoldVariant(
            n,
            keys.index(v["file"]),
            (
                line_starts[keys.index(v["file"])][v["line"] - 1] + v["start"],
                line_starts[keys.index(v["file"])][v["line"] - 1] + v["end"],
            ),
        )
        for n, q in enumerate(gold["quotes"])
        for v in q["variants"]
    ]

    def hit(g: GoldVariant, doc: Document, v: Any) -> bool:
        """Whether predicted variant *v* is gold variant *g*."""
        return _overlaps(g.key, _doc_range(doc, v.paragraph, v.start, v.end))

    name = "real story (venezuela-2018, 5 outlets)"
    return score(
        name + _with(entities),
        documents,
        gold,
        variants,
        hit,
        entities=_given(entities, gold, documents),
    )


def demo(*, entities: str = "") -> Figures:
    """Figures on the bundled demo story."""
    gold = json.loads((DATA / "demo_gold.json").read_text("utf-8"))
    paths, labels = demo_sources()
    documents = load_sources(paths, labels=labels)
    files = [Path(p).name for p in paths]
    keys = [block_key(f) for f in files]
    variants = [
        GoldVariant(n, files.index(v["file"]), (v["block"], v["text"]))
        for n, q in enumerate(gold["quotes"])
        for v in q["variants"]
    ]

    def hit(g: GoldVariant, doc: Document, v: Any) -> bool:
        """Whether predicted variant *v* is gold variant *g*."""
        d = documents.index(doc)
        p = doc.paragraphs[int(v.paragraph.partition(".p")[2])]
        if keys[d](doc, p.start) != f"{files[d]}#{g.key[0]}":
            return False
        ids: dict[str, int] = {}
        a = "".join(chr(0xE000 + ids.setdefault(w, len(ids))) for w in _words(g.key[1]))
        b = "".join(chr(0xE000 + ids.setdefault(w, len(ids))) for w in _words(v.text))
        return Indel.normalized_similarity(a, b) >= 0.6

    name = "demo (Carrow Bay, 5 outlets)"
    return score(
        name + _with(entities),
        documents,
        gold,
        variants,
        hit,
        entities=_given(entities, gold, documents),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Print the figures (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=Path, default=REAL, help="the real story's folder")
    parser.add_argument("--show", action="store_true", help="list misses and wrong speakers")
    args = parser.parse_args(argv)
    kinds = ["", "gold"] + (["extracted"] if _has_entities() else [])
    runs = [demo(entities=k) for k in kinds]
    if args.real.is_dir():
        runs += [real(args.real, entities=k) for k in kinds]
    else:
        print(f"(no real story at {args.real}: skipped)")
    for fig in runs:
        print("\n".join(fig.lines()))
        if args.show:
            for line in fig.misses + fig.wrong_speakers + fig.bad_alarms:
                print("   ", line)
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
