"""Benchmark storylens against a floor, on generated stories and on the five real files.

For every size (documents x words of the base story) it measures:

* the **floor**: read the files, split on blank lines, ``re.findall(r"\\w+", ...)``
  (in-process, best of 3): what any tool pays to look at every word once;
* the **alignment alone**: ``featurise`` + ``content_weights`` + ``Aligner(...).run()``
  on documents already loaded (timed in-process inside a fresh child, best of 3
  when one run takes under ``--affordable`` seconds);
* the **whole export**: ``storylens export --format json FILES... -o TMP`` as a child
  process: wall time from start to exit (interpreter start included), the
  child's own peak RSS (``os.wait4``) and the size of the JSON it wrote;

then the ratios to the floor, peak memory against input size, the five real
files end to end (median of 7 runs), and a PASS/FAIL line per target. The
Markdown goes to stdout and to ``bench/RESULTS.md``.

    python bench/run.py                      # everything, under 10 minutes
    python bench/run.py --quick              # about 2 minutes (bench/out/RESULTS-quick.md)
    python bench/run.py --sizes 50x20000     # chosen sizes only
    python bench/run.py --profile 50x20000   # cProfile of load + compare + JSON on one size

Plain Python only: the standard library and storylens itself.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import gc
import hashlib
import io
import itertools
import json
import math
import os
import platform
import pstats
import re
import select
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
"""Generated data and scratch files (ignored by git)."""
DATA = OUT / "data"
REAL = ROOT.parent / "shared" / "corpus" / "venezuela-2018"

sys.path.insert(0, str(BENCH))
import generate  # noqa: E402  (bench/generate.py, next to this file)

FULL_SIZES = [(10, 2000), (50, 2000), (200, 2000), (10, 20000), (50, 20000), (200, 20000)]
QUICK_SIZES = [(10, 2000), (50, 2000), (10, 20000), (50, 20000)]

TARGET_REAL_S = 0.5
"""The five real files end to end, wall seconds (median)."""
TARGET_SIZE = (50, 20000)
TARGET_ALIGN_X = 4.0
"""Alignment alone at TARGET_SIZE, in floors."""
TARGET_EXPORT_X = 8.0
"""Whole export at TARGET_SIZE, in floors."""
LINEAR_MAX_EXPONENT = 1.15
"""Memory is linear when, from each size to the next, the export's peak RSS above the
baseline grows no faster than input words**1.15."""
EXPORT_IMPORTS = "import storylens.cli, storylens.core.compare, storylens.export.json_export"
"""What ``storylens export`` imports before it reads a file: the interpreter start measures."""
BIG_WORDS = 1_500_000
"""Inputs above this get twice the time bounds."""
TIMES = "\u00d7"
SIZE_HEAD = f"docs {TIMES} base words"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Child processes: wall time and peak RSS of exactly one child per measurement


@dataclass
class Child:
    wall: float
    maxrss_mb: float
    returncode: int
    timed_out: bool
    lines: list[str] = field(default_factory=list)
    stderr: str = ""


def _rss_mb(ru_maxrss: int) -> float:
    # Linux reports kilobytes, macOS bytes.
    return ru_maxrss / 2**20 if sys.platform == "darwin" else ru_maxrss / 1024


def run_child(cmd: Sequence[str], timeout: float, capture: bool = False) -> Child:
    """Run *cmd*; return its wall time (start to exit), its own peak RSS and its output.

    The child is killed by its pid after *timeout* seconds; its figures up to
    then are still returned, with ``timed_out`` set.
    """
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
            stderr=err,
            text=capture,
        )
        lines: list[str] = []
        reader = None
        if proc.stdout is not None:
            stream = proc.stdout
            reader = threading.Thread(target=lambda: lines.extend(stream), daemon=True)
            reader.start()
        timed_out = not _wait_exit(proc, timeout)
        if timed_out:
            proc.kill()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if reader is not None:
            reader.join(5)
            proc.stdout.close()  # type: ignore[union-attr]
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    return Child(wall, _rss_mb(usage.ru_maxrss), proc.returncode, timed_out, lines, stderr)


def _wait_exit(proc: subprocess.Popen[str] | subprocess.Popen[bytes], timeout: float) -> bool:
    """Block until *proc* has exited, without reaping it, or *timeout* passes."""
    if hasattr(os, "pidfd_open"):
        fd = os.pidfd_open(proc.pid)
        try:
            return bool(select.select([fd], [], [], timeout)[0])
        finally:
            os.close(fd)
    # Elsewhere: a timer enforces the bound while waitid waits without reaping.
    done, fired = threading.Event(), threading.Event()

    def expire() -> None:
        if not done.is_set():
            fired.set()
            proc.kill()  # not reaped yet, so the pid is still this child's

    timer = threading.Timer(timeout, expire)
    timer.start()
    try:
        os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT)
    finally:
        done.set()
        timer.cancel()
    return not fired.is_set()


def _last_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[-1][:200] if lines else "?"


# ---------------------------------------------------------------------------------------------
# Inputs and the floor


def dataset(docs: int, words: int, seed: int) -> list[Path]:
    """The generated files of one size (made once, cached under bench/out/data)."""
    stamp = hashlib.sha256((BENCH / "generate.py").read_bytes()).hexdigest()[:10]
    where = DATA / f"d{docs}-w{words}-s{seed}-{stamp}"
    if not (where / "DONE").exists():
        generate.write(docs, words, where, seed)
        (where / "DONE").write_text("ok\n")
    return [where / f"v{i:03d}.txt" for i in range(docs)]


def floor(paths: Sequence[Path]) -> int:
    """Read, split on blank lines, find the words; return how many."""
    n = 0
    for path in paths:
        text = path.read_text(encoding="utf-8")
        for para in re.split(r"\n\s*\n", text):
            n += len(re.findall(r"\w+", para))
    return n


def time_floor(paths: Sequence[Path], repeat: int = 3) -> tuple[float, int]:
    """Best wall time of :func:`floor` over *repeat* runs, and the word count."""
    best, n = math.inf, 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        n = floor(paths)
        best = min(best, time.perf_counter() - t0)
    return best, n


def export_command(paths: Sequence[Path | str], output: str) -> list[str]:
    """``storylens export`` through this interpreter's console script (or ``-m``)."""
    script = Path(sys.executable).with_name("storylens")
    head = [str(script)] if script.exists() else [sys.executable, "-m", "storylens"]
    return [*head, "export", "--format", "json", *map(str, paths), "-o", output]


