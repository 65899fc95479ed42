"""Named entities — people, organisations, places — clustered across outlets.

The reader shows who each outlet names and who it leaves out, so every entity
carries a mention count per document (0 where an outlet never names it). Every
paragraph of a document counts, headings included; set-aside boilerplate never.

How it works, in three stages:

1. **Discovery** finds candidate names. The default backend is rule-based and
   runs offline: one regex finds *runs* of capitalised tokens in each paragraph
   (joined by ``of``/``on``/``de``…, hyphens and ``&``; possessives end a run,
   so ``Venezuela's Ministry of Defense`` is two names; ``pro-Maduro`` and
   ``U.S.-backed`` name ``Maduro`` and ``U.S.``). Each run is cleaned: month and
   weekday names and capitalised function words split it; ``of`` joins only
   after an organisation or place word or a title (``Bay of Pigs``, not
   ``Rubio of Florida``); leading titles and honorifics are parsed off (``Mr.``,
   ``Ms.``, ``Sen.``, ``President``, ``City Auditor``, ``Secretary of State``)
   and remembered with their gender; demonyms (``Venezuelan``, ``Latin
   American``) are dropped; events, indices and the like (``Cold War``, ``Dow
   Jones Industrial Average``, ``Big Three``) are not entities. Only
   *informative* capitals create names: a capital in mid-sentence, or a
   multi-word name opening a sentence whose first word never occurs in lower
   case elsewhere (``Delia Franks keeps…``, but not ``Angry Harwick residents``).
   A lone capitalised word opening a sentence or a quote, title-case headings
   and lines in capitals only count where they match a name found elsewhere.
   When spaCy and its ``en_core_web_sm`` pipeline happen to be installed, its
   named-entity spans can replace the rules' discovery (``backend="spacy"``,
   or automatically with ``backend="auto"``); nothing is ever downloaded.
2. **Clustering** joins the names of one entity: accents and case folded
   (``Nicolás`` = ``Nicolas``), titles stripped (``President Maduro`` =
   ``Maduro``), a bare surname to the one full name of a person ending with it,
   middle initials and corporate suffixes optional (``Rex W. Tillerson``,
   ``Northgate Energy Ltd``), ``U.S.`` = ``US`` = ``United States`` and
   ``Britain`` = ``U.K.``, an acronym to the one multi-word name whose initials
   it is or that it follows in apposition (``Revolutionary Armed Forces of
   Colombia, or FARC``), an organisation to the same name without a leading
   place when only one place claims it (``New York Times`` = ``Times``), a
   company to its first word used alone (``Halden`` = ``Halden Marine
   Construction``; not a town to its chamber of commerce). A prefix that is an
   organisation of its own is split off (``White House National Security
   Council``). Two people sharing a surname are never merged: a ``Mr.``/``Ms.``
   form goes to the one the honorific's gender supports (genders come from
   honorifics and from the pronoun after a full name), else to the nearest
   preceding full name in that document, else nowhere.
3. **Resolution** scans every paragraph once more for every entity's names:
   the longest name wins (``Carrow Bay`` inside ``Carrow Bay Courier`` counts
   for the paper), acronyms only match in capitals (``US``, never ``us``), an
   ambiguous surname is settled as above or left out, and a descriptive
   reference counts when exactly one entity named in that document carries the
   whole title (``the mayor`` after ``Mayor Marisol Ortega``; ``the prime
   minister``, not ``the minister``) or the head word (``the authority``). The
   counts and aliases come from this pass, and :func:`entity_mentions` runs the
   same pass, so highlights and counts agree.

Kinds: a gazetteer of countries, regions, US states and major cities (data, not
names of any story), organisation head words (Authority, Ministry, Council,
Department, Party, Times, Post…), place words (Bay, River, Port…), titles,
acronyms, and context (``in the X``, ``X district``, ``the port of X``,
``polling agency X``, ``analysts at X``, ``X union``, ``X, who``).

Cost is linear in the number of words: per paragraph a few regex scans; each
distinct run string is parsed and matched once, however often it recurs; the
context of a name is read for its first :data:`EVIDENCE_SAMPLE` occurrences
only. A million words take well under a second and a half here.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from .model import Document, Entity, Paragraph
from .tokens import NEGATIONS, NUMBER_WORDS, STOPWORDS, fold

__all__ = [
    "BACKENDS",
    "KINDS",
    "entity_mentions",
    "extract_entities",
    "spacy_available",
]

BACKENDS = ("auto", "rules", "spacy")
"""The values of ``backend``: spaCy when installed (``auto``), the rules, or spaCy only."""

KINDS = ("person", "organisation", "place")
"""The values of :attr:`Entity.kind`."""

PERSON, ORG, PLACE = KINDS
_KIND_INDEX = {PERSON: 0, ORG: 1, PLACE: 2}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _phrases(text: str) -> frozenset[tuple[str, ...]]:
    """Comma-separated phrases, folded into token tuples."""
    return frozenset(
        tuple(fold(w) for w in phrase.split()) for phrase in text.split(",") if phrase.strip()
    )


# --------------------------------------------------------------------------- word lists (data)

HONORIFICS: dict[str, str] = {
    "mr": "m",
    "mrs": "f",
    "ms": "f",
    "miss": "f",
    "mme": "f",
    "mlle": "f",
    "mx": "",
    "messrs": "",
    "dr": "",
    "prof": "",
    "sir": "m",
    "dame": "f",
    "lord": "m",
    "lady": "f",
}
"""Honorifics (folded) and the gender they state (``""``: none)."""

TITLES: dict[str, str] = {
    **{
        w: ""
        for w in _words(
            "president premier chancellor minister secretary senator sen representative rep"
            " governor gov mayor councillor councilor judge justice magistrate cardinal"
            " archbishop bishop rabbi imam reverend rev pastor general gen admiral adm colonel col"
            " captain capt lieutenant lt sergeant sgt commander cmdr marshal ambassador envoy"
            " auditor commissioner comptroller treasurer sheriff detective det inspector"
            " constable professor doctor speaker chairperson director superintendent supt coach"
            " ceo cfo coo cto executive officer chief leader prosecutor spokesperson saint"
        )
    },
    **{
        w: "m"
        for w in _words(
            "congressman assemblyman councilman alderman king prince emperor pope father sheikh"
            " emir sultan chairman spokesman duke"
        )
    },
    **{
        w: "f"
        for w in _words(
            "congresswoman assemblywoman councilwoman queen princess empress chairwoman"
            " spokeswoman duchess"
        )
    },
}
"""Titles that precede a person's name (folded), with the gender some of them state."""

REGNAL = _words("pope king queen prince princess emperor empress sheikh emir sultan saint")
"""Titles that are part of the name when only one name follows (``Pope Francis``)."""

TITLE_MODIFIERS = _words(
    "vice deputy acting interim former prime foreign defense defence interior finance home"
    " state city county district federal national security attorney surgeon chief senior first"
    " press lieutenant grand supreme associate assistant under executive managing high police"
    " fire health education labor labour trade energy agriculture transport transportation"
    " environment culture economy treasury homeland commerce majority minority house senate"
    " opposition party general"
)
"""Words that may stand before a title (``City Auditor``, ``Vice President``)."""

PORTFOLIOS = _words(
    "state defense defence homeland security health energy commerce labor labour education"
    " agriculture transportation transport interior justice foreign affairs finance economy"
    " trade treasury the war"
)
"""Words after ``of`` in a title (``Secretary of State``)."""

ORG_HEADS = _words(
    "authority ministry council department dept party times post agency agencies association"
    " university college polytechnic institute institution school academy office archive"
    " archives assembly congress senate parliament court tribunal commission committee bank"
    " company co corporation corp inc incorporated ltd llc plc gmbh group construction holdings"
    " industries partners capital ventures trust fund foundation society union league federation"
    " confederation organization organisation network board bureau house embassy consulate"
    " administration government church hospital clinic club airlines airways airline railway"
    " railways systems technologies technology solutions services service forces army navy"
    " police guard corps command militia front movement coalition alliance caucus cabinet center"
    " centre laboratory laboratories labs museum library secretariat directorate wire news press"
    " journal herald tribune gazette courier ledger observer chronicle telegraph guardian mirror"
    " express examiner inquirer register review magazine radio television broadcasting channel"
    " media studios records motors energy petroleum pharmaceuticals insurance securities"
    " exchange reserve nations marines brigade battalion regiment cartel brotherhood consortium"
    " cooperative enterprises associates mining electric telecom communications institutes"
    " chamber guild syndicate federation conference convention charity orchestra choir club"
    " team squad logistics shipping engineering consulting publishing publishers pictures"
    " entertainment software bancorp brands foods automotive works workers"
)
"""Last words (folded) that make a name an organisation (``… Authority``, ``… Times``)."""

COMPANY_HEADS = _words(
    "construction holdings industries partners capital ventures group company co corporation corp"
    " inc incorporated ltd llc plc gmbh airlines airways motors energy systems technologies"
    " technology solutions services pharmaceuticals insurance securities media studios records"
    " mining electric telecom communications enterprises associates bancorp labs laboratories"
    " logistics shipping engineering consulting publishing pictures entertainment software brands"
    " foods automotive"
)
"""Heads of company names, which are shortened to their first word (``Halden``);
institutions named after a place (``Brenmouth Chamber of Commerce``) are not."""

DESCRIPTOR_HEADS = _words(
    "authority ministry council department agency association university college polytechnic"
    " institute assembly congress senate parliament court tribunal commission committee bank"
    " company corporation foundation union league federation organization organisation board"
    " bureau embassy consulate party coalition alliance museum hospital archive school academy"
)
"""Organisation heads that ``the <head>`` may refer back to (``the authority``)."""

DESCRIPTOR_TITLES = _words(
    "president mayor governor senator councillor councilor auditor minister secretary chancellor"
    " premier ambassador commissioner sheriff judge pope king queen prince princess bishop"
    " archbishop cardinal rabbi imam congressman congresswoman prosecutor treasurer comptroller"
    " superintendent chairman chairwoman coach professor inspector detective"
)
"""Titles that ``the <title>`` may refer back to (``the mayor``); not ``general``, ``leader``."""

PLACE_TAILS = _words(
    "bay river lake sea ocean gulf strait straits island islands isles peninsula mountain"
    " mountains hills hill valley canyon desert coast beach harbor harbour falls creek county"
    " province prefecture district region territory territories city town village square street"
    " avenue road boulevard heights springs plains forest reservoir estuary delta basin republic"
    " kingdom emirates airport canal glacier"
)
"""Last words that make a name a place (``Carrow Bay``)."""

PLACE_LEADS = _words("river lake mount mt port cape fort ft isle gulf bay sea strait")
"""First words that make a longer name a place (``River Lisk``, ``Port Ellery``)."""

PLACE_NOUNS = _words(
    "district area region province county valley neighbourhood neighborhood suburb suburbs"
    " estate quarter coast border basin delta township state city town village island capital"
    " harbour harbor waterfront municipality countryside"
)
"""Common nouns that, right after a name, say it is a place (``the Saltings district``)."""

