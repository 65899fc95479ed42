"""Deterministic reader apps for snapshot tests and the README screenshots."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from storylens.core.compare import compare, compare_sources
from storylens.core.load import load_sources
from storylens.core.model import Comparison
from storylens.demo import demo_sources
from storylens.ui.app import StorylensApp

THEME = "textual-dark"
"""The pinned theme: snapshots must not change with a user's or Textual's default."""

HOSTILE = (
    "Markup is text here: [bold red]not red[/] and [@click=app.quit]not a link[/].\n\n"
    "Escapes are shown, not obeyed: \x1b[2J\x1b]0;new title\x07 bell\x07 back\x08space \x9bC1.\n\n"
    "A plain closing paragraph that both versions share word for word.\n"
)
CLEAN = (
    "Markup is text here: plain words in the other version.\n\n"
    "A plain closing paragraph that both versions share word for word.\n"
)


@cache
def demo_comparison() -> Comparison:
    """The bundled demo story, compared."""
    paths, labels = demo_sources()
    return compare_sources(paths, labels=labels)


@cache
def many_outlets() -> Comparison:
    """Twelve outlets: the demo's five, twice, and two more copies of the wire."""
    paths, _ = demo_sources()
    chosen = (paths * 3)[:12]
    docs = load_sources(chosen, labels=[f"Outlet {n + 1}" for n in range(12)])
    return compare(docs)


def hostile_comparison(tmp: Path) -> Comparison:
    """Two versions, one full of markup and terminal escape sequences."""
    a, b = tmp / "hostile.txt", tmp / "clean.txt"
    a.write_text(HOSTILE, encoding="utf-8")
    b.write_text(CLEAN, encoding="utf-8")
    return compare_sources([str(a), str(b)], labels=["Hostile [b]source[/b]", "Clean"])


def app(comparison: Comparison) -> StorylensApp:
    """A reader over *comparison* with the pinned theme."""
    reader = StorylensApp(comparison=comparison)
    reader.theme = THEME
    return reader
