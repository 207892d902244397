"""Meetings, promises, asks, offers, the ledger, events, delete and config through the CLI."""

from __future__ import annotations

import pytest

from conftest import TODAY, create_empty, days_ago, days_ahead

pytestmark = pytest.mark.engines


@pytest.mark.slow
def test_log_a_meeting_with_several_people_and_a_promise(run):
    run("add", "Maria")
    run("add", "Sam")
    out = run(
        "log", "Maria", "Sam", "--on", "2 days ago", "--kind", "coffee", "--note", "spring dinner",
        "--next", "send the menu", "--by", "in 3 days",
    )  # fmt: skip
    assert "Logged meeting #1" in out.stdout
    meeting = run("show", "Sam", "--json").json()["meetings"][0]
    assert meeting["date"] == days_ago(2)
    assert meeting["kind"] == "coffee"
    assert meeting["with"] == [{"id": 1, "name": "Maria"}]
    promises = run("promises", "--json").json()
    assert [(p["person"]["name"], p["due"]) for p in promises] == [
        ("Maria", days_ahead(3)),
        ("Sam", days_ahead(3)),
    ]


def test_log_with_event_needs_an_existing_event(run, fails):
    run("add", "Maria")
    assert "no event called 'Nope'" in fails("log", "Maria", "--event", "Nope")
    run("event", "add", "Mixer", "--on", "today")
    run("log", "Maria", "--event", "mixer")
    assert run("show", "Maria", "--json").json()["meetings"][0]["kind"] == "event"
    assert [p["name"] for p in run("events", "--json").json()[0]["met"]] == ["Maria"]


def test_promise_without_by_uses_the_default_and_kept_closes_it(run, fails):
    run("add", "Maria")
    run("log", "Maria", "--next", "send the deck")
    [promise] = run("promises", "--json").json()
    assert promise["due"] == days_ahead(7)
    run("kept", "#1")
    assert run("promises", "--json").json() == []
    assert run("promises", "--all", "--json").json()[0]["kept_on"] == TODAY.isoformat()
    assert "already kept" in fails("kept", "1")


def test_by_without_next_is_refused(run, fails):
    run("add", "Maria")
    assert "--by needs --next" in fails("log", "Maria", "--by", "friday")


@pytest.mark.slow
def test_asks_and_offers_lifecycle(run, fails):
    run("add", "Tomás")
    run("ask", "Tomás", "a venue for 40 people", "--tag", "venue", "--by", "in 10 days")
    run("ask", "Tomás", "a sound system", "--urgent")
    run("offer", "Tomás", "catering contacts", "--tag", "catering")
    asks = run("asks", "--json").json()
    assert [a["text"] for a in asks] == ["a sound system", "a venue for 40 people"]  # urgent first
    assert asks[1]["tags"] == ["venue"] and asks[1]["due"] == days_ahead(10)
    run("resolve", "2", "--via", "borrowed one")
    run("drop", "#1")
    assert run("asks", "--json").json() == []
    statuses = {a["id"]: (a["status"], a["via"]) for a in run("asks", "--all", "--json").json()}
    assert statuses == {1: ("dropped", None), 2: ("met", "borrowed one")}
    assert "is dropped" in fails("resolve", "1")
    run("reopen", "1")
    assert [a["id"] for a in run("asks", "--json").json()] == [1]
    run("withdraw", "1")
    assert run("offers", "--json").json() == []
    assert run("offers", "--all", "--json").json()[0]["status"] == "withdrawn"
    assert "already withdrawn" in fails("withdraw", "1")


def test_gave_for_an_ask_resolves_it_and_got_is_in_the_ledger(run, fails):
    run("add", "Maria")
    run("add", "Sam")
    run("ask", "Maria", "grant template")
    assert "not Sam's" in fails("gave", "Sam", "the template", "--for", "1")
    run("gave", "Maria", "sent the template", "--for", "1", "--on", "yesterday")
    run("got", "Maria", "an intro to a funder")
    profile = run("show", "Maria", "--json").json()
    assert profile["asks"][0]["status"] == "met"
    assert profile["asks"][0]["via"] == "sent the template"
    assert [(g["direction"], g["date"]) for g in profile["gives"]] == [
        ("gave", days_ago(1)),
        ("got", TODAY.isoformat()),
    ]
    assert profile["balance"] == {"gave": 1, "got": 1}


