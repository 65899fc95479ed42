"""Recognise boilerplate: the text around an article that is not the article.

Mastheads, ad markers, timestamp lines, widgets, captions, related-story
links, contributor lines… are *set aside* by the segmenter, never deleted, so
every rule here returns a reason a reader understands.  The rules are
deliberately conservative: dropping a real body paragraph is worse than
keeping a widget line, so a rule fires only on a shape that body text does
not take (a whole line that is just "Tweet", a sentence ending in a photo
credit, a temperature).  Context rules then catch what has no shape of its
own: a place name inside a weather widget, the run of short lines after the
article's last sentence.

Everything is linear in the text: rules run on one block at a time and look
at most at the first and last few hundred characters of a long block.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from storylens.core.tokens import STOPWORDS

__all__ = [
    "Trim",
    "content_words",
    "ends_sentence",
    "heading_shape",
    "mark",
    "masthead_name",
    "rule_reason",
    "sentence_like",
    "short_fragment",
    "source_name",
    "trims",
    "word_count",
]

# Reasons, worded for the reader (they appear in the key and in exports).
AD = "ad marker"
SCRAPER = "scraper residue"
AD_SCRAPER = "ad marker and scraper residue"
TIMESTAMP = "timestamp line"
WEATHER = "weather widget"
SHARE = "share buttons"
COMMENTS = "comments widget"
EVENTS = "community events widget"
CAPTION = "photo caption"
RELATED = "related-story link"
RELATED_HEADLINE = "related-story headline (it does not introduce the text after it)"
CONTRIBUTOR = "contributor line"
TEASER = "video teaser"
MASTHEAD = "masthead and slogan"
MASTHEAD_ONLY = "masthead"
BYLINE = "byline"
SOURCE = "source line"
COPYRIGHT = "copyright notice"
NEWSLETTER = "newsletter or subscription prompt"
SEPARATOR = "separator line (no words)"
AFTER_END = "page widget after the article's end"

_WIDGETS = (WEATHER, SHARE, COMMENTS, EVENTS)
"""Reasons that mark a widget block: their short neighbours belong to it."""

_SHORT = 160
"""Rules for whole short lines skip anything longer: cheap and safe."""

_TAIL = 300
"""End-anchored patterns only ever see this many trailing characters."""

_LONGEST = 1000
"""No rule applies to a block longer than this: captions and credits are short."""

# --------------------------------------------------------------------------- shapes

_CLOSERS = "\"'”\u2019»)]*_ \t"
_TERMINAL = ".!?…"


def ends_sentence(text: str) -> bool:
    """True if *text* ends like a sentence (after any closing quotes or brackets)."""
    stripped = text.rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _TERMINAL


def _ends_open(text: str) -> bool:
    """True if *text* ends in punctuation that says more is coming (``,`` ``;`` ``:``)."""
    stripped = text.rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in ",;:-\u2013—"


_FIRST_CHAR = re.compile(r"[\"'“\u2018«(\[]*([^\W_])")
_SENTENCE_INSIDE = re.compile(r"[a-z]{2,}[.!?][\"”\u2019']?\s+[A-Z]")


def heading_shape(text: str) -> bool:
    """True for a short line that reads like a headline or a section heading.

    Short (at most 20 words), no terminal punctuation, starting with a capital
    or a digit, and not two sentences.  Title Case, ALL CAPS and news-style
    sentence case ("Details about the meetings") all qualify.
    """
    if len(text) > _SHORT or "\n" in text:
        return False
    words = text.split()
    if not words or len(words) > 20 or ends_sentence(text) or _ends_open(text):
        return False
    first = _FIRST_CHAR.match(text)
    if first is None or not (first.group(1).isupper() or first.group(1).isdigit()):
        return False
    return _SENTENCE_INSIDE.search(text) is None


def word_count(text: str) -> int:
    """Count words; long blocks are estimated from their spaces (no list built).

    Block texts are joined with single spaces, so the estimate is close, and
    every threshold it meets is far below the lengths where it is used.
    """
    if len(text) < 200:
        return len(text.split())
    return text.count(" ") + 1


def short_fragment(text: str) -> bool:
    """True for a short line that is not a sentence: widget, menu or label material."""
    return len(text) <= 80 and len(text.split()) <= 8 and not ends_sentence(text)


def sentence_like(text: str) -> bool:
    """True for a block that reads as running prose (the stuff articles are made of)."""
    words = word_count(text)
    return words >= 25 or (words >= 6 and ends_sentence(text))


# Function words of four letters or more (shorter words are not looked at).
_STOP = STOPWORDS | {"among", "another"}

_WORD = re.compile(r"[^\W\d_]{4,}")


def content_words(text: str) -> set[str]:
    """Crude content-word stems (first five letters of words of four letters or more)."""
    return {w[:5] for w in (m.group().lower() for m in _WORD.finditer(text)) if w not in _STOP}


# --------------------------------------------------------------------------- rules on one block

_I = re.IGNORECASE

_AD_MARKERS = re.compile(r"(?:\[ad_\d+\]\s*)+")
_SOURCE_LINK = re.compile(r"(?:\[ad_\d+\]\s*)*source link", _I)
_ADVERT = re.compile(
    r"advertisement|advert|ad|sponsored(?: content)?|paid content|paid post"
    r"|story continues below(?: advertisement)?|continue reading (?:below|the main story)"
    r"|scroll to continue(?: with content)?|skip (?:ad|advertisement)|ad feedback",
    _I,
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
# "Posted: …", "Updated on …", "Published 10:31 AM": the keyword must be followed by a
# colon, "on"/"at", or a date, so a headline like "Published reports say…" is not a stamp.
_TIMESTAMP = re.compile(
    r"(?:posted|updated|published|last updated|last modified|first published|modified)"
    rf"(?:\s*:|\s+on\b|\s+at\b|\s+(?=\d|{_MONTH}\s|{_DAY}\b))",
    _I,
)
# Case-insensitive only where needed: "(?i:…)" keeps "[A-Z]" meaning capitals
# (a time zone) and keeps the compiled pattern small.
_DATE_ONLY = re.compile(
    rf"(?i:{_DAY},?\s+)?"
    rf"(?:(?i:{_MONTH})\s+\d{{1,2}}(?:st|nd|rd|th)?,?|\d{{1,2}}(?:st|nd|rd|th)?\s+(?i:{_MONTH}),?)"
    r"\s+\d{4}(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}\s*(?:[AaPp]\.?[Mm]\.?)?(?:\s+[A-Z]{2,5})?)?"
)
# Weather widgets: each pattern is paired with a cheap test that must pass first,
# so ordinary short lines (headings) cost a few substring checks, not seven scans.
_TEMPERATURE = re.compile(r"-?\d{1,3}\s*°\s*[CF]?\s*(?:wxIcon)?|.{0,40}\bwxIcon\b.{0,40}")
_HI_LO = re.compile(r"(?:hi|high|lo|low)\s*:?\s*-?\d{1,3}\s*°.{0,40}", _I)
_FEELS = re.compile(r"feels like\b.{0,20}", _I)
_SKY = re.compile(
    r"(?:(?:mostly|partly|light|heavy|scattered|isolated|few|broken)\s+)?"
    r"(?:sunny|cloudy|clear|clouds|overcast|rain|showers|thunderstorms?|t-storms|storms"
    r"|fog|foggy|haze|hazy|snow|sleet|drizzle|mist|windy|fair)"
    rf"(?:\s+(?:today|tonight|tomorrow|{_DAY}))?",
    _I,
)
_RADAR = re.compile(r"(?:[\w-]+\s+){0,2}radar", _I)
_READING = re.compile(
    r"(?:humidity|wind|dew point|uv index|precip(?:itation)?|pollen)\s*:.{0,30}", _I
)
_SHARE_WORDS = frozenset(
    [
        "share",
        "this",
        "article",
        "story",
        "post",
        "on",
        "via",
        "tweet",
        "email",
        "e-mail",
        "facebook",
        "twitter",
        "x",
        "linkedin",
        "whatsapp",
        "pinterest",
        "reddit",
        "print",
        "copy",
        "link",
        "messenger",
        "telegram",
        "flipboard",
        "save",
        "the",
    ]
)
_SHARE_CORE = frozenset(
    [
        "share",
        "tweet",
        "email",
        "e-mail",
        "facebook",
        "twitter",
        "linkedin",
        "whatsapp",
        "pinterest",
        "reddit",
        "print",
    ]
)
_COMMENTS = re.compile(
    r"article comments|comments?|show comments|view comments|hide comments|load comments"
    r"|read comments|post a comment|add a comment|leave a (?:comment|reply)"
    r"|join the (?:conversation|discussion)|\d+\s+comments?|comments?\s*\(\d+\)"
    r"|comment on this (?:story|article)",
    _I,
)
_EVENTS = re.compile(
    r"community events|upcoming events|local events|community calendar|events calendar"
    r"|submit an event",
    _I,
)
_NEWSLETTER = re.compile(
    r"(?:sign up|subscribe|get our|get the)\b.{0,80}"
    r"\b(?:newsletters?|updates|alerts|inbox)\b.{0,40}"
    r"|subscribe(?: now| today| here)?|already a subscriber\?.{0,30}",
    _I,
)
# A year or the © sign is required: "Copyright law changed…" is body text.
_COPYRIGHT = re.compile(
    r"(?:©|\(c\)\s*\d{4}|copyright\s*(?:©\s*|\(c\)\s*)?\d{4}).{0,200}"
    r"|.{0,200}\ball rights reserved\.?"
    r"|this material may not be published, broadcast, rewritten,? or redistributed\.?",
    _I,
)
_CREDIT = (
    r"\((?:[A-Z][\w.'\u2019\- ]{0,60}/\s?[A-Z][\w.&'\u2019\- ]{0,60}"
    r"|(?i:photo|photograph|image|picture|file photo)(?: by)?:?\s[^()]{1,80})\)"
)
_CAPTION_AFTER_SENTENCE = re.compile(rf"[.!?][\"”\u2019']?\s+{_CREDIT}\s*$")
# A short block that ends in a credit with no full stop after it is a caption
# even when the caption itself is not a full sentence.
_CAPTION_CREDIT_END = re.compile(rf"{_CREDIT}\s*$")
_CAPTION_LABEL = re.compile(
    r"(?:photo|photograph|image|picture|credit|photo credit|file photo|pictured)s?\s*:\s*\S", _I
)
_CAPTION_TAIL = re.compile(r"(?:^|[.!?]\s+)(?:photo|photograph|image)\s*:\s*[A-Z][^.]{1,80}$", _I)
_RELATED = re.compile(
    r"(?:read more|read also|also read|see also|related|related coverage|related content"
    r"|related stories|related articles?|related reading|related video|more on this(?: story)?"
    r"|more coverage|more|recommended(?: for you)?|recommended reading|you (?:may|might) also like"
    r"|don'?t miss|trending(?: now)?|most read|most popular|popular stories|top stories"
    r"|editor'?s picks?|further reading)\b\s*(?:[:|»>]|[—\u2013-]\s|$)",
    _I,
)
_CLICK_HERE = re.compile(r"click here\b", _I)
_CONTRIBUTED = re.compile(
    r"\bcontributed(?: additional)?(?: reporting| to this (?:report|story|article))"
    r"(?:\s+from\s+[^.]{1,60})?\.?[\"”)]*$",
    _I,
)
# Wire sign-offs: "(Reporting by Jane Roe; Editing by John Doe)".
_REPORTING_BY = re.compile(
    r"\(?(?:additional )?(?:reporting|writing|editing|edited|compiled|written) by\s+[A-Z]", _I
)
_TEASER = re.compile(
    r"\b[A-Z][\w&.-]*['\u2019]s\s+(?:[A-Z][\w.'\u2019-]+\s+){1,3}"
    r"(?:has more|has the story|has the latest|has details|has the report|takes a look)\.?$"
)
_TEASER_ENDS = (
    "has more",
    "has the story",
    "has the latest",
    "has details",
    "has the report",
    "takes a look",
)
_WATCH = re.compile(r"(?:watch|video|watch video|watch now|play video)\b\s*(?::|$)", _I)
# "By Jane Roe and John Doe, Example News"; not "By the numbers" / "By The Numbers".
_BYLINE = re.compile(
    r"[Bb][Yy]\s+(?![Tt][Hh][Ee]\b)[A-Z][\w.'\u2019-]*"
    r"(?:\s+(?:[A-Z][\w.'\u2019-]*|and|&|de|da|van|von|la|del|di))*"
    r"(?:\s*(?:,|\||—|\u2013|-)\s*.{0,60})?"
)
_ALNUM = re.compile(r"[^\W_]")

_PUBLICATION_WORDS = frozenset(
    [
        "post",
        "times",
        "gazette",
        "herald",
        "tribune",
        "journal",
        "news",
        "chronicle",
        "guardian",
        "telegraph",
        "observer",
        "independent",
        "star",
        "sun",
        "mail",
        "express",
        "globe",
        "examiner",
        "inquirer",
        "enquirer",
        "register",
        "record",
        "review",
        "standard",
        "courier",
        "dispatch",
        "bulletin",
        "monitor",
        "press",
        "reporter",
        "sentinel",
        "leader",
        "daily",
        "weekly",
        "today",
        "wire",
        "eagle",
        "mirror",
        "argus",
        "beacon",
        "ledger",
        "democrat",
        "republican",
        "constitution",
        "statesman",
        "advocate",
        "citizen",
        "pioneer",
        "tribune-review",
        "times-picayune",
        "dealer",
    ]
)
_JUNCTION = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
_SEPARATED = re.compile(r"(?P<name>.+?)\s+(?:\||—|\u2013|-|·|•|::)\s+(?P<slogan>.+)")
_SOURCE = re.compile(
    r"(?:(?:source|via)\s*:|(?:originally|first) published (?:at|in|by|on)\s*:?"
    r"|read the original(?: article| story)? (?:at|on)\s*:?)\s*(?P<name>\S.{0,100})",
    _I,
)
_URL_HOST = re.compile(r"(?:https?://)?(?:www\.)?(?P<host>[\w-]+(?:\.[\w-]+)+)", _I)


def _publication(name: str) -> bool:
    """True if *name* looks like a newspaper's name ("The Example Gazette")."""
    words = name.split()
    if not 1 <= len(words) <= 6 or not all(w[:1].isupper() for w in words if w.isalpha()):
        return False
    # The last word must be a newspaper word: "The LinkedIn Effect" is a headline.
    return words[-1].lower().strip(".,") in _PUBLICATION_WORDS


