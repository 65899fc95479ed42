"""Hypothesis strategies for sources: raw bytes, and text built from the pieces pages are made of.

All the words and lines here are invented for these tests.
"""

from __future__ import annotations

from hypothesis import strategies as st

__all__ = [
    "BOILERPLATE",
    "CONTROLS",
    "ENCODINGS",
    "HTML_PIECES",
    "MARKDOWN_PIECES",
    "WORDS",
    "any_text",
    "encoded",
    "long_line",
    "meta_charset_page",
    "structured_text",
]

WORDS = (
    "harbour",
    "ferry",
    "Lowmere",
    "council",
    "voted",
    "Tuesday",
    "repairs",
    "1.8",
    "40",
    "co-",
    "operate",
    "well-",
    "known",
    "café",
    "naïve",
    "Zürich",
    "Ålesund",
    "Ελλάδα",
    "Москва",
    "東京",
    "it\u2019s",
    "\u201cquoted\u201d",
    "\u2014",
    "said.",
    "said,",
    "end.",
    "Why?",
    "(Jane Roe/Example Press)",
)

MARKDOWN_PIECES = (
    "# ",
    "## ",
    "###### ",
    "> ",
    "- ",
    "* ",
    "+ ",
    "1. ",
    "2) ",
    "```",
    "~~~",
    "    ",
    "**",
    "__",
    "*",
    "_",
    "`",
    "[",
    "]",
    "(",
    ")",
    "![",
    "](http://example.invalid/a-page)",
    "[link][ref]",
    '[ref]: http://example.invalid/ref "A title"',
    "<http://example.invalid/auto>",
    "---",
    "===",
    "...",
    "| one | two |",
    "|---|---|",
    "title: A front matter title",
    "<div>",
    "</div>",
    "<span class='x'>",
    "</span>",
    "<!--",
    "-->",
    "<br>",
    "&amp;",
    "&#65;",
    "&copy;",
    "&bogus;",
    "\\",
    "<",
    ">",
    "1 < 2 and 3 > 2",
)

HTML_PIECES = (
    "<!doctype html>",
    "<?xml version='1.0' encoding='utf-8'?>",
    "<html>",
    "</html>",
    "<head>",
    "</head>",
    "<title>",
    "</title>",
    '<meta charset="utf-8">',
    '<meta property="og:site_name" content="The Lakeside Courier">',
    "<body>",
    "</body>",
    "<article>",
    "</article>",
    "<main>",
    "<nav>",
    "</nav>",
    "<div>",
    "</div>",
    "<p>",
    "</p>",
    "<h1>",
    "</h1>",
    "<h2>",
    "<ul><li>",
    "</li><li>",
    "</li></ul>",
    "<table><tr><td>",
    "</td><td>",
    "</td></tr></table>",
    "<pre>",
    "</pre>",
    "<blockquote>",
    "</blockquote>",
    "<script>",
    "</script>",
    "<style>",
    "</style>",
    "<noscript>",
    "<svg>",
    "</svg>",
    "<template>",
    "<select><option>",
    "<b>",
    "</b>",
    "<a href='/x'>",
    "</a>",
    "<br>",
    "<br/>",
    "<hr>",
    "<img alt='a picture'>",
    "<!--",
    "-->",
    "<!---->",
    "<?pi data?>",
    "&nbsp;",
    "&amp;",
    "&#8212;",
    "<",
    ">",
    "</",
)

BOILERPLATE = (
    "Advertisement",
    "[ad_1]",
    "[ad_2]Source link",
    "Share this",
    "Tweet",
    "Email",
    "Posted: Mar 3, 2024 9:15 AM",
    "Updated: Mar 3, 2024 11:02 AM",
    "March 3, 2024",
    "72°F",
    "Mostly cloudy",
    "Humidity: 80%",
    "Comments",
    "12 comments",
    "Community events",
    "Read more: Ferry fares rise again",
    "Related:",
    "Click here to subscribe",
    "By Jane Roe and Ola Nordmann, The Example Gazette",
    "Source: The Lakeside Courier",
    "Source: example.invalid",
    "© 2024 The Example Gazette. All rights reserved.",
    "(Reporting by Jane Roe; Editing by John Doe)",
    "Kari Holm contributed reporting.",
    "Example TV's Nils Aron has more.",
    "The Example GazetteTruth Before Speed",
    "The Example Gazette | Truth Before Speed",
    "The Example Gazette",
    "Sign up for our newsletter",
    "Photo: Jane Roe",
    "Passengers wait on the quay. (Jane Roe/Example Press)",
    "Watch:",
    "-----",
    "***",
    "The council voted on Tuesday to close the harbour for repairs, the mayor said.",
)