PLACE_PREPS = _words("in across near throughout within around outside into inside")
"""Prepositions before a name that suggest a place (``in the Saltings``)."""

PLACE_PREPS_WEAK = _words("off via toward towards beyond")
"""Prepositions that suggest a place less strongly (``off Brenmouth``); not ``to``/``from``,
which as often come before an organisation (``joined from Volvo``)."""

STAFF_NOUNS = _words(
    "analyst analysts economist economists researcher researchers official officials executive"
    " executives engineer engineers worker workers staff employee employees scientist scientists"
    " professor professors strategist strategists lawyers lawyer"
)
"""``analysts at X``: X is an organisation."""

ORG_NOUNS = _words(
    "agency company firm group newspaper paper network broadcaster outlet website site platform"
    " bank party union charity organisation organization institute university startup carrier"
    " airline manufacturer retailer insurer lender channel station magazine daily tabloid"
    " publisher service app giant conglomerate contractor developer builder consultancy lab"
    " laboratory pollster watchdog regulator nonprofit ngo outfit club team brand maker chain"
    " operator supplier utility"
)
"""Common nouns that, right before a name, say it is an organisation (``polling agency X``)."""

PERSON_NEXT = _words(
    "said says told added wrote argued asked stated explained noted insisted recalled warned"
    " claimed denied tweeted replied"
)
"""Verbs of speech after a name: weak evidence of a person."""

PERSON_ADMIN = _words("administration presidency regime era campaign")
"""``the Trump administration``: a person's name before these words."""

PERSON_POSSESSED = _words(
    "wife husband son daughter father mother brother sister family presidency administration"
    " campaign lawyer lawyers spokesman spokeswoman predecessor successor"
)
"""``X's wife``: a person's name before a possessive and these words."""

EVENT_TAILS = _words(
    "war wars revolution olympics games cup championship championships act treaty accord"
    " accords agreement day prize award awards festival summit crisis election elections"
    " scandal affair protocol amendment doctrine show expo exhibition fair marathon tournament"
    " race rally parade index average"
)
"""Last words of names of events, laws, prizes and indices: not people, organisations or places."""

NOT_NAMES: frozenset[tuple[str, ...]] = _phrases("Wi Fi, Internet, Web, Bluetooth, Covid")
"""Capitalised common nouns of technology and medicine."""

TEMPORAL = _words(
    "january february march april june july august september october november december jan feb"
    " apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday"
    " sunday christmas easter ramadan thanksgiving hanukkah eid"
)
"""Months, weekdays and holidays: never part of a name (``May`` is handled apart)."""

SUFFIXES = _words("jr sr ii iii iv")
"""Name suffixes left off a name's key (``Martin Luther King Jr.``)."""

NOT_ACRONYMS = _words(
    "TV CEO CFO COO CTO GDP AM PM OK ID DNA HIV AIDS USD EUR GMT UTC PDF URL FAQ DIY VIP PR IT"
    " AI MP MPS UFO LGBT LGBTQ COVID SUV ATM CCTV II III IV VI VII VIII IX XI XII EV EVS GPS USB"
    " LED LCD PC IPO ETF CPI ESG VAT DVD SMS PIN HQ"
)
"""All-capital words that are not names."""

_DEMONYM_BASE = (
    "american venezuelan cuban mexican brazilian chilean colombian argentine argentinian peruvian"
    " ecuadorian bolivian nicaraguan honduran guatemalan salvadoran panamanian paraguayan"
    " uruguayan haitian dominican jamaican canadian belgian austrian norwegian hungarian romanian"
    " bulgarian russian ukrainian belarusian georgian armenian iranian iraqi syrian israeli"
    " palestinian jordanian saudi egyptian libyan tunisian algerian moroccan nigerian kenyan"
    " ethiopian somali ghanaian korean indonesian malaysian filipino indian pakistani afghan"
    " bangladeshi australian european african asian arab muslim christian catholic sunni shiite"
    " latino latina republican democrat socialist communist conservative liberal italian german"
    " chavista serbian croatian bosnian albanian slovak czech estonian latvian lithuanian"
    " sri_lankan thai zimbabwean angolan congolese"
)
DEMONYMS = frozenset(
    [w for w in _DEMONYM_BASE.split()]
    + [w + "s" for w in _DEMONYM_BASE.split()]
    + [
        "british",
        "english",
        "scottish",
        "welsh",
        "irish",
        "french",
        "dutch",
        "swiss",
        "spanish",
        "portuguese",
        "danish",
        "swedish",
        "finnish",
        "polish",
        "turkish",
        "kurdish",
        "greek",
        "chinese",
        "japanese",
        "taiwanese",
        "vietnamese",
        "lebanese",
        "sudanese",
        "burmese",
        "maltese",
        "nepalese",
        "senegalese",
        "western",
        "eastern",
        "northern",
        "southern",
        "soviet",
        "hispanic",
        "jewish",
        "shia",
        "latin",
        "democratic",
        "arabic",
        "balkan",
        "caribbean",
        "scandinavian",
    ]
)
"""Adjectives and nouns of nationality (folded): not entities of their own."""

GAZETTEER: frozenset[tuple[str, ...]] = _phrases(
    # countries and territories
    "Afghanistan, Albania, Algeria, Andorra, Angola, Argentina, Armenia, Australia, Austria,"
    " Azerbaijan, Bahamas, Bahrain, Bangladesh, Barbados, Belarus, Belgium, Belize, Benin, Bhutan,"
    " Bolivia, Bosnia, Botswana, Brazil, Brunei, Bulgaria, Burkina Faso, Burundi, Cambodia,"
    " Cameroon, Canada, Chad, Chile, China, Colombia, Congo, Costa Rica, Croatia, Cuba, Cyprus,"
    " Czech Republic, Czechia, Denmark, Djibouti, Dominica, Dominican Republic, Ecuador, Egypt,"
    " El Salvador, Eritrea, Estonia, Eswatini, Ethiopia, Fiji, Finland, France, Gabon, Gambia,"
    " Georgia, Germany, Ghana, Greece, Grenada, Guatemala, Guinea, Guyana, Haiti, Honduras,"
    " Hungary, Iceland, India, Indonesia, Iran, Iraq, Ireland, Israel, Italy, Ivory Coast,"
    " Jamaica, Japan, Jordan, Kazakhstan, Kenya, Kosovo, Kuwait, Kyrgyzstan, Laos, Latvia,"
    " Lebanon, Lesotho, Liberia, Libya, Liechtenstein, Lithuania, Luxembourg, Madagascar, Malawi,"
    " Malaysia, Maldives, Mali, Malta, Mauritania, Mauritius, Mexico, Moldova, Monaco, Mongolia,"
    " Montenegro, Morocco, Mozambique, Myanmar, Burma, Namibia, Nepal, Netherlands, Holland,"
    " New Zealand, Nicaragua, Niger, Nigeria, North Korea, North Macedonia, Norway, Oman,"
    " Pakistan, Palestine, Panama, Papua New Guinea, Paraguay, Peru, Philippines, Poland,"
    " Portugal, Puerto Rico, Qatar, Romania, Russia, Rwanda, Saudi Arabia, Senegal, Serbia,"
    " Sierra Leone, Singapore, Slovakia, Slovenia, Somalia, South Africa, South Korea,"
    " South Sudan, Spain, Sri Lanka, Sudan, Suriname, Sweden, Switzerland, Syria, Taiwan,"
    " Tajikistan, Tanzania, Thailand, Togo, Trinidad and Tobago, Tunisia, Turkey, Turkmenistan,"
    " Uganda, Ukraine, United Arab Emirates, United Kingdom, United States,"
    " United States of America, Uruguay, Uzbekistan, Venezuela, Vietnam, Yemen, Zambia,"
    " Zimbabwe, Britain, Great Britain, England, Scotland, Wales, Northern Ireland, Greenland,"
    " Hong Kong, Macau, Tibet, Crimea, Gaza, West Bank, Kashmir, Catalonia, Kurdistan, America,"
    # regions
    " Africa, Asia, Europe, Oceania, Antarctica, Arctic, Antarctic, Americas, North America,"
    " South America, Central America, Latin America, Caribbean, Middle East, Near East,"
    " Far East, Southeast Asia, East Asia, South Asia, Central Asia, West Africa, East Africa,"
    " North Africa, Eastern Europe, Western Europe, Balkans, Scandinavia, Sahel, Pacific,"
    " Atlantic, Mediterranean, Siberia, Patagonia, Andes, Himalayas, Persian Gulf,"
    " Gulf of Mexico, Horn of Africa,"
    # US states
    " Alabama, Alaska, Arizona, Arkansas, California, Colorado, Connecticut, Delaware, Florida,"
    " Hawaii, Idaho, Illinois, Indiana, Iowa, Kansas, Kentucky, Louisiana, Maine, Maryland,"
    " Massachusetts, Michigan, Minnesota, Mississippi, Missouri, Montana, Nebraska, Nevada,"
    " New Hampshire, New Jersey, New Mexico, New York, North Carolina, North Dakota, Ohio,"
    " Oklahoma, Oregon, Pennsylvania, Rhode Island, South Carolina, South Dakota, Tennessee,"
    " Texas, Utah, Vermont, Virginia, Washington, West Virginia, Wisconsin, Wyoming,"
    # major cities
    " New York City, Los Angeles, Chicago, Houston, Miami, Boston, San Francisco, Seattle,"
    " Philadelphia, Atlanta, Dallas, Detroit, Denver, Phoenix, Las Vegas, New Orleans,"
    " Baltimore, London, Paris, Berlin, Madrid, Rome, Lisbon, Brussels, Amsterdam, Vienna,"
    " Geneva, Zurich, Stockholm, Oslo, Copenhagen, Helsinki, Dublin, Edinburgh, Warsaw, Prague,"
    " Budapest, Athens, Istanbul, Ankara, Moscow, Kyiv, Kiev, Minsk, Tehran, Baghdad, Damascus,"
    " Beirut, Jerusalem, Tel Aviv, Amman, Riyadh, Cairo, Tripoli, Tunis, Algiers, Rabat, Lagos,"
    " Abuja, Nairobi, Addis Ababa, Johannesburg, Cape Town, Kinshasa, Khartoum, Beijing,"
    " Shanghai, Tokyo, Seoul, Pyongyang, Taipei, Manila, Jakarta, Bangkok, Hanoi,"
    " Kuala Lumpur, New Delhi, Delhi, Mumbai, Karachi, Islamabad, Kabul, Dhaka, Sydney,"
    " Melbourne, Canberra, Auckland, Wellington, Toronto, Montreal, Ottawa, Vancouver,"
    " Mexico City, Havana, Caracas, Bogotá, Lima, Quito, La Paz, Santiago, Buenos Aires,"
    " Montevideo, Asunción, Brasília, São Paulo, Rio de Janeiro, Managua, Tegucigalpa,"
    " San Salvador, Guatemala City, Panama City, San José, Kingston, Port-au-Prince,"
    " Santo Domingo, San Juan, Maracaibo, Barcelona, Milan, Naples, Munich, Frankfurt, Hamburg,"
    " Manchester, Birmingham, Glasgow, Doha, Dubai, Abu Dhabi, Muscat, Sanaa, Aden, Ramallah,"
    " Mosul, Aleppo, Kandahar"
)
"""Countries, regions, US states and major cities (folded token tuples): places."""

