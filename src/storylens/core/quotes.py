"""Direct quotations: where they are, who the article says spoke them, and which
outlets carry the same words.

Three steps, all rule-based and linear in the number of words:

1. **Find** the passages inside double quotation marks, straight or curly, in
   every paragraph. A mark left open at a paragraph's end continues the
   quotation in the next paragraph when that paragraph reopens with a mark (news
   style); each paragraph's part becomes its own variant, flagged
   ``continued`` / ``runs_on``. Single quotes inside double ones are part of the
   passage; apostrophes never close anything.
2. **Attribute** each passage to a speaker with the patterns news copy uses:
   ``"…," X said`` / ``said X`` / ``X told reporters "…"`` / ``according to X`` /
   ``X wrote on social media that "…"`` / ``X described it as "…"``. Pronouns and
   definite descriptions (``he``, ``the person``, ``the mayor``) are resolved to
   the nearest fitting person before them; a ``statement`` or ``report`` speaks
   for the nearest named speaker before it; unnamed sources stay as the article
   describes them (``a senior administration official``). Honorifics and titles
   are stripped and a bare surname becomes the full name the document (or,
   failing that, another outlet) gives. With ``entities`` the speakers are
   linked to the entities' canonical names.
3. **Group** the passages across documents whose folded word sequences match
   closely (or where one is a stretch of the other), helped by the words around
   them for short or reworded passages. A group is ``shared`` when every outlet
   has the same words (case, accents, punctuation, apostrophe and dash style
   ignored), ``altered`` when the words differ, ``unique`` with one outlet.

The rules are about English news prose, never about a particular story.

Cost: outlets repeat wire copy word for word, so everything that depends only on
a text (its passages, sentences, names, speech verbs and their subjects) is
worked out once per distinct paragraph and per distinct sentence (see
:class:`_Texts`); per document remains only what depends on what the document
said before (who a pronoun or a surname stands for). Grouping compares distinct
wordings, through an index of their rarest words, not every pair of passages.
Time grows linearly with the number of documents.
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import Indel

from .entities import HONORIFICS
from .model import Document, Entity, Paragraph, Quote, QuoteVariant, SpanStatus
from .sentences import sentence_spans
from .tokens import STOPWORDS, WORD, fold, stem

__all__ = ["extract_quotes", "quote_word_diff"]

# --------------------------------------------------------------------------- word lists
# General English, not tied to any story.


def _wordset(text: str) -> frozenset[str]:
    """A set of words written as one whitespace-separated string."""
    return frozenset(text.split())


_SPEECH_VERBS = _wordset(
    """
    say said says saying tell told tells telling add added adds adding write wrote writes
    writing declare declared declares declaring announce announced announces announcing
    explain explained explains explaining insist insisted insists insisting argue argued
    argues arguing claimed claiming noted noting warn warned warns warning ask asked asks
    asking reply replied replies replying respond responded responds responding answered
    recall recalled recalls recalling acknowledge acknowledged acknowledges acknowledging
    admit admitted admits admitting describe described describes describing called calling
    tweeted tweeting posted urge urged urges urging complain complained complains
    complaining remarked conclude concluded concludes testify testified testifies testifying
    suggest suggested suggests suggesting predicted predicts promised vow vowed vows vowing
    pledged concede conceded concedes conceding contend contended contends maintain
    maintained maintains assert asserted asserts cautioned lament lamented laments appealed
    recommend recommended recommends recommending denounce denounced denounces denouncing
    deny denied denies denying confirm confirmed confirms confirming reported quipped joked
    shouted yelled whispered exclaimed observed emphasized emphasised emphasizes emphasises
    stressed reiterated dismissed dismisses criticized criticised criticizes criticises
    praised praises branded labeled labelled accuse accused accuses accusing blamed blames
    hailed hails condemn condemned condemns condemning slammed referring referred boasted
    mocked pleaded demanded countered retorted mused recounted characterized characterised
    dubbed termed decried
    """
)
"""Verbs that introduce or attribute speech (forms that are seldom nouns)."""

_PASSIVE_BEFORE = _wordset("was were is are been be being get got gets")
_AUX = _wordset(
    """
    has have had would will also then later previously once again repeatedly recently
    earlier first further did does do may might could should can must not only just still
    never often had already since publicly privately reportedly simply
    """
)
"""Words that may sit between a subject and its speech verb (``he then added``)."""

_PRONOUNS = {"he": "m", "she": "f", "they": "", "i": "", "we": "", "it": ""}
_RELATIVES = frozenset(["who", "whom", "whose", "which", "that", "where", "when"])
_DETERMINERS = _wordset(
    """
    the a an one another this that these those his her its their our some several many two
    three four five six each every both no any
    """
)
_DEFINITE = frozenset(["the", "this", "that", "these", "those"])
_PREPOSITIONS = _wordset(
    """
    on at in to for from during after before by under over near inside since about against
    into through across
    """
)
"""Prepositions that end the core of a description (``of`` and ``with`` do not)."""

_DESC_STOP = (
    _RELATIVES
    | frozenset(
        [
            "and",
            "but",
            "or",
            "nor",
            "while",
            "because",
            "if",
            "as",
            "than",
            "so",
            "although",
            "though",
            "unless",
            "until",
            "is",
            "was",
            "are",
            "were",
            "has",
            "had",
            "have",
            "will",
            "would",
            "could",
            "should",
            "did",
            "do",
            "does",
            "be",
            "been",
            "being",
            "can",
            "may",
            "might",
            "must",
            "not",
        ]
    )
) - {"the"}

# The entity extractor's honorifics, and the clergy's, which introduce speakers.
_HONORIFICS = {**HONORIFICS, "rev": "", "fr": "m"}
_TITLES = _wordset(
    """
    president vice senator sen rep representative congressman congresswoman gov governor
    mayor councillor councilor councilman councilwoman alderman secretary minister prime
    chancellor premier general gen admiral adm colonel col lt lieutenant major maj captain
    capt sergeant sgt commander cmdr judge justice chief director commissioner ambassador
    auditor attorney pope king queen prince princess sheikh emir speaker chairman chairwoman
    chair professor detective inspector superintendent deputy assistant foreign defense
    defence finance interior city county former acting archbishop bishop cardinal rabbi imam
    coach sheriff marshal spokesman spokeswoman spokesperson dean
    """
)
"""Capitalised words that may stand before a name as a title (``Mayor``, ``City Auditor``)."""

_TITLE_MODIFIERS = _wordset(
    """
    vice prime deputy assistant foreign defense defence finance interior city county former
    acting
    """
)
_PARTICLES = _wordset(
    """
    de da del della di du van von der den bin ibn al el la le dos das
    """
)
_CALENDAR = _wordset(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december jan feb mar apr jun jul aug sep
    sept oct nov dec today yesterday tonight
    """
)
_ABBREVIATIONS = _wordset(
    """
    mr mrs ms dr prof sen rep gov gen col lt sgt capt cmdr adm maj pres st jr sr rev hon fr
    mx jan feb mar apr jun jul aug sep sept oct nov dec no vs etc inc corp ltd co dept mt ft
    """
)
_ORG_WORDS = _wordset(
    """
    house times council department ministry agency office embassy university assembly party
    company corporation corp inc ltd llc authority association committee commission bank
    court police army navy forces force post news press journal institute foundation
    congress senate parliament government administration board group union organization
    organisation service services network television radio tv channel reuters cnn bbc
    nations states republic federation archive center centre school college hospital church
    club team league fund trust bureau guard command cabinet tribunal airlines airways
    motors construction wire polytechnic museum library times review magazine daily herald
    tribune gazette courier ledger observer mirror telegraph guardian street avenue road
    river bay city county province region state america
    """
)
"""Words that make a capitalised name an organisation or a place, not a person."""

_PERSON_NOUNS = _wordset(
    """
    official spokesman spokeswoman spokesperson person source commander officer minister
    president senator lawmaker legislator congressman congresswoman representative diplomat
    envoy ambassador analyst expert historian economist scientist researcher professor
    lawyer attorney judge prosecutor mayor governor councillor councilor chairman chairwoman
    chair director executive manager engineer auditor adviser advisor aide secretary general
    colonel captain soldier resident witness neighbor neighbour activist leader member
    worker employee owner doctor nurse teacher student candidate voter critic supporter
    opponent militant rebel protester protestor farmer journalist reporter editor writer
    author king queen pope bishop priest man woman mother father son daughter wife husband
    boy girl child victim survivor insider whistleblower negotiator mediator strategist
    consultant contractor administrator inspector investigator detective commentator
    pollster ceo founder chief head boss coach player retiree pensioner shopkeeper landlord
    tenant homeowner parent veteran mother physician surgeon economist banker trader
    investor diplomat operative agent spy official officer lawmaker chancellor premier
    monarch cleric imam rabbi pastor organizer organiser campaigner volunteer survivor
    eyewitness bystander passenger driver pilot crew
    """
)
"""Head nouns of descriptions that name a person (``the former commander``)."""

_FEMALE_NOUNS = _wordset(
    """
    spokeswoman woman mother daughter wife girl chairwoman congresswoman queen
    """
)
_MALE_NOUNS = _wordset("spokesman man father son husband boy chairman congressman king")

_DOC_NOUNS = _wordset(
    """
    statement report audit letter study filing memo memorandum document post tweet release
    complaint lawsuit ruling indictment survey review article email message note book
    transcript record minutes analysis assessment cable notice decision judgment verdict
    communique announcement website blog poll
    """
)
"""Head nouns of texts that speak for their authors (``the statement said``)."""

_INTRO_WORDS = _wordset("but and still yet so however also then meanwhile instead")

# --------------------------------------------------------------------------- tokens

_MARKS = re.compile(r"[\"“”„‟«»]")
_OPENERS = "“„‟«"
_CLOSERS = "”»"
_PUNCT_AFTER_CLOSE = ".,;:!?)]}—–-…'’"
_PUNCT_BEFORE_OPEN = "([{—–-/"


class _Tok:
    """A word, a punctuation mark, or a whole quoted passage (``kind == "q"``)."""

    __slots__ = ("cap", "end", "kind", "low", "piece", "start", "text")

    def __init__(self, text: str, start: int, end: int, kind: str, piece: int = -1) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.kind = kind
        self.piece = piece
        if kind == "w":
            low = text.lower()
            self.low = low.replace("’", "'") if "’" in low else low
            self.cap = text[0].isupper()
        else:
            self.low = ""
            self.cap = False


def _tokenize(text: str, start: int, end: int, out: list[_Tok], limit: int = 0) -> int:
    """Append the words and punctuation of ``text[start:end]`` to *out* (a sentence's full stop is
    its own token, an abbreviation's is not).

    With *limit*, stop once *out* holds that many tokens. Returns where the tokens read
    end (*end* when all are read).
    """
    append = out.append
    tok = _Tok
    for m in _TOKEN_PARTS.finditer(text, start, end):
        s = m.start()
        whole, core, stop = m.group(0, 1, 2)
        if core is None:
            append(tok(whole, s, s + len(whole), "p"))
        elif stop and _splits_stop(core):
            e = s + len(core)
            append(tok(core, s, e, "w"))
            append(tok(".", e, e + 1, "p"))
        else:
            append(tok(whole, s, s + len(whole), "w"))
        if limit and len(out) >= limit:
            return s + len(whole)
    return end


def _splits_stop(core: str) -> bool:
    """Whether the full stop after the word *core* is a token of its own (it is not after
    an abbreviation, an initial or a dotted word like ``U.S``)."""
    return not ("." in core or (len(core) == 1 and core.isupper())) and (
        core.lower() not in _ABBREVIATIONS
    )


