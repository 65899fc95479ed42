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
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import Indel

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

_HONORIFICS = {
    "mr": "m",
    "mrs": "f",
    "ms": "f",
    "miss": "f",
    "mx": "",
    "dr": "",
    "prof": "",
    "sir": "m",
    "dame": "f",
    "lord": "m",
    "lady": "f",
    "rev": "",
    "fr": "m",
}
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
_TOKEN = re.compile(r"\w+(?:[’'.\-]\w+)*\.?|--|\S")
_PUNCT_AFTER_CLOSE = ".,;:!?)]}—–-…'’"
_PUNCT_BEFORE_OPEN = "([{—–-/"
_TRAILING = re.compile(r"[.!?…,;:]*\s*$")


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


def _tokenize(text: str, start: int, end: int, out: list[_Tok]) -> None:
    """Append the words and punctuation of ``text[start:end]`` to *out* (a sentence's full stop is
    its own token, an abbreviation's is not).
    """
    for m in _TOKEN.finditer(text, start, end):
        word = m.group()
        s = m.start()
        if word[0].isalnum() or word[0] == "_":
            if word.endswith(".") and len(word) > 1:
                core = word[:-1]
                if not ("." in core or (len(core) == 1 and core.isupper())) and (
                    core.lower() not in _ABBREVIATIONS
                ):
                    out.append(_Tok(core, s, s + len(core), "w"))
                    out.append(_Tok(".", s + len(core), m.end(), "p"))
                    continue
            out.append(_Tok(word, s, m.end(), "w"))
        else:
            out.append(_Tok(word, s, m.end(), "p"))


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


def _scan_marks(text: str) -> tuple[list[tuple[int, int]], int | None]:
    """Return the closed passages ``(open mark, close mark)`` and a mark left open, if any."""
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


def _find_pieces(doc_index: int, doc: Document, chains: list[int]) -> list[list[_Piece]]:
    """The quoted passages of every paragraph of *doc*, in order."""
    out: list[list[_Piece]] = []
    carrying = -1  # the chain of a quotation running on from the previous paragraph
    paragraphs = doc.paragraphs
    for k, para in enumerate(paragraphs):
        spans, left_open = _scan_marks(para.text)
        pieces = [_Piece(doc_index, para, o, c) for o, c in spans]
        if left_open is not None:
            pieces.append(_Piece(doc_index, para, left_open, len(para.text)))
        if carrying >= 0 and pieces and pieces[0].open <= len(para.text) - len(para.text.lstrip()):
            pieces[0].continued = True
            pieces[0].chain = carrying
        carrying = -1
        if left_open is not None:
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
    """Offset of the name's first word in the document's text."""
    name: str
    key: str
    """The folded last word: the surname of a person."""
    titles: tuple[str, ...]
    gender: str
    person: bool
    org: bool


@dataclass
class _Names:
    """Names one document gives, for turning ``Mr. Maduro`` into a full name."""

    runs: list[_Run] = field(default_factory=list)
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


_CAP = r"[A-ZÀ-ÖØ-Þ][\w’'.\-]*"
_RUN = re.compile(rf"(?<![\w’'.\-]){_CAP}(?:\s+(?:(?:{'|'.join(sorted(_PARTICLES))})\s+)*{_CAP})*")
_NONSPACE = re.compile(r"\S+")
_WORD_BEFORE = re.compile(r"(\w+),?\s*$")
_APPOSITION = re.compile(r"\s*,\s*([^,.;:!?\"“”()\[\]]{1,100})")


def _name_runs(text: str, pieces: Sequence[_Piece], base: int) -> list[_Run]:
    """The capitalised names of a paragraph outside its quoted passages."""
    runs: list[_Run] = []
    at = 0
    bounds = [(p.open, min(len(text), p.close + 1)) for p in pieces] + [(len(text), len(text))]
    for stop, resume in bounds:
        for m in _RUN.finditer(text, at, stop):
            found = m.group()
            if " " not in found and "\t" not in found:
                words = [(found, 0)]
            else:
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
                        runs.extend(
                            _make_run(text, m.start(), group, base, last=n == len(words) - 1)
                        )
                        group = []
                        continue
                group.append((word, offset))
            if group:
                runs.extend(_make_run(text, m.start(), group, base, last=True))
        at = resume
    return runs


