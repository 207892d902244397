"""The first cut of matching: which offers an ask's words reach, before scoring (pure)."""

from __future__ import annotations

from dataclasses import replace

from givenet.matching import (
    Found,
    Holders,
    PairEvidence,
    distinct_terms,
    first_cut,
    score_pair,
    term_weights,
)


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