def masthead_name(text: str) -> str | None:
    """Return the outlet's name if *text* is a masthead line, else ``None``.

    Recognises a name stuck to its slogan when the page lost the layout
    between them ("The Example GazetteTruth Before Speed"), and a name and
    slogan with a separator ("The Example Gazette | Truth Before Speed").
    """
    if len(text) > 100 or ends_sentence(text) or len(text.split()) > 12:
        return None
    for junction in _JUNCTION.finditer(text):
        name, slogan = text[: junction.start()].strip(), text[junction.start() :].strip()
        left = name.split()[-1] if name.split() else ""
        # "McMaster", "DeVos": a junction after a short prefix is part of a name.
        if len(left) >= 3 and len(slogan.split()) >= 2 and _publication(name):
            return name
    separated = _SEPARATED.fullmatch(text)
    if separated and _publication(separated.group("name")):
        return separated.group("name").strip()
    return None


def _name_only_masthead(text: str) -> bool:
    """True for a line that is just a newspaper's name ("The Example Gazette")."""
    words = text.split()
    return (
        2 <= len(words) <= 5
        and not ends_sentence(text)
        and words[-1].lower() in _PUBLICATION_WORDS
        and all(w[:1].isupper() for w in words)
    )


def source_name(text: str) -> str | None:
    """Return the outlet named by a scraper's source line ("Source: Example News"), if any."""
    if len(text) > _SHORT or len(text.split()) > 12:
        return None
    match = _SOURCE.fullmatch(text.strip())
    if match is None:
        return None
    name = match.group("name").strip().rstrip(".")
    host = _URL_HOST.match(name)
    if host and ("/" in name or "." in name.split()[0]) and len(name.split()) == 1:
        return host.group("host").lower()
    if ends_sentence(name) or len(name.split()) > 6 or not name[:1].isupper():
        return None
    return name


