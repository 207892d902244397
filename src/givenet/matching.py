"""Asks against offers: pure scoring of the candidates the store's full-text search found.

The store asks the full-text index (Porter stemming, so "training" finds
"trained" and "jobs" finds "job") which offers hold each of an ask's words, and
in which of their columns; ``first_cut`` picks the offers worth scoring from
those lists, and the store adds those that say one of the ask's needs in other
words (``givenet.meaning``: "a place to rehearse" and "church basement" are
both a place to meet). This module turns the words found, the tag lists and
the meaning of both texts into a score, the list of what matched and the
reasons in words. It imports only ``givenet.meaning`` (and numpy, the
``givenet[fast]`` extra, in a bulk pass's ``Sums``) and touches no database.

A match needs real overlap: a shared tag, a shared need, or a word of the ask
found in the offer's text or tags. A word found only in the helper's role, org
or tags adds a little but is not enough alone; generic words ("need", "help",
"people") are never searched for. Whole words only: "venue" does not match
"avenue". A shared word is no evidence when both texts say what they are about
and the needs differ ("a small business loan from a bank" / "Food bank open
Tuesdays"), and nothing is proposed that cannot fit: too few seats for the
people, or an offer that starts after the ask is needed. Where both texts have
vectors of meaning (the meaning extra: ``store.vectors``), ``with_closeness`` turns a
match's score into a learned combination with how close they are in meaning
(``COMBINED``): the closer ranks higher, one far apart is no match after all.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from operator import itemgetter
from typing import Any, NamedTuple

from givenet.meaning import Concepts, concepts, need_words, words_of

# FTS5's highlight() wraps each hit in these; they cannot occur in typed text.
HIT_START = "\x02"
HIT_END = "\x03"

MIN_SCORE = 1.0
CANDIDATES_PER_ASK = 10

SHARED_TAG = 3.0  # an ask tag that is also an offer tag
HELPER_TAG = 1.0  # an ask tag that is one of the helper's own tags
TEXT_WORD = 1.0  # an ask word in the offer's text
TAG_WORD = 1.5  # an ask word in the offer's tags
HELPER_WORD = 0.5  # an ask word only in the helper's role, org or tags
SHARED_NEED = 3.0  # the ask and the offer say the same need, in any words
SHARED_TOPIC = 0.5  # … and are about the same thing (music, food, children)
WHO_NEED = 4.0  # `who`: an active offer meets the need, in any words
FITS = 1.0  # a capacity that fits, more the tighter the fit (40 of 50 > 40 of 200)

# Words too common in asks and offers to say anything about a match.
STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any anyone are around as at
    be been before being below between both but by can could did do does doing down
    during each else ever few for from further get gets getting give gives giving had
    has have having he her here hers herself him himself his how i if in into is it its
    itself just like looking look looks me more most my myself need needed needs new no
    nor not now of off on once one only or other our ours out over own people person
    please really same she should so some someone something such than that the their
    theirs them themselves then there these they this those through to too under until
    up us very want wanted wants was we were what when where which while who whom why
    will with would you your yours yourself help helps helping find finding know knows
    does anybody somebody thing things lot lots way ways good great
    """.split()
)

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Combination:
    """A learned combination of the words-and-phrases score with closeness of meaning
    (``givenet.meaning_model``): a match stays one when bias + score × its score +
    proposes + same_need (when both say one need) + needs_disagree (when both say needs
    that differ) + closeness × its closeness is at least ``cutoff`` (``with_closeness``).
    The weights are a logistic regression's, fitted by ``benchmarks/matching.py
    --fit`` on every labelled set but the blind one."""

    bias: float
    score: float  # × the match's own score (``score_pair``'s)
    proposes: float  # + this: it is a match by words, tags and phrases
    same_need: float  # + this when both say one need (``givenet.meaning``)
    needs_disagree: float  # + this (negative) when both say a need, not the same
    closeness: float  # × the closeness (``closeness``)
    cutoff: float


COMBINED = Combination(
    bias=-1.53,
    score=0.50,
    proposes=0.87,
    same_need=0.93,
    needs_disagree=-1.58,
    closeness=5.43,
    cutoff=-0.3,
)


def closeness(cosine: Any, ask_hub: Any, offer_hub: Any) -> Any:
    """How close an ask and an offer are in meaning, corrected for hubs (CSLS): twice
    their cosine, less each one's mean cosine with its nearest reference texts of the
    other kind. A text near everything is near nothing in particular. (Floats, or
    numpy arrays of them: a pass computes many pairs at once.)"""
    return 2 * cosine - ask_hub - offer_hub


def search_terms(*texts: str) -> list[str]:
    """The words worth searching for, in order, without repeats or generic words."""
    seen: set[str] = set()
    terms = []
    for text in texts:
        for word in _WORD.findall(text.casefold()):
            if len(word) < 3 or word.isdigit() or word in STOPWORDS or word in seen:
                continue
            seen.add(word)
            terms.append(word)
    return terms


def fts_query(terms: Sequence[str]) -> str | None:
    """An FTS5 query matching any of the terms (each quoted, so no syntax leaks in)."""
    if not terms:
        return None
    return " OR ".join('"' + term.replace('"', '""') + '"' for term in terms)