_TOKEN_PARTS = re.compile(r"(\w+(?:[’'.\-]\w+)*)(\.?)|--|\S")
"""A token: a word (its core and a final full stop apart), a double dash, or any other
non-space character."""


def _bare(low: str) -> str:
    """A folded word without possessive ending or dots (``maduro's`` → ``maduro``)."""
    if low.endswith("'s"):
        low = low[:-2]
    return low.replace(".", "")


# --------------------------------------------------------------------------- finding


@dataclass(slots=True)
class _Piece:
    """One quoted passage inside one paragraph."""

    doc: int
    para: Paragraph
    open: int
    """Offset of the opening mark in the paragraph's text."""
    close: int
    """Offset of the closing mark (the text's length when the quotation runs on)."""
    continued: bool = False
    runs_on: bool = False
    chain: int = -1
    """Pieces of one multi-paragraph quotation share a chain number."""
    speaker: str | None = None
    explicit: bool = False
    """The speaker comes from an attribution pattern, not from a fallback."""
    context: frozenset[str] = frozenset()
    """Content stems of the words around the passage in its sentence."""

    @property
    def text(self) -> str:
        """What sits inside the marks."""
        return self.para.text[self.open + 1 : self.close]


def _has_marks(text: str) -> bool:
    """Whether *text* holds a double quotation mark (plain ``in`` tests, much cheaper than
    scanning with :data:`_MARKS`)."""
    return any(mark in text for mark in _MARK_CHARS)


_MARK_CHARS = '"“”„‟«»'


def _scan_marks(text: str) -> tuple[list[tuple[int, int]], int | None]:
    """Return the closed passages ``(open mark, close mark)`` and a mark left open, if any."""
    if not _has_marks(text):
        return [], None
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    n = len(text)
    for m in _MARKS.finditer(text):
        i = m.start()
        ch = text[i]
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < n else " "
        opens_like = not nxt.isspace() and (prev.isspace() or prev in _PUNCT_BEFORE_OPEN)
        closes_like = not prev.isspace() and (nxt.isspace() or nxt in _PUNCT_AFTER_CLOSE)
        if open_at is None:
            if ch in _CLOSERS and not opens_like:
                continue  # a stray closing mark
            if ch == '"' and closes_like and not opens_like:
                continue  # an inch mark (12") or a stray
            open_at = i
        elif ch in _OPENERS and opens_like and not closes_like:
            open_at = i  # the earlier opening mark never closed: start again here
        else:
            if text[open_at + 1 : i].strip():
                spans.append((open_at, i))
            open_at = None
    if open_at is not None and not text[open_at + 1 :].strip():
        open_at = None
    return spans, open_at


def _reopens(paragraph: Paragraph) -> bool:
    """True when *paragraph* starts with an opening quotation mark."""
    head = paragraph.text.lstrip()[:1]
    return head in '"“„‟«'


def _find_pieces(
    doc_index: int, doc: Document, chains: list[int], texts: _Texts
) -> list[list[_Piece]]:
    """The quoted passages of every paragraph of *doc*, in order."""
    out: list[list[_Piece]] = []
    carrying = -1  # the chain of a quotation running on from the previous paragraph
    paragraphs = doc.paragraphs
    for k, para in enumerate(paragraphs):
        info = texts.get(para.text)
        pieces = [_Piece(doc_index, para, o, c) for o, c in info.spans]
        if carrying >= 0 and pieces and pieces[0].open <= info.indent:
            pieces[0].continued = True
            pieces[0].chain = carrying
        carrying = -1
        if info.left_open:
            last = pieces[-1]
            if k + 1 < len(paragraphs) and _reopens(paragraphs[k + 1]):
                last.runs_on = True
                if last.chain < 0:
                    last.chain = len(chains)
                    chains.append(0)
                carrying = last.chain
        out.append(pieces)
    return out


# --------------------------------------------------------------------------- names (pass 1)


@dataclass(slots=True)
class _Run:
    """A capitalised name in the text, titles stripped."""

    pos: int
    """Offset of the name's first word in the text it was read from."""
    name: str
    key: str
    """The folded last word: the surname of a person."""
    titles: tuple[str, ...]
    gender: str
    person: bool
    org: bool
    multi: bool = False
    """The name has more than one word."""
    folded: str = ""
    """Its comparison key (:func:`_key`)."""

    def __post_init__(self) -> None:
        self.multi = len(self.name.split()) > 1
        self.folded = _key(self.name)


@dataclass
class _Names:
    """Names one document gives, for turning ``Mr. Maduro`` into a full name."""

    full: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    """Surname → (offset, full name) of the multi-word names, in order."""
    titled: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    """Title word (``mayor``) → (offset, name) of the names carrying it."""
    gender: dict[str, str] = field(default_factory=dict)


@dataclass
class _Corpus:
    """What all the documents say about names, for what one document leaves out."""

    full: dict[str, set[str]] = field(default_factory=dict)
    """Surname → folded full names → display form via :attr:`display`."""
    display: dict[str, str] = field(default_factory=dict)
    persons: set[str] = field(default_factory=set)
    """Surnames (and folded full names) seen with a person's marks."""
    titles: dict[str, set[str]] = field(default_factory=dict)
    """Surname → title words seen before it."""
    person_names: dict[str, bool] = field(default_factory=dict)
    """Name → whether it is a person's, once the names are all in (pass 2)."""
    speakers: dict[str, bool] = field(default_factory=dict)
    """Name of a speaker → whether a person (not an organisation or a place) speaks."""


_CAP = r"[A-ZÀ-ÖØ-Þ][\w’'.\-]*"
_RUN = re.compile(
    rf"[A-ZÀ-ÖØ-Þ](?<![\w’'.\-].)[\w’'.\-]*(?:\s+(?:(?:{'|'.join(sorted(_PARTICLES))})\s+)*{_CAP})*"
)
"""A run of capitalised words not glued to a word before it (the look-behind sits after the
first capital, which lets the regex engine scan for capitals fast)."""
_NONSPACE = re.compile(r"\S+")
_WORD_BEFORE = re.compile(r"(\w+),?\s*$")
_APPOSITION = re.compile(r"\s*,\s*([^,.;:!?\"“”()\[\]]{1,100})")


def _name_runs(text: str, spans: Sequence[tuple[int, int]]) -> list[_Run]:
    """The capitalised names of *text* outside its quoted passages (offsets into *text*)."""
    runs: list[_Run] = []
    at = 0
    bounds = [(o, min(len(text), c + 1)) for o, c in spans] + [(len(text), len(text))]
    for stop, resume in bounds:
        for m in _RUN.finditer(text, at, stop):
            found = m.group()
            if " " not in found and "\t" not in found:
                # One word (the commonest case: a capitalised sentence word).
                word = _one_word(found)
                if word:
                    runs.extend(_make_run(text, m.start(), [(word, 0)], last=True))
                continue
            words = [(w.group(), w.start()) for w in _NONSPACE.finditer(found)]
            # A word ending a sentence ends the name: "in Washington. The next day".
            group: list[tuple[str, int]] = []
            for n, (word, offset) in enumerate(words):
                word = word.rstrip("’'")
                if word.endswith(".") and len(word) > 1:
                    core = word[:-1]
                    if not ("." in core or (len(core) == 1 and core.isupper())) and (
                        core.lower() not in _ABBREVIATIONS
                    ):
                        group.append((core, offset))
                        runs.extend(_make_run(text, m.start(), group, last=n == len(words) - 1))
                        group = []
                        continue
                group.append((word, offset))
            if group:
                runs.extend(_make_run(text, m.start(), group, last=True))
        at = resume
    return runs


@lru_cache(maxsize=1 << 14)
def _one_word(found: str) -> str:
    """The word a one-word name run stands for (its full stop dropped when it ends a
    sentence), or ``""`` when it is no name (a sentence word like ``The`` or ``Friday``,
    which :func:`_make_run` would drop)."""
    word = found.rstrip("’'")
    if word.endswith(".") and len(word) > 1 and _splits_stop(word[:-1]):
        word = word[:-1]
    low = word.lower().replace("’", "'")
    bare = _bare(low)
    if (low in STOPWORDS or bare in _CALENDAR) and bare not in _HONORIFICS:
        return ""
    return word


def _make_run(text: str, origin: int, group: list[tuple[str, int]], *, last: bool) -> list[_Run]:
    """One :class:`_Run` from a group of capitalised words (none when it is no name)."""
    start = origin + group[0][1]
    end = origin + group[-1][1] + len(group[-1][0])
    words = [w for w, _ in group]
    offsets = [origin + o for _, o in group]
    lows = [w.lower().replace("’", "'") for w in words]
    bares = [_bare(w) for w in lows]  # kept in step with *lows*
    while (
        words and (lows[0] in STOPWORDS or bares[0] in _CALENDAR) and (bares[0] not in _HONORIFICS)
    ):
        words.pop(0), lows.pop(0), bares.pop(0), offsets.pop(0)
    while words and bares[-1] in _CALENDAR:
        words.pop(), lows.pop(), bares.pop(), offsets.pop()
    if not words:
        return []
    if len(words) > 1 and all(w.isupper() and len(w) > 1 for w in words):
        return []  # a shouted headline or dateline
    titles: list[str] = []
    gender = ""
    while words and (bares[0] in _TITLES or bares[0] in _HONORIFICS):
        lows.pop(0)
        title = bares.pop(0)
        words.pop(0), offsets.pop(0)
        titles.append(title)
        gender = _HONORIFICS.get(title, gender)
    if not words:
        return []
    if words[-1].endswith(("'s", "’s")):
        words[-1] = words[-1][:-2]
    if not words[-1]:
        return []
    if not gender and len(words) > 1:
        gender = _pronoun_after(text, end)
    org = any(b in _ORG_WORDS for b in bares)
    # Marks of a person: a title, a role noun before ("spokesman Garrett Marquis"), or
    # an apposition after ("Peter Kornbluh, a historian").
    person = False
    if not org:
        person = any(t not in _TITLE_MODIFIERS for t in titles)
        if not person and (len(words) > 1 or _comma_before(text, start)):
            before = _WORD_BEFORE.search(text, max(0, start - 40), start)
            if before is not None and before.group(1) in _PERSON_NOUNS:
                titles.append(before.group(1))
                person = True
        if not person and last:
            person = _apposition_is_person(text, end)
    return [
        _Run(
            offsets[0],
            " ".join(words),
            _bare(fold(words[-1])),
            tuple(titles),
            gender,
            person,
            org,
        )
    ]


def _comma_before(text: str, at: int) -> bool:
    """``text[:at].rstrip().endswith(",")`` without copying the text."""
    while at and text[at - 1].isspace():
        at -= 1
    return at > 0 and text[at - 1] == ","


_SENTENCE_REST = re.compile(r"[^.!?\"“”]{0,160}")
_GENDERED = re.compile(r"\b(he|his|him|she|her|hers)\b")


def _pronoun_after(text: str, end: int) -> str:
    """``m`` or ``f`` from the first personal pronoun after a name in its sentence."""
    rest = _SENTENCE_REST.match(text, end)
    found = _GENDERED.search(rest.group()) if rest else None
    if found is None:
        return ""
    return "m" if found.group(1) in ("he", "his", "him") else "f"


def _apposition_is_person(text: str, end: int) -> bool:
    """True for ``Name, who …`` or ``Name, a structural engineer …``."""
    m = _APPOSITION.match(text, end)
    if m is None:
        return False
    words = m.group(1).split()[:7]
    if words and words[0] in ("who", "whose"):
        return True
    for word in words:
        if word in _RELATIVES:
            return False
        if word.islower() and word in _PERSON_NOUNS:
            return True
    return False


# --------------------------------------------------------------------------- attribution


