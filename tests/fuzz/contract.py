"""The loading contract, as checks any input can be run through.

Shared by the hypothesis tests beside this file and by the long fuzzing
driver in ``fuzz/fuzz_load.py``.  For any bytes given as a source:

* :func:`load_source` returns a :class:`Document` or raises
  :class:`SourceError` with a one-line message, never anything else;
* it does so in bounded time (:func:`time_limit`);
* nothing is lost: every word a reader of the source sees is in the
  document's paragraphs or its set-aside texts.

What "a reader sees" depends on the format the loader chose:

* plain text: the decoded text itself (and nothing is invented either: the
  paragraphs and set-aside texts hold exactly its words);
* Markdown: the text of what markdown-it parses (inline text and code,
  code blocks, raw HTML blocks less their tags), as the existing tests'
  "link targets excluded" rule generalised to any Markdown;
* HTML: the page's visible text as lxml parses it with scripts, styles and
  the like left out, which is the reference ``tests/core/test_load.py``
  uses.  The document's text must carry those characters in that order,
  and every word of it must be in a paragraph or set aside.

The segmenter has its own checks on arbitrary strings: paragraphs and
set-aside texts tile the text (in order, no overlap, nothing but whitespace
between them, every word exactly once), none is empty, and the result is
the same every time.
"""

from __future__ import annotations

import io
import re
import signal
import tempfile
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from storylens.core.decode import declared_charset, decode
from storylens.core.errors import SourceError
from storylens.core.load import _SKIP, load_source
from storylens.core.model import Document, Paragraph, SetAside
from storylens.core.segment import Segmented, markdown_blocks, segment, segment_text
from tests.conftest import reader_join

__all__ = [
    "SUFFIXES",
    "Hang",
    "check_load",
    "check_markdown_segmentation",
    "check_plain_segmentation",
    "html_reference",
    "markdown_reference",
    "time_limit",
    "words",
]

WORD = re.compile(r"[^\W_]+")
ALNUM = re.compile(r"[^\W_]")
_SURROGATE = re.compile("[\ud800-\udfff]")

SUFFIXES: tuple[str, ...] = (".txt", ".md", ".html", "", "-")
"""How a source can be given: a file with one of these suffixes, or ``-`` (standard input)."""


def words(text: str) -> Counter[str]:
    """The words of *text*, counted (runs of letters and digits)."""
    return Counter(WORD.findall(text))


def kept_words(doc: Document) -> Counter[str]:
    """The words a document keeps: its paragraphs' and its set-aside texts'."""
    return words(
        " ".join(p.text for p in doc.paragraphs) + " " + " ".join(s.text for s in doc.set_aside)
    )


# --------------------------------------------------------------------------- time


