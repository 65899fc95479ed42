"""A self-contained HTML report of a comparison (``storylens export --format html``).

One file, no external requests: the CSS is inline, there are no fonts, scripts
or images from anywhere, and a Content-Security-Policy forbids fetching any.
The page is static HTML; its two switches (colour-blind palette, fold the rows
every outlet shares) are CSS checkboxes, so it works with scripts turned off.

What the page shows, top to bottom: the summary (each outlet's share of shared,
altered and unique text, divergences by type, set-aside boilerplate), the
legend, where each version came from (when :mod:`storylens.core.derivation` is
there), the outlets side by side in aligned rows, the divergences in reading
order, named entities, quotes and the set-aside text.

The encoding is the reader's: shared text is grey with ``│`` in the gutter,
altered text amber with ``≈`` and its changed words bold and underlined
(``<mark>``), unique text green and bold with ``+`` (``<strong>``), a moved
paragraph says ``↔`` where the others carry it, with links; a gap is hatched.
Glyphs and weight carry the meaning without colour.

All article text (and every label, title and source name) is untrusted: control
and bidirectional-override characters become visible stand-ins and the rest is
HTML-escaped. The page is built as a list of strings and written once; its size
and the time to build it grow linearly with the text (and with the links a
moved paragraph has).
"""

from __future__ import annotations

import html
import importlib
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import BinaryIO, Protocol

from .. import __version__
from ..core.model import Comparison, Divergence, Quote, SetAside, Span
from ..core.quotes import quote_word_diff
from ..core.summary import document_shares

__all__ = [
    "DIVERGENCE_GLYPHS",
    "STATUS_GLYPHS",
    "counted",
    "html_report",
    "load_derivation",
    "safe_text",
    "write_html",
]

STATUS_GLYPHS = {"shared": "│", "altered": "≈", "unique": "+", "heading": "#", "aside": "·"}
"""The gutter glyph of a paragraph by status, as in the reader."""

DIVERGENCE_GLYPHS = {"unique": "+", "altered": "≈", "omitted": "∅", "moved": "↔", "quote": "❝"}
"""A glyph per divergence type, for the row gutter and the lists."""

DIVERGENCE_WORDS = {
    "unique": "unique text",
    "altered": "altered text",
    "omitted": "omitted content",
    "moved": "moved paragraph",
    "quote": "changed quote",
}
"""How the report names each divergence type."""

_COUNTED = {
    "unique": ("unique passage", "unique passages"),
    "altered": ("altered passage", "altered passages"),
    "omitted": ("omission", "omissions"),
    "moved": ("moved paragraph", "moved paragraphs"),
    "quote": ("changed quote", "changed quotes"),
}


def counted(kind: str, n: int) -> str:
    """'3 moved paragraphs': a count of divergences of one type, in words."""
    one, many = _COUNTED.get(kind, (kind, kind))
    return f"{n} {one if n == 1 else many}"


# -- untrusted text ------------------------------------------------------------------

_BIDI = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
"""Marks and overrides that reorder the text around them (a "Trojan source" trick)."""


def _stand_in(code: int) -> str:
    if code < 0x20:
        return chr(0x2400 + code)  # the control pictures: ␀ … ␛ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"  # C1 controls and bidi controls have no pictures


_STAND_INS: dict[int, str] = {
    code: _stand_in(code)
    for code in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), *_BIDI)
    if code not in (0x09, 0x0A)
}
_SURROGATES = {code: "\ufffd" for code in range(0xD800, 0xE000)}
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def safe_text(text: str) -> str:
    r"""Return *text* with control, bidi-override and lone surrogate characters made visible.

    C0 controls except ``\n`` and ``\t`` become control pictures (ESC → ``␛``),
    DEL becomes ``␡``, C1 controls and bidirectional controls become
    ``<U+202E>``-style tags, lone surrogates become ``�``. Nothing is escaped
    for HTML or Markdown here: the writers do that next.

    >>> safe_text("red \x1b[31mtext\u202e")
    'red ␛[31mtext<U+202E>'
    """
    if _UNSAFE.search(text) is None:
        return text
    return text.translate(_STAND_INS).translate(_SURROGATES)


def _esc(text: str) -> str:
    """Untrusted text as HTML character data or an attribute value."""
    return html.escape(safe_text(text), quote=True)


# -- facts the writers share -----------------------------------------------------------


def _pct(share: float) -> str:
    return f"{share:.0%}"


def _doc_order(doc_id: str) -> int:
    return int(doc_id[1:]) if doc_id[1:].isdigit() else 0


# -- the derivation matrix (an optional engine module) -----------------------------------


class _Derivation(Protocol):
    """What the report reads from ``storylens.core.derivation.derivation(comparison)``."""

    @property
    def shared(self) -> Mapping[tuple[str, str], float]:
        """(a, b) → share of a's text found word for word in b."""

    @property
    def altered(self) -> Mapping[tuple[str, str], float]:
        """(a, b) → share of a's text found reworded in b."""

    @property
    def findings(self) -> Sequence[str]:
        """Plain-English sentences about who took from whom."""


def load_derivation() -> Callable[[Comparison], _Derivation] | None:
    """The engine's ``derivation`` function, or None while that module does not exist."""
    name = __name__.rsplit(".", 2)[0] + ".core.derivation"
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name == name:
            return None
        raise  # the module is there but something it needs is not: say so
    function: Callable[[Comparison], _Derivation] = module.derivation
    return function