_CALL_SIGN = re.compile(r"(?P<sign>[KW][A-Z]{2,3})(?:-(?:TV|DT|CD|LD|FM|AM))?")
_TITLE_WORDS = re.compile(r"(?:[A-Z0-9][\w'’&.-]*\s*){1,4}")
_NOT_STATIONS = frozenset(
    # Capitalised words of three or four letters that open widget and menu lines.
    [
        "WHO",
        "WHY",
        "WAR",
        "WAY",
        "WIN",
        "WON",
        "WEB",
        "WET",
        "KEY",
        "KID",
        "KIT",
        "WHAT",
        "WHEN",
        "WITH",
        "WILL",
        "WEEK",
        "WORK",
        "WEST",
        "WIDE",
        "WALK",
        "WANT",
        "WELL",
        "WERE",
        "WAIT",
        "WAKE",
        "KEEP",
        "KIDS",
        "KING",
        "KNOW",
        "KICK",
        "WIFI",
        "WWII",
        "WORD",
        "WILD",
        "WIND",
        "WINE",
        "WISH",
        "WEAR",
    ]
)


def station_name(lines: Iterable[str]) -> str | None:
    """A US broadcaster's call letters that open two or more widget lines, if any.

    A local station's page carries its call letters in its own widgets ("WXYZ
    Radar", "WXYZ Temperatures"): among the set-aside *lines*, the call sign
    (K or W and two or three more capitals, with an optional ``-TV``-style
    suffix) that begins at least two different short lines of title-case words.
    """
    openers: dict[str, set[str]] = {}
    for line in lines:
        first, _, rest = line.strip().partition(" ")
        sign = _CALL_SIGN.fullmatch(first)
        if sign is None or sign.group("sign") in _NOT_STATIONS:
            continue
        if _TITLE_WORDS.fullmatch(rest.strip()):
            openers.setdefault(first, set()).add(rest.strip())
    named = [(len(rests), sign) for sign, rests in openers.items() if len(rests) >= 2]
    return max(named)[1] if named else None


