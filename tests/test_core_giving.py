"""The giving core called from Python: records back, errors raised, reads without SQLAlchemy."""

from __future__ import annotations

from datetime import timedelta

import pytest

from conftest import TODAY, heavy_modules_after
from givenet.core.giving import (
    IntroLine,
    Match,
    list_intros,
    list_tags,
    make_intro,
    network_stats,
    rebuild_matches,
    rename_tag,
    set_intro_status,
    suggest_matches,
    who,
)
from givenet.core.network import Network
from givenet.errors import Conflict, InvalidInput, NotFound
from givenet.records import jsonable
from givenet.records.people import PersonRef

pytestmark = pytest.mark.engines


@pytest.fixture
def network(isolated_database):
    return Network(isolated_database)


@pytest.fixture
def venue_pair(run):
    run("add", "Ann", "--circle", "inner")
    run("add", "Bo", "--role", "Grant writer")
    run("ask", "Ann", "a venue for the supper club", "--tag", "venue")
    run("offer", "Bo", "a room above the bakery", "--tag", "venue")


def test_suggest_matches_returns_match_records(network, venue_pair, run):
    suggested = suggest_matches(network, today=TODAY)
    [pair] = suggested.pairs
    assert isinstance(pair, Match)
    assert (pair.ask_id, pair.asker, pair.helper) == (1, PersonRef(1, "Ann"), PersonRef(2, "Bo"))
    assert pair.matched == ("venue",) and pair.score > 0
    assert suggested.rebuilt is None and suggested.day == TODAY
    assert jsonable(suggested) == run("match", "--json").json()
    assert suggest_matches(network, "Bo").pairs == suggested.pairs
    assert suggest_matches(network, "#1", limit=1).pairs == suggested.pairs
    with pytest.raises(NotFound, match="no person called 'Zed'"):
        suggest_matches(network, "Zed")


def test_a_rebuild_reports_its_progress_and_keeps_the_matches(network, venue_pair):
    heard: list[tuple[int, int]] = []
    rebuilt = suggest_matches(network, rebuild=True, progress=lambda *step: heard.append(step))
    assert rebuilt.rebuilt == 1 and heard == [(1, 1)]
    assert rebuilt.pairs == suggest_matches(network).pairs
    assert rebuild_matches(network) == 1


def test_who_finds_people_in_the_shape_of_list(network, venue_pair, run):
    [found] = who(network, "anyone who writes grants?")
    assert (found.name, found.role, found.no_intros) == ("Bo", "Grant writer", False)
    assert found.score > 0 and found.matched
    assert jsonable(list(who(network, "venue"))) == run("who", "venue", "--json").json()
    with pytest.raises(InvalidInput, match="has no words to search for"):
        who(network, "  the  ")


def test_intros_made_moved_and_listed(network, venue_pair):
    made = make_intro(network, "Ann", "Bo", for_ask=1, on=TODAY - timedelta(days=2))
    assert made.intro_id == 1 and made.status == "made" and made.ask_met is None
    assert made.people == (PersonRef(1, "Ann"), PersonRef(2, "Bo"))
    assert made.want_no_intros == ()
    assert suggest_matches(network).pairs == ()  # introduced for that ask
    with pytest.raises(Conflict, match=r"^intro #1 is made; it can move to: met, no-fit, fizzled"):
        set_intro_status(network, 1, "helped")
    set_intro_status(network, "#1", "met", note="coffee went well")
    moved = set_intro_status(network, 1, "helped", on=TODAY)
    assert (moved.status, moved.day, moved.ask_met) == ("helped", TODAY, 1)
    [line] = list_intros(network)
    assert isinstance(line, IntroLine)
    assert (line.date, line.status_on, line.ask, line.offer_id) == (
        TODAY - timedelta(days=2),
        TODAY,
        "a venue for the supper club",
        1,
    )
    assert line.note == "coffee went well"
    assert list_intros(network, only_open=True) == ()
    with pytest.raises(InvalidInput, match="two different people"):
        make_intro(network, "Ann", "ann")


def test_an_intro_names_who_wants_none(network, run):
    run("add", "Ann")
    run("add", "Bo", "--no-intros")
    made = make_intro(network, "Ann", "Bo", status="suggested")
    assert made.want_no_intros == (PersonRef(2, "Bo"),)


def test_tags_listed_renamed_and_merged(network, venue_pair, run):
    run("add", "Cy", "--tag", "Venues")
    assert [(t.name, t.people, t.asks, t.offers, t.total) for t in list_tags(network)] == [
        ("venue", 0, 1, 1, 2),
        ("Venues", 1, 0, 0, 1),
    ]
    renamed = rename_tag(network, "venues", "Spaces")
    assert (renamed.old, renamed.new, renamed.merged) == ("Venues", "Spaces", False)
    merged = rename_tag(network, "spaces", "venue")
    assert (merged.old, merged.new, merged.merged) == ("Spaces", "venue", True)
    [tag] = list_tags(network)
    assert (tag.name, tag.people, tag.total) == ("venue", 1, 3)


def test_network_stats_is_a_record(network, venue_pair, run):
    run("got", "Bo", "a lead on a grant")
    report = network_stats(network, today=TODAY)
    assert (report.date, report.people, report.acquaintances) == (TODAY, 2, 1)
    assert [(layer.circle, layer.cumulative) for layer in report.layers] == [
        ("inner", 1),
        ("active", 1),
        ("wide", 1),
    ]
    assert report.asks.open == 1 and report.intros.helped_share is None
    assert report.giving_last_90_days.got == 1
    [top] = report.giving_last_90_days.most_given_by
    assert (top.name, top.count) == ("Bo", 1)
    assert jsonable(report) == run("stats", "--json").json()


@pytest.mark.slow
def test_giving_reads_import_no_sqlalchemy(venue_pair, isolated_database):
    commands = [["match"], ["match", "Ann", "--json"], ["who", "venue"], ["intros", "--json"],
                ["tags"], ["stats", "--json"]]  # fmt: skip
    printed, heavy = heavy_modules_after(isolated_database, commands)
    assert "a room above the bakery" in printed
    assert heavy == []


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_a_rebuild_and_a_tag_renamed_import_no_sqlalchemy(venue_pair, isolated_database):
    # They write through the store's SQL alone, on a plain connection (db.write_connection):
    # SQLAlchemy and the models would be 40 MiB of a rebuild's peak at 100,000 people.
    commands = [["match", "--rebuild"], ["tag", "rename", "venue", "space"], ["match"]]
    printed, heavy = heavy_modules_after(isolated_database, commands)
    assert "a room above the bakery" in printed and "space" in printed
    assert heavy == []


@pytest.mark.sqlite_only
def test_a_rebuild_that_fails_leaves_the_candidates_and_indexes_as_they_were(
    network, venue_pair, run, monkeypatch
):
    from givenet.store import search

    before = run("match", "--json").json()
    found = run("find", "bakery", "--json").json()

    def broken(*_args, **_kwargs):
        raise OSError("the disk went away")

    # Fails after the search indexes and every candidate were deleted in its transaction.
    with monkeypatch.context() as patched, pytest.raises(OSError, match="the disk went away"):
        patched.setattr(search, "refresh_statistics", broken)
        rebuild_matches(network)
    assert run("match", "--json").json() == before
    assert run("find", "bakery", "--json").json() == found
    renamed_back = rename_tag(network, "venue", "venue")  # and the file is writable again
    assert renamed_back.merged is False
