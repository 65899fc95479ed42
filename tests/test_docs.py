"""docs/json-schema.md: its example is what storylens writes, and it agrees with the schema file."""

from __future__ import annotations

import json
import re
from pathlib import Path

from storylens.cli import main
from tests.export.json_helpers import SCHEMA_PATH, problems

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


def _property_names(node: object) -> set[str]:
    """Every key the schema names as a property, at any depth."""
    names: set[str] = set()
    if isinstance(node, dict):
        names |= set(node.get("properties", {}))
        for value in node.values():
            names |= _property_names(value)
    elif isinstance(node, list):
        for value in node:
            names |= _property_names(value)
    return names


def test_the_schema_file_and_this_page_agree() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert "(storylens-1.schema.json)" in text  # linked from the page
    example = json.loads(re.search(r"```json\n(.*?)\n```", text, re.S).group(1))  # type: ignore[union-attr]
    assert problems(example) == []
    table = text[text.index("| key | meaning |") : text.index("Nothing is lost")]
    undocumented = [
        name
        for name in sorted(_property_names(json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))))
        if not re.search(rf"[\"`.]{name}[\"`\[]", table)
    ]
    assert undocumented == []


def test_readme_lists_every_hostile_input_tested() -> None:
    from tests.hostile.cases import readme_table

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert readme_table() in readme
