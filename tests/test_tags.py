"""Tags that converge: the tags in use proposed for an untagged ask or offer, `tag ask`,
`tag offer`, and the near-duplicates `tags` shows with the `tag rename` that merges them."""

from __future__ import annotations

import shlex

import pytest

from givenet.matching import NearDuplicate, closest_tags, near_duplicate_tags

IN_USE = [
    ("venue", 3),
    ("venues", 1),
    ("event space", 1),
    ("food bank", 2),
    ("music", 1),
    ("urban farming", 2),
    ("urban-farming", 1),
    ("grants", 2),
    ("funding", 1),
    ("events", 2),
    ("kitchen", 1),
]


@pytest.mark.parametrize(
    ("text", "proposed"),
    [
        # the same need in other words: a room for 40 is a venue
        ("a room for 40", ("venue",)),
        # the need, then what it is about; "venues" and "event space" add nothing to "venue"
        ("Needs a venue for 40 people for a fundraising dinner", ("venue", "events")),
        ("Our choir needs a place to rehearse", ("venue", "music")),
        # the text's own words, hyphens or not
        ("advice on urban farming", ("urban farming",)),
        ("Kitchen training programme for newcomers", ("kitchen",)),
        # a shared word is no tag when the needs differ: a loan is not a food bank
        ("a small business loan from a bank", ("grants",)),
        ("Food bank open Tuesdays", ("food bank",)),
        ("someone to fix my bike", ()),
    ],
)
def test_closest_tags_are_the_same_words_or_the_same_need(text, proposed):
    assert closest_tags(text, IN_USE) == proposed


def test_closest_tags_prefer_the_most_used_and_stop_at_the_limit():
    # the same need either way: the more used; the text's own word comes first
    assert closest_tags("a room for our wedding", [("hall", 1), ("venue", 5)]) == ("venue",)
    assert closest_tags("a hall for our wedding", [("hall", 1), ("venue", 5)]) == ("hall",)
    in_use = [("music", 1), ("venue", 1), ("choir", 1)]
    assert closest_tags("a place for our choir to rehearse", in_use) == ("choir", "venue", "music")
    assert closest_tags("a place for our choir to rehearse", in_use, limit=1) == ("choir",)
    assert closest_tags("a venue", []) == ()


def test_near_duplicates_share_a_stem_or_all_they_mean():
    assert near_duplicate_tags(IN_USE) == [
        NearDuplicate("venues", "venue", "same word"),
        NearDuplicate("event space", "venue", "same need: a place to meet or hold an event"),
        NearDuplicate("urban-farming", "urban farming", "same word"),
        NearDuplicate("funding", "grants", "same need: money for a project or a business"),
    ]
    # "immigrant employment" says more than "jobs", "tech for good" more than "tech"
    assert near_duplicate_tags([("jobs", 2), ("immigrant employment", 1)]) == []
    assert near_duplicate_tags([("tech", 2), ("tech for good", 1)]) == []
    # a tie goes to the shorter name
    assert near_duplicate_tags([("venues", 1), ("venue", 1)]) == [
        NearDuplicate("venues", "venue", "same word")
    ]


@pytest.fixture
def network(run):
    run("add", "Maria Lopez")
    run("add", "Sam Okafor")
    run("offer", "Sam", "kitchen and dining room on Mondays, seats 50", "--tag", "venue")


def test_an_untagged_ask_is_proposed_the_tag_in_use_and_tag_ask_adds_it(run, network):
    out = run("ask", "Maria", "a room for 40 people")
    assert out.stdout.splitlines() == [
        "Ask #1 for #1 Maria Lopez: a room for 40 people.",
        "Tags in use that fit: venue. To add them: givenet tag ask 1 venue",
    ]
    # Not at a terminal: nothing is added without the command.
    [listed] = run("asks", "--json").json()
    assert listed["tags"] == []
    before = run("match", "--json").json()[0]
    command = out.stdout.splitlines()[1].split("To add them: ")[1]
    assert run(*shlex.split(command)[1:]).stdout == "Ask #1 is tagged venue.\n"
    assert run("asks", "--json").json()[0]["tags"] == ["venue"]
    after = run("match", "--json").json()[0]
    assert "venue" in after["matched"] and after["score"] == before["score"] + 3.0


def test_an_ask_or_offer_with_tags_gets_no_proposal(run, network):
    out = run("ask", "Maria", "a room for 40 people", "--tag", "space")
    assert "Tags in use" not in out.stdout
    assert "Tags in use" not in run("offer", "Maria", "a hall for parties", "--tag", "x").stdout
    # nothing in use fits: nothing proposed
    assert run("ask", "Sam", "a bike repaired").stdout.count("\n") == 1