# -- the page ------------------------------------------------------------------------

CSS = """
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1f2328; --soft: #59636e; --panel: #f6f8fa; --line: #d0d7de;
  --head: #eaeef2; --link: #0860c7;
  --shared: #57606a; --altered: #8a5300; --altered-mark: #ffe9a8; --altered-accent: #bf8700;
  --unique: #116329; --unique-accent: #1a7f37; --moved: #8250df; --moved-accent: #8250df;
  --aside: #6e7781; --hatch: #c4cbd3; --heat: 9 105 218; --current: #fff8c5;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #16181c; --fg: #e6edf3; --soft: #9198a1; --panel: #1f2328; --line: #3d444d;
    --head: #262c33; --link: #6cb6ff;
    --shared: #9198a1; --altered: #e3b341; --altered-mark: rgb(227 179 65 / 0.28);
    --altered-accent: #e3b341; --unique: #56d364; --unique-accent: #56d364;
    --moved: #bc8cff; --moved-accent: #bc8cff; --aside: #8b949e; --hatch: #3d444d;
    --heat: 84 174 255; --current: #3b2e00;
  }
}
/* Okabe–Ito: stays distinct for the common colour-vision deficiencies. */
#cb:checked ~ .page {
  --altered: #996100; --altered-accent: #e69f00; --altered-mark: rgb(230 159 0 / 0.30);
  --unique: #0072b2; --unique-accent: #56b4e9; --moved: #a4487c; --moved-accent: #cc79a7;
}
@media (prefers-color-scheme: dark) {
  #cb:checked ~ .page {
    --altered: #e69f00; --unique: #56b4e9; --moved: #cc79a7; --shared: #bbbbbb;
  }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--fg); }
body {
  margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans",
  "DejaVu Sans", sans-serif; background: var(--bg); color: var(--fg);
}
.page { max-width: none; padding: 1.25rem 1.5rem 3rem; }
a { color: var(--link); }
h1 { font-size: 1.55rem; line-height: 1.25; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .6rem; padding-bottom: .25rem;
  border-bottom: 1px solid var(--line); }
.sub { color: var(--soft); margin: 0 0 .75rem; }
nav.toc { display: flex; flex-wrap: wrap; gap: .25rem 1rem; margin: .5rem 0; font-size: .92rem; }
.switches { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; margin: .5rem 0 0; }
.switches label { cursor: pointer; user-select: none; padding: .15rem .5rem;
  border: 1px solid var(--line); border-radius: 4px; background: var(--panel); }
.switches label::before { content: "☐ "; }
#cb:checked ~ .page label[for="cb"]::before,
#fold:checked ~ .page label[for="fold"]::before { content: "☑ "; }
#cb:focus-visible ~ .page label[for="cb"],
#fold:focus-visible ~ .page label[for="fold"] { outline: 2px solid var(--link); }
.toggle { position: absolute; opacity: 0; width: 1px; height: 1px; }
#fold:checked ~ .page tr.same { display: none; }
#fold:checked ~ .page .fold-note { display: block; }
.fold-note { display: none; color: var(--soft); font-style: italic; }
.g { font-family: "DejaVu Sans Mono", "Liberation Mono", ui-monospace, monospace;
  font-weight: 700; }
.scroll { overflow-x: auto; max-width: 100%; }
table.data { border-collapse: collapse; font-size: .92rem; }
table.data th, table.data td { border: 1px solid var(--line); padding: .3rem .55rem;
  text-align: left; vertical-align: top; }
table.data thead th { background: var(--head); }
table.data td.n, table.data th.n { text-align: right; font-variant-numeric: tabular-nums; }
table.data td.absent { color: var(--soft); text-align: center; }
table.data .nw { white-space: nowrap; }
.bar { display: inline-flex; width: 9rem; height: .7rem; border: 1px solid var(--line);
  vertical-align: middle; margin-right: .4rem; }
.bar span { display: block; height: 100%; }
.bar .bs { background: var(--hatch); }
.bar .ba { background: var(--altered-accent); }
.bar .bu { background: var(--unique-accent); }
.shares { white-space: nowrap; font-variant-numeric: tabular-nums; }
.shares .s { color: var(--shared); } .shares .a { color: var(--altered); }
.shares .u { color: var(--unique); font-weight: 700; }
.counts { display: flex; flex-wrap: wrap; gap: .4rem .9rem; padding: 0; margin: .6rem 0;
  list-style: none; }
.counts li { padding: .15rem .5rem; border: 1px solid var(--line); border-radius: 4px; }
.legend { display: flex; flex-wrap: wrap; gap: .4rem 1.1rem; padding: .5rem .75rem; margin: .6rem 0;
  list-style: none; border: 1px solid var(--line); border-radius: 6px; background: var(--panel);
  font-size: .92rem; }
.legend .swatch-gap { display: inline-block; width: 2.2rem; height: 1rem; vertical-align: middle;
  border: 1px solid var(--line); }
.gridwrap { overflow: auto; max-height: calc(100vh - 1rem); border: 1px solid var(--line);
  border-radius: 6px; }
table.grid { border-collapse: separate; border-spacing: 0; table-layout: fixed;
  width: max(100%, calc(var(--n) * 18rem + 4.5rem)); font-size: .93rem; line-height: 1.48; }
table.grid col.rowno { width: 4.5rem; }
table.grid thead th { position: sticky; top: 0; z-index: 2; background: var(--head);
  text-align: left; vertical-align: bottom; padding: .4rem .6rem;
  border-bottom: 2px solid var(--line); border-right: 1px solid var(--line); font-weight: 600; }
table.grid thead th .shares { display: block; font-weight: 400; font-size: .82rem; }
table.grid thead th.rowno { left: 0; z-index: 3; }
table.grid tbody th.rowno { position: sticky; left: 0; z-index: 1; background: var(--panel);
  text-align: right; vertical-align: top; padding: .4rem .45rem; font-weight: 400;
  border-right: 1px solid var(--line); border-bottom: 1px solid var(--line); font-size: .82rem; }
table.grid tbody th.rowno a { color: var(--soft); text-decoration: none; }
table.grid tbody th.rowno .kinds { display: block; letter-spacing: .08em; color: var(--fg); }
table.grid td { vertical-align: top; padding: .4rem .6rem .5rem;
  border-right: 1px solid var(--line); border-bottom: 1px solid var(--line);
  overflow-wrap: anywhere; }
table.grid tr:target > *, table.grid td:has(.p:target) { background: var(--current); }
.gap { background:
  repeating-linear-gradient(-45deg, transparent 0 7px, var(--hatch) 7px 8px); }
.vh { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
.p { display: grid; grid-template-columns: 1.15rem 1fr; margin: 0 0 .5rem; }
.p:last-child { margin-bottom: 0; }
.p > .g { user-select: none; }
.p > .t { white-space: pre-line; min-width: 0; }
.p.h > .t { font-weight: 700; font-size: 1.02rem; }
.p.st-shared > .g { color: var(--shared); }
.p.st-altered > .g { color: var(--altered-accent); }
.p.st-unique > .g { color: var(--unique-accent); }
.p.h > .g { color: var(--fg); }
.p:target { outline: 2px solid var(--link); outline-offset: 2px; }
table.grid tr, .p { scroll-margin-top: 4.5rem; scroll-margin-left: 5rem; }
.s { color: var(--shared); }
.a { color: var(--altered); }
strong.u { color: var(--unique); font-weight: 700; }
mark { background: var(--altered-mark); color: var(--altered); font-weight: 700;
  text-decoration: underline; text-decoration-thickness: 2px; text-underline-offset: 2px; }
.gi { font-family: "DejaVu Sans Mono", ui-monospace, monospace; font-weight: 700; font-size: .8em;
  user-select: none; padding: 0 .12em; }
.gi.a { color: var(--altered-accent); } .gi.u { color: var(--unique-accent); }
.gi.s { color: var(--shared); }
.moved { display: grid; grid-template-columns: 1.15rem 1fr; color: var(--moved); font-style: italic;
  font-size: .88rem; margin: -.2rem 0 .55rem; }
.moved > .g { font-style: normal; color: var(--moved-accent); }
.moved a { color: var(--moved); }
details.aside { color: var(--aside); font-style: italic; font-size: .85rem; margin: 0 0 .4rem; }
details.aside summary { cursor: pointer; }
details.aside div { white-space: pre-line; padding-left: 1.15rem; }
.flag { display: inline-block; font-size: .78rem; font-weight: 700; padding: 0 .35rem;
  border: 1px solid var(--altered-accent); border-radius: 3px; color: var(--altered);
  font-style: normal; }
table.heat td.cell { text-align: center; min-width: 5.5rem;
  background: rgb(var(--heat) / calc(var(--h) * 0.55)); }
table.heat td.cell b { display: block; font-size: 1rem; }
table.heat td.cell small { color: var(--fg); opacity: .85; white-space: nowrap; }
table.heat td.self { color: var(--soft); text-align: center; background: var(--panel); }
ol.wordings { margin: 0; padding-left: 0; list-style: none; }
ol.wordings li { margin: 0 0 .3rem; }
ol.wordings .who { font-weight: 600; }
del { color: var(--soft); text-decoration-thickness: 2px; }
ins { color: var(--altered); font-weight: 700; text-decoration: underline;
  text-decoration-thickness: 2px; background: var(--altered-mark); }
.status-altered { color: var(--altered); font-weight: 700; }
.status-unique { color: var(--unique); font-weight: 700; }
.status-shared { color: var(--shared); }
.note { color: var(--soft); font-size: .9rem; }
footer { margin-top: 2.5rem; color: var(--soft); font-size: .85rem; }
@media print {
  .toggle, .switches { display: none; }
  .gridwrap { max-height: none; overflow: visible; }
  table.grid thead th, table.grid tbody th.rowno { position: static; }
}
"""

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; "
    "base-uri 'none'; form-action 'none'"
)
"""Forbid every fetch: the report must not reach out, whatever its text says."""