@dataclass(slots=True)
class _NP:
    """A noun phrase naming a speaker, as written."""

    kind: str
    """``name``, ``desc`` or ``pron``."""
    text: str
    start: int
    """Offset in the paragraph's text."""
    titles: tuple[str, ...] = ()


@dataclass(slots=True)
class _Mention:
    """A person (or speaking body) met in the text, for pronouns and descriptions."""

    pos: int
    name: str
    para: int
    person: bool
    gender: str = ""
    desc: bool = False
    head: str = ""
    words: frozenset[str] = frozenset()
    plural: bool = False
    speaker: bool = False
    titled: bool = False
    weak: bool = False
    """A multi-word name with no mark of a person: a pronoun's antecedent only when no
    marked person is in reach."""


@dataclass(slots=True)
class _Attr:
    """A speech verb with its subject, in one paragraph."""

    verb: int
    """Token index of the verb (of ``according``)."""
    np: _NP | None
    sentence: int
    participle: bool = False
    according: bool = False
    inverted: bool = False
    speaker: str | None = None
    pos: int = 0
    doc_noun: bool = False
    """The subject is a text (``the statement said``): it speaks for its author."""


def _is_speech_verb(toks: Sequence[_Tok], k: int) -> bool:
    """True for a speech verb at *k* that is not passive (``was told``)."""
    t = toks[k]
    if t.kind != "w" or t.cap or t.low not in _SPEECH_VERBS:
        return False
    prev = toks[k - 1] if k else None
    return not (prev is not None and prev.kind == "w" and prev.low in _PASSIVE_BEFORE)


def _plain_name(run: Sequence[_Tok]) -> tuple[str, tuple[str, ...], int] | None:
    """Strip leading sentence words, honorifics and titles from a capitalised run.

    Returns the name, the titles and the offset of the name's first word.
    """
    items = list(run)
    while items and items[0].low in STOPWORDS and _bare(items[0].low) not in _HONORIFICS:
        items.pop(0)
    titles: list[str] = []
    while items and (_bare(items[0].low) in _TITLES or _bare(items[0].low) in _HONORIFICS):
        titles.append(_bare(items.pop(0).low))
    while items and _bare(items[-1].low) in _CALENDAR:
        items.pop()
    if not items:
        return None
    words = [t.text for t in items]
    if words[-1].endswith(("'s", "’s")):
        words[-1] = words[-1][:-2]
    name = " ".join(w for w in words if w)
    return (name, tuple(titles), items[0].start) if name else None


def _np_before(toks: Sequence[_Tok], k: int, lo: int) -> _NP | None:
    """The subject written just before the verb at *k* (not before token *lo*)."""
    i = k - 1
    while (
        i >= lo
        and toks[i].kind == "w"
        and not toks[i].cap
        and (toks[i].low in _AUX or (toks[i].low.endswith("ly") and len(toks[i].low) > 4))
    ):
        i -= 1
    # Appositives and relative clauses between commas: "X, who …, said".
    while i >= lo and toks[i].text == ",":
        j = i - 1
        while j >= lo and toks[j].kind == "w":
            j -= 1
        segment = toks[j + 1 : i]
        if not segment:
            return None
        if j >= lo and toks[j].text == "," and _all_name(segment):
            return _name_np(segment)
        if segment[0].low in _RELATIVES or _describes(segment):
            if j < lo or toks[j].text != ",":
                return None
            i = j - 1
            continue
        return None
    if i < lo or toks[i].kind != "w":
        return None
    t = toks[i]
    if t.low in _PRONOUNS:
        return _NP("pron", t.low, t.start)
    if t.cap and not t.low.endswith("'s"):
        m = i
        while (
            m - 1 >= lo
            and toks[m - 1].kind == "w"
            and (
                toks[m - 1].cap
                or (toks[m - 1].low in _PARTICLES and m - 2 >= lo and toks[m - 2].cap)
            )
        ):
            m -= 1
        before = toks[m - 1] if m - 1 >= lo else None
        if m == i and _head_kind(t.low) == "person":
            # A common noun written with a capital: "Critics said", "the President said".
            if before is not None and before.low in _DETERMINERS:
                return _NP("desc", f"{before.low} {t.low}", before.start)
            return _NP("desc", t.low, t.start)
        np = _name_np(toks[m : i + 1])
        if (
            np is None
            and before is not None
            and before.low in _DETERMINERS
            and all(_bare(t.low) in _TITLES for t in toks[m : i + 1])
        ):
            # "the President said": a title alone is a description.
            words = toks[m - 1 : i + 1]
            return _NP("desc", " ".join(t.text.lower() for t in words), words[0].start)
        if np is not None and before is not None and not before.cap and before.low in _PERSON_NOUNS:
            np.titles = (*np.titles, before.low)  # "spokesman Garrett Marquis"
        return np
    # A description read backwards to its determiner: "a senior administration official".
    m = i
    while True:
        u = toks[m]
        if u.kind != "w" or u.low in _DESC_STOP or (u.low[:1].isdigit() and m != i):
            m += 1
            break
        if u.low in _DETERMINERS or u.low.endswith("'s") or m == lo:
            break
        if i - m >= 9:
            return None
        m -= 1
    if m > i:
        return None
    # "the former commander on the sanctions list": go on past the preposition to the
    # determiner of the phrase it attaches to.
    while (
        m - 2 >= lo
        and toks[m].low in _DETERMINERS
        and (toks[m - 1].low in _PREPOSITIONS or toks[m - 1].low in ("of", "with"))
    ):
        n = m - 2
        while n >= lo and m - n < 8 and toks[n].kind == "w" and toks[n].low not in _DESC_STOP:
            if toks[n].low in _DETERMINERS:
                break
            n -= 1
        if n < lo or toks[n].low not in _DETERMINERS or toks[n].kind != "w":
            break
        m = n
    words = toks[m : i + 1]
    return _NP("desc", _join(words), words[0].start)


def _all_name(segment: Sequence[_Tok]) -> bool:
    """True when every word of *segment* is capitalised (a name, not a description)."""
    return all(t.kind == "w" and (t.cap or t.low in _PARTICLES) for t in segment) and not (
        segment[-1].low.endswith("'s")
    )


def _describes(segment: Sequence[_Tok]) -> bool:
    """True for an appositive that describes (has a lower-case content word)."""
    return any(t.kind == "w" and not t.cap and t.low not in STOPWORDS for t in segment) or (
        segment[0].kind == "w" and not segment[0].cap
    )


def _name_np(run: Sequence[_Tok]) -> _NP | None:
    """The speaker a capitalised run names, titles and honorifics stripped."""
    plain = _plain_name(run)
    if plain is None:
        # Only a title: "The President said" is a description.
        words = [t for t in run if t.low in _DETERMINERS or _bare(t.low) in _TITLES]
        if len(words) == len(run) and len(run) > 1 and run[0].low in _DETERMINERS:
            return _NP("desc", " ".join(t.text.lower() for t in run), run[0].start)
        return None
    name, titles, start = plain
    return _NP("name", name, start, titles)


def _join(words: Sequence[_Tok]) -> str:
    """The words of *words* as written, joined by single spaces."""
    return " ".join(t.text for t in words)


def _np_after(toks: Sequence[_Tok], i: int, hi: int) -> _NP | None:
    """The speaker written just after an inverted verb (``said Mr. X``, ``according to X``)."""
    if i >= hi or toks[i].kind != "w":
        return None
    t = toks[i]
    if t.low in _PRONOUNS:
        return _NP("pron", t.low, t.start)
    j = i
    if t.cap and t.low not in _DETERMINERS:
        while (
            j < hi
            and toks[j].kind == "w"
            and (toks[j].cap or (toks[j].low in _PARTICLES and j + 1 < hi and toks[j + 1].cap))
        ):
            j += 1
        # "U.S. officials": a capitalised modifier of a lower-case head.
        if (
            j < hi
            and toks[j].kind == "w"
            and not toks[j].cap
            and (toks[j].low in _PERSON_NOUNS or toks[j].low.rstrip("s") in _PERSON_NOUNS)
        ):
            j += 1
            return _NP("desc", _join(toks[i:j]), t.start)
        return _name_np(toks[i:j])
    if t.low in _AUX or t.low in _PREPOSITIONS or t.low in _DESC_STOP:
        return None
    if t.low.endswith("ly") or _bare(t.low) in _CALENDAR or t.low in ("last", "next"):
        return None
    seen_head = False
    while j < hi and j - i < 10:
        u = toks[j]
        if u.kind != "w" or u.low in _PREPOSITIONS or u.low in _RELATIVES:
            break
        if u.low in ("and", "or") and not seen_head:
            j += 1
            continue
        if u.low in _DESC_STOP or (_is_speech_verb(toks, j) and j > i):
            break
        if _head_kind(u.low) != "":
            seen_head = True
        j += 1
    if j == i:
        return None
    # "said head librarian Else Vinter": a role, then the name.
    n = j
    while n > i and toks[n - 1].cap:
        n -= 1
    if i < n < j and toks[n - 1].low not in _DETERMINERS and not toks[n - 1].low.endswith("'s"):
        np = _name_np(toks[n:j])
        if np is not None:
            np.titles = (*np.titles, toks[n - 1].low)
            return np
    return _NP("desc", _join(toks[i:j]), t.start)


def _singular(word: str) -> str:
    """A plural noun's singular, roughly (``officials`` → ``official``)."""
    if word.endswith("people"):
        return word[:-6] + "person"
    if word.endswith("men") and word[:-3] + "man" in _PERSON_NOUNS:
        return word[:-3] + "man"
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _head_kind(word: str) -> str:
    """``person``, ``doc`` or ``""`` for the head noun *word* (folded)."""
    word = _bare(word)
    for w in (word, _singular(word)):
        if w in _PERSON_NOUNS:
            return "person"
        if w in _DOC_NOUNS:
            return "doc"
    return ""


# --------------------------------------------------------------------------- per document


_REACH = 3
"""How many paragraphs back a pronoun looks for its person (a text for its author
looks two back)."""

_DESCRIBED_REACH = 200
"""How many earlier described speakers a definite description may refer back to."""


def _pick(known: list[tuple[int, str]], pos: int, want: str, genders: dict[str, str]) -> str:
    """The full name a surname at *pos* stands for: the latest one before it whose
    gender fits, else the latest one before it, else the first one after it."""
    k = bisect.bisect_left(known, (pos, "")) - 1
    if want:
        for n in range(k, -1, -1):
            if genders.get(_key(known[n][1]), want) == want:
                return known[n][1]
    return known[k][1] if k >= 0 else known[0][1]


