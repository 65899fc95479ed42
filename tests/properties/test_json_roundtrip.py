"""The JSON export of generated comparisons: valid against the schema, read back equal."""

from __future__ import annotations

import json

import orjson
from hypothesis import given
from hypothesis import strategies as st

from storylens.core.compare import compare
from storylens.export.json_export import dumps, terminal_safe, to_dict
from storylens.export.json_import import from_dict

from ..conftest import make_doc
from ..export.json_helpers import RAW_CONTROLS, problems, same_types
from .test_engine_invariants import DOCUMENT, SETTINGS, WORDS

ODD_WORDS = st.sampled_from(
    ["café", "“quoted”", "it’s", "c1\x9b31m", "nel\x85", "line\u2028break", "\u00a0", "12½"]
)
"""Words whose characters the writer escapes, or leaves raw beside ones it escapes."""
ODD_SENTENCE = st.lists(st.one_of(WORDS, ODD_WORDS), min_size=1, max_size=10).map(
    lambda ws: " ".join(ws).capitalize() + "."
)
ODD_DOCUMENT = st.lists(
    st.lists(ODD_SENTENCE, min_size=1, max_size=3).map(" ".join), min_size=1, max_size=5
)


@SETTINGS
@given(st.lists(DOCUMENT, min_size=2, max_size=4))
def test_generated_comparisons_validate_and_round_trip(documents: list[list[str]]) -> None:
    comparison = compare([make_doc(k, *paras) for k, paras in enumerate(documents)])
    assert problems(to_dict(comparison)) == []
    rebuilt = from_dict(json.loads(dumps(comparison)))
    assert rebuilt == comparison
    same_types(rebuilt, comparison)


@SETTINGS
@given(st.lists(ODD_DOCUMENT, min_size=2, max_size=3), st.sampled_from(["", "\x85", "é\u2029"]))
def test_odd_characters_round_trip_escaped(documents: list[list[str]], odd: str) -> None:
    comparison = compare(
        [make_doc(k, *paras, label=f"outlet{odd}{k}") for k, paras in enumerate(documents)]
    )
    raw = dumps(comparison)
    assert RAW_CONTROLS.search(raw) is None
    data = json.loads(raw)
    assert problems(data) == []
    assert from_dict(data) == comparison


ANY_CHARACTER = st.one_of(
    st.characters(codec="utf-8"),  # every code point but lone surrogates (not UTF-8)
    st.characters(min_codepoint=0x80, max_codepoint=0x9F),
    st.sampled_from("\u2028\u2029\u00a0\u2027\u202a"),
)


@given(st.text(ANY_CHARACTER))
def test_terminal_safe_keeps_any_text(text: str) -> None:
    raw = orjson.dumps([text, {text: text}])
    safe = terminal_safe(raw)
    assert RAW_CONTROLS.search(safe) is None
    assert json.loads(safe) == [text, {text: text}]
