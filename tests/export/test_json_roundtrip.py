"""The JSON export: valid against its schema, read back into an equal comparison,
and safe to print on a terminal."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import orjson
import pytest
from jsonschema import Draft202012Validator

from storylens.cli import main
from storylens.core.compare import compare, compare_sources
from storylens.core.model import Comparison
from storylens.export.json_export import dumps, terminal_safe, to_dict, write_json
from storylens.export.json_import import from_dict, read_json
from tests.conftest import DATA, make_doc
from tests.export.helpers import demo, hostile
from tests.export.json_helpers import RAW_CONTROLS, SCHEMA_PATH, problems, same_types

FIXTURES = {
    "harbour": sorted((DATA / "stories" / "harbour").glob("*.txt")),
    "derivation": sorted((DATA / "stories" / "derivation").glob("*.txt")),
    "web": [DATA / "web" / "coastal-times.html", DATA / "web" / "harbour-herald.html"],
    "load": sorted((DATA / "load").iterdir()),
}
"""The repository's source files, compared in groups (the load fixtures are unrelated
texts in every format: plain, Markdown and HTML)."""


def assert_round_trips(comparison: Comparison) -> dict[str, Any]:
    """The export is valid and reads back equal, with the same types; returns its data."""
    data = to_dict(comparison)
    assert problems(data) == []
    rebuilt = from_dict(data)
    assert rebuilt == comparison
    same_types(rebuilt, comparison)
    assert read_json(dumps(comparison)) == comparison
    return data


@cache
def fixture_comparison(name: str) -> Comparison:
    return compare_sources([str(p) for p in FIXTURES[name]])


def test_the_schema_file_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    assert len(problems({})) == 8  # one per required top-level key


def test_demo_round_trips() -> None:
    data = assert_round_trips(demo())
    # Every kind of object the schema describes is present in the demo.
    assert data["links"] and data["divergences"] and data["entities"] and data["quotes"]
    assert {d["type"] for d in data["divergences"]} >= {"unique", "altered", "omitted", "quote"}
    assert any(span["flags"] for spans in data["spans"].values() for span in spans)


def test_hostile_text_round_trips() -> None:
    assert_round_trips(hostile())


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_fixtures_round_trip(name: str) -> None:
    assert_round_trips(fixture_comparison(name))


def test_web_pages_keep_their_metadata() -> None:
    data = assert_round_trips(fixture_comparison("web"))
    assert {d["format"] for d in data["documents"]} == {"html"}
    assert any(d["author"] or d["published"] for d in data["documents"])


def test_real_corpus_round_trips(corpus: Path) -> None:
    comparison = compare_sources([str(p) for p in sorted(corpus.glob("*.txt"))])
    assert len(comparison.documents) == 5
    assert_round_trips(comparison)


def test_document_text_is_exported_so_offsets_can_be_followed() -> None:
    data = to_dict(demo())
    plain = [doc for doc in data["documents"] if doc["format"] == "text"]
    assert plain
    for doc in plain:  # (in Markdown, a paragraph's place includes its markup)
        for para in doc["paragraphs"]:
            # Hard-wrapped lines are joined in the paragraph's text, so compare words.
            assert doc["text"][para["start"] : para["end"]].split() == para["text"].split()
        for aside in doc["set_aside"]:
            assert doc["text"][aside["start"] : aside["end"]].split() == aside["text"].split()


def test_read_json_takes_a_path_bytes_or_a_stream(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    with path.open("wb") as out:
        write_json(hostile(), out)
    raw = path.read_bytes()
    assert read_json(path) == hostile()
    assert read_json(str(path)) == hostile()
    assert read_json(raw) == hostile()
    assert read_json(bytearray(raw)) == hostile()
    assert read_json(io.BytesIO(raw)) == hostile()


# --- wrong data: the schema rejects it, and so does the reader, naming the place ---

Mutation = Callable[[dict[str, Any]], None]


def _set(path: str, value: object) -> Mutation:
    """A mutation putting *value* at a dotted *path* (numbers index lists)."""
    *parents, last = path.split(".")

    def mutate(data: dict[str, Any]) -> None:
        node: Any = data
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        node[int(last) if isinstance(node, list) else last] = value

    return mutate


def _delete(path: str) -> Mutation:
    *parents, last = path.split(".")

    def mutate(data: dict[str, Any]) -> None:
        node: Any = data
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        del node[last]

    return mutate


def _first_altered_span(data: dict[str, Any]) -> dict[str, Any]:
    return next(s for spans in data["spans"].values() for s in spans if s["status"] == "altered")


WRONG: dict[str, tuple[Mutation, str]] = {
    # name: (mutation, where the reader's message points)
    "other schema": (_set("schema", "storylens/2"), "schema 'storylens/2'"),
    "missing label": (_delete("documents.0.label"), "documents[0]: missing key label"),
    "missing text": (_delete("documents.1.text"), "documents[1]: missing key text"),
    "bad kind": (_set("documents.0.paragraphs.0.kind", "title"), "paragraphs[0].kind"),
    "bad format": (_set("documents.0.format", "pdf"), "documents[0].format"),
    "bad paragraph id": (_set("documents.0.paragraphs.1.id", "d0-p1"), "paragraphs[1].id"),
    "negative offset": (_set("documents.0.paragraphs.0.start", -1), "paragraphs[0].start"),
    "offset as text": (_set("documents.0.paragraphs.0.end", "19"), "paragraphs[0].end"),
    "empty set-aside": (_set("documents.0.set_aside", [{}]), "set_aside[0]: missing keys"),
    "after below -1": (
        _set(
            "documents.0.set_aside",
            [{"text": "x", "reason": "ad marker", "start": 0, "end": 1, "after": -2}],
        ),
        "documents[0].set_aside[0].after",
    ),
    "title not text": (_set("documents.0.title", 3), "documents[0].title"),
    "bad row id": (_set("rows.0.id", "row0"), "rows[0].id"),
    "cells not a map": (_set("rows.0.cells", [["d0.p0"]]), "rows[0].cells"),
    "bad link status": (_set("links.0.status", "changed"), "links[0].status"),
    "similarity above 1": (_set("links.0.similarity", 1.5), "links[0].similarity"),
    "moved as 0": (_set("links.0.moved", 0), "links[0].moved"),
    "bad span status": (
        lambda d: _first_altered_span(d).update(status="reworded"),
        ".status: expected one of 'shared', 'altered', 'unique'",
    ),
    "short range": (
        lambda d: _first_altered_span(d).update(counterpart_range=[1]),
        ".counterpart_range",
    ),
    "unknown flag": (lambda d: _first_altered_span(d).update(flags=["date"]), ".flags[0]"),
    "missing changes": (lambda d: _first_altered_span(d).pop("changes"), "missing key changes"),
    "bad divergence type": (_set("divergences.0.type", "rewrite"), "divergences[0].type"),
    "missing quote key": (_delete("divergences.0.quote"), "divergences[0]: missing key quote"),
    "bad entity kind": (_set("entities.0.kind", "thing"), "entities[0].kind"),
    "negative mentions": (_set("entities.0.mentions.d0", -1), "entities[0].mentions['d0']"),
    "bad quote status": (_set("quotes.0.status", "paraphrased"), "quotes[0].status"),
    "runs_on missing": (_delete("quotes.0.variants.0.runs_on"), "variants[0]: missing key"),
    "one document": (
        lambda d: d.update(documents=d["documents"][:1]),
        "documents: expected at least two documents",
    ),
    "extra top-level key": (_set("spans_v2", {}), ""),
}


@cache
def example() -> Comparison:
    """The two sources of the example in docs/json-schema.md: small, and with one of
    everything (headings, a link of each status, flags, divergences, an entity, a quote)."""
    return compare(
        [
            make_doc(0, *EXAMPLE, PIER_QUOTE.format("4.2")),
            make_doc(1, *EXAMPLE, PIER_QUOTE.format("2.4") + " Traders fear the closure."),
        ]
    )


EXAMPLE = (
    "# Ferry pier to close",
    "The harbour board in Lowmere voted on Tuesday to close the old ferry pier after "
    "engineers found cracks in three of its concrete pylons.",
)
PIER_QUOTE = (
    '"Repairs would cost at least {} million pounds," said Imogen Tate, who chairs the board.'
)


@pytest.fixture
def example_data() -> dict[str, Any]:
    """A fresh copy of the example's export, for a test to break."""
    data: dict[str, Any] = orjson.loads(dumps(example()))
    return data


