"""The ``storylens/1`` JSON Schema (``docs/storylens-1.schema.json``) as a validator."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

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