class _DocReader:
    """Attributes the passages of one document, paragraph by paragraph."""

    def __init__(
        self,
        doc: Document,
        names: _Names,
        corpus: _Corpus,
        links: _EntityLinks,
    ) -> None:
        self.doc = doc
        self.names = names
        self.corpus = corpus
        self.links = links
        self.mentions: list[_Mention] = []
        self.by_para: dict[int, list[_Mention]] = {}
        """Paragraph → the mentions met in it (set once the paragraph is read)."""
        self.described: list[_Mention] = []
        """The speakers the document names by a description, for "the official" later."""
        self.fuller: dict[str, str] = {}
        """A described speaker → the fuller description the document later gives."""
        self.spoken: dict[int, list[tuple[int, str]]] = {}
        """Paragraph → (offset, speaker) of its resolved attributions."""

    # -- names -------------------------------------------------------------------------

    def full_name(self, name: str, pos: int, want: str = "") -> str:
        """The fullest form of *name* the documents give (``Maduro`` → ``Nicolás Maduro``).

        *want* is the gender an honorific gives (``Mr. Ward`` is not ``Aoife Ward``).
        """
        words = name.split()
        if len(words) > 1:
            return name
        return self.full_surname(name, _bare(fold(words[-1])), pos, want)

    def full_surname(self, name: str, key: str, pos: int, want: str = "") -> str:
        """:meth:`full_name` of a one-word *name* whose folded form is *key*."""
        known = self.names.full.get(key)
        if known:
            return _pick(known, pos, want, self.names.gender)
        elsewhere = self.corpus.full.get(key)
        if elsewhere and len(elsewhere) == 1:
            return self.corpus.display[next(iter(elsewhere))]
        return name

    def is_person_name(self, name: str) -> bool:
        """Whether a name met in the text is a person's (for pronouns to refer to)."""
        known = self.corpus.person_names.get(name)
        if known is None:
            linked = self.links.kind(name)
            if linked:
                known = linked == "person"
            else:
                low = [_bare(fold(w)) for w in name.split()]
                known = not any(w in _ORG_WORDS for w in low) and (
                    low[-1] in self.corpus.persons or " ".join(low) in self.corpus.persons
                )
            self.corpus.person_names[name] = known
        return known

    def gender_of(self, name: str) -> str:
        """``m``, ``f`` or ``""`` from the honorifics the document uses for *name*."""
        return self.names.gender.get(_key(name), "")

    def fullest(self, speaker: str | None) -> str | None:
        """The fullest description the document gives of *speaker*."""
        seen = 0
        while speaker in self.fuller and seen < 10:
            speaker = self.fuller[speaker]
            seen += 1
        return speaker

    # -- mentions ----------------------------------------------------------------------

    def add(self, mention: _Mention) -> None:
        """Remember a person (or speaking body) met at ``mention.pos``."""
        self.mentions.append(mention)
        if mention.desc and mention.speaker:
            self.described.append(mention)

    def nearest(self, pos: int, para: int, want: str, reach: int = _REACH) -> _Mention | None:
        """The nearest person mention before *pos* fitting a pronoun's gender *want*.

        An unmarked name ("Victor Osei has run the bakery") is taken only when no
        marked person is in reach.
        """
        weak: _Mention | None = None
        for m in reversed(self.mentions):
            if m.pos >= pos:
                continue
            if m.para < para - reach:
                break
            if m.plural or (want and m.gender and m.gender != want):
                continue
            if m.person:
                return m
            if m.weak and weak is None:
                weak = m
        return weak

    def resolve(self, np: _NP, pos: int, para: int) -> tuple[str | None, _Mention | None]:
        """The speaker an attribution's noun phrase stands for, and the mention it makes."""
        if np.kind == "pron":
            if np.text not in ("he", "she"):
                return None, None
            m = self.nearest(pos, para, _PRONOUNS[np.text])
            if m is None:
                return None, None
            return m.name, _Mention(
                pos, m.name, para, True, m.gender, m.desc, m.head, m.words, speaker=True
            )
        if np.kind == "name":
            want = next((_HONORIFICS[t] for t in np.titles if _HONORIFICS.get(t)), "")
            name = self.full_name(np.text, pos, want)
            # Whoever speaks is a person, unless the name is an organisation's or a place's.
            person = self.corpus.speakers.get(name)
            if person is None:
                kind = self.links.kind(name)
                org = any(_bare(fold(w)) in _ORG_WORDS for w in name.split())
                person = self.corpus.speakers[name] = kind == "person" or (not kind and not org)
            return name, _Mention(pos, name, para, person, self.gender_of(name), speaker=True)
        return self.resolve_description(np.text, pos, para)

    def resolve_description(
        self, text: str, pos: int, para: int
    ) -> tuple[str | None, _Mention | None]:
        """The speaker a description stands for, and the mention it makes.

        A text (``the statement``) speaks for the nearest named speaker before it; a
        definite description (``the mayor``, ``the person``) is the nearest earlier person
        with that title or the nearest earlier described speaker it fits; anything else
        is a speaker of its own, kept as the article words it.
        """
        described = _describe(text)
        if described is None:
            return None, None
        first, head, kind, content, core = described
        if kind == "doc":
            # A statement speaks for its author: the nearest named speaker before it.
            for m in reversed(self.mentions):
                if m.pos >= pos:
                    continue
                if m.para < para - 2:
                    break
                if m.person and not m.desc and (m.speaker or m.titled):
                    return m.name, None
            return core, None
        plural = _singular(head) != head and kind == "person"
        if first in _DEFINITE:
            titled = self.names.titled.get(head)
            if titled:
                k = bisect.bisect_left(titled, (pos, "")) - 1
                if k >= 0:
                    name = self.full_name(titled[k][1], titled[k][0])
                    return name, _Mention(pos, name, para, True, self.gender_of(name), speaker=True)
            for m in reversed(self.described[-_DESCRIBED_REACH:]):
                if m.pos >= pos:
                    continue
                if m.plural == plural and (m.head == head or len(m.words & content) >= 2):
                    if content > m.words:
                        # "The former Venezuelan commander" after "the former commander":
                        # the fuller description names the person from now on.
                        self.fuller[m.name] = core
                    return m.name, _Mention(
                        pos, m.name, para, m.person, m.gender, True, head, content, plural, True
                    )
        gender = "f" if head in _FEMALE_NOUNS else "m" if head in _MALE_NOUNS else ""
        return core, _Mention(
            pos, core, para, kind == "person", gender, True, head, content, plural, True
        )

    # -- paragraphs --------------------------------------------------------------------

    def read(self, pieces_by_para: Sequence[list[_Piece]], texts: _Texts) -> None:
        """Attribute the passages of every paragraph, in reading order.

        The persons a paragraph names are looked up only by a pronoun or a text speaking
        for its author at most :data:`_REACH` paragraphs on (:meth:`nearest` and
        :meth:`resolve_description` stop there), or for the paragraph's own passages
        (:func:`_fallbacks`): elsewhere they need not be noted at all.
        """
        paragraphs = self.doc.paragraphs
        infos = [texts.get(para.text) for para in paragraphs]
        keep = [False] * len(infos)
        ahead = -1  # how many paragraphs on a paragraph looks back from
        for k in range(len(infos) - 1, -1, -1):
            ahead = 0 if infos[k].looks_back else ahead + 1 if ahead >= 0 else -1
            keep[k] = 0 <= ahead <= _REACH or bool(pieces_by_para[k])
        for k, para in enumerate(paragraphs):
            self.read_paragraph(k, para, pieces_by_para[k], infos[k], names=keep[k])

    def read_paragraph(
        self, k: int, para: Paragraph, pieces: list[_Piece], info: _Text, *, names: bool = True
    ) -> None:
        """Meet the paragraph's names and attributions, then attribute its passages.

        *info* is what the paragraph's text says wherever it is published (see
        :class:`_Text`); only who the names, pronouns and descriptions stand for
        depends on the document read so far. Without *names*, the persons it names are
        not noted (nothing will look them up).
        """
        # Every name and attribution of the paragraph first, then its passages (what a
        # passage's attribution looks up is what the whole paragraph has met).
        spoken: list[tuple[int, str]] = []
        heard: list[list[str | None]] = []
        mentions = self.mentions
        before = len(mentions)
        genders = self.names.gender
        for offset, unit, head in info.units:
            base = para.start + offset
            said, runs, descs = unit.said, unit.runs, unit.descs
            speakers: list[str | None] = [None] * len(said)
            for kind, n in unit.events_head if head else unit.events:
                if kind == 0:
                    if not names:
                        continue
                    run = runs[n]
                    if run.person or self.is_person_name(run.name):
                        pos = base + run.pos
                        if run.multi:
                            name = run.name
                            gender = run.gender or genders.get(run.folded, "")
                        else:
                            name = self.full_surname(run.name, run.key, pos, run.gender)
                            gender = run.gender or genders.get(_key(name), "")
                        mentions.append(
                            _Mention(pos, name, k, True, gender, titled=bool(run.titles))
                        )
                    elif not run.org and " " in run.name and not self.links.kind(run.name):
                        mentions.append(_Mention(base + run.pos, run.name, k, False, weak=True))
                elif kind == 1:
                    rel, text = descs[n]
                    _, mention = self.resolve_description(text, base + rel, k)
                    if mention is not None and mention.person:
                        mention.speaker = False
                        self.add(mention)
                else:
                    a = said[n]
                    speaker, mention = self.resolve(a.np, base + a.pos, k)
                    if speaker:
                        speakers[n] = speaker
                        spoken.append((base + a.pos, speaker))
                    if mention is not None and (mention.person or not mention.desc):
                        self.add(mention)
            heard.append(speakers)
        if len(mentions) > before:
            self.by_para[k] = mentions[before:]

        n = 0
        for (offset, unit, _), speakers in zip(info.units, heard, strict=True):
            base = para.start + offset
            for rule in unit.rules:
                piece = pieces[n]
                n += 1
                piece.speaker, piece.explicit = self.attribute(
                    rule, unit.said, speakers, base, k, para.start + piece.open
                )
                piece.context = rule.context
        self.spoken[k] = spoken

    def attribute(
        self,
        rule: _Rule,
        said: Sequence[_Said],
        speakers: Sequence[str | None],
        base: int,
        para: int,
        where: int,
    ) -> tuple[str | None, bool]:
        """The speaker of a passage, and whether a pattern said so.

        The attributions are tried in this order (see :func:`_rule`): 1. right after the
        closing mark ('"…," he said' / '"…," said X'); 2. a speech verb before the passage
        ('X told reporters that "…"'), the nearest first, then the sentence's pronoun before
        it; 3. a speech verb later in the sentence ('"…" in the region, said X'), stopping
        at the next passage; 4. "according to X" anywhere in the sentence.
        """
        j = rule.right_after
        if j >= 0 and speakers[j]:
            return self.final(said[j], speakers[j], where, para), True
        if rule.before is not None:
            for j in rule.before:
                if speakers[j]:
                    return self.final(said[j], speakers[j], where, para), True
            if rule.pronoun is not None:
                rel, want = rule.pronoun
                m = self.nearest(base + rel, para, want)
                if m is not None:
                    return m.name, True
        for j in rule.after:
            if speakers[j]:
                return self.final(said[j], speakers[j], where, para), True
        for j in rule.according:
            if speakers[j]:
                return self.final(said[j], speakers[j], where, para), True
        return None, False

    def final(self, a: _Said, speaker: str | None, where: int, para: int) -> str | None:
        """An attribution's speaker; a statement or report resolves from the passage."""
        if a.doc_noun:
            resolved, _ = self.resolve_description(a.np.text, where, para)
            return resolved
        return speaker


@lru_cache(maxsize=1 << 14)
def _describe(text: str) -> tuple[str, str, str, frozenset[str], str] | None:
    """What a description's words say, wherever it stands: its first folded word, its
    head noun and that noun's kind, its content stems and its core as the article
    words it (``None``: no words)."""
    words = text.split()
    low = [fold(w) for w in words]
    cut = len(low)
    for n, w in enumerate(low):
        if n and (w in _PREPOSITIONS or w in _RELATIVES):
            cut = n
            break
    words, low = words[:cut], low[:cut]
    if not words:
        return None
    head = _head_of(low)
    kind = _head_kind(head)
    content = frozenset(stem(_bare(w)) for w in low if w not in STOPWORDS and w not in _DETERMINERS)
    core = " ".join(words)
    if words[0][:1].isupper() and low[0] in _DETERMINERS:
        core = words[0].lower() + core[len(words[0]) :]
    return low[0], head, kind, content, core


def _is_text(description: str) -> bool:
    """Whether a description names a text (``the statement``), which speaks for the
    nearest named speaker before it."""
    described = _describe(description)
    return described is not None and described[2] == "doc"


def _core_head(text: str) -> str:
    """The head noun of a description, before any preposition or clause."""
    low = [fold(w) for w in text.split()]
    for n, w in enumerate(low):
        if n and (w in _PREPOSITIONS or w in _RELATIVES):
            low = low[:n]
            break
    return _head_of(low)


