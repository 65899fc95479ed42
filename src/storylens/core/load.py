"""Sources → :class:`~storylens.core.model.Document`.

Loading is three steps, each replaceable:

1. **fetch**: a source string becomes :class:`Fetched` bytes plus a format
   hint and metadata.  Files and standard input are handled here; URLs by
   :mod:`storylens.core.fetch` (httpx, limits, a cache, several at a time),
   whose :class:`~storylens.core.fetch.Page` becomes a :class:`Fetched` here.
2. **decode**: bytes become text (:mod:`storylens.core.decode`).
3. **segment**: text becomes paragraphs and set-aside boilerplate, by format:
   plain text (:func:`~storylens.core.segment.plain_blocks`), Markdown
   (markdown-it-py) or HTML (trafilatura for the article, lxml for the rest
   of the page).

For HTML, :attr:`Document.text` is the page's *visible text* (one line per
block, scripts and styles left out), not the markup: that is the text a
reader compares, the article paragraphs' offsets point into it, and
everything trafilatura did not keep is set aside from it, so nothing a reader
could see is lost.

The text path imports nothing heavy: markdown-it-py, trafilatura, lxml,
charset-normalizer and httpx are imported only by the formats, encodings and
sources that need them.

Several sources: :func:`load_sources` stops at the first that cannot be used;
:func:`load_sources_lenient` loads what it can and returns the rest as
errors in a :class:`LoadResult`.  Both download the URLs among the sources
concurrently and report progress as ``(message, done, total)``.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal
from urllib.parse import urlsplit

from storylens.core.decode import DecodeError, declared_charset, decode
from storylens.core.errors import SourceError, UsageError
from storylens.core.limits import Limits, source_too_large, total_too_large
from storylens.core.model import Document, ParagraphKind
from storylens.core.segment import Block, Segmented, markdown_blocks, plain_blocks, segment

if TYPE_CHECKING:
    from lxml.etree import _Element

    from storylens.core.fetch import FetchOptions, Page

__all__ = [
    "Fetched",
    "Format",
    "LoadProgress",
    "LoadResult",
    "fetch",
    "is_url",
    "load_source",
    "load_sources",
    "load_sources_lenient",
]

Format = Literal["text", "markdown", "html"]
"""How a source is read: the values of :attr:`Document.format`."""

OUTSIDE_ARTICLE = "page text outside the article"
"""Set-aside reason for HTML page text the article extractor did not keep."""


@dataclass(frozen=True, slots=True)
class Fetched:
    """What a fetcher returns: the raw bytes and what it knows about them."""

    data: bytes
    hint: Format | None
    """The format if the fetcher knows it (file extension, Content-Type)."""
    stem: str
    """The fallback label: a file's stem, ``stdin``, a URL's host."""
    meta: Mapping[str, str] = field(default_factory=dict)
    """Anything else: ``charset`` from an HTTP header, ``url`` the page came from."""


LoadProgress = Callable[[str, int, int], None]
"""Called with a message, the steps done and the steps in all (see :func:`load_sources`)."""


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What :func:`load_sources_lenient` could load, and what it could not."""

    documents: list[Document]
    """The documents that loaded, in the order given, with ids ``d0``, ``d1``… in that order."""
    errors: list[SourceError]
    """One error per source that could not be used, in the order given."""


# --------------------------------------------------------------------------- fetching

_EXTENSIONS: dict[str, Format] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".mkd": "markdown",
    ".mkdn": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
}


def _fetch_file(source: str, limits: Limits) -> Fetched:
    path = Path(source)
    try:
        if path.is_dir():
            raise SourceError(source, "is a directory, not a file")
        size = path.stat().st_size
        if size > limits.source_bytes:
            raise SourceError(source, source_too_large(size, limits))
        # Read one byte past the limit: a file that grew, a pipe or a device whose
        # size stat does not know is still never read beyond it.
        with path.open("rb") as stream:
            data = stream.read(limits.source_bytes + 1)
        if len(data) > limits.source_bytes:
            raise SourceError(source, source_too_large(None, limits))
    except FileNotFoundError:
        raise SourceError(source, "no such file") from None
    except PermissionError:
        raise SourceError(source, "permission denied (cannot read it)") from None
    except IsADirectoryError:
        raise SourceError(source, "is a directory, not a file") from None
    except OSError as error:
        raise SourceError(source, f"cannot be read ({error.strerror or error})") from None
    return Fetched(data, _EXTENSIONS.get(path.suffix.lower()), path.stem or path.name)