_MARKED = re.compile(f"{HIT_START}(.*?){HIT_END}", flags=re.DOTALL)


def marked_words(highlighted: str | None) -> list[str]:
    """The words FTS5's highlight() marked as hits, lower-cased, without repeats."""
    if not highlighted:
        return []
    words: list[str] = []
    for hit in _MARKED.findall(highlighted):
        word = hit.casefold()
        # Short fragments ("op" of "co-op") are never searched for; a hit on one
        # only comes from stemming and says nothing to a person.
        if len(word) >= 3 and word not in words:
            words.append(word)
    return words


@dataclass(frozen=True)
class PairEvidence:
    """What the search found for one ask and one offer, as plain values."""

    ask_tags: tuple[str, ...]
    offer_tags: tuple[str, ...]
    helper_tags: tuple[str, ...]
    text_hits: tuple[str, ...] = ()  # ask words marked in the offer's text
    tag_hits: tuple[str, ...] = ()  # … in the offer's tags
    helper_hits: tuple[str, ...] = ()  # … in the helper's role, org and tags
    ask_meaning: Concepts = field(default_factory=Concepts)
    offer_meaning: Concepts = field(default_factory=Concepts)
    people_needed: int | None = None  # "for 40 people"
    capacity: int | None = None  # "seats 50"
    needed_by: date | None = None  # "by March 1", or the ask's --by
    available_from: date | None = None  # "from April"
    # {word: its stem in the search index}: a hit of the word a shared tag says is that
    # tag, not another word ("job" against the tag "jobs"). Without it, spellings count.
    stems: Mapping[str, str] = field(default_factory=dict)
    # How close the two texts are in meaning (``closeness``), when both have vectors
    # (the meaning extra): then ``with_closeness`` decides.
    close: float | None = None


@dataclass(frozen=True)
class Scored:
    score: float
    matched: tuple[str, ...]
    on_offer: bool = True  # something matched the offer itself, not only its giver
    reasons: tuple[str, ...] = ()  # why, in words: "same need: a place to meet …"
    fits: bool = True  # False: too few seats, or there too late

    @property
    def is_match(self) -> bool:
        return self.on_offer and self.fits and self.score >= MIN_SCORE

    @property
    def why(self) -> str:
        return "; ".join(self.reasons)


def fold_tag(tag: str) -> str:
    """A tag as pairs compare it (``folded_tags``' keys): case aside."""
    return tag.casefold()


@functools.lru_cache(maxsize=8192)
def _folded(tags: tuple[str, ...]) -> Mapping[str, str]:
    """{folded tag: tag}; the same few tag lists come back for every pair a pass scores
    (read only: the one dict is shared)."""
    return {fold_tag(tag): tag for tag in tags}


def _day(day: date) -> str:
    return f"{day:%B} {day.day}"


def _fit(need: int | None, room: int | None) -> float | None:
    """What a capacity adds for the people an ask is for: None when it is too small."""
    if need is None or room is None:
        return 0.0
    return None if room < need else FITS * need / room


def structure(evidence: PairEvidence) -> tuple[bool, float, list[str]]:
    """(fits, bonus, reasons) from the capacities and dates both texts name."""
    reasons: list[str] = []
    need, room = evidence.people_needed, evidence.capacity
    bonus = _fit(need, room)
    if bonus is None:
        return False, 0.0, [f"too small: {need} people, {room} places"]
    if need is not None and room is not None:
        reasons.append(f"fits {need} of {room} seats")
    by, start = evidence.needed_by, evidence.available_from
    if start is not None and by is not None:
        if start > by:
            return False, 0.0, [f"too late: needed by {_day(by)}, there from {_day(start)}"]
        reasons.append(f"there from {_day(start)}, needed by {_day(by)}")
    return True, bonus, reasons


def meanings_disagree(ask: Concepts, offer: Concepts) -> bool:
    """Both texts say what they need or give, and it is not the same thing."""
    return bool(ask.needs) and bool(offer.needs) and not (ask.needs & offer.needs)


NOT_A_MATCH = Scored(score=0.0, matched=(), on_offer=False, fits=False)


class _Points(NamedTuple):
    """A pair's score before capacities and dates, and what it is made of."""

    score: float
    on_offer: bool
    shared: list[str]  # the ask's tags the offer has too
    via_helper: list[str]  # … that only its helper has
    tag_words: list[str]  # ask words in the offer's tags, a shared tag's own left out
    helper_only: list[str]  # ask words only in the helper's profile
    same_needs: frozenset[str]