def _head_of(low: Sequence[str]) -> str:
    """The person or text noun of a description ("another *person* familiar with the
    talks"), else its last word."""
    for w in reversed(low):
        if _head_kind(w):
            return _bare(w)
    return _bare(low[-1]) if low else ""


def _tok_at(toks: Sequence[_Tok], start: int) -> int:
    """The index of the first token starting at or after *start*."""
    lo, hi = 0, len(toks)
    while lo < hi:
        mid = (lo + hi) // 2
        if toks[mid].start < start:
            lo = mid + 1
        else:
            hi = mid
    return lo


class _Layout:
    """A paragraph's tokens with the indexes attribution looks things up in."""

    __slots__ = ("first", "last", "q_before", "quotes", "sent_of", "toks")

    def __init__(self, toks: list[_Tok], sent_of: list[int]) -> None:
        self.toks = toks
        self.sent_of = sent_of
        self.first: dict[int, int] = {}
        """Sentence → index of its first token."""
        self.last: dict[int, int] = {}
        """Sentence → index just past its last token."""
        self.q_before: list[int] = []
        """Token → index of the last quoted passage before it (-1: none)."""
        self.quotes: list[int] = []
        """Indexes of the quoted passages' tokens, in order."""
        if toks and sent_of[-1] == 0:  # one sentence
            self.first[0] = 0
            self.last[0] = len(toks)
        else:
            for n, s in enumerate(sent_of):
                self.first.setdefault(s, n)
                self.last[s] = n + 1
        if not any(t.kind == "q" for t in toks):
            self.q_before = [-1] * len(toks)
            return
        q_before = self.q_before
        for n, t in enumerate(toks):
            q_before.append(self.quotes[-1] if self.quotes else -1)
            if t.kind == "q":
                self.quotes.append(n)

    def start_of(self, n: int) -> int:
        """The index of the first token of token *n*'s sentence."""
        return self.first[self.sent_of[n]]

    def end_of(self, n: int) -> int:
        """The index just past the last token of token *n*'s sentence."""
        return self.last[self.sent_of[n]]

    def next_quote(self, qi: int) -> int:
        """The index of the passage after the one at *qi* (the tokens' end if none)."""
        k = bisect.bisect_right(self.quotes, qi)
        return self.quotes[k] if k < len(self.quotes) else len(self.toks)


def _verb_attr(lay: _Layout, k: int) -> _Attr:
    """The attribution a speech verb makes: its subject, before it or (inverted) after it."""
    toks, sent_of = lay.toks, lay.sent_of
    lo = max(lay.start_of(k), lay.q_before[k] + 1)
    participle = toks[k].low.endswith("ing")
    if participle:
        if k - 1 > lo and toks[k - 1].low == "as":
            # "The Times quoted Ann Cole as saying …": the speaker is the one quoted.
            np = _np_before(toks, k - 1, lo)
            if np is not None:
                return _Attr(k, np, sent_of[k])
        return _Attr(k, None, sent_of[k], participle=True)
    np = _np_before(toks, k, lo)
    if np is not None:
        return _Attr(k, np, sent_of[k])
    prev = toks[k - 1] if k else None
    if prev is None or prev.kind in ("p", "q") or sent_of[k - 1] != sent_of[k]:
        np = _np_after(toks, k + 1, lay.end_of(k))
        if np is not None:
            return _Attr(k, np, sent_of[k], inverted=True)
    return _Attr(k, None, sent_of[k])


def _opening_description(toks: Sequence[_Tok], n: int) -> tuple[_NP | None, bool]:
    """A sentence opening with a person description: "The former officer worries …".

    Also says whether the look-ahead ran off the end of *toks* undecided (the tokens
    after them could still decide it).
    """
    end = min(n + 7, len(toks))
    for m in range(n + 1, end):
        t = toks[m]
        if t.kind != "w" or t.low in _DESC_STOP or t.low in _PREPOSITIONS:
            return None, False
        if not t.cap and _head_kind(t.low) == "person":
            return _NP("desc", _join(toks[n : m + 1]), toks[n].start), False
    return None, end < n + 7


def _paragraph_tokens(text: str, spans: Sequence[tuple[int, int]]) -> list[_Tok]:
    """The tokens of *text*, each quoted passage one ``q`` token."""
    toks: list[_Tok] = []
    at = 0
    for n, (o, c) in enumerate(spans):
        _tokenize(text, at, o, toks)
        end = min(len(text), c + 1)
        toks.append(_Tok(text[o:end], o, end, "q", n))
        at = end
    _tokenize(text, at, len(text), toks)
    return toks


def _sentence_starts(text: str, spans: Sequence[tuple[int, int]]) -> list[int]:
    """Where the sentences of *text* start, the quoted passages masked (no breaks inside them)."""
    if spans:
        parts: list[str] = []
        at = 0
        for o, c in spans:
            # The passage's words become X's; its final punctuation and spaces stay
            # (the longest tail matching [.!?…,;:]*\s*, found without a regex).
            end = o + 1 + len(text[o + 1 : c].rstrip())
            keep = end
            while keep > o + 1 and text[keep - 1] in ".!?…,;:":
                keep -= 1
            parts.append(text[at : o + 1])
            parts.append("X" * (keep - o - 1))
            parts.append(text[keep:c])
            at = c
        parts.append(text[at:])
        text = "".join(parts)
    if _maybe_initials(text):
        text = _INITIALS.sub(_keep_initials, text)
    return [s for s, _ in sentence_spans(text)]


_INITIALS = re.compile(r"\b(?:[A-Z]\.){2,}(?=\s+([A-Z][\w’'-]*))")
_CAPITALS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _maybe_initials(text: str) -> bool:
    """Whether *text* holds ``X.Y.`` (capitals), which every match of :data:`_INITIALS`
    contains: a cheap test, full stop by full stop, before the substitution."""
    i = text.find(".", 1)
    while 0 < i < len(text) - 2:
        if text[i + 2] == "." and text[i + 1] in _CAPITALS and text[i - 1] in _CAPITALS:
            return True
        i = text.find(".", i + 1)
    return False


def _keep_initials(m: re.Match[str]) -> str:
    """``H.R. McMaster`` is one name, ``the U.S. The`` two sentences."""
    if fold(m.group(1)) in STOPWORDS:
        return m.group()
    return m.group().replace(".", "_")


def _context(lay: _Layout, sentence: int) -> frozenset[str]:
    """The content stems of a sentence's words outside its quoted passages."""
    out: set[str] = set()
    for n in range(lay.first[sentence], lay.last[sentence]):
        _add_content(lay.toks[n], out)
    return frozenset(out)


def _add_content(t: _Tok, out: set[str]) -> None:
    """Add the stem of *t* to *out* when it is a content word."""
    if t.kind == "w" and t.low not in STOPWORDS and len(t.low) > 1:
        out.add(stem(_bare(t.low)))


# --------------------------------------------------------------------------- text analysis
#
# Everything above that looks only at a paragraph's own text (its passages, names,
# sentences, speech verbs and their subjects, which attribution may name a passage's
# speaker) is worked out once per distinct text and kept; what those names, pronouns
# and descriptions stand for depends on the document read so far and is resolved per
# document (:class:`_DocReader`). Syndicated copies repeat paragraphs and sentences
# word for word, so most text is analysed once however many outlets carry it.
#
# The analysis of a paragraph is assembled from analyses of its sentences, each cached
# by its own text: nothing the rules look at crosses a sentence boundary, except in a
# few shapes of text (a passage or a name running over a boundary, an ellipsis ending a
# sentence, a description still undecided at a sentence's end), which are detected
# (:func:`_joins`, :attr:`_Unit.open_end`) and then read together with the sentence
# next to them as one unit.


@dataclass(slots=True)
class _Said:
    """A speech verb (or ``according to``) with the subject the text gives it."""

    pos: int
    """Where the attribution is met: its subject's offset."""
    np: _NP
    doc_noun: bool
    """The subject is a text (``the statement said``): it speaks for its author."""


@dataclass(slots=True)
class _Rule:
    """Which attributions may name one passage's speaker (indexes into its unit's
    :attr:`_Unit.said`), in the order :meth:`_DocReader.attribute` tries them."""

    right_after: int
    """The attribution right after the closing mark (-1: none)."""
    before: tuple[int, ...] | None
    """Attributions earlier in the sentence, nearest first (``None``: no speech verb before)."""
    pronoun: tuple[int, str] | None
    """Offset and gender of the sentence's first ``he``/``she``, when before the passage."""
    after: tuple[int, ...]
    """Attributions later in the sentence, before the next passage."""
    according: tuple[int, ...]
    """The sentence's ``according to`` attributions."""
    context: frozenset[str]
    """Content stems of the words around the passage in its sentence."""


@dataclass(slots=True)
class _Unit:
    """The text-only analysis of one sentence (or a few read together); offsets into it."""

    runs: list[_Run]
    descs: list[tuple[int, str]]
    """Person descriptions opening sentences: (offset, text). The first is the
    :attr:`head` one when there is one."""
    head: bool
    """The first description is at the very start and counts only when the unit before
    ends with a full stop, a question or exclamation mark, or a passage (:attr:`ends`)."""
    ends: bool
    said: list[_Said]
    rules: list[_Rule]
    """One per quoted passage, in order."""
    events: list[tuple[int, int]]
    """(kind, index) in reading order: 0 a name in :attr:`runs`, 1 a description in
    :attr:`descs`, 2 an attribution in :attr:`said`; the head description left out."""
    events_head: list[tuple[int, int]]
    """The same with the head description."""
    open_end: bool
    """Something at the end is undecided without the next sentence."""
    open_start: bool
    """Something at the start depends on the sentence before."""
    looks_back: bool = False
    """Reading it may look back at the persons met before: a pronoun speaks, or a text
    speaks for its author (see :meth:`_DocReader.read`)."""

    def __post_init__(self) -> None:
        self.looks_back = (
            any(a.np.kind == "pron" or a.doc_noun for a in self.said)
            or any(_is_text(desc) for _, desc in self.descs)
            or any(r.pronoun is not None for r in self.rules)
        )


@dataclass(slots=True)
class _Text:
    """What one paragraph text says, wherever it is published."""

    spans: list[tuple[int, int]]
    """The quoted passages (opening mark, closing mark or the text's end)."""
    left_open: bool
    """The last passage runs to the end of the paragraph."""
    indent: int
    """Length of the text's leading whitespace."""
    units: list[tuple[int, _Unit, bool]]
    """(offset, analysis, whether its head description counts) of its sentences."""
    looks_back: bool = False
    """Reading it may look back at the persons met before (a pronoun or a text speaking
    for its author): see :meth:`_DocReader.read`."""

    def __post_init__(self) -> None:
        self.looks_back = any(unit.looks_back for _, unit, _ in self.units)


