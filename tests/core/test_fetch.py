"""Web pages as sources: a real HTTP server on 127.0.0.1, never the internet.

Every test gets its own server (port 0) and its own cache directory
(``STORYLENS_CACHE_DIR`` under ``tmp_path``); proxies from the environment
are cleared so requests go straight to the loopback address.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from storylens.core.errors import SourceError, UsageError
from storylens.core.fetch import (
    CACHE_ENV,
    USER_AGENT,
    FetchOptions,
    cache_directory,
    cache_key,
    fetch_page,
    fetch_pages,
)
from storylens.core.load import load_source, load_sources, load_sources_lenient

WEB = Path(__file__).parents[1] / "data" / "web"
FAST = FetchOptions(timeout=0.5, deadline=2.0)
"""Short limits so the failure tests stay fast."""

PLAIN_STORY = (
    "Gull Island ferry: what islanders say\n\n"
    "Residents of Gull Island said on Thursday that the five-day closure of the ferry had shown "
    "how much the island depends on a single pier.\n\n"
    "“We will run a reduced timetable until the permanent repairs are finished,” harbour master "
    "Tomas Greave said.\n"
)


class StoryServer(ThreadingHTTPServer):
    """A threading HTTP server whose routes the tests define."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes: dict[str, Callable[[Handler], None]] = {}
        self.hits: Counter[str] = Counter()
        self.agents: list[str] = []
        self.release = threading.Event()
        """Set at teardown: slow handlers stop waiting."""
        self._thread = threading.Thread(target=self.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}{path}"

    def stop(self) -> None:
        self.release.set()
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=5)

    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet: a client that gave up (a timeout test) is expected."""


class Handler(BaseHTTPRequestHandler):
    """Dispatches GET to the server's routes; 404 for anything else."""

    server: StoryServer

    def do_GET(self) -> None:
        self.server.hits[self.path] += 1
        self.server.agents.append(self.headers.get("User-Agent", ""))
        route = self.server.routes.get(self.path)
        if route is None:
            self.send_error(404, "Not Found")
            return
        route(self)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def reply(self, body: bytes, content_type: str | None, status: int = 200) -> None:
        self.send_response(status)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def page(name: str, delay: float = 0.0) -> Callable[[Handler], None]:
    """A route serving tests/data/web/<name> as UTF-8 HTML, after *delay* seconds."""
    body = (WEB / name).read_bytes()

    def route(handler: Handler) -> None:
        if delay:
            handler.server.release.wait(delay)
        handler.reply(body, "text/html; charset=utf-8")

    return route


def redirect(target: str) -> Callable[[Handler], None]:
    def route(handler: Handler) -> None:
        handler.send_response(302)
        handler.send_header("Location", target)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return route


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh cache per test, and no proxy between the client and 127.0.0.1."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(cache))
    return cache


@pytest.fixture
def server() -> Iterator[StoryServer]:
    httpd = StoryServer()
    httpd.routes["/coastal"] = page("coastal-times.html")
    httpd.routes["/herald"] = page("harbour-herald.html")
    httpd.routes["/no-article"] = page("no-article.html")
    try:
        yield httpd
    finally:
        httpd.stop()


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def problem_of(source: str, options: FetchOptions = FAST) -> str:
    with pytest.raises(SourceError) as caught:
        load_source(source, doc_id="d0", fetch_options=options)
    error = caught.value
    assert error.source == source
    assert str(error).startswith(f"{source}: ")
    assert "\n" not in str(error)
    return error.problem