def _points(
    ask_tags: Mapping[str, str],
    offer_tags: Mapping[str, str],
    helper_tags: Mapping[str, str],
    text_hits: tuple[str, ...],
    tag_hits: tuple[str, ...],
    helper_hits: tuple[str, ...],
    ask_meaning: Concepts,
    offer_meaning: Concepts,
    stems: Mapping[str, str],
) -> _Points | None:
    """The score's words, tags and meaning (``{folded tag: tag}`` for each tag list);
    None for a false friend: a shared word alone, where the meanings differ."""
    shared = [offer_tags[key] for key in ask_tags if key in offer_tags]
    if not shared and meanings_disagree(ask_meaning, offer_meaning):
        return None
    via_helper = [
        helper_tags[key] for key in ask_tags if key in helper_tags and key not in offer_tags
    ]
    # A shared tag is not counted again word by word ("urban farming" once, not thrice).
    if shared and tag_hits:
        shared_words = {stems.get(w, w) for tag in shared for w in _WORD.findall(tag.casefold())}
        tag_words = [w for w in tag_hits if stems.get(w, w) not in shared_words]
    else:
        tag_words = list(tag_hits)
    helper_only = [w for w in helper_hits if w not in text_hits and w not in tag_hits]
    # (Every weight is a multiple of 0.5: the sum is exact in any order.)
    score = (
        SHARED_TAG * len(shared)
        + HELPER_TAG * len(via_helper)
        + TEXT_WORD * len(text_hits)
        + TAG_WORD * len(tag_words)
        + HELPER_WORD * len(helper_only)
    )
    on_offer = bool(shared or text_hits or tag_hits)
    same_needs = ask_meaning.needs & offer_meaning.needs
    if same_needs:
        score += SHARED_NEED * len(same_needs)
        score += SHARED_TOPIC * len(ask_meaning.topics & offer_meaning.topics)
        on_offer = True
    return _Points(score, on_offer, shared, via_helper, tag_words, helper_only, same_needs)


class AskScorer:
    """``score_pair``'s score of one ask against many offers when the pair is a match
    (dates aside), None when it is not: for a pass that scores a few hundred offers
    for every ask. Nothing is explained, and no ``PairEvidence`` is built for the many
    pairs not kept; the tags come as sets of folded tags (``folded_tags``), the words
    found as found bits of the ask's search terms (``found_bits``)."""

    __slots__ = ("_columns", "_meaning", "_people", "_shared_words", "_tag_words", "_tags")

    def __init__(
        self,
        ask_tags: Mapping[str, str],
        terms: Sequence[str],
        meaning: Concepts,
        stems: Mapping[str, str],
        people: int | None,
    ) -> None:
        self._tags = frozenset(ask_tags)
        self._meaning = meaning
        self._people = people
        self._columns = every_column(len(terms))
        # The terms that are a word of each ask tag, as found bits of the tags column: a
        # tag shared is not counted again word by word in the offer's tags (``_points``).
        in_tags = [
            (COLUMN_BITS[1] << (TERM_BITS * at), stems.get(term, term))
            for at, term in enumerate(terms)
        ]
        self._tag_words = {}
        for key in self._tags:
            words = {stems.get(w, w) for w in _WORD.findall(key)}
            self._tag_words[key] = sum(bit for bit, stem in in_tags if stem in words)
        self._shared_words: dict[frozenset[str], int] = {}

    def score(
        self,
        bits: int,
        offer_tags: frozenset[str],
        helper_tags: frozenset[str],
        offer_meaning: Concepts,
        capacity: int | None,
        close: float | None = None,
    ) -> float | None:
        """The pair's score when it is a match (dates aside), else None; ``bits`` are
        what the search found of the ask's terms in the offer (``found_bits``). With
        ``close`` (their closeness of meaning), as ``with_closeness`` makes it."""
        shared = self._tags & offer_tags
        ask_needs, offer_needs = self._meaning.needs, offer_meaning.needs
        same_needs = ask_needs & offer_needs
        if not shared and ask_needs and offer_needs and not same_needs:
            return None  # a false friend (``meanings_disagree``)
        in_text, in_tags, in_helper = self._columns
        text, tags = bits & in_text, bits & in_tags
        if not (shared or text or tags or same_needs):
            return None  # nothing matched the offer itself
        score = TEXT_WORD * text.bit_count()
        counted = tags
        if shared:
            score += SHARED_TAG * len(shared)
            if tags:
                words = self._shared_words.get(shared)
                if words is None:
                    words = 0
                    for key in shared:
                        words |= self._tag_words[key]
                    self._shared_words[shared] = words
                counted &= ~words
        score += TAG_WORD * counted.bit_count()
        if helper_tags:
            score += HELPER_TAG * len((self._tags & helper_tags) - offer_tags)
        helper = bits & in_helper
        if helper:  # the words found only in the helper's profile (a term's text bit
            # shifted by 2 and its tags bit by 1 land on its helper bit)
            helper &= ~((text << 2) | (tags << 1))
            score += HELPER_WORD * helper.bit_count()
        if same_needs:
            score += SHARED_NEED * len(same_needs)
            score += SHARED_TOPIC * len(self._meaning.topics & offer_meaning.topics)
        bonus = _fit(self._people, capacity)
        if bonus is None:
            return None
        if bonus:  # (a sum of halves is already rounded)
            score = round(score + bonus, 3)
        if score < MIN_SCORE:
            return None
        if close is None:
            return score
        return with_closeness(
            score,
            tagged=bool(shared or tags),
            same_need=bool(same_needs),
            needs_disagree=bool(ask_needs) and bool(offer_needs) and not same_needs,
            close=close,
        )