# ---------------------------------------------------------------------------------------------
# The alignment, timed in a worker child (a clean heap, and killable on a time bound)


def _load(paths: Sequence[str]) -> tuple[list[Any], str]:
    try:
        from storylens.core.load import load_sources
    except ImportError:
        return _fallback_load(paths), "fallback (core/load.py missing)"
    docs = load_sources(list(paths), labels=(), keep_boilerplate=False, stdin=None)
    return list(docs), "load_sources"


def _fallback_load(paths: Sequence[str]) -> list[Any]:
    """Blank-line paragraphs as Documents, for when the real loader is not there."""
    from storylens.core.model import Document, Paragraph

    docs: list[Any] = []
    for d, path in enumerate(paths):
        text = Path(path).read_text(encoding="utf-8").replace("\r\n", "\n")
        paras: list[Any] = []
        for m in re.finditer(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*", text):
            k = len(paras)
            body = " ".join(m.group().split())
            paras.append(Paragraph(f"d{d}.p{k}", f"d{d}", k, "body", body, m.start(), m.end()))
        docs.append(Document(f"d{d}", Path(path).stem, path, None, text, tuple(paras)))
    return docs


def worker_align(paths: Sequence[str], repeat: int, affordable: float) -> None:
    """Print one JSON line per event: loaded, features, progress, run."""
    from storylens.core.align import Aligner
    from storylens.core.features import content_weights, featurise
    from storylens.core.tokens import Vocabulary

    # Time the engine as compare() runs it: with the cyclic GC held, when it holds it.
    hold: Any = contextlib.nullcontext
    with contextlib.suppress(ImportError):
        from storylens.core.compare import no_gc_pauses as hold

    def emit(**kw: object) -> None:
        print(json.dumps(kw), flush=True)

    t0 = time.perf_counter()
    docs, loader = _load(paths)
    with contextlib.suppress(ImportError):
        # compare() gives the engine the documents in an order of its own.
        from storylens.core.compare import reading_order

        docs = [docs[k] for k in reading_order(docs)]
    emit(
        event="loaded",
        seconds=time.perf_counter() - t0,
        loader=loader,
        gc="on" if hold is contextlib.nullcontext else "held",
    )
    for run in range(repeat):
        gc.collect()
        with hold():
            t0 = time.perf_counter()
            vocab = Vocabulary()
            features = featurise(docs, vocab)
            t1 = time.perf_counter()
            weights = content_weights(features, len(vocab.stem_ids))
            t2 = time.perf_counter()
            emit(event="features", run=run, featurise=t1 - t0, weights=t2 - t1)

            def progress(step: int, total: int, run: int = run, start: float = t0) -> None:
                t = time.perf_counter() - start
                emit(event="progress", run=run, step=step, total=total, t=t)

            alignment = Aligner(features, weights, None, progress).run()
            t3 = time.perf_counter()
        emit(
            event="run",
            run=run,
            seconds=t3 - t0,
            featurise=t1 - t0,
            weights=t2 - t1,
            align=t3 - t2,
            rows=len(alignment.rows),
            clusters=len(alignment.clusters),
        )
        del alignment, features, vocab, weights
        if t3 - t0 > affordable:
            break


@dataclass
class AlignResult:
    best: float | None = None
    runs: list[float] = field(default_factory=list)
    stages: dict[str, float] = field(default_factory=dict)
    maxrss_mb: float = 0.0
    loader: str = ""
    gc: str = ""
    rows: int = 0
    clusters: int = 0
    note: str = ""


def measure_align(
    paths: Sequence[Path], repeat: int, affordable: float, timeout: float
) -> AlignResult:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker-align"]
    cmd += ["--repeat", str(repeat), "--affordable", str(affordable), *map(str, paths)]
    child = run_child(cmd, timeout, capture=True)
    res = AlignResult(maxrss_mb=child.maxrss_mb)
    progress: dict[str, float] = {}
    feats: dict[str, float] = {}
    for line in child.lines:
        try:
            ev = json.loads(line)
        except ValueError:
            continue
        if ev["event"] == "loaded":
            res.loader = ev["loader"]
            res.gc = ev.get("gc", "")
        elif ev["event"] == "features":
            feats = ev
        elif ev["event"] == "progress":
            progress = ev
        elif ev["event"] == "run":
            res.runs.append(ev["seconds"])
            res.rows, res.clusters = ev["rows"], ev["clusters"]
            if res.best is None or ev["seconds"] < res.best:
                res.best = ev["seconds"]
                res.stages = {k: ev[k] for k in ("featurise", "weights", "align")}
    if res.best is None:
        if child.timed_out and progress:
            res.note = (
                f"stopped at the {timeout:.0f} s bound: {progress['step']:.0f} of "
                f"{progress['total']:.0f} documents aligned after {progress['t']:.1f} s "
                f"(peak RSS by then {child.maxrss_mb:.0f} MB)"
            )
        elif child.timed_out and feats:
            res.note = (
                f"stopped at the {timeout:.0f} s bound: featurise took "
                f"{feats['featurise']:.1f} s, no document aligned"
            )
        elif child.timed_out:
            res.note = f"stopped at the {timeout:.0f} s bound while loading"
        else:
            res.note = f"failed (exit {child.returncode}): {_last_line(child.stderr)}"
    return res


# ---------------------------------------------------------------------------------------------
# The export's stages, each timed alone (in a worker child)

STAGES = ("load", "alignment", "links and spans", "names and quotes", "divergences", "JSON")
"""The export's stages in the order they run; the second and third make the half of
:func:`storylens.core.compare.compare` that the third and fourth run beside."""

_STAGE_OF_REPORT = {
    "reading words": "alignment",
    "comparing words": "links and spans",
    "finding names and quotes": "names and quotes",
    "finding divergences": "divergences",
}
"""compare()'s progress reports → the stage that starts with each."""


class _StageClock:
    """compare()'s progress callback that adds up the seconds of each stage."""

    def __init__(self) -> None:
        self.seconds = dict.fromkeys(STAGES, 0.0)
        self.stage = "load"
        self.since = time.perf_counter()
        self.seen: set[str] = set()

    def __call__(self, report: str, done: float = 0.0) -> None:
        stage = _STAGE_OF_REPORT.get(report)
        if stage is not None and stage != self.stage:
            self.stop()
            self.seen.add(stage)
            self.stage = stage

    def stop(self) -> None:
        """Close the current stage (the next one starts now)."""
        now = time.perf_counter()
        self.seconds[self.stage] += now - self.since
        self.since = now


def worker_stages(paths: Sequence[str], repeat: int, affordable: float) -> None:
    """Print one JSON line per run: the seconds of each stage of an export.

    Everything runs in this process, one stage after the other (the names and
    quotes too, which an export finds in a second process while the first aligns),
    with the cyclic GC off as in ``storylens export``. The stage boundaries are
    compare()'s own progress reports.
    """
    import storylens.core.compare as compare_module
    from storylens.core.load import load_sources
    from storylens.export.json_export import write_json

    compare_module.FORK_FROM = sys.maxsize  # one process: each stage timed alone
    gc.disable()
    for _ in range(repeat):
        clock = _StageClock()
        documents = load_sources(list(paths))
        comparison = compare_module.compare(documents, progress=clock)
        missing = set(_STAGE_OF_REPORT.values()) - clock.seen
        if missing:  # compare() reports its stages otherwise now: the split would be wrong
            sys.exit(f"compare() did not report these stages: {', '.join(sorted(missing))}")
        clock.stop()
        clock.stage = "JSON"
        with open(os.devnull, "wb") as sink:
            write_json(comparison, sink)
        clock.stop()
        print(json.dumps(clock.seconds), flush=True)
        del comparison, documents
        gc.collect()
        if sum(clock.seconds.values()) > affordable:
            break


@dataclass
class StageResult:
    best: dict[str, float] = field(default_factory=dict)
    """Each stage's best over the runs."""
    start: float | None = None
    """Interpreter start plus the export's imports, best of the runs (wall s)."""
    runs: int = 0
    note: str = ""

    def serial(self) -> float:
        """Seconds of the stages that run alone: start, load, divergences, JSON."""
        b = self.best
        return (self.start or 0.0) + b["load"] + b["divergences"] + b["JSON"]

    def halves(self) -> tuple[float, float]:
        """Seconds of the two halves an export runs side by side."""
        b = self.best
        return b["alignment"] + b["links and spans"], b["names and quotes"]


def measure_stages(
    paths: Sequence[Path], repeat: int, affordable: float, timeout: float
) -> StageResult:
    res = StageResult()
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker-stages"]
    cmd += ["--repeat", str(repeat), "--affordable", str(affordable), *map(str, paths)]
    child = run_child(cmd, timeout, capture=True)
    for line in child.lines:
        try:
            seconds = json.loads(line)
        except ValueError:
            continue
        res.runs += 1
        for name in STAGES:
            res.best[name] = min(res.best.get(name, math.inf), seconds[name])
    if not res.runs:
        res.note = f"failed (exit {child.returncode}): {_last_line(child.stderr)}"
        return res
    start = [sys.executable, "-c", EXPORT_IMPORTS]
    res.start = min(run_child(start, 60).wall for _ in range(repeat))
    return res


# ---------------------------------------------------------------------------------------------
# The whole export, as a person runs it


@dataclass
class ExportResult:
    walls: list[float] = field(default_factory=list)
    maxrss_mb: float = 0.0
    json_mb: float = 0.0
    note: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.walls) if self.walls else None