class TestSuccess:
    """A page loads with its article and what the page says about itself."""

    def test_metadata(self, server: StoryServer) -> None:
        url = server.url("/coastal")
        doc = load_source(url, doc_id="d0")
        assert doc.source == url
        assert doc.url == url
        assert doc.format == "html"
        assert doc.label == "The Coastal Times"
        assert doc.title == "Ferry service to Gull Island resumes after storm"
        assert doc.author == "Mara Lindqvist"
        assert doc.published == "2024-03-14"
        assert any("61 passengers" in p.text for p in doc.paragraphs)
        assert any("All rights reserved" in s.text for s in doc.set_aside)

    def test_metadata_from_json_ld(self, server: StoryServer) -> None:
        doc = load_source(server.url("/herald"), doc_id="d0")
        assert (doc.label, doc.author, doc.published) == (
            "Harbour Herald",
            "Jonah Pell",
            "2024-03-14",
        )
        assert doc.title == "Gull Island ferry back in service"

    def test_user_agent(self, server: StoryServer) -> None:
        load_source(server.url("/coastal"), doc_id="d0")
        assert server.agents == [USER_AGENT]
        assert USER_AGENT.startswith("storylens/")

    def test_plain_text_with_charset(self, server: StoryServer) -> None:
        body = PLAIN_STORY.replace("“", '"').replace("”", '"').replace("Gull", "Göll")
        server.routes["/notes"] = lambda h: h.reply(
            body.encode("iso-8859-1"), "text/plain; charset=ISO-8859-1"
        )
        doc = load_source(server.url("/notes"), doc_id="d0")
        assert doc.format == "text"
        assert doc.encoding == "iso-8859-1"
        assert "Göll Island" in doc.text
        assert doc.label == "127.0.0.1"  # no site name: the host

    def test_no_content_type_is_sniffed(self, server: StoryServer) -> None:
        body = (WEB / "coastal-times.html").read_bytes()
        server.routes["/bare"] = lambda h: h.reply(body, None)
        assert load_source(server.url("/bare"), doc_id="d0").format == "html"

    def test_redirect_followed(self, server: StoryServer) -> None:
        server.routes["/old"] = redirect("/moved")
        server.routes["/moved"] = redirect("/coastal")
        source = server.url("/old")
        doc = load_source(source, doc_id="d0")
        assert doc.source == source
        assert doc.url == server.url("/coastal")
        assert doc.label == "The Coastal Times"


class TestCache:
    """Pages are cached by URL: re-opening works offline; refresh fetches again."""

    def test_second_load_uses_cache_even_offline(self, server: StoryServer, isolated: Path) -> None:
        url = server.url("/coastal")
        first = load_source(url, doc_id="d0")
        assert server.hits["/coastal"] == 1
        server.stop()
        again = load_source(url, doc_id="d0")
        assert again == first
        with pytest.raises(SourceError, match="connection refused"):
            load_source(url, doc_id="d0", refresh=True, fetch_options=FAST)

    def test_refresh_fetches_again(self, server: StoryServer) -> None:
        url = server.url("/coastal")
        load_sources([url, url], labels=["A", "B"])
        assert server.hits["/coastal"] == 1  # the same URL twice: fetched once
        load_source(url, doc_id="d0")
        assert server.hits["/coastal"] == 1
        load_source(url, doc_id="d0", refresh=True)
        assert server.hits["/coastal"] == 2

    def test_entry_holds_body_headers_and_time(self, server: StoryServer, isolated: Path) -> None:
        url = server.url("/coastal")
        before = time.time()
        page = fetch_page(url)
        assert not page.from_cache
        assert cache_directory() == isolated
        meta = json.loads((isolated / "pages" / f"{cache_key(url)}.json").read_text())
        body = (isolated / "pages" / f"{cache_key(url)}.body").read_bytes()
        assert body == (WEB / "coastal-times.html").read_bytes()
        assert meta["url"] == url
        assert meta["headers"]["content-type"] == "text/html; charset=utf-8"
        assert before <= meta["fetched_at"] <= time.time()
        cached = fetch_page(url)
        assert cached.from_cache
        assert (cached.body, cached.fetched_at, cached.charset) == (
            page.body,
            page.fetched_at,
            "utf-8",
        )

    def test_key_ignores_fragment(self) -> None:
        assert cache_key("http://a.test/x#top") == cache_key("http://a.test/x")
        assert cache_key("http://a.test/x") != cache_key("http://a.test/y")

    def test_damaged_entry_is_fetched_again(self, server: StoryServer, isolated: Path) -> None:
        url = server.url("/coastal")
        fetch_page(url)
        (isolated / "pages" / f"{cache_key(url)}.body").write_bytes(b"<p>tampered</p>")
        assert not fetch_page(url).from_cache
        assert server.hits["/coastal"] == 2

    def test_failures_are_not_cached(self, server: StoryServer, isolated: Path) -> None:
        problem_of(server.url("/missing"))
        assert not (isolated / "pages").exists() or not any((isolated / "pages").iterdir())

    def test_unwritable_cache_is_no_error(self, server: StoryServer, tmp_path: Path) -> None:
        blocker = tmp_path / "a-file"
        blocker.write_text("not a directory")
        options = FetchOptions(cache_dir=blocker)
        assert fetch_page(server.url("/coastal"), options).body