def with_closeness(
    points: float,
    *,
    tagged: bool,
    same_need: bool,
    needs_disagree: bool,
    close: float,
    rule: Combination = COMBINED,
) -> float | None:
    """The score of a match (``points``: words, tags and phrases) with closeness of
    meaning, in the same units (``MIN_SCORE`` is the bar), or None when closeness says
    it is no match after all: ``Combination``'s sum, less ``rule.cutoff``, over
    ``rule.score``, plus ``MIN_SCORE``. A match found in the offer's tags (``tagged``: a shared tag, or a
    word of the ask among them) stays one, at no less than its own score: you said so,
    and a vector reads the text alone. Closeness never makes a match alone: a static
    model of word pieces finds "a van" close to "vanilla ice cream"."""
    base, same, differ, near = _rescaled(rule)
    score = points + base + close * near
    if same_need:
        score += same
    if needs_disagree:
        score += differ
    if tagged and score < points:
        score = points
    return round(score, 3) if score >= MIN_SCORE else None


@functools.cache
def _rescaled(rule: Combination) -> tuple[float, float, float, float]:
    """``rule`` in a match's own units: what ``with_closeness`` adds (always, for the
    same need, for needs that differ, × the closeness)."""
    return (
        MIN_SCORE + (rule.bias + rule.proposes - rule.cutoff) / rule.score,
        rule.same_need / rule.score,
        rule.needs_disagree / rule.score,
        rule.closeness / rule.score,
    )


def folded_tags(tags: Sequence[str]) -> Mapping[str, str]:
    """{folded tag: tag} (read only): ``AskScorer`` takes its keys."""
    return _folded(tuple(tags))


def score_pair(evidence: PairEvidence, *, explain: bool = True) -> Scored:
    """Score one ask against one offer and say what matched (tags first) and why.

    ``explain=False`` leaves what matched and the reasons out: the same score, for
    the many pairs scored and not kept.
    """
    points = _points(
        _folded(tuple(evidence.ask_tags)),
        _folded(tuple(evidence.offer_tags)),
        _folded(tuple(evidence.helper_tags)),
        evidence.text_hits,
        evidence.tag_hits,
        evidence.helper_hits,
        evidence.ask_meaning,
        evidence.offer_meaning,
        evidence.stems,
    )
    if points is None:
        return NOT_A_MATCH
    score, on_offer, shared, via_helper, tag_words, helper_only, same_needs = points
    fits, bonus, fit_reasons = structure(evidence)
    score += bonus
    if not explain:
        scored = Scored(score=round(score, 3), matched=(), on_offer=on_offer, fits=fits)
        return scored if evidence.close is None else _with_close(evidence, scored)
    stems = evidence.stems
    matched: list[str] = [*shared, *via_helper]
    seen = {stems.get(key, key) for key in map(str.casefold, matched)}
    for word in (*evidence.text_hits, *tag_words, *helper_only):
        if (key := stems.get(word, word)) not in seen:
            seen.add(key)
            matched.append(word)
    tag_names = {stems.get(key, key) for key in (t.casefold() for t in (*shared, *via_helper))}
    on_offer_words = {*evidence.text_hits, *evidence.tag_hits}
    words = [w for w in matched if w in on_offer_words and stems.get(w, w) not in tag_names]
    profile_words = [w for w in helper_only if stems.get(w, w) not in tag_names]
    reasons: list[str] = []
    if same_needs:
        reasons.append("same need: " + ", ".join(need_words(key) for key in sorted(same_needs)))
    if shared:
        reasons.append("both tagged " + ", ".join(shared))
    if words:
        reasons.append("both say " + ", ".join(words))
    if via_helper:
        reasons.append("the helper is tagged " + ", ".join(via_helper))
    if profile_words:
        reasons.append("their profile says " + ", ".join(dict.fromkeys(profile_words)))
    reasons.extend(fit_reasons)
    scored = Scored(
        score=round(score, 3),
        matched=tuple(matched),
        on_offer=on_offer,
        reasons=tuple(reasons),
        fits=fits,
    )
    return scored if evidence.close is None else _with_close(evidence, scored)


def _with_close(evidence: PairEvidence, scored: Scored) -> Scored:
    """``score_pair``'s match with closeness of meaning (``with_closeness``, as
    ``AskScorer.score`` with ``close``)."""
    assert evidence.close is not None
    if not (scored.on_offer and scored.score >= MIN_SCORE):
        return scored  # no match: closeness never makes one
    ask_needs, offer_needs = evidence.ask_meaning.needs, evidence.offer_meaning.needs
    same = not ask_needs.isdisjoint(offer_needs)
    tagged = bool(evidence.tag_hits) or not set(_folded(tuple(evidence.ask_tags))).isdisjoint(
        _folded(tuple(evidence.offer_tags))
    )
    score = with_closeness(
        scored.score,
        tagged=tagged,
        same_need=same,
        needs_disagree=bool(ask_needs) and bool(offer_needs) and not same,
        close=evidence.close,
    )
    if score is None:
        return replace(scored, on_offer=False)  # far apart in meaning: not a match
    return replace(scored, score=score)


LEARNED_HELPED = 0.5  # each intro of this offer for an ask of the same need that helped
LEARNED_MISSED = 0.5  # each one that was no fit, or that pair marked not a fit