class Hang(AssertionError):
    """An input took longer than its time limit."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`Hang` in the block if it runs longer than *seconds*.

    Uses SIGALRM, so it works only in the main thread (elsewhere, and with
    ``None``, it does nothing).  Regular expressions are interrupted too.
    """
    if seconds is None or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise Hang(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --------------------------------------------------------------------------- references

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


def html_reference(html: str, separator: str = "") -> str:
    """The visible text of an HTML page by plain lxml: hidden elements left out, tails kept.

    Text nodes are joined with *separator*: nothing (as a browser joins
    inline elements), or a space (where every tag separates words).
    """
    from lxml import etree
    from lxml import html as lxml_html

    try:
        root = lxml_html.document_fromstring(_XML_DECL.sub("", html))
    except (etree.ParserError, ValueError):
        return ""
    out: list[str] = []

    def walk(element: etree._Element) -> None:
        # Comments and processing instructions (non-string tags) show only their tail.
        # _SKIP: the tags the loader leaves out of the visible text.
        if isinstance(element.tag, str) and element.tag.lower() not in _SKIP:
            out.append(element.text or "")
            for child in element:
                walk(child)
        out.append(element.tail or "")

    walk(root)
    return separator.join(out)


def _html_block_reference(content: str) -> str:
    """The text a browser shows for a raw HTML block in Markdown.

    Character references are left as written (the loader does not decode
    them in raw HTML): only tags and comments are taken away, and as the
    loader puts a space for each, so does this, even for one lxml drops
    without a trace (a stray ``</div>`` inside a word).
    """
    return html_reference(content.replace("&", "&amp;").replace("<", " <"), " ")


def markdown_reference(text: str) -> str:
    """The text a reader of rendered Markdown sees, by a plain walk of markdown-it's tokens.

    Front matter (as the loader recognises it) counts as text.  Inline text
    and code spans, code blocks and what a browser shows of raw HTML blocks
    are what a reader sees; link targets, link reference definitions, image
    sources and inline tags are not.
    """
    from markdown_it import MarkdownIt

    from storylens.core.segment import _FRONT_MATTER  # where the Markdown starts

    parts: list[str] = []
    front = _FRONT_MATTER.match(text)
    if front:
        parts.append(text[: front.end()])
        text = re.sub(r"[^\r\n]", " ", text[: front.end()]) + text[front.end() :]
    for token in MarkdownIt("commonmark").enable("table").parse(text):
        if token.type == "inline":
            line: list[str] = []
            for child in token.children or ():
                if child.type in ("text", "code_inline"):
                    line.append(child.content)
                elif child.type in ("softbreak", "hardbreak", "image"):
                    line.append(" ")  # a picture, too, stands between words
            parts.append("".join(line))
        elif token.type in ("fence", "code_block"):
            parts.append(token.content)
        elif token.type == "html_block":
            parts.append(_html_block_reference(token.content))
    return "\n".join(parts)


def _expected_text(data: bytes, suffix: str) -> str:
    """The decoded text, decoded as the loader decodes a file with that suffix."""
    html_or_unknown = suffix in (".html", "", "-")
    return decode(data, declared=declared_charset(data) if html_or_unknown else None).text


# --------------------------------------------------------------------------- loading


def _load(data: bytes, suffix: str, keep_boilerplate: bool, folder: Path) -> Document:
    if suffix == "-":
        return load_source(
            "-", doc_id="d0", stdin=io.BytesIO(data), keep_boilerplate=keep_boilerplate
        )
    path = folder / f"story{suffix}"
    path.write_bytes(data)
    return load_source(str(path), doc_id="d0", keep_boilerplate=keep_boilerplate)


def check_load(
    data: bytes,
    suffix: str,
    *,
    keep_boilerplate: bool = False,
    seconds: float | None = None,
    folder: Path | None = None,
) -> Document | None:
    """Load *data* as a source given with *suffix* and check the contract.

    *suffix* is one of :data:`SUFFIXES` (``-``: standard input).  The load
    must finish within *seconds* (``None``: no limit here), twice in a row
    if the first try is over: the first page with a new script makes
    trafilatura's date parser compile its patterns for it, for seconds, once
    per process.  *folder* is where the file is written (default: a fresh
    temporary folder).  Returns the document, or ``None`` when the loader
    refused the source with a proper :class:`SourceError`.  Raises
    AssertionError (:class:`Hang` for time) otherwise.
    """
    if folder is None:
        with tempfile.TemporaryDirectory() as tmp:
            return check_load(
                data, suffix, keep_boilerplate=keep_boilerplate, seconds=seconds, folder=Path(tmp)
            )
    try:
        try:
            with time_limit(seconds):
                doc = _load(data, suffix, keep_boilerplate, folder)
        except Hang:
            with time_limit(seconds):
                doc = _load(data, suffix, keep_boilerplate, folder)
    except SourceError as error:
        message = str(error)
        assert error.problem, "a SourceError without a reason"
        assert len(message.splitlines()) == 1, f"not one line: {message!r}"
        return None
    check_document(doc)
    assert _SURROGATE.search(doc.text) is None, "a lone surrogate in the decoded text"
    expected = _expected_text(data, suffix)
    if doc.format == "html":
        reference = html_reference(expected)
        assert ALNUM.findall(doc.text) == ALNUM.findall(reference), "page text differs"
        _assert_kept(words(doc.text), doc)
    else:
        assert doc.text == expected, "the document's text is not the decoded text"
        if doc.format == "markdown":
            _assert_kept(words(markdown_reference(doc.text)), doc)
        else:
            _assert_kept(words(doc.text), doc)
            assert kept_words(doc) == words(doc.text), "words invented or kept twice"
    return doc


def _assert_kept(reference: Counter[str], doc: Document) -> None:
    missing = reference - kept_words(doc)
    assert not missing, f"words lost: {dict(missing)}"


def check_document(doc: Document) -> None:
    """Checks every loaded document passes, whatever its format."""
    assert any(p.kind == "body" for p in doc.paragraphs), "no body paragraph"
    _check_items(doc.text, doc.paragraphs, doc.set_aside)
    for k, p in enumerate(doc.paragraphs):
        assert (p.id, p.doc, p.index) == (f"{doc.id}.p{k}", doc.id, k)


def _check_items(text: str, paragraphs: Sequence[Paragraph], set_aside: Sequence[SetAside]) -> None:
    for p in paragraphs:
        assert p.text.strip(), f"empty paragraph {p.id}"
        assert 0 <= p.start <= p.end <= len(text), f"{p.id} out of bounds"
    for s in set_aside:
        assert s.text.strip(), "empty set-aside text"
        assert s.reason, "set aside without a reason"
        assert 0 <= s.start <= s.end <= len(text), "set-aside text out of bounds"
        assert -1 <= s.after < len(paragraphs)


# --------------------------------------------------------------------------- segmenting


def check_plain_segmentation(text: str, *, keep_boilerplate: bool = False) -> Segmented:
    """Segment plain *text* and check that the pieces tile it and the result is stable."""
    result = segment_text("d0", text, keep_boilerplate=keep_boilerplate)
    assert result == segment_text("d0", text, keep_boilerplate=keep_boilerplate), "unstable"
    _check_items(text, result.paragraphs, result.set_aside)
    kept = " ".join([*(p.text for p in result.paragraphs), *(s.text for s in result.set_aside)])
    assert words(kept) == words(text), "words lost, invented or kept twice"
    for p in result.paragraphs:
        assert reader_join(text[p.start : p.end]) == p.text, f"{p.id} is not its source"
    spans = sorted(
        [(p.start, p.end) for p in result.paragraphs] + [(s.start, s.end) for s in result.set_aside]
    )
    position = 0
    for start, end in spans:
        assert start >= position, "pieces overlap"
        assert not text[position:start].strip(), "text between pieces"
        position = end
    assert not text[position:].strip(), "text after the last piece"
    for s in result.set_aside:
        before = sum(1 for p in result.paragraphs if p.start < s.start)
        assert s.after == before - 1, "set-aside text placed after the wrong paragraph"
    return result


def check_markdown_segmentation(text: str, *, keep_boilerplate: bool = False) -> Segmented:
    """Segment Markdown *text* and check nothing a reader sees is lost, deterministically."""
    blocks, _ = markdown_blocks(text)
    result = segment("d0", blocks, keep_boilerplate=keep_boilerplate)
    again = segment("d0", markdown_blocks(text)[0], keep_boilerplate=keep_boilerplate)
    assert result == again, "unstable"
    _check_items(text, result.paragraphs, result.set_aside)
    kept = " ".join([*(p.text for p in result.paragraphs), *(s.text for s in result.set_aside)])
    missing = words(markdown_reference(text)) - words(kept)
    assert not missing, f"words lost: {dict(missing)}"
    return result