PLACE_ACRONYMS: dict[str, tuple[str, ...]] = {
    "us": ("united", "states"),
    "usa": ("united", "states"),
    "uk": ("united", "kingdom"),
    "uae": ("united", "arab", "emirates"),
}
"""Abbreviations of gazetteer places (``U.S.`` = ``US`` = ``United States``)."""

PLACE_SYNONYMS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("britain",): ("united", "kingdom"),
    ("great", "britain"): ("united", "kingdom"),
    ("united", "states", "of", "america"): ("united", "states"),
    ("america",): ("united", "states"),
}
"""Other names of gazetteer places."""

CORPORATE_SUFFIXES = _words("ltd limited inc incorporated plc llc llp lp corp co gmbh ag sa nv")
"""``Northgate Energy Ltd`` = ``Northgate Energy``."""

EVIDENCE_SAMPLE = 16
"""Occurrences of a name whose context is read for kind and gender evidence.

Enough to outvote noise; bounding it keeps the work per frequent name constant."""

_FUNCTION = (
    (STOPWORDS - {"mr", "mrs", "ms", "dr", "s", "t"})
    | NEGATIONS
    | _words(
        "but and or yet so if in on at for from to by with as after before since until while when"
        " where though although however meanwhile still even also then now today yesterday tomorrow"
        " last next this that these those there here it he she they we you i one many most some"
        " several few all both each every no not nor why how what who which whose according despite"
        " during under over among amid between against without within through across like unlike"
        " just only once yes oh thank thanks please instead indeed perhaps maybe later earlier"
        " finally eventually another other such much more less any nobody everyone everybody"
        " someone somebody anyone nothing everything something none former dear let"
    )
)
"""Words that, capitalised, are only a sentence's first word (``The``, ``But``, ``Even``)."""

_NEVER_ALONE = _FUNCTION | TEMPORAL
"""Words that on their own are never a name."""

_NAME_PARTICLES = _words("de del della di da das do dos du la le van von der den bin ibn y")
_CONNECTORS = _NAME_PARTICLES | {"of", "on", "for", "and", "&", "the"}

# --------------------------------------------------------------------------- regexes


def _char_class(pred: Any) -> str:
    """A regex character class of the code points below U+0530 (and Latin Extended
    Additional) for which *pred* holds."""
    points = [c for c in [*range(0x530), *range(0x1E00, 0x1F00)] if pred(chr(c))]
    parts: list[str] = []
    start = prev = points[0]
    for c in [*points[1:], -2]:
        if c != prev + 1:
            parts.append(
                re.escape(chr(start)) + ("-" + re.escape(chr(prev)) if prev > start else "")
            )
            start = c
        prev = c
    return "[" + "".join(parts) + "]"


_U = _char_class(str.isupper)
_ABBREVIATIONS = (
    "Mr|Mrs|Ms|Mx|Messrs|Mme|Mlle|Dr|Prof|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Cmdr|Adm|Rev|Hon|Pres"
    "|Supt|Insp|Det|Mt|Ft|St|Jr|Sr"
)
_ABBREVIATION_SET = frozenset(_ABBREVIATIONS.split("|"))
_TOKEN = (
    rf"(?:{_ABBREVIATIONS})\."  # Mr. Sen. St.
    rf"|{_U}(?:\.{_U})+\.?"  # U.S. H.R.
    rf"|{_U}\.(?=\s+{_U})"  # the W. of George W. Bush
    rf"|{_U}\w*(?:['’](?![sS]\b)\w+)*"  # O'Brien, NewsMirror24; never the 's of a possessive
)
_CONNECTOR = (
    r"(?:of(?:\s+the)?|on|for|and|de|del|della|di|da|das|do|dos|du|la|le|van|von|der|den|bin|ibn|y)"
)
_RUN = re.compile(
    rf"(?={_U})(?<![\w'’])(?:{_TOKEN})(?:(?:\s+(?:{_CONNECTOR}\s+)?|\s*&\s*|-)(?:{_TOKEN}))*"
)
"""A run of capitalised tokens: the raw material of every name."""

_PART_CONNECTOR = (
    r"(?:of|the|on|for|and|de|del|della|di|da|das|do|dos|du|la|le|van|von|der|den|bin|ibn|y)"
)
_PART = re.compile(rf"(?P<tok>{_TOKEN})|(?P<conn>\b{_PART_CONNECTOR}\b|&)")
"""The tokens and connectors inside a run."""

_ALPHA4 = re.compile(r"[^\W\d_]{4,}")
_SENTENCE_END = re.compile(r"[.!?][\"”’']?(?:\s|$)")
_PRONOUN = re.compile(r"\b(he|him|his|himself|she|her|hers|herself)\b", re.IGNORECASE)
_PERSONISH = re.compile(rf"\b(?:Mr|Mrs|Ms|Dr)\b\.?\s|{_U}[a-z]+\s{_U}[a-z]+")
_DISTANCE = re.compile(
    r",?\s+(?:about|some|roughly|nearly|around|just)?\s*\d[\d,.]*\s*"
    r"(?:miles|mi|km|kilometres|kilometers)\b"
)
_PORT_WORDS = frozenset(["port", "harbour", "harbor", "island", "isle", "county", "republic"])
_NEXT_WORD = re.compile(r"(['’]s\s+)?\s*(,\s*)?([A-Za-z]+)")
_APPOSITION = re.compile(rf",\s+or\s+({_U}{{2,}})\b|\s+\(({_U}(?:{_U}|[.&])+)\)")
_OPENING_QUOTES = "\"“‘'«"
_OPENERS = _OPENING_QUOTES + "(["
_MALE_PRONOUNS = frozenset(["he", "him", "his", "himself"])


# --------------------------------------------------------------------------- tokens


class _Tok:
    """One token of a run: text offsets, folded key, and what it is."""

    __slots__ = ("conn", "end", "key", "start", "text", "upper")

    def __init__(self, start: int, end: int, text: str, key: str, conn: bool, upper: bool) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.key = key
        self.conn = conn
        """A connector (``of``, ``de``, ``&``) rather than a name token."""
        self.upper = upper
        """All capitals, at least two letters (``US``, ``TIA``, ``U.S.``)."""


def _tokens(text: str, start: int, end: int) -> list[_Tok]:
    """The tokens and connectors of the run ``text[start:end]``."""
    word = text[start:end]
    if "-" not in word and "&" not in word and len(word.split()) == 1:  # one token: most runs
        upper = len(word) > 1 and word.isupper() and word != word[0] + "."
        return [_Tok(start, end, word, fold(word), False, upper)]
    out: list[_Tok] = []
    for m in _PART.finditer(text, start, end):
        word = m.group()
        if m.lastgroup == "conn":
            out.append(_Tok(m.start(), m.end(), word, word.lower(), True, False))
        else:
            out.append(
                _Tok(
                    m.start(),
                    m.end(),
                    word,
                    fold(word),
                    False,
                    len(word) > 1 and word.isupper() and word != word[0] + ".",
                )
            )
    return out


Run = tuple[int, str, list[_Tok]]
"""A run where it occurs: its offset in the paragraph, its text, and its tokens.

The tokens' offsets are relative to the run, so every occurrence of one run
string shares one token list."""

Runs = list[list[Run]]
"""Per paragraph of a document, its runs."""


def _scan(documents: Sequence[Document]) -> list[Runs]:
    """Every run of every paragraph, tokenised once for all the passes.

    Names recur, so each distinct run string is parsed once. A run that is one
    function word or date word (``The``, ``He``, ``March``) can be no name and is
    left out here already: about a third of all runs.
    """
    parsed: dict[str, list[_Tok] | None] = {}
    # Outlets repeat paragraphs word for word; the runs are only read after this,
    # so one list serves every copy.
    of_text: dict[str, list[Run]] = {}
    scans: list[Runs] = []
    for doc in documents:
        runs: Runs = []
        for para in doc.paragraphs:
            text = para.text
            para_runs = of_text.get(text)
            if para_runs is not None:
                runs.append(para_runs)
                continue
            para_runs = of_text[text] = []
            for r in _RUN.finditer(text):
                run = r.group()
                if run in parsed:
                    toks = parsed[run]
                else:
                    toks = parsed[run] = _parse_run(run)
                if toks is not None:
                    para_runs.append((r.start(), run, toks))
            runs.append(para_runs)
        scans.append(runs)
    return scans


def _parse_run(run: str) -> list[_Tok] | None:
    """The tokens of a run string, or ``None`` for a lone word that is never a name."""
    toks = _tokens(run, 0, len(run))
    if len(toks) == 1:
        tok = toks[0]
        if tok.key in _NEVER_ALONE or ("'" in tok.key and _is_function(tok)):
            return None
    return toks


def _is_function(tok: _Tok) -> bool:
    """A capitalised word that only starts a sentence (``The``, ``I'll``, ``Don't``)."""
    key = tok.key
    if key in _FUNCTION:
        return True
    if "'" in key:
        head, _, tail = key.partition("'")
        return head in _FUNCTION or tail in ("t", "ll", "ve", "re", "d", "m")
    return False


def _is_temporal(text: str, base: int, toks: Sequence[_Tok], i: int) -> bool:
    """A month, weekday or holiday (``May`` only before a number or after ``in``/``on``...).

    *base* is the offset in *text* that the tokens' offsets count from.
    """
    key = toks[i].key
    if key in TEMPORAL:
        return True
    if key != "may":
        return False
    start, end = base + toks[i].start, base + toks[i].end
    after = text[end : end + 3].lstrip()
    if after[:1].isdigit():
        return True
    before = text[max(0, start - 12) : start].split()
    return bool(before) and before[-1].lower() in (
        "in",
        "on",
        "last",
        "next",
        "this",
        "since",
        "until",
        "by",
        "early",
        "late",
        "mid",
        "of",
    )


def _title_end(keys: Sequence[str], i: int, conns: Sequence[bool]) -> int:
    """Index just past a title phrase starting at *i* (``i`` when there is none).

    A title phrase is modifiers and title words (``City Auditor``, ``Vice
    President``), optionally ``of`` and portfolio words (``Secretary of State``),
    or an honorific; at least one name token must follow it.
    """
    n = len(keys)
    ends: list[int] = []
    j = i
    while j < n:
        key = keys[j]
        if conns[j]:
            if key == "of" and ends and ends[-1] == j:
                m = j + 1
                while m < n and keys[m] in PORTFOLIOS:
                    m += 1
                if m > j + 1 and not (m < n and conns[m]):
                    ends.append(m)
                    j = m
                    continue
            break
        if key in HONORIFICS:
            ends.append(j + 1)
            break  # a name follows an honorific directly
        if key in TITLES:
            ends.append(j + 1)
        elif key not in TITLE_MODIFIERS:
            break
        j += 1
    for end in reversed(ends):
        if end < n and not conns[end]:
            return end
    return i


