"""Entity extraction quality against the hand labels in tests/data.

Run from the repository root: ``python bench/entities_quality.py``. The real
five-outlet story is read from ``../shared/corpus/venezuela-2018`` when it is
there; the bundled demo story always is.

What the figures mean (names are compared after folding: case, accents and
full stops ignored, a possessive and a leading "the" before a capital dropped):

- **found**: gold entities some predicted entity names (its name or an alias
  equals one of the gold entity's names or aliases); also per kind.
- **precision strict**: predicted entities that match a gold entity.
  **lenient**: also counting predicted entities that are real names the gold
  list leaves out, as listed in ``REAL_BUT_UNLABELLED`` below with a reason.
- **alias pairs merged**: gold (name, alias) pairs that land in one predicted
  entity; "occurring" counts only pairs whose alias occurs in the body text
  (some gold aliases, e.g. "Halden Marine", occur in no outlet's text).
- **wrong merges**: predicted entities holding names of two different gold
  entities, plus gold "distinct" pairs merged.
- **kind accuracy**: of the found gold entities, the share whose predicted kind
  is the gold kind.
- **mention counts** (demo only, where the gold has them): the share of
  (entity, outlet) cells whose count is exact, and the total absolute error.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from storylens.core.entities import extract_entities
from storylens.core.load import load_sources
from storylens.core.model import Document, Entity
from storylens.core.tokens import fold
from storylens.demo import demo_sources

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
CORPUS = ROOT.parent / "shared" / "corpus" / "venezuela-2018"

REAL_BUT_UNLABELLED: dict[str, str] = {
    # name (folded) -> why it is a real person, organisation or place
}
"""Predicted entities that are real names although the gold list leaves them out."""


def norm(name: str) -> str:
    """A name as the comparison sees it."""
    name = re.sub(r"['’]s?$", "", name.strip())
    if name[:4].lower() == "the " and name[4:5].isupper():
        name = name[4:]
    return " ".join(fold(w) for w in name.split())


def names_of(entity: Entity) -> set[str]:
    """The normalised name and aliases of a predicted entity."""
    return {norm(n) for n in (entity.name, *entity.aliases)}


@dataclass
class Report:
    """The figures for one story."""

    story: str
    gold_total: int
    found: int
    found_by_kind: dict[str, tuple[int, int]]
    predicted: int
    strict: int
    lenient: int
    pairs: int
    pairs_merged: int
    pairs_occurring: int
    pairs_occurring_merged: int
    wrong_merges: list[str]
    kinds_right: int
    missed: list[str]
    extra: list[str]
    seconds: float
    counts_exact: tuple[int, int] | None = None
    counts_error: int | None = None

    def rows(self) -> Iterable[tuple[str, str]]:
        """(figure, value) rows for the table."""

        def pct(a: int, b: int) -> str:
            return f"{a}/{b} = {a / b:.0%}" if b else "-"

        yield "entities found (recall)", pct(self.found, self.gold_total)
        for kind, (a, b) in sorted(self.found_by_kind.items()):
            yield f"  {kind}", pct(a, b)
        yield "precision, strict", pct(self.strict, self.predicted)
        yield "precision, lenient", pct(self.lenient, self.predicted)
        yield "alias pairs merged (all)", pct(self.pairs_merged, self.pairs)
        yield (
            "alias pairs merged (alias occurs)",
            pct(self.pairs_occurring_merged, self.pairs_occurring),
        )
        yield "wrong merges", str(len(self.wrong_merges))
        yield "kind accuracy (found)", pct(self.kinds_right, self.found)
        if self.counts_exact is not None:
            yield "mention counts exact", pct(*self.counts_exact)
            yield "mention count abs. error", str(self.counts_error)
        yield "time", f"{self.seconds * 1000:.0f} ms"


def measure(
    story: str,
    documents: Sequence[Document],
    gold: dict[str, object],
    file_of_doc: dict[str, str],
) -> Report:
    """Compare extract_entities() on *documents* with the gold labels."""
    start = time.perf_counter()
    predicted = extract_entities(documents, backend="rules")
    seconds = time.perf_counter() - start
    golds: list[dict[str, object]] = gold["entities"]  # type: ignore[assignment]
    gold_names = [{norm(str(g["name"]))} | {norm(str(a)) for a in g["aliases"]} for g in golds]  # type: ignore[attr-defined]
    body = " ".join(p.text for d in documents for p in d.paragraphs)
    words = re.findall(r"\w+(?:[.’'&-]\w+)*\.?", body)
    body_norm = " " + " ".join(fold(w.removesuffix("’s").removesuffix("'s")) for w in words) + " "

    pred_names = [names_of(e) for e in predicted]
    found = 0
    kinds_right = 0
    by_kind: dict[str, list[int]] = {}
    missed: list[str] = []
    for g, gnames in zip(golds, gold_names, strict=True):
        matches = [k for k, pn in enumerate(pred_names) if pn & gnames]
        kind = str(g["kind"])
        by_kind.setdefault(kind, [0, 0])[1] += 1
        if matches:
            found += 1
            by_kind[kind][0] += 1
            best = max(matches, key=lambda k: len(pred_names[k] & gnames))
            kinds_right += predicted[best].kind == kind
        else:
            missed.append(str(g["name"]))

    strict = 0
    lenient = 0
    extra: list[str] = []
    for entity, pn in zip(predicted, pred_names, strict=True):
        if any(pn & gn for gn in gold_names):
            strict += 1
            lenient += 1
        elif norm(entity.name) in REAL_BUT_UNLABELLED:
            lenient += 1
            extra.append(f"{entity.name} (real: {REAL_BUT_UNLABELLED[norm(entity.name)]})")
        else:
            extra.append(entity.name)

    pairs = merged = occurring = occurring_merged = 0
    for g, gnames in zip(golds, gold_names, strict=True):
        name = norm(str(g["name"]))
        for alias in g["aliases"]:  # type: ignore[attr-defined]
            a = norm(str(alias))
            pairs += 1
            together = any(name in pn and a in pn for pn in pred_names)
            merged += together
            # the alias occurs on its own: still there once the entity's longer names are gone
            rest = body_norm
            for longer in sorted((n for n in gnames if len(n) > len(a)), key=len, reverse=True):
                rest = rest.replace(f" {longer} ", " | ")
            if f" {a} " in rest:
                occurring += 1
                occurring_merged += together

    wrong: list[str] = []
    for entity, pn in zip(predicted, pred_names, strict=True):
        hit = [str(g["name"]) for g, gn in zip(golds, gold_names, strict=True) if pn & gn]
        if len(hit) > 1:
            wrong.append(f"{entity.name}: {' + '.join(hit)}")
    for a, b in gold.get("distinct", []):  # type: ignore[attr-defined]
        na, nb = norm(a), norm(b)
        for entity, pn in zip(predicted, pred_names, strict=True):
            if na in pn and nb in pn:
                wrong.append(f"{entity.name}: distinct {a} / {b}")

    report = Report(
        story,
        len(golds),
        found,
        {k: (v[0], v[1]) for k, v in by_kind.items()},
        len(predicted),
        strict,
        lenient,
        pairs,
        merged,
        occurring,
        occurring_merged,
        sorted(set(wrong)),
        kinds_right,
        missed,
        extra,
        seconds,
    )
    if all("mentions" in g for g in golds):
        exact = cells = error = 0
        for g, gnames in zip(golds, gold_names, strict=True):
            hits = [e for e, pn in zip(predicted, pred_names, strict=True) if pn & gnames]
            top = max(hits, key=lambda e: len(names_of(e) & gnames)) if hits else None
            want: dict[str, int] = g["mentions"]  # type: ignore[assignment]
            for doc in documents:
                expected = want.get(file_of_doc[doc.id], 0)
                got = top.mentions.get(doc.id, 0) if top else 0
                cells += 1
                exact += expected == got
                error += abs(expected - got)
        report.counts_exact = (exact, cells)
        report.counts_error = error
    return report


def demo_report() -> Report:
    """The bundled demo story against tests/data/demo_gold.json."""
    paths, labels = demo_sources()
    docs = load_sources(paths, labels=labels)
    gold = json.loads((DATA / "demo_gold.json").read_text(encoding="utf-8"))
    files = {d.id: Path(p).name for d, p in zip(docs, paths, strict=True)}
    return measure("demo story (5 outlets)", docs, gold, files)


def real_report(corpus: Path = CORPUS) -> Report:
    """The five real 2018 versions against tests/data/venezuela_quotes_entities_gold.json."""
    gold = json.loads((DATA / "venezuela_quotes_entities_gold.json").read_text(encoding="utf-8"))
    prefixes = sorted(gold["files"])
    docs = load_sources([str(corpus / gold["files"][p]) for p in prefixes])
    files = {d.id: p for d, p in zip(docs, prefixes, strict=True)}
    return measure("real 2018 story (5 outlets)", docs, gold, files)


def main() -> int:
    """Print one table with a column per story, then what was missed and what was extra."""
    reports = [demo_report()]
    if CORPUS.is_dir():
        reports.append(real_report())
    else:
        print(f"(the real corpus is not at {CORPUS}: skipped)", file=sys.stderr)
    print("| figure | " + " | ".join(r.story for r in reports) + " |")
    print("| --- |" + " ---: |" * len(reports))
    rows = [dict(r.rows()) for r in reports]
    for label in rows[0]:
        print(f"| {label} | " + " | ".join(row.get(label, "-") for row in rows) + " |")
    for r in reports:
        print(f"\n{r.story}")
        print(f"  missed: {', '.join(r.missed) or '-'}")
        print(f"  not in the gold: {', '.join(r.extra) or '-'}")
        print(f"  wrong merges: {'; '.join(r.wrong_merges) or '-'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