def _fetch_stdin(stdin: BinaryIO | None, limits: Limits) -> Fetched:
    stream = stdin if stdin is not None else sys.stdin.buffer
    try:
        data = stream.read(limits.source_bytes + 1)
    except OSError as error:
        raise SourceError("-", f"standard input cannot be read ({error})") from None
    if len(data) > limits.source_bytes:
        raise SourceError("-", source_too_large(None, limits))
    return Fetched(data, None, "stdin")


def is_url(source: str) -> bool:
    """True for sources fetched over the web (``http://`` or ``https://``)."""
    return source[:8].lower().startswith(("http://", "https://"))


def _fetched_page(page: Page) -> Fetched:
    """A fetched web page as the loader's :class:`Fetched`."""
    parts = urlsplit(page.final_url)
    host = (parts.hostname or "").removeprefix("www.") or "web page"
    suffix = Path(parts.path).suffix.lower()
    hint: Format | None
    if page.media_type in ("text/html", "application/xhtml+xml"):
        hint = "html"
    elif suffix in (".md", ".markdown", ".txt", ".html", ".htm"):
        hint = _EXTENSIONS[suffix]  # text/plain or no type: the address may say more
    else:
        hint = None
    meta = {"url": page.final_url}
    if page.charset:
        meta["charset"] = page.charset
    return Fetched(page.body, hint, host, meta)


def _fetch_url(source: str, options: FetchOptions | None = None) -> Fetched:
    """Fetch a web page (from the cache when it holds it); raises :class:`SourceError`."""
    from storylens.core.fetch import fetch_page  # lazy: httpx only when a URL is given

    return _fetched_page(fetch_page(source, options))


def fetch(
    source: str,
    *,
    stdin: BinaryIO | None = None,
    options: FetchOptions | None = None,
    limits: Limits | None = None,
) -> Fetched:
    """Turn a source string into bytes: ``-`` is standard input, URLs and paths.

    *options* set how URLs are fetched (timeouts, limits, cache, refresh);
    *limits* how large a file or standard input may be.
    """
    limits = limits or Limits()
    if source == "-":
        return _fetch_stdin(stdin, limits)
    if is_url(source):
        return _fetch_url(source, options)
    return _fetch_file(source, limits)


# --------------------------------------------------------------------------- sniffing

# A comment's body never holds "-->": with a lazy ".*?" each comment could also
# end at any later "-->", and a page opening with many comments and no <html>
# took exponential time to reject (30 "<!---->" ran for minutes).
_HTML_START = re.compile(
    r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--(?:(?!-->).)*-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.I | re.S,
)
_HTML_LOOSE = re.compile(r"</(?:p|div|article|span|a|li|h[1-6])>", re.I)
_MD_SIGNALS = (
    (re.compile(r"^#{1,6}[ \t]+\S", re.M), 2),  # ATX heading
    (re.compile(r"^(?:```|~~~)", re.M), 2),  # code fence
    # Link text without "[": otherwise every "[" of a long line with no "]" scanned
    # to the line's end, quadratic (a 50,000-character line took 12 s to sniff).
    (re.compile(r"\[[^\[\]\n]+\]\([^)\s]+\)"), 1),  # inline link
    (re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__"), 1),  # strong emphasis
    (re.compile(r"^\S[^\n]*\n(?:=+|-+)[ \t]*$", re.M), 1),  # setext heading
)


def _sniff(text: str, hint: Format | None) -> Format:
    """Decide the format of *text*: the hint wins, except that HTML shows itself."""
    head = text[:4096]
    if hint == "html" or _HTML_START.match(head):
        return "html"
    if hint is not None:
        return hint
    if head.lstrip().startswith("<") and len(_HTML_LOOSE.findall(head)) >= 2:
        return "html"
    sample = text[:65536]
    score = sum(weight * min(2, len(p.findall(sample))) for p, weight in _MD_SIGNALS)
    return "markdown" if score >= 2 else "text"


# --------------------------------------------------------------------------- HTML

_SKIP = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "meta",
        "link",
        "svg",
        "math",
        "iframe",
        "object",
        "embed",
        "canvas",
        "select",
        "datalist",
    ]
)
_BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "br",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "caption",
        "ul",
        "option",
        "button",
        "label",
        "legend",
    ]
)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