class TestErrors:
    """Each failure is one line that names the URL and says what went wrong."""

    def test_not_found(self, server: StoryServer) -> None:
        assert problem_of(server.url("/missing")) == "HTTP 404 Not Found"
        server.routes["/gone"] = lambda h: h.send_error(404, "Nothing to see here")
        assert problem_of(server.url("/gone")) == "HTTP 404 Not Found"  # the standard phrase

    def test_server_error(self, server: StoryServer) -> None:
        server.routes["/broken"] = lambda h: h.send_error(500, "Internal Server Error")
        assert problem_of(server.url("/broken")) == "HTTP 500 Internal Server Error"

    def test_wrong_content_type(self, server: StoryServer) -> None:
        png = b"\x89PNG\r\n\x1a\n" + bytes(64)
        server.routes["/photo"] = lambda h: h.reply(png, "image/png")
        assert problem_of(server.url("/photo")) == "is image/png, not a web page"

    def test_too_large_by_length(self, server: StoryServer) -> None:
        big = b"<p>" + b"word " * 30_000 + b"</p>"
        server.routes["/big"] = lambda h: h.reply(big, "text/html")
        problem = problem_of(server.url("/big"), FetchOptions(max_bytes=100_000))
        assert problem.startswith("is larger than 100000 bytes")

    def test_too_large_while_streaming(self, server: StoryServer) -> None:
        def endless(handler: Handler) -> None:  # no Content-Length: the stream is counted
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html")
            handler.end_headers()
            for _ in range(200):
                handler.wfile.write(b"<p>" + b"word " * 2000 + b"</p>\n")

        server.routes["/endless"] = endless
        problem = problem_of(server.url("/endless"), FetchOptions(max_bytes=100_000))
        assert problem.startswith("is larger than 100000 bytes")

    def test_too_many_redirects(self, server: StoryServer) -> None:
        for k in range(10):
            server.routes[f"/hop{k}"] = redirect(f"/hop{k + 1}")
        assert problem_of(server.url("/hop0")) == "too many redirects (more than 5)"
        assert server.hits["/hop5"] == 1
        assert server.hits["/hop6"] == 0

    def test_slow_server_times_out(self, server: StoryServer) -> None:
        server.routes["/slow"] = page("coastal-times.html", delay=5)
        started = time.monotonic()
        problem = problem_of(server.url("/slow"), FetchOptions(timeout=0.3))
        assert problem == "timed out waiting for the server (0.3 s)"
        assert time.monotonic() - started < 2

    def test_unresolvable_host(self) -> None:
        source = "http://storylens-test.invalid/story"
        assert problem_of(source) == "cannot resolve host storylens-test.invalid"

    def test_connection_refused(self) -> None:
        source = f"http://127.0.0.1:{free_port()}/story"
        assert problem_of(source) == "connection refused by 127.0.0.1"

    def test_no_article_text(self, server: StoryServer) -> None:
        assert problem_of(server.url("/no-article")) == "no article text found"

    def test_empty_body(self, server: StoryServer) -> None:
        server.routes["/empty"] = lambda h: h.reply(b"", "text/html")
        assert problem_of(server.url("/empty")) == "is empty"


