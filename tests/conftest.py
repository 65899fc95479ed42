"""Shared test helpers: documents built from plain strings, paths to labelled data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from storylens.cli import main
from storylens.core.model import Document, Paragraph

DATA = Path(__file__).parent / "data"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "venezuela-2018"


def exit_status(args: list[str]) -> int:
    """Run the command line with *args*: its exit status, returned or raised by argparse."""
    try:
        return main(args)
    except SystemExit as stop:
        return int(stop.code or 0)


def reader_join(source_slice: str) -> str:
    """Join source lines the way the segmenter promises: one space, none after a wrap hyphen."""
    out = ""
    for line in (part.strip() for part in source_slice.split("\n")):
        if not line:
            continue
        if out and re.search(r"[^\W\d_]-$", out) and line[:1].islower():
            out += line
        else:
            out = f"{out} {line}" if out else line
    return out


def make_doc(index: int, *paragraphs: str, label: str | None = None) -> Document:
    """A document whose paragraphs are the given strings (``#`` prefix: a heading)."""
    did = f"d{index}"
    paras = []
    text = ""
    for k, raw in enumerate(paragraphs):
        kind = "heading" if raw.startswith("# ") else "body"
        body = raw[2:] if kind == "heading" else raw
        start = len(text)
        text += body + "\n\n"
        paras.append(Paragraph(f"{did}.p{k}", did, k, kind, body, start, start + len(body)))
    return Document(did, label or did, f"<{did}>", None, text, tuple(paras))


@pytest.fixture
def corpus() -> Path:
    """The five real versions of one story, when the shared folder is present."""
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not beside this checkout")
    return CORPUS