def _title_gender(keys: Iterable[str]) -> str:
    """The gender a title phrase states (``""`` when none)."""
    for key in keys:
        gender = HONORIFICS.get(key) or TITLES.get(key)
        if gender:
            return gender
    return ""


def _head_keys(keys: Sequence[str]) -> tuple[str, ...]:
    """The head words of a name: its last word, and the word before ``of``/``on``/``for``."""
    words = [k for k in keys if k not in _CONNECTORS]
    if not words:
        return ()
    heads = [words[-1]]
    for k, key in enumerate(keys):
        if key in ("of", "on", "for") and k > 0:
            heads.append(keys[k - 1])
            break
    return tuple(heads)


def _org_headed(keys: Sequence[str]) -> bool:
    return any(h in ORG_HEADS for h in _head_keys(keys))


def _place_headed(keys: Sequence[str]) -> bool:
    if len(keys) >= 2 and keys[0] in PLACE_LEADS:
        return True
    return any(h in PLACE_TAILS for h in _head_keys(keys))


def _is_acronym_key(surface: str) -> bool:
    letters = surface.replace(".", "")
    return 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()


def _is_initial(text: str, pos: int) -> bool:
    """True when *pos* starts a sentence, a quotation or a clause after a colon or dash."""
    j = pos - 1
    quoted = False
    while j >= 0 and text[j] in _OPENERS:
        quoted = quoted or text[j] in _OPENING_QUOTES
        j -= 1
    if quoted and (j < 0 or text[j].isspace() or text[j] in "([—–-:"):
        return True
    while j >= 0 and text[j].isspace():
        j -= 1
    if j < 0:
        return True
    c = text[j]
    if c in "!?:;•*—–…":
        return True
    if c in "\"”’'":
        return j > 0 and text[j - 1] in ".!?"
    if c == "-":
        return j > 0 and text[j - 1] == " "
    if c == ".":
        k = j
        while k > 0 and (text[k - 1].isalpha() or text[k - 1] == "."):
            k -= 1
        word = text[k:j].replace(".", "")
        return not (len(word) == 1 or word in _ABBREVIATION_SET)
    return False


# --------------------------------------------------------------------------- discovery


_NO_VOTES = [0, 0, 0]
"""The votes of a piece whose context was not read (shared, never mutated)."""


@dataclass(slots=True)
class _Piece:
    """One candidate name found in the text."""

    doc: int
    order: int
    """Position in its document (paragraph index × 2^20 + offset), for nearest-preceding rules."""
    start: int
    end: int
    keys: tuple[str, ...]
    surface: str
    """The name as written, without its title."""
    full: str
    """The mention as written, title included (``Mr. Maduro``)."""
    title: tuple[str, ...] = ()
    votes: list[int] = field(default_factory=lambda: _NO_VOTES)
    pronoun: str = ""
    acronym_of: str | None = None
    label: str | None = None
    """The kind a statistical backend gave (``None`` for the rules)."""


def _paragraph_mode(para: Paragraph) -> str:
    """``caps`` (all capitals), ``title`` (a title-case heading) or ``text``."""
    text = para.text
    if text.upper() == text:
        return "caps"
    if para.kind == "heading":
        words = _ALPHA4.findall(text)
        if len(words) >= 2 and sum(w[0].isupper() for w in words) > 0.6 * len(words):
            return "title"
    return "text"


def _votes(text: str, start: int, end: int, single: bool) -> list[int]:
    """Context evidence for a name at ``text[start:end]``: votes for person, organisation, place."""
    votes = [0, 0, 0]
    before = text[max(0, start - 40) : start]
    adjacent = before[-1:] == " " and before[-2:-1].isalpha()
    words = before.lower().split()[-2:] if adjacent else []
    prev = words[-1] if words else ""
    prev2 = words[0] if len(words) == 2 else ""
    if (
        prev in PLACE_PREPS
        or (prev == "the" and prev2 in PLACE_PREPS)
        or (single and prev in PLACE_PREPS_WEAK)
    ):
        votes[2] += 1
    if prev == "of" and prev2 in PLACE_NOUNS | _PORT_WORDS:  # "the port of Brenmouth"
        votes[2] += 2
    if prev in ORG_NOUNS or (prev == "at" and prev2 in STAFF_NOUNS):
        votes[1] += 2
    if prev == "on" and single:
        votes[1] += 1
    if _DISTANCE.match(text, end, min(len(text), end + 50)):  # "Porthallow, about 60 miles up"
        votes[2] += 2
    m = _NEXT_WORD.match(text, end, min(len(text), end + 40))
    if m:
        possessive, comma, word = m.group(1), m.group(2), m.group(3)
        if possessive:
            if word in PERSON_POSSESSED:
                votes[0] += 2
        elif comma:
            if word == "who":
                votes[0] += 2
            elif word == "which":
                votes[1] += 1
        else:
            if word in PLACE_NOUNS:
                votes[2] += 2
            elif word in ORG_NOUNS:  # "the United Auto Workers union"
                votes[1] += 2
            elif word in PERSON_ADMIN or word == "who":
                votes[0] += 2
            elif word in PERSON_NEXT:
                votes[0] += 1
    return votes


def _pronoun(text: str, end: int) -> str:
    """The gender of the first pronoun after a name in its sentence, unless a person intervenes."""
    stop = _SENTENCE_END.search(text, end, min(len(text), end + 400))
    window = text[end : stop.start() if stop else min(len(text), end + 400)]
    m = _PRONOUN.search(window)
    if not m or _PERSONISH.search(window, 0, m.start()):
        return ""
    return "m" if m.group(1).lower() in _MALE_PRONOUNS else "f"


class _Cut(NamedTuple):
    """One candidate name inside a run, by token indices: what the run's text alone decides."""

    lo: int
    """First token of the name (after its title)."""
    hi: int
    """One past the name's last token."""
    span: int
    """First token of the mention: the title's, or ``lo``."""
    keys: tuple[str, ...]
    surface: str
    full: str
    title: tuple[str, ...]
    opening: bool
    """True when the cut opens the run, so a sentence-initial run makes it uninformative."""


def _cuts(text: str, base: int, run: str, toks: list[_Tok]) -> list[_Cut]:
    """The candidate names of the run *run* at offset *base* of *text*.

    See the module docstring for the rules. Only ``May`` needs *text* around the run.
    """
    out: list[_Cut] = []
    index = {id(t): k for k, t in enumerate(toks)}
    group: list[_Tok] = []
    opening = True
    for k, tok in enumerate(toks):
        if not tok.conn and (_is_function(tok) or _is_temporal(text, base, toks, k)):
            if group:
                _cut_group(group, opening, index, out)
            group = []
            opening = False  # after "The" or "But" a capital is informative again
            continue
        group.append(tok)
    if group:
        _cut_group(group, opening, index, out)
    # the surfaces are slices of the run: the same for every occurrence of the run
    return [
        cut._replace(
            surface=run[toks[cut.lo].start : toks[cut.hi - 1].end],
            full=run[toks[cut.span].start : toks[cut.hi - 1].end],
        )
        for cut in out
    ]


def _cut_group(toks: list[_Tok], opening: bool, index: dict[int, int], out: list[_Cut]) -> None:
    first = toks[0]
    while toks and toks[0].conn:
        toks = toks[1:]
    while toks and toks[-1].conn:
        toks = toks[:-1]
    if not toks:
        return
    words = [t for t in toks if not t.conn]
    if all(t.upper for t in words) and (len(words) > 1 or len(words[0].key) > 6):
        return  # a line in capitals ("CARROW BAY,"): only known names count there
    for part in _join(toks):
        _cut_part(part, opening and part[0] is first, index, out)


def _join(toks: list[_Tok]) -> list[list[_Tok]]:
    """Split a run at connectors that do not join one name.

    ``of``/``on``/``for`` join after an organisation or place word or a title
    (``Ministry of Defense``, ``Bay of Pigs``, ``Secretary of State``); ``and``
    only inside such a name; ``&`` always; name particles (``da``, ``van``)
    between names.
    """
    parts: list[list[_Tok]] = [[]]
    joined_of = False
    k = 0
    while k < len(toks):
        tok = toks[k]
        if not tok.conn:
            parts[-1].append(tok)
            k += 1
            continue
        left = parts[-1]
        conns = [tok]
        while k + len(conns) < len(toks) and toks[k + len(conns)].conn:
            conns.append(toks[k + len(conns)])
        word = conns[0].key
        last = left[-1].key if left else ""
        join = False
        if word in ("of", "on", "for"):
            join = last in ORG_HEADS or last in PLACE_TAILS or last in PLACE_LEADS or last in TITLES
            joined_of = joined_of or join
        elif word in ("and", "&"):
            join = joined_of or word == "&"
        elif word in _NAME_PARTICLES:
            join = bool(left) and last not in ORG_HEADS and last not in PLACE_TAILS
        if join:
            left.extend(conns)
        else:
            parts.append([])
        k += len(conns)
    return [p for p in parts if p]


def _cut_part(toks: list[_Tok], opening: bool, index: dict[int, int], out: list[_Cut]) -> None:
    """Title, demonyms, place abbreviations: one run part becomes candidate names."""
    keys = [t.key for t in toks]
    conns = [t.conn for t in toks]
    n = len(toks)
    while n > 1 and keys[n - 1] in SUFFIXES:  # Jr. is not part of the key
        n -= 1
    toks, keys, conns = toks[:n], keys[:n], conns[:n]
    if n == 1:
        key = keys[0]
        if key in DEMONYMS and (key,) not in GAZETTEER:
            return
        if key in TITLES or key in HONORIFICS:
            return
        _cut(toks, (), opening, toks, index, out)
        return
    if keys[0] not in HONORIFICS and (_org_headed(keys) or _place_headed(keys)):
        _cut(toks, (), opening, toks, index, out)
        return
    # a leading place abbreviation before other words: "U.S. Venezuela policy"
    if keys[0] in PLACE_ACRONYMS and toks[0].upper and not _org_headed(keys):
        _cut(toks[:1], (), opening, toks[:1], index, out)
        _cut_part(toks[1:], False, index, out)
        return
    # a title: the first title word that has a name after it
    for t in range(n - 1):
        if keys[t] in TITLES or keys[t] in HONORIFICS:
            s = t
            while s > 0 and keys[s - 1] in TITLE_MODIFIERS and not conns[s - 1]:
                s -= 1
            end = _title_end(keys, s, conns)
            if end == s:
                continue
            if s > 0 and not all(p.key in DEMONYMS for p in toks[:s]):
                _cut_part(toks[:s], opening, index, out)  # "U.S." of "U.S. President Trump"
            _cut(toks[end:], tuple(keys[s:end]), False, toks[s:], index, out)
            return
    if any(k in TITLES or k in HONORIFICS for k in keys) and all(
        k in TITLES or k in HONORIFICS or k in TITLE_MODIFIERS or c
        for k, c in zip(keys, conns, strict=True)
    ):
        return  # a title alone: "the Vice President said"
    # demonyms: "Latin American" is no name; "Venezuelan Nicolás ..." keeps the name
    if keys[-1] in DEMONYMS and tuple(keys) not in GAZETTEER:
        return
    while toks and toks[0].key in DEMONYMS and tuple(keys) not in GAZETTEER:
        toks, keys = toks[1:], keys[1:]
        opening = False
    if toks:
        _cut(toks, (), opening, toks, index, out)


