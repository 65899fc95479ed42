"""The hostile inputs storylens is checked against, one :class:`Case` each.

Every case writes its sources into a folder and says what must happen: the
comparison opens (and :attr:`Case.check` holds on its JSON export), or it is
refused with a one-line problem containing :attr:`Case.refused`. The same
catalogue drives the export tests, the reader's Pilot tests and the README's
table, so the three cannot drift apart. The story is invented for these tests.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Export = dict[str, Any]
"""A parsed ``storylens/1`` JSON export."""

# --------------------------------------------------------------------------------- the story

WIRE = [
    "The Millbrook public library reopened on Saturday, eight months after a fire destroyed "
    "its reading room and most of its local history collection.",
    "Volunteers carried 4,000 books back to the shelves over two weekends, the library's "
    "director, Ana Ruiz, said.",
    '"We lost the building for a while, but never the readers," Ms. Ruiz said at the reopening.',
    "The fire began in an electrical panel, investigators found. No one was hurt.",
]
REWRITE = [
    "Millbrook's public library opened its doors again on Saturday, eight months after a fire "
    "gutted the reading room and most of the local history collection.",
    "Over two weekends, volunteers carried about 4,000 books back to the shelves, said Ana "
    "Ruiz, the library's director.",
    "Investigators traced the fire to an electrical panel. Nobody was injured.",
    "The town council has promised a new archive room by next spring.",
]


def story(paragraphs: list[str], newline: str = "\n") -> str:
    """Paragraphs separated by blank lines, with the given line ending."""
    return (newline * 2).join(paragraphs) + newline


def _write(folder: Path, name: str, data: str | bytes) -> str:
    path = folder / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)
    return str(path)


def _pair(folder: Path, first: str | bytes, name: str = "first.txt") -> list[str]:
    """*first* as one source, the rewrite as the other."""
    return [_write(folder, name, first), _write(folder, "rewrite.txt", story(REWRITE))]


def texts(export: Export, doc: int) -> list[str]:
    """The paragraph texts of one document of an export."""
    return [p["text"] for p in export["documents"][doc]["paragraphs"]]


def all_text(export: Export) -> str:
    """Every paragraph and set-aside text of an export, joined."""
    return "\n".join(
        [p["text"] for d in export["documents"] for p in d["paragraphs"]]
        + [s["text"] for d in export["documents"] for s in d["set_aside"]]
    )


# --------------------------------------------------------------------------------- the payloads

MARKUP = "[bold red]loud[/]"
ACTION = "[@click=app.quit]quit[/]"
LINK = "[link=https://example.invalid]a link[/link]"
SCRIPT = "<script>alert(1)</script>"

ESCAPES = {
    "clear screen (CSI)": "\x1b[2J",
    "cursor report request (CSI)": "\x1b[6n",
    "title report request (CSI)": "\x1b[21t",
    "title (OSC 0, BEL)": "\x1b]0;pwned\x07",
    "title (OSC 2, ST)": "\x1b]2;pwned\x1b\\",
    "clipboard (OSC 52)": "\x1b]52;c;c3RvcnlsZW5z\x07",
    "one-byte CSI (C1)": "\x9b31m",
    "one-byte OSC (C1)": "\x9d0;pwned\x9c",
    "bell": "\x07",
    "backspaces": "\x08\x08\x08",
}
ESCAPE_TEXT = "Before the vote the clerk read " + " and ".join(ESCAPES.values()) + " aloud."

CJK = "米尔布鲁克公共图书馆周六重新开放。火灾烧毁阅览室已有八个月。"
CJK_REWORDED = "米尔布鲁克公共图书馆周六再次开放。火灾烧毁阅览室已有八个月。"
JAPANESE = "ミルブルック公立図書館は土曜日に再開した。"
ARABIC = "قالت مديرة المكتبة آنا رويز إن المتطوعين أعادوا الكتب إلى الرفوف."
HEBREW = "מנהלת הספרייה אמרה שהמתנדבים החזירו את הספרים."
COMBINING = "Cafe\u0301 owner Zoe\u0308 Brontë and z\u0335\u0321a\u0336l\u0338go text."
EMOJI = "Readers cheered 👍🏽 and families 👨\u200d👩\u200d👧 came, a ❤\ufe0f on every flag 🇺🇦."
ZERO_WIDTH = "Hidden marks: a\u200bb, c\u2060d, e\ufefff and a right-to-left \u202eoverride\u202c."

SCRIPTS = [CJK, JAPANESE, ARABIC, HEBREW, COMBINING, EMOJI, ZERO_WIDTH]
SCRIPTS_REWRITE = [CJK_REWORDED, JAPANESE, ARABIC, HEBREW, COMBINING, EMOJI, ZERO_WIDTH]

MARKDOWN = """# Library reopens