def measure_export(
    paths: Sequence[Path | str], runs: int, timeout: float, affordable: float, warmup: int = 0
) -> ExportResult:
    """*runs* timed exports after *warmup* untimed ones; one only when it takes > *affordable* s."""
    res = ExportResult()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=OUT) as scratch:
        output = os.path.join(scratch, "export.json")
        cmd = export_command(paths, output)
        for k in range(warmup + runs):
            child = run_child(cmd, timeout)
            if child.timed_out:
                res.maxrss_mb = max(res.maxrss_mb, child.maxrss_mb)
                res.note = (
                    f"stopped at the {timeout:.0f} s bound (peak RSS by then "
                    f"{child.maxrss_mb:.0f} MB)"
                )
                break
            if child.returncode != 0:
                res.note = f"failed (exit {child.returncode}): {_last_line(child.stderr)}"
                break
            if os.path.exists(output):
                res.json_mb = os.path.getsize(output) / 1e6
                os.unlink(output)
            if k >= warmup:
                res.walls.append(child.wall)
                res.maxrss_mb = max(res.maxrss_mb, child.maxrss_mb)
                if child.wall > affordable:
                    break  # one run of a slow size is what the time allows
    return res


def baseline_rss() -> float:
    """Peak RSS of an interpreter that only imports the export path (and the loader)."""
    code = EXPORT_IMPORTS + "\ntry:\n    import storylens.core.load\nexcept ImportError:\n    pass"
    return run_child([sys.executable, "-c", code], 60).maxrss_mb