def _cut(
    toks: list[_Tok],
    title: tuple[str, ...],
    opening: bool,
    span: list[_Tok],
    index: dict[int, int],
    out: list[_Cut],
) -> None:
    keys = tuple(t.key for t in toks)
    if not keys or keys[-1] in EVENT_TAILS or keys[-1] in _CONNECTORS or keys in NOT_NAMES:
        return
    if keys[-1] in NUMBER_WORDS or ("&" in keys and all(len(k) == 1 for k in keys)):
        return  # "the Big Three", "Q&A"
    if len(keys) == 1 and (len(keys[0]) < 2 or toks[0].text in NOT_ACRONYMS):
        return
    lo, hi = index[id(toks[0])], index[id(toks[-1])] + 1
    out.append(_Cut(lo, hi, index[id(span[0])], keys, "", "", title, opening))


class _Finder:
    """The rule-based discovery of candidate names in one set of documents.

    A run is cut into candidate names once per distinct run string (the cuts
    depend on its words only); each occurrence then adds what depends on where it
    is: whether it opens a sentence, and (for a name's first occurrences) the
    context evidence for its kind and gender.
    """

    def __init__(self) -> None:
        self.pieces: list[_Piece] = []
        self.pending: list[tuple[_Piece, list[_Tok]]] = []
        """Multi-word names opening a sentence: kept whole unless their first word is common."""
        self.sampled: Counter[tuple[str, ...]] = Counter()
        """How many occurrences of each name have had their context read."""
        self.tally: Counter[tuple[tuple[str, ...], str]] = Counter()
        """Further occurrences of frequent lone words, by key and surface: counted, not kept."""
        self.cuts: dict[str, list[_Cut]] = {}

    def document(self, index: int, doc: Document, runs: Runs) -> None:
        """Collect the candidate names of one document."""
        cache = self.cuts
        for para, para_runs in zip(doc.paragraphs, runs, strict=True):
            if _paragraph_mode(para) != "text":
                continue  # capitals carry no information: resolution matches known names there
            text = para.text
            base = para.index << 20
            for at, run, toks in para_runs:
                cuts = cache.get(run)
                if cuts is None:
                    cuts = _cuts(text, at, run, toks)
                    if not any(t.key == "may" for t in toks):  # "May" depends on its context
                        cache[run] = cuts
                for cut in cuts:
                    self._emit(index, base, text, at, toks, cut)

    def _emit(self, doc: int, base: int, text: str, at: int, toks: list[_Tok], cut: _Cut) -> None:
        """Record one occurrence of a cut of the run at offset *at* of *text*."""
        keys = cut.keys
        single = len(keys) == 1
        opening = at if cut.opening else -1
        sampled = self.sampled[keys]
        if single and not cut.title and sampled >= EVIDENCE_SAMPLE:
            # a frequent lone word: its evidence is read, only its count matters now
            if (
                opening < 0
                or toks[cut.lo].upper
                or keys in GAZETTEER
                or not _is_initial(text, opening)
            ):
                self.tally[(keys, cut.surface)] += 1
            return
        start = at + toks[cut.span].start
        end = at + toks[cut.hi - 1].end
        piece = _Piece(doc, base + start, start, end, keys, cut.surface, cut.full, cut.title)
        if sampled < EVIDENCE_SAMPLE:  # context evidence from a name's first occurrences only
            self.sampled[keys] = sampled + 1
            piece.votes = _votes(text, start, end, single)
            if not single:
                if not cut.title:
                    piece.pronoun = _pronoun(text, end)
                m = _APPOSITION.match(text, end, min(len(text), end + 20))
                if m:
                    piece.acronym_of = m.group(1) or m.group(2)
        if cut.title or opening < 0 or not _is_initial(text, opening):
            self.pieces.append(piece)
        elif single:
            if toks[cut.lo].upper or keys in GAZETTEER:
                self.pieces.append(piece)  # "CNN has ...", "China and Russia have ..."
        else:
            self.pending.append((piece, toks[cut.lo : cut.hi]))  # offsets relative to the run

    def settle(self, vocab: _Vocabulary) -> None:
        """Decide the multi-word names that opened a sentence (``Delia Franks keeps``)."""
        known = {p.keys for p in self.pieces}
        for piece, toks in self.pending:
            keys = piece.keys
            if any(keys[:k] in known for k in range(2, len(keys) + 1)) or keys in GAZETTEER:
                self.pieces.append(piece)
                continue
            first = toks[0]
            if vocab.lower(first.text) or first.key.endswith(("ing", "ly")):
                rest = toks[1:]
                while rest and rest[0].conn:
                    rest = rest[1:]
                if rest:
                    piece.keys = tuple(t.key for t in rest)
                    piece.start += rest[0].start - toks[0].start
                    piece.surface = piece.surface[rest[0].start - toks[0].start :]
                    piece.full = piece.surface
                    self.pieces.append(piece)
            else:
                self.pieces.append(piece)
        self.pending = []


class _Vocabulary:
    """Which words occur in lower case in the body text (``the Times`` vs ``three times``)."""

    __slots__ = ("_memo", "_words")
    _TRAILING = ("", ",", ".", ";", ":", "?", "!", ")", "'s", "’s", '"', "”", "’", "'")

    def __init__(self, documents: Sequence[Document]) -> None:
        self._words: set[str] = set()
        for doc in documents:
            for para in doc.paragraphs:
                self._words.update(para.text.split())
        self._memo: dict[str, bool] = {}

    def lower(self, word: str) -> bool:
        """True when *word*, lower-cased, occurs somewhere as a word of its own."""
        seen = self._memo.get(word)
        if seen is None:
            low = word.lower()
            words = self._words
            seen = self._memo[word] = any(low + t in words for t in self._TRAILING) or any(
                ("(" + low + t) in words or ("“" + low + t) in words for t in self._TRAILING[:3]
            )
            return seen
        return seen


def _discover_rules(
    documents: Sequence[Document], scans: list[Runs], vocab: _Vocabulary
) -> tuple[list[_Piece], Counter[tuple[tuple[str, ...], str]]]:
    """Candidate names by the rules, and the tally of frequent lone words."""
    finder = _Finder()
    for index, (doc, runs) in enumerate(zip(documents, scans, strict=True)):
        finder.document(index, doc, runs)
    finder.settle(vocab)
    return finder.pieces, finder.tally


_SPACY_KINDS = {"PERSON": PERSON, "ORG": ORG, "GPE": PLACE, "LOC": PLACE, "FAC": PLACE}


@lru_cache(maxsize=1)
def _spacy_pipeline() -> Any:
    """spaCy's small English pipeline when both are installed, else ``None``. Never downloads."""
    if importlib.util.find_spec("spacy") is None:
        return None
    try:
        spacy = importlib.import_module("spacy")
        return spacy.load("en_core_web_sm", disable=["lemmatizer"])
    except Exception:  # not installed, incompatible, or broken: the rules take over
        return None


def spacy_available() -> bool:
    """True when spaCy and its ``en_core_web_sm`` pipeline are installed and load."""
    return _spacy_pipeline() is not None


def _discover_spacy(documents: Sequence[Document], nlp: Any) -> list[_Piece]:
    """Candidate names from spaCy's entity spans, with titles read from the text before them."""
    pieces: list[_Piece] = []
    paras = [(d, para) for d, doc in enumerate(documents) for para in doc.paragraphs]
    for (d, para), parsed in zip(paras, nlp.pipe([p.text for _, p in paras]), strict=True):
        text = para.text
        for ent in parsed.ents:
            kind = _SPACY_KINDS.get(ent.label_)
            if kind is None:
                continue
            toks = _tokens(text, ent.start_char, ent.end_char)
            while toks and (toks[0].conn or _is_function(toks[0])):
                toks = toks[1:]
            if not toks:
                continue
            start = toks[0].start
            title: tuple[str, ...] = ()
            if kind == PERSON:
                before = list(_RUN.finditer(text, max(0, start - 60), start))
                if before and before[-1].end() >= start - 1:
                    prior = _tokens(text, before[-1].start(), before[-1].end())
                    keys = [t.key for t in prior]
                    k = len(keys)
                    while k > 0 and (
                        keys[k - 1] in TITLES
                        or keys[k - 1] in HONORIFICS
                        or keys[k - 1] in TITLE_MODIFIERS
                    ):
                        k -= 1
                    if k < len(keys):
                        title = tuple(keys[k:])
                        start = prior[k].start
            keys_t = tuple(t.key for t in toks)
            piece = _Piece(
                d,
                (para.index << 20) + start,
                start,
                toks[-1].end,
                keys_t,
                text[toks[0].start : toks[-1].end],
                text[start : toks[-1].end],
                title,
                label=kind,
            )
            piece.votes = [0, 0, 0]
            piece.votes[_KIND_INDEX[kind]] += 5
            pieces.append(piece)
    return pieces


# --------------------------------------------------------------------------- clustering


@dataclass(slots=True)
class _Form:
    """Every piece with one key, pooled."""

    key: tuple[str, ...]
    surfaces: Counter[str] = field(default_factory=Counter)
    """The name as written (title left out)."""
    fulls: Counter[str] = field(default_factory=Counter)
    """The mentions as written, titles included."""
    votes: list[int] = field(default_factory=lambda: [0, 0, 0])
    titles: Counter[tuple[str, ...]] = field(default_factory=Counter)
    labels: Counter[str] = field(default_factory=Counter)
    pronouns: Counter[str] = field(default_factory=Counter)

    @property
    def words(self) -> tuple[str, ...]:
        """The key without connectors."""
        return tuple(k for k in self.key if k not in _CONNECTORS)

    @property
    def acronym(self) -> bool:
        """One all-capital word in every occurrence (``TIA``, ``U.S.``)."""
        return len(self.key) == 1 and all(_is_acronym_key(s) for s in self.surfaces)

    @property
    def gazetteer(self) -> bool:
        """A country, region, state or city of the gazetteer, or its abbreviation."""
        return self.key in GAZETTEER or (self.acronym and self.key[0] in PLACE_ACRONYMS)


Key = tuple[str, ...]


class _UnionFind:
    """Disjoint sets of form keys."""

    def __init__(self) -> None:
        self.parent: dict[Key, Key] = {}

    def find(self, x: Key) -> Key:
        parent = self.parent
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while x != root:
            parent[x], x = root, parent.get(x, x)
        return root

    def union(self, a: Key, b: Key) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


@dataclass(slots=True)
class _Group:
    """A proto-entity: the forms that name one entity, with its kind."""

    forms: list[_Form]
    kind: str = ORG
    titled: set[str] = field(default_factory=set)
    """Titled mentions (``Mr. Keane``) given to this group although their surname is shared."""