def _visible_lines(html: str) -> list[str]:
    """The page's visible text, one line per block-level element (lxml, no scripts)."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        root = lxml_html.document_fromstring(_XML_DECL.sub("", html))
    except (etree.ParserError, ValueError):
        return []
    lines: list[str] = []
    pieces: list[str] = []
    pre = 0

    def newline() -> None:
        if pieces:
            line = " ".join("".join(pieces).split())
            if line:
                lines.append(line)
            pieces.clear()

    def add(text: str | None) -> None:
        if not text:
            return
        if pre:  # preformatted text keeps its line breaks
            first, *rest = text.split("\n")
            pieces.append(first)
            for part in rest:
                newline()
                pieces.append(part)
        else:
            pieces.append(text)

    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    for event, element in walker:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if event in ("comment", "pi"):
            add(element.tail)  # a comment shows nothing, but the text after it does
            continue
        if event == "start":
            if tag in _SKIP:
                walker.skip_subtree()
                continue
            if tag in _BLOCK:
                newline()
            pre += tag == "pre"
            add(element.text)
        else:
            if tag in _BLOCK:
                newline()
            pre -= tag == "pre" and pre > 0
            add(element.tail)
    newline()
    return lines


def _element_text(element: _Element) -> str:
    for br in element.iter("lb"):  # trafilatura's line breaks: keep the words apart
        br.tail = " " + (br.tail or "")
    return " ".join("".join(element.itertext()).split())


def _own_text(element: _Element) -> str:
    """Text of *element* without the text of nested lists (they are their own blocks)."""
    parts = [element.text or ""]
    for child in element:
        if child.tag != "list":
            parts.append(_element_text(child))
        parts.append(child.tail or "")
    return " ".join(" ".join(parts).split())


def _article_parts(body: _Element) -> list[tuple[ParagraphKind, str, bool]]:
    """Flatten trafilatura's XML body into (kind, text, literal) blocks in order."""
    out: list[tuple[ParagraphKind, str, bool]] = []

    def walk(children: Iterable[_Element]) -> None:
        for child in children:
            tag = child.tag
            if tag == "head":
                out.append(("heading", _element_text(child), False))
            elif tag == "quote" and any(c.tag == "p" for c in child):
                walk(child)
            elif tag == "list":
                for item in child.iterchildren("item"):
                    out.append(("body", _own_text(item), False))
                    walk(item.iterchildren("list"))  # nested lists follow their item
            elif tag == "table":
                for row in child.iter("row"):
                    cells = [_element_text(cell) for cell in row.iterchildren("cell")]
                    out.append(("body", " | ".join(c for c in cells if c), True))
            elif tag == "code":
                out.append(("body", "".join(child.itertext()).strip("\n"), True))
            else:
                out.append(("body", _element_text(child), False))

    walk(body)
    return [(kind, text, literal) for kind, text, literal in out if text.strip()]


def _locate(page: str, text: str, cursor: int) -> tuple[int, int] | None:
    """Find *text* in the page text, tolerating differences in whitespace."""
    tokens = text.split()
    if not tokens:
        return None
    found = page.find(text, cursor)
    if found != -1:
        return found, found + len(text)
    pattern = re.compile(r"[\s|]+".join(map(re.escape, tokens)))
    match = pattern.search(page, cursor) or pattern.search(page)
    if match:
        return match.span()
    # Last resort: anchor on the first and the last few words.
    head = re.compile(r"[\s|]+".join(map(re.escape, tokens[:6])))
    tail = re.compile(r"[\s|]+".join(map(re.escape, tokens[-6:])))
    first = head.search(page, cursor)
    if first:
        last = tail.search(page, first.start())
        if last and last.end() - first.start() <= 2 * len(text) + 200:
            return first.start(), last.end()
    return None