def _share_line(text: str) -> bool:
    if text.count(" ") > 12:  # share rows are a handful of words
        return False
    words = [w.strip(":|·•,").lower() for w in text.split()]
    words = [w for w in words if w]
    return (
        0 < len(words) <= 8
        and all(w in _SHARE_WORDS for w in words)
        and any(w in _SHARE_CORE for w in words)
    )


def _copyright_clue(text: str) -> bool:
    # Plain substring tests run in C; a regex search here cost more than all the rest.
    return "©" in text or "opyright" in text or "eserved" in text or "not be pub" in text


def _weather_line(text: str) -> bool:
    if len(text) > 60:
        return False
    if "°" in text or "wxIcon" in text:
        return bool(
            _TEMPERATURE.fullmatch(text) or _HI_LO.fullmatch(text) or _FEELS.fullmatch(text)
        )
    lower = text.lower()
    if lower.startswith("feels"):
        return bool(_FEELS.fullmatch(text))
    if lower.endswith("radar"):
        return bool(_RADAR.fullmatch(text))
    if ":" in text:
        return bool(_READING.fullmatch(text))
    return len(text) <= 40 and bool(_SKY.fullmatch(text))


def rule_reason(text: str, *, near_start: bool = False) -> str | None:
    """Return why *text* (one whole block) is boilerplate by its own shape, or ``None``.

    *near_start* enables the masthead rule, which only makes sense at the
    top of a page.
    """
    text = text.strip()
    if not text:
        return None
    if _ALNUM.search(text) is None:
        return SEPARATOR
    if len(text) > _LONGEST:
        return None
    words = word_count(text)
    tail = text[-_TAIL:]
    if len(text) <= _SHORT and near_start and masthead_name(text) is not None:
        return MASTHEAD
    if len(text) <= _SHORT:
        if _AD_MARKERS.fullmatch(text) or _ADVERT.fullmatch(text):
            return AD
        if _SOURCE_LINK.fullmatch(text):
            return AD_SCRAPER if "[ad_" in text else SCRAPER
        if words <= 14 and _TIMESTAMP.match(text) and any(c.isdigit() for c in text):
            return TIMESTAMP
        if _DATE_ONLY.fullmatch(text):
            return TIMESTAMP
        if _weather_line(text):
            return WEATHER
        if _share_line(text):
            return SHARE
        if _COMMENTS.fullmatch(text):
            return COMMENTS
        if _EVENTS.fullmatch(text):
            return EVENTS
        if words <= 15 and _NEWSLETTER.fullmatch(text):
            return NEWSLETTER
        if _RELATED.match(text) or (words <= 12 and _CLICK_HERE.match(text)):
            return RELATED
        if words <= 8 and _WATCH.match(text):
            return TEASER
        if words <= 14 and not ends_sentence(text) and _BYLINE.fullmatch(text):
            return BYLINE
        if source_name(text) is not None:
            return SOURCE
    if len(text) <= 400 and _copyright_clue(text) and _COPYRIGHT.fullmatch(text):
        return COPYRIGHT
    if words > 80:
        return None
    # End-anchored searches scan the whole tail, so each is guarded by a
    # substring test that is nearly free and almost always false on body text.
    credit = tail.endswith(")")
    if (
        (credit and _CAPTION_AFTER_SENTENCE.search(tail))
        or (words <= 40 and credit and _CAPTION_CREDIT_END.search(tail))
        or (words <= 40 and _CAPTION_LABEL.match(text))
        or (words <= 60 and ":" in tail and _CAPTION_TAIL.search(tail))
    ):
        return CAPTION
    if words > 60:
        return None
    if words <= 40:
        signoff = _REPORTING_BY.match(text) and (
            text.startswith("(") or ";" in text or not ends_sentence(text)
        )
        if signoff or ("contributed" in tail and _CONTRIBUTED.search(tail)):
            return CONTRIBUTOR
    if tail.rstrip(".").endswith(_TEASER_ENDS) and _TEASER.search(tail):
        return TEASER
    return None