class _Texts:
    """The analyses of the distinct paragraph and sentence texts of one call."""

    def __init__(self) -> None:
        self.paragraphs: dict[str, _Text] = {}
        self.units: dict[tuple[str, tuple[tuple[int, int], ...], tuple[int, ...], bool], _Unit] = {}
        """(text, passages, sentence starts, opens its paragraph) → analysis."""

    def get(self, text: str) -> _Text:
        """The analysis of a paragraph's text."""
        info = self.paragraphs.get(text)
        if info is None:
            info = self.paragraphs[text] = self.analyse(text)
        return info

    def analyse(self, text: str) -> _Text:
        """Analyse a paragraph text from its sentences' analyses (or as a whole)."""
        spans, left_open = _scan_marks(text)
        if left_open is not None:
            spans.append((left_open, len(text)))
        starts = _sentence_starts(text, spans)
        joined = _joins(text, spans, starts)
        while True:
            units = self.units_of(text, spans, starts, joined)
            # A unit reading into the next one, or back into the one before, is joined to it.
            if not any(unit.open_start or unit.open_end for _, unit in units):
                break
            again = False
            for (first, last), (_, unit) in zip(_groups_of(joined), units, strict=True):
                if unit.open_start and first:
                    joined[first - 1] = again = True
                if unit.open_end and last < len(joined):
                    joined[last] = again = True
            if not again:
                break

        placed: list[tuple[int, _Unit, bool]] = []
        ends = False
        for a, unit in units:
            placed.append((a, unit, unit.head and ends))
            ends = unit.ends
        if sum(len(unit.rules) for _, unit in units) != len(spans):
            raise AssertionError("one attribution rule per passage")
        return _Text(spans, left_open is not None, len(text) - len(text.lstrip()), placed)

    def units_of(
        self, text: str, spans: list[tuple[int, int]], starts: list[int], joined: list[bool]
    ) -> list[tuple[int, _Unit]]:
        """(offset, analysis) of the units of *text*: its sentences, joined where told."""
        out: list[tuple[int, _Unit]] = []
        units = self.units
        n = len(starts)
        for first, last in _groups_of(joined):
            a = starts[first]
            b = starts[last + 1] if last + 1 < n else len(text)
            local = tuple([(o - a, c - a) for o, c in spans if a <= o < b]) if spans else ()
            inner = _ONE if first == last else tuple([x - a for x in starts[first : last + 1]])
            key = (text[a:b], local, inner, first == 0)
            unit = units.get(key)
            if unit is None:
                unit = units[key] = _read_unit(key[0], local, inner, first=first == 0)
            out.append((a, unit))
        return out


_ONE = (0,)
"""The sentence starts of a one-sentence unit."""


def _groups_of(joined: Sequence[bool]) -> list[tuple[int, int]]:
    """(first, last) sentence of each unit, *joined[j]* joining sentences *j* and *j + 1*."""
    out: list[tuple[int, int]] = []
    first = 0
    for j, join in enumerate(joined):
        if not join:
            out.append((first, j))
            first = j + 1
    out.append((first, len(joined)))
    return out


_WORDISH_TAIL = re.compile(r"[\w’'.\-]+\Z")
"""The word characters of a name (see :data:`_RUN`) ending a text."""
_CLEAN_STOP = re.compile(r"[.!?\"”]")


def _joins(text: str, spans: Sequence[tuple[int, int]], starts: Sequence[int]) -> list[bool]:
    """For each sentence boundary of *text*, whether the rules read across it, so that
    the sentences on both sides must be analysed together.

    They do when a quoted passage runs over the boundary, when the boundary has no
    ``.!?"”`` (an ellipsis: the look-ahead for a pronoun or an apposition after a name
    stops only at those), or when a name run reads on over it because the word ending
    the sentence keeps its full stop (``Mr. Quoomer``, ``Washington, D.C. The …``).
    """
    joined = [False] * (len(starts) - 1)
    ellipsis = "…" in text
    for j in range(len(joined)):
        e = starts[j + 1]
        while e and text[e - 1].isspace():
            e -= 1
        k = e
        while k and text[k - 1] in "’'":
            k -= 1
        if k == 0:
            joined[j] = True
            continue
        if text[k - 1] == ".":
            # The word before the boundary: when it is all letters, it is the whole
            # name word (see _RUN); otherwise ask the regex what the word is.
            w = text.rfind(" ", 0, k - 1) + 1
            core = text[w : k - 1]
            if core.isalpha():
                if len(core) > 1 and core.lower() not in _ABBREVIATIONS:
                    continue  # the commonest case: a plain word ends the sentence
            else:
                m = _WORDISH_TAIL.search(text, max(0, e - 64), e)
                if m is None:
                    continue
                if m.start() == max(0, e - 64) and e > 64:
                    joined[j] = True  # a very long word: do not guess
                    continue
                word = m.group().rstrip("’'")
                core = word[:-1] if word.endswith(".") and len(word) > 1 else ""
                if not core:
                    continue
            if not _splits_stop(core):
                joined[j] = True
        elif ellipsis:
            k = e
            while k and text[k - 1] in "\"'”’)]":
                k -= 1
            if _CLEAN_STOP.search(text, k - 1 if k else 0, e) is None:
                joined[j] = True
    for o, c in spans:
        end = min(len(text), c + 1)
        k = bisect.bisect_right(starts, o)
        while k < len(starts) and starts[k] < end:
            joined[k - 1] = True
            k += 1
    return joined


def _read_unit(
    text: str, spans: Sequence[tuple[int, int]], starts: Sequence[int], *, first: bool
) -> _Unit:
    """The text-only analysis of *text*: one sentence, or a whole paragraph with its
    sentences starting at *starts*. *first*: *text* opens its paragraph."""
    runs = _name_runs(text, spans)
    if not spans and not _may_speak(text):
        light = _light_unit(text, runs, first=first)
        if light is not None:
            return light
    toks = _paragraph_tokens(text, spans)
    if len(starts) == 1:
        sent_of = [0] * len(toks)
    else:
        sent_of = [bisect.bisect_right(starts, t.start) - 1 for t in toks]
    lay = _Layout(toks, sent_of)
    open_start = open_end = False
    if not toks:
        open_start = not first
    elif first:
        # "But the official …": the description after an opening word is read only at
        # the paragraph's start.
        open_end = len(toks) == 1 and toks[0].low in _INTRO_WORDS
    else:
        t = toks[0]
        # A speech verb opening the sentence would look back at the word before it.
        open_start = t.kind == "w" and not t.cap and t.low in _SPEECH_VERBS
    if toks and toks[-1].low == "according":
        open_end = True

    # Descriptions opening sentences, and attributions.
    descs: list[tuple[int, str]] = []
    head = False
    attrs: list[_Attr] = []
    for n, t in enumerate(toks):
        if t.kind != "w":
            continue
        low = t.low
        if (
            t.cap
            and low in _DETERMINERS
            and (
                n == 0
                or toks[n - 1].text in ".!?"
                or toks[n - 1].kind == "q"
                or (first and n == 1 and toks[0].low in _INTRO_WORDS)
            )
        ):
            desc, undecided = _opening_description(toks, n)
            open_end = open_end or undecided
            if desc is not None:
                head = head or (n == 0 and not first)
                descs.append((desc.start, desc.text))
        if low == "according":
            if n + 1 < len(toks) and toks[n + 1].low == "to":
                np = _np_after(toks, n + 2, lay.end_of(n))
                attrs.append(_Attr(n, np, sent_of[n], according=True))
        elif low in _SPEECH_VERBS and _is_speech_verb(toks, n):
            attrs.append(_verb_attr(lay, n))
    said: list[_Said] = []
    index: list[int] = []  # attribution → its place in *said* (-1: no subject, never speaks)
    for a in attrs:
        if a.np is None:
            index.append(-1)
            continue
        index.append(len(said))
        doc_noun = a.np.kind == "desc" and _head_kind(_core_head(a.np.text)) == "doc"
        said.append(_Said(a.np.start, a.np, doc_noun))

    rules: list[_Rule] = []
    if lay.quotes:
        rules = _rules(lay, attrs, index)
    ends = bool(toks) and (toks[-1].text in ".!?" or toks[-1].kind == "q")
    return _unit(runs, descs, head, ends, said, rules, open_end, open_start)


def _unit(
    runs: list[_Run],
    descs: list[tuple[int, str]],
    head: bool,
    ends: bool,
    said: list[_Said],
    rules: list[_Rule],
    open_end: bool,
    open_start: bool,
) -> _Unit:
    """A :class:`_Unit` with its events in reading order: by offset, then names before
    descriptions before attributions."""
    keyed = [(r.pos, 0, n) for n, r in enumerate(runs)]
    keyed += [(pos, 1, n) for n, (pos, _) in enumerate(descs)]
    keyed += [(x.pos, 2, n) for n, x in enumerate(said)]
    keyed.sort()
    events_head = [(kind, n) for _, kind, n in keyed]
    events = [e for e in events_head if e != (1, 0)] if head else events_head
    return _Unit(runs, descs, head, ends, said, rules, events, events_head, open_end, open_start)


_Trie = dict[str, "_Trie"]


def _trie_pattern(words: Iterable[str]) -> str:
    """A regex alternation of *words* shaped as a trie (``sa(?:id|ys?)``): the regex
    engine then tries each letter once instead of each word in turn."""
    trie: _Trie = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: _Trie) -> str:
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


_SPEECHY = re.compile(rf"\b{_trie_pattern(_SPEECH_VERBS | {'according'})}\b")
"""A speech verb or ``according`` as a whole word (see :func:`_may_speak`)."""


def _may_speak(text: str) -> bool:
    """Whether *text* may hold a speech verb or ``according`` (a superset: a token whose
    folded form is one is a whole run of word characters; case is ignored)."""
    return _SPEECHY.search(text.lower()) is not None


_LIGHT_PREFIX = 8
"""Tokens read at the start of a unit without speech: enough for a description opening
it (one word, then up to six) after an opening word like ``But``."""


def _light_unit(text: str, runs: list[_Run], *, first: bool) -> _Unit | None:
    """The analysis of a unit with no quoted passage and no speech verb, read from its
    first and last tokens only (what :func:`_read_unit` would find).

    Without speech, all the unit gives besides its names are the descriptions opening
    its sentences, found at its start or after a ``.``, ``!`` or ``?`` token, and how it
    ends. ``None`` when those marks occur past the first tokens (read it all then).
    """
    last = len(text.rstrip()) - 1
    if last < 0:
        return None
    first_word = _TOKEN_PARTS.match(text)
    if first_word is not None and first_word.group(1) is not None:
        word = first_word.group()
        if word.endswith(".") and _splits_stop(word[:-1]):
            word = word[:-1]
        low = word.lower().replace("’", "'")
        opening = (word[0].isupper() and low in _DETERMINERS) or (first and low in _INTRO_WORDS)
    else:
        opening = False
    if not opening and not _stop_before(text, 0, last):
        # No description can open a sentence here: only how the unit ends matters.
        return _unit(runs, [], False, _ends_with_stop(text, last), [], [], False, False)
    toks: list[_Tok] = []
    cut = _tokenize(text, 0, len(text), toks, limit=_LIGHT_PREFIX)
    if not toks:
        return None
    whole = cut > last
    if not whole and _stop_before(text, toks[-1].start, last):
        return None
    descs: list[tuple[int, str]] = []
    head = False
    open_end = first and whole and len(toks) == 1 and toks[0].low in _INTRO_WORDS
    for n, t in enumerate(toks):
        if (
            t.kind == "w"
            and t.cap
            and t.low in _DETERMINERS
            and (
                n == 0
                or toks[n - 1].text in ".!?"
                or (first and n == 1 and toks[0].low in _INTRO_WORDS)
            )
        ):
            desc, undecided = _opening_description(toks, n)
            if undecided and not whole:
                return None
            open_end = open_end or undecided
            if desc is not None:
                head = head or (n == 0 and not first)
                descs.append((desc.start, desc.text))
    ends = toks[-1].text in ".!?" if whole else _ends_with_stop(text, last)
    return _unit(runs, descs, head, ends, [], [], open_end, False)


def _stop_before(text: str, start: int, last: int) -> bool:
    """Whether ``text[start:last]`` may hold a ``.``, ``!`` or ``?`` token (a superset:
    only a full stop after a whole word the tokenizer keeps it with, like ``Ms.``, is
    known not to be one)."""
    if text.find("!", start, last) >= 0 or text.find("?", start, last) >= 0:
        return True
    i = text.find(".", start, last)
    while i >= 0:
        word = text[text.rfind(" ", 0, i) + 1 : i]
        if not word.isalpha() or _splits_stop(word):
            return True
        i = text.find(".", i + 1, last)
    return False