<div class="note">Raw <b>HTML</b> block with the word lanterns.</div>

| Day | Books returned |
|-----|----------------|
| Saturday | 2,500 |
| Sunday | 1,500 |

```
shelve --all --section=history
```

Volunteers carried <span>4,000</span> books back to the shelves.
"""

MALFORMED_HTML = (
    "<html><head><title>Millbrook Courier</title><body><article>"
    "<p>The Millbrook public library reopened on <b>Saturday, eight months after a fire "
    "destroyed its reading room.<p>Volunteers carried 4,000 books back <i>to the shelves"
    "<div><p>The fire began in an electrical panel, investigators found.</td></span>"
    "<p>No one was hurt &amp c &#x41; &bogus; <unclosed attr='x"
)

CYRILLIC = [
    "Городская библиотека Миллбрука вновь открылась в субботу, через восемь месяцев после "
    "пожара, уничтожившего читальный зал.",
    "Добровольцы за два выходных вернули на полки четыре тысячи книг, сообщила директор "
    "библиотеки Анна Руис.",
]

# --------------------------------------------------------------------------------- checks


def _keeps(text: str, doc: int = 0) -> Callable[[Export, list[str]], None]:
    """The document's paragraphs include *text* exactly."""

    def check(export: Export, sources: list[str]) -> None:
        assert text in texts(export, doc), texts(export, doc)

    return check


def _check_markup(export: Export, sources: list[str]) -> None:
    assert texts(export, 0)[:2] == [WIRE[0] + f" {MARKUP} {ACTION}", WIRE[1] + f" {LINK} {SCRIPT}"]
    assert export["documents"][0]["label"] == "[b]Wire[i]"


def _check_escapes(export: Export, sources: list[str]) -> None:
    assert ESCAPE_TEXT in texts(export, 0)


def _check_decoded(expected: list[str]) -> Callable[[Export, list[str]], None]:
    def check(export: Export, sources: list[str]) -> None:
        assert texts(export, 0) == expected

    return check


def _check_same_paragraphs(export: Export, sources: list[str]) -> None:
    assert texts(export, 0) == texts(export, 1) == texts(export, 2) == WIRE


def _check_nul(export: Export, sources: list[str]) -> None:
    assert texts(export, 0)[0] == WIRE[0].replace("Saturday", "Satur\x00day")


def _check_long_line(export: Export, sources: list[str]) -> None:
    assert texts(export, 0)[-1] == LONG_WORD
    assert texts(export, 1)[-1] == LONG_WORD
    assert any(
        link["a"].startswith("d0.") and link["b"].startswith("d1.") for link in export["links"]
    )


def _check_many(export: Export, sources: list[str]) -> None:
    assert len(export["documents"]) == MANY
    assert {d["label"] for d in export["documents"]} == {f"outlet-{k:02d}" for k in range(MANY)}


def _check_twice(export: Export, sources: list[str]) -> None:
    assert len(export["documents"]) == 2
    for spans in export["spans"].values():
        assert [s["status"] for s in spans] == ["shared"]
    assert not export["divergences"]


def _check_scripts(export: Export, sources: list[str]) -> None:
    assert texts(export, 0) == SCRIPTS
    assert texts(export, 1) == SCRIPTS_REWRITE
    # Text without spaces still aligns: the Chinese paragraphs differ by one
    # character and are linked as altered, with the change marked.
    link = next(x for x in export["links"] if x["a"] == "d0.p0")
    assert (link["b"], link["status"]) == ("d1.p0", "altered")
    changed = [c for s in export["spans"]["d0.p0"] for c in s["changes"]]
    assert [CJK[a:b] for a, b in changed] == ["重新"]
    # Everything else is the same in both.
    assert all(s["status"] == "shared" for p in range(1, 7) for s in export["spans"][f"d0.p{p}"])


def _check_markdown(export: Export, sources: list[str]) -> None:
    kept = texts(export, 0)
    assert kept[0] == "Library reopens"
    assert export["documents"][0]["paragraphs"][0]["kind"] == "heading"
    assert any("lanterns" in t and "<div" not in t for t in kept)
    assert any("Saturday" in t and "2,500" in t for t in kept)
    assert "shelve --all --section=history" in kept
    assert "Volunteers carried 4,000 books back to the shelves." in kept


def _check_malformed(export: Export, sources: list[str]) -> None:
    text = all_text(export)
    for words in ("reopened on Saturday", "4,000 books", "electrical panel", "No one was hurt"):
        assert words in text