def _make_run(
    text: str, origin: int, group: list[tuple[str, int]], base: int, *, last: bool
) -> list[_Run]:
    """One :class:`_Run` from a group of capitalised words (none when it is no name)."""
    start = origin + group[0][1]
    end = origin + group[-1][1] + len(group[-1][0])
    words = [w for w, _ in group]
    offsets = [origin + o for _, o in group]
    lows = [w.lower().replace("’", "'") for w in words]
    while (
        words
        and (lows[0] in STOPWORDS or _bare(lows[0]) in _CALENDAR)
        and (_bare(lows[0]) not in _HONORIFICS)
    ):
        words.pop(0), lows.pop(0), offsets.pop(0)
    while words and _bare(lows[-1]) in _CALENDAR:
        words.pop(), lows.pop(), offsets.pop()
    if not words:
        return []
    if len(words) > 1 and all(w.isupper() and len(w) > 1 for w in words):
        return []  # a shouted headline or dateline
    titles: list[str] = []
    gender = ""
    while words and (_bare(lows[0]) in _TITLES or _bare(lows[0]) in _HONORIFICS):
        title = _bare(lows.pop(0))
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
    org = any(_bare(w) in _ORG_WORDS for w in lows)
    # Marks of a person: a title, a role noun before ("spokesman Garrett Marquis"), or
    # an apposition after ("Peter Kornbluh, a historian").
    person = False
    if not org:
        person = any(t not in _TITLE_MODIFIERS for t in titles)
        if not person and (len(words) > 1 or text[:start].rstrip().endswith(",")):
            before = _WORD_BEFORE.search(text, max(0, start - 40), start)
            if before is not None and before.group(1) in _PERSON_NOUNS:
                titles.append(before.group(1))
                person = True
        if not person and last:
            person = _apposition_is_person(text, end)
    return [
        _Run(
            base + offsets[0],
            " ".join(words),
            _bare(fold(words[-1])),
            tuple(titles),
            gender,
            person,
            org,
        )
    ]


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
        self.described: list[_Mention] = []
        """The speakers the document names by a description, for "the official" later."""
        self.fuller: dict[str, str] = {}
        """A described speaker → the fuller description the document later gives."""
        self.run_index = 0
        self.spoken: dict[int, list[tuple[int, str]]] = {}
        """Paragraph → (offset, speaker) of its resolved attributions."""

    # -- names -------------------------------------------------------------------------

    def full_name(self, name: str, pos: int, want: str = "") -> str:
        """The fullest form of *name* the documents give (``Maduro`` → ``Nicolás Maduro``).

        *want* is the gender an honorific gives (``Mr. Ward`` is not ``Aoife Ward``).
        """
        words = name.split()
        key = _bare(fold(words[-1]))
        if len(words) > 1:
            return name
        known = self.names.full.get(key)
        if known:
            return _pick(known, pos, want, self.names.gender)
        elsewhere = self.corpus.full.get(key)
        if elsewhere and len(elsewhere) == 1:
            return self.corpus.display[next(iter(elsewhere))]
        return name

    def is_person_name(self, name: str) -> bool:
        """Whether a name met in the text is a person's (for pronouns to refer to)."""
        linked = self.links.kind(name)
        if linked:
            return linked == "person"
        low = [_bare(fold(w)) for w in name.split()]
        if any(w in _ORG_WORDS for w in low):
            return False
        return low[-1] in self.corpus.persons or " ".join(low) in self.corpus.persons

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
        self.by_para.setdefault(mention.para, []).append(mention)
        if mention.desc and mention.speaker:
            self.described.append(mention)

    def nearest(self, pos: int, para: int, want: str, reach: int = 3) -> _Mention | None:
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
            kind = self.links.kind(name)
            org = any(_bare(fold(w)) in _ORG_WORDS for w in name.split())
            person = kind == "person" or (not kind and not org)
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
        words = text.split()
        low = [fold(w) for w in words]
        cut = len(low)
        for n, w in enumerate(low):
            if n and (w in _PREPOSITIONS or w in _RELATIVES):
                cut = n
                break
        words, low = words[:cut], low[:cut]
        if not words:
            return None, None
        head = _head_of(low)
        kind = _head_kind(head)
        content = frozenset(
            stem(_bare(w)) for w in low if w not in STOPWORDS and w not in _DETERMINERS
        )
        core = " ".join(words)
        if words[0][:1].isupper() and low[0] in _DETERMINERS:
            core = words[0].lower() + core[len(words[0]) :]
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
        if low[0] in _DEFINITE:
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

    def read(self, pieces_by_para: Sequence[list[_Piece]]) -> None:
        """Attribute the passages of every paragraph, in reading order."""
        for k, para in enumerate(self.doc.paragraphs):
            self.read_paragraph(k, para, pieces_by_para[k])

    def read_paragraph(self, k: int, para: Paragraph, pieces: list[_Piece]) -> None:
        """Meet the paragraph's names and attributions, then attribute its passages."""
        text = para.text
        base = para.start
        toks = _paragraph_tokens(text, pieces)
        starts = [s for s, _ in _sentences(text, pieces)]
        sent_of = [bisect.bisect_right(starts, t.start) - 1 for t in toks]
        lay = _Layout(toks, sent_of)

        # Events in reading order: names met, descriptions opening sentences, attributions.
        events: list[tuple[int, int, _Run | _NP | _Attr]] = []
        runs = self.names.runs
        while self.run_index < len(runs) and runs[self.run_index].pos < base + len(text):
            run = runs[self.run_index]
            self.run_index += 1
            if run.pos >= base:
                events.append((run.pos - base, 0, run))
        for n, t in enumerate(toks):
            if (
                t.kind == "w"
                and t.cap
                and t.low in _DETERMINERS
                and (
                    n == 0
                    or toks[n - 1].text in ".!?"
                    or toks[n - 1].kind == "q"
                    or (n == 1 and toks[0].low in _INTRO_WORDS)
                )
            ):
                desc = _opening_description(toks, n)
                if desc is not None:
                    events.append((desc.start, 1, desc))
        attrs: list[_Attr] = []
        for n, t in enumerate(toks):
            if t.kind != "w":
                continue
            if t.low == "according" and n + 1 < len(toks) and toks[n + 1].low == "to":
                np = _np_after(toks, n + 2, lay.end_of(n))
                attrs.append(_Attr(n, np, sent_of[n], according=True))
            elif _is_speech_verb(toks, n):
                attrs.append(_verb_attr(lay, n))
        for a in attrs:
            a.pos = a.np.start if a.np is not None else toks[a.verb].start
            events.append((a.pos, 2, a))
        events.sort(key=lambda e: (e[0], e[1]))

        for pos, _, item in events:
            if isinstance(item, _Run):
                if item.person or self.is_person_name(item.name):
                    name = self.full_name(item.name, item.pos, item.gender)
                    gender = item.gender or self.gender_of(name)
                    self.add(_Mention(item.pos, name, k, True, gender, titled=bool(item.titles)))
                elif not item.org and " " in item.name and not self.links.kind(item.name):
                    self.add(_Mention(item.pos, item.name, k, False, weak=True))
            elif isinstance(item, _NP):
                _, mention = self.resolve_description(item.text, base + pos, k)
                if mention is not None and mention.person:
                    mention.speaker = False
                    self.add(mention)
            elif item.np is not None:
                if item.np.kind == "desc":
                    item.doc_noun = _head_kind(_core_head(item.np.text)) == "doc"
                speaker, mention = self.resolve(item.np, base + pos, k)
                item.speaker = speaker
                if mention is not None and (mention.person or not mention.desc):
                    self.add(mention)

        found = _Found(lay, attrs)
        contexts: dict[int, frozenset[str]] = {}
        for qi in lay.quotes:
            piece = pieces[toks[qi].piece]
            piece.speaker, piece.explicit = self.attribute(lay, found, qi, k, base)
            s = sent_of[qi]
            if s not in contexts:
                contexts[s] = _context(lay, s)
            piece.context = contexts[s]
        self.spoken[k] = [(base + a.pos, a.speaker) for a in attrs if a.speaker]

    def attribute(
        self, lay: _Layout, found: _Found, qi: int, para: int, base: int
    ) -> tuple[str | None, bool]:
        """The speaker of the passage at token *qi*, and whether a pattern said so."""
        toks = lay.toks
        sentence = lay.sent_of[qi]
        verbs = found.verbs.get(sentence, [])
        attrs = found.by_sentence.get(sentence, [])
        i = bisect.bisect_right(verbs, qi)
        # Stop at the next passage: its own attribution is not this one's.
        stop = bisect.bisect_left(verbs, lay.next_quote(qi), i)
        where = base + toks[qi].start
        # 1. Right after the closing mark: '"…," he said' / '"…," said X'.
        if i < stop:
            a = attrs[i]
            first_word = qi + 1
            while first_word < len(toks) and toks[first_word].kind == "p":
                first_word += 1
            start_tok = a.verb if a.inverted or a.np is None else _tok_at(toks, a.np.start)
            if start_tok == first_word and a.speaker:
                return self.final(a, where, para), True
        # 2. A speech verb before the passage: 'X told reporters that "…"'. A participle or
        # a subject-less verb ("adding that", "and said") takes an earlier verb's subject.
        if i:
            j = found.last_spoken[sentence][i - 1]
            if j >= 0:
                return self.final(attrs[j], where, para), True
            pron = found.pronoun.get(sentence, len(toks))
            if pron < qi:
                m = self.nearest(base + toks[pron].start, para, _PRONOUNS[toks[pron].low])
                if m is not None:
                    return m.name, True
        # 3. A speech verb later in the sentence: '"…" in the region, said X'.
        if i < stop:
            j = found.next_spoken[sentence][i]
            if j < stop:
                return self.final(attrs[j], where, para), True
        # 4. "according to X" anywhere in the sentence.
        according = found.according.get(sentence)
        if according is not None:
            return self.final(according, where, para), True
        return None, False

    def final(self, a: _Attr, where: int, para: int) -> str | None:
        """An attribution's speaker; a statement or report resolves from the passage."""
        if a.doc_noun and a.np is not None:
            speaker, _ = self.resolve_description(a.np.text, where, para)
            return speaker
        return a.speaker


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
        for n, s in enumerate(sent_of):
            self.first.setdefault(s, n)
            self.last[s] = n + 1
            self.q_before.append(self.quotes[-1] if self.quotes else -1)
            if toks[n].kind == "q":
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