def test_an_untagged_offer_is_proposed_tags_and_tag_offer_adds_them(run, network):
    run("ask", "Maria", "a venue for a dinner", "--tag", "venue", "--tag", "dinner")
    out = run("offer", "Maria", "my garden for a summer dinner party")
    assert "Tags in use that fit: dinner. To add them: givenet tag offer 2 dinner" in out.stdout
    assert run("tag", "offer", "2", "dinner", "Garden").stdout == (
        "Offer #2 is tagged dinner, Garden.\n"
    )
    assert [o["tags"] for o in run("offers", "--json").json()] == [["dinner", "Garden"], ["venue"]]


def test_add_with_ask_and_offer_proposes_tags_for_each(run, network):
    run("ask", "Sam", "a man with a van", "--tag", "removals")
    out = run("add", "Ruth Sato", "--ask", "somewhere to meet", "--offer", "my van on Sundays")
    assert out.stdout.splitlines()[1:] == [
        "Ask #2 recorded.",
        "Tags in use that fit: venue. To add them: givenet tag ask 2 venue",
        "Offer #2 recorded.",
        "Tags in use that fit: removals. To add them: givenet tag offer 2 removals",
    ]


def test_the_mcp_record_result_carries_the_proposed_tags(isolated_database, network):
    from givenet.core.asks import record_ask
    from givenet.core.network import Network
    from givenet.records import jsonable

    saved = jsonable(record_ask(Network(isolated_database), "Maria", "somewhere to meet"))
    assert saved["proposed_tags"] == ["venue"] and saved["tags"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask", "9", "venue"], "Error: no ask #9"),
        (["offer", "x", "venue"], "Error: offer ids are numbers like 12 or '#12', not 'x'"),
        (["ask", "1", " "], "Error: name at least one tag to add to the ask"),
        (["offer", "1", "a\x00b"], "Error: a tag cannot contain a NUL character"),
    ],
)
@pytest.mark.slow
def test_tag_ask_and_offer_refuse_bad_input_in_one_line_and_write_nothing(
    run, fails, network, args, message
):
    run("ask", "Maria", "a room for 40 people")
    error = fails("tag", *args)
    assert error.startswith(message) and error.count("\n") <= 1, error
    assert [a["tags"] for a in run("asks", "--json").json()] == [[]]
    assert [o["tags"] for o in run("offers", "--json").json()] == [["venue"]]
    assert [t["name"] for t in run("tags", "--json").json()] == ["venue"]


def test_tags_shows_near_duplicates_with_the_rename_that_merges_them(run, network):
    run("ask", "Maria", "a hall", "--tag", "venues", "--tag", "event space")
    run("edit", "Maria", "--tag", "urban-farming", "--tag", "Urban farming")
    found = {t["name"]: t for t in run("tags", "--json").json()}
    assert found["venue"]["merge"] is None and found["venue"]["merge_into"] is None
    assert found["venues"]["merge_into"] == "venue"
    assert found["venues"]["because"] == "same word"
    assert found["venues"]["merge"] == "givenet tag rename venues venue"
    assert found["event space"]["merge"] == "givenet tag rename 'event space' venue"
    assert found["urban-farming"]["merge"] == "givenet tag rename urban-farming 'Urban farming'"
    plain = run("tags").stdout
    assert "Near-duplicates, to merge:" in plain
    assert (
        "  event space → venue (same need: a place to meet or hold an event): "
        "givenet tag rename 'event space' venue"
    ) in plain.splitlines()
    # The commands it prints merge them.
    for tag in found.values():
        if tag["merge"]:
            run(*shlex.split(tag["merge"])[1:])
    after = run("tags", "--json").json()
    assert sorted(t["name"] for t in after) == ["Urban farming", "venue"]
    assert all(t["merge"] is None for t in after)
    assert "Near-duplicates" not in run("tags").stdout


@pytest.mark.slow
def test_at_a_terminal_ask_offers_to_add_the_proposed_tags(run, network, isolated_database):
    """stdin a terminal (a pseudo-terminal here): `ask` asks, and "y" adds them."""
    import os
    import subprocess
    import sys

    def ask_at_a_terminal(text: str, answer: bytes) -> str:
        terminal, its_other_end = os.openpty()
        try:
            os.write(terminal, answer)
            done = subprocess.run(
                [sys.executable, "-m", "givenet", "ask", "Maria", text],
                stdin=its_other_end,
                capture_output=True,
                env={**os.environ, "GIVENET_DB": str(isolated_database)},
                timeout=60,
            )
        finally:
            os.close(terminal)
            os.close(its_other_end)
        assert done.returncode == 0, done.stderr
        return done.stdout.decode()

    said = ask_at_a_terminal("a room for 40 people", b"y\n")
    assert "Add venue now? [y/N]:" in said and "Ask #1 is tagged venue." in said
    said = ask_at_a_terminal("somewhere to meet", b"n\n")
    assert "Add venue now?" in said and "tagged" not in said
    assert [a["tags"] for a in run("asks", "--json").json()] == [["venue"], []]