# --------------------------------------------------------------------------------- the cases

LONG_WORD = "x" * 2_000_000
"""A 2 MB line with no spaces (one paragraph, one word)."""
MANY = 24
"""Sources in the many-sources case."""


def _many(folder: Path) -> list[str]:
    sources = []
    for k in range(MANY):
        # Each outlet drops a different paragraph and adds one of its own.
        paragraphs = [p for i, p in enumerate(WIRE + REWRITE) if i != k % 8]
        paragraphs.append(f"Outlet {k} adds that the library cafe will serve soup number {k}.")
        sources.append(_write(folder, f"outlet-{k:02d}.txt", story(paragraphs)))
    return sources


@dataclass(frozen=True)
class Case:
    """One hostile input: how to make it and what must happen."""

    id: str
    what: str
    """The README's description of the input."""
    build: Callable[[Path], list[str]]
    """Writes the sources into a folder and returns them as given on the command line."""
    refused: str | None = None
    """For input that must be refused: part of the one-line problem."""
    check: Callable[[Export, list[str]], None] | None = None
    """For input that opens: what must hold of the JSON export."""
    outcome: str = ""
    """The README's description of what storylens does."""
    reader_keys: tuple[str, ...] = ("n", "n", "s", "escape", "N")
    """Keys pressed in the reader's test once it opens."""