def _form_kind(forms: Sequence[_Form]) -> str:
    """The kind a set of forms points to.

    In order: a statistical backend's label; the gazetteer; an honorific; an
    organisation head word; a place word; an acronym (an organisation); a title
    (a person); context votes; else a person for a multi-word name and an
    organisation for a single word.
    """
    labels: Counter[str] = Counter()
    for f in forms:
        labels.update(f.labels)
    if labels:
        return labels.most_common(1)[0][0]
    if any(f.gazetteer for f in forms):
        return PLACE
    if any(k in HONORIFICS for f in forms for t in f.titles for k in t):
        return PERSON
    if any(_org_headed(f.key) or "&" in f.key for f in forms):
        return ORG
    if any(_place_headed(f.key) for f in forms):
        return PLACE
    if any(f.titles for f in forms):
        return PERSON
    if any(f.acronym for f in forms):
        return ORG  # an acronym names a body, not a person: "the United Auto Workers (UAW)"
    votes = [sum(f.votes[k] for f in forms) for k in range(3)]
    votes[0] += sum(sum(f.pronouns.values()) for f in forms)
    multi = any(len(f.words) > 1 for f in forms)
    if max(votes) > 0:
        best = max(range(3), key=lambda k: (votes[k], k == (0 if multi else 1)))
        if not (multi and best == 1 and votes[1] < 2):
            return KINDS[best]
    return PERSON if multi else ORG


def _initials(words: Sequence[str]) -> str:
    return "".join(w[0] for w in words if w)


class _Clusterer:
    """Forms → groups, by the merging rules of the module docstring."""

    def __init__(self, pieces: list[_Piece], tally: Counter[tuple[Key, str]] | None = None) -> None:
        self.pieces = pieces
        self.forms: dict[Key, _Form] = {}
        for (key, surface), c in (tally or Counter()).items():
            form = self.forms.get(key)
            if form is None:
                form = self.forms[key] = _Form(key)
            form.surfaces[surface] += c
            form.fulls[surface] += c
        for p in pieces:
            form = self.forms.get(p.keys)
            if form is None:
                form = self.forms[p.keys] = _Form(p.keys)
            form.surfaces[p.surface] += 1
            form.fulls[p.full] += 1
            for k in range(3):
                form.votes[k] += p.votes[k]
            if p.title:
                form.titles[p.title] += 1
            if p.label:
                form.labels[p.label] += 1
            if p.pronoun:
                form.pronouns[p.pronoun] += 1
        self.uf = _UnionFind()
        self.ambiguous: set[str] = set()
        """Surnames shared by several people: settled per mention, never merged."""

    def run(self) -> list[_Group]:
        """Merge the forms and return the groups."""
        self._split_prefixes()
        self._drop_hyphen_pairs()
        self._abbreviations()
        self._middle_initials()
        self._acronyms()
        self._qualifiers()
        self._surnames(self._kinds())
        self._prefix_aliases(self._kinds())
        members: dict[Key, list[_Form]] = defaultdict(list)
        for key, form in self.forms.items():
            if len(key) == 1 and key[0] in self.ambiguous:
                continue
            members[self.uf.find(key)].append(form)
        groups = {root: _Group(fs, _form_kind(fs)) for root, fs in members.items()}
        self._assign_titled(groups)
        return list(groups.values())

    def _split_prefixes(self) -> None:
        """``White House National Security Council`` is two organisations."""
        forms = self.forms
        for key in [k for k in forms if len(k) >= 3]:
            for j in range(1, len(key) - 1):
                head, rest = key[:j], key[j:]
                if (
                    head in forms
                    and _org_headed(head)
                    and not forms[head].gazetteer
                    and len(rest) >= 2
                    and rest[0] not in _CONNECTORS
                    and _org_headed(rest)
                ):
                    form = forms.pop(key)
                    target = forms.get(rest)
                    if target is None:
                        target = forms[rest] = _Form(rest)
                    for surface, c in form.surfaces.items():
                        words = surface.split()
                        tail = " ".join(words[len(words) - len(rest) :])
                        target.surfaces[tail] += c
                        target.fulls[tail] += c
                    break

    def _drop_hyphen_pairs(self) -> None:
        """``Trump-Kim`` is two names when both halves are names elsewhere."""
        forms = self.forms
        for key in [k for k in forms if len(k) == 2]:
            if (
                all("-" in s for s in forms[key].surfaces)
                and (key[0],) in forms
                and (key[1],) in forms
            ):
                del forms[key]

    def _abbreviations(self) -> None:
        """``U.S.`` = ``US`` = ``United States``; ``U.S. Embassy`` = ``United States Embassy``;
        ``U.K.`` = ``Britain``; ``Northgate Energy Ltd`` = ``Northgate Energy``."""
        forms = self.forms
        same: dict[Key, list[Key]] = defaultdict(list)
        for key, form in forms.items():
            if key[0] in PLACE_ACRONYMS and any(
                _is_acronym_key(s.split()[0]) for s in form.surfaces
            ):
                same[PLACE_ACRONYMS[key[0]] + key[1:]].append(key)
            elif key in PLACE_SYNONYMS:
                same[PLACE_SYNONYMS[key]].append(key)
            elif len(key) >= 2 and key[-1] in CORPORATE_SUFFIXES:
                same[key[:-1]].append(key)
        for full, keys in same.items():
            anchor = full if full in forms else keys[0]
            for key in keys:
                self.uf.union(anchor, key)

    def _middle_initials(self) -> None:
        """Middle initials are optional: ``Rex W. Tillerson`` = ``Rex Tillerson``."""
        forms = self.forms
        for key in forms:
            if len(key) >= 3:
                middle = tuple(k for k in key[1:-1] if len(k) > 1 or k in _CONNECTORS)
                short = (key[0], *middle, key[-1])
                if short != key and short in forms:
                    self.uf.union(short, key)

    def _acronyms(self) -> None:
        """``TIA`` = ``Tidewater Infrastructure Authority``; ``FARC`` after ``…, or``."""
        forms, uf = self.forms, self.uf
        apposed: dict[str, set[Key]] = defaultdict(set)
        for p in self.pieces:
            if p.acronym_of and p.keys in forms:
                apposed[fold(p.acronym_of)].add(p.keys)
        by_initials: dict[str, set[Key]] = defaultdict(set)
        for key, form in forms.items():
            words = form.words
            if len(words) >= 2 and not form.gazetteer:
                by_initials[_initials(words)].add(key)
        for key, form in forms.items():
            if not form.acronym or form.gazetteer:
                continue
            targets = apposed.get(key[0]) or by_initials.get(key[0], set())
            roots = {uf.find(t) for t in targets}
            if len(roots) == 1:
                uf.union(next(iter(roots)), key)

    def _qualifiers(self) -> None:
        """An organisation is the same without a leading place: ``New York Times`` = ``Times``.

        Only when one place claims the shorter name: ``U.S. Embassy`` and
        ``British Embassy`` leave a bare ``Embassy`` alone.
        """
        forms = self.forms
        places = {
            k for k, f in forms.items() if f.gazetteer or (_place_headed(k) and not _org_headed(k))
        }
        claims: dict[Key, list[tuple[Key, Key]]] = defaultdict(list)
        for key in forms:
            if len(key) < 2 or not _org_headed(key):
                continue
            for j in range(1, min(4, len(key))):
                qualifier, rest = key[:j], key[j:]
                if rest[0] in _CONNECTORS or rest not in forms:
                    continue
                if (
                    qualifier in places
                    or qualifier in GAZETTEER
                    or (j == 1 and qualifier[0] in DEMONYMS)
                ):
                    claims[rest].append((qualifier, key))
        for rest, pairs in claims.items():
            places_named = {PLACE_ACRONYMS.get(q[0], q) if len(q) == 1 else q for q, _ in pairs}
            if len(places_named) == 1:
                for _, key in pairs:
                    self.uf.union(key, rest)

    def _kinds(self) -> dict[Key, str]:
        members: dict[Key, list[_Form]] = defaultdict(list)
        for key, form in self.forms.items():
            members[self.uf.find(key)].append(form)
        return {root: _form_kind(fs) for root, fs in members.items()}

    def _surnames(self, kinds: dict[Key, str]) -> None:
        """A bare surname is the one person whose full name ends with it."""
        forms, uf = self.forms, self.uf
        people: dict[str, set[Key]] = defaultdict(set)
        for key, form in forms.items():
            words = form.words
            if len(words) >= 2 and kinds[uf.find(key)] == PERSON and not form.gazetteer:
                people[words[-1]].add(uf.find(key))
        for key, form in forms.items():
            if len(key) != 1 or form.gazetteer or form.acronym or key[0] not in people:
                continue
            root = uf.find(key)
            if root in people[key[0]] or (kinds[root] != PERSON and _org_headed(key)):
                continue
            owners = people[key[0]]
            if len(owners) == 1:
                uf.union(next(iter(owners)), key)
            else:
                self.ambiguous.add(key[0])

    def _prefix_aliases(self, kinds: dict[Key, str]) -> None:
        """``Halden`` alone is the one company whose name starts with it."""
        forms, uf = self.forms, self.uf
        sizes = Counter(uf.find(k) for k in forms)
        starts: dict[str, set[Key]] = defaultdict(set)
        for key, form in forms.items():
            if (
                len(form.words) >= 2
                and kinds[uf.find(key)] == ORG
                and not form.acronym
                and any(h in COMPANY_HEADS for h in _head_keys(key))
            ):
                starts[key[0]].add(uf.find(key))
        for key, form in forms.items():
            if (
                len(key) != 1
                or key[0] not in starts
                or form.gazetteer
                or form.acronym
                or form.titles
            ):
                continue
            root = uf.find(key)
            if sizes[root] > 1 or form.votes[2] > 0 or form.votes[0] > 1 or _place_headed(key):
                continue
            owners = starts[key[0]] - {root}
            if len(owners) == 1:
                uf.union(next(iter(owners)), key)

    def _assign_titled(self, groups: dict[Key, _Group]) -> None:
        """Give ``Mr. Keane`` / ``Ms. Keane`` to one of two Keanes, or to neither.

        Genders come from honorifics on full names and from the pronoun after a
        full name; a ``Ms.`` that only one candidate can take settles that
        candidate's gender for the next round. What gender leaves open goes to the
        nearest preceding full name in the same document, if any.
        """
        if not self.ambiguous:
            return
        uf = self.uf
        owners: dict[str, list[Key]] = defaultdict(list)
        for root, group in groups.items():
            if group.kind == PERSON:
                for form in group.forms:
                    words = form.words
                    if (
                        len(words) >= 2
                        and words[-1] in self.ambiguous
                        and root not in owners[words[-1]]
                    ):
                        owners[words[-1]].append(root)
        gender: dict[Key, Counter[str]] = defaultdict(Counter)
        full: dict[tuple[int, Key], list[int]] = defaultdict(list)  # (doc, person) -> orders
        pending: list[_Piece] = []
        for p in self.pieces:
            if len(p.keys) >= 2 and p.keys in self.forms:
                root = uf.find(p.keys)
                if root in groups and groups[root].kind == PERSON:
                    full[(p.doc, root)].append(p.order)
                    g = _title_gender(p.title) or p.pronoun
                    if g:
                        gender[root][g] += 1
            elif len(p.keys) == 1 and p.keys[0] in self.ambiguous and p.title:
                pending.append(p)

        def sex(root: Key) -> str:
            c = gender[root]
            return "m" if c["m"] > c["f"] else "f" if c["f"] > c["m"] else ""

        def candidates(p: _Piece) -> list[Key]:
            g = _title_gender(p.title)
            return [c for c in owners.get(p.keys[0], []) if not g or sex(c) in ("", g)]

        assigned: dict[int, Key] = {}
        changed = True
        while changed:
            changed = False
            for k, p in enumerate(pending):
                if k not in assigned and len(cands := candidates(p)) == 1:
                    assigned[k] = cands[0]
                    g = _title_gender(p.title)
                    if g:
                        gender[cands[0]][g] += 1
                    changed = True
        for orders in full.values():
            orders.sort()
        for k, p in enumerate(pending):
            if k not in assigned:
                nearest = -1
                for root in candidates(p):
                    orders = full.get((p.doc, root), [])
                    at = bisect_left(orders, p.order)
                    if at and orders[at - 1] > nearest:
                        nearest, assigned[k] = orders[at - 1], root
        taken: dict[tuple[Key, Key], set[Key]] = defaultdict(set)
        fulls: dict[tuple[Key, Key], str] = {}
        for k, p in enumerate(pending):
            if k in assigned:
                taken[(p.title, p.keys)].add(assigned[k])
                fulls[(p.title, p.keys)] = p.full
        for titled, roots in taken.items():
            if len(roots) == 1:
                groups[next(iter(roots))].titled.add(fulls[titled])