# ---------------------------------------------------------------------------------------------
# The benchmark


@dataclass
class Cell:
    docs: int
    words: int
    input_words: int = 0
    input_mb: float = 0.0
    floor: float = 0.0
    align: AlignResult = field(default_factory=AlignResult)
    export: ExportResult = field(default_factory=ExportResult)
    stages: StageResult | None = None
    """Each stage of the export timed alone (at TARGET_SIZE only)."""

    @property
    def name(self) -> str:
        return f"{self.docs} {TIMES} {self.words:,}"


def bench(args: argparse.Namespace) -> str:
    sizes: list[tuple[int, int]] = QUICK_SIZES if args.quick else FULL_SIZES
    if args.sizes:
        sizes = [(int(d), int(w)) for d, w in (s.lower().split("x") for s in args.sizes)]
    started = time.perf_counter()

    def stamp(msg: str) -> None:
        log(f"[{time.perf_counter() - started:5.0f} s] {msg}")

    base = baseline_rss()
    stamp(f"baseline peak RSS (interpreter + export imports): {base:.0f} MB")
    cells: list[Cell] = []
    for docs, words in sizes:
        cell = Cell(docs, words)
        stamp(f"{cell.name}: generating (cached in {os.path.relpath(DATA)})")
        paths = dataset(docs, words, args.seed)
        cell.input_mb = sum(p.stat().st_size for p in paths) / 1e6
        cell.floor, cell.input_words = time_floor(paths, 5)
        scale = 2 if cell.input_words > BIG_WORDS else 1
        stamp(f"{cell.name}: {cell.input_words:,} words, floor {cell.floor:.3f} s; alignment…")
        cell.align = measure_align(paths, args.repeat, args.affordable, args.align_timeout * scale)
        stamp(f"{cell.name}: alignment {_fmt(cell.align.best, 3)} s {cell.align.note}; export…")
        cell.export = measure_export(
            paths, args.repeat, args.export_timeout * scale, args.affordable
        )
        stamp(f"{cell.name}: export {_fmt(cell.export.median, 3)} s {cell.export.note}")
        if (docs, words) == TARGET_SIZE:
            stamp(f"{cell.name}: the export's stages, each alone…")
            cell.stages = measure_stages(
                paths, args.repeat, args.affordable, args.export_timeout * args.repeat
            )
        cells.append(cell)

    real = None
    real_files = sorted(Path(args.real).glob("*.txt")) if args.real else []
    if real_files:
        stamp(f"the {len(real_files)} real files: export {args.real_runs} times…")
        real = Cell(len(real_files), 0)
        real.input_mb = sum(p.stat().st_size for p in real_files) / 1e6
        real.floor, real.input_words = time_floor(real_files, 5)
        real.align = measure_align(real_files, 5, math.inf, 120)
        real.export = measure_export(real_files, args.real_runs, 60, math.inf, warmup=1)
    return report(cells, real, base, time.perf_counter() - started)


