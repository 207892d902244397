"""`givenet review`: the weekly give-first review, on the demo network."""

from __future__ import annotations

import pytest

from conftest import days_ago, heavy_modules_after
from givenet.cli.review import sparkline


@pytest.fixture
def week(run):
    """The demo, and a week of giving: an ask met, a promise kept late, an intro made."""
    run("demo")
    run("gave", "Hana", "sent the kitchen training programme's contact", "--for", "2")
    run("kept", "1")
    run("intro", "Tomás", "Amara", "--for", "1")
    run("gave", "Owen", "a list of kitchen suppliers", "--on", days_ago(30))


def test_review_of_the_demo_week(run, week):
    review = run("review", "--json").json()
    assert review["week_from"] == days_ago(6) and review["date"] == days_ago(0)
    gave = [(line["person"]["name"], line["what"]) for line in review["gave"]]
    assert ("Hana Yusuf", "sent the kitchen training programme's contact") in gave
    assert ("Owen Brooks", "a list of kitchen suppliers") not in gave  # a month ago
    assert [line["person"]["name"] for line in review["got"]] == ["Grace Lin"]
    assert [m["person"]["name"] for m in review["asks_met"]] == ["Hana Yusuf"]
    (kept,) = review["promises_kept"]
    assert kept["person"]["name"] == "Priya Nair" and kept["late_by_days"] == 2
    assert review["promises_late"] == []
    (waiting,) = review["intros_waiting"]
    assert {p["name"] for p in waiting["people"]} == {"Tomás Silva", "Amara Okafor"}
    assert review["reconnect"]["person"]["name"] == "Li Wei"
    assert review["circles_over"] == []
    weeks = review["giving_weeks"]
    assert len(weeks) == 12 and weeks[-1]["week_from"] == days_ago(6)
    assert weeks[-1]["got"] == 1 and weeks[-1]["gave"] >= 1
    assert sum(w["gave"] for w in weeks) >= 3  # this week's, Owen's, and Amara's of the demo


def test_review_in_plain_text(run, week):
    text = run("review").stdout
    assert "You gave (" in text and "Hana Yusuf: sent the kitchen training" in text
    assert "Promises kept (1, 1 late)" in text and "2 days late" in text
    assert "Reconnect\n  Li Wei: last in touch" in text
    assert "Giving, 12 weeks since " in text
    assert "\n  gave  " in text and "\n  got   " in text


@pytest.mark.slow
def test_an_intro_outcome_and_an_overdue_promise_show(run):
    run("add", "Ann")
    run("add", "Bo")
    run("log", "Ann", "--next", "send the deck", "--by", days_ago(3), "--on", days_ago(10))
    run("intro", "Ann", "Bo", "--on", days_ago(20))
    run("intro-status", "1", "met", "--on", days_ago(5))
    run("intro-status", "1", "helped", "--on", days_ago(2))
    review = run("review", "--json").json()
    assert [i["status"] for i in review["intro_outcomes"]] == ["helped"]
    (late,) = review["promises_late"]
    assert late["late_by_days"] == 3 and late["text"] == "send the deck"
    assert "Intro outcomes this week (1)" in run("review").stdout


@pytest.mark.slow
def test_circles_over_capacity_show(run):
    for number in range(16):
        run("add", f"Close {number:02d}", "--circle", "inner")
    (over,) = run("review", "--json").json()["circles_over"]
    assert over["circle"] == "inner" and over["cumulative"] == 16
    assert "Over capacity: inner holds 16" in run("review").stdout


def test_review_on_another_day_and_bad_dates(run, fails, week):
    assert run("review", "--on", days_ago(60), "--json").json()["got"] == []
    assert "date" in fails("review", "--on", "not a day")


def test_sparkline():
    assert sparkline([0, 0, 0]) == "···"
    assert sparkline([0, 1, 2, 8]) == "·▂▃█"
    assert sparkline([]) == ""


@pytest.mark.slow
def test_review_reads_without_sqlalchemy(run, week, isolated_database):
    printed, heavy = heavy_modules_after(isolated_database, [["review", "--json"]])
    assert '"Grace Lin"' in printed
    assert heavy == []


@pytest.mark.slow
def test_the_core_gives_the_record(tmp_path):
    from datetime import date

    from givenet.core import Network, make_demo, weekly_review

    network = Network(tmp_path / "g.db")
    day = date(2026, 11, 26)
    make_demo(network, today=day)
    review = weekly_review(network, today=day)
    assert review.week_from == date(2026, 11, 20)
    assert [line.person.name for line in review.got] == ["Grace Lin"]


def test_a_promise_kept_since_was_overdue_in_a_past_week(run):
    """`review --on` is that week as it was: a promise overdue then and kept later is
    among its overdue ones, late by the days up to that date."""
    run("add", "Ann")
    run("log", "Ann", "--next", "send the deck", "--by", days_ago(10), "--on", days_ago(15))
    run("kept", "1")
    assert run("review", "--json").json()["promises_late"] == []
    (late,) = run("review", "--on", days_ago(5), "--json").json()["promises_late"]
    assert (late["text"], late["late_by_days"], late["kept_on"]) == ("send the deck", 5, None)
    assert run("review", "--on", days_ago(12), "--json").json()["promises_late"] == []


def test_a_past_week_leaves_out_intros_made_after_it(run):
    run("add", "Ann")
    run("add", "Bo")
    run("intro", "Ann", "Bo", "--on", days_ago(2))
    assert [i["id"] for i in run("review", "--json").json()["intros_waiting"]] == [1]
    assert run("review", "--on", days_ago(7), "--json").json()["intros_waiting"] == []
