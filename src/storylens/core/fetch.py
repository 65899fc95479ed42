"""Web pages as sources: HTTP(S) fetching with limits, a local cache and concurrency.

:mod:`storylens.core.load` calls this module for every source that starts with
``http://`` or ``https://``; it is imported only then, so loading files never
pays for httpx.

What a fetch does, and refuses:

- **Client**: httpx, one :class:`httpx.Client` shared by a thread pool, so
  several URLs download at once; results come back keyed by URL and the
  loader keeps the order the sources were given in.
- **Identity**: every request says ``User-Agent:`` :data:`USER_AGENT`
  (``storylens/<version> (+https://example.invalid/storylens)``: the program
  and where its maintainers can be found).
- **Limits** (:class:`FetchOptions`): a timeout for connecting and for each
  wait between bytes, a deadline for the whole download, at most
  ``max_redirects`` redirects, and at most ``max_bytes`` (10 MB) of body,
  counted while streaming after decompression, so a page never has to fit in
  memory before it is refused.
- **Content types**: ``text/html``, ``application/xhtml+xml`` and
  ``text/plain`` (or no ``Content-Type`` at all: the loader sniffs the bytes);
  anything else is refused before its body is read.
- **Errors**: every failure is a :class:`~storylens.core.errors.SourceError`
  naming the URL as given, with a one-line reason: ``cannot resolve host
  example.invalid``, ``timed out …``, ``connection refused``, ``HTTP 404 Not
  Found``, ``is image/png, not a web page``, ``is larger than 10 MB …``,
  ``too many redirects …``.

The cache
---------
A page fetched successfully is stored in :func:`cache_directory` (the user's
cache directory from platformdirs, ``user_cache_dir("storylens")``, or
``$STORYLENS_CACHE_DIR`` when set) under ``pages/<sha256 of the URL>``: the
body in ``.body`` and, in ``.json``, the URL, the final URL after redirects,
the response headers (cookies left out), the fetch time and the body's size
and SHA-256.  A later fetch of the same URL (the fragment ignored) reads the
cache and touches no network, so re-opening a story is instant and works
offline.  Entries do not expire: ``refresh=True`` fetches again and replaces
them.  The cache is a convenience: a cache that cannot be written or an entry
that does not check out is ignored, never an error.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import ssl
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

import httpx

from storylens import __version__
from storylens.core.errors import SourceError

__all__ = [
    "ACCEPTED_TYPES",
    "CACHE_ENV",
    "USER_AGENT",
    "FetchOptions",
    "FetchProgress",
    "Page",
    "cache_directory",
    "cache_key",
    "fetch_page",
    "fetch_pages",
]

USER_AGENT = f"storylens/{__version__} (+https://example.invalid/storylens)"
"""The ``User-Agent`` header: the program, its version and where to learn about it."""

ACCEPTED_TYPES = frozenset(["text/html", "application/xhtml+xml", "text/plain"])
"""Media types read as a web page (a missing ``Content-Type`` is accepted too)."""

CACHE_ENV = "STORYLENS_CACHE_DIR"
"""Environment variable that, when set and not empty, replaces the cache directory."""

FetchProgress = Callable[[str, int, int], None]
"""Called with a message, the number of steps done and the number of steps in all."""

_CACHE_FORMAT = 1
_ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.1"
_LEFT_OUT_HEADERS = frozenset(["set-cookie", "set-cookie2"])


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """How to fetch web pages; the defaults suit a person reading the news."""

    timeout: float = 15.0
    """Seconds allowed to connect, and to wait for each next piece of the response."""
    deadline: float = 60.0
    """Seconds allowed for one page's whole download, redirects included."""
    max_bytes: int = 10 * 1024 * 1024
    """The largest body accepted (after decompression); larger pages are refused."""
    max_redirects: int = 5
    """Redirects followed before giving up."""
    refresh: bool = False
    """Fetch again even when the cache holds the page (and update the cache)."""
    use_cache: bool = True
    """Read and write the cache at all."""
    cache_dir: Path | None = None
    """Where the cache lives; None: :func:`cache_directory`."""
    workers: int = 8
    """Most pages downloaded at the same time."""
    user_agent: str = USER_AGENT
    """The ``User-Agent`` header sent."""


@dataclass(frozen=True, slots=True)
class Page:
    """A fetched web page: the body and what the response said about it."""

    url: str
    """The URL as given."""
    final_url: str
    """The URL the body came from, after redirects."""
    body: bytes
    media_type: str | None
    """The ``Content-Type`` without parameters, lower-case (None: not sent)."""
    charset: str | None
    """The ``charset`` parameter of the ``Content-Type``, lower-case, if any."""
    headers: Mapping[str, str] = field(default_factory=dict)
    """The response headers (names lower-case), cookies left out."""
    fetched_at: float = 0.0
    """When it was downloaded (Unix time), also for a page read from the cache."""
    from_cache: bool = False
    """True when this came from the cache, not the network."""