# ---------------------------------------------------------------------------------------------
# The report


def _fmt(x: float | None, digits: int = 2) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


def _ratio(a: float | None, b: float) -> str:
    return "—" if a is None or b <= 0 else f"{a / b:.1f}{TIMES}"


def _table(head: Sequence[str], rows: Sequence[Sequence[object]], align: str = "") -> str:
    """A Markdown table; *align* has one letter per column, ``l`` or ``r`` (default r)."""
    align = align.ljust(len(head), "r")
    rule = ["---" if a == "l" else "---:" for a in align]
    lines = [head, rule, *([str(c) for c in row] for row in rows)]
    return "".join("| " + " | ".join(line) + " |\n" for line in lines)


def fit_exponent(points: Sequence[tuple[float, float]]) -> float | None:
    """Least-squares slope of log(y) on log(x): 1 is linear growth, 2 quadratic."""
    pts = [(math.log(x), math.log(y)) for x, y in points if x > 0 and y > 0]
    if len(pts) < 2:
        return None
    mx = statistics.fmean(p[0] for p in pts)
    my = statistics.fmean(p[1] for p in pts)
    den = sum((p[0] - mx) ** 2 for p in pts)
    return sum((p[0] - mx) * (p[1] - my) for p in pts) / den if den else None


def step_exponents(points: Sequence[tuple[float, float]]) -> list[float]:
    """The growth exponent between each pair of consecutive sizes."""
    pts = sorted((x, y) for x, y in points if x > 0 and y > 0)
    return [
        math.log(y1 / y0) / math.log(x1 / x0)
        for (x0, y0), (x1, y1) in itertools.pairwise(pts)
        if x1 > x0
    ]


@dataclass
class Growth:
    """How one series' peak memory grows with its input."""

    names: list[str]
    fit: float | None
    steps: list[float]
    align_fit: float | None


