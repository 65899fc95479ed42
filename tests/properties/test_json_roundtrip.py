"""The JSON export of generated comparisons: valid against the schema, read back equal."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from storylens.core.compare import compare
from storylens.export.json_export import dumps, to_dict
from storylens.export.json_import import from_dict

from ..conftest import make_doc
from ..export.json_helpers import problems, same_types
from .test_engine_invariants import DOCUMENT, SETTINGS


@SETTINGS
@given(st.lists(DOCUMENT, min_size=2, max_size=4))
def test_generated_comparisons_validate_and_round_trip(documents: list[list[str]]) -> None:
    comparison = compare([make_doc(k, *paras) for k, paras in enumerate(documents)])
    assert problems(to_dict(comparison)) == []
    rebuilt = from_dict(json.loads(dumps(comparison)))
    assert rebuilt == comparison
    same_types(rebuilt, comparison)