def learned(outcomes: Mapping[str, tuple[int, int]]) -> tuple[float, str]:
    """What an offer's past says of a pair: (score change, reason), each side at most 1.5.

    ``outcomes`` maps each need the pair meets to (intros of this offer for an ask of
    that need that helped, those that were no fit or marked not a fit).
    """
    helped = sum(good for good, _ in outcomes.values())
    missed = sum(bad for _, bad in outcomes.values())
    change = min(1.5, LEARNED_HELPED * helped) - min(1.5, LEARNED_MISSED * missed)
    said = []
    if helped:
        said.append(f"helped with the same need before ({helped} intro{'s' * (helped != 1)})")
    if missed:
        said.append(f"not a fit for the same need before ({missed})")
    return round(change, 3), "; ".join(said)


# The weight of a word found in an offer's text, tags and helper's profile, in the
# first cut (tags count double, the helper's profile half: as bm25 weighed them).
CUT_WEIGHTS = (1.0, 2.0, 0.5)


@dataclass(frozen=True, slots=True)
class Holders:
    """The offers that hold one search term in their text, tags and helper's profile."""

    text: frozenset[int] = frozenset()
    tags: frozenset[int] = frozenset()
    helper: frozenset[int] = frozenset()

    def columns(self) -> tuple[frozenset[int], frozenset[int], frozenset[int]]:
        return (self.text, self.tags, self.helper)


# The bit of each column in ``Packed.held``: text, tags, helper.
COLUMN_BITS = (1, 2, 4)


class Packed(NamedTuple):
    """``Holders`` as two numpy arrays: what a bulk pass keeps of every term it reads
    (9 bytes an offer, where a set takes 40-70: 20,000 offers hold a common word at
    100,000 people). ``ids`` are the offers holding the term in any column, sorted (as
    numpy's index type: ``Sums`` indexes with them without a copy); ``held`` is a byte
    for each, the bits of the columns holding it (``COLUMN_BITS``)."""

    ids: Any
    held: Any

    @classmethod
    def of(cls, columns: Iterable[Iterable[int]]) -> Packed:
        import numpy

        arrays = [numpy.fromiter(ids, dtype=numpy.intp) for ids in columns]
        ids = numpy.unique(numpy.concatenate(arrays)) if arrays else numpy.zeros(0, numpy.intp)
        held = numpy.zeros(len(ids), dtype=numpy.uint8)
        for bit, column in zip(COLUMN_BITS, arrays, strict=False):
            held[numpy.searchsorted(ids, column)] |= bit
        return cls(ids, held)

    def columns(self) -> tuple[Any, Any, Any]:
        """The sorted ids holding the term in its text, tags and helper's profile."""
        a, b, c = (self.ids[(self.held & bit) != 0] for bit in COLUMN_BITS)
        return (a, b, c)


class Found(NamedTuple):
    """One offer of a first cut, with the ask's words found in each of its columns
    (a named tuple: a pass builds hundreds for every ask)."""

    offer_id: int
    text_hits: tuple[str, ...] = ()
    tag_hits: tuple[str, ...] = ()
    helper_hits: tuple[str, ...] = ()


class Worth(dict[int, float]):
    """{offer id: what holding one search term is worth} (``term_weights``)."""

    _arrays: Any = None

    def arrays(self) -> Any:
        """The same as numpy arrays of ids and of worth, and the largest id (made once,
        for ``Sums``)."""
        if self._arrays is None:
            import numpy

            self._arrays = (
                numpy.fromiter(self.keys(), dtype=numpy.int64, count=len(self)),
                numpy.fromiter(self.values(), dtype=numpy.float64, count=len(self)),
                max(self, default=0),
            )
        return self._arrays


class Sums:
    """Where a bulk pass adds up its first cuts: one numpy array, an entry per offer id
    up to ``largest_id``, zero between cuts.

    The same cut as without it, to the last bit: each offer's worth is added in the
    same order, and numpy's float64 additions are Python's. Adding up the holders of
    common words (20,000 offers each at 100,000 people) this way takes a tenth of the
    time of a Python loop; importing numpy (~0.1 s) is worth it for a pass over many
    asks, not for one ask written.
    """

    def __init__(self, largest_id: int) -> None:
        import numpy

        self._numpy = numpy
        self._values = numpy.zeros(largest_id + 1, dtype=numpy.float64)
        # Which entries hold a worth: finding them in an array of flags is about six
        # times faster than among the floats.
        self._held = numpy.zeros(largest_id + 1, dtype=numpy.bool_)

    def best(self, lists: Sequence[Mapping[int, float] | PackedWorth], depth: int) -> list[int]:
        if depth <= 0:
            return []
        numpy = self._numpy
        values, flags = self._values, self._held
        for worth in lists:
            if not isinstance(worth, Worth | PackedWorth):
                worth = Worth(worth)
            ids, weights, largest = worth.arrays()
            if largest >= len(values):
                more = largest + 1 - len(values)
                values = self._values = numpy.concatenate((values, numpy.zeros(more)))
                flags = self._held = numpy.concatenate(
                    (flags, numpy.zeros(more, dtype=numpy.bool_))
                )
            values[ids] += weights
            flags[ids] = True
        held = numpy.flatnonzero(flags)
        sums = values[held]
        values[held] = 0.0
        flags[held] = False
        if len(held) > depth:  # those at or above the depth-th, then sorted
            cut = numpy.partition(sums, len(sums) - depth)[len(sums) - depth]
            keep = sums >= cut
            held, sums = held[keep], sums[keep]
        return [int(offer_id) for offer_id in held[numpy.lexsort((-held, -sums))[:depth]]]


