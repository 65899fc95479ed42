"""What the JSON export tests share: the schema as a validator, a type-exact comparison."""

from __future__ import annotations

import dataclasses
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

RAW_CONTROLS = re.compile(rb"\xc2[\x80-\x9f]|\xe2\x80[\xa8\xa9]")
"""C1 controls, U+2028 and U+2029 as UTF-8: what the export must never hold raw."""

SCHEMA_PATH = Path(__file__).parents[2] / "docs" / "storylens-1.schema.json"


@cache
def validator() -> Draft202012Validator:
    """A draft 2020-12 validator for the schema (checked to be a valid schema itself)."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def problems(data: Any) -> list[str]:
    """Every way *data* breaks the schema, as ``path: message`` lines (empty: it is valid)."""
    return [
        f"{error.json_path}: {error.message}"
        for error in sorted(validator().iter_errors(data), key=lambda e: e.json_path)
    ]


def same_types(rebuilt: object, original: object, where: str = "comparison") -> None:
    """Assert that *rebuilt* has the very types of *original*, all the way down.

    Equality alone would let a list stand for a tuple inside a dict value, a set
    for a frozenset, or 1 for 1.0.
    """
    assert type(rebuilt) is type(original), f"{where}: {type(rebuilt)} for {type(original)}"
    if dataclasses.is_dataclass(original):
        for f in dataclasses.fields(original):
            same_types(getattr(rebuilt, f.name), getattr(original, f.name), f"{where}.{f.name}")
    elif isinstance(original, tuple | list):
        assert isinstance(rebuilt, tuple | list)
        for n, (a, b) in enumerate(zip(rebuilt, original, strict=True)):
            same_types(a, b, f"{where}[{n}]")
    elif isinstance(original, dict):
        assert isinstance(rebuilt, dict) and list(rebuilt) == list(original), where
        for key, value in original.items():
            same_types(rebuilt[key], value, f"{where}[{key!r}]")