# --------------------------------------------------------------------------- helpers


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _size(count: int) -> str:
    megabytes = count / (1024 * 1024)
    return f"{megabytes:g} MB" if megabytes >= 1 else f"{count} bytes"


def _seconds(value: float) -> str:
    return f"{value:g} s"


def _content_type(value: str | None) -> tuple[str | None, str | None]:
    """Split a ``Content-Type`` header into (media type, charset)."""
    if not value:
        return None, None
    media, *params = value.split(";")
    charset = None
    for param in params:
        name, _, raw = param.partition("=")
        if name.strip().lower() == "charset":
            charset = raw.strip().strip("\"'").lower() or None
    return media.strip().lower() or None, charset


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or url
    except ValueError:
        return url


# --------------------------------------------------------------------------- the cache


def cache_directory() -> Path:
    """The cache's root: ``$STORYLENS_CACHE_DIR`` if set, else the user's cache directory."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("storylens", appauthor=False))


def cache_key(url: str) -> str:
    """The name a URL's cache entry is stored under: SHA-256 of the URL without fragment."""
    return hashlib.sha256(urldefrag(url).url.encode("utf-8")).hexdigest()


def _entry(root: Path, url: str) -> tuple[Path, Path]:
    base = root / "pages" / cache_key(url)
    return base.with_suffix(".json"), base.with_suffix(".body")