class PackedWorth(NamedTuple):
    """``term_weights`` of ``Packed`` holders, as ``Sums`` reads it: the ids, their worth
    and the largest id."""

    ids: Any
    worth: Any
    largest: int

    def arrays(self) -> tuple[Any, Any, int]:
        return (self.ids, self.worth, self.largest)

    def held(self) -> int:
        return len(self.ids)


# What holding a term is worth in a first cut for each ``Packed.held`` byte: the weight
# of the best column holding it.
_BEST_COLUMN = tuple(
    max((w for bit, w in zip(COLUMN_BITS, CUT_WEIGHTS, strict=True) if held & bit), default=0.0)
    for held in range(8)
)


def packed_weights(holders: Packed, offers_total: int) -> PackedWorth:
    """``term_weights`` of packed holders: the same worth for the same offers."""
    import numpy

    ids = holders.ids
    if not len(ids):
        return PackedWorth(ids, numpy.zeros(0), 0)
    rarity = math.log(1.0 + max(offers_total, len(ids)) / len(ids))
    worth = rarity * numpy.array(_BEST_COLUMN)[holders.held]
    return PackedWorth(ids, worth, int(ids[-1]))


def term_weights(holders: Holders, offers_total: int) -> Worth:
    """{offer id: what holding this term is worth} for a first cut: rarer terms more
    (an inverse document frequency), then by the best column holding it."""
    columns = holders.columns()
    worth = Worth()
    holding = len(columns[0] | columns[1] | columns[2])
    if not holding:
        return worth
    rarity = math.log(1.0 + max(offers_total, holding) / holding)
    for weight, offers in sorted(zip(CUT_WEIGHTS, columns, strict=True), key=lambda c: c[0]):
        worth.update(dict.fromkeys(offers, rarity * weight))  # the best column's last
    return worth


def first_cut(
    terms: Sequence[str],
    holders: Mapping[str, Holders | Packed],
    weights: Mapping[str, Mapping[int, float] | PackedWorth],
    depth: int,
    sums: Sums | None = None,
) -> list[Found]:
    """The ``depth`` offers that hold most of an ask's ``terms`` (weighted by
    ``term_weights``), best first, the newest first among equals, each with the terms
    found in each of its columns; added up in ``sums`` when given (a bulk pass)."""
    return found_in(terms, holders, cut_ids(terms, weights, depth, sums))


def cut_ids(
    terms: Sequence[str],
    weights: Mapping[str, Mapping[int, float] | PackedWorth],
    depth: int,
    sums: Sums | None = None,
) -> list[int]:
    """``first_cut``'s offers, best first, without what each holds."""
    # Each offer's worth is added in one order, the term held by most first.
    lists = [worth for worth in (weights.get(term) for term in terms) if worth and _held(worth)]
    lists.sort(key=_held, reverse=True)
    if sums is not None:
        return sums.best(lists, depth)
    return _best([_as_mapping(worth) for worth in lists], depth)


def _held(worth: Mapping[int, float] | PackedWorth) -> int:
    return worth.held() if isinstance(worth, PackedWorth) else len(worth)


def _as_mapping(worth: Mapping[int, float] | PackedWorth) -> Mapping[int, float]:
    if isinstance(worth, PackedWorth):  # the same floats, as Python's
        return dict(zip(worth.ids.tolist(), worth.worth.tolist(), strict=True))
    return worth


def _best(lists: Sequence[Mapping[int, float]], depth: int) -> list[int]:
    """The ``depth`` offers whose worth adds up to the most, best first, the highest id
    first among equals."""
    worth: dict[int, float] = dict(lists[0]) if lists else {}
    for values in lists[1:]:
        get = worth.get
        for offer_id, value in values.items():
            worth[offer_id] = get(offer_id, 0.0) + value
    if len(worth) > depth:  # the values worth sorting: those at or above the depth-th
        counts = Counter(worth.values())
        reached = 0
        for cut in sorted(counts, reverse=True):
            reached += counts[cut]
            if reached >= depth:
                break
        worth = {offer_id: value for offer_id, value in worth.items() if value >= cut}
    best = sorted(worth.items(), key=itemgetter(1, 0), reverse=True)[:depth]
    return [offer_id for offer_id, _ in best]


# What a search found of an ask's terms in one offer, as one int ("found bits"): for
# the ask's i-th search term, bit 3i if the offer's text holds it, 3i + 1 its tags and
# 3i + 2 its helper's profile (``COLUMN_BITS`` shifted). A pass builds and scores a few
# hundred for every ask, so they are plain ints, not tuples of words.
TERM_BITS = 3
_A_TERM = sum(COLUMN_BITS)  # one term's bits, in any column
_WIDE = 21  # terms whose bits fit in one int64 (a numpy array of them)