def _verdict(ok: bool | None) -> str:
    return "not measured" if ok is None else ("PASS" if ok else "**FAIL**")


def report(cells: list[Cell], real: Cell | None, base: float, total: float) -> str:
    out = io.StringIO()
    w = out.write
    w(
        _table(
            [
                SIZE_HEAD,
                "input words",
                "input MB",
                "floor s",
                "alignment s",
                "align ÷ floor",
                "export s",
                "export ÷ floor",
                "export peak RSS MB",
                "JSON MB",
                "runs align/export",
            ],
            [
                [
                    c.name,
                    f"{c.input_words:,}",
                    f"{c.input_mb:.1f}",
                    f"{c.floor:.3f}",
                    _fmt(c.align.best, 3),
                    _ratio(c.align.best, c.floor),
                    _fmt(c.export.median, 3),
                    _ratio(c.export.median, c.floor),
                    f"{c.export.maxrss_mb:.0f}" + ("*" if c.export.note else ""),
                    f"{c.export.json_mb:.1f}" if c.export.walls else "—",
                    f"{len(c.align.runs)}/{len(c.export.walls)}",
                ]
                for c in cells
            ],
            "l",
        )
    )
    notes = [
        f"- {c.name}, {what}: {note}"
        for c in cells
        for what, note in (("alignment", c.align.note), ("export", c.export.note))
        if note
    ]
    if notes:
        w("\n" + "\n".join(notes) + "\n")
    loaders = sorted({c.align.loader for c in cells if c.align.loader})
    gcs = sorted({c.align.gc for c in cells if c.align.gc})
    if loaders:
        w(
            f"\nThe alignment's documents were loaded with {', '.join(loaders)}; the cyclic "
            f"GC was {'/'.join(gcs)} while it ran (held = as `compare()` runs it).\n"
        )

    w("\n**Where the alignment's time goes** (its best run, seconds)\n\n")
    w(
        _table(
            [
                SIZE_HEAD,
                "featurise",
                "content_weights",
                "Aligner.run",
                "rows",
                "clusters",
            ],
            [
                [
                    c.name,
                    _fmt(c.align.stages.get("featurise"), 3),
                    _fmt(c.align.stages.get("weights"), 3),
                    _fmt(c.align.stages.get("align"), 3),
                    f"{c.align.rows:,}",
                    f"{c.align.clusters:,}",
                ]
                for c in cells
            ],
            "l",
        )
    )
    for c in cells:
        if c.stages is not None:
            w(_stage_report(c))

    w(
        f"\n**Peak memory against input** (an interpreter that only imports the export path "
        f"and the loader peaks at {base:.0f} MB: the baseline)\n\n"
    )
    rows = []
    growth: dict[int, Growth] = {}
    for words in sorted({c.words for c in cells}):
        series = [c for c in cells if c.words == words]
        for c in series:
            above = c.export.maxrss_mb - base
            rows.append(
                [
                    c.name,
                    f"{c.input_words:,}",
                    f"{c.export.maxrss_mb:.0f}" + (" (stopped early)" if c.export.note else ""),
                    f"{above:.0f}",
                    f"{above / c.input_words * 1e6:.0f}",
                    f"{c.align.maxrss_mb:.0f}",
                ]
            )
        finished = sorted(
            (c for c in series if c.export.walls and c.export.maxrss_mb > base),
            key=lambda c: c.input_words,
        )
        done = [(c.input_words, c.export.maxrss_mb - base) for c in finished]
        aligned = [(c.input_words, c.align.maxrss_mb - base) for c in series if c.align.runs]
        growth[words] = Growth(
            [c.name for c in finished],
            fit_exponent(done),
            step_exponents(done),
            fit_exponent(aligned),
        )
    w(
        _table(
            [
                SIZE_HEAD,
                "input words",
                "export peak RSS MB",
                "above baseline MB",
                "MB per million words",
                "alignment worker peak RSS MB",
            ],
            rows,
            "l",
        )
    )
    w("\n")
    for words, g in growth.items():
        steps = ", ".join(
            f"{a} → {b}: ^{e:.2f}"
            for (a, b), e in zip(itertools.pairwise(g.names), g.steps, strict=False)
        )
        w(
            f"- {words:,}-word stories: export peak RSS above the baseline grows as "
            f"input^{_fmt(g.fit)} (least squares over {len(g.names)} completed sizes); "
            f"step by step {steps or '—'}; the alignment worker's as input^{_fmt(g.align_fit)}. "
            "1.00 = linear, 2.00 = quadratic.\n"
        )

    if real is not None:
        e = real.export
        w(
            f"\n**The five real files** ({real.input_words:,} words, "
            f"{real.input_mb * 1000:.0f} kB): `storylens export` end to end, "
            f"{len(e.walls)} runs after 1 warm-up\n\n"
        )
        w(
            _table(
                ["median s", "min s", "max s", "peak RSS MB", "floor s", "alignment alone s"],
                [
                    [
                        _fmt(e.median, 3),
                        _fmt(min(e.walls) if e.walls else None, 3),
                        _fmt(max(e.walls) if e.walls else None, 3),
                        f"{e.maxrss_mb:.0f}",
                        f"{real.floor:.4f}",
                        _fmt(real.align.best, 3),
                    ]
                ],
            )
        )
        if e.note:
            w(f"\n- {e.note}\n")

    targets = []
    if real is not None:
        m = real.export.median
        targets.append(
            [
                f"five real files end to end < {TARGET_REAL_S} s",
                f"{_fmt(m, 3)} s (median)",
                _verdict(None if m is None else m < TARGET_REAL_S),
            ]
        )
    t = next((c for c in cells if (c.docs, c.words) == TARGET_SIZE), None)
    if t is not None:
        for what, x, limit in (
            ("alignment", t.align.best, TARGET_ALIGN_X),
            ("whole export", t.export.median, TARGET_EXPORT_X),
        ):
            targets.append(
                [
                    f"{t.name}: {what} < {limit:g} {TIMES} floor",
                    f"{_fmt(x, 3)} s = {_ratio(x, t.floor)} the floor of {t.floor:.3f} s "
                    f"(limit {limit * t.floor:.2f} s)",
                    _verdict(None if x is None else x < limit * t.floor),
                ]
            )
    for words, g in growth.items():
        if g.steps:
            worst = max(g.steps)
            k = g.steps.index(worst)
            targets.append(
                [
                    f"memory linear in input ({words:,}-word stories)",
                    f"steepest step {g.names[k]} → {g.names[k + 1]}: input^{worst:.2f} "
                    f"(limit ^{LINEAR_MAX_EXPONENT}; least-squares fit ^{_fmt(g.fit)})"
                    + ("" if len(g.names) >= 3 else f"; only {len(g.names)} sizes run"),
                    _verdict(worst <= LINEAR_MAX_EXPONENT),
                ]
            )
    for c in cells:
        if c.export.note:
            targets.append(
                [
                    f"memory linear in input ({c.name})",
                    f"the export did not finish ({c.export.maxrss_mb:.0f} MB when stopped)",
                    _verdict(None),
                ]
            )
    w("\n**Targets**\n\n")
    w(_table(["target", "measured", "result"], targets, "lll"))
    w(f"\nTotal benchmark time: {total:.0f} s.\n")
    return out.getvalue()


