"""``storylens export`` on every hostile input: it opens and keeps every word, or it
refuses in one line with exit status 2; no format writes a raw control character.
"""

from __future__ import annotations

import json
import re
import tracemalloc
from collections import Counter
from pathlib import Path

import pytest

from storylens.core.errors import SourceError, UsageError
from storylens.core.limits import MB, Limits
from storylens.core.load import load_source, load_sources

from ..conftest import exit_status
from .cases import CASES, SCRIPT, UNREADABLE, Case, case_ids, dump, refuse_reading, story

RAW_CONTROLS = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]")
"""Bytes a terminal would act on: C0 controls but TAB/LF/CR, DEL, and C1 controls in UTF-8."""
WORD = re.compile(r"[^\W_]+")
TAG = re.compile(r"</?[a-z][^>]*>")


def _run(args: list[str], capsysbinary: pytest.CaptureFixture[bytes]) -> tuple[int, bytes, str]:
    code = exit_status(args)
    out, err = capsysbinary.readouterr()
    return code, out, err.decode("utf-8")


def _case(case_id: str) -> Case:
    return next(c for c in CASES if c.id == case_id)


def _assert_refused(case: Case, code: int, err: str) -> None:
    assert code == 2, err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("storylens: error: ")
    assert case.refused is not None and case.refused in lines[0], err
    assert "Traceback" not in err


@pytest.mark.parametrize("case_id", case_ids())
def test_json_export(
    case_id: str, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """Refused cases fail in one line; the others export JSON that passes the case's check."""
    case = _case(case_id)
    sources = case.build(tmp_path)
    out = tmp_path / "out.json"
    code, _, err = _run(["export", "--format", "json", *sources, "-o", str(out)], capsysbinary)
    if case.refused:
        _assert_refused(case, code, err)
        assert not out.exists()
        return
    assert code == 0, err
    assert err == ""
    export = json.loads(out.read_bytes())
    assert case.check is not None
    try:
        case.check(export, sources)
    except AssertionError as failure:
        raise AssertionError(f"{failure}\n{dump(export)}") from None


@pytest.mark.parametrize("case_id", [c.id for c in CASES if not c.refused])
def test_nothing_lost(case_id: str, tmp_path: Path) -> None:
    """Every word of each decoded source is in its paragraphs or set-aside texts."""
    for k, source in enumerate(_case(case_id).build(tmp_path)):
        doc = load_source(source, doc_id=f"d{k}")
        kept = Counter(WORD.findall(" ".join(p.text for p in doc.paragraphs)))
        kept.update(WORD.findall(" ".join(s.text for s in doc.set_aside)))
        # Markdown's raw HTML tags are markup, not words of the story.
        visible = TAG.sub(" ", doc.text) if doc.format == "markdown" else doc.text
        missing = Counter(WORD.findall(visible)) - kept
        assert not missing, f"{source}: lost {dict(missing)}"


@pytest.mark.parametrize("fmt", ["json", "html", "markdown"])
@pytest.mark.parametrize("case_id", ["markup", "escapes", "nul", "scripts"])
def test_no_format_writes_a_raw_control_character(
    case_id: str, fmt: str, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """Written to standard output (a terminal, perhaps), every format is inert."""
    sources = _case(case_id).build(tmp_path)
    code, out, err = _run(["export", "--format", fmt, *sources], capsysbinary)
    assert code == 0, err
    found = RAW_CONTROLS.findall(out)
    assert not found, found[:5]
    if fmt == "html":
        assert SCRIPT.encode() not in out
    if fmt == "json":
        # Escaped, not dropped: the parsed text is the source's.
        export = json.loads(out)
        assert export["documents"][0]["paragraphs"]


def test_an_unreadable_file_is_refused(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = UNREADABLE.build(tmp_path)
    refuse_reading(monkeypatch, sources[0])
    code, _, err = _run(["export", *sources], capsysbinary)
    _assert_refused(UNREADABLE, code, err)
    assert sources[0] in err


class TestSizeLimits:
    """Input beyond the limits is refused before it is read in full."""

    def test_a_30_mb_file_is_refused_without_being_read(self, tmp_path: Path) -> None:
        big = tmp_path / "huge.txt"
        with big.open("wb") as out:
            for _ in range(30):
                out.write(b"word " * (MB // 5))
        tracemalloc.start()
        try:
            with pytest.raises(SourceError) as caught:
                load_source(str(big), doc_id="d0")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert "is 30 MB, over the 10 MB limit for one source" in str(caught.value)
        assert peak < 1 * MB

    def test_a_stream_that_runs_past_the_limit_stops_at_the_limit(self) -> None:
        import io

        class Endless(io.RawIOBase):
            """Standard input that never ends: only the limit stops the reading."""

            def readable(self) -> bool:
                return True

            def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def,override]
                buffer[:] = b"a" * len(buffer)
                return len(buffer)

        with pytest.raises(SourceError) as caught:
            load_source("-", doc_id="d0", stdin=io.BufferedReader(Endless()), limits=Limits(1000))
        assert (
            str(caught.value) == "-: is over the 1000 bytes limit for one source "
            "(--max-source-mb raises it)"
        )

    def test_sources_over_the_total_are_refused(self, tmp_path: Path) -> None:
        paths = []
        for k in range(3):
            path = tmp_path / f"v{k}.txt"
            path.write_text(story([f"Paragraph {k} of a story about a library."] * 20))
            paths.append(str(path))
        size = Path(paths[0]).stat().st_size
        limits = Limits(source_bytes=size, total_bytes=2 * size)
        assert len(load_sources(paths[:2], limits=limits)) == 2
        with pytest.raises(UsageError, match=r"add up to more than .*\(--max-total-mb"):
            load_sources(paths, limits=limits)

    def test_the_command_line_raises_the_limits(
        self, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
    ) -> None:
        big = tmp_path / "big.txt"
        big.write_bytes(b"The library reopened on Saturday after the fire.\n\n" * 40_000)
        other = tmp_path / "other.txt"
        other.write_text("The library reopened on Saturday after the fire.\n")
        code, _, err = _run(["export", "--max-source-mb", "1", str(big), str(other)], capsysbinary)
        assert code == 2 and "over the 1 MB limit for one source" in err
        code, out, err = _run(
            ["export", "--max-source-mb", "3", str(big), str(other)], capsysbinary
        )
        assert code == 0, err
        assert len(json.loads(out)["documents"][0]["paragraphs"]) == 40_000
        code, _, err = _run(
            ["export", "--max-source-mb", "3", "--max-total-mb", "1", str(big), str(other)],
            capsysbinary,
        )
        assert code == 2 and "the limit for one comparison" in err
        code, _, err = _run(
            ["export", "--max-source-mb", "lots", str(big), str(other)], capsysbinary
        )
        assert code == 2 and len(err.splitlines()) == 1 and "megabytes" in err
