"""Alignment quality against the hand labels in tests/data: the figures in the README.

Run from the repository root: ``python bench/quality.py``. The real five-outlet
story is read from ``../shared/corpus/venezuela-2018`` when it is there.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from storylens.core.compare import compare
from storylens.core.evaluation import Quality, block_key, line_key, measure
from storylens.core.load import load_sources
from storylens.demo import demo_sources

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
CORPUS = ROOT.parent / "shared" / "corpus" / "venezuela-2018"


def _block_labelled(paths: list[str], gold_file: Path, labels: list[str] | None = None) -> Quality:
    docs = load_sources(paths, labels=labels or [])
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    keys = {d.id: block_key(Path(p).name) for d, p in zip(docs, paths, strict=True)}
    return measure(compare(docs), gold, keys)


def main() -> int:
    """Print one table row per labelled story."""
    rows: list[tuple[str, Quality]] = []
    paths, labels = demo_sources()
    rows.append(("demo story (5 outlets)", _block_labelled(paths, DATA / "demo_gold.json", labels)))
    harbour = DATA / "stories" / "harbour"
    rows.append(
        (
            "harbour story (3 outlets)",
            _block_labelled(sorted(map(str, harbour.glob("*.txt"))), harbour / "gold.json"),
        )
    )
    if CORPUS.is_dir():
        gold = json.loads((DATA / "venezuela_gold.json").read_text(encoding="utf-8"))
        prefixes = sorted(gold["files"])
        docs = load_sources([str(CORPUS / gold["files"][p]) for p in prefixes])
        keys = {d.id: line_key(p) for d, p in zip(docs, prefixes, strict=True)}
        rows.append(("real 2018 story (5 outlets)", measure(compare(docs), gold, keys)))
    else:
        print(f"(the real corpus is not at {CORPUS}: skipped)", file=sys.stderr)
    print(
        "| story | pair precision | pair recall | F1 | link precision | unique left unlinked "
        "| noise set aside | body kept |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, q in rows:
        print(
            f"| {name} | {q.precision:.3f} | {q.recall:.3f} | {q.f1:.3f} | {q.link_precision:.3f} "
            f"| {q.unique_unlinked:.0%} | {q.noise_set_aside:.0%} | {q.body_kept:.0%} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
