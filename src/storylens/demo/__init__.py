"""The bundled demo story: five outlets' versions of one invented news story."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path


def demo_sources() -> tuple[list[str], list[str]]:
    """Return the demo's file paths and outlet labels, in reading order."""
    folder = resources.files("storylens") / "demo"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    paths = [str(Path(str(folder / entry["file"]))) for entry in manifest["documents"]]
    labels = [entry["label"] for entry in manifest["documents"]]
    return paths, labels