# --------------------------------------------------------------------------- resolution


class _Mention(NamedTuple):
    """One resolved mention."""

    entity: int
    doc: int
    paragraph: str
    start: int
    end: int
    surface: str
    """The whole mention as written, title included, possessive left out."""
    base: str
    """The name part, without its title ("" for a descriptive reference)."""
    descriptive: bool = False


def _parse_name(surface: str) -> tuple[tuple[str, ...], tuple[str, ...], int]:
    """(title keys, base keys, must-be-upper mask) of an entity's name or alias."""
    toks = _tokens(surface, 0, len(surface))
    keys = [t.key for t in toks]
    conns = [t.conn for t in toks]
    while toks and toks[0].conn:
        toks, keys, conns = toks[1:], keys[1:], conns[1:]
    end = 0
    if toks and (keys[0] in HONORIFICS or not (_org_headed(keys) or _place_headed(keys))):
        end = _title_end(keys, 0, conns)
    base = toks[end:]
    n = len(base)
    while n > 1 and base[n - 1].key in SUFFIXES:
        n -= 1
    base = base[:n]
    mask = 0
    if surface.upper() != surface or len(base) == 1:
        for k, t in enumerate(base):
            if t.upper and len(t.key) <= 6:
                mask |= 1 << k
    return tuple(keys[:end]), tuple(t.key for t in base), mask


class _Lexicon:
    """Every entity's names, ready for the resolution scan."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        self.kinds = [e.kind for e in entities]
        self.base: dict[tuple[str, ...], list[int]] = defaultdict(list)
        masks: dict[tuple[str, ...], int] = {}
        self.titled: dict[tuple[tuple[str, ...], tuple[str, ...]], list[int]] = defaultdict(list)
        self.gender = [""] * len(entities)
        self.heads: list[frozenset[str]] = []
        surnames: dict[str, set[int]] = defaultdict(set)
        for i, entity in enumerate(entities):
            votes: Counter[str] = Counter()
            heads: set[str] = set()
            for surface in (entity.name, *entity.aliases):
                if surface[:4].lower() == "the " and surface[4:5].islower():
                    continue  # a descriptive reference: derived again from titles and heads
                title, keys, mask = _parse_name(surface)
                if not keys:
                    continue
                if i not in self.base[keys]:
                    self.base[keys].append(i)
                masks[keys] = masks.get(keys, mask) & mask
                if title:
                    if i not in self.titled[(title, keys)]:
                        self.titled[(title, keys)].append(i)
                    g = _title_gender(title)
                    if g:
                        votes[g] += 1
                words = [k for k in keys if k not in _CONNECTORS]
                if entity.kind == PERSON and len(words) >= 2:
                    surnames[words[-1]].add(i)
                if entity.kind == ORG:
                    heads.update(h for h in _head_keys(keys) if h in DESCRIPTOR_HEADS)
            self.gender[i] = (
                "m" if votes["m"] > votes["f"] else "f" if votes["f"] > votes["m"] else ""
            )
            self.heads.append(frozenset(heads))
        self.masks = masks
        self.surnames = {s: sorted(ids) for s, ids in surnames.items() if len(ids) > 1}
        """Surnames of several people: settled per mention."""
        derived: set[tuple[str, ...]] = set()
        for s, owners in surnames.items():
            key = (s,)
            if (
                len(owners) == 1
                and key not in self.base
                and key not in GAZETTEER
                and s not in _NEVER_ALONE
            ):
                self.base[key] = list(owners)  # "Briggs said": the one person named ... Briggs
                derived.add(key)
        self.derived = frozenset(derived)
        """Bare surnames no text used alone yet: matched only as a run of their own."""
        for s, ids in self.surnames.items():
            taken = self.base.get((s,))
            if taken is not None:
                self.base[(s,)] = [i for i in taken if i not in ids]
        self.base = {k: ids for k, ids in self.base.items() if ids}
        self.titled = dict(self.titled)
        self.maxlen = max((len(k) for k in self.base), default=1)
        self.starts = frozenset(k[0] for k in self.base) | frozenset(self.surnames)
        """Keys that can open a mention (titles open one only before a name)."""

    def same_as(self, other: _Lexicon, index: dict[int, int]) -> bool:
        """True when *other* is this lexicon with its entities renumbered by *index*.

        The resolution reads nothing else, so it would find the same mentions.
        """
        if len(index) != len(self.kinds) or len(other.kinds) != len(self.kinds):
            return False

        def renumbered(ids: Iterable[int]) -> frozenset[int]:
            return frozenset(index[i] for i in ids)

        return (
            self.masks.keys() >= self.base.keys()
            and {k: renumbered(v) for k, v in self.base.items()}
            == {k: frozenset(v) for k, v in other.base.items()}
            and {k: self.masks.get(k, 0) for k in self.base}
            == {k: other.masks.get(k, 0) for k in other.base}
            and {k: renumbered(v) for k, v in self.titled.items()}
            == {k: frozenset(v) for k, v in other.titled.items()}
            and {k: renumbered(v) for k, v in self.surnames.items()}
            == {k: frozenset(v) for k, v in other.surnames.items()}
            and all(
                self.kinds[i] == other.kinds[j]
                and self.gender[i] == other.gender[j]
                and self.heads[i] == other.heads[j]
                for i, j in index.items()
            )
        )


def _resolve(
    documents: Sequence[Document], scans: list[Runs], lex: _Lexicon, vocab: _Vocabulary
) -> list[_Mention]:
    """Find every mention of every entity of *lex* in the body text."""
    out: list[_Mention] = []
    plans: dict[str, Plan] = {}
    for d, (doc, runs) in enumerate(zip(documents, scans, strict=True)):
        out.extend(_resolve_document(d, doc, runs, lex, vocab, plans))
    return out


Plan = list[tuple[int, int, int, list[int]]]
"""Matches in a run: (first token, first name token after the title, end, candidates)."""


def _plan(toks: Sequence[_Tok], lex: _Lexicon) -> Plan:
    """The known names in one run, longest first, left to right.

    It depends only on the run's text and the lexicon, so each distinct run
    string is planned once per pass.
    """
    keys = [t.key for t in toks]
    if not any(k in lex.starts for k in keys):
        return []  # no name can start here: most runs
    conns = [t.conn for t in toks]
    base, masks, surnames, maxlen = lex.base, lex.masks, lex.surnames, lex.maxlen
    n = len(toks)
    plan: Plan = []
    i = 0
    while i < n:
        if conns[i]:
            i += 1
            continue
        key = keys[i]
        t_end = (
            _title_end(keys, i, conns)
            if (key in TITLES or key in HONORIFICS or key in TITLE_MODIFIERS)
            else i
        )
        match = _longest(keys, toks, t_end, n, base, masks, surnames, maxlen)
        if match is None and t_end > i:
            t_end = i
            match = _longest(keys, toks, i, n, base, masks, surnames, maxlen)
        if match is None:
            i += 1
            continue
        end, ids = match
        if (
            end - t_end == 1
            and (keys[t_end],) in lex.derived
            and sum(1 for c in conns if not c) > end - i
        ):
            i += 1  # "Black" of "Black Sea" is not Mr. Black
            continue
        plan.append((i, t_end, end, ids))
        i = end
    return plan


def _resolve_document(
    d: int, doc: Document, runs: Runs, lex: _Lexicon, vocab: _Vocabulary, plans: dict[str, Plan]
) -> list[_Mention]:
    """The mentions in one document, named ones first, then descriptive ones."""
    found: list[_Mention] = []
    full_seen: dict[int, int] = {}  # entity named in full -> when it last was (a counter)
    titles_used: dict[int, set[str]] = defaultdict(set)
    for para, para_runs in zip(doc.paragraphs, runs, strict=True):
        text = para.text
        for at, run, toks in para_runs:
            plan = plans.get(run)
            if plan is None:
                plan = plans[run] = _plan(toks, lex)
            for i, t_end, end, ids in plan:
                if len(ids) == 1:
                    entity = ids[0]
                else:
                    name = tuple(t.key for t in toks[t_end:end])
                    title = tuple(t.key for t in toks[i:t_end])
                    chosen = _choose(ids, name, title, lex, full_seen)
                    if chosen is None:
                        continue
                    entity = chosen
                first = toks[i]
                start = at + first.start
                if (
                    i == t_end
                    and end - i == 1
                    and not first.upper
                    and vocab.lower(first.text)
                    and _is_initial(text, start)
                ):
                    continue  # "Times are hard": a common word opening a sentence
                stop = at + toks[end - 1].end
                if end - t_end > 1 and sum(1 for t in toks[t_end:end] if not t.conn) >= 2:
                    full_seen[entity] = len(found)
                if t_end > i:
                    phrase = _descriptor(tuple(t.key for t in toks[i:t_end]))
                    if phrase:
                        titles_used[entity].add(phrase)
                found.append(
                    _Mention(
                        entity,
                        d,
                        para.id,
                        start,
                        stop,
                        text[start:stop],
                        text[at + toks[t_end].start : stop],
                    )
                )
    found.extend(_descriptive(d, doc, lex, found, titles_used))
    return found


def _longest(
    keys: Sequence[str],
    toks: Sequence[_Tok],
    i: int,
    n: int,
    base: dict[tuple[str, ...], list[int]],
    masks: dict[tuple[str, ...], int],
    surnames: dict[str, list[int]],
    maxlen: int,
) -> tuple[int, list[int]] | None:
    """The longest known name starting at token *i*: (end index, candidate entities)."""
    if i >= n or toks[i].conn:
        return None
    for end in range(min(n, i + maxlen), i, -1):
        if toks[end - 1].conn:
            continue
        key = tuple(keys[i:end])
        ids = base.get(key)
        if ids is None and end - i == 1 and key[0] in surnames:
            ids = []
        if ids is None:
            continue
        mask = masks.get(key, 0)
        if mask and not all(toks[i + k].upper for k in range(end - i) if mask >> k & 1):
            continue
        if end - i == 1 and key[0] in surnames:
            ids = list(dict.fromkeys([*ids, *surnames[key[0]]]))
        if ids:
            return end, ids
    return None


def _choose(
    ids: list[int],
    name: tuple[str, ...],
    title: tuple[str, ...],
    lex: _Lexicon,
    full_seen: dict[int, int],
) -> int | None:
    """One entity for a mention, or ``None`` when the evidence does not settle it."""
    if len(ids) == 1:
        return ids[0]
    if title:
        owners = lex.titled.get((title, name))
        if owners and len(owners) == 1:
            return owners[0]
        g = _title_gender(title)
        if g:
            ids = [i for i in ids if lex.gender[i] in ("", g)]
            if len(ids) == 1:
                return ids[0]
    seen = [i for i in ids if i in full_seen]
    return max(seen, key=full_seen.__getitem__) if seen else None


def _descriptor(title: tuple[str, ...]) -> str:
    """The words ``the`` takes to refer back to a title: ``prime minister`` for
    ``Prime Minister``, ``mayor`` for ``Mayor``; ``""`` for an honorific."""
    words = [k for k in title if k not in ("former", "acting", "interim")]
    if not words or words[-1] not in DESCRIPTOR_TITLES or any(k in HONORIFICS for k in words):
        return ""
    return " ".join(words)


def _descriptive(
    d: int,
    doc: Document,
    lex: _Lexicon,
    named: list[_Mention],
    titles_used: dict[int, set[str]],
) -> list[_Mention]:
    """``the mayor``, ``the authority``: when one entity named in this document fits.

    A person's title counts when it was used with the name in this document
    (``Mayor Marisol Ortega``), whole (``the prime minister``, not ``the
    minister``); an organisation's head word when it is named in this document.
    """
    claims: dict[str, set[int]] = defaultdict(set)
    for entity in {m.entity for m in named}:
        for phrase in titles_used.get(entity, ()):
            claims[phrase].add(entity)
        for word in lex.heads[entity]:
            claims[word].add(entity)
    phrases = {w: next(iter(ids)) for w, ids in claims.items() if len(ids) == 1}
    if not phrases:
        return []
    alternatives = "|".join(
        r"\s+".join(map(re.escape, p.split())) for p in sorted(phrases, key=len, reverse=True)
    )
    pattern = re.compile(rf"\b([Tt]he)\s+({alternatives})\b(?![-\w])", re.IGNORECASE)
    taken: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for mention in named:
        taken[mention.paragraph].append((mention.start, mention.end))
    needles = [w for p in phrases for w in (p.split()[-1], p.split()[-1].capitalize())]
    out: list[_Mention] = []
    for para in doc.paragraphs:
        text = para.text
        if not any(w in text for w in needles):
            continue
        for m in pattern.finditer(text):
            words = m.group(2).split()
            if not m.group(1)[1:].islower() or any(len(w) > 1 and w.isupper() for w in words):
                continue
            if any(s < m.end() and m.start() < e for s, e in taken[para.id]):
                continue
            if text[m.end() : m.end() + 2].lstrip()[:1].isupper():
                continue  # "the Mayor Ortega": a name follows
            phrase = " ".join(w.lower() for w in words)
            out.append(
                _Mention(phrases[phrase], d, para.id, m.start(), m.end(), "the " + phrase, "", True)
            )
    return out


# --------------------------------------------------------------------------- assembly


def _canonical(mentions: Sequence[_Mention], kind: str) -> str:
    """The fullest, most frequent name, with accents if any outlet has them."""
    bases: Counter[str] = Counter(m.base for m in mentions if not m.descriptive and m.base)
    if not bases:
        return mentions[0].surface
    by_key: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for surface, c in bases.items():
        by_key[_parse_name(surface)[1]][surface] += c
    key = max(
        by_key,
        key=lambda k: (
            len([w for w in k if w not in _CONNECTORS]),  # the fullest
            not all(_is_acronym_key(s) for s in by_key[k]),  # spelled out: Britain, not U.K.
            sum(by_key[k].values()),  # the most frequent
            k,
        ),
    )
    surfaces = by_key[key]
    name = max(
        surfaces,
        key=lambda s: (
            s.upper() != s or (len(key) == 1 and len(s) <= 6),
            not s.isascii(),
            surfaces[s],
            s,
        ),
    )
    if kind == PERSON and len(key) == 1:
        regnal: Counter[str] = Counter(
            m.surface
            for m in mentions
            if m.surface != m.base and fold(m.surface.split()[0]) in REGNAL
        )
        if regnal:
            return regnal.most_common(1)[0][0]
    return name


def _assemble(
    documents: Sequence[Document],
    kinds: Sequence[str],
    mentions: list[_Mention],
    shared: Iterable[str] = (),
) -> tuple[tuple[Entity, ...], dict[int, int]]:
    """Entities from resolved mentions, sorted; also the map from old entity index to new.

    *shared*: surnames of several people; ``Keane`` of ``Mr. Keane`` is then no alias.
    """
    shared = frozenset(shared)
    by_entity: dict[int, list[_Mention]] = defaultdict(list)
    for m in mentions:
        by_entity[m.entity].append(m)
    doc_ids = [doc.id for doc in documents]
    built: list[tuple[int, Entity]] = []
    used: set[str] = set()
    for index in sorted(by_entity, key=lambda i: -len(by_entity[i])):
        ms = by_entity[index]
        kind = kinds[index]
        surfaces: Counter[str] = Counter()
        counts: Counter[str] = Counter()
        for m in ms:
            counts[doc_ids[m.doc]] += 1
            surfaces[m.surface] += 1
            if m.base and m.base != m.surface and fold(m.base) not in shared:
                surfaces[m.base] += (
                    0  # "Nicolas Maduro" is an alias when "President Nicolas ..." is
                )
        name = _canonical(ms, kind)
        if name in used:  # two entities never share a name: the next best form names it
            name = next((s for s, _ in surfaces.most_common() if s not in used), name + " (2)")
        used.add(name)
        aliases = tuple(sorted((s for s in surfaces if s != name), key=lambda s: (-surfaces[s], s)))
        built.append((index, Entity(name, kind, aliases, {did: counts[did] for did in doc_ids})))
    built.sort(key=lambda pair: (-sum(pair[1].mentions.values()), pair[1].name))
    return tuple(e for _, e in built), {old: new for new, (old, _) in enumerate(built)}


def _proto_entities(groups: Sequence[_Group]) -> list[Entity]:
    """Groups as entities whose aliases are every form they hold: the first lexicon."""
    out: list[Entity] = []
    for group in groups:
        surfaces: list[str] = []
        for form in sorted(group.forms, key=lambda f: -sum(f.surfaces.values())):
            surfaces.extend(form.surfaces)
            surfaces.extend(form.fulls)
        surfaces.extend(sorted(group.titled))
        names = list(dict.fromkeys(surfaces))
        if names:
            out.append(Entity(names[0], group.kind, tuple(names[1:])))
    return out


def _choose_backend(backend: str) -> Any:
    """The spaCy pipeline to use, or ``None`` for the rules."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown entity backend {backend!r}: use one of {', '.join(BACKENDS)}")
    if backend == "rules":
        return None
    nlp = _spacy_pipeline()
    if nlp is None and backend == "spacy":
        raise RuntimeError(
            "the spacy backend needs spaCy and its en_core_web_sm pipeline installed; "
            "storylens never downloads them (use backend='rules' or 'auto')"
        )
    return nlp