def test_delete_needs_yes_without_a_terminal_and_then_deletes(run, fails):
    run("add", "Maria")
    run("log", "Maria", "--note", "oops")
    assert "--yes" in fails("delete", "meeting", "1")
    assert len(run("show", "Maria", "--json").json()["meetings"]) == 1
    run("delete", "meeting", "#1", "--yes")
    assert run("show", "Maria", "--json").json()["meetings"] == []
    assert "no meeting #1" in fails("delete", "meeting", "1", "--yes")


def test_delete_event_keeps_its_meetings(run):
    run("add", "Maria", "--met-at", "Mixer")
    run("delete", "event", "1", "--yes")
    [meeting] = run("show", "Maria", "--json").json()["meetings"]
    assert meeting["event"] is None


def test_events_list_and_upcoming(run, fails):
    run("event", "add", "Past Forum", "--on", "2020-01-01", "--topic", "food")
    run("event", "add", "Next Mixer", "--on", "in 5 days", "--place", "Hub Hall")
    assert [e["name"] for e in run("events", "--json").json()] == ["Past Forum", "Next Mixer"]
    [upcoming] = run("events", "--upcoming", "--json").json()
    assert upcoming["date"] == days_ahead(5) and upcoming["place"] == "Hub Hall"
    assert "already exists" in fails("event", "add", "next mixer", "--on", "in 5 days")


def test_event_add_yearless_date_looks_ahead(run):
    yesterday = TODAY.replace(day=1) if TODAY.day > 1 else TODAY
    text = f"{yesterday:%b} {yesterday.day}"
    run("event", "add", "Monthly", "--on", text)
    date = run("events", "--json").json()[0]["date"]
    assert date >= TODAY.isoformat()


def test_config_lists_sets_and_resets(run, fails, isolated_database):
    create_empty(isolated_database)
    listing = run("config", "--json").json()
    keys = {entry["key"]: entry for entry in listing}
    assert keys["cadence.inner"]["value"] == 14 and keys["weight.follow_up"]["default"] == 10
    run("config", "cadence.inner", "3w")
    run("config", "weight.reach", "2.5")
    assert run("config", "cadence.inner").stdout.strip() == "3w"
    assert run("config", "weight.reach", "--json").json()["value"] == 2.5
    run("config", "cadence.inner", "--reset")
    assert run("config", "cadence.inner").stdout.strip() == "2w"
    assert "unknown setting" in fails("config", "weight.nope", "3")
    assert "is a number" in fails("config", "weight.reach", "lots")
    assert "0 or more" in fails("config", "weight.reach", "--", "-1")
    assert "Cannot read" in fails("config", "cadence.inner", "soon")


def test_db_path_follows_option_then_environment(run, isolated_database, tmp_path):
    assert run("db-path").stdout.strip() == str(isolated_database)
    other = tmp_path / "other.db"
    assert run("--db", str(other), "db-path").stdout.strip() == str(other)


@pytest.mark.parametrize(
    "key,value",
    [("weight.reach", "nan"), ("weight.reach", "inf"), ("weight.reach", "1e9"),
     ("snooze.default", "0"), ("follow_up.window", "999999m")],
)  # fmt: skip
@pytest.mark.slow
def test_config_refuses_values_that_would_break_the_ranking(
    run, fails, isolated_database, key, value
):
    create_empty(isolated_database)
    before = run("config", key).stdout
    fails("config", key, value)
    assert run("config", key).stdout == before
    run("due")


def test_a_switched_off_cadence_is_not_overdue(run):
    run("add", "Wide Will", "--circle", "wide", "--on", "2020-01-01")
    assert run("stats", "--json").json()["overdue_check_ins"] == 1
    run("config", "cadence.wide", "0")
    assert run("stats", "--json").json()["overdue_check_ins"] == 0
    assert run("due", "--json").json() == []
