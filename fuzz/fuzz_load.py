#!/usr/bin/env python3
"""Long fuzzing of storylens's loading and segmenting: see ``fuzz/README.md``.

Every input is checked against the contract in ``tests/fuzz/contract.py``
(the same checks the hypothesis tests run).  The first byte of an input
picks what is fuzzed, the rest is the source:

====  =====================================================================
k=b%8 what the rest of the input is
====  =====================================================================
0-4   a source loaded as a ``.txt``, ``.md``, ``.html`` file, a file with
      no suffix, or standard input
5     text (UTF-8, bad bytes replaced) for the plain-text segmenter
6     text for the Markdown segmenter
7     a short chunk (64 bytes at most) repeated to 50,000 bytes, loaded
      with the suffix ``(b >> 4) % 5`` picks: slow paths show up here
====  =====================================================================

``b & 8`` loads with ``keep_boilerplate``.  Engines: atheris (coverage
guided, libFuzzer underneath) when it is installed, else a plain mutation
loop over the seeds.
"""

from __future__ import annotations

import argparse
import atexit
import importlib
import logging
import random
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]  # this checkout's sources and tests first

SEEDS = HERE / "seeds"
DICTIONARY = HERE / "load.dict"
OUT = HERE / "out"

AMPLIFIED = 50_000
"""Bytes an amplified input (kind 7) is repeated to."""

CHUNKS = (b"[", b"<!---->", b"**a", b"word\n", b"<p>a</p>", b"a-\n", b"# a\n", b"| a |\n")
"""Seed chunks for amplified inputs."""


def budget(size: int) -> float:
    """Seconds an input of *size* bytes may take: generous, but linear in the size.

    Loading 50,000 bytes of HTML or Markdown takes well under a second here.
    """
    return 2.0 + size * 60e-6


contract = ModuleType("tests.fuzz.contract")
"""``tests/fuzz/contract.py``, imported by :func:`import_targets` (under atheris, instrumented)."""
FOLDER = Path()
"""Where inputs given as files are written: a temporary folder of this process."""


def import_targets() -> None:
    """Import the code under test (and the lazily imported libraries, so no input pays)."""
    global contract, FOLDER
    import charset_normalizer  # noqa: F401
    import markdown_it  # noqa: F401
    import trafilatura  # noqa: F401

    contract = importlib.import_module("tests.fuzz.contract")
    FOLDER = Path(tempfile.mkdtemp(prefix="storylens-fuzz-"))
    atexit.register(shutil.rmtree, FOLDER, ignore_errors=True)
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # "discarding data: None"…


def describe(data: bytes) -> str:
    """What an input is, in words."""
    if not data:
        return "empty input (skipped)"
    head, size = data[0], len(data) - 1
    kind, keep = head % 8, " keep_boilerplate" if head & 8 else ""
    names = (".txt", ".md", ".html", "no suffix", "stdin")
    if kind < 5:
        return f"load {names[kind]}{keep}, {size} bytes"
    if kind == 5:
        return f"plain segmentation{keep}, {size} bytes"
    if kind == 6:
        return f"markdown segmentation{keep}, {size} bytes"
    chunk = min(size, 64)
    return f"load {names[(head >> 4) % 5]}{keep}, a {chunk}-byte chunk repeated to {AMPLIFIED}"


