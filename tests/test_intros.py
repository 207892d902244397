"""Introductions: every move of spec section 2, the ledger, and the intro factors."""

from __future__ import annotations

import pytest

from conftest import build_database, install_copy
from givenet.store.giving import INTRO_MOVES

pytestmark = pytest.mark.engines

STATUSES = list(INTRO_MOVES)
LEGAL = {
    ("suggested", "asked"), ("suggested", "made"), ("suggested", "declined"),
    ("asked", "made"), ("asked", "declined"),
    ("made", "met"), ("made", "no-fit"), ("made", "fizzled"),
    ("met", "helped"), ("met", "no-fit"), ("met", "fizzled"),
}  # fmt: skip


@pytest.fixture(scope="module")
def two_people_file(tmp_path_factory: pytest.TempPathFactory):
    return build_database(
        tmp_path_factory.mktemp("intros") / "two.db", [("add", "Ann"), ("add", "Bo")]
    )


@pytest.fixture
def two_people(run, engine, isolated_database, request):
    """Ann and Bo: on SQLite a copy of one file made once (64 moves start from it)."""
    if engine == "sqlite":
        install_copy(request.getfixturevalue("two_people_file"), isolated_database)
    else:
        run("add", "Ann")
        run("add", "Bo")


def test_the_move_table_is_the_spec():
    assert {(a, b) for a, targets in INTRO_MOVES.items() for b in targets} == LEGAL


@pytest.mark.parametrize("start", STATUSES)
@pytest.mark.parametrize("target", STATUSES)
@pytest.mark.slow
def test_every_move(run, fails, two_people, start, target):
    run("intro", "Ann", "Bo", "--status", start)
    if (start, target) in LEGAL:
        assert f"is {target}" in run("intro-status", "1", target).stdout
        assert run("intros", "--json").json()[0]["status"] == target
    else:
        message = fails("intro-status", "1", target)
        legal = ", ".join(INTRO_MOVES[start])
        moves = f"it can move to: {legal}" if legal else "it is settled"
        assert f"is {start}; {moves}; --force corrects a mistake" in message
        assert "))" not in message
        assert run("intros", "--json").json()[0]["status"] == start
        run("intro-status", "1", target, "--force")
        assert run("intros", "--json").json()[0]["status"] == target


def test_a_made_intro_is_two_gave_lines_once(run, two_people):
    run("intro", "Ann", "Bo", "--status", "suggested")
    assert run("show", "Ann", "--json").json()["gives"] == []
    run("intro-status", "1", "made")
    run("intro-status", "1", "met")
    for name, other in (("Ann", "Bo"), ("Bo", "Ann")):
        gives = run("show", name, "--json").json()["gives"]
        assert [(g["direction"], g["what"], g["intro_id"]) for g in gives] == [
            ("gave", f"introduced them to {other}", 1)
        ]


@pytest.mark.slow
def test_helped_resolves_the_ask_unless_keep_open(run, two_people):
    run("ask", "Ann", "a venue", "--tag", "venue")
    run("offer", "Bo", "a room", "--tag", "venue")
    run("intro", "Ann", "Bo", "--for", "1")
    assert run("intros", "--json").json()[0]["offer_id"] == 1
    assert run("asks", "--json").json()[0]["status"] == "open"  # gave lines do not resolve it
    run("intro-status", "1", "met")
    out = run("intro-status", "1", "helped")
    assert "Ask #1 is met" in out.stdout
    assert run("asks", "--all", "--json").json()[0]["via"] == "intro to Bo"
    run("ask", "Ann", "a caterer")
    run("intro", "Ann", "Bo", "--for", "2", "--status", "met")
    run("intro-status", "2", "helped", "--keep-open")
    assert [a["id"] for a in run("asks", "--json").json()] == [2]


def test_intro_refuses_bad_input(run, fails, two_people):
    run("add", "Cy")
    run("ask", "Cy", "something")
    assert "two different people" in fails("intro", "Ann", "ann")
    assert "neither Ann's nor Bo's" in fails("intro", "Ann", "Bo", "--for", "1")
    assert "no ask #9" in fails("intro", "Ann", "Bo", "--for", "9")
    assert "no intro #4" in fails("intro-status", "4", "met")
    run("intro", "Ann", "Bo", "--status", "suggested")
    assert run("show", "Ann", "--json").json()["intros"][0]["status"] == "suggested"


def test_intro_check_appears_after_seven_days_and_goes_with_an_outcome(run, two_people):
    run("intro", "Ann", "Bo", "--on", "2026-03-01")

    def intro_check(day):
        factors = run("why", "Ann", "--on", day, "--json").json()["factors"]
        return next(f for f in factors if f["name"] == "intro_check")

    assert intro_check("2026-03-07")["value"] == 0
    check = intro_check("2026-03-08")
    assert check["value"] == 1.0 and "ask how the intro to Bo went" in check["reason"]
    due = run("due", "--on", "2026-03-08", "--json").json()
    assert {p["name"]: p["action"] for p in due} == {"Ann": "intro_check", "Bo": "intro_check"}
    run("intro-status", "1", "met", "--on", "2026-03-09")
    assert intro_check("2026-03-10")["value"] == 0
    assert intro_check("2026-03-16")["reason"].startswith("ask whether meeting Bo helped")
    run("intro-status", "1", "helped", "--on", "2026-03-17")
    assert intro_check("2026-03-20")["value"] == 0
    helped = next(
        f
        for f in run("why", "Ann", "--on", "2026-03-20", "--json").json()["factors"]
        if f["name"] == "helped_well"
    )
    assert helped["value"] == 0.5


def test_a_suggested_intro_waits_on_you(run, two_people):
    run("intro", "Ann", "Bo", "--status", "suggested")
    due = run("due", "--json").json()
    assert due[0]["action"] == "intro_check"
    assert "ask both whether they want it" in due[0]["factors"][0]["reason"]


def test_intros_open_and_all(run, two_people):
    run("add", "Cy")
    run("intro", "Ann", "Bo")
    run("intro", "Ann", "Cy", "--status", "met")
    run("intro-status", "2", "no-fit")
    assert [i["id"] for i in run("intros", "--json").json()] == [2, 1]
    assert [i["id"] for i in run("intros", "--open", "--json").json()] == [1]
    assert "Ann ↔ Bo" in run("intros").stdout


@pytest.mark.slow
def test_stats_reports_layers_intros_and_giving(run):
    run("demo")
    run("intro", "Tomás", "Amara", "--for", "1", "--status", "met")
    run("intro-status", "1", "helped")
    report = run("stats", "--json").json()
    assert report["people"] == 8
    assert [layer["cumulative"] for layer in report["layers"]] == [1, 2, 4]
    assert report["intros"]["by_status"]["helped"] == 1
    assert report["intros"]["helped_share"] == 1.0
    assert report["asks"]["met_last_90_days"] == 1
    assert report["giving_last_90_days"]["got"] == 2  # Daniel's and Grace's
    assert report["overdue_check_ins"] == 2
    text = run("stats").stdout
    assert "inner" in text and "█" in text and "100% of settled intros helped" in text


@pytest.mark.slow
def test_stats_warns_when_a_layer_is_over_capacity(run):
    for number in range(16):
        run("add", f"P{number}", "--circle", "inner")
    report = run("stats", "--json").json()
    assert report["layers"][0]["over"] is True
    assert "over capacity" in run("stats").stdout


def test_forcing_an_intro_back_before_made_takes_back_its_gave_lines(run, two_people):
    run("intro", "Ann", "Bo")
    run("intro-status", "1", "suggested", "--force")
    assert run("show", "Ann", "--json").json()["gives"] == []
