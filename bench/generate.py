"""Generate several outlets' versions of one long synthetic news story.

The base story is original English-like prose made here from a seeded
vocabulary (a short list of common English words plus pronounceable invented
words, drawn with a Zipf-like frequency so that a few words are everywhere and
most are rare, as in real text) and a handful of sentence templates. Sections
of the story have topics of their own (recurring people, places and words), so
paragraphs differ the way a real story's paragraphs do.

Each version is derived from the base with the edits outlets make when they
rework a wire story: paragraphs omitted, moved, split and merged, a few
paragraphs of their own, and inside sentences dropped words, synonym swaps and
changed numbers. Every base paragraph has 30 to 120 words and the edits keep
every version's paragraphs in that range too; paragraphs are separated by one
blank line.

Everything is deterministic for a given ``--seed``::

    python bench/generate.py --docs 50 --words 20000 --out DIR
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

MIN_WORDS = 30
MAX_WORDS = 120

# --------------------------------------------------------------------------------------------
# Vocabulary


def _words(text: str) -> list[str]:
    return text.split()


_ONSETS = _words(
    "b bl br c ch cl cr d dr f fl fr g gl gr h j k l m n p pl pr qu r s sc sh sk sl sm sn sp "
    "st str t th tr v w wh z"
)
_VOWELS = _words("a e i o u a e i o u a e o ai ea ee oo ou")
_CODAS = ("", "", "", "n", "r", "l", "s", "t", "m", "nd", "nt", "rt", "st", "ck", "ll", "rn", "sh")

# A small stock of plain English words, written for this generator, so the prose
# reads like English around the invented words.
_ENGLISH_NOUNS = _words(
    "government minister ministry council court army police election vote border city capital "
    "region province village port bank market price budget plan deal report statement meeting "
    "talks crisis protest strike rally union party leader official officer soldier judge "
    "lawyer spokesman spokeswoman president governor mayor senator company factory worker "
    "farmer family school hospital doctor nurse patient road bridge river coast island week "
    "month year morning evening night decade law rule policy tax debt loan oil gas water food "
    "fuel power network station bureau agency committee panel inquiry investigation evidence "
    "document letter record figure number rate share percent group member community neighbour "
    "witness crowd building office headquarters square street district camp shelter aid "
    "supply shortage reform proposal measure sanction embassy diplomat envoy ally rival"
)
_ENGLISH_VERBS = _words(
    "announce approve reject deny confirm warn urge accuse support oppose block delay open "
    "close visit meet sign raise cut increase reduce launch order arrest release charge "
    "question promise plan prepare return report describe discuss expect estimate demand "
    "offer claim insist suggest reach cross leave join protect attack defend pay spend "
    "collect count"
)
_ENGLISH_ADJS = _words(
    "new old former senior local national foreign public private military political economic "
    "major small large early late recent key official independent regional central northern "
    "southern eastern western formal brief long short heavy quiet open secret daily weekly "
    "annual rural urban fresh sharp steady sudden wide"
)
_ENGLISH_ADVS = _words(
    "quickly slowly publicly privately again already recently later nearly largely"
)

_DAYS = _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
_MONTHS = _words(
    "January February March April May June July August September October November December"
)
_NUMBER_WORDS = _words("two three four five six seven eight nine ten twelve twenty dozens hundreds")


def _invent(rng: random.Random, syllables: int) -> str:
    word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables))
    return word + rng.choice(_CODAS)


def _plural(noun: str) -> str:
    if noun.endswith(("s", "sh", "ch", "x", "z")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "o", "u"):
        return noun[:-1] + "ies"
    return noun + "s"


def _past(verb: str) -> str:
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and verb[-2:-1] not in ("a", "e", "o", "u"):
        return verb[:-1] + "ied"
    return verb + "ed"


def _ing(verb: str) -> str:
    if verb.endswith("e") and not verb.endswith("ee"):
        return verb[:-1] + "ing"
    return verb + "ing"


class _Zipf:
    """Draws items with probability about 1/(rank + 2.7): a few common, most rare."""

    def __init__(self, items: list[str]) -> None:
        self.items = items
        self.cum = list(itertools.accumulate(1.0 / (r + 2.7) for r in range(len(items))))

    def draw(self, rng: random.Random) -> str:
        return self.items[bisect.bisect(self.cum, rng.random() * self.cum[-1])]


@dataclass
class Vocabulary:
    """The words of one story: parts of speech, people, places, synonyms."""

    nouns: list[str]
    verbs: list[str]
    adjs: list[str]
    advs: list[str]
    people: list[tuple[str, str, str]]
    places: list[str]
    orgs: list[str]
    synonyms: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, rng: random.Random, n_words: int) -> Vocabulary:
        # Larger stories reach further into the vocabulary (Heaps' law), so size it from N.
        size = max(800, int(40 * n_words**0.5))
        seen: set[str] = set(_ENGLISH_NOUNS + _ENGLISH_VERBS + _ENGLISH_ADJS + _ENGLISH_ADVS)

        def fresh(lo: int, hi: int) -> str:
            while True:
                word = _invent(rng, rng.randint(lo, hi))
                if 4 <= len(word) <= 13 and word not in seen:
                    seen.add(word)
                    return word

        nouns = list(_ENGLISH_NOUNS) + [fresh(1, 2) for _ in range(size // 2)]
        verbs = list(_ENGLISH_VERBS) + [fresh(1, 2) for _ in range(size // 4)]
        adjs = list(_ENGLISH_ADJS) + [
            fresh(1, 2) + rng.choice(("al", "ous", "ive", "ic", "ent", "ary"))
            for _ in range(size // 6)
        ]
        advs = list(_ENGLISH_ADVS) + [a + "ly" for a in adjs[len(_ENGLISH_ADJS) :][: size // 20]]
        for words in (nouns, verbs, adjs, advs):
            # Common English words first, invented ones mixed in behind them.
            head, tail = words[:40], words[40:]
            rng.shuffle(tail)
            words[:] = head + tail
        n_people = max(12, n_words // 250)
        people = [
            (fresh(1, 2).capitalize(), fresh(2, 2).capitalize(), rng.choice(("Mr.", "Ms.")))
            for _ in range(n_people)
        ]
        places = [fresh(2, 3).capitalize() for _ in range(max(8, n_words // 600))]
        orgs = [
            " ".join(
                (
                    rng.choice(("National", "United", "Popular", "Federal", "Central")),
                    fresh(1, 2).capitalize(),
                    rng.choice(("Party", "Council", "Front", "Bank", "Agency")),
                )
            )
            for _ in range(max(4, n_words // 1500))
        ]
        vocab = cls(nouns, verbs, adjs, advs, people, places, orgs)
        # Synonyms: each content word may be replaced by one or two others of its kind.
        for words in (nouns, verbs, adjs, advs):
            for word in words:
                if rng.random() < 0.7:
                    vocab.synonyms[word] = rng.sample(words, 2)
        return vocab


# --------------------------------------------------------------------------------------------
# Sentences and paragraphs

Token = tuple[str, str]
"""``(text, kind)``; kinds: ``w`` function word, ``n`` noun, ``v`` verb, ``a`` adjective,
``r`` adverb, ``num`` number, ``name`` proper name, ``fix`` a word that must stay (quotes)."""


@dataclass
class Sentence:
    tokens: list[Token]

    def render(self) -> str:
        words = [t for t, _ in self.tokens]
        text = " ".join(words)
        text = text[0].upper() + text[1:] if text[0] != '"' else '"' + text[1].upper() + text[2:]
        if not text.endswith((".", '."', "?", '?"')):
            text += "."
        return text

    def __len__(self) -> int:
        return sum(len(t.split()) for t, _ in self.tokens)


@dataclass
class Paragraph:
    sentences: list[Sentence]
    origin: tuple[int, ...] = ()
    """Indices of the base paragraphs it was made from (empty: the outlet's own)."""

    def render(self) -> str:
        return " ".join(s.render() for s in self.sentences)

    def __len__(self) -> int:
        return sum(len(s) for s in self.sentences)


class Writer:
    """Writes sentences about the current section's topic."""

    def __init__(self, vocab: Vocabulary, rng: random.Random) -> None:
        self.v = vocab
        self.rng = rng
        self.z_nouns = _Zipf(vocab.nouns)
        self.z_verbs = _Zipf(vocab.verbs)
        self.z_adjs = _Zipf(vocab.adjs)
        self.z_advs = _Zipf(vocab.advs)
        self.new_topic()

    def new_topic(self) -> None:
        rng, v = self.rng, self.v
        self.topic_nouns = rng.sample(v.nouns[20:], 12)
        self.topic_verbs = rng.sample(v.verbs[10:], 6)
        self.topic_adjs = rng.sample(v.adjs[10:], 5)
        self.cast = rng.sample(v.people, min(3, len(v.people)))
        self.place = rng.choice(v.places)
        self.mentioned: set[str] = set()

    # -- words --------------------------------------------------------------------------

    def noun(self) -> str:
        if self.rng.random() < 0.35:
            return self.rng.choice(self.topic_nouns)
        return self.z_nouns.draw(self.rng)

    def verb(self) -> str:
        if self.rng.random() < 0.3:
            return self.rng.choice(self.topic_verbs)
        return self.z_verbs.draw(self.rng)

    def adj(self) -> str:
        if self.rng.random() < 0.3:
            return self.rng.choice(self.topic_adjs)
        return self.z_adjs.draw(self.rng)

    def number(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.3:
            return rng.choice(_NUMBER_WORDS)
        if roll < 0.6:
            return str(rng.randint(2, 99))
        if roll < 0.85:
            return f"{rng.randint(1, 99) * 100:,}"
        return f"{rng.randint(1, 9)}.{rng.randint(1, 9)}"

    # -- phrases ------------------------------------------------------------------------

    def person(self) -> list[Token]:
        first, last, title = self.rng.choice(self.cast)
        if last in self.mentioned and self.rng.random() < 0.7:
            return [(title, "w"), (last, "name")]
        self.mentioned.add(last)
        out: list[Token] = []
        if self.rng.random() < 0.5:
            out += [(self.adj(), "a"), (self.noun(), "n")]
        return [*out, (first, "name"), (last, "name")]

    def noun_phrase(self, plural: bool | None = None, deep: bool = True) -> list[Token]:
        rng = self.rng
        out: list[Token] = []
        if plural is None:
            plural = rng.random() < 0.4
        if plural and rng.random() < 0.35:
            out.append((self.number(), "num"))
        else:
            out.append(
                (
                    rng.choice(("the", "the", "a", "its", "their", "this"))
                    if not plural
                    else "the",
                    "w",
                )
            )
            if out[0][0] == "a" and plural:
                out[0] = ("the", "w")
        for _ in range(rng.choice((0, 1, 1, 2))):
            out.append((self.adj(), "a"))
        noun = self.noun()
        out.append((_plural(noun) if plural else noun, "n"))
        if out[0][0] == "a" and out[1][0][0] in "aeiou":
            out[0] = ("an", "w")
        if deep and rng.random() < 0.3:
            out += [
                (rng.choice(("of", "of", "and", "from", "to")), "w"),
                *self.noun_phrase(deep=False),
            ]
        return out

    def prep_phrase(self) -> list[Token]:
        rng = self.rng
        roll = rng.random()
        if roll < 0.25:
            return [("in", "w"), (self.place, "name")]
        if roll < 0.4:
            return [("on", "w"), (rng.choice(_DAYS), "name")]
        if roll < 0.5:
            return [("in", "w"), (rng.choice(_MONTHS), "name")]
        if roll < 0.6 and self.v.orgs:
            return [
                ("by", "w"),
                ("the", "w"),
                *((w, "name") for w in rng.choice(self.v.orgs).split()),
            ]
        prep = rng.choice(
            ("of", "for", "with", "after", "before", "near", "over", "against", "during")
        )
        return [(prep, "w"), *self.noun_phrase()]

    def subject(self) -> list[Token]:
        return self.person() if self.rng.random() < 0.4 else self.noun_phrase()

    def clause(self) -> list[Token]:
        rng = self.rng
        out = self.subject()
        if rng.random() < 0.15:
            out.append((rng.choice(self.v.advs), "r"))
        roll = rng.random()
        verb = self.verb()
        if roll < 0.2:
            out += [
                (_past(self.verb()), "v"),
                ("to", "w"),
                *([(rng.choice(self.v.advs), "r")] if rng.random() < 0.1 else []),
                (verb, "v"),
            ]
        elif roll < 0.55:
            out.append((_past(verb), "v"))
        elif roll < 0.75:
            out += [(rng.choice(("had", "has", "would have")), "w"), (_past(verb), "v")]
        elif roll < 0.9:
            out += [(rng.choice(("was", "were", "is")), "w"), (_ing(verb), "v")]
        else:
            out += [(rng.choice(("did", "would", "could")), "w"), ("not", "w"), (verb, "v")]
        out += self.noun_phrase()
        for _ in range(rng.choice((0, 1, 1, 2))):
            out += self.prep_phrase()
        return out

    def sentence(self) -> Sentence:
        rng = self.rng
        roll = rng.random()
        if roll < 0.12:
            # "Clause," Name said.
            inner = self.clause()
            first, *rest = inner
            tokens = [('"' + first[0], "fix"), *rest]
            tokens[-1] = (tokens[-1][0] + ',"', "fix")
            tokens += [*self.person(), ("said", "w")]
            return Sentence(tokens)
        if roll < 0.3:
            tokens = [
                *self.person(),
                (rng.choice(("said", "told reporters", "added")), "w"),
                ("that", "w"),
            ]
            return Sentence(tokens + self.clause())
        if roll < 0.42:
            tokens = self.clause()
            tokens[-1] = (tokens[-1][0] + ",", tokens[-1][1])
            tokens += [
                (rng.choice(("while", "after", "because", "although", "as")), "w"),
                *self.clause(),
            ]
            return Sentence(tokens)
        if roll < 0.5:
            lead = rng.choice((["According", "to"], ["Under"], ["Despite"], ["Along", "with"]))
            tokens = [*((w, "w") for w in lead), *self.noun_phrase()]
            tokens[-1] = (tokens[-1][0] + ",", tokens[-1][1])
            return Sentence(tokens + self.clause())
        return Sentence(self.clause())

    def paragraph(self) -> Paragraph:
        rng = self.rng
        while True:
            target = rng.randint(MIN_WORDS + 5, MAX_WORDS - 5)
            sentences: list[Sentence] = []
            n = 0
            while n < target:
                s = self.sentence()
                sentences.append(s)
                n += len(s)
            if n > MAX_WORDS and len(sentences) > 1 and n - len(sentences[-1]) >= MIN_WORDS:
                n -= len(sentences.pop())
            if MIN_WORDS <= n <= MAX_WORDS:
                return Paragraph(sentences)


def base_story(n_words: int, seed: int) -> tuple[Vocabulary, list[Paragraph]]:
    """The base story: paragraphs totalling at least *n_words* words."""
    rng = random.Random(f"storylens-bench/base/{seed}")
    vocab = Vocabulary.build(rng, n_words)
    writer = Writer(vocab, rng)
    paragraphs: list[Paragraph] = []
    total = 0
    section_left = 0
    while total < n_words:
        if section_left == 0:
            writer.new_topic()
            section_left = rng.randint(3, 9)
        para = writer.paragraph()
        para.origin = (len(paragraphs),)
        paragraphs.append(para)
        total += len(para)
        section_left -= 1
    return vocab, paragraphs


# --------------------------------------------------------------------------------------------
# Versions


@dataclass(frozen=True)
class EditRates:
    """How heavily one outlet reworks the base story."""

    omit: float
    move: float
    split: float
    merge: float
    reword: float
    drop: float
    number: float
    unique: float

    @classmethod
    def draw(cls, rng: random.Random, index: int) -> EditRates:
        # The first version stays close to the base (the wire copy); others vary.
        k = 0.3 if index == 0 else rng.uniform(0.6, 1.6)
        return cls(
            omit=0.07 * k,
            move=0.025 * k,
            split=0.04 * k,
            merge=0.04 * k,
            reword=0.15 * k,
            drop=0.12 * k,
            number=0.05 * k,
            unique=0.025 * k,
        )


def _edit_sentence(
    s: Sentence, vocab: Vocabulary, rates: EditRates, rng: random.Random, w: Writer
) -> Sentence:
    tokens = list(s.tokens)
    if rng.random() < rates.reword:
        # Synonym swaps: one or two content words.
        spots = [i for i, (_, k) in enumerate(tokens) if k in ("n", "v", "a", "r")]
        for i in rng.sample(spots, min(len(spots), rng.choice((1, 1, 2)))):
            text, kind = tokens[i]
            base, suffix = _split_suffix(text, kind, vocab)
            alts = vocab.synonyms.get(base)
            if alts:
                tokens[i] = (_inflect(rng.choice(alts), suffix) + _trail(text), kind)
    if rng.random() < rates.number:
        spots = [i for i, (_, k) in enumerate(tokens) if k == "num"]
        if spots:
            i = rng.choice(spots)
            tokens[i] = (w.number() + _trail(tokens[i][0]), "num")
    if rng.random() < rates.drop:
        spots = [i for i, (t, k) in enumerate(tokens) if k in ("a", "r") and not _trail(t)]
        if spots:
            del tokens[rng.choice(spots)]
        elif rng.random() < 0.5:
            # Drop a trailing prepositional phrase's worth of words, when there is one.
            tail = [
                i
                for i, (t, _) in enumerate(tokens[:-2])
                if t in ("with", "after", "during", "near")
            ]
            if tail and len(tokens) - tail[-1] <= 5 and not _trail(tokens[-1][0]):
                tokens = tokens[: tail[-1]]
    return Sentence(tokens) if tokens else s


def _trail(text: str) -> str:
    return text[len(text.rstrip(',."')) :]


def _split_suffix(text: str, kind: str, vocab: Vocabulary) -> tuple[str, str]:
    """The dictionary form of a generated word and how it was inflected."""
    word = text.rstrip(',."')
    if word in vocab.synonyms:
        return word, ""
    for suffix in ("ies", "es", "s", "ied", "ed", "d", "ing"):
        if word.endswith(suffix):
            stem = word[: -len(suffix)]
            for cand in (stem, stem + "e", stem + "y"):
                if cand in vocab.synonyms:
                    return cand, suffix
    return word, ""


def _inflect(word: str, suffix: str) -> str:
    if suffix in ("s", "es", "ies"):
        return _plural(word)
    if suffix in ("ed", "d", "ied"):
        return _past(word)
    if suffix == "ing":
        return _ing(word)
    return word


def version(index: int, vocab: Vocabulary, base: list[Paragraph], seed: int) -> list[Paragraph]:
    """One outlet's version of *base* (depends only on the seed and *index*)."""
    rng = random.Random(f"storylens-bench/version/{seed}/{index}")
    writer = Writer(vocab, rng)  # the outlet's own paragraphs and numbers
    rates = EditRates.draw(rng, index)
    paras: list[Paragraph] = []
    for para in base:
        if rng.random() < rates.omit:
            continue
        edited = [_edit_sentence(s, vocab, rates, rng, writer) for s in para.sentences]
        paras.append(Paragraph(edited, para.origin))
    # Splits at a sentence boundary, when both halves keep at least MIN_WORDS.
    out: list[Paragraph] = []
    for para in paras:
        if rng.random() < rates.split and len(para.sentences) >= 2:
            cuts = [
                k
                for k in range(1, len(para.sentences))
                if sum(map(len, para.sentences[:k])) >= MIN_WORDS
                and sum(map(len, para.sentences[k:])) >= MIN_WORDS
            ]
            if cuts:
                k = rng.choice(cuts)
                out += [
                    Paragraph(para.sentences[:k], para.origin),
                    Paragraph(para.sentences[k:], para.origin),
                ]
                continue
        out.append(para)
    # Merges of neighbours that stay within MAX_WORDS together.
    paras, out = out, []
    for para in paras:
        if out and rng.random() < rates.merge and len(out[-1]) + len(para) <= MAX_WORDS:
            out[-1] = Paragraph(out[-1].sentences + para.sentences, out[-1].origin + para.origin)
        else:
            out.append(para)
    # Moves: mostly a short way, sometimes far.
    n_moves = sum(rng.random() < rates.move for _ in out)
    for _ in range(n_moves):
        i = rng.randrange(len(out))
        para = out.pop(i)
        j = i + rng.randint(-12, 12) if rng.random() < 0.7 else rng.randrange(len(out) + 1)
        out.insert(min(max(j, 0), len(out)), para)
    # The outlet's own paragraphs: background, reaction, its own reporting.
    n_unique = max(1, sum(rng.random() < rates.unique for _ in base))
    for _ in range(n_unique):
        if rng.random() < 0.5:
            writer.new_topic()
        out.insert(rng.randrange(len(out) + 1), writer.paragraph())
    return out


def versions(docs: int, words: int, seed: int = 1) -> list[list[Paragraph]]:
    """The paragraphs of *docs* versions of a story of about *words* words."""
    vocab, base = base_story(words, seed)
    return [version(i, vocab, base, seed) for i in range(docs)]


def render(paragraphs: list[Paragraph]) -> str:
    """One version as text: paragraphs separated by a blank line."""
    return "\n\n".join(p.render() for p in paragraphs) + "\n"


def generate(docs: int, words: int, seed: int = 1) -> list[str]:
    """Texts of *docs* versions of a story of about *words* words."""
    return [render(v) for v in versions(docs, words, seed)]


def write(docs: int, words: int, out: Path, seed: int = 1) -> list[Path]:
    """Write the versions to *out* as ``v000.txt``…; return their paths.

    ``truth.json`` beside them records, for each version's paragraphs in order,
    the base paragraphs each was made from (``[]`` for an outlet's own): the
    right answer an alignment can be checked against.
    """
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    truth: dict[str, list[list[int]]] = {}
    for i, paras in enumerate(versions(docs, words, seed)):
        path = out / f"v{i:03d}.txt"
        path.write_text(render(paras), encoding="utf-8")
        truth[path.name] = [list(p.origin) for p in paras]
        paths.append(path)
    (out / "truth.json").write_text(
        json.dumps(truth, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=5, help="number of versions (default 5)")
    parser.add_argument(
        "--words", type=int, default=2000, help="words in the base story (default 2000)"
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", type=Path, required=True, help="directory to write v000.txt… into")
    args = parser.parse_args(argv)
    if args.docs < 1 or args.words < MIN_WORDS:
        parser.error(f"need --docs >= 1 and --words >= {MIN_WORDS}")
    paths = write(args.docs, args.words, args.out, args.seed)
    total = sum(len(p.read_text(encoding="utf-8").split()) for p in paths)
    print(f"wrote {len(paths)} files, {total} words, to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