def run_one(data: bytes, *, interrupt: bool) -> None:
    """Check one fuzz input; raise (AssertionError, :class:`Hang`…) if the contract breaks.

    With *interrupt*, a slow input is stopped at its time budget (SIGALRM);
    without (libFuzzer owns SIGALRM), it is measured and reported after.
    """
    if not data:
        return
    head, body = data[0], data[1:]
    kind, keep = head % 8, bool(head & 8)
    if kind == 7:
        chunk = body[:64]
        if not chunk:
            return
        body = chunk * (AMPLIFIED // len(chunk))
    limit = budget(len(body))

    def check() -> None:
        suffixes = contract.SUFFIXES
        if kind < 5:
            contract.check_load(body, suffixes[kind], keep_boilerplate=keep, folder=FOLDER)
        elif kind == 5:
            text = body.decode("utf-8", "replace")
            contract.check_plain_segmentation(text, keep_boilerplate=keep)
        elif kind == 6:
            text = body.decode("utf-8", "replace")
            contract.check_markdown_segmentation(text, keep_boilerplate=keep)
        else:
            suffix = suffixes[(head >> 4) % 5]
            contract.check_load(body, suffix, keep_boilerplate=keep, folder=FOLDER)

    # Slow once is not a hang: trafilatura's date parser compiles its patterns for
    # a script the first time it meets one (a few seconds, once per process).
    # Slow twice in a row is.
    for attempt in (1, 2):
        start = time.perf_counter()
        try:
            with contract.time_limit(limit if interrupt else None):
                check()
        except contract.Hang:
            if attempt == 2:
                raise
            continue
        elapsed = time.perf_counter() - start
        if elapsed <= limit:
            return
        if attempt == 2:
            raise contract.Hang(f"took {elapsed:.1f} s, over the {limit:.1f} s budget, twice")


def seed_inputs() -> list[bytes]:
    """The seed files, each under every kind of input that reads whole sources."""
    inputs: list[bytes] = []
    for path in sorted(SEEDS.iterdir()):
        data = path.read_bytes()
        for head in (0, 1, 2, 3, 4, 5, 6, 8 | 4):
            inputs.append(bytes([head]) + data)
    for k, chunk in enumerate(CHUNKS):
        inputs.append(bytes([7 | (k % 5) << 4]) + chunk)
    return inputs


def write_corpus(folder: Path) -> None:
    """Put the seed inputs in *folder* (kept between runs: libFuzzer adds to it)."""
    folder.mkdir(parents=True, exist_ok=True)
    for k, data in enumerate(seed_inputs()):
        (folder / f"seed-{k:03d}").write_bytes(data)


# --------------------------------------------------------------------------- engines


def run_atheris(seconds: int, extra: Sequence[str]) -> int:
    """Coverage-guided fuzzing with atheris for *seconds*; findings go to ``out/``."""
    import atheris  # type: ignore[import-untyped,import-not-found,unused-ignore]

    with atheris.instrument_imports(include=["storylens", "tests.fuzz"]):
        import_targets()
    corpus = OUT / "corpus"
    write_corpus(corpus)
    (OUT / "findings").mkdir(parents=True, exist_ok=True)

    def one_input(data: bytes) -> None:
        run_one(data, interrupt=False)

    argv = [
        sys.argv[0],
        str(corpus),
        f"-dict={DICTIONARY}",
        f"-max_total_time={seconds}",
        "-timeout=30",  # a hard stop for what run_one cannot time (C code)
        "-max_len=8192",
        "-rss_limit_mb=4096",
        f"-artifact_prefix={OUT / 'findings'}/",
        "-print_final_stats=1",
        *extra,
    ]
    atheris.Setup(argv, one_input)
    atheris.Fuzz()
    return 0


def _mutate(
    rng: random.Random, data: bytes, pool: Sequence[bytes], tokens: Sequence[bytes]
) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(7)
        at = rng.randint(0, len(buf))
        if op == 0 and buf:  # flip a byte (never the kind byte alone: it is one of 256)
            buf[rng.randrange(len(buf))] = rng.randrange(256)
        elif op == 1:
            buf[at:at] = rng.randbytes(rng.randint(1, 8))
        elif op == 2:
            buf[at:at] = rng.choice(tokens)
        elif op == 3 and buf:
            del buf[at : at + rng.randint(1, 32)]
        elif op == 4 and buf:
            start = rng.randrange(len(buf))
            buf[at:at] = buf[start : start + rng.randint(1, 64)] * rng.randint(1, 8)
        elif op == 5:
            other = rng.choice(pool)
            buf[at:] = other[rng.randint(0, len(other)) :]
        elif op == 6 and buf:
            buf[0] = rng.randrange(256)
    return bytes(buf[:8192])


def _tokens() -> list[bytes]:
    tokens = []
    for line in DICTIONARY.read_text(encoding="ascii").splitlines():
        if line.startswith('"'):
            tokens.append(line[1:-1].encode("ascii").decode("unicode_escape").encode("latin-1"))
    return tokens


def run_mutation(seconds: int, seed: int) -> int:
    """Random mutations of the seeds for *seconds*, no coverage feedback (no atheris needed)."""
    import_targets()
    rng = random.Random(seed)
    pool = seed_inputs()
    tokens = _tokens()
    findings = OUT / "findings"
    findings.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + seconds
    runs = failures = 0
    while time.monotonic() < deadline:
        data = _mutate(rng, rng.choice(pool), pool, tokens)
        runs += 1
        try:
            run_one(data, interrupt=True)
        except Exception as error:
            failures += 1
            name = findings / f"crash-{seed}-{runs}"
            name.write_bytes(data)
            print(f"{name}: {describe(data)}: {type(error).__name__}: {error}", flush=True)
        else:
            if rng.random() < 0.05 and len(pool) < 5000:
                pool.append(data)  # keep some passing inputs to build on
        if runs % 1000 == 0:
            print(f"#{runs} inputs, {failures} failing", flush=True)
    print(f"done: {runs} inputs in {seconds} s, {failures} failing")
    return 1 if failures else 0


def replay(paths: Sequence[str]) -> int:
    """Run saved inputs once each and say what happens (to confirm a finding or a fix)."""
    import_targets()
    status = 0
    for name in paths:
        data = Path(name).read_bytes()
        start = time.perf_counter()
        try:
            run_one(data, interrupt=True)
        except Exception:
            status = 1
            print(f"{name}: {describe(data)}: FAILS")
            traceback.print_exc(limit=4)
        else:
            took = time.perf_counter() - start
            print(f"{name}: {describe(data)}: passes ({took:.2f} s)")
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``fuzz_load.py [--seconds N] [--engine E] [--replay FILE…] [-- ARGS]``."""
    args = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in args:
        extra = args[args.index("--") + 1 :]
        args = args[: args.index("--")]
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=600, help="how long to fuzz (600)")
    parser.add_argument(
        "--engine",
        choices=["auto", "atheris", "mutate"],
        default="auto",
        help="auto: atheris if installed",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed of the mutation loop")
    parser.add_argument(
        "--replay", nargs="+", metavar="FILE", help="run these inputs once and stop"
    )
    options = parser.parse_args(args)
    if options.replay:
        return replay(options.replay)
    engine = options.engine
    if engine == "auto":
        try:
            import atheris  # type: ignore[import-untyped,import-not-found,unused-ignore]  # noqa: F401
        except ImportError:
            engine = "mutate"
        else:
            engine = "atheris"
    if engine == "atheris":
        return run_atheris(options.seconds, extra)
    return run_mutation(options.seconds, options.seed)


if __name__ == "__main__":
    sys.exit(main())