def every_column(terms: int) -> tuple[int, int, int]:
    """The found bits of every one of so many terms, in the text, tags and helper."""
    text = sum(1 << (TERM_BITS * at) for at in range(terms))
    return (text, text << 1, text << 2)


def found_in(
    terms: Sequence[str], holders: Mapping[str, Holders | Packed], offer_ids: Iterable[int]
) -> list[Found]:
    """These offers, each with the ``terms`` found in each of its columns."""
    return [
        found_words(offer_id, bits, terms)
        for offer_id, bits in found_bits(terms, holders, offer_ids)
    ]


def found_words(offer_id: int, bits: int, terms: Sequence[str]) -> Found:
    """The ``Found`` of one offer's found bits: the terms themselves, in their order."""
    columns: tuple[list[str], list[str], list[str]] = ([], [], [])
    at = 0
    while bits:
        if bits & _A_TERM:
            for column, bit in zip(columns, COLUMN_BITS, strict=True):
                if bits & bit:
                    column.append(terms[at])
        bits >>= TERM_BITS
        at += 1
    return Found(offer_id, tuple(columns[0]), tuple(columns[1]), tuple(columns[2]))


def found_bits(
    terms: Sequence[str], holders: Mapping[str, Holders | Packed], offer_ids: Iterable[int]
) -> list[tuple[int, int]]:
    """(offer id, its found bits) for these offers, in their order, each once."""
    wanted = list(dict.fromkeys(offer_ids))
    if not wanted:
        return []
    empty = Holders()
    held = [holders.get(term, empty) for term in terms]
    if not any(isinstance(each, Packed) for each in held):
        plain = dict.fromkeys(wanted, 0)
        among = plain.keys()
        for at, each in enumerate(held):
            for bit, ids in zip(COLUMN_BITS, each.columns(), strict=True):
                bit <<= TERM_BITS * at
                for offer_id in among & ids:
                    plain[offer_id] |= bit
        return list(plain.items())
    import numpy

    ids = numpy.fromiter(wanted, dtype=numpy.intp, count=len(wanted))
    found: list[int] | None = None
    for start in range(0, len(terms), _WIDE):  # 21 terms to an int64
        part = numpy.zeros(len(ids), dtype=numpy.int64)
        for at, each in enumerate(held[start : start + _WIDE]):
            if not isinstance(each, Packed):
                each = Packed.of(each.columns())
            if len(each.ids):
                where = each.ids.searchsorted(ids)
                where[where == len(each.ids)] = 0
                columns = each.held[where].astype(numpy.int64)
                columns[each.ids[where] != ids] = 0
                part |= columns << (TERM_BITS * at)
        values = part.tolist()
        if found is None:
            found = values
        else:
            shift = TERM_BITS * start
            found = [bits | (more << shift) for bits, more in zip(found, values, strict=True)]
    return list(zip(wanted, found or [0] * len(wanted), strict=True))


def distinct_terms(terms: Iterable[str], stems: Mapping[str, str]) -> tuple[str, ...]:
    """Search terms without a second spelling of the same word ("venue", "venues": one
    stem in ``stems``), so that each word found counts once, and without a word the
    index holds as several tokens (a character it splits words at: a search for the
    word and a look at a text's tokens would not agree on it)."""
    seen: set[str] = set()
    kept = []
    for term in terms:
        key = stems.get(term, term)
        if " " in key:
            continue
        if key not in seen:
            seen.add(key)
            kept.append(term)
    return tuple(kept)


@dataclass(frozen=True)
class WhoEvidence:
    """What `who TEXT` found for one person: hits in their offers and their profile,
    and the needs their offers meet."""

    offer_hits: tuple[str, ...] = ()
    tag_hits: tuple[str, ...] = ()
    role_org_hits: tuple[str, ...] = ()
    note_hits: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()  # keys of givenet.meaning.NEEDS


def score_who(evidence: WhoEvidence) -> Scored:
    """The need met counts most, then offers, tags, role and org, then notes."""
    weights = (
        (evidence.offer_hits, 2.0, "their offers say"),
        (evidence.tag_hits, 1.5, "tagged"),
        (evidence.role_org_hits, 1.0, "their role or org says"),
        (evidence.note_hits, 0.5, "your notes say"),
    )
    score = WHO_NEED * len(evidence.needs)
    reasons = []
    if evidence.needs:
        reasons.append("offers what is needed: " + ", ".join(map(need_words, evidence.needs)))
    matched: list[str] = []
    for words, weight, saying in weights:
        for word in words:
            score += weight
            if word not in matched:
                matched.append(word)
        if words:
            reasons.append(f"{saying} " + ", ".join(dict.fromkeys(words)))
    return Scored(score=round(score, 3), matched=tuple(matched), reasons=tuple(reasons))


# --- tags that converge -----------------------------------------------------------------

PROPOSED_TAGS = 3  # at most this many tags proposed for an untagged ask or offer