class _Found:
    """A paragraph's attributions, indexed by sentence for constant-time look-ups."""

    __slots__ = ("according", "by_sentence", "last_spoken", "next_spoken", "pronoun", "verbs")

    def __init__(self, lay: _Layout, attrs: Sequence[_Attr]) -> None:
        self.by_sentence: dict[int, list[_Attr]] = {}
        """Sentence → its speech verbs' attributions, in order ("according to" apart)."""
        self.according: dict[int, _Attr] = {}
        """Sentence → its first resolved "according to"."""
        for a in attrs:
            if not a.according:
                self.by_sentence.setdefault(a.sentence, []).append(a)
            elif a.speaker and a.sentence not in self.according:
                self.according[a.sentence] = a
        self.verbs = {s: [a.verb for a in lst] for s, lst in self.by_sentence.items()}
        self.last_spoken: dict[int, list[int]] = {}
        """Sentence → per attribution, the latest one up to it with a speaker (-1: none)."""
        self.next_spoken: dict[int, list[int]] = {}
        """Sentence → per attribution, the earliest one from it with a speaker."""
        for s, lst in self.by_sentence.items():
            latest, last = -1, []
            for n, a in enumerate(lst):
                if a.speaker:
                    latest = n
                last.append(latest)
            earliest, nxt = len(lst), [0] * len(lst)
            for n in range(len(lst) - 1, -1, -1):
                if lst[n].speaker:
                    earliest = n
                nxt[n] = earliest
            self.last_spoken[s], self.next_spoken[s] = last, nxt
        self.pronoun: dict[int, int] = {}
        """Sentence → index of its first ``he`` or ``she``."""
        for n, t in enumerate(lay.toks):
            if t.kind == "w" and t.low in ("he", "she"):
                self.pronoun.setdefault(lay.sent_of[n], n)


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


