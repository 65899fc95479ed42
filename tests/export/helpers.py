"""Comparisons the export tests share: the demo story and a hostile one."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass
from functools import cache

import pytest

from storylens.core.compare import compare, compare_sources
from storylens.core.model import Comparison
from storylens.demo import demo_sources
from tests.conftest import make_doc

HOSTILE_PARAGRAPH = (
    'Markup is text: <script>alert("x")</script> [bold red]not red[/] '
    '<img src="http://evil.example/x.png"> <a href="//evil.example">link</a> '
    "*star* _under_ `code` | pipe # hash $5 @someone &amp; "
    "escapes \x1b[2J\x1b]0;title\x07 nul\x00 c1\x9b bidi\u202eevil\u202c."
)
"""Everything a source could try on an HTML page, a Markdown renderer or a terminal."""

SHARED = "A plain closing paragraph that both versions share word for word, every single one."


@cache
def demo() -> Comparison:
    """The bundled five-outlet demo story, compared."""
    paths, labels = demo_sources()
    return compare_sources(paths, labels=labels)


@cache
def hostile() -> Comparison:
    """Two versions: one full of markup and control characters, with a hostile label."""
    a = make_doc(
        0,
        "# Harbour <b>board</b> votes",
        HOSTILE_PARAGRAPH,
        "The harbour board voted on Tuesday to close the old ferry pier after engineers "
        "found cracks in three of its concrete pylons.",
        SHARED,
        label='Evil "<i>label</i>" onmouseover="alert(1)" [b]x[/b]',
    )
    b = make_doc(
        1,
        "# Harbour board votes",
        "The harbour board voted on Wednesday to close the old ferry pier after engineers "
        "found cracks in four of its concrete pylons.",
        SHARED,
        "Only this version has this closing remark about the ferry timetable.",
        label="Clean | outlet",
    )
    return compare([a, b])


@cache
def twelve() -> Comparison:
    """Twelve outlets: the demo's five, twice, and two more copies of the wire."""
    from storylens.core.load import load_sources

    paths, _ = demo_sources()
    chosen = (paths * 3)[:12]
    return compare(load_sources(chosen, labels=[f"Outlet {n + 1}" for n in range(12)]))


@dataclass
class FakeDerivation:
    """What ``storylens.core.derivation.derivation`` returns, as the reports read it."""

    shared: dict[tuple[str, str], float]
    altered: dict[tuple[str, str], float]
    findings: list[str]


def fake_derivation(monkeypatch: pytest.MonkeyPatch, result: FakeDerivation) -> None:
    """Stand in a derivation module whose ``derivation()`` returns *result*."""
    fake = types.ModuleType("storylens.core.derivation")
    fake.derivation = lambda comparison: result  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "storylens.core.derivation", fake)
