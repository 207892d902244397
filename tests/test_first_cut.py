"""The first cut of matching: which offers an ask's words reach, before scoring (pure)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from givenet.matching import (
    AskScorer,
    Found,
    Holders,
    Packed,
    PairEvidence,
    Sums,
    distinct_terms,
    first_cut,
    folded_tags,
    found_bits,
    found_in,
    found_words,
    packed_weights,
    score_pair,
    term_weights,
)
from givenet.meaning import concepts


def _cut(holders: dict[str, Holders], terms: tuple[str, ...], total: int, depth: int = 10):
    weights = {term: term_weights(found, total) for term, found in holders.items()}
    return first_cut(terms, holders, weights, depth)


def test_an_offer_holding_more_of_the_words_comes_first_and_rarer_words_count_more():
    holders = {
        # "venue" is in many offers, "riverside" in two
        "venue": Holders(text=frozenset({1, 2, 3, 4, 5, 6})),
        "riverside": Holders(text=frozenset({2, 7})),
    }
    found = _cut(holders, ("venue", "riverside"), total=100)
    assert [each.offer_id for each in found] == [2, 7, 6, 5, 4, 3, 1]
    assert found[0] == Found(2, text_hits=("venue", "riverside"))
    assert found[1] == Found(7, text_hits=("riverside",))


def test_tags_count_double_the_text_and_the_helpers_profile_half():
    holders = {"grant": Holders(text=frozenset({1}), tags=frozenset({2}), helper=frozenset({3, 2}))}
    found = _cut(holders, ("grant",), total=50)
    assert [each.offer_id for each in found] == [2, 1, 3]
    # offer 2 holds it in its tags and its helper's profile: both are said
    assert found[0] == Found(2, tag_hits=("grant",), helper_hits=("grant",))
    weights = term_weights(holders["grant"], 50)
    assert weights[2] == 2 * weights[1] == 4 * weights[3]


def test_the_depth_keeps_the_best_and_the_newest_among_equals():
    holders = {"mentor": Holders(text=frozenset(range(1, 21)))}
    found = _cut(holders, ("mentor",), total=40, depth=5)
    assert [each.offer_id for each in found] == [20, 19, 18, 17, 16]
    assert _cut(holders, ("nothing",), total=40) == []
    assert _cut({}, (), total=0) == []


def test_two_spellings_of_one_word_are_one_search_term():
    stems = {"venue": "venu", "venues": "venu", "dinner": "dinner"}
    assert distinct_terms(["venue", "dinner", "venues"], stems) == ("venue", "dinner")
    # without stems, spellings stay apart
    assert distinct_terms(["venue", "venues"], {}) == ("venue", "venues")
    # a word the index holds as two tokens is not a search term
    assert distinct_terms(["kanbanᦰtrainer", "coach"], {"kanbanᦰtrainer": "kanban trainer"}) == (
        "coach",
    )


def test_a_word_of_a_shared_tag_found_in_the_tags_is_that_tag_not_another_word():
    stems = {"job": "job", "jobs": "job", "kitchen": "kitchen"}
    evidence = PairEvidence(
        ask_tags=("jobs",),
        offer_tags=("jobs",),
        helper_tags=(),
        text_hits=("job", "kitchen"),
        tag_hits=("job",),
        stems=stems,
    )
    scored = score_pair(evidence)
    # 3 for the shared tag, 1 + 1 for two words in the text; "job" in the tags is the tag
    assert scored.score == 5.0
    assert scored.matched == ("jobs", "kitchen")
    assert "both say kitchen" in scored.why and "job," not in scored.why
    # without the stems the word is another spelling and counts again
    assert score_pair(replace(evidence, stems={})).score == 6.5


# --- the bulk pass's adding up, and the lean scoring, against the plain ones ------

_IDS = st.frozensets(st.integers(min_value=1, max_value=60), max_size=25)
_COLUMNS = st.tuples(_IDS, _IDS, _IDS)  # the holders of a term in text, tags, profile


@settings(max_examples=100, deadline=None)
@given(
    st.lists(_COLUMNS, max_size=6),
    st.integers(min_value=1, max_value=30),
    st.integers(min_value=0, max_value=80),
    st.integers(min_value=1, max_value=200),
)
@pytest.mark.slow
def test_a_first_cut_of_a_bulk_pass_is_the_plain_one_to_the_last_bit(columns, depth, size, total):
    """Added up with numpy (``Sums``), from sets or from packed holders, the cut is the
    plain one: the same offers in the same order, the same terms found in each."""
    terms = tuple(f"t{at}" for at in range(len(columns)))
    holders = {term: Holders(*held) for term, held in zip(terms, columns, strict=True)}
    weights = {term: term_weights(held, total) for term, held in holders.items()}
    plain = first_cut(terms, holders, weights, depth)
    # the array starts too small when size is below the largest id: it grows
    sums = Sums(size)
    assert first_cut(terms, holders, weights, depth, sums) == plain
    packed = {term: Packed.of(held) for term, held in zip(terms, columns, strict=True)}
    packed_worth = {term: packed_weights(held, total) for term, held in packed.items()}
    assert first_cut(terms, packed, packed_worth, depth, sums) == plain
    assert first_cut(terms, packed, packed_worth, depth, sums) == plain  # left at zero
    assert first_cut(terms, packed, packed_worth, depth) == plain  # without sums too
    assert sums.best(list(packed_worth.values()), 0) == [] == first_cut(terms, holders, weights, 0)
    offers = sorted({offer for held in columns for ids in held for offer in ids})
    assert found_in(terms, packed, offers) == found_in(terms, holders, offers)


_TAGS = st.lists(st.sampled_from(["Jobs", "jobs", "urban farming", "venue", "food"]), max_size=3)
_TERMS = st.lists(
    st.sampled_from(["job", "jobs", "kitchen", "farming", "urban", "room"]), unique=True, max_size=4
)
_TEXTS = st.sampled_from(
    [
        "",
        "a venue for 40 people",
        "private dining room, seats 50",
        "a small business loan from a bank",
        "food bank open Tuesdays",
        "kitchen training for newcomers, work as a cook",
        "room for 8 of us",
    ]
)


@settings(max_examples=120, deadline=None)
@given(
    _TAGS,
    _TAGS,
    _TAGS,
    _TERMS,
    st.data(),
    _TEXTS,
    _TEXTS,
    st.none() | st.integers(min_value=1, max_value=60),
    st.none() | st.integers(min_value=1, max_value=60),
)
@pytest.mark.slow
def test_the_lean_score_of_a_bulk_pass_is_score_pairs_with_closeness_or_without(
    ask_tags, offer_tags, helper_tags, terms, data, ask_text, offer_text, people, capacity
):
    # What a search finds in each column: some of the ask's terms, in their order.
    text, tags, helper = (
        tuple(term for term in terms if data.draw(st.booleans(), label=f"{column} {term}"))
        for column in ("text", "tags", "helper")
    )
    stems = {"job": "job", "jobs": "job", "farming": "farm"}
    # Their closeness of meaning, when both have vectors (the meaning extra).
    close = data.draw(st.none() | st.floats(min_value=-0.6, max_value=0.7), label="close")
    evidence = PairEvidence(
        ask_tags=tuple(ask_tags),
        offer_tags=tuple(offer_tags),
        helper_tags=tuple(helper_tags),
        text_hits=text,
        tag_hits=tags,
        helper_hits=helper,
        ask_meaning=concepts(ask_text, *ask_tags),
        offer_meaning=concepts(offer_text, *offer_tags),
        people_needed=people,
        capacity=capacity,
        stems=stems,
        close=close,
    )
    scored = score_pair(evidence)
    # Offer 1 as an index holds it: each term in the columns drawn for it.
    holders = {
        term: Holders(
            *(frozenset({1} if term in column else ()) for column in (text, tags, helper))
        )
        for term in terms
    }
    [(offer_id, bits)] = found_bits(terms, holders, [1])
    assert found_words(offer_id, bits, terms) == Found(1, text, tags, helper)
    scorer = AskScorer(folded_tags(ask_tags), terms, evidence.ask_meaning, stems, people)
    lean = scorer.score(
        bits,
        frozenset(folded_tags(offer_tags)),
        frozenset(folded_tags(helper_tags)),
        evidence.offer_meaning,
        capacity,
        close,
    )
    assert lean == (scored.score if scored.is_match else None)
    assert score_pair(evidence, explain=False).score == scored.score


def test_the_found_bits_of_an_ask_with_more_terms_than_one_int64_holds_are_the_plain_ones():
    # 30 terms: a bulk pass builds their bits 21 terms at a time.
    terms = tuple(f"word{at}" for at in range(30))
    holders = {
        term: Holders(
            text=frozenset(o for o in range(1, 9) if (o + at) % 3 == 0),
            tags=frozenset(o for o in range(1, 9) if (o * at) % 5 == 1),
            helper=frozenset({8} if at in (0, 20, 21, 29) else ()),
        )
        for at, term in enumerate(terms)
    }
    packed = {term: Packed.of(held.columns()) for term, held in holders.items()}
    offers = [8, 3, 1, 7, 9]  # 9 holds nothing
    plain = found_in(terms, holders, offers)
    assert found_in(terms, packed, offers) == plain
    assert plain[0].helper_hits == ("word0", "word20", "word21", "word29")
    assert plain[-1] == Found(9)
    assert [offer_id for offer_id, _ in found_bits(terms, packed, offers)] == offers