def _ends_with_stop(text: str, last: int) -> bool:
    """Whether the last token of *text* (its last non-space character at *last*) is a
    ``.``, ``!`` or ``?``: only the last word needs reading (tokens never span spaces)."""
    tail: list[_Tok] = []
    _tokenize(text, text.rfind(" ", 0, last) + 1, len(text), tail)
    return tail[-1].text in ".!?"


def _rules(lay: _Layout, attrs: Sequence[_Attr], index: Sequence[int]) -> list[_Rule]:
    """The attribution rule of every quoted passage in *lay*."""
    toks, sent_of = lay.toks, lay.sent_of
    by_sentence: dict[int, list[int]] = {}
    """Sentence → its speech verbs' attributions, in order ("according to" apart)."""
    according: dict[int, list[int]] = {}
    for n, a in enumerate(attrs):
        (according if a.according else by_sentence).setdefault(a.sentence, []).append(n)
    pronoun: dict[int, int] = {}
    """Sentence → index of its first ``he`` or ``she``."""
    for n, t in enumerate(toks):
        if t.kind == "w" and t.low in ("he", "she"):
            pronoun.setdefault(sent_of[n], n)
    contexts: dict[int, frozenset[str]] = {}
    rules: list[_Rule] = []
    for qi in lay.quotes:
        sentence = sent_of[qi]
        lst = by_sentence.get(sentence, [])
        verbs = [attrs[n].verb for n in lst]
        i = bisect.bisect_right(verbs, qi)
        # Stop at the next passage: its own attribution is not this one's.
        stop = bisect.bisect_left(verbs, lay.next_quote(qi), i)
        right_after = -1
        if i < stop:
            a = attrs[lst[i]]
            first_word = qi + 1
            while first_word < len(toks) and toks[first_word].kind == "p":
                first_word += 1
            start_tok = a.verb if a.inverted or a.np is None else _tok_at(toks, a.np.start)
            if start_tok == first_word:
                right_after = index[lst[i]]
        before: tuple[int, ...] | None = None
        pron: tuple[int, str] | None = None
        if i:
            before = tuple(index[n] for n in reversed(lst[:i]) if index[n] >= 0)
            p = pronoun.get(sentence, len(toks))
            if p < qi:
                pron = (toks[p].start, _PRONOUNS[toks[p].low])
        after = tuple(index[n] for n in lst[i:stop] if index[n] >= 0)
        acc = tuple(index[n] for n in according.get(sentence, ()) if index[n] >= 0)
        if sentence not in contexts:
            contexts[sentence] = _context(lay, sentence)
        rules.append(_Rule(right_after, before, pron, after, acc, contexts[sentence]))
    return rules


# --------------------------------------------------------------------------- entities


class _EntityLinks:
    """Speaker strings → the canonical names of the entities given."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        self.by_alias: dict[str, Entity] = {}
        self.by_surname: dict[str, list[Entity]] = {}
        self.kinds: dict[str, str] = {}
        for e in entities:
            for alias in (e.name, *e.aliases):
                self.by_alias.setdefault(_key(alias), e)
            if e.kind.lower().startswith("per"):
                for alias in (e.name, *e.aliases):
                    words = alias.split()
                    if words and words[-1][:1].isupper():
                        key = _bare(fold(words[-1]))
                        group = self.by_surname.setdefault(key, [])
                        if e not in group:
                            group.append(e)

    def find(self, name: str) -> Entity | None:
        """The entity *name* is a name or an alias of (or the only person with its surname)."""
        if not self.by_alias:
            return None
        e = self.by_alias.get(_key(name))
        if e is not None:
            return e
        words = name.split()
        if words and words[0][:1].isupper():
            group = self.by_surname.get(_bare(fold(words[-1])), [])
            if len(group) == 1:
                return group[0]
        return None

    def kind(self, name: str) -> str:
        """``person``, ``organisation``, ``place`` or ``""`` for the entity *name* names."""
        if not self.by_alias:
            return ""
        k = self.kinds.get(name)
        if k is None:
            e = self.find(name)
            k = "" if e is None else e.kind.lower()
            k = self.kinds[name] = "person" if k.startswith("per") else k
        return k

    def link(self, speaker: str | None) -> str | None:
        """The canonical name of the entity *speaker* names, else *speaker* itself."""
        if speaker is None:
            return None
        e = self.find(speaker)
        return e.name if e is not None else speaker


@lru_cache(maxsize=1 << 16)
def _key(text: str) -> str:
    """A name's comparison key: folded words without honorifics."""
    words = [_bare(fold(w)) for w in WORD.findall(text)]
    while words and words[0] in _HONORIFICS:
        words.pop(0)
    return " ".join(words)


# --------------------------------------------------------------------------- grouping


@dataclass(slots=True)
class _Words:
    """A passage's folded words, as a list, a token string and a set of stems."""

    words: list[str]
    tokstr: str
    content: frozenset[str]


def _words(text: str, ids: dict[str, int]) -> _Words:
    """The folded words of *text*, numbered through *ids* for rapidfuzz."""
    words = [fold(w) for w in WORD.findall(text)]
    chars = []
    for w in words:
        wid = ids.get(w)
        if wid is None:
            wid = ids[w] = len(ids) + 1
            if 0xD800 <= wid <= 0xDFFF:
                wid = ids[w] = 0xE000 + wid
        chars.append(chr(wid))
    content = frozenset(stem(_bare(w)) for w in words if w not in STOPWORDS)
    return _Words(words, "".join(chars), content)


def _match_words(a: _Words, b: _Words) -> tuple[str, float] | None:
    """What two passages' words alone say: ``("words", score)`` when that settles it,
    ``("ctx", similarity)`` when the words around them must decide, ``None`` for no match."""
    la, lb = len(a.words), len(b.words)
    if not la or not lb:
        return None
    lcs = (la + lb - Indel.distance(a.tokstr, b.tokstr)) // 2
    sim = 2 * lcs / (la + lb)
    cover = lcs / min(la, lb)
    if sim >= 0.7:
        return "words", 1.0 + sim
    if cover >= 0.9 and min(la, lb) >= 4:
        return "words", 0.5 + cover / 2  # a partial quotation inside a longer one
    # A short or reworded passage: the same words around it (Jaccard of the sentence's
    # content words outside the marks) say it is the same quotation. Jaccard, not the
    # overlap coefficient: a four-word sentence is not "the same" as a long one
    # that happens to contain its words.
    shared = len(a.content & b.content)
    bag = shared / min(len(a.content), len(b.content)) if a.content and b.content else 0.0
    if shared and (sim >= 0.5 or bag >= 0.5):
        return "ctx", sim
    return None


def _match_context(sim: float, ctx_a: frozenset[str], ctx_b: frozenset[str]) -> float:
    """The score of a short or reworded passage pair from the words around them."""
    together = len(ctx_a & ctx_b)
    ctx = together / len(ctx_a | ctx_b) if together else 0.0
    if ctx >= 0.5 and together >= 2:
        return (sim + ctx) / 2
    return 0.0


_CANDIDATES = 100
"""At most this many passages are compared with one passage per key word: a word that
common says nothing about which quotation a passage is."""


def _groups(pieces: Sequence[_Piece], words: Sequence[_Words]) -> list[list[int]]:
    """Join passages of different documents that carry the same quotation.

    Passages are scored in pairs (:func:`_match_words`, then :func:`_match_context`) and
    joined best pair first, never two
    passages of one document in a group. Passages with the same words score highest,
    so they are joined first: a class of identical passages becomes one group per
    repetition within a document (each passage joins the first group lacking its
    document). Then the groups are joined across classes, best score first, a class
    compared only with the classes sharing one of its rarest words; its score is worked
    out once per pair of classes (from the words alone) or per pair of distinct
    contexts (short or reworded passages). The work grows with the number of distinct
    wordings, not with the square of the number of outlets.
    """
    # Classes of identical wordings. A passage without words matches nothing.
    class_of: dict[str, int] = {}
    members: list[list[int]] = []
    alone: list[int] = []
    for n, w in enumerate(words):
        if not w.words:
            alone.append(n)
            continue
        c = class_of.get(w.tokstr)
        if c is None:
            c = class_of[w.tokstr] = len(members)
            members.append([])
        members[c].append(n)
    rep = [words[m[0]] for m in members]
    wordsets = [frozenset(r.words) for r in rep]

    # Groups of identical passages: the first group without the passage's document.
    group_members: list[list[int]] = []
    group_docs: list[set[int]] = []
    groups_of: list[list[int]] = []
    for same in members:
        mine: list[int] = []
        for n in same:
            doc = pieces[n].doc
            for g in mine:
                if doc not in group_docs[g]:
                    group_members[g].append(n)
                    group_docs[g].add(doc)
                    break
            else:
                mine.append(len(group_members))
                group_members.append([n])
                group_docs.append({doc})
        groups_of.append(mine)

    # Candidate classes: those with a passage among the first passages carrying one of
    # the class's three rarest words (frequency counted in passages).
    df: Counter[str] = Counter()
    classes_with: dict[str, list[int]] = {}
    for c, ws in enumerate(wordsets):
        size = len(members[c])
        for word in ws:
            df[word] += size
            classes_with.setdefault(word, []).append(c)
    first_of: dict[str, set[int]] = {}

    def first_classes(word: str) -> set[int]:
        """The classes of the first passages (in reading order) carrying *word*."""
        out = first_of.get(word)
        if out is None:
            having = classes_with[word]
            if df[word] <= _CANDIDATES:
                out = set(having)
            else:
                firsts = heapq.nsmallest(
                    _CANDIDATES, heapq.merge(*([(n, c) for n in members[c]] for c in having))
                )
                out = {c for _, c in firsts}
            first_of[word] = out
        return out

    pairs: set[tuple[int, int]] = set()
    for c, ws in enumerate(wordsets):
        for word in heapq.nsmallest(3, ws, key=lambda x: (x in STOPWORDS, df[x], x)):
            for d in first_classes(word):
                if d != c:
                    pairs.add((c, d) if c < d else (d, c))

    # Scores between groups of different classes, with the first pair of passages
    # (in reading order) that has it.
    scored: list[tuple[float, int, int, int, int]] = []
    for c, d in pairs:
        verdict = _match_words(rep[c], rep[d])
        if verdict is None:
            continue
        kind, value = verdict
        for g in groups_of[c]:
            for h in groups_of[d]:
                if group_docs[g] & group_docs[h]:
                    continue  # never joinable: groups only grow
                if kind == "words":
                    first_g, first_h = group_members[g][0], group_members[h][0]
                    score = value
                else:
                    score, first_g, first_h = _best_context(
                        value, group_members[g], group_members[h], pieces
                    )
                    if score <= 0:
                        continue
                scored.append((-score, min(first_g, first_h), max(first_g, first_h), g, h))
    scored.sort()

    parent = list(range(len(group_members)))

    def find(x: int) -> int:
        """The root of *x*'s group (union-find, with path halving)."""
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _, _, _, g, h in scored:
        rg, rh = find(g), find(h)
        if rg == rh or group_docs[rg] & group_docs[rh]:
            continue
        if rg > rh:
            rg, rh = rh, rg
        parent[rh] = rg
        group_docs[rg] |= group_docs[rh]
    out: dict[int, list[int]] = {}
    for g, group in enumerate(group_members):
        out.setdefault(find(g), []).extend(group)
    return [*out.values(), *([n] for n in alone)]


