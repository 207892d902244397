"""The morning list and its explanation through the CLI, with fixed dates (`--on`)."""

from __future__ import annotations

import pytest

from conftest import create_empty

pytestmark = pytest.mark.engines

DAY = "2026-03-10"  # the morning the tests look at


@pytest.fixture
def network(run):
    """Met yesterday at an event; an urgent ask; a lapsed inner circle; a snoozed one."""
    run(
        "add",
        "Yara Met",
        "--met-at",
        "Impact Mixer",
        "--on",
        "2026-03-09",
        "--note",
        "they mentioned a grant deadline",
    )
    run("add", "Urgent Asker", "--on", "2026-01-05", "--tag", "food")
    run("ask", "Urgent Asker", "a kitchen for Friday", "--urgent")
    run("add", "Inner Lapsed", "--circle", "inner", "--on", "2026-01-20")
    run("add", "Snoozed Sam", "--met-at", "Impact Mixer")
    run("snooze", "Snoozed Sam", "--until", "2099-01-01")
    run("add", "Quiet Quinn", "--on", "2026-01-01")
    run("me", "--value", "food")


def test_met_yesterday_tops_urgent_ask_and_lapsed_check_in(run, network):
    due = run("due", "--on", DAY, "--json").json()
    assert [(p["name"], p["action"]) for p in due] == [
        ("Yara Met", "follow_up"),
        ("Urgent Asker", "open_ask"),  # 4 for the ask + 1.5 for sharing your value "food"
        ("Inner Lapsed", "check_in"),  # 5: a whole cadence overdue
    ]
    top = due[0]
    [factor] = top["factors"]
    assert factor["name"] == "follow_up" and factor["value"] == 1.0
    assert factor["reason"] == (
        "follow up: met at Impact Mixer yesterday — they mentioned a grant deadline"
    )
    assert top["score"] == factor["contribution"] == 10.0


def test_due_json_shape(run, network):
    for person in run("due", "--on", DAY, "--json").json():
        assert set(person) >= {"id", "name", "score", "action", "factors"}
        assert person["score"] == pytest.approx(sum(f["contribution"] for f in person["factors"]))
        for factor in person["factors"]:
            assert set(factor) >= {"name", "value", "weight", "contribution", "reason"}
            assert factor["contribution"] != 0


def test_snoozed_people_never_appear_until_the_snooze_ends(run, network):
    names = [p["name"] for p in run("due", "--on", "2026-03-10", "--json", "--all").json()]
    assert "Snoozed Sam" not in names
    run("unsnooze", "Snoozed Sam")
    run("edit", "Snoozed Sam", "--circle", "inner")
    names = [p["name"] for p in run("due", "--on", "2026-03-10", "--json").json()]
    assert "Snoozed Sam" in names


def test_follow_up_fades_and_a_later_touch_clears_it(run, network):
    def follow_up_of(day):
        entry = run("why", "Yara", "--on", day, "--json").json()
        return next(f["value"] for f in entry["factors"] if f["name"] == "follow_up")

    assert follow_up_of("2026-03-09") == 0  # the day of the meeting
    assert follow_up_of("2026-03-11") == 1.0  # D+2: still inside the window
    assert follow_up_of("2026-03-12") == pytest.approx(0.875)  # D+3: fading
    assert follow_up_of("2026-03-19") == 0  # D+10: gone
    run("log", "Yara", "--on", "2026-03-10", "--kind", "email")
    assert follow_up_of("2026-03-11") == 0


def test_why_lists_every_factor_and_the_total(run, network):
    why = run("why", "Urgent Asker", "--on", DAY, "--json").json()
    names = [f["name"] for f in why["factors"]]
    assert names[:9] == [
        "follow_up", "promise", "thank", "check_in", "intro_check", "open_ask", "can_match",
        "birthday", "reconnect",
    ]  # fmt: skip
    assert {"helped_me", "helped_well", "alignment", "reach", "open_network"} <= set(names)
    by_name = {f["name"]: f for f in why["factors"]}
    assert by_name["open_ask"]["value"] == 1.0
    assert by_name["alignment"]["reason"] == "shares your values: food"
    assert why["score"] == pytest.approx(4 + 1.5)
    text = run("why", "Urgent Asker", "--on", DAY).stdout
    assert "total" in text and "5.50" in text and "open_ask" in text


def test_due_all_adds_priority_only_people(run, network):
    run("add", "Funder Fay", "--reach", "large")
    plain = [p["name"] for p in run("due", "--on", DAY, "--json").json()]
    everyone = [p["name"] for p in run("due", "--on", DAY, "--all", "--json").json()]
    assert "Funder Fay" not in plain and "Funder Fay" in everyone
    assert "Quiet Quinn" not in everyone


def test_due_limit_and_plain_output(run, network):
    out = run("due", "--on", DAY, "--limit", "1").stdout
    assert "Yara Met" in out and "Follow up" in out and "10.00" in out
    assert "Inner Lapsed" not in out
    assert "and up to 2 more" in out