def _analyse(documents: Sequence[Document], backend: str) -> tuple[Entity, ...]:
    """Discover, cluster and resolve: the entities."""
    nlp = _choose_backend(backend)
    vocab = _Vocabulary(documents)
    scans = _scan(documents)
    if nlp is None:
        pieces, tally = _discover_rules(documents, scans, vocab)
    else:
        pieces, tally = _discover_spacy(documents, nlp), Counter()
    entities: tuple[Entity, ...] = tuple(_proto_entities(_Clusterer(pieces, tally).run()))
    lex = _Lexicon(entities)
    found = _resolve(documents, scans, lex, vocab)
    # Counts and aliases come from resolving with the entities' own names. Rebuilt from
    # what was found, the names must reproduce the same mentions, so that
    # entity_mentions() on the result agrees with the counts: check, and resolve again
    # when the rebuilt lexicon differs (rarely more than once).
    for _ in range(4):
        assembled, index = _assemble(documents, lex.kinds, found, lex.surnames)
        rebuilt = _Lexicon(assembled)
        if lex.same_as(rebuilt, index):
            return assembled
        mentions = [_renumber(m, index) for m in found]
        found = _resolve(documents, scans, rebuilt, vocab)
        if found == mentions:
            return assembled
        entities, lex = assembled, rebuilt
    return entities


def _renumber(m: _Mention, index: dict[int, int]) -> _Mention:
    return _Mention(
        index[m.entity], m.doc, m.paragraph, m.start, m.end, m.surface, m.base, m.descriptive
    )


# --------------------------------------------------------------------------- public API


def extract_entities(documents: Sequence[Document], *, backend: str = "auto") -> tuple[Entity, ...]:
    """The people, organisations and places named in *documents*, clustered across them.

    Each entity has its canonical name, its other surface forms (``aliases``),
    its kind (``person``, ``organisation`` or ``place``) and its mention count
    in every document (0 where absent). Only the documents' paragraphs count,
    never their set-aside boilerplate. Sorted by total mentions, then name.

    *backend*: ``"rules"`` (offline, always available), ``"spacy"`` (spaCy's
    ``en_core_web_sm`` finds the names; an error when it is not installed) or
    ``"auto"`` (spaCy when installed, else the rules).
    """
    return _analyse(documents, backend)


def entity_mentions(
    documents: Sequence[Document], entities: Sequence[Entity]
) -> dict[str, list[tuple[str, int, int]]]:
    """Where each entity is mentioned: canonical name → ``[(paragraph id, start, end)]``.

    Offsets are inside the paragraph's text, in reading order. The scan is the
    one that counted the mentions, so for entities from :func:`extract_entities`
    the lists have exactly as many items per document as the counts say.
    """
    found = _resolve(documents, _scan(documents), _Lexicon(entities), _Vocabulary(documents))
    out: dict[str, list[tuple[str, int, int]]] = {e.name: [] for e in entities}
    for m in found:
        out[entities[m.entity].name].append((m.paragraph, m.start, m.end))
    for spans in out.values():
        spans.sort(key=lambda s: (_pid_key(s[0]), s[1]))
    return out


def _pid_key(pid: str) -> tuple[int, int]:
    doc, _, index = pid.partition(".p")
    return int(doc[1:]) if doc[1:].isdigit() else 0, int(index) if index.isdigit() else 0
