"""Fuzzing the loader and the segmenter with hypothesis (the contract is in ``contract.py``).

Deterministic (derandomized, no example database) and small enough for CI;
``fuzz/fuzz_load.py`` runs the same checks for as long as you like.
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from .contract import (
    SUFFIXES,
    check_load,
    check_markdown_segmentation,
    check_plain_segmentation,
)
from .strategies import any_text, encoded, long_line, meta_charset_page, structured_text

SECONDS = 5.0
"""Time limit for one small input: the slowest path (HTML) takes milliseconds (see check_load)."""

LONG_SECONDS = 5.0
"""Time limit for an input of up to 60,000 characters on one line."""


SCALE = float(os.environ.get("STORYLENS_FUZZ_SCALE", "1"))
"""Multiplies every test's number of inputs (e.g. 50 for a long local run)."""


def fuzz_settings(examples: int) -> settings:
    """Settings for one fuzz test: *examples* inputs, the same ones on every run.

    With ``STORYLENS_FUZZ_SCALE`` set, the inputs are drawn at random instead
    (and more of them), to look further than CI does.
    """
    scaled = SCALE != 1
    return settings(
        max_examples=max(1, round(examples * SCALE)),
        derandomize=not scaled,
        database=None,
        deadline=None,  # time_limit bounds each input instead, with a clear failure
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            # tmp_path is shared by a test's inputs on purpose: each input overwrites the file.
            HealthCheck.function_scoped_fixture,
        ],
    )


suffixes = st.sampled_from(SUFFIXES)


@fuzz_settings(150)
@given(data=st.binary(max_size=400), suffix=suffixes, keep=st.booleans())
def test_any_bytes(tmp_path: Path, data: bytes, suffix: str, keep: bool) -> None:
    check_load(data, suffix, keep_boilerplate=keep, seconds=SECONDS, folder=tmp_path)


@fuzz_settings(200)
@given(data=encoded(), suffix=suffixes, keep=st.booleans())
def test_structured_text_in_any_encoding(
    tmp_path: Path, data: bytes, suffix: str, keep: bool
) -> None:
    check_load(data, suffix, keep_boilerplate=keep, seconds=SECONDS, folder=tmp_path)


@fuzz_settings(60)
@given(data=meta_charset_page(), suffix=st.sampled_from([".html", "", "-"]))
def test_declared_charsets(tmp_path: Path, data: bytes, suffix: str) -> None:
    check_load(data, suffix, seconds=SECONDS, folder=tmp_path)


@fuzz_settings(12)
@given(text=long_line(), suffix=suffixes)
def test_very_long_lines(tmp_path: Path, text: str, suffix: str) -> None:
    check_load(text.encode(), suffix, seconds=LONG_SECONDS, folder=tmp_path)


@fuzz_settings(200)
@given(text=any_text, keep=st.booleans())
@example(text="One line\r\nTwo\rthree\x0cfour\u2028five\u2029six\x85seven\x00\ufeff\n", keep=False)
@example(text=" \n\t\u2028 \x0c", keep=False)
def test_plain_segmentation_tiles_the_text(text: str, keep: bool) -> None:
    check_plain_segmentation(text, keep_boilerplate=keep)


@fuzz_settings(150)
@given(text=structured_text, keep=st.booleans())
def test_markdown_segmentation_keeps_what_a_reader_sees(text: str, keep: bool) -> None:
    check_markdown_segmentation(text, keep_boilerplate=keep)