def _stage_report(c: Cell) -> str:
    """The export's stages at one size, and what they allow on this machine's cores."""
    st = c.stages
    assert st is not None
    head = f"\n**Where the export's time goes** ({c.name}"
    if st.note:
        return f"{head}): {st.note}\n"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    ours, theirs = st.halves()
    whole = st.serial() + ours + theirs
    rows = [["interpreter start + imports (a process of its own)", _fmt(st.start, 3)]]
    rows += [[name, f"{st.best[name]:.3f}"] for name in STAGES]
    rows += [["all of it, one stage after another", f"{whole:.3f}"]]
    rows = [[*r, _ratio(float(r[1]), c.floor)] for r in rows]
    limit = TARGET_EXPORT_X * c.floor
    side_by_side = st.serial() + max(ours, theirs)
    perfect = whole / max(1, cores or 1)
    return (
        f"{head}: each stage alone in one process, best of {st.runs} runs, seconds; "
        f"the floor is {c.floor:.3f} s)\n\n" + _table(["stage", "s", "÷ floor"], rows, "l") + "\n"
        f"- An export runs *alignment* + *links and spans* ({ours:.3f} s) beside *names "
        f"and quotes* ({theirs:.3f} s) in a second process; the rest runs alone. As split, "
        f"the stages allow no less than {side_by_side:.3f} s = "
        f"{_ratio(side_by_side, c.floor)} the floor.\n"
        f"- Even with all of it, loading and writing included, split perfectly over this "
        f"machine's {cores} cores, no less than {perfect:.3f} s = "
        f"{_ratio(perfect, c.floor)} the floor "
        f"(the target: {TARGET_EXPORT_X:g}{TIMES} = {limit:.2f} s).\n"
    )


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 2**20:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    versions = []
    for name in ("storylens", "rapidfuzz"):
        with contextlib.suppress(ImportError, AttributeError):
            versions.append(f"{name} {__import__(name).__version__}")
    if hasattr(os, "sched_getaffinity"):
        usable = len(os.sched_getaffinity(0))
    else:
        usable = os.cpu_count() or 0
    return (
        f"nproc {usable} ({cpu}{mem}); Python {platform.python_version()} "
        f"({platform.python_implementation()}) on {platform.system()} {platform.release()}; "
        + ", ".join(versions)
    )


