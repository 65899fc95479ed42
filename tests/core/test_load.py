"""Loading sources: formats, labels and titles, errors, nothing lost, speed."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from storylens.core import boilerplate as bp
from storylens.core.errors import SourceError, UsageError
from storylens.core.load import OUTSIDE_ARTICLE, load_source, load_sources
from storylens.core.model import Document

DATA = Path(__file__).parents[1] / "data" / "load"
CORPUS = Path(__file__).parents[2].parent / "shared" / "corpus" / "venezuela-2018"
WORD = re.compile(r"[^\W_]+")


def words(text: str) -> Counter[str]:
    return Counter(WORD.findall(text))


def kept_words(doc: Document) -> Counter[str]:
    return words(
        " ".join(p.text for p in doc.paragraphs) + " " + " ".join(s.text for s in doc.set_aside)
    )


def source_words(path: Path) -> Counter[str]:
    """The words a reader of the source sees (markup, link targets and scripts excluded)."""
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        from lxml import html

        root = html.document_fromstring(raw)
        for bad in root.xpath("//script|//style|//head"):
            bad.drop_tree()
        return words(" ".join(root.itertext()))  # text nodes apart: block tags separate words
    if path.suffix == ".md":
        raw = re.sub(r"\]\([^)]*\)", "]", raw)
    return words(raw)


def assert_nothing_lost(doc: Document, path: Path) -> None:
    missing = source_words(path) - kept_words(doc)
    assert not missing, f"{path.name}: words lost: {dict(missing)}"
    for p in doc.paragraphs:
        assert 0 <= p.start <= p.end <= len(doc.text)
    for s in doc.set_aside:
        assert -1 <= s.after < len(doc.paragraphs)


FIXTURES = sorted(DATA.iterdir())


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_every_fixture_keeps_every_word(path: Path) -> None:
    assert_nothing_lost(load_source(str(path), doc_id="d0"), path)


class TestFormats:
    """Plain text, Markdown and HTML, by extension or by content."""

    def test_plain_text(self) -> None:
        doc = load_source(str(DATA / "blank_lines.txt"), doc_id="d2")
        assert doc.format == "text"
        assert doc.id == "d2" and doc.source == str(DATA / "blank_lines.txt")
        assert doc.label == "blank_lines"  # the file stem
        assert doc.title == "Harbour Bridge Reopens After Repairs"
        assert doc.encoding == "utf-8"
        assert [p.id for p in doc.paragraphs][:2] == ["d2.p0", "d2.p1"]
        for p in doc.paragraphs:
            assert doc.text[p.start : p.end] == p.text  # one line per paragraph here

    def test_markdown_by_extension(self) -> None:
        doc = load_source(str(DATA / "article.md"), doc_id="d0")
        assert doc.format == "markdown"
        assert doc.title == "Orchard growers count frost losses"
        assert doc.paragraphs[0].kind == "heading"

    def test_markdown_sniffed_from_stdin(self) -> None:
        data = (DATA / "article.md").read_bytes()
        doc = load_source("-", doc_id="d0", stdin=io.BytesIO(data))
        assert doc.format == "markdown"
        assert doc.label == "stdin" and doc.source == "-"

    def test_html(self) -> None:
        doc = load_source(str(DATA / "page.html"), doc_id="d0")
        assert doc.format == "html"
        assert doc.title == "Harbour bridge reopens after repairs"  # " | site" dropped
        assert doc.label == "The Lakeside Courier"  # og:site_name
        texts = [p.text for p in doc.paragraphs]
        assert texts[0] == "Harbour bridge reopens after repairs"
        assert doc.paragraphs[0].kind == "heading"
        assert "Costs rose sharply" in texts
        assert "Detour signs will be removed by Friday." in texts
        # The <br> inside a paragraph does not glue words together.
        assert any("the overrun and the lessons" in t for t in texts)
        reasons = Counter(s.reason for s in doc.set_aside)
        assert reasons[OUTSIDE_ARTICLE] >= 2 and reasons[bp.AD] == 1
        outside = " ".join(s.text for s in doc.set_aside if s.reason == OUTSIDE_ARTICLE)
        assert "Most read" in outside and "Contact the newsroom" in outside
        assert "never shown" not in doc.text and "hidden" not in doc.text  # scripts skipped
        for p in doc.paragraphs:
            assert doc.text[p.start : p.end].split() == p.text.split()

    def test_html_sniffed_in_a_txt_file(self, tmp_path: Path) -> None:
        path = tmp_path / "saved.txt"
        path.write_bytes((DATA / "page.html").read_bytes())
        assert load_source(str(path), doc_id="d0").format == "html"

    def test_html_keep_boilerplate(self) -> None:
        doc = load_source(str(DATA / "page.html"), doc_id="d0", keep_boilerplate=True)
        assert doc.set_aside == ()
        assert any(p.text == "Contact the newsroom" for p in doc.paragraphs)

    def test_html_import_is_lazy(self) -> None:
        code = (
            "import sys; from storylens.core.load import load_source; "
            f"load_source({str(DATA / 'blank_lines.txt')!r}, doc_id='d0'); "
            "print(sorted(m for m in ('trafilatura', 'lxml', 'markdown_it', "
            "'charset_normalizer', 'textual', 'rich') if m in sys.modules))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert out.stdout.strip() == "[]"


class TestEncodings:
    """Encodings are detected through the loader and recorded on the document."""

    @pytest.mark.parametrize(
        ("encoding", "expected"),
        [("utf-16", "utf-16-le"), ("utf-8-sig", "utf-8-sig"), ("cp1252", "cp1252")],
    )
    def test_recorded(self, tmp_path: Path, encoding: str, expected: str) -> None:
        text = (
            "Ferry fined\r\n\r\nThe operator said \u201cwe will appeal\u201d \u2014 on Monday.\r\n"
        )
        path = tmp_path / "story.txt"
        path.write_bytes(text.encode(encoding))
        doc = load_source(str(path), doc_id="d0")
        assert doc.encoding == expected
        assert "\r" not in doc.text
        assert (
            doc.paragraphs[1].text
            == "The operator said \u201cwe will appeal\u201d \u2014 on Monday."
        )


class TestLabels:
    """Labels: the argument wins, then what the text shows, then the stem."""

    def test_argument_wins(self) -> None:
        doc = load_source(str(DATA / "widgets.txt"), doc_id="d0", label="Mine")
        assert doc.label == "Mine"

    def test_masthead(self) -> None:
        doc = load_source(str(DATA / "widgets.txt"), doc_id="d0")
        assert doc.label == "The Example Gazette"
        assert doc.title == "Ferry operator fined over late sailings"

    def test_source_line(self, tmp_path: Path) -> None:
        path = tmp_path / "scraped.txt"
        body = (DATA / "one_per_line.txt").read_text()
        path.write_text(body + "Source: Northern Coast Radio\n")
        assert load_source(str(path), doc_id="d0").label == "Northern Coast Radio"

    def test_station_call_letters_in_its_widgets(self, tmp_path: Path) -> None:
        path = tmp_path / "page.txt"
        path.write_text(
            "Harbour board closes ferry pier\n\n"
            "The harbour board of Lowmere voted on Tuesday to close the old ferry pier after "
            "engineers found cracks in three of its concrete pylons.\n\n"
            "Chair Imogen Tate said repairs would cost at least 4.2 million pounds.\n\n"
            "Article Comments\n\n"
            "Lowmere\nLight Rain\n12° wxIcon\nHi: 14° Lo: 9°\nFeels Like: 10°\n"
            "KZRB Radar\nKZRB Temperatures\nKZRB Traffic\n"
        )
        doc = load_source(str(path), doc_id="d0")
        assert doc.label == "KZRB"
        # Read from the set-aside widgets, not from the article.
        assert not any("KZRB" in p.text for p in doc.paragraphs)

    def test_call_letters_in_the_article_are_not_a_label(self, tmp_path: Path) -> None:
        path = tmp_path / "story.txt"
        path.write_text(
            "KZRB Radar shows the storm moving east.\n\n"
            "KZRB Temperatures fell overnight, the station said.\n"
        )
        assert load_source(str(path), doc_id="d0").label == "story"

    def test_stdin(self) -> None:
        doc = load_source(
            "-", doc_id="d0", stdin=io.BytesIO(b"A story.\n\nIt has two paragraphs.\n")
        )
        assert doc.label == "stdin"

    def test_default_stdin_is_sys_stdin_buffer(self, monkeypatch: pytest.MonkeyPatch) -> None:
        fake = io.TextIOWrapper(io.BytesIO(b"Read from the real standard input.\n"))
        monkeypatch.setattr(sys, "stdin", fake)
        doc = load_source("-", doc_id="d0")
        assert doc.paragraphs[0].text == "Read from the real standard input."


class TestErrors:
    """Each unusable source raises SourceError with a short human reason."""

    def check(self, source: str, problem: str, **kwargs: object) -> None:
        with pytest.raises(SourceError) as caught:
            load_source(source, doc_id="d0", **kwargs)  # type: ignore[arg-type]
        assert caught.value.source == source
        assert problem in caught.value.problem
        assert "\n" not in str(caught.value)

    def test_missing(self, tmp_path: Path) -> None:
        self.check(str(tmp_path / "nope.txt"), "no such file")

    def test_directory(self, tmp_path: Path) -> None:
        self.check(str(tmp_path), "directory")

    def test_permission(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        path = tmp_path / "secret.txt"
        path.write_text("text")

        def refuse(self: Path, *args: object, **kwargs: object) -> bytes:
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(Path, "open", refuse)  # tests may run as root
        self.check(str(path), "permission denied")

    def test_binary(self, tmp_path: Path) -> None:
        path = tmp_path / "photo.txt"
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
        self.check(str(path), "PNG")
        path.write_bytes(b"some\x00text\x00with\x00nul\x00bytes\x00and\x00more")
        self.check(str(path), "binary")

    def test_empty(self, tmp_path: Path) -> None:
        path = tmp_path / "empty.txt"
        path.write_bytes(b"")
        self.check(str(path), "empty")

    def test_whitespace_only(self, tmp_path: Path) -> None:
        path = tmp_path / "blank.txt"
        path.write_bytes(b"  \n\t\r\n  \n")
        self.check(str(path), "only whitespace")

    def test_only_boilerplate(self, tmp_path: Path) -> None:
        path = tmp_path / "ads.txt"
        path.write_text("[ad_1]\nAdvertisement\nShare this\n[ad_2]Source link\n")
        self.check(str(path), "no article text found")

    def test_only_boilerplate_is_fine_when_kept(self, tmp_path: Path) -> None:
        path = tmp_path / "ads.txt"
        path.write_text("[ad_1]\nAdvertisement\n")
        doc = load_source(str(path), doc_id="d0", keep_boilerplate=True)
        assert len(doc.paragraphs) == 2

    def test_undecodable(self, tmp_path: Path) -> None:
        path = tmp_path / "junk.txt"
        path.write_bytes(bytes(range(0x80, 0x100)) * 4)
        self.check(str(path), "cannot be decoded")

    @pytest.mark.parametrize(
        "url", ["http://storylens-test.invalid/story", "HTTPS://storylens-test.invalid/story"]
    )
    def test_urls_go_to_the_fetcher(
        self, url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # More in test_fetch.py; a .invalid host never resolves, so no network is used.
        monkeypatch.setenv("STORYLENS_CACHE_DIR", str(tmp_path))
        self.check(url, "cannot resolve host storylens-test.invalid")

    def test_empty_stdin(self) -> None:
        self.check("-", "empty", stdin=io.BytesIO(b""))


class TestLoadSources:
    """Several sources: ids, labels in order, clashes."""

    def test_ids_and_labels(self) -> None:
        paths = [str(DATA / n) for n in ("blank_lines.txt", "widgets.txt", "mixed.txt")]
        docs = load_sources(paths, labels=["First"])
        assert [d.id for d in docs] == ["d0", "d1", "d2"]
        assert [d.label for d in docs] == ["First", "The Example Gazette", "mixed"]
        assert docs[1].paragraphs[0].id == "d1.p0"

    def test_inferred_labels_that_clash_are_numbered(self, tmp_path: Path) -> None:
        (tmp_path / "a").mkdir()
        (tmp_path / "b").mkdir()
        for folder in ("a", "b"):
            (tmp_path / folder / "story.txt").write_text("A story.\n\nWith two paragraphs.\n")
        docs = load_sources([str(tmp_path / "a" / "story.txt"), str(tmp_path / "b" / "story.txt")])
        assert [d.label for d in docs] == ["story", "story (2)"]

    def test_too_many_labels(self) -> None:
        with pytest.raises(UsageError):
            load_sources([str(DATA / "mixed.txt")], labels=["a", "b"])

    def test_stdin_twice(self) -> None:
        with pytest.raises(UsageError):
            load_sources(["-", "-"], stdin=io.BytesIO(b"x"))

    def test_first_bad_source_raises(self, tmp_path: Path) -> None:
        with pytest.raises(SourceError) as caught:
            load_sources([str(DATA / "mixed.txt"), str(tmp_path / "missing.txt")])
        assert caught.value.source.endswith("missing.txt")


# --------------------------------------------------------------------------- the real corpus


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        pytest.skip("the shared venezuela-2018 corpus is not available here")
    return sorted(CORPUS.glob("*.txt"))


# Expected outcome per file, by position in the sorted listing: paragraph counts,
# headings, and set-aside reasons (counted per merged item).  Checked by hand.
EXPECTED: list[tuple[int, int, dict[str, int]]] = [
    (43, 2, {}),
    (51, 0, {}),
    (25, 2, {bp.AD: 1, bp.CONTRIBUTOR: 1, bp.AD_SCRAPER: 1}),
    (
        32,
        3,
        {
            bp.TEASER: 1,
            bp.TIMESTAMP: 1,
            bp.COMMENTS: 1,
            bp.WEATHER: 1,
            bp.EVENTS: 1,
        },
    ),
    (23, 1, {bp.MASTHEAD: 1, bp.CAPTION: 1, bp.RELATED_HEADLINE: 1, bp.CONTRIBUTOR: 1}),
]


class TestCorpus:
    """The five real files: nothing lost, boilerplate found, fast."""

    def test_nothing_lost(self) -> None:
        for path in corpus_files():
            assert_nothing_lost(load_source(str(path), doc_id="d0"), path)

    def test_expected_segmentation(self) -> None:
        files = corpus_files()
        assert len(files) == len(EXPECTED)
        for path, (paragraphs, headings, reasons) in zip(files, EXPECTED, strict=True):
            doc = load_source(str(path), doc_id="d0")
            assert len(doc.paragraphs) == paragraphs, path.name
            assert sum(p.kind == "heading" for p in doc.paragraphs) == headings, path.name
            assert Counter(s.reason for s in doc.set_aside) == reasons, path.name

    def test_every_source_line_is_kept_or_set_aside_whole(self) -> None:
        for path in corpus_files():
            doc = load_source(str(path), doc_id="d0")
            pieces = [p.text for p in doc.paragraphs] + [
                line for s in doc.set_aside for line in s.text.split("\n")
            ]
            lines = [line.strip() for line in doc.text.split("\n") if line.strip()]
            # One-line paragraphs everywhere in this corpus: each line is one piece.
            assert Counter(lines) == Counter(pieces), path.name

    def test_labels_and_titles_come_from_the_text(self) -> None:
        files = corpus_files()
        docs = load_sources([str(p) for p in files])
        for path, doc in zip(files, docs, strict=True):
            first_lines = [x for x in path.read_text().split("\n") if x.strip()]
            if doc.label != path.stem and not first_lines[0].startswith(doc.label):
                # Else a local station's call letters, opening its widget lines.
                assert sum(x.startswith(f"{doc.label} ") for x in first_lines) >= 2, doc.label
            if doc.title is not None:
                assert doc.title in first_lines[:3]

    def test_labels_found_in_the_corpus(self) -> None:
        labels = [doc.label for doc in load_sources([str(p) for p in corpus_files()])]
        # A masthead (The Washington Post), a station's widgets (WFFT Radar, WFFT
        # Temperatures…); the other three show no outlet and keep their file names.
        assert labels[3:] == ["WFFT", "The Washington Post"]
        assert labels[:3] == [p.stem for p in corpus_files()[:3]]

    def test_weather_widget_takes_its_place_names(self) -> None:
        doc = load_source(str(corpus_files()[3]), doc_id="d0")
        weather = next(s for s in doc.set_aside if s.reason == bp.WEATHER)
        lines = weather.text.split("\n")
        assert len(lines) >= 20 and not lines[0][0].isdigit()  # starts with a place name

    def test_cold_start_stays_light(self) -> None:
        paths = [str(p) for p in corpus_files()]
        code = (
            "import sys; "
            "from storylens.core.load import load_sources; "
            f"load_sources({paths!r}); "
            "print(sorted(m for m in ('trafilatura', 'lxml', 'markdown_it', "
            "'charset_normalizer') if m in sys.modules))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        # Speed itself is measured in bench/, not asserted here.
        assert out.stdout.strip() == "[]"
