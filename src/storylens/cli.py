"""The ``storylens`` command: open the reader, or export a comparison.

Errors a person can fix (a missing file, too few sources) are one line on
stderr and exit status 2; never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, BinaryIO, NoReturn

from . import __version__
from .core.errors import SourceError, UsageError
from .core.limits import MB, Limits
from .core.sanitize import visible

if TYPE_CHECKING:
    from .core.model import Comparison

FORMATS = ("json", "html", "markdown")
"""Export formats this version writes."""


def _fail(message: str) -> NoReturn:
    print(f"storylens: error: {visible(message)}", file=sys.stderr)
    raise SystemExit(2)


def _warn(message: str) -> None:
    print(f"storylens: warning: {visible(message)}", file=sys.stderr)


def _progress_line(message: str, done: int, total: int) -> None:
    """One updating line on a terminal while web pages load."""
    print(f"\r\x1b[K{visible(message)[:70]} ({done}/{total})", end="", file=sys.stderr, flush=True)


class _Parser(argparse.ArgumentParser):
    """argparse with our one-line error format."""

    def error(self, message: str) -> NoReturn:
        _fail(message)


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "sources",
        nargs="*",
        metavar="SOURCE",
        help="a text, Markdown or HTML file, a web address (http/https), or - for standard input",
    )
    parser.add_argument(
        "--label",
        action="append",
        default=[],
        metavar="NAME",
        help="name of the outlet for the next source (repeat, in order)",
    )
    parser.add_argument(
        "--keep-boilerplate",
        action="store_true",
        help="keep mastheads, widgets and other boilerplate in the text (default: set aside)",
    )
    parser.add_argument("--demo", action="store_true", help="use the bundled demo story")
    parser.add_argument(
        "--max-source-mb",
        type=_megabytes,
        default=Limits().source_bytes / MB,
        metavar="MB",
        help="refuse a file, page or standard input larger than this (default: %(default)g)",
    )
    parser.add_argument(
        "--max-total-mb",
        type=_megabytes,
        default=Limits().total_bytes / MB,
        metavar="MB",
        help="refuse sources adding up to more than this (default: %(default)g)",
    )
    parser.add_argument(
        "--refresh",
        action="store_true",
        help="fetch web pages again instead of using the local cache",
    )


def _megabytes(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of megabytes: {value!r}") from None
    if not 0 < number <= 1_000_000:
        raise argparse.ArgumentTypeError(f"not a sensible number of megabytes: {value!r}")
    return number


def _limits(args: argparse.Namespace) -> Limits:
    return Limits(
        source_bytes=int(args.max_source_mb * MB), total_bytes=int(args.max_total_mb * MB)
    )


def export_parser() -> argparse.ArgumentParser:
    """The parser of ``storylens export``."""
    parser = _Parser(
        prog="storylens export",
        description="Compare the sources and write the comparison without opening the reader.",
    )
    _add_common(parser)
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="json",
        help="json (the whole comparison, for scripts), html (one self-contained page to share) "
        "or markdown (the divergences, for notes and tickets); default: json",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    return parser


def reader_parser() -> argparse.ArgumentParser:
    """The parser of ``storylens`` itself."""
    parser = _Parser(
        prog="storylens",
        description="Compare several outlets' versions of one news story, side by side.",
        epilog="Run 'storylens export --help' for the non-interactive export.",
    )
    _add_common(parser)
    parser.add_argument("--version", action="version", version=f"storylens {__version__}")
    return parser


def _sources(args: argparse.Namespace) -> tuple[list[str], list[str]]:
    sources: list[str] = list(args.sources)
    labels: list[str] = list(args.label)
    if args.demo:
        from .demo import demo_sources

        demo_paths, demo_labels = demo_sources()
        sources = demo_paths + sources
        labels = demo_labels + labels if not args.label else labels
    if len(sources) < 2:
        _fail(f"need at least two sources to compare (got {len(sources)}); try 'storylens --demo'")
    if len(labels) > len(sources):
        _fail(f"{len(labels)} labels given for {len(sources)} sources")
    if sources.count("-") > 1:
        _fail("standard input (-) can be given only once")
    return sources, labels


def _writer(name: str) -> Callable[[Comparison, BinaryIO], None]:
    """The writer of an export format (imported only when asked for)."""
    if name == "html":
        from .export.html_export import write_html

        return write_html
    if name == "markdown":
        from .export.markdown_export import write_markdown

        return write_markdown
    from .export.json_export import write_json

    return write_json


def export_main(argv: Sequence[str]) -> int:
    """Run ``storylens export``."""
    args = export_parser().parse_args(argv)
    sources, labels = _sources(args)
    from .core.compare import compare
    from .core.load import is_url, load_sources_lenient

    write = _writer(args.format)

    try:
        loaded = load_sources_lenient(
            sources,
            labels=labels,
            keep_boilerplate=args.keep_boilerplate,
            refresh=args.refresh,
            progress=_progress_line if sys.stderr.isatty() else None,
            limits=_limits(args),
        )
    except (SourceError, UsageError) as error:
        _fail(str(error))
    if sys.stderr.isatty():
        print("\r\x1b[K", end="", file=sys.stderr)
    # A file or standard input that cannot be used is the user's to fix: stop. A web
    # page that cannot be fetched is left out while two or more sources remain.
    local = [e for e in loaded.errors if not is_url(e.source)]
    if local:
        _fail(str(local[0]))
    if len(loaded.documents) < 2:
        for problem in loaded.errors[:-1]:
            _warn(str(problem))
        last = f"{loaded.errors[-1]}; " if loaded.errors else ""
        _fail(f"{last}only {len(loaded.documents)} of {len(sources)} sources could be used")
    for problem in loaded.errors:
        _warn(f"{problem} (left out)")
    comparison = compare(loaded.documents)
    try:
        if args.output and args.output != "-":
            with open(args.output, "wb") as out:
                write(comparison, out)
        else:
            sys.stdout.flush()
            write(comparison, sys.stdout.buffer)
    except BrokenPipeError:
        # The reader of standard output stopped reading (``… | head``): the
        # export ends quietly, as other command-line tools do.
        raise
    except OSError as error:
        where = args.output if args.output and args.output != "-" else "standard output"
        _fail(f"{where}: cannot write: {error.strerror or error}")
    return 0


def reader_main(argv: Sequence[str]) -> int:
    """Run the interactive reader."""
    args = reader_parser().parse_args(argv)
    sources, labels = _sources(args)
    stdin = None
    limits = _limits(args)
    if "-" in sources:
        # The reader needs the terminal for keys: read the piped story first (one
        # byte past the limit at most, so the loader can refuse what is too large).
        import io

        stdin = io.BytesIO(sys.stdin.buffer.read(limits.source_bytes + 1))
        _keys_from_terminal()
    from .ui.app import StorylensApp

    app = StorylensApp(
        sources,
        labels=labels,
        keep_boilerplate=args.keep_boilerplate,
        stdin=stdin,
        refresh=args.refresh,
        limits=limits,
    )
    app.run()
    return app.return_code or 0


def _keys_from_terminal() -> None:
    """Once a piped story is read, take keys from the terminal instead.

    Textual reads keys from standard input; when that was the story's pipe, the
    controlling terminal (``/dev/tty``) is put in its place.
    """
    if sys.stdin.isatty():
        return
    try:
        tty = os.open("/dev/tty", os.O_RDONLY)
    except OSError:
        _fail("the story came on standard input and there is no terminal to read keys from")
    os.dup2(tty, sys.stdin.fileno())
    os.close(tty)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``storylens`` console script."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args[:1] == ["export"]:
            return export_main(args[1:])
        return reader_main(args)
    except KeyboardInterrupt:
        print("storylens: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def run() -> NoReturn:
    """The console script: :func:`main`, then a prompt exit.

    Once the output is written and flushed there is nothing left to tidy, and
    the interpreter's own teardown (a full garbage collection over millions of
    objects, then freeing them one by one) costs a large comparison about half
    a second: skip it. An export also runs without the cyclic collector.
    """
    if sys.argv[1:2] == ["export"]:
        # The process ends once the export is written (below, without teardown):
        # the cyclic garbage collector would only rescan the comparison's millions
        # of objects (half a second at a million words) to find nothing to free.
        gc.disable()
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, OSError):
        pass
    os._exit(code)


if __name__ == "__main__":
    run()