CASES: list[Case] = [
    Case(
        "markup",
        "Rich/Textual markup, action links and HTML in the text and the file name",
        lambda f: [
            _write(
                f,
                "[b]Wire[i].txt",
                story([WIRE[0] + f" {MARKUP} {ACTION}", WIRE[1] + f" {LINK} {SCRIPT}", *WIRE[2:]]),
            ),
            _write(f, "rewrite.txt", story(REWRITE)),
        ],
        check=_check_markup,
        outcome="shown exactly as typed (text is never parsed as markup); escaped in HTML",
    ),
    Case(
        "escapes",
        "terminal escapes: CSI, OSC title and clipboard, C1 controls, BEL, backspaces",
        lambda f: _pair(f, story([*WIRE, ESCAPE_TEXT])),
        check=_check_escapes,
        outcome="kept in the model and the JSON; shown as visible stand-ins (␛ ␇ ␈, ␦ for C1), "
        "never sent to the terminal",
    ),
    Case(
        "cp1252",
        "legacy 8-bit encoding (Windows-1252 curly quotes and dashes)",
        lambda f: _pair(
            f, story([*WIRE[:2], "“Never the readers” — Ms. Ruiz’s words."]).encode("cp1252")
        ),
        check=_check_decoded([*WIRE[:2], "“Never the readers” — Ms. Ruiz’s words."]),
        outcome="encoding detected (charset-normalizer), text decoded exactly",
    ),
    Case(
        "koi8-r",
        "legacy Cyrillic encoding (KOI8-R)",
        lambda f: _pair(f, story(CYRILLIC).encode("koi8-r")),
        check=_check_decoded(CYRILLIC),
        outcome="encoding detected, text decoded exactly",
    ),
    Case(
        "utf-16",
        "UTF-16 little- and big-endian with a byte-order mark, and little-endian without",
        lambda f: [
            _write(f, "le.txt", story(WIRE).encode("utf-16")),
            _write(f, "be.txt", b"\xfe\xff" + story(WIRE).encode("utf-16-be")),
            _write(f, "nobom.txt", story(WIRE).encode("utf-16-le")),
        ],
        check=_check_same_paragraphs,
        outcome="decoded; the three give the same paragraphs",
    ),
    Case(
        "bom",
        "UTF-8 with a byte-order mark",
        lambda f: _pair(f, b"\xef\xbb\xbf" + story(WIRE).encode()),
        check=_check_decoded(WIRE),
        outcome="mark dropped, text unchanged",
    ),
    Case(
        "line-ends",
        "Windows (CRLF) and old Mac (CR) line ends",
        lambda f: [
            _write(f, "crlf.txt", story(WIRE, "\r\n")),
            _write(f, "cr.txt", story(WIRE, "\r")),
            _write(f, "lf.txt", story(WIRE)),
        ],
        check=_check_same_paragraphs,
        outcome="the same paragraphs as with LF",
    ),
    Case(
        "nul",
        "a stray NUL byte in a text",
        lambda f: _pair(f, story(WIRE).replace("Saturday", "Satur\x00day", 1)),
        check=_check_nul,
        outcome="kept, shown as ␀; a file with more NUL bytes than 1 in 1,000 is binary (below)",
    ),
    Case(
        "binary",
        "a binary file (an image named .txt)",
        lambda f: _pair(f, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "photo.txt"),
        refused="PNG image",
        outcome="refused: one line naming the file, exit status 2",
    ),
    Case(
        "empty",
        "an empty file",
        lambda f: _pair(f, b"", "empty.txt"),
        refused="is empty",
        outcome="refused: one line, exit status 2",
    ),
    Case(
        "whitespace",
        "a file of only spaces and newlines",
        lambda f: _pair(f, " \n\t\n\r\n   \n", "blank.txt"),
        refused="only whitespace",
        outcome="refused: one line, exit status 2",
    ),
    Case(
        "long-line",
        "a 2 MB line with no spaces",
        lambda f: [
            _write(f, "long-a.txt", story([*WIRE, LONG_WORD])),
            _write(f, "long-b.txt", story([*REWRITE, LONG_WORD])),
        ],
        check=_check_long_line,
        outcome="one paragraph of one word; compared and shown (wrapped) like any other",
        reader_keys=("n", "end", "home"),
    ),
    Case(
        "30mb",
        "30 MB of text in one file",
        lambda f: _pair(f, b"word " * (6 * 1024 * 1024), "huge.txt"),
        refused="over the 10 MB limit for one source",
        outcome="refused before it is read (10 MB per source, 32 MB in all; "
        "--max-source-mb / --max-total-mb raise the limits)",
    ),
    Case(
        "24-sources",
        "24 sources",
        _many,
        check=_check_many,
        outcome="all compared; the reader pages through the panes (< >, 1-9, c)",
        reader_keys=("n", ">", ">", "<", "1"),
    ),
    Case(
        "twice",
        "the same file given twice",
        lambda f: [_write(f, "same.txt", story(WIRE))] * 2,
        check=_check_twice,
        outcome="accepted: two identical outlets, everything shared",
    ),
    Case(
        "scripts",
        "CJK, right-to-left, combining characters, emoji and zero-width characters",
        lambda f: [_write(f, "a.txt", story(SCRIPTS)), _write(f, "b.txt", story(SCRIPTS_REWRITE))],
        check=_check_scripts,
        outcome="compared (text without spaces by character); every pane edge where it "
        "belongs; zero-width characters, joiners between emoji and bidi overrides shown "
        "as visible stand-ins",
    ),
    Case(
        "markdown",
        "Markdown with raw HTML, a table and a code block",
        lambda f: _pair(f, MARKDOWN, "story.md"),
        check=_check_markdown,
        outcome="HTML tags left out (their text kept), table rows and code kept as paragraphs",
    ),
    Case(
        "malformed-html",
        "malformed HTML (unclosed tags, stray end tags, bad entities)",
        lambda f: _pair(f, MALFORMED_HTML, "page.html"),
        check=_check_malformed,
        outcome="the article text extracted; the rest of the page set aside",
    ),
    Case(
        "missing",
        "a path that does not exist",
        lambda f: [str(f / "nowhere.txt"), _write(f, "rewrite.txt", story(REWRITE))],
        refused="no such file",
        outcome="refused: one line, exit status 2",
    ),
    Case(
        "directory",
        "a directory",
        lambda f: [str(f), _write(f, "rewrite.txt", story(REWRITE))],
        refused="is a directory",
        outcome="refused: one line, exit status 2",
    ),
]

UNREADABLE = Case(
    "unreadable",
    "a file that cannot be read (permission denied)",
    lambda f: _pair(f, story(WIRE), "locked.txt"),
    refused="permission denied",
    outcome="refused: one line, exit status 2",
)
"""Tested apart: the refusal is simulated, since tests may run as root."""


def refuse_reading(monkeypatch: Any, source: str) -> None:
    """Make opening *source* fail with "permission denied" (tests may run as root, who
    may read any file, so the refusal is simulated where the loader opens it)."""
    real = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if str(self) == source:
            raise PermissionError(13, "Permission denied")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)


def case_ids() -> list[str]:
    """The ids of every case, for test parametrisation."""
    return [case.id for case in CASES]


def readme_table() -> str:
    """The README's table of hostile inputs, made from the catalogue."""
    rows = ["| input | what storylens does | test id |", "| --- | --- | --- |"]
    for case in [*CASES, UNREADABLE]:
        rows.append(f"| {case.what} | {case.outcome} | `{case.id}` |")
    return "\n".join(rows)


def dump(export: Export) -> str:
    """An export as indented JSON, for failure messages."""
    return json.dumps(export, ensure_ascii=False, indent=1)[:2000]