def _best_context(
    sim: float, a: Sequence[int], b: Sequence[int], pieces: Sequence[_Piece]
) -> tuple[float, int, int]:
    """The best context score between two groups of passages, and the first pair of
    passages (in reading order) that has it; contexts are compared once each, at most
    :data:`_CANDIDATES` of each group's (the first met), which bounds the work however
    many outlets carry the passage."""
    ctx_a: dict[frozenset[str], int] = {}
    for n in a:
        if len(ctx_a) < _CANDIDATES:
            ctx_a.setdefault(pieces[n].context, n)
    ctx_b: dict[frozenset[str], int] = {}
    for m in b:
        if len(ctx_b) < _CANDIDATES:
            ctx_b.setdefault(pieces[m].context, m)
    best = (0.0, 0, 0)
    for x, n in ctx_a.items():
        for y, m in ctx_b.items():
            score = _match_context(sim, x, y)
            if score <= 0:
                continue
            pair = (n, m) if n < m else (m, n)
            if score > best[0] or (score == best[0] and pair < best[1:]):
                best = (score, *pair)
    return best


# --------------------------------------------------------------------------- speakers


def _speaker_key(speaker: str) -> tuple[bool, frozenset[str]]:
    """(is a name, its identifying words): a surname, or a description's content words."""
    words = [_bare(fold(w)) for w in WORD.findall(speaker)]
    if speaker[:1].isupper() and words:
        return True, frozenset([words[-1]])
    return False, frozenset(stem(w) for w in words if w not in STOPWORDS and w not in _DETERMINERS)


def _compatible_keys(a: tuple[bool, frozenset[str]], b: tuple[bool, frozenset[str]]) -> bool:
    """Whether two speaker keys may name the same speaker."""
    name_a, key_a = a
    name_b, key_b = b
    if name_a != name_b:
        return True  # a name and a description: nothing says they differ
    return bool(key_a & key_b) or not key_a or not key_b


def _group_speaker(speakers: Sequence[str | None]) -> tuple[str | None, bool]:
    """The speaker most outlets give (names before descriptions), and whether they differ."""
    given = Counter(s for s in speakers if s)
    if not given:
        return None, False
    keys = {s: _speaker_key(s) for s in given}
    distinct = list(dict.fromkeys(keys.values()))
    differ = any(
        not _compatible_keys(a, b) for n, a in enumerate(distinct) for b in distinct[n + 1 :]
    )
    votes: Counter[tuple[bool, frozenset[str]]] = Counter()
    for s, count in given.items():
        votes[keys[s]] += count
    best = max(votes, key=lambda k: (k[0], votes[k]))
    choices = [s for s in given if keys[s] == best]
    return max(choices, key=lambda s: (given[s], len(s))), differ


def _fill_from_group(variants: list[str | None], corpus: _Corpus) -> list[str | None]:
    """An outlet's unresolved "the president" takes the name another outlet gives, when
    that name is known to carry the title."""
    out = list(variants)
    for n, s in enumerate(variants):
        if not s or s[:1].isupper():
            continue
        low = s.split()
        if len(low) != 2 or low[0] not in _DEFINITE:
            continue
        head = _bare(fold(low[1]))
        for other in variants:
            if other and other[:1].isupper():
                key = _bare(fold(other.split()[-1]))
                if head in corpus.titles.get(key, ()):
                    out[n] = other
                    break
    return out


# --------------------------------------------------------------------------- API


def extract_quotes(
    documents: Sequence[Document], *, entities: Sequence[Entity] = ()
) -> tuple[Quote, ...]:
    """Find the quotations in *documents*, attribute them, and group them across outlets.

    Quotes come in reading order of their first variant (document, then paragraph,
    then position) with ids ``q0``, ``q1``…. Variant offsets are into the
    paragraph's text. With *entities*, speakers are given as the entities'
    canonical names where they match a name or an alias.
    """
    links = _EntityLinks(entities)
    texts = _Texts()
    chains: list[int] = []  # one entry per multi-paragraph quotation: its number is its index
    found = [_find_pieces(n, doc, chains, texts) for n, doc in enumerate(documents)]

    # Pass 1: the names every document gives.
    corpus = _Corpus()
    names_of: list[_Names] = []
    learnt: set[int] = set()  # the runs (as analysed, by id) whose corpus facts are in
    for doc in documents:
        names = _Names()
        for para in doc.paragraphs:
            for offset, unit, _ in texts.get(para.text).units:
                base = para.start + offset
                for run in unit.runs:
                    if run.org:
                        continue
                    if run.multi or run.titles or run.gender:
                        _learn_name(run, base + run.pos, names)
                    if id(run) not in learnt:
                        learnt.add(id(run))
                        _learn_corpus(run, corpus, links)
        names_of.append(names)

    # Pass 2: attributions, document by document.
    pieces: list[_Piece] = []
    for doc, names, by_para in zip(documents, names_of, found, strict=True):
        reader = _DocReader(doc, names, corpus, links)
        reader.read(by_para, texts)
        _fallbacks(reader, doc, by_para)
        for para_pieces in by_para:
            for piece in para_pieces:
                piece.speaker = reader.fullest(piece.speaker)
            pieces.extend(para_pieces)
    _share_along_chains(pieces)
    for p in pieces:
        p.speaker = links.link(p.speaker)

    # Grouping across documents.
    ids: dict[str, int] = {}
    seen: dict[str, _Words] = {}
    words = []
    for p in pieces:
        w = seen.get(p.text)
        if w is None:
            w = seen[p.text] = _words(p.text, ids)
        words.append(w)
    groups = _groups(pieces, words)
    groups.sort(key=lambda g: min((pieces[n].doc, pieces[n].para.index, pieces[n].open) for n in g))
    quotes: list[Quote] = []
    for number, group in enumerate(groups):
        group.sort(key=lambda n: (pieces[n].doc, pieces[n].para.index, pieces[n].open))
        members = [pieces[n] for n in group]
        speakers = _fill_from_group([p.speaker for p in members], corpus)
        variants = tuple(
            QuoteVariant(
                documents[p.doc].id,
                p.para.id,
                p.text,
                p.open + 1,
                p.close,
                speaker=s,
                continued=p.continued,
                runs_on=p.runs_on,
            )
            for p, s in zip(members, speakers, strict=True)
        )
        seqs = [words[n] for n in group]
        status: SpanStatus
        if len(group) == 1:
            status = "unique"
        elif all(s.words == seqs[0].words for s in seqs):
            status = "shared"
        else:
            status = "altered"
        longest = max(seqs, key=lambda s: len(s.words)).tokstr
        partial = status == "altered" and all(s.tokstr in longest for s in seqs)
        speaker, differ = _group_speaker(speakers)
        quotes.append(
            Quote(
                f"q{number}",
                speaker,
                status,
                variants,
                speakers_differ=differ,
                partial=partial,
                continued=any(p.continued for p in members),
            )
        )
    return tuple(quotes)


def _learn_name(run: _Run, pos: int, names: _Names) -> None:
    """Note what a name met at *pos* says about the document's names (only a name of
    more than one word, with a title or with a gender says something)."""
    if run.multi:
        names.full.setdefault(run.key, []).append((pos, run.name))
    for title in run.titles:
        names.titled.setdefault(title, []).append((pos, run.name))
    if run.gender:
        # "Ms. Keane" is the Keane named last before her, not every Keane.
        known = names.full.get(run.key)
        full = run.name
        if not run.multi and known:
            full = _pick(known, pos, run.gender, names.gender)
        names.gender.setdefault(_key(full), run.gender)


def _learn_corpus(run: _Run, corpus: _Corpus, links: _EntityLinks) -> None:
    """Note what a name says about the corpus's names (the same wherever it is met, and
    nothing in pass 1 reads it back, so once per distinct run is enough)."""
    if run.multi:
        corpus.full.setdefault(run.key, set()).add(run.folded)
        corpus.display.setdefault(run.folded, run.name)
    for title in run.titles:
        corpus.titles.setdefault(run.key, set()).add(title)
    if run.person or links.kind(run.name) == "person":
        corpus.persons.add(run.key)


def _fallbacks(reader: _DocReader, doc: Document, by_para: Sequence[list[_Piece]]) -> None:
    """Speakers for passages no pattern attributes, from their neighbours."""
    previous: str | None = None
    for k, pieces in enumerate(by_para):
        if not pieces:
            heard = reader.spoken.get(k)
            previous = max(heard)[1] if heard else None
            continue
        para = doc.paragraphs[k]
        opening = len(para.text) - len(para.text.lstrip())
        here = [m for m in reader.by_para.get(k, ()) if m.person and not m.plural]
        later: list[str | None] = [None] * len(pieces)
        upcoming: str | None = None
        for n in range(len(pieces) - 1, -1, -1):
            later[n] = upcoming
            if pieces[n].explicit and pieces[n].speaker:
                upcoming = pieces[n].speaker
        last: str | None = None
        seen = 0
        named: str | None = None
        for n, p in enumerate(pieces):
            while seen < len(here) and here[seen].pos < para.start + p.open:
                named = here[seen].name
                seen += 1
            if not p.speaker:
                if last:  # the passage before it in the paragraph
                    p.speaker = last
                elif named:  # a person named earlier in the paragraph
                    p.speaker = named
                elif later[n]:  # the passage after it: '"…" "…," she said'
                    p.speaker = later[n]
                elif (p.open <= opening or p.continued) and previous:
                    # A paragraph opening with a quotation goes on from the last speaker.
                    p.speaker = previous
            if p.speaker:
                last = p.speaker
        spoken = [(para.start + p.open, p.speaker) for p in pieces if p.speaker]
        spoken += reader.spoken.get(k, [])
        previous = max(spoken)[1] if spoken else None


def _share_along_chains(pieces: Sequence[_Piece]) -> None:
    """The parts of one multi-paragraph quotation share the speaker a pattern found."""
    named: dict[int, str] = {}
    for p in pieces:
        if p.chain >= 0 and p.explicit and p.speaker and p.chain not in named:
            named[p.chain] = p.speaker
    for p in pieces:
        if p.chain in named and not p.explicit:
            p.speaker = named[p.chain]


def quote_word_diff(a: str, b: str) -> list[tuple[str, str]]:
    """How two wordings of a quotation differ, word by word.

    Returns ``(tag, text)`` runs, tag ``"equal"``, ``"delete"`` (only in *a*) or
    ``"insert"`` (only in *b*), in reading order. Words are compared folded
    (case, accents, apostrophe style ignored); each run's text is the original
    stretch of *a* (equal, delete) or *b* (insert), punctuation between its words
    included.
    """
    ma = list(WORD.finditer(a))
    mb = list(WORD.finditer(b))
    ids: dict[str, int] = {}

    def tokstr(matches: Iterable[re.Match[str]]) -> str:
        """One character per folded word."""
        out = []
        for m in matches:
            w = fold(m.group())
            out.append(chr(ids.setdefault(w, len(ids) + 0xE000)))
        return "".join(out)

    runs: list[tuple[str, str]] = []

    def emit(tag: str, text: str, matches: Sequence[re.Match[str]], i: int, j: int) -> None:
        """Append a run, merging it with the previous run of the same tag."""
        if i >= j:
            return
        piece = text[matches[i].start() : matches[j - 1].end()]
        if runs and runs[-1][0] == tag:
            runs[-1] = (tag, runs[-1][1] + " " + piece)
        else:
            runs.append((tag, piece))

    for op in Indel.opcodes(tokstr(ma), tokstr(mb)):
        if op.tag == "equal":
            emit("equal", a, ma, op.src_start, op.src_end)
        else:
            emit("delete", a, ma, op.src_start, op.src_end)
            emit("insert", b, mb, op.dest_start, op.dest_end)
    # A replacement reads better as "what went, then what came".
    for n in range(len(runs) - 1):
        if runs[n][0] == "insert" and runs[n + 1][0] == "delete":
            runs[n], runs[n + 1] = runs[n + 1], runs[n]
    return runs