# --------------------------------------------------------------------------- markers inside blocks


@dataclass(frozen=True, slots=True)
class Trim:
    """Boilerplate glued to the start or end of a block that is otherwise kept.

    ``head`` characters at the start and everything from ``tail`` on are
    boilerplate (``0`` and ``len(text)`` mean none).
    """

    head: int
    head_reason: str | None
    tail: int
    tail_reason: str | None


_HEAD_MARKER = re.compile(r"(?:\[ad_\d+\]\s*)+(?=\S)")
_TAIL_MARKER = re.compile(r"\s*(?:\[ad_\d+\]\s*)+(?:source link\s*)?$", _I)
_TAIL_CONTRIBUTED = re.compile(
    r"(?<=[.!?\"”])\s+[A-Z][^.!?]{0,150}\bcontributed(?: additional)?"
    r"(?: reporting| to this (?:report|story|article))[^.!?]{0,60}\.$"
)
_TAIL_TEASER = re.compile(
    r"(?<=[.!?\"”])\s+[A-Z][\w&.-]*['\u2019]s\s+(?:[A-Z][\w.'\u2019-]+\s+){1,3}has more\.$"
)


def trims(text: str) -> Trim | None:
    """Find boilerplate glued to a kept block: ``[ad_1]`` before it, ``[ad_2]Source link``
    or a trailing contributor / video-teaser sentence after it.

    Returns ``None`` when there is nothing to cut (the common case).
    """
    head, head_reason = 0, None
    tail, tail_reason = len(text), None
    if text.startswith("[ad_"):
        match = _HEAD_MARKER.match(text)
        if match:
            head, head_reason = match.end(), AD
    window = max(head, len(text) - _TAIL)
    tail_text = text[window:]
    for pattern, reason, clue in (
        (_TAIL_MARKER, None, "[ad_" in tail_text),
        (_TAIL_CONTRIBUTED, CONTRIBUTOR, "contributed" in tail_text),
        (_TAIL_TEASER, TEASER, tail_text.endswith("has more.")),
    ):
        if not clue:  # skip the end-anchored scan unless its key word is there
            continue
        match = pattern.search(text, window)
        if match and match.start() > head:
            tail = match.start()
            tail_reason = reason or (AD_SCRAPER if "source" in match.group().lower() else AD)
            break
    if head_reason is None and tail_reason is None:
        return None
    return Trim(head, head_reason, tail, tail_reason)