def test_the_example_has_what_the_wrong_data_tests_break(example_data: dict[str, Any]) -> None:
    assert_round_trips(example())
    assert example_data["quotes"] and example_data["entities"] and example_data["divergences"]
    assert any(s["status"] == "altered" for spans in example_data["spans"].values() for s in spans)


@pytest.mark.parametrize("name", sorted(WRONG))
def test_wrong_data_is_rejected(name: str, example_data: dict[str, Any]) -> None:
    mutate, where = WRONG[name]
    data = example_data
    mutate(data)
    assert problems(data) != []
    if not where:  # a key this version does not know: the reader leaves it aside
        assert from_dict(data) == example()
        return
    with pytest.raises(ValueError, match=r"^not storylens/1 JSON: ") as error:
        from_dict(data)
    assert where in str(error.value)


def test_a_bool_is_not_an_integer(example_data: dict[str, Any]) -> None:
    data = example_data
    data["documents"][0]["paragraphs"][0]["start"] = False
    assert problems(data) != []
    with pytest.raises(
        ValueError, match=r"paragraphs\[0\]\.start: expected an integer ≥ 0, got false"
    ):
        from_dict(data)


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        # Valid as to the schema, but not what the model's ids mean.
        (_set("documents.1.id", "d0"), "documents[1].id: expected 'd1'"),
        (_set("documents.0.paragraphs.1.index", 7), "paragraphs[1].index: expected 1"),
        (_set("rows.1.id", "r7"), "rows[1].id: expected 'r1'"),
        (_set("links.0.a", "d9.p0"), "links[0].a: expected the id of a paragraph"),
        (_set("rows.0.cells.d0", ["d1.p0"]), "rows[0].cells['d0'][0]"),
        (_set("divergences.0.row", "r999"), "divergences[0].row"),
        (_set("entities.0.mentions.d99", 1), "entities[0].mentions['d99']"),
        (_set("quotes.0.variants.0.paragraph", "d0.p999"), "quotes[0].variants[0].paragraph"),
    ],
    ids=["doc id", "index", "row id", "link", "cell", "row ref", "mentions", "variant"],
)
def test_ids_must_follow_positions_and_exist(
    mutate: Mutation, where: str, example_data: dict[str, Any]
) -> None:
    data = example_data
    mutate(data)
    assert problems(data) == []
    with pytest.raises(ValueError, match=r"^not storylens/1 JSON: ") as error:
        from_dict(data)
    assert where in str(error.value)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "not JSON at all"),
        (b"{", "not JSON at all"),
        (b"[]", "expected an object, got a list"),
        (b'{"documents": []}', "no schema key"),
        (b'"storylens/1"', "expected an object"),
    ],
)
def test_read_json_rejects_what_is_not_storylens_1(raw: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=r"^not storylens/1 JSON: ") as error:
        read_json(raw)
    assert message in str(error.value)


