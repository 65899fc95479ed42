"""Make the README's screenshots (SVG) of the reader on the bundled demo story.

Run from the repository root: ``python scripts/screenshots.py``. The apps are the
snapshot tests' (pinned theme, fixed sizes), so the pictures match what the
tests check.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.snapshots.apps import app, demo_comparison, many_outlets  # noqa: E402

OUT = ROOT / "screenshots"

SHOTS: list[tuple[str, str, tuple[int, int], Sequence[str]]] = [
    ("reader", "demo", (160, 45), ()),
    ("altered-number", "demo", (160, 45), ("n", "n", "n")),
    ("divergences-only", "demo", (160, 45), ("f", "n", "n", "n", "n")),
    ("sidebar", "demo", (160, 45), ("s", "down", "down", "enter")),
    ("reworded-quote", "demo", (160, 45), ("quotation_mark", "s")),
    ("twelve-outlets", "many", (120, 40), ("greater_than_sign",)),
    ("help", "demo", (160, 45), ("question_mark",)),
    ("derivation", "demo", (160, 45), ("d",)),
]


async def shoot(name: str, which: str, size: tuple[int, int], keys: Sequence[str]) -> Path:
    """Run the app at *size*, press *keys*, save ``screenshots/<name>.svg``."""
    comparison = {
        "demo": demo_comparison,
        "many": many_outlets,
    }[which]()
    reader = app(comparison)
    async with reader.run_test(size=size) as pilot:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await pilot.pause(0.2)
        path = Path(reader.save_screenshot(filename=f"{name}.svg", path=str(OUT)))
    return path


def main() -> int:
    """Write every screenshot."""
    OUT.mkdir(exist_ok=True)
    for name, which, size, keys in SHOTS:
        print(asyncio.run(shoot(name, which, size, keys)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
