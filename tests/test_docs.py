"""The JSON example in docs/json-schema.md is what storylens writes for its sources."""

from __future__ import annotations

import json
import re
from pathlib import Path

from storylens.cli import main

DOC = Path(__file__).parents[1] / "docs" / "json-schema.md"


def test_schema_example_matches_the_export(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    text = DOC.read_text(encoding="utf-8")
    sources = dict(re.findall(r"`(\w\.txt)`:\n\n```text\n(.*?)```", text, re.S))
    assert set(sources) == {"a.txt", "b.txt"}
    for name, body in sources.items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    example = json.loads(re.search(r"```json\n(.*?)\n```", text, re.S).group(1))  # type: ignore[union-attr]
    monkeypatch.chdir(tmp_path)
    assert main(["export", "--format", "json", "a.txt", "b.txt", "-o", "out.json"]) == 0
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8")) == example
    assert example["schema"] == "storylens/1"