class _Report:
    """Builds the page as a list of strings (one join at the end)."""

    def __init__(self, comparison: Comparison) -> None:
        self.c = comparison
        self.docs = comparison.documents
        self.labels = {d.id: d.label for d in self.docs}
        self.elabels = {d.id: _esc(d.label) for d in self.docs}
        self.numbers = {d.id: n + 1 for n, d in enumerate(self.docs)}
        self.row_of = comparison.row_of_paragraph
        self.moves = comparison.moves
        self.shares = document_shares(comparison)
        self.same = {row.id for row in comparison.rows if self._all_shared(row.cells)}
        """Rows every outlet carries word for word, nothing moved: what folding hides."""
        self.out: list[str] = []

    # -- the whole page ------------------------------------------------------------

    def build(self) -> str:
        """Return the page."""
        w = self.out.append
        title = next((d.title for d in self.docs if d.title), None) or "one story"
        w('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n')
        w(f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n')
        w('<meta name="viewport" content="width=device-width, initial-scale=1">\n')
        w('<meta name="referrer" content="no-referrer">\n')
        w(f'<meta name="generator" content="storylens {_esc(__version__)}">\n')
        w(f"<title>storylens: {_esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n")
        w('<input type="checkbox" id="cb" class="toggle" aria-label="colour-blind palette">\n')
        w(
            '<input type="checkbox" id="fold" class="toggle" '
            'aria-label="fold the rows every outlet shares">\n'
        )
        w('<div class="page">\n<header>\n')
        w(f"<h1>{_esc(title)}</h1>\n")
        w(
            f'<p class="sub">{len(self.docs)} versions of one story compared by storylens '
            f"{_esc(__version__)}: {len(self.c.rows)} aligned rows, "
            f"{len(self.c.divergences)} divergences.</p>\n"
        )
        derive = load_derivation()
        sections = [
            ("summary", "Summary"),
            *([("derivation", "Where each version came from")] if derive else []),
            ("legend", "Legend"),
            ("grid", "Side by side"),
            ("divergences", "Divergences"),
            ("entities", "Named entities"),
            ("quotes", "Quotes"),
            ("set-aside", "Set-aside text"),
        ]
        w('<nav class="toc" aria-label="sections">')
        w("".join(f'<a href="#{key}">{name}</a>' for key, name in sections))
        w("</nav>\n")
        n = len(self.same)
        fold = (
            f'<label for="fold">fold the {n} row{"s" if n != 1 else ""} every outlet shares</label>'
            if n
            else ""  # nothing to fold: no switch
        )
        w(f'<div class="switches"><label for="cb">colour-blind palette</label>{fold}</div>\n')
        w("</header>\n<main>\n")
        self.summary()
        if derive is not None:
            self.derivation(derive(self.c))
        self.legend()
        self.grid()
        self.divergences()
        self.entities()
        self.quotes()
        self.set_aside()
        w("</main>\n")
        w(
            "<footer>Made by storylens from the texts as given; article text is shown as text, "
            "never run. Offsets and ids are those of the JSON export "
            "(<code>storylens export --format json</code>).</footer>\n"
        )
        w("</div>\n</body>\n</html>\n")
        return "".join(self.out)

    # -- pieces --------------------------------------------------------------------

    def _who(self, doc_id: str) -> str:
        """'3 Label' for an outlet, escaped."""
        return f'<span class="g">{self.numbers.get(doc_id, "?")}</span> {self.elabels[doc_id]}'

    def _shares(self, doc_id: str) -> str:
        s = self.shares.get(doc_id, {"shared": 0.0, "altered": 0.0, "unique": 0.0})
        return (
            f'<span class="shares"><span class="s">│ {_pct(s["shared"])} shared</span> '
            f'<span class="a">≈ {_pct(s["altered"])} altered</span> '
            f'<span class="u">+ {_pct(s["unique"])} unique</span></span>'
        )

    def _shares_short(self, doc_id: str) -> str:
        s = self.shares.get(doc_id, {"shared": 0.0, "altered": 0.0, "unique": 0.0})
        words = (
            f"{_pct(s['shared'])} shared, {_pct(s['altered'])} altered, {_pct(s['unique'])} unique"
        )
        return (
            f'<span class="shares" title="{words}"><span class="s">│ {_pct(s["shared"])}</span> '
            f'<span class="a">≈ {_pct(s["altered"])}</span> '
            f'<span class="u">+ {_pct(s["unique"])}</span></span>'
        )

    def _bar(self, doc_id: str) -> str:
        s = self.shares.get(doc_id, {"shared": 0.0, "altered": 0.0, "unique": 0.0})
        return (
            '<span class="bar" aria-hidden="true">'
            f'<span class="bs" style="width:{s["shared"] * 100:.1f}%"></span>'
            f'<span class="ba" style="width:{s["altered"] * 100:.1f}%"></span>'
            f'<span class="bu" style="width:{s["unique"] * 100:.1f}%"></span></span>'
        )

    def summary(self) -> None:
        """Outlets with their shares, divergences by type, set-aside count."""
        w = self.out.append
        w('<section id="summary">\n<h2>Summary</h2>\n<div class="scroll">')
        w(
            '<table class="data outlets"><thead><tr><th scope="col">outlet</th>'
            '<th scope="col">headline</th><th scope="col">source</th>'
            '<th scope="col" class="n">paragraphs</th><th scope="col">its text</th>'
            '<th scope="col" class="n">set aside</th></tr></thead>\n<tbody>\n'
        )
        for d in self.docs:
            w(
                f'<tr><th scope="row"><a href="#col-{d.id}">{self._who(d.id)}</a></th>'
                f"<td>{_esc(d.title or '')}</td><td><code>{_esc(d.source)}</code></td>"
                f'<td class="n">{len(d.paragraphs)}</td>'
                f"<td>{self._bar(d.id)}{self._shares(d.id)}</td>"
                f'<td class="n">{len(d.set_aside)}</td></tr>\n'
            )
        w("</tbody></table></div>\n")
        counts: Counter[str] = Counter(d.type for d in self.c.divergences)
        w('<ul class="counts" aria-label="divergences by type">')
        for kind, glyph in DIVERGENCE_GLYPHS.items():
            n, _, words = counted(kind, counts[kind]).partition(" ")
            w(f'<li><span class="g">{glyph}</span> <b>{n}</b> {words}</li>')
        aside = sum(len(d.set_aside) for d in self.docs)
        w(
            f'<li><span class="g">·</span> <b>{aside}</b> stretch{"es" if aside != 1 else ""}'
            " of boilerplate set aside</li>"
        )
        w("</ul>\n</section>\n")

    def legend(self) -> None:
        """The reader's encoding: colour, glyph and weight together."""
        self.out.append(
            '<section id="legend">\n<h2>Legend</h2>\n<ul class="legend">'
            '<li><span class="g s">│</span> <span class="s">shared: the same words'
            " elsewhere</span></li>"
            '<li><span class="g" style="color:var(--altered-accent)">≈</span> '
            '<span class="a">altered: reworded elsewhere, the <mark>changed words</mark>'
            " marked</span></li>"
            '<li><span class="g" style="color:var(--unique-accent)">+</span> '
            '<strong class="u">unique: only this outlet</strong></li>'
            '<li><span class="moved" style="display:inline;margin:0">'
            '<span class="g">↔</span> moved: another outlet placed it elsewhere (links)</span>'
            "</li>"
            '<li><span class="g">#</span> <b>heading</b></li>'
            '<li><span class="swatch-gap gap"></span> nothing here in this outlet</li>'
            '<li><span class="g">∅</span> omitted: some outlets leave it out</li>'
            '<li><span class="g">❝</span> a quote worded differently</li>'
            '<li><span class="g">·</span> <i>set-aside boilerplate</i></li>'
            '<li><span class="flag">number</span> <span class="flag">name</span> '
            '<span class="flag">negation</span> what an altered passage changed</li>'
            "</ul>\n</section>\n"
        )

    def derivation(self, result: _Derivation) -> None:
        """The heat map of who reuses whose text, and the findings."""
        w = self.out.append

        def value(table: Mapping[tuple[str, str], float], a: str, b: str) -> float | None:
            got = table.get((a, b))
            if got is None:
                got = table.get((self.labels[a], self.labels[b]))
            return got

        w('<section id="derivation">\n<h2>Where each version came from</h2>\n')
        w(
            '<p class="note">Each cell: how much of the <b>row</b> outlet’s text is found in the '
            "<b>column</b> outlet, word for word (│) and reworded (≈). "
            "Darker means more.</p>\n"
        )
        w(
            '<div class="scroll"><table class="data heat"><thead><tr><th scope="col">text of ↓ '
            "found in →</th>"
        )
        for d in self.docs:
            w(f'<th scope="col">{self._who(d.id)}</th>')
        w("</tr></thead>\n<tbody>\n")
        for a in self.docs:
            w(f'<tr><th scope="row">{self._who(a.id)}</th>')
            for b in self.docs:
                if a.id == b.id:
                    w('<td class="self">—</td>')
                    continue
                shared = value(result.shared, a.id, b.id)
                altered = value(result.altered, a.id, b.id)
                if shared is None and altered is None:
                    w('<td class="self">?</td>')
                    continue
                s, al = shared or 0.0, altered or 0.0
                total = max(0.0, min(1.0, s + al))
                w(
                    f'<td class="cell" style="--h:{total:.3f}" '
                    f'title="{_esc(a.label)} in {_esc(b.label)}: {_pct(s)} shared, '
                    f'{_pct(al)} altered"><b>{_pct(total)}</b>'
                    f"<small>│ {_pct(s)} ≈ {_pct(al)}</small></td>"
                )
            w("</tr>\n")
        w("</tbody></table></div>\n")
        findings = list(result.findings)
        if findings:
            w('<ul class="findings">')
            w("".join(f"<li>{_esc(finding)}</li>" for finding in findings))
            w("</ul>\n")
        else:
            w('<p class="note">No outlet stands out as taken from another.</p>\n')
        w("</section>\n")

    # -- the side-by-side grid ---------------------------------------------------------

    def _aside_places(self) -> dict[tuple[int, str], dict[str, list[SetAside]]]:
        """(row index, doc) → paragraph id (or "" for before the first) → set-aside items."""
        out: dict[tuple[int, str], dict[str, list[SetAside]]] = {}
        for doc in self.docs:
            if not doc.paragraphs:
                continue
            for entry in doc.set_aside:
                if entry.after < 0:
                    pid, key = doc.paragraphs[0].id, ""
                else:
                    pid = doc.paragraphs[min(entry.after, len(doc.paragraphs) - 1)].id
                    key = pid
                row = self.row_of.get(pid)
                if row is not None:
                    out.setdefault((row, doc.id), {}).setdefault(key, []).append(entry)
        return out

    def _paragraph(self, pid: str) -> str:
        """One paragraph with its spans marked and its anchor."""
        para = self.c.paragraph(pid)
        spans = self.c.spans.get(pid, ())
        text = para.text
        heading = para.kind == "heading"
        first = spans[0].status if spans else "shared"
        glyph = STATUS_GLYPHS["heading"] if heading else STATUS_GLYPHS[first]
        parts = [
            f'<div class="p st-{first}{" h" if heading else ""}" id="{_esc(pid)}">'
            f'<span class="g" aria-hidden="true">{glyph}</span><span class="t">'
        ]
        pos = 0
        previous = first
        for span in spans:
            start, end = max(span.start, pos), min(span.end, len(text))
            if start > pos:  # not covered by a span: shown plainly, never dropped
                parts.append(_esc(text[pos:start]))
            if end <= start:
                continue
            if span.status != previous:
                css = span.status[0]
                parts.append(
                    f'<span class="gi {css}" aria-hidden="true">{STATUS_GLYPHS[span.status]}</span>'
                )
                previous = span.status
            parts.append(_span_html(text, span, start, end))
            pos = end
        if pos < len(text):
            parts.append(_esc(text[pos:]))
        parts.append("</span></div>")
        if pid in self.moves:
            parts.append(self._move_note(pid))
        return "".join(parts)

    def _move_note(self, pid: str) -> str:
        """'↔ moved; also at row 9: A, B; row 12: C' with links to the counterparts."""
        by_row: dict[int, list[str]] = {}
        for other in self.moves[pid]:
            by_row.setdefault(self.row_of.get(other, -1), []).append(other)
        places = []
        for row, others in sorted(by_row.items()):
            links = ", ".join(
                f'<a href="#{_esc(o)}">{self.elabels.get(o.partition(".")[0], _esc(o))}</a>'
                for o in sorted(others, key=lambda o: _doc_order(o.partition(".")[0]))
            )
            places.append(f"row {row + 1}: {links}")
        return (
            '<div class="moved"><span class="g" aria-hidden="true">↔</span>'
            f"<span>moved; also at {'; '.join(places)}</span></div>"
        )

    def grid(self) -> None:
        """One table row per comparison row, one column per outlet."""
        w = self.out.append
        c = self.c
        kinds_of: dict[str, list[str]] = {}
        for div in c.divergences:
            got = kinds_of.setdefault(div.row, [])
            if div.type not in got:
                got.append(div.type)
        asides = self._aside_places()
        w('<section id="grid">\n<h2>Side by side</h2>\n')
        w(
            '<p class="note">Each outlet in its own order; a row gathers the paragraphs that '
            "report the same content. Hatching: the outlet has nothing there.</p>\n"
            f'<p class="fold-note">{len(self.same)} rows every outlet shares word for word '
            "are folded away.</p>\n"
        )
        w(
            f'<div class="gridwrap" role="region" aria-label="the outlets side by side" '
            f'tabindex="0"><table class="grid" style="--n:{len(self.docs)}">'
            '<colgroup><col class="rowno">'
        )
        w("<col>" * len(self.docs))
        w('</colgroup>\n<thead><tr><th scope="col" class="rowno">row</th>')
        for d in self.docs:
            w(f'<th scope="col" id="col-{d.id}">{self._who(d.id)}{self._shares_short(d.id)}</th>')
        w("</tr></thead>\n<tbody>\n")
        for k, row in enumerate(c.rows):
            same = row.id in self.same
            kinds = kinds_of.get(row.id, [])
            glyphs = "".join(
                f'<span title="{DIVERGENCE_WORDS[t]}">{DIVERGENCE_GLYPHS[t]}</span>' for t in kinds
            )
            css = ' class="same"' if same else ""
            w(
                f'<tr id="{_esc(row.id)}"{css}>'
                f'<th scope="row" class="rowno"><a href="#{_esc(row.id)}">{k + 1}</a>'
                f'<span class="kinds g">{glyphs}</span></th>'
            )
            for d in self.docs:
                pids = row.cells.get(d.id, ())
                here = asides.get((k, d.id), {})
                if not pids:
                    w(
                        f'<td class="gap" title="{self.elabels[d.id]}: nothing here">'
                        f'<span class="vh">{self.elabels[d.id]}: nothing here</span></td>'
                    )
                    continue
                w("<td>")
                for entry in here.get("", ()):
                    w(_aside_html(entry))
                for pid in pids:
                    w(self._paragraph(pid))
                    for entry in here.get(pid, ()):
                        w(_aside_html(entry))
                w("</td>")
            w("</tr>\n")
        w("</tbody></table></div>\n</section>\n")

    def _all_shared(self, cells: Mapping[str, tuple[str, ...]]) -> bool:
        """Every outlet has the row, word for word, and nothing in it moved."""
        spans = self.c.spans
        for d in self.docs:
            pids = cells.get(d.id, ())
            if not pids:
                return False
            for pid in pids:
                if pid in self.moves or any(s.status != "shared" for s in spans.get(pid, ())):
                    return False
        return True

    # -- lists and tables ------------------------------------------------------------------

    def _pid_link(self, pid: str) -> str:
        doc = pid.partition(".")[0]
        return f'<a href="#{_esc(pid)}">{self.elabels.get(doc, _esc(doc))}</a>'

    def _pids_html(self, pids: Sequence[str]) -> str:
        """Links to paragraphs, one per outlet ('Ledger (¶14, ¶15)' when it has several)."""
        by_doc: dict[str, list[str]] = {}
        for pid in pids:
            by_doc.setdefault(pid.partition(".")[0], []).append(pid)
        parts = []
        for mine in by_doc.values():
            link = self._pid_link(mine[0])
            if len(mine) > 1:
                link += (
                    " ("
                    + ", ".join(f'<a href="#{_esc(p)}">¶{_para_number(p)}</a>' for p in mine)
                    + ")"
                )
            parts.append(link)
        return ", ".join(parts)

    def divergences(self) -> None:
        """Every divergence in reading order, with links to its row and paragraphs."""
        w = self.out.append
        w('<section id="divergences">\n<h2>Divergences</h2>\n')
        if not self.c.divergences:
            w('<p class="note">The outlets do not differ.</p>\n</section>\n')
            return
        w(
            '<div class="scroll"><table class="data"><thead><tr><th scope="col" class="n">#</th>'
            '<th scope="col">what</th><th scope="col">row</th><th scope="col">where</th>'
            '<th scope="col">details</th></tr></thead>\n<tbody>\n'
        )
        order = {row.id: k for k, row in enumerate(self.c.rows)}
        quotes = {q.id: q for q in self.c.quotes}
        for n, d in enumerate(self.c.divergences, 1):
            row = order.get(d.row, -1)
            where = self._pids_html(d.paragraphs)
            w(
                f'<tr><td class="n">{n}</td><td class="nw"><span class="g">'
                f"{DIVERGENCE_GLYPHS[d.type]}</span> {DIVERGENCE_WORDS[d.type]}</td>"
                f'<td class="nw"><a href="#{_esc(d.row)}">row {row + 1}</a>'
                f"</td><td>{where}</td><td>{self._details(d, quotes)}</td></tr>\n"
            )
        w("</tbody></table></div>\n</section>\n")

    def _details(self, d: Divergence, quotes: Mapping[str, Quote]) -> str:
        bits: list[str] = []
        if d.flags:
            bits.append(
                " ".join(f'<span class="flag">{f}</span>' for f in sorted(d.flags)) + " changed"
            )
        if d.missing:
            bits.append("left out by " + ", ".join(self.elabels[m] for m in d.missing))
        if d.counterparts:
            bits.append(
                "also at "
                + ", ".join(
                    f"{self._pid_link(p)} (row {self.row_of.get(p, -1) + 1})"
                    for p in d.counterparts
                )
            )
        if d.quote and d.quote in quotes:
            q = quotes[d.quote]
            bits.append(
                f'<a href="#{_esc(q.id)}">quote by {_esc(q.speaker or "an unnamed speaker")}</a>'
            )
        return "; ".join(bits)

    def entities(self) -> None:
        """Entities with kind, aliases and mentions per outlet (· where an outlet has none)."""
        w = self.out.append
        w('<section id="entities">\n<h2>Named entities</h2>\n')
        if not self.c.entities:
            w('<p class="note">No named entities found.</p>\n</section>\n')
            return
        w(
            '<div class="scroll"><table class="data"><thead><tr><th scope="col">name</th>'
            '<th scope="col">kind</th><th scope="col">also called</th>'
        )
        for d in self.docs:
            w(f'<th scope="col" class="n" title="{self.elabels[d.id]}">{self._who(d.id)}</th>')
        w('<th scope="col" class="n">all</th></tr></thead>\n<tbody>\n')
        ranked = sorted(self.c.entities, key=lambda e: -sum(e.mentions.values()))
        for e in ranked:
            w(
                f'<tr><th scope="row">{_esc(e.name)}</th><td>{_esc(e.kind)}</td>'
                f"<td>{_esc(', '.join(e.aliases))}</td>"
            )
            for d in self.docs:
                n = e.mentions.get(d.id, 0)
                if n:
                    w(f'<td class="n">{n}</td>')
                else:
                    w(f'<td class="absent" title="not in {self.elabels[d.id]}">·</td>')
            w(f'<td class="n">{sum(e.mentions.values())}</td></tr>\n')
        w("</tbody></table></div>\n</section>\n")

    def quotes(self) -> None:
        """Quotes: speaker, status, which outlets carry them and each wording's word diff."""
        w = self.out.append
        w('<section id="quotes">\n<h2>Quotes</h2>\n')
        if not self.c.quotes:
            w('<p class="note">No quotations found.</p>\n</section>\n')
            return
        w(
            '<p class="note">Each wording against the first: <del>words it lacks</del>, '
            "<ins>words it has instead</ins>.</p>\n"
            '<div class="scroll"><table class="data"><thead><tr><th scope="col">speaker</th>'
            '<th scope="col">status</th><th scope="col">carried by</th>'
            '<th scope="col">wordings</th></tr></thead>\n<tbody>\n'
        )
        for q in self.c.quotes:
            status = {
                "altered": '<span class="status-altered">≈ reworded</span>',
                "unique": '<span class="status-unique">+ one outlet</span>',
                "shared": '<span class="status-shared">│ same words</span>',
            }.get(q.status, _esc(q.status))
            if q.partial:
                status += '<br><span class="note">one quotes part of the other</span>'
            if q.speakers_differ:
                status += '<br><span class="status-altered">≠ different speakers</span>'
            carried = {v.doc for v in q.variants}
            presence = " ".join(
                f'<span class="g" title="{self.elabels[d.id]}">{self.numbers[d.id]}</span>'
                if d.id in carried
                else f'<span class="absent" title="not in {self.elabels[d.id]}">·</span>'
                for d in self.docs
            )
            w(
                f'<tr id="{_esc(q.id)}"><th scope="row">{_esc(q.speaker or "unattributed")}</th>'
                f'<td class="nw">{status}</td><td class="g nw">{presence}</td>'
                f"<td>{self._wordings(q)}</td></tr>\n"
            )
        w("</tbody></table></div>\n</section>\n")

    def _wordings(self, q: Quote) -> str:
        """Identical wordings grouped; each other wording diffed against the first."""
        groups: dict[tuple[str, str | None], list[str]] = {}
        for v in q.variants:
            speaker = v.speaker if q.speakers_differ else None
            groups.setdefault((v.text, speaker), []).append(v.paragraph)
        # Rendered through the diff against the first, wordings that differ only
        # where words are not (case, punctuation, apostrophes) come out the same.
        rendered: dict[tuple[str, str | None], list[str]] = {}
        base: str | None = None
        for (text, speaker), pids in groups.items():
            if base is None:
                base = text
            rendered.setdefault((_diff_html(base, text), speaker), []).extend(pids)
        items: list[str] = []
        for (body, speaker), pids in rendered.items():
            who = self._pids_html(pids)
            if speaker:
                who += f" ({_esc(speaker)})"
            items.append(f'<li><span class="who">{who}</span>: “{body}”</li>')
        return '<ol class="wordings">' + "".join(items) + "</ol>"

    def set_aside(self) -> None:
        """Every stretch of boilerplate set aside, per outlet, with the reason."""
        w = self.out.append
        w('<section id="set-aside">\n<h2>Set-aside text</h2>\n')
        total = sum(len(d.set_aside) for d in self.docs)
        if not total:
            w('<p class="note">Nothing was set aside as boilerplate.</p>\n</section>\n')
            return
        w(
            '<p class="note">Boilerplate is set aside, never deleted: here it all is '
            "(and in the grid, where it stood).</p>\n"
            '<div class="scroll"><table class="data"><thead><tr><th scope="col">outlet</th>'
            '<th scope="col">why</th><th scope="col">after paragraph</th><th scope="col">text</th>'
            "</tr></thead>\n<tbody>\n"
        )
        for d in self.docs:
            for entry in d.set_aside:
                after = (
                    self._pid_link(d.paragraphs[min(entry.after, len(d.paragraphs) - 1)].id)
                    + f" ¶{min(entry.after, len(d.paragraphs) - 1) + 1}"
                    if entry.after >= 0 and d.paragraphs
                    else "(before the first)"
                )
                w(
                    f"<tr><td>{self._who(d.id)}</td><td>{_esc(entry.reason)}</td><td>{after}</td>"
                    f'<td style="white-space:pre-line">{_esc(entry.text)}</td></tr>\n'
                )
        w("</tbody></table></div>\n</section>\n")


def _para_number(pid: str) -> str:
    """The 1-based number of a paragraph within its outlet, from its id."""
    index = pid.partition(".p")[2]
    return str(int(index) + 1) if index.isdigit() else html.escape(index)


def _span_html(text: str, span: Span, start: int, end: int) -> str:
    """One span of a paragraph: shared grey, altered amber with ``<mark>``, unique bold."""
    if span.status == "unique":
        return f'<strong class="u">{_esc(text[start:end])}</strong>'
    if span.status == "shared" or not span.changes:
        css = "s" if span.status == "shared" else "a"
        return f'<span class="{css}">{_esc(text[start:end])}</span>'
    parts = ['<span class="a">']
    pos = start
    for a, b in sorted(span.changes):
        a, b = max(a, pos), min(b, end)
        if b <= a:
            continue
        parts.append(_esc(text[pos:a]))
        parts.append(f"<mark>{_esc(text[a:b])}</mark>")
        pos = b
    parts.append(_esc(text[pos:end]))
    parts.append("</span>")
    return "".join(parts)


def _aside_html(entry: SetAside) -> str:
    return (
        f'<details class="aside"><summary><span class="g">·</span> set aside: '
        f"{_esc(entry.reason)}</summary><div>{_esc(entry.text)}</div></details>"
    )


def _diff_html(base: str, text: str) -> str:
    """*text* against *base*: ``<del>`` for words only in *base*, ``<ins>`` for words only here."""
    parts: list[str] = []
    for tag, piece in quote_word_diff(base, text):
        if parts:
            parts.append(" ")  # runs are words: keep them apart
        if tag == "insert":
            parts.append(f"<ins>{_esc(piece)}</ins>")
        elif tag == "delete":
            parts.append(f"<del>{_esc(piece)}</del>")
        else:
            parts.append(_esc(piece))
    return "".join(parts)


def html_report(comparison: Comparison) -> str:
    """Return the comparison as one self-contained HTML page."""
    return _Report(comparison).build()


def write_html(comparison: Comparison, out: BinaryIO) -> None:
    """Write the comparison to the binary stream *out* as one self-contained HTML page."""
    out.write(html_report(comparison).encode("utf-8", "replace"))