def _clean_title(title: str | None, site: str | None) -> str | None:
    """Drop the " | Site Name" tail pages add to their <title>."""
    if not title:
        return None
    title = " ".join(title.split())
    if site:
        for sep in (" | ", " - ", " \u2013 ", " — ", " :: ", " · "):
            suffix = f"{sep}{site}"
            if title.lower().endswith(suffix.lower()) and len(title) > len(suffix):
                return title[: -len(suffix)].strip()
    return title


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What an HTML page says about itself (trafilatura's metadata), where present."""

    title: str | None = None
    site: str | None = None
    """The site name (``og:site_name`` and the like): the default label."""
    author: str | None = None
    """The byline's author(s), as the page gives them (several joined by ``; ``)."""
    published: str | None = None
    """The publication date, ISO 8601 (``2024-03-14``)."""


def _words(value: object) -> str | None:
    text = " ".join(value.split()) if isinstance(value, str) else ""
    return text or None


# Characters XML does not allow (C0 controls but TAB, LF and CR; U+FFFE, U+FFFF).
# trafilatura deletes them from the article, so "sailing\x13on" came out as one
# word "sailingon" while the page text kept two: the page's words were covered by
# the article paragraph but kept nowhere.  Both now see a space instead.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_WORD = re.compile(r"[^\W_]+")


def _cuts_word(page: str, at: int) -> bool:
    """True if offset *at* falls inside a word of *page* (letters or digits on both sides)."""
    return 0 < at < len(page) and page[at - 1].isalnum() and page[at].isalnum()


def _covered_lines(page: str, start: int, end: int, text: str) -> list[tuple[int, int]]:
    """The parts of ``page[start:end]`` that *text* accounts for, line by line.

    A block found only by its first and last words may skip what the page
    has between them (a table the extractor dropped, list items it glued
    together); a block may also end or start inside a page word (the
    extractor split "mairie" into "mairi" and "e.").  A line part whose words
    *text* does not hold, or that cuts a word, is not covered, so it stays
    visible as set-aside text.
    """
    left = Counter(_WORD.findall(text))
    spans: list[tuple[int, int]] = []
    position = start
    for line in page[start:end].split("\n"):
        needed = Counter(_WORD.findall(line))
        after = position + len(line)
        if not needed - left and not _cuts_word(page, position) and not _cuts_word(page, after):
            left -= needed
            spans.append((position, after))
        position = after + 1
    return spans


def _html_blocks(html: str) -> tuple[str, list[Block], PageMeta]:
    """Return (page text, blocks, metadata) for an HTML page."""
    import trafilatura  # lazy: 0.3 s to import, only HTML needs it

    if _XML_INVALID.search(html):
        html = _XML_INVALID.sub(" ", html)
    lines = _visible_lines(html)
    page = "\n".join(lines)
    result = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        favor_recall=True,  # a lost body paragraph is worse than a kept widget line
        deduplicate=False,
    )
    meta = PageMeta()
    parts: list[tuple[ParagraphKind, str, bool]] = []
    if result is not None and not isinstance(result, dict):
        site = _words(result.sitename)
        meta = PageMeta(
            title=_clean_title(result.title, site),
            site=site,
            author=_words(result.author),
            published=_words(result.date),
        )
        if result.body is not None:
            parts = _article_parts(result.body)

    blocks: list[Block] = []
    if not parts:
        # No article found: every visible line is a candidate, judged like plain text.
        return page, plain_blocks(page), meta

    cursor = 0
    covered: list[tuple[int, int]] = []
    for kind, text, literal in parts:
        span = _locate(page, text, cursor)
        if span is None:
            # Not in the page text as we see it: keep it, pinned where we are.
            blocks.append(Block(text, ((0, cursor, cursor),), kind, literal, exact=False))
            continue
        start, end = span
        exact = page[start:end] == text
        blocks.append(Block(text, ((0, start, end),), kind, literal, exact=exact))
        if exact and not _cuts_word(page, start) and not _cuts_word(page, end):
            covered.append(span)
        else:
            covered.extend(_covered_lines(page, start, end, text))
        cursor = max(cursor, end)

    # Whatever visible text no article block covers is set aside, line by line.
    covered.sort()
    position = 0
    for start, end in [*covered, (len(page), len(page))]:
        if start > position:
            offset = position
            for line in page[position:start].split("\n"):
                stripped = line.strip()
                if stripped:
                    lead = offset + len(line) - len(line.lstrip())
                    piece = (0, lead, lead + len(stripped))
                    blocks.append(Block(stripped, (piece,), "body", reason=OUTSIDE_ARTICLE))
                offset += len(line) + 1
        position = max(position, end)
    blocks.sort(key=lambda b: b.start)
    return page, blocks, meta


# --------------------------------------------------------------------------- loading