def profile(spec: str, seed: int, top: int) -> None:
    """cProfile of load + compare() + JSON on one size: top functions, cumulative and own."""
    from storylens.core.compare import compare
    from storylens.export.json_export import write_json

    docs, words = (int(x) for x in spec.lower().split("x"))
    paths = [str(p) for p in dataset(docs, words, seed)]
    prof = cProfile.Profile()
    prof.enable()
    documents, loader = _load(paths)
    comparison = compare(documents)
    sink: Any
    with open(os.devnull, "wb") as sink:
        try:
            write_json(comparison, sink)
        except TypeError:  # a writer of text streams
            text: Any = io.TextIOWrapper(sink, encoding="utf-8")
            write_json(comparison, text)
    prof.disable()
    print(f"# cProfile: load ({loader}) + compare + JSON, {docs} docs {TIMES} {words} words\n")
    stats = pstats.Stats(prof, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark storylens (see bench/README.md).")
    add = parser.add_argument
    add("--quick", action="store_true", help="a 2-minute subset of the sizes")
    add("--sizes", nargs="+", metavar="DOCSxWORDS", help="only these sizes, e.g. 50x20000")
    add("--seed", type=int, default=1, help="seed of the generated stories (default 1)")
    add("--repeat", type=int, default=5, help="runs per figure when affordable (default 5)")
    add(
        "--affordable",
        type=float,
        default=15.0,
        help="seconds: an alignment or export run slower than this is not repeated (default 15)",
    )
    add(
        "--align-timeout",
        type=float,
        default=90.0,
        help="bound on the alignment of one size, seconds (doubled above 1.5 M words)",
    )
    add(
        "--export-timeout",
        type=float,
        default=100.0,
        help="bound on one export run, seconds (doubled above 1.5 M words)",
    )
    add(
        "--real",
        default=str(REAL) if REAL.is_dir() else "",
        help="folder of the real .txt files (default: the shared corpus, when present)",
    )
    add("--real-runs", type=int, default=7, help="timed runs on the real files (default 7)")
    add("--results", type=Path, help="where to write the Markdown (default bench/RESULTS.md)")
    add("--no-write", action="store_true", help="print only")
    add("--profile", metavar="DOCSxWORDS", help="print a cProfile of one size and stop")
    add("--top", type=int, default=30, help="functions shown by --profile")
    add("--worker-align", action="store_true", help=argparse.SUPPRESS)
    add("--worker-stages", action="store_true", help=argparse.SUPPRESS)
    add("files", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker_align:
        worker_align(args.files, args.repeat, args.affordable)
        return 0
    if args.worker_stages:
        worker_stages(args.files, args.repeat, args.affordable)
        return 0
    try:
        import storylens  # noqa: F401
    except ImportError:
        parser.error(f"storylens is not importable by {sys.executable}: pip install -e .")
    if args.profile:
        profile(args.profile, args.seed, args.top)
        return 0

    given = sys.argv[1:] if argv is None else argv
    command = " ".join(["python", "bench/run.py", *map(shlex.quote, given)])
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = bench(args)
    print(text)
    if args.no_write:
        return 0
    results = args.results or (OUT / "RESULTS-quick.md" if args.quick else BENCH / "RESULTS.md")
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(
        "# storylens benchmark results\n\n"
        f"- Date: {when}\n"
        f"- Machine: {machine()}\n"
        f"- Command, from the repository root: `{command}`\n"
        "- Export measured as: `storylens export --format json FILES... -o TMP.json` (wall "
        "time from start to exit, interpreter start included; TMP.json deleted after)\n"
        "\nWhat each figure means: [README.md](README.md).\n\n" + text,
        encoding="utf-8",
    )
    log(f"wrote {os.path.relpath(results)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