CONTROLS = (
    "\x00",
    "\x01",
    "\x07",
    "\r",
    "\r\n",
    "\x0b",
    "\x0c",
    "\x1b[31m",
    "\x1c",
    "\x1f",
    "\x7f",
    "\x85",
    "\x9b",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\u200b",
    "\xa0",
    "\t",
)

ENCODINGS = (
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "utf-32",
    "utf-32-le",
    "cp1252",
    "latin-1",
    "iso8859-2",
    "koi8-r",
    "cp1251",
    "shift_jis",
    "utf-7",
)

# Names a page may declare in <meta charset>, real, odd and not text codecs at all.
CHARSETS = (
    "utf-8",
    "iso-8859-1",
    "windows-1252",
    "koi8-r",
    "utf-16",
    "utf-7",
    "idna",
    "punycode",
    "undefined",
    "base64",
    "rot13",
    "unicode_escape",
    "raw_unicode_escape",
    "zlib",
    "x-no-such-charset",
)

REPEATED = (
    "[",
    "[a",
    "*",
    "**a",
    "_",
    "<",
    "<!---->",
    "<!-- -->",
    "<p>",
    "</p>",
    "<a>",
    "# ",
    "-",
    "a-",
    "(",
    "&",
    "\\",
    "`",
    "|",
    "a ",
    "A ",
    "a\n",
    "\n",
)
"""Short pieces that a very long line is made of."""

_SPACE = st.sampled_from((" ", " ", "\n", "\n\n", "\t", "  "))

piece = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(WORDS),
    _SPACE,
    _SPACE,
    st.sampled_from(MARKDOWN_PIECES),
    st.sampled_from(HTML_PIECES),
    st.sampled_from(BOILERPLATE).map(lambda line: f"\n{line}\n"),
    st.sampled_from(CONTROLS),
    st.text(max_size=4),
)
"""One piece of a source: a word, some space, a bit of markup, a boilerplate line…"""

structured_text = st.lists(piece, max_size=60).map("".join)
"""Text made of the pieces Markdown, HTML, boilerplate and plain prose are made of."""

any_text = st.one_of(structured_text, st.text(max_size=300))
"""Structured text, or any text at all (Hypothesis never generates lone surrogates here)."""


@st.composite
def encoded(draw: st.DrawFn) -> bytes:
    """Text encoded in one of :data:`ENCODINGS` (what does not fit is left out)."""
    text = draw(any_text)
    encoding = draw(st.sampled_from(ENCODINGS))
    data = text.encode(encoding, errors="ignore")
    if draw(st.booleans()):
        return data
    # Stray bytes pasted in somewhere: a byte of another code page, a cut sequence.
    at = draw(st.integers(0, len(data)))
    stray = draw(st.binary(min_size=1, max_size=3))
    return data[:at] + stray + data[at:]


@st.composite
def long_line(draw: st.DrawFn) -> str:
    """Some text, then a very long line made of one piece repeated, then more text."""
    # Short markup repeated is what makes a regular expression backtrack.
    chunk = draw(st.one_of(st.sampled_from(REPEATED), piece.filter(bool)))
    size = draw(st.integers(1_000, 60_000))
    line = chunk * max(1, size // len(chunk))
    return draw(structured_text) + line + draw(_SPACE) + draw(structured_text)


@st.composite
def meta_charset_page(draw: st.DrawFn) -> bytes:
    """An HTML page that declares a charset, with a body that may not be UTF-8."""
    charset = draw(st.sampled_from(CHARSETS))
    quote = draw(st.sampled_from(('"', "'", "")))
    head = f"<html><head><meta charset={quote}{charset}{quote}></head><body><p>"
    body = draw(structured_text)
    tail = "</p></body></html>"
    encoding = draw(st.sampled_from(("utf-8", "cp1252", "koi8-r")))
    return (head + body + tail).encode(encoding, errors="ignore")