def load_source(
    source: str,
    *,
    doc_id: str,
    label: str | None = None,
    keep_boilerplate: bool = False,
    stdin: BinaryIO | None = None,
    refresh: bool = False,
    fetch_options: FetchOptions | None = None,
    limits: Limits | None = None,
) -> Document:
    """Load one source (a path, ``-`` for standard input, or a URL) as a Document.

    The label is *label* if given, else the outlet a masthead, source line,
    the page's site name or a station's call letters in its widgets show, else
    the file stem (``stdin`` for ``-``, the host for a URL). Boilerplate is set
    aside unless *keep_boilerplate*.
    A URL comes from the cache when it holds it, unless *refresh*;
    *fetch_options* tune the download (timeouts, limits, cache location);
    *limits* bound the size read (default :class:`Limits`).
    Raises :class:`SourceError` with a short reason if the source cannot be used.
    """
    limits = limits or Limits()
    options = _fetch_options(fetch_options, refresh, limits) if is_url(source) else None
    fetched = fetch(source, stdin=stdin, options=options, limits=limits)
    return _document(source, fetched, doc_id=doc_id, label=label, keep_boilerplate=keep_boilerplate)


def _fetch_options(options: FetchOptions | None, refresh: bool, limits: Limits) -> FetchOptions:
    from storylens.core.fetch import FetchOptions

    options = options or FetchOptions(max_bytes=limits.source_bytes)
    return dataclasses.replace(options, refresh=True) if refresh else options


def _document(
    source: str, fetched: Fetched, *, doc_id: str, label: str | None, keep_boilerplate: bool
) -> Document:
    """Decode and segment fetched bytes into a Document; raises :class:`SourceError`."""
    if not fetched.data:
        raise SourceError(source, "is empty")
    declared = fetched.meta.get("charset")
    if declared is None and fetched.hint in ("html", None):
        declared = declared_charset(fetched.data)
    try:
        decoded = decode(fetched.data, declared=declared)
    except DecodeError as error:
        raise SourceError(source, error.problem) from None
    text = decoded.text
    if not text.strip():
        raise SourceError(source, "is empty" if not text else "contains only whitespace")

    fmt = _sniff(text, fetched.hint)
    title: str | None = None
    page = PageMeta()
    if fmt == "html":
        text, blocks, page = _html_blocks(text)
        title = page.title
    elif fmt == "markdown":
        blocks, title = markdown_blocks(text)
    else:
        blocks = plain_blocks(text)
    result: Segmented = segment(doc_id, blocks, keep_boilerplate=keep_boilerplate)
    if not any(p.kind == "body" for p in result.paragraphs):
        if result.paragraphs or result.set_aside:
            raise SourceError(source, "no article text found (only boilerplate)")
        raise SourceError(source, "no article text found")

    return Document(
        id=doc_id,
        label=label or page.site or result.outlet or fetched.stem,
        source=source,
        title=title or result.title,
        text=text,
        paragraphs=result.paragraphs,
        set_aside=result.set_aside,
        format=fmt,
        encoding=decoded.encoding,
        author=page.author,
        published=page.published,
        url=fetched.meta.get("url"),
    )


def load_sources(
    sources: Sequence[str],
    *,
    labels: Sequence[str] = (),
    keep_boilerplate: bool = False,
    stdin: BinaryIO | None = None,
    refresh: bool = False,
    progress: LoadProgress | None = None,
    fetch_options: FetchOptions | None = None,
    limits: Limits | None = None,
) -> list[Document]:
    """Load several sources as documents ``d0``, ``d1``… in the order given.

    *labels* apply in order to the first sources; the rest are inferred.
    Inferred labels that collide get " (2)", " (3)"… so panes stay distinct.
    URLs are downloaded concurrently (each distinct URL once), from the cache
    unless *refresh*; *fetch_options* tune the download.

    *progress*, if given, is called in the calling thread as
    ``progress(message, done, total)``: ``total`` is the number of distinct
    URLs (one download step each) plus the number of sources (one reading
    step each), ``done`` the steps finished, and the message says what is
    happening (``"fetched https://…"``, ``"reading story.md"``…).  The last
    call has ``done == total``.

    Raises :class:`SourceError` for a source that cannot be used (local
    files are read before anything is downloaded, so a missing file fails
    at once) and :class:`UsageError` for more labels than sources or ``-``
    given twice.  To keep going past unusable sources, use
    :func:`load_sources_lenient`.
    """
    return _load_all(
        sources,
        labels=labels,
        keep_boilerplate=keep_boilerplate,
        stdin=stdin,
        refresh=refresh,
        progress=progress,
        fetch_options=fetch_options,
        limits=limits or Limits(),
        keep_going=False,
    ).documents