def _stems(text: str) -> frozenset[str]:
    """The content words of a text or a tag, stemmed, hyphens as spaces ("urban-farming")."""
    return frozenset(
        word
        for word in words_of(text.replace("-", " "))
        if len(word) >= 3 and not word.isdigit() and word not in STOPWORDS
    )


def _spelling(tag: str) -> tuple[str, ...]:
    """A tag's words stemmed, every one of them: "Urban-farming" is "urban farming", and
    "tech for good" is not "tech"."""
    return tuple(words_of(tag.replace("-", " ")))


def _closeness(text_meaning: Concepts, text_stems: frozenset[str], tag: str) -> float:
    """How well an existing tag says what a text is about: 0 when it does not."""
    tag_meaning = concepts(tag)
    if meanings_disagree(text_meaning, tag_meaning):
        return 0.0  # "food bank" is no tag for "a loan from a bank"
    score = 2.0 * len(text_meaning.needs & tag_meaning.needs)
    tag_stems = _stems(tag)
    if tag_stems and tag_stems <= text_stems:
        score += len(tag_stems)  # the whole tag is said in the text: "venue", "urban farming"
    if not tag_meaning.needs and tag_meaning.topics and tag_meaning.topics <= text_meaning.topics:
        score += 1.0  # a tag that names what the text is about: "music" for a choir
    return score


def closest_tags(
    text: str, in_use: Iterable[tuple[str, int]], *, limit: int = PROPOSED_TAGS
) -> tuple[str, ...]:
    """The tags already in use (name, how many records carry it) closest to ``text``,
    closest first, then the most used: a tag with the text's own words ("venues" for
    "a venue"), or one that says the same need in other words ("venue" for "a room for
    40"), or the topic it is about ("music" for "our choir"). Never a tag whose need
    differs from the text's ("food bank" for "a loan from a bank"), nor one that says
    what a closer one said ("venues" after "venue")."""
    text_meaning = concepts(text)
    text_stems = _stems(text)
    scored = [
        (score, uses, name)
        for name, uses in in_use
        if (score := _closeness(text_meaning, text_stems, name)) > 0
    ]
    scored.sort(key=lambda item: (-item[0], -item[1], item[2].casefold()))
    chosen: list[str] = []
    said: set[frozenset[str]] = set()  # the stems and the needs of the tags chosen
    for _, _, name in scored:
        stems, needs = _stems(name), concepts(name).needs
        if stems in said or needs in said:
            continue  # "venues" or "event space" after "venue" says nothing more
        chosen.append(name)
        said.update(key for key in (stems, needs) if key)
        if len(chosen) == limit:
            break
    return tuple(chosen)


@dataclass(frozen=True)
class NearDuplicate:
    """A tag that says what a more used one says: merge it with `tag rename`."""

    tag: str
    into: str  # the tag to merge it into: the most used of its group
    because: str  # "same word" or "same need: a place to meet or hold an event"


def near_duplicate_tags(in_use: Iterable[tuple[str, int]]) -> list[NearDuplicate]:
    """Tags that are one idea spelled several ways: the same words once stemmed
    ("venue", "venues", "Urban-farming" / "urban farming") or the same need of the
    phrase book, and nothing more ("venue", "event space", "hall"; not "jobs" and
    "immigrant employment"). Each group merges into its most used
    tag (then the shortest name); the others are listed, in the order given."""
    tags = list(dict.fromkeys(name for name, _ in in_use))
    uses = {name: count for name, count in in_use}
    parent = {name: name for name in tags}

    def root(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    because: dict[tuple[str, str], str] = {}
    seen: dict[Hashable, str] = {}  # a tag's stems, or all it means -> the first such tag
    for name in tags:
        meaning = concepts(name)
        needs = meaning.needs
        for key, reason in (
            (("words", _spelling(name)), "same word"),
            # All it means: "immigrant employment" is more than "jobs".
            (
                ("meaning", needs, meaning.topics),
                "same need: " + ", ".join(map(need_words, sorted(needs))),
            ),
        ):
            if not key[1]:
                continue
            first = seen.setdefault(key, name)
            if first != name and root(first) != root(name):
                because[(first, name)] = because[(name, first)] = reason
                parent[root(name)] = root(first)
    groups: dict[str, list[str]] = {}
    for name in tags:
        groups.setdefault(root(name), []).append(name)
    found: list[NearDuplicate] = []
    for members in groups.values():
        if len(members) < 2:
            continue
        keep = min(members, key=lambda name: (-uses[name], len(name), name.casefold()))
        for name in members:
            if name != keep:
                reason = because.get((name, keep)) or _reason(name, keep)
                found.append(NearDuplicate(tag=name, into=keep, because=reason))
    order = {name: place for place, name in enumerate(tags)}
    found.sort(key=lambda duplicate: order[duplicate.tag])
    return found


def _reason(tag: str, other: str) -> str:
    """Why two tags of one group are near-duplicates, when they were joined through a third."""
    if _spelling(tag) == _spelling(other):
        return "same word"
    mine, theirs = concepts(tag), concepts(other)
    if mine.needs and (mine.needs, mine.topics) == (theirs.needs, theirs.topics):
        return "same need: " + ", ".join(map(need_words, sorted(mine.needs)))
    return f"close to {other}"