# --- terminal safety ---

ODD = "".join(map(chr, range(0x80, 0xA0))) + "\u2028\u2029"
"""Every character the writer escapes beyond what JSON requires."""
KEPT = "café\u00a0«»©“quoted” — … \u2027\u202a\u202f ẞ 🙂"
"""Non-ASCII characters next to them (same lead bytes) that stay raw UTF-8."""


def test_terminal_safe_escapes_c1_controls_and_separators() -> None:
    text = f"a{ODD}b{KEPT}c\x1b\x9b31m"
    raw = terminal_safe(orjson.dumps({"text": text, "label": ODD}))
    assert RAW_CONTROLS.search(raw) is None
    assert b"\\u0080" in raw and b"\\u009f" in raw and b"\\u2028" in raw and b"\\u2029" in raw
    assert json.loads(raw) == orjson.loads(raw) == {"text": text, "label": ODD}
    assert KEPT.encode() in raw


@pytest.mark.parametrize(
    "text",
    [ODD * 70, "é" * 70 + "\u2028", "\u00a0" * 70 + "\x85", "è©" * 70 + "\u2029\x9d"],
    ids=["many escapes", "common é", "common no-break space", "common è and ©"],
)
def test_terminal_safe_where_lead_or_tail_bytes_are_common(text: str) -> None:
    raw = terminal_safe(orjson.dumps(text))
    assert RAW_CONTROLS.search(raw) is None
    assert json.loads(raw) == text


def test_terminal_safe_leaves_plain_exports_alone() -> None:
    raw = orjson.dumps({"text": KEPT})
    assert terminal_safe(raw) == raw


def test_hostile_export_holds_no_raw_c1_control() -> None:
    raw = dumps(hostile())
    assert "\x9b" in hostile().documents[0].paragraphs[1].text
    assert RAW_CONTROLS.search(raw) is None and b"\\u009b" in raw
    assert read_json(raw) == hostile()


def test_export_to_standard_output_escapes_c1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(
        "Harbour news\n\nThe board voted \x9b31m to close the pier on Tuesday \x85 after "
        "engineers found cracks.\n".encode()
    )
    b.write_text(
        "Harbour news\n\nThe board voted to close the pier on Tuesday after engineers found "
        "cracks.\n",
        encoding="utf-8",
    )
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", stdout)
    assert main(["export", "--format", "json", str(a), str(b)]) == 0
    raw = stdout.buffer.getvalue()  # type: ignore[attr-defined]
    assert RAW_CONTROLS.search(raw) is None
    body = json.loads(raw)["documents"][0]["paragraphs"][1]["text"]
    assert "\x9b31m" in body and "\x85" in body