def _opening_description(toks: Sequence[_Tok], n: int) -> _NP | None:
    """A sentence opening with a person description: "The former officer worries …"."""
    for m in range(n + 1, min(n + 7, len(toks))):
        t = toks[m]
        if t.kind != "w" or t.low in _DESC_STOP or t.low in _PREPOSITIONS:
            return None
        if not t.cap and _head_kind(t.low) == "person":
            return _NP("desc", _join(toks[n : m + 1]), toks[n].start)
    return None


def _paragraph_tokens(text: str, pieces: Sequence[_Piece]) -> list[_Tok]:
    """The paragraph's tokens, each quoted passage one ``q`` token."""
    toks: list[_Tok] = []
    at = 0
    for n, p in enumerate(pieces):
        _tokenize(text, at, p.open, toks)
        end = min(len(text), p.close + 1)
        toks.append(_Tok(text[p.open : end], p.open, end, "q", n))
        at = end
    _tokenize(text, at, len(text), toks)
    return toks


def _sentences(text: str, pieces: Sequence[_Piece]) -> list[tuple[int, int]]:
    """Sentence spans of *text* with the quoted passages masked (no breaks inside them)."""
    if not pieces:
        return sentence_spans(_INITIALS.sub(_keep_initials, text))
    parts: list[str] = []
    at = 0
    for p in pieces:
        inner = text[p.open + 1 : p.close]
        keep = _TRAILING.search(inner)
        tail = keep.group() if keep else ""
        parts.append(text[at : p.open + 1])
        parts.append("X" * (len(inner) - len(tail)) + tail)
        at = p.close
    parts.append(text[at:])
    return sentence_spans(_INITIALS.sub(_keep_initials, "".join(parts)))