def test_ties_break_by_name(run):
    for name in ("Zed", "amy", "Bob"):
        run("add", name)
        run("ask", name, "anything")
    assert [p["name"] for p in run("due", "--json").json()] == ["amy", "Bob", "Zed"]


def test_promise_and_birthday_and_helped_me_reach_the_list(run):
    run("add", "Pat", "--birthday", "1980-03-12")
    run("add", "Kim", "--on", "2026-03-01")
    run("log", "Kim", "--on", "2026-03-02", "--next", "send notes", "--by", "2026-03-08")
    run("add", "Gil")
    run("got", "Gil", "an intro", "--on", "2026-01-20")  # too long ago to be a `thank`
    due = {p["name"]: p for p in run("due", "--on", DAY, "--json").json()}
    assert due["Pat"]["action"] == "birthday"
    assert due["Kim"]["action"] == "promise"
    assert "overdue by 2 days" in due["Kim"]["factors"][0]["reason"]
    assert "Gil" not in due  # helped_me is a priority, not an action
    everyone = {p["name"]: p for p in run("due", "--on", DAY, "--all", "--json").json()}
    assert everyone["Gil"]["factors"][0]["name"] == "helped_me"


def test_weights_come_from_config(run, network):
    run("config", "weight.follow_up", "0")
    names = [p["name"] for p in run("due", "--on", DAY, "--json").json()]
    assert "Yara Met" not in names


def test_empty_network_says_what_to_do(run, isolated_database):
    create_empty(isolated_database)
    out = run("due").stdout
    assert "Nothing due" in out
    assert run("due", "--json").json() == []


def test_a_got_is_a_thank_action_until_a_touch_or_a_gave(run):
    run("add", "Lena Park", "--on", "2026-02-01")
    run("got", "Lena", "lent me her projector", "--on", "2026-03-08")
    (top,) = run("due", "--on", DAY, "--json").json()
    assert (top["name"], top["action"]) == ("Lena Park", "thank")
    why = {f["name"]: f for f in run("why", "Lena", "--on", DAY, "--json").json()["factors"]}
    assert why["thank"]["reason"] == 'thank them for "lent me her projector" (2 days ago)'
    run("log", "Lena", "--on", "2026-03-09", "--kind", "message", "--note", "thanked her")
    why = {f["name"]: f for f in run("why", "Lena", "--on", DAY, "--json").json()["factors"]}
    assert why["thank"]["value"] == 0


def test_a_thank_you_planned_for_later_is_not_yet_thanks(run):
    """A meeting or a gave dated after the day looked at has not happened yet."""
    run("add", "Lena Park", "--on", "2026-02-01")
    run("got", "Lena", "lent me her projector", "--on", "2026-03-08")
    run("log", "Lena", "--on", "2026-03-12", "--kind", "call", "--note", "to thank her")
    run("gave", "Lena", "a bottle of wine", "--on", "2026-03-11")
    (top,) = run("due", "--on", DAY, "--json").json()
    assert (top["name"], top["action"]) == ("Lena Park", "thank")
    assert run("due", "--on", "2026-03-12", "--json").json() == []


@pytest.mark.slow
def test_a_dormant_tie_who_helped_is_woken_in_turn(run):
    run("add", "Old Friend", "--on", "2021-05-01")
    run("got", "Old Friend", "a reference for my first job", "--on", "2021-05-02")
    run("add", "Old Stranger", "--on", "2021-05-01")  # nothing to wake it for
    listed = {p["name"]: p for p in run("due", "--on", DAY, "--json").json()}
    assert listed["Old Friend"]["action"] == "reconnect"
    assert "Old Stranger" not in listed
    why = {f["name"]: f for f in run("why", "Old Friend", "--on", DAY, "--json").json()["factors"]}
    assert why["reconnect"]["reason"].startswith("reconnect: last in touch 4.9 years ago")
    run("config", "reconnect.after", "6y")
    assert "Old Friend" not in {p["name"] for p in run("due", "--on", DAY, "--json").json()}
    run("config", "reconnect.after", "3y")
    run("config", "reconnect.per_day", "0")
    assert "Old Friend" not in {p["name"] for p in run("due", "--on", DAY, "--json").json()}


def test_reconnect_per_day_is_a_whole_number(fails):
    assert "whole number" in fails("config", "reconnect.per_day", "1.5")


@pytest.mark.slow
def test_a_meeting_planned_ahead_does_not_wake_nor_hide_a_dormant_tie(run):
    """The store reads last touches from person_touch, which holds later meetings too."""
    run("add", "Old Friend", "--on", "2021-05-01")
    run("got", "Old Friend", "a reference", "--on", "2021-05-02")
    run("log", "Old Friend", "--on", "2026-04-01", "--kind", "coffee")  # after DAY
    listed = {p["name"]: p["action"] for p in run("due", "--on", DAY, "--json").json()}
    assert listed["Old Friend"] == "reconnect"
    run("log", "Old Friend", "--on", "2025-01-01", "--kind", "call")  # before DAY: in touch
    listed = {p["name"]: p["action"] for p in run("due", "--on", DAY, "--json").json()}
    assert "Old Friend" not in listed
