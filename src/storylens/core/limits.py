"""How much storylens reads: explicit limits, so memory stays bounded.

A news story is tens of kilobytes; a whole book is about one megabyte. The
engine's memory is roughly 40 times its input at most (measured: 1.3 GB for
34 MB of text in three sources, see ``bench/``), so the defaults below keep a
comparison under about 1.5 GB and a minute. Beyond them a source, or the whole
set, is refused with a one-line message before it is read in full; the command
line raises them with ``--max-source-mb`` and ``--max-total-mb``.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """The largest input accepted."""

    source_bytes: int = 10 * MB
    """One file, web page or standard input, in bytes as stored or downloaded."""
    total_bytes: int = 32 * MB
    """All the sources of one comparison together."""


def size_text(count: int) -> str:
    """*count* bytes for people: ``30.5 MB``, ``812 kB``, ``12 bytes``."""
    if count >= MB:
        return f"{count / MB:.1f}".removesuffix(".0") + " MB"
    if count >= 1024:
        return f"{count / 1024:.0f} kB"
    return f"{count} bytes"


def source_too_large(size: int | None, limits: Limits) -> str:
    """The problem of a source over the limit (*size* None: not known exactly)."""
    limit = f"the {size_text(limits.source_bytes)} limit for one source"
    said = f"is {size_text(size)}, over {limit}" if size is not None else f"is over {limit}"
    return f"{said} (--max-source-mb raises it)"


def total_too_large(limits: Limits) -> str:
    """The problem of sources that together exceed the limit."""
    return (
        f"the sources add up to more than {size_text(limits.total_bytes)}, the limit for one "
        "comparison (--max-total-mb raises it)"
    )
