"""A team's members on the real CLI: who recorded what, whoami, show, due and who per
member, on SQLite and on PostgreSQL. On a personal file nothing changes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

pytestmark = pytest.mark.engines

DAY = date(2026, 12, 1)


def ago(days: int) -> str:
    return (DAY - timedelta(days=days)).isoformat()


@pytest.fixture
def as_member(run, monkeypatch):
    def invoke(member: str, *args: str, code: int | None = 0):
        monkeypatch.setenv("GIVENET_USER", member)
        return run(*args, code=code)

    return invoke


def _recorded(run) -> dict[str, set]:
    tables = run("export", "json").json()["tables"]
    return {
        table: {row["recorded_by"] for row in rows}
        for table, rows in tables.items()
        if rows and "recorded_by" in rows[0]
    }


@pytest.mark.slow
def test_everything_a_member_records_says_so(as_member, run, tmp_path):
    as_member("ana", "add", "Eve Okafor", "--org", "Food Bank")
    as_member("ana", "add", "Sam Lee")
    as_member("ana", "log", "Eve", "--on", ago(3), "--note", "coffee")
    as_member("ana", "note", "Eve", "likes spreadsheets")
    as_member("ana", "ask", "Eve", "volunteers for Saturday")
    as_member("ana", "offer", "Sam", "can lend a van")
    as_member("ana", "promise", "Eve", "send the rota", "--by", ago(-5))
    as_member("ana", "gave", "Eve", "an intro to the van")
    as_member("ana", "intro", "Eve", "Sam")
    csv = tmp_path / "people.csv"
    csv.write_text("Name,Notes\nNadia Haddad,met at the fair\n")
    as_member("ben", "import", "csv", str(csv))
    recorded = _recorded(run)
    assert {table: recorded[table] for table in ("meeting", "ask", "offer", "promise")} == {
        "meeting": {"ana"},
        "ask": {"ana"},
        "offer": {"ana"},
        "promise": {"ana"},
    }
    assert recorded["give"] == {"ana"} and recorded["intro"] == {"ana"}
    assert recorded["note"] == {"ana", "ben"}  # ben's from the import
    assert as_member("ben", "whoami", "--json").json()["members"] == ["ana", "ben"]


def test_whoami_names_the_member_and_the_network(as_member, isolated_database):
    assert as_member("ana", "add", "Eve").exit_code == 0
    found = as_member("ana", "whoami", "--json").json()
    assert found["member"] == "ana" and found["members"] == ["ana"]
    assert found["engine"] in ("sqlite", "postgresql")
    assert as_member("ana", "whoami").stdout.startswith("ana on ")


def test_a_member_name_with_control_characters_is_refused(as_member, fails, monkeypatch):
    monkeypatch.setenv("GIVENET_USER", "ana\x1b[31m")
    assert "GIVENET_USER must be a name" in fails("add", "Eve")


def test_on_a_personal_network_show_and_due_are_as_before(as_member, run):
    as_member("ana", "add", "Eve Okafor")
    as_member("ana", "log", "Eve", "--on", ago(2))
    shown = as_member("ana", "show", "Eve").stdout
    assert "Known by" not in shown and "[ana]" not in shown
    assert as_member("ana", "show", "Eve", "--json").json()["known_by"] == []
    # another login on the same file (one member wrote to it) sees the same list
    due = as_member("someone-else", "due", "--on", DAY.isoformat(), "--json").json()
    assert [person["name"] for person in due] == ["Eve Okafor"]


@pytest.fixture
def team(as_member):
    """Ana met Eve; Ben met Zed and, later, Eve; nobody has met Nadia yet."""
    as_member("ana", "add", "Eve Okafor")
    as_member("ana", "log", "Eve", "--on", ago(2), "--note", "Ana met her")
    as_member("ben", "add", "Zed Brown")
    as_member("ben", "log", "Zed", "--on", ago(2))
    as_member("ben", "log", "Eve", "--on", ago(40), "--note", "Ben met her first")
    as_member("ben", "log", "Eve", "--on", ago(30))
    as_member("ben", "add", "Nadia Haddad", "--circle", "active")
    as_member("ana", "add", "Ola Nwosu")
    as_member("ana", "log", "Ola", "--on", ago(2))
    as_member("ben", "offer", "Zed", "grant writing for charities")
    return as_member


def test_show_says_who_met_them_and_when(team):
    shown = team("ana", "show", "Eve").stdout
    assert "Known by: ana (1 meeting, last 2026-11-29); ben (2 meetings, last 2026-11-01)" in (
        shown
    )
    assert "Ana met her  [ana]" in shown and "Ben met her first  [ben]" in shown
    profile = team("ana", "show", "Eve", "--json").json()
    assert [m["recorded_by"] for m in profile["meetings"]] == ["ben", "ben", "ana"]
    assert profile["known_by"][0] == {"member": "ana", "meetings": 1, "last_met": "2026-11-29"}


def test_due_is_each_members_own_and_team_gives_everyones(team):
    on = ("--on", DAY.isoformat(), "--all", "--json")

    def names(*args: str) -> set[str]:
        return {person["name"] for person in team(*args).json()}

    everyone = names("ana", "due", *on, "--team")
    assert {"Ola Nwosu", "Zed Brown", "Nadia Haddad"} <= everyone
    assert names("ana", "due", *on) == everyone - {"Zed Brown"}  # Ben met Zed
    assert names("ben", "due", *on) == everyone - {"Ola Nwosu"}  # Ana met Ola
    assert "Nadia Haddad" in names("ana", "due", *on)  # nobody has met her: on every list
    ana = team("ana", "due", "--on", DAY.isoformat(), "--json").json()
    assert ana[0]["name"] == "Ola Nwosu" and ana[0]["action"] == "follow_up"


def test_who_team_says_which_member_knows_the_helper_best(team):
    team("ana", "log", "Zed", "--on", ago(1))
    found = team("ana", "who", "grant writing", "--team", "--json").json()
    assert [person["name"] for person in found] == ["Zed Brown"]
    assert [touch["member"] for touch in found[0]["known_by"]] == ["ana", "ben"]
    table = team("ana", "who", "grant writing", "--team").stdout
    assert "known best by" in table and "ana (1 meeting, last 2026-11-30)" in table
    plain = team("ana", "who", "grant writing", "--json").json()
    assert plain[0]["known_by"] == []  # only with --team


@pytest.mark.slow
def test_a_merged_file_keeps_whose_history_it_was(as_member, run, tmp_path):
    ana = tmp_path / "ana.db"
    as_member("ana", "--db", str(ana), "add", "Eve Okafor", "--email", "eve@example.org")
    as_member("ana", "--db", str(ana), "log", "Eve", "--on", ago(3), "--note", "Ana met her")
    as_member("ana", "--db", str(ana), "export", "json", "-o", str(tmp_path / "ana.json"))
    as_member("ben", "add", "Eve O.", "--email", "EVE@example.org")
    as_member("ben", "log", "Eve", "--on", ago(1), "--note", "Ben met her")
    as_member("ben", "import", "json", str(tmp_path / "ana.json"), "--merge")
    assert as_member("ben", "whoami", "--json").json()["members"] == ["ana", "ben"]
    profile = as_member("ben", "show", "Eve", "--json").json()
    assert [(m["note"], m["recorded_by"]) for m in profile["meetings"]] == [
        ("Ana met her", "ana"),
        ("Ben met her", "ben"),
    ]
    assert [touch["member"] for touch in profile["known_by"]] == ["ben", "ana"]


@pytest.mark.parametrize("kind", ["csv", "json-merge"])
@pytest.mark.slow
def test_a_dry_run_lists_no_member(as_member, run, tmp_path, kind):
    as_member("ana", "add", "Maria Lopez", "--email", "maria@example.org")
    as_member("ana", "log", "Maria", "--on", ago(2))
    if kind == "csv":
        source = tmp_path / "people.csv"
        source.write_text("Name\nNadia Haddad\n")
        args = ("import", "csv", str(source), "--dry-run")
    else:
        source = tmp_path / "mine.json"
        as_member("zed", "--db", str(tmp_path / "zed.db"), "add", "Nadia Haddad")
        as_member("zed", "--db", str(tmp_path / "zed.db"), "export", "json", "-o", str(source))
        args = ("import", "json", str(source), "--merge", "--dry-run")
    assert "Dry run" in as_member("zed", *args).stdout
    assert as_member("ana", "whoami", "--json").json()["members"] == ["ana"]
    assert "Known by" not in as_member("ana", "show", "Maria").stdout


def test_another_members_meeting_counts_for_my_list(team):
    """The list is ranked over the team's history: Ana is due to check in with Pia
    until Ben meets her; then Pia needs no check-in from Ana."""
    team("ana", "add", "Pia Lind", "--circle", "active")
    team("ana", "log", "Pia", "--on", ago(40))
    on = ("--on", DAY.isoformat(), "--json")
    before = {p["name"]: p["action"] for p in team("ana", "due", *on).json()}
    team("ben", "log", "Pia", "--on", ago(1))
    after = {p["name"]: p["action"] for p in team("ana", "due", *on).json()}
    assert before["Pia Lind"] == "check_in"
    assert after.get("Pia Lind") != "check_in"