def load_sources_lenient(
    sources: Sequence[str],
    *,
    labels: Sequence[str] = (),
    keep_boilerplate: bool = False,
    stdin: BinaryIO | None = None,
    refresh: bool = False,
    progress: LoadProgress | None = None,
    fetch_options: FetchOptions | None = None,
    limits: Limits | None = None,
) -> LoadResult:
    """Like :func:`load_sources`, but a source that cannot be used does not stop the rest.

    Returns the documents that loaded (ids ``d0``, ``d1``… consecutive, in the
    order given; a label given for a source that failed is not passed on to
    the next one) and a :class:`SourceError` for each source that did not.
    Whether enough loaded to compare is the caller's decision.  Still raises
    :class:`UsageError` for more labels than sources or ``-`` given twice.
    """
    return _load_all(
        sources,
        labels=labels,
        keep_boilerplate=keep_boilerplate,
        stdin=stdin,
        refresh=refresh,
        progress=progress,
        fetch_options=fetch_options,
        limits=limits or Limits(),
        keep_going=True,
    )


def _load_all(
    sources: Sequence[str],
    *,
    labels: Sequence[str],
    keep_boilerplate: bool,
    stdin: BinaryIO | None,
    refresh: bool,
    progress: LoadProgress | None,
    fetch_options: FetchOptions | None,
    limits: Limits,
    keep_going: bool,
) -> LoadResult:
    if len(labels) > len(sources):
        raise UsageError(f"{len(labels)} labels given for {len(sources)} sources")
    if list(sources).count("-") > 1:
        raise UsageError("standard input (-) can only be read once")
    report = progress or (lambda message, done, total: None)
    urls = list(dict.fromkeys(s for s in sources if is_url(s)))
    total = len(urls) + len(sources)

    # 1. Local sources first: cheap, and a missing file fails before any download.
    # The total is checked after each source, so at most the total limit plus
    # one source is ever held.
    fetched: dict[int, Fetched | SourceError] = {}
    held = 0
    for i, source in enumerate(sources):
        if not is_url(source):
            try:
                data = fetch(source, stdin=stdin, limits=limits)
            except SourceError as error:
                if not keep_going:
                    raise
                fetched[i] = error
                continue
            fetched[i] = data
            held += len(data.data)
            if held > limits.total_bytes:
                raise UsageError(total_too_large(limits))

    # 2. URLs, concurrently.
    if urls:
        from storylens.core.fetch import fetch_pages

        report(f"fetching {len(urls)} web page{'s' * (len(urls) > 1)}", 0, total)
        pages = fetch_pages(
            urls,
            _fetch_options(fetch_options, refresh, limits),
            progress=lambda message, done, _: report(message, done, total),
        )
        for i, source in enumerate(sources):
            if is_url(source):
                page = pages[source]
                if isinstance(page, SourceError):
                    fetched[i] = page
                else:
                    fetched[i] = _fetched_page(page)
                    held += len(page.body)
        if held > limits.total_bytes:
            raise UsageError(total_too_large(limits))

    # 3. Decode and segment, in order; ids follow the documents that loaded.
    documents: list[Document] = []
    labelled: list[bool] = []
    errors: list[SourceError] = []
    for i, source in enumerate(sources):
        done = len(urls) + i
        report(f"reading {source}", done, total)
        label = labels[i] if i < len(labels) else None
        try:
            got = fetched[i]
            if isinstance(got, SourceError):
                raise got
            document = _document(
                source,
                got,
                doc_id=f"d{len(documents)}",
                label=label,
                keep_boilerplate=keep_boilerplate,
            )
        except SourceError as error:
            if not keep_going:
                raise
            errors.append(error)
            continue
        documents.append(document)
        labelled.append(label is not None)
    report(f"loaded {len(documents)} of {len(sources)} sources", total, total)

    used = Counter(d.label for d, given in zip(documents, labelled, strict=True) if given)
    for i, document in enumerate(documents):
        if labelled[i]:
            continue
        used[document.label] += 1
        if used[document.label] > 1:
            new_label = f"{document.label} ({used[document.label]})"
            documents[i] = dataclasses.replace(document, label=new_label)
    return LoadResult(documents, errors)
