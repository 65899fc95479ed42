"""The command line: export output, labels, and one-line errors with exit status 2."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from .conftest import exit_status

STORY_A = """Ferry pier to close

The harbour board of Lowmere voted on Tuesday to close the old ferry pier after engineers found
cracks in three of its concrete pylons.

Chair Imogen Tate said repairs would cost at least 4.2 million pounds.
"""
STORY_B = """Lowmere shuts its ferry pier

The harbour board of Lowmere voted on Tuesday to close the old ferry pier after engineers found
cracks in three of its concrete pylons.

Chair Imogen Tate said repairs would cost at least 2.4 million pounds.

Traders in the old town fear the closure will cut footfall.
"""


@pytest.fixture
def two(tmp_path: Path) -> tuple[Path, Path]:
    a = tmp_path / "lowmere-herald.txt"
    b = tmp_path / "coast-news.txt"
    a.write_text(STORY_A, encoding="utf-8")
    b.write_text(STORY_B, encoding="utf-8")
    return a, b


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = exit_status(args)
    out, err = capsys.readouterr()
    return code, out, err


def _export(args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict:  # type: ignore[type-arg]
    out = tmp_path / "out.json"
    code, _, err = _run(["export", "--format", "json", *args, "-o", str(out)], capsys)
    assert code == 0, err
    return json.loads(out.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_export_writes_the_documented_keys(
    two: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _export([str(two[0]), str(two[1])], tmp_path, capsys)
    assert data["schema"] == "storylens/1"
    assert set(data) >= {"documents", "rows", "links", "spans", "divergences", "entities", "quotes"}
    d0, d1 = data["documents"]
    assert (d0["id"], d0["label"], d0["source"]) == ("d0", "lowmere-herald", str(two[0]))
    assert d0["title"] == "Ferry pier to close"
    assert d0["paragraphs"][0] | {"doc": "d0", "index": 0} == d0["paragraphs"][0]
    assert d0["paragraphs"][0] == d0["paragraphs"][0] | {
        "id": "d0.p0",
        "kind": "heading",
        "text": "Ferry pier to close",
        "start": 0,
        "end": 19,
    }
    # Hard-wrapped lines are joined into one paragraph.
    assert (
        d0["paragraphs"][1]["text"].startswith("The harbour board")
        and "\n" not in d0["paragraphs"][1]["text"]
    )
    assert (
        data["rows"][0] == {"id": "r0", "cells": {"d0": ["d0.p0"], "d1": ["d1.p0"]}}
        or data["rows"][0]["id"] == "r0"
    )
    pairs = {(link["a"], link["b"]): link for link in data["links"]}
    assert pairs[("d0.p1", "d1.p1")]["status"] == "shared"
    assert pairs[("d0.p2", "d1.p2")]["status"] == "altered"
    assert all(
        isinstance(link["similarity"], float) and link["moved"] is False for link in data["links"]
    )
    number = [s for s in data["spans"]["d1.p2"] if s["status"] == "altered"]
    assert number and "number" in number[0]["flags"]
    types = [d["type"] for d in data["divergences"]]
    assert "unique" in types and "altered" in types
    unique = next(
        d for d in data["divergences"] if d["type"] == "unique" and d["paragraphs"] == ["d1.p3"]
    )
    assert unique["spans"] == [
        {"paragraph": "d1.p3", "start": 0, "end": len(d1["paragraphs"][3]["text"])}
    ]


def test_labels_apply_in_order(
    two: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _export(["--label", "Herald", str(two[0]), str(two[1])], tmp_path, capsys)
    assert [d["label"] for d in data["documents"]] == ["Herald", "coast-news"]


def test_the_same_file_twice_is_all_shared(
    two: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _export([str(two[0]), str(two[0])], tmp_path, capsys)
    assert {s["status"] for spans in data["spans"].values() for s in spans} == {"shared"}
    assert data["divergences"] == []


def test_standard_input_is_a_source(
    two: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = io.TextIOWrapper(io.BytesIO(STORY_B.encode("utf-8")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", fake)
    data = _export([str(two[0]), "-"], tmp_path, capsys)
    assert data["documents"][1]["source"] == "-"
    assert data["documents"][1]["label"] == "stdin"


def test_export_to_stdout_is_json(two: tuple[Path, Path]) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "storylens", "export", str(two[0]), str(two[1])],
        capture_output=True,
        check=True,
    )
    assert json.loads(out.stdout)["schema"] == "storylens/1"


def test_demo_exports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _export(["--demo"], tmp_path, capsys)
    assert len(data["documents"]) == 5
    assert data["documents"][0]["label"] == "Keystone Wire"
    assert any(link["moved"] for link in data["links"])


def _one_line_error(code: int, err: str, *needles: str) -> None:
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("storylens: error: ")
    assert "Traceback" not in err
    for needle in needles:
        assert needle in err


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda d: d / "missing.txt", "no such file"),
        (lambda d: d, "directory"),
        (lambda d: _write(d / "pic.txt", bytes(range(256)) * 8), "binary"),
        (lambda d: _write(d / "empty.txt", b""), "empty"),
        (lambda d: _write(d / "blank.txt", b" \n\t\n  \r\n"), "whitespace"),
    ],
    ids=["missing", "directory", "binary", "empty", "whitespace"],
)
def test_bad_sources_are_one_line_errors(
    make, problem: str, two: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    bad = make(_folder(tmp_path))
    code, _, err = _run(["export", str(two[0]), str(bad)], capsys)
    _one_line_error(code, err, str(bad), problem)


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "bad"
    folder.mkdir(exist_ok=True)
    return folder


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_unreadable_file_is_a_one_line_error(
    two: tuple[Path, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == two[1]:
            raise PermissionError(13, "Permission denied")
        return real(self, *args, **kwargs)

    # Root may read any file, so the refusal is simulated where the loader reads.
    monkeypatch.setattr(Path, "open", refuse)
    code, _, err = _run(["export", str(two[0]), str(two[1])], capsys)
    _one_line_error(code, err, str(two[1]), "permission denied")


def test_undecodable_file_is_a_one_line_error(
    two: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A UTF-16 byte-order mark, then a lone surrogate: no decoding is honest.
    data = b"\xff\xfe" + "Ferry".encode("utf-16-le") + b"\x00\xd8" + "pier".encode("utf-16-le")
    bad = _write(tmp_path / "broken.txt", data)
    code, _, err = _run(["export", str(two[0]), str(bad)], capsys)
    _one_line_error(code, err, str(bad), "UTF-16")


def test_fewer_than_two_sources(two: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["export", str(two[0])], capsys)
    _one_line_error(code, err, "at least two sources")
    code, _, err = _run(["export"], capsys)
    _one_line_error(code, err, "at least two sources")


def test_unknown_option_and_format(
    two: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(["export", "--format", "pdf", str(two[0]), str(two[1])], capsys)
    _one_line_error(code, err, "pdf")


def test_control_characters_in_a_path_never_reach_the_terminal(
    capsys: pytest.CaptureFixture[str], two: tuple[Path, Path]
) -> None:
    code, _, err = _run(["export", str(two[0]), "evil\x1b]0;pwned\x07name.txt"], capsys)
    assert code == 2
    assert "\x1b" not in err and "\x07" not in err


def test_errors_from_a_real_process_have_no_traceback(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "storylens", "export", str(tmp_path / "nope.txt"), str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2
    assert re.fullmatch(r"storylens: error: .*nope\.txt: no such file\n", out.stderr)


def test_a_reader_that_stops_early_ends_the_export_quietly() -> None:
    # ``storylens export … | head``: the demo's JSON is larger than a pipe's
    # buffer, so the export is still writing when the reader closes the pipe.
    proc = subprocess.Popen(
        [sys.executable, "-m", "storylens", "export", "--demo", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(100).startswith(b'{"schema":"storylens/1"')
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0
    assert err == ""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_a_full_standard_output_is_a_one_line_error() -> None:
    with open("/dev/full", "wb") as full:
        out = subprocess.run(
            [sys.executable, "-m", "storylens", "export", "--demo", "--format", "json"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert out.returncode == 2
    assert (
        out.stderr == "storylens: error: standard output: cannot write: No space left on device\n"
    )


def test_an_output_in_a_missing_folder_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "no-such-folder" / "out.json"
    code, _, err = _run(["export", "--demo", "-o", str(target)], capsys)
    _one_line_error(code, err, f"{target}: cannot write: No such file or directory")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def test_export_loses_no_word_of_any_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from storylens.demo import demo_sources

    data = _export(["--demo"], tmp_path, capsys)
    paths, _ = demo_sources()
    for doc, path in zip(data["documents"], paths, strict=True):
        kept = " ".join(p["text"] for p in doc["paragraphs"])
        kept += " " + " ".join(s["text"] for s in doc["set_aside"])
        source = Path(path).read_text(encoding="utf-8")
        # Markdown syntax aside, every word of the source is in the export, as often.
        missing = Counter(_words(source)) - Counter(_words(kept))
        assert set(missing) <= _link_targets(source), (doc["label"], missing)


def _link_targets(markdown: str) -> set[str]:
    return {w for target in re.findall(r"\]\(([^)]*)\)", markdown) for w in _words(target)}


def test_keep_boilerplate_keeps_it_in_the_body(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    aside = _export(["--demo"], tmp_path, capsys)["documents"][4]
    kept = _export(["--demo", "--keep-boilerplate"], tmp_path, capsys)["documents"][4]
    assert aside["set_aside"] and not kept["set_aside"]
    texts = {p["text"] for p in kept["paragraphs"]}
    lines = [line for s in aside["set_aside"] for line in s["text"].split("\n")]
    assert all(line in texts for line in lines)
    assert len(kept["paragraphs"]) == len(aside["paragraphs"]) + len(lines)