class TestSeveral:
    """Several sources: concurrent downloads, order kept, files mixed in, keep-going."""

    def test_downloads_overlap_and_order_is_kept(self, server: StoryServer) -> None:
        count = 4
        barrier = threading.Barrier(count, timeout=3)
        names = ["coastal-times.html", "harbour-herald.html"] * 2

        def together(k: int) -> Callable[[Handler], None]:
            body = (WEB / names[k]).read_bytes()

            def route(handler: Handler) -> None:
                barrier.wait()  # passes only if all requests are in flight at once
                handler.server.release.wait(0.05 * (count - k))  # the first finishes last
                handler.reply(body, "text/html")

            return route

        for k in range(count):
            server.routes[f"/together{k}"] = together(k)
        sources = [server.url(f"/together{k}") for k in range(count)]
        docs = load_sources(sources)
        assert [d.source for d in docs] == sources
        assert [d.id for d in docs] == ["d0", "d1", "d2", "d3"]
        assert [d.label for d in docs] == [
            "The Coastal Times",
            "Harbour Herald",
            "The Coastal Times (2)",
            "Harbour Herald (2)",
        ]

    def test_files_and_urls_mixed(self, server: StoryServer, tmp_path: Path) -> None:
        notes = tmp_path / "island-notes.txt"
        notes.write_text(PLAIN_STORY, encoding="utf-8")
        sources = [str(notes), server.url("/herald"), str(WEB / "coastal-times.html")]
        docs = load_sources(sources, labels=["Notes"])
        assert [d.source for d in docs] == sources
        assert [d.label for d in docs] == ["Notes", "Harbour Herald", "The Coastal Times"]
        assert [d.url for d in docs] == [None, server.url("/herald"), None]
        assert docs[2].author == "Mara Lindqvist"  # HTML files get their metadata too

    def test_progress(self, server: StoryServer, tmp_path: Path) -> None:
        notes = tmp_path / "notes.txt"
        notes.write_text(PLAIN_STORY, encoding="utf-8")
        calls: list[tuple[str, int, int]] = []
        urls = [server.url("/coastal"), server.url("/herald")]
        load_sources([urls[0], str(notes), urls[1], urls[0]], progress=lambda *a: calls.append(a))
        assert {total for _, _, total in calls} == {2 + 4}  # 2 distinct URLs + 4 sources
        done = [d for _, d, _ in calls]
        assert done == sorted(done)
        assert calls[-1] == ("loaded 4 of 4 sources", 6, 6)
        messages = [m for m, _, _ in calls]
        assert {f"fetched {u}" for u in urls} <= set(messages)
        assert f"reading {notes}" in messages
        calls.clear()
        load_sources(urls, progress=lambda *a: calls.append(a))
        assert {f"from cache {u}" for u in urls} <= {m for m, _, _ in calls}

    def test_progress_without_urls(self, tmp_path: Path) -> None:
        notes = tmp_path / "notes.txt"
        notes.write_text(PLAIN_STORY, encoding="utf-8")
        calls: list[tuple[str, int, int]] = []
        load_sources([str(notes), str(notes)], progress=lambda *a: calls.append(a))
        assert calls == [
            (f"reading {notes}", 0, 2),
            (f"reading {notes}", 1, 2),
            ("loaded 2 of 2 sources", 2, 2),
        ]

    def test_keep_going_with_one_bad_url(self, server: StoryServer, tmp_path: Path) -> None:
        bad = server.url("/missing")
        notes = tmp_path / "notes.txt"
        notes.write_text(PLAIN_STORY, encoding="utf-8")
        sources = [server.url("/coastal"), bad, str(notes), "http://storylens-test.invalid/"]
        result = load_sources_lenient(
            sources, labels=["Times", "Lost", "Notes"], fetch_options=FAST
        )
        assert [d.source for d in result.documents] == [sources[0], sources[2]]
        assert [d.id for d in result.documents] == ["d0", "d1"]
        assert [d.label for d in result.documents] == ["Times", "Notes"]
        assert [p.id for p in result.documents[1].paragraphs][:1] == ["d1.p0"]
        assert [str(e) for e in result.errors] == [
            f"{bad}: HTTP 404 Not Found",
            "http://storylens-test.invalid/: cannot resolve host storylens-test.invalid",
        ]

    def test_strict_stops_at_the_bad_url(self, server: StoryServer) -> None:
        bad = server.url("/missing")
        with pytest.raises(SourceError) as caught:
            load_sources([server.url("/coastal"), bad])
        assert caught.value.source == bad

    def test_strict_fails_on_a_missing_file_before_downloading(
        self, server: StoryServer, tmp_path: Path
    ) -> None:
        missing = str(tmp_path / "gone.txt")
        with pytest.raises(SourceError, match="no such file"):
            load_sources([server.url("/coastal"), missing])
        assert server.hits["/coastal"] == 0

    def test_usage_errors_still_raise(self) -> None:
        with pytest.raises(UsageError):
            load_sources_lenient(["a.txt"], labels=["A", "B"])

    def test_fetch_pages_reports_each_url(self, server: StoryServer) -> None:
        good, bad = server.url("/coastal"), server.url("/missing")
        results = fetch_pages([good, bad, good], FAST)
        assert set(results) == {good, bad}
        assert not isinstance(results[good], SourceError)
        assert isinstance(results[bad], SourceError)