# --------------------------------------------------------------------------- context


def mark(
    texts: Sequence[str],
    *,
    eligible: Sequence[bool] | None = None,
    structured: Sequence[bool] | None = None,
) -> list[str | None]:
    """Decide, for a document's blocks in order, which are boilerplate and why.

    *eligible* is False for blocks no rule may touch (code, tables).
    *structured* is True for blocks whose kind the source declared (a
    Markdown heading or list item, an HTML extractor's paragraph): context
    rules, which guess from layout, leave them alone.
    Returns one reason or ``None`` (kept) per block.
    """
    n = len(texts)
    ok = list(eligible) if eligible is not None else [True] * n
    declared = list(structured) if structured is not None else [False] * n
    reasons: list[str | None] = [None] * n
    prose = [ok[i] and sentence_like(text) for i, text in enumerate(texts)]
    # Short lines whose role the source did not declare (a Markdown list item or
    # an extractor's paragraph is the source's own decision, not a widget label).
    loose = [ok[i] and not declared[i] and short_fragment(t) for i, t in enumerate(texts)]

    # 1. Rules on each block's own text.  Masthead rules only before the prose starts.
    prose_started = False
    for i, text in enumerate(texts):
        if not ok[i]:
            continue
        reasons[i] = rule_reason(text, near_start=not prose_started and i < 4)
        if reasons[i] is None and prose[i]:
            prose_started = True

    kept = [i for i in range(n) if ok[i] and reasons[i] is None]

    # 2. A first line that is only a newspaper's name, followed by a headline.
    if len(kept) >= 3 and not declared[kept[0]] and kept[0] < 4:
        first, second = texts[kept[0]], texts[kept[1]]
        if (
            _name_only_masthead(first)
            and heading_shape(second)
            and not heading_shape(texts[kept[2]])
        ):
            reasons[kept[0]] = MASTHEAD_ONLY

    # 3. A headline in the middle of the prose that shares no content word with
    #    the paragraph after it is a related-story link, not a section heading.
    kept = [i for i in range(n) if ok[i] and reasons[i] is None]
    for pos, i in enumerate(kept):
        text = texts[i]
        if declared[i] or pos == 0 or pos + 1 >= len(kept) or len(text) > _SHORT:
            continue
        if len(text.split()) < 7 or not heading_shape(text) or text.isupper():
            continue
        if not prose[kept[pos - 1]] or not prose[kept[pos + 1]]:
            continue
        following = content_words(texts[kept[pos + 1]])
        if pos + 2 < len(kept):
            following |= content_words(texts[kept[pos + 2]])
        if not content_words(text) & following:
            reasons[i] = RELATED_HEADLINE

    # 4. Widget blocks: a run of short non-sentence lines with a widget line in
    #    it is all widget ("Fort Wayne" inside a weather block), except a last
    #    line that reads as a heading for the paragraph after the run.
    i = 0
    while i < n:
        j = i
        while j < n and ok[j] and (reasons[j] in _WIDGETS or (reasons[j] is None and loose[j])):
            j += 1
        if j - i < 3:  # the common case: no run at all
            i = max(j, i + 1)
            continue
        widget = Counter(r for r in reasons[i:j] if r in _WIDGETS)
        count = sum(widget.values())
        # Mostly widget lines: the rest of the run is the widget's labels.
        if count >= 2 and count * 2 > j - i:
            name = widget.most_common(1)[0][0]
            end = j
            if (
                reasons[j - 1] is None
                and heading_shape(texts[j - 1])
                and j < n
                and reasons[j] is None
                and prose[j]
            ):
                end = j - 1
            for k in range(i, end):
                if reasons[k] is None:
                    reasons[k] = name
        i = max(j, i + 1)

    # 5. After the article's last sentence, short non-sentence lines are page
    #    furniture (menus, widget labels), when there are several of them.
    last = max(
        (i for i in range(n) if reasons[i] is None and prose[i]),
        default=-1,
    )
    if last >= 0:
        trailing = [i for i in range(last + 1, n) if ok[i] and reasons[i] is None and loose[i]]
        widgets_after = any(reasons[i] in _WIDGETS for i in range(last + 1, n))
        if len(trailing) >= 2 or (trailing and widgets_after):
            for i in trailing:
                reasons[i] = AFTER_END
    return reasons