def _read_cache(root: Path, url: str) -> Page | None:
    """The cached page for *url*, or None when absent or not intact."""
    meta_path, body_path = _entry(root, url)
    try:
        meta: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
        body = body_path.read_bytes()
    except (OSError, ValueError):
        return None
    try:
        intact = (
            meta["format"] == _CACHE_FORMAT
            and meta["url"] == urldefrag(url).url
            and meta["size"] == len(body)
            and meta["sha256"] == hashlib.sha256(body).hexdigest()
        )
        if not intact:
            return None
        headers = {str(k): str(v) for k, v in meta["headers"].items()}
        media, charset = _content_type(headers.get("content-type"))
        return Page(
            url=url,
            final_url=str(meta["final_url"]),
            body=body,
            media_type=media,
            charset=charset,
            headers=headers,
            fetched_at=float(meta["fetched_at"]),
            from_cache=True,
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _write_cache(root: Path, page: Page) -> None:
    """Store *page*; the metadata goes last, so a half-written entry is never read."""
    meta_path, body_path = _entry(root, page.url)
    meta = {
        "format": _CACHE_FORMAT,
        "url": urldefrag(page.url).url,
        "final_url": page.final_url,
        "headers": dict(page.headers),
        "fetched_at": page.fetched_at,
        "size": len(page.body),
        "sha256": hashlib.sha256(page.body).hexdigest(),
    }
    try:
        meta_path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(body_path, page.body)
        _write_atomically(meta_path, json.dumps(meta, indent=1).encode("utf-8"))
    except OSError:
        pass  # a cache that cannot be written only costs a download next time


# --------------------------------------------------------------------------- downloading


def _client(options: FetchOptions) -> httpx.Client:
    return httpx.Client(
        timeout=httpx.Timeout(options.timeout),
        follow_redirects=True,
        max_redirects=options.max_redirects,
        headers={"User-Agent": options.user_agent, "Accept": _ACCEPT},
    )


def _causes(error: BaseException) -> Iterable[BaseException]:
    """The error and what caused it, innermost last."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _request_host(error: httpx.RequestError, url: str) -> str:
    try:
        return error.request.url.host or _host(url)
    except RuntimeError:  # no request attached
        return _host(url)


def _problem(error: httpx.HTTPError, url: str, options: FetchOptions) -> str:
    """A one-line reason for an httpx failure, in words a reader understands."""
    if isinstance(error, httpx.TooManyRedirects):
        return f"too many redirects (more than {options.max_redirects})"
    if isinstance(error, httpx.ConnectTimeout):
        return f"timed out connecting to {_request_host(error, url)} ({_seconds(options.timeout)})"
    if isinstance(error, httpx.TimeoutException):
        return f"timed out waiting for the server ({_seconds(options.timeout)})"
    if isinstance(error, httpx.UnsupportedProtocol):
        return f"cannot be fetched: unsupported address ({_one_line(str(error))})"
    if isinstance(error, httpx.ConnectError):
        host = _request_host(error, url)
        for cause in _causes(error):
            if isinstance(cause, socket.gaierror):
                return f"cannot resolve host {host}"
            if isinstance(cause, ConnectionRefusedError):
                return f"connection refused by {host}"
            if isinstance(cause, ssl.SSLCertVerificationError):
                reason = cause.verify_message or "not trusted"
                return f"certificate of {host} not accepted ({_one_line(reason)})"
            if isinstance(cause, ssl.SSLError):
                return f"secure connection to {host} failed ({_one_line(cause.reason or '')})"
        return f"cannot connect to {host} ({_one_line(str(error)) or type(error).__name__})"
    if isinstance(error, httpx.RemoteProtocolError):
        return f"the server broke off the response ({_one_line(str(error))})"
    if isinstance(error, httpx.DecodingError):
        return "the server sent a body that cannot be decompressed"
    if isinstance(error, httpx.TransportError):
        return f"connection failed ({_one_line(str(error)) or type(error).__name__})"
    return f"cannot be fetched ({_one_line(str(error)) or type(error).__name__})"


def _download(client: httpx.Client, url: str, options: FetchOptions) -> Page:
    """GET *url* within the limits of *options*; raises :class:`SourceError`."""
    too_large = f"is larger than {_size(options.max_bytes)} (the most storylens reads)"
    deadline = time.monotonic() + options.deadline
    try:
        with client.stream("GET", url) as response:
            if not response.is_success:
                # The standard phrase where there is one: servers' own vary and may be empty.
                code = response.status_code
                reason = httpx.codes.get_reason_phrase(code) or response.reason_phrase or ""
                raise SourceError(url, _one_line(f"HTTP {code} {reason}"))
            media, charset = _content_type(response.headers.get("content-type"))
            if media is not None and media not in ACCEPTED_TYPES:
                raise SourceError(url, f"is {media}, not a web page")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > options.max_bytes:
                raise SourceError(url, too_large)
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > options.max_bytes:
                    raise SourceError(url, too_large)
                if time.monotonic() > deadline:
                    raise SourceError(
                        url, f"timed out: the download took over {_seconds(options.deadline)}"
                    )
                chunks.append(chunk)
            headers = {
                name.lower(): value
                for name, value in response.headers.items()
                if name.lower() not in _LEFT_OUT_HEADERS
            }
            return Page(
                url=url,
                final_url=str(response.url),
                body=b"".join(chunks),
                media_type=media,
                charset=charset,
                headers=headers,
                fetched_at=time.time(),
            )
    except httpx.InvalidURL as error:
        raise SourceError(url, f"is not a valid web address ({_one_line(str(error))})") from None
    except httpx.HTTPError as error:
        raise SourceError(url, _problem(error, url, options)) from None


# --------------------------------------------------------------------------- entry points


def fetch_pages(
    urls: Iterable[str],
    options: FetchOptions | None = None,
    *,
    progress: FetchProgress | None = None,
) -> dict[str, Page | SourceError]:
    """Fetch every URL (each once, several at a time); never raises :class:`SourceError`.

    Returns a mapping from each URL as given to its :class:`Page` or to the
    :class:`SourceError` saying why it could not be had.  Cached pages are
    used unless ``options.refresh``; pages downloaded are cached.  *progress*
    is called in the calling thread after each URL is done with a message
    such as ``"fetched https://…"``, the number done and the number of URLs.
    """
    options = options or FetchOptions()
    unique = list(dict.fromkeys(urls))
    total = len(unique)
    report = progress or (lambda message, done, total: None)
    results: dict[str, Page | SourceError] = {}
    root = (options.cache_dir or cache_directory()) if options.use_cache else None

    pending: list[str] = []
    for url in unique:
        cached = _read_cache(root, url) if root is not None and not options.refresh else None
        if cached is None:
            pending.append(url)
        else:
            results[url] = cached
            report(f"from cache {url}", len(results), total)
    if not pending:
        return results

    report(f"fetching {len(pending)} page{'s' * (len(pending) > 1)}", len(results), total)
    with (
        _client(options) as client,
        ThreadPoolExecutor(max_workers=max(1, min(options.workers, len(pending)))) as pool,
    ):
        futures: dict[Future[Page], str] = {
            pool.submit(_download, client, url, options): url for url in pending
        }
        try:
            for future in as_completed(futures):
                url = futures[future]
                try:
                    page = future.result()
                except SourceError as error:
                    results[url] = error
                    report(f"failed {url}", len(results), total)
                    continue
                results[url] = page
                if root is not None:
                    _write_cache(root, page)
                report(f"fetched {url}", len(results), total)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    return results


def fetch_page(url: str, options: FetchOptions | None = None) -> Page:
    """Fetch one URL (from the cache when it holds it); raises :class:`SourceError`."""
    result = fetch_pages([url], options)[url]
    if isinstance(result, SourceError):
        raise result
    return result
