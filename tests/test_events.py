"""Events through the CLI: before (prep), during (attend, add --met-at), after (follow-ups)."""

from __future__ import annotations

import pytest

from conftest import days_ago, days_ahead

pytestmark = pytest.mark.engines

EVENT_DAY = days_ahead(5)  # the event is ahead when it is added
NEXT_DAY = days_ahead(6)
TWO_DAYS_LATER = days_ahead(8)


def follow_ups(run, day):
    detail = run("event", "show", "Impact Mixer", "--on", day, "--json").json()
    return {person["name"]: person["follow_up"] for person in detail["met"]}


@pytest.mark.slow
def test_an_event_from_prep_to_follow_up(run):
    # Before: the event is ahead; people are expected, one of them new to you.
    run("event", "add", "Impact Mixer", "--on", "in 5 days", "--place", "Hub Hall")
    assert run("events", "--upcoming", "--json").json()[0]["date"] == EVENT_DAY
    run("add", "Known Kim", "--on", "2026-01-05")
    run("event", "attend", "Impact Mixer", "Known Kim", "Ada Early", "--new")
    detail = run("event", "show", "Impact Mixer", "--json").json()
    assert [p["name"] for p in detail["expected"]] == ["Ada Early", "Known Kim"]
    assert detail["met"] == []

    # On the day: three people added as you meet them, and Ada (added before) met too.
    for name, note in (
        ("Bea", "runs a bakery"),
        ("Cal", "needs volunteers"),
        ("Dee", "grant deadline"),
    ):
        # The event is still ahead of the real clock: --on says it is the day.
        run("add", name, "--met-at", "Impact Mixer", "--on", EVENT_DAY, "--note", note)
    run(
        "log", "Ada Early", "--event", "Impact Mixer", "--on", EVENT_DAY, "--note", "wants a mentor"
    )
    detail = run("event", "show", "Impact Mixer", "--on", EVENT_DAY, "--json").json()
    assert [p["name"] for p in detail["expected"]] == ["Known Kim"]
    assert [p["met_on"] for p in detail["met"]] == [EVENT_DAY] * 4

    # The next morning: all on top with follow_up, quoting the event and their notes.
    due = run("due", "--on", NEXT_DAY, "--json").json()
    top = {p["name"]: p for p in due[:4]}
    assert set(top) == {"Ada Early", "Bea", "Cal", "Dee"}
    assert all(p["action"] == "follow_up" for p in top.values())
    assert (
        top["Bea"]["factors"][0]["reason"]
        == "follow up: met at Impact Mixer yesterday — runs a bakery"
    )
    assert top["Ada Early"]["factors"][0]["reason"] == (
        "follow up: met at Impact Mixer yesterday — wants a mentor"
    )
    assert set(follow_ups(run, NEXT_DAY).values()) == {"pending"}

    # One is followed up.
    run("log", "Bea", "--on", NEXT_DAY, "--kind", "email")

    # Two days later: Bea is gone, the others are overdue but still there.
    due = {p["name"]: p for p in run("due", "--on", TWO_DAYS_LATER, "--json").json()}
    assert "Bea" not in due
    for name in ("Ada Early", "Cal", "Dee"):
        assert due[name]["action"] == "follow_up"
        assert "late" in due[name]["factors"][0]["reason"]
    assert follow_ups(run, TWO_DAYS_LATER) == {
        "Ada Early": "overdue", "Bea": "done", "Cal": "overdue", "Dee": "overdue",
    }  # fmt: skip
    assert run("events", "--json").json()[0]["follow_ups_open"] == 3


@pytest.mark.slow
def test_prep_shows_overlap_known_attendees_with_openers_and_unknown_ones(run):
    run("demo")
    run(
        "event",
        "add",
        "Spring Summit",
        "--on",
        "in 10 days",
        "--topic",
        "food systems",
        "--topic",
        "Music",
    )
    run("event", "attend", "Spring Summit", "Hana", "Tomás", "Someone Unmet", "--new")
    prep = run("event", "prep", "Spring Summit", "--json").json()
    assert prep["topic_overlap"] == ["food systems"]
    known = {p["name"]: p for p in prep["known_attendees"]}
    assert set(known) == {"Hana Yusuf", "Tomás Silva"}
    hana = known["Hana Yusuf"]
    assert hana["open_asks"][0]["text"].startswith("Job training")
    helpers = {m["helper"]["name"] for m in hana["open_asks"][0]["your_network_can_meet"]}
    assert "Amara Okafor" in helpers
    assert 2 <= len(hana["openers"]) <= 3
    assert any("Job training" in q for q in hana["openers"])
    assert any("cooked professionally" in q for q in hana["openers"])  # her last meeting's note
    assert [p["name"] for p in prep["new_attendees"]] == ["Someone Unmet"]
    inviting = {p["name"] for p in prep["worth_inviting"]}
    assert "Daniel Reyes" in inviting and "Hana Yusuf" not in inviting
    text = run("event", "prep", "Spring Summit").stdout
    assert "Shared with your values: food systems" in text and "Expected, not met yet" in text


@pytest.mark.parametrize("command", ["attend", "show", "prep"])
@pytest.mark.slow
def test_an_unknown_event_is_a_clear_error(run, fails, command):
    run("add", "Kim")
    args = ["event", command, "Nope Fest"] + (["Kim"] if command == "attend" else [])
    assert "no event called 'Nope Fest'" in fails(*args)


def test_attend_unknown_person_without_new_is_refused_and_writes_nothing(run, fails):
    run("event", "add", "Mixer", "--on", "tomorrow")
    run("add", "Kim")
    assert "no person called 'Zed'" in fails("event", "attend", "Mixer", "Kim", "Zed")
    assert run("event", "show", "Mixer", "--json").json()["expected"] == []


def test_promises_made_at_an_event_show_there(run):
    run("add", "Kim", "--met-at", "Mixer", "--on", "yesterday")
    run("log", "Kim", "--event", "Mixer", "--next", "send slides", "--by", "tomorrow")
    detail = run("event", "show", "Mixer", "--json").json()
    assert [p["text"] for p in detail["promises"]] == ["send slides"]
    assert "send slides" in run("event", "show", "Mixer").stdout


def test_log_at_an_event_is_dated_on_the_event_day(run):
    run("event", "add", "Later Mixer", "--on", days_ago(4))
    run("add", "Kim")
    run("log", "Kim", "--event", "Later Mixer")
    assert run("show", "Kim", "--json").json()["meetings"][0]["date"] == days_ago(4)