_INITIALS = re.compile(r"\b(?:[A-Z]\.){2,}(?=\s+([A-Z][\w’'-]*))")


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


# --------------------------------------------------------------------------- entities


class _EntityLinks:
    """Speaker strings → the canonical names of the entities given."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        self.by_alias: dict[str, Entity] = {}
        self.by_surname: dict[str, list[Entity]] = {}
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
        e = self.find(name)
        if e is None:
            return ""
        k = e.kind.lower()
        return "person" if k.startswith("per") else k

    def link(self, speaker: str | None) -> str | None:
        """The canonical name of the entity *speaker* names, else *speaker* itself."""
        if speaker is None:
            return None
        e = self.find(speaker)
        return e.name if e is not None else speaker


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


def _match(a: _Words, b: _Words, ctx_a: frozenset[str], ctx_b: frozenset[str]) -> float:
    """How surely two passages are the same quotation (0: not at all)."""
    la, lb = len(a.words), len(b.words)
    if not la or not lb:
        return 0.0
    lcs = (la + lb - Indel.distance(a.tokstr, b.tokstr)) // 2
    sim = 2 * lcs / (la + lb)
    cover = lcs / min(la, lb)
    if sim >= 0.7:
        return 1.0 + sim
    if cover >= 0.9 and min(la, lb) >= 4:
        return 0.5 + cover / 2  # a partial quotation inside a longer one
    # A short or reworded passage: the same words around it (Jaccard of the sentence's
    # content words outside the marks) say it is the same quotation. Jaccard, not the
    # overlap coefficient: a four-word sentence is not "the same" as a long one
    # that happens to contain its words.
    together = len(ctx_a & ctx_b)
    ctx = together / len(ctx_a | ctx_b) if together else 0.0
    shared = len(a.content & b.content)
    bag = shared / min(len(a.content), len(b.content)) if a.content and b.content else 0.0
    if ctx >= 0.5 and together >= 2 and shared and (sim >= 0.5 or bag >= 0.5):
        return (sim + ctx) / 2
    return 0.0


_CANDIDATES = 100
"""At most this many passages are compared with one passage per key word: a word that
common says nothing about which quotation a passage is."""


def _groups(pieces: Sequence[_Piece], words: Sequence[_Words]) -> list[list[int]]:
    """Join passages of different documents that carry the same quotation."""
    df: Counter[str] = Counter()
    for w in words:
        df.update(set(w.words))
    postings: dict[str, list[int]] = {}
    for n, w in enumerate(words):
        for word in set(w.words):
            postings.setdefault(word, []).append(n)
    pairs: dict[tuple[int, int], float] = {}
    seen: set[tuple[int, int]] = set()
    for n, w in enumerate(words):
        doc = pieces[n].doc
        for word in heapq.nsmallest(3, set(w.words), key=lambda x: (x in STOPWORDS, df[x], x)):
            for m in postings[word][:_CANDIDATES]:
                pair = (n, m) if n < m else (m, n)
                if pieces[m].doc == doc or pair in seen:
                    continue
                seen.add(pair)
                score = _match(w, words[m], pieces[n].context, pieces[m].context)
                if score > 0:
                    pairs[pair] = score
    parent = list(range(len(pieces)))
    docs: list[set[int]] = [{p.doc} for p in pieces]

    def find(x: int) -> int:
        """The root of *x*'s group (union-find, with path halving)."""
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for (n, m), _ in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0])):
        rn, rm = find(n), find(m)
        if rn == rm or docs[rn] & docs[rm]:
            continue
        parent[rm] = rn
        docs[rn] |= docs[rm]
    out: dict[int, list[int]] = {}
    for n in range(len(pieces)):
        out.setdefault(find(n), []).append(n)
    return list(out.values())


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
    chains: list[int] = []  # one entry per multi-paragraph quotation: its number is its index
    found = [_find_pieces(n, doc, chains) for n, doc in enumerate(documents)]

    # Pass 1: the names every document gives.
    corpus = _Corpus()
    names_of: list[_Names] = []
    for doc, by_para in zip(documents, found, strict=True):
        names = _Names()
        for para, in_para in zip(doc.paragraphs, by_para, strict=True):
            names.runs.extend(_name_runs(para.text, in_para, para.start))
        for run in names.runs:
            if run.org:
                continue
            if len(run.name.split()) > 1:
                names.full.setdefault(run.key, []).append((run.pos, run.name))
                folded = _key(run.name)
                corpus.full.setdefault(run.key, set()).add(folded)
                corpus.display.setdefault(folded, run.name)
            for title in run.titles:
                names.titled.setdefault(title, []).append((run.pos, run.name))
                corpus.titles.setdefault(run.key, set()).add(title)
            if run.gender:
                # "Ms. Keane" is the Keane named last before her, not every Keane.
                known = names.full.get(run.key)
                full = run.name
                if len(run.name.split()) == 1 and known:
                    full = _pick(known, run.pos, run.gender, names.gender)
                names.gender.setdefault(_key(full), run.gender)
            if run.person or links.kind(run.name) == "person":
                corpus.persons.add(run.key)
        names_of.append(names)

    # Pass 2: attributions, document by document.
    pieces: list[_Piece] = []
    for doc, names, by_para in zip(documents, names_of, found, strict=True):
        reader = _DocReader(doc, names, corpus, links)
        reader.read(by_para)
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
    words = [_words(p.text, ids) for p in pieces]
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


def _fallbacks(reader: _DocReader, doc: Document, by_para: Sequence[list[_Piece]]) -> None:
    """Speakers for passages no pattern attributes, from their neighbours."""
    previous: str | None = None
    for k, pieces in enumerate(by_para):
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
