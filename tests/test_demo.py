"""`givenet demo`: a sample network whose morning list means something, whatever the date."""

from __future__ import annotations

from pathlib import Path

import pytest

from givenet.cli.common import complete_person


@pytest.mark.slow
def test_demo_fills_an_empty_database_and_ends_with_the_morning_list(run):
    out = run("demo").stdout
    assert "8 people" in out
    assert "Due on" in out and "Hana Yusuf" in out
    due = run("due", "--json").json()
    actions = {person["name"]: person["action"] for person in due}
    assert actions["Hana Yusuf"] == "follow_up"  # met yesterday
    assert actions["Priya Nair"] == "promise"  # a promise two days overdue
    assert actions["Amara Okafor"] == "check_in"
    assert actions["Tomás Silva"] == "can_match"  # Amara's room is one intro away
    assert actions["Daniel Reyes"] == "birthday"
    assert actions["Grace Lin"] == "thank"  # her got two days ago, not thanked yet
    assert actions["Li Wei"] == "reconnect"  # three and a half years quiet; helped before
    reasons = {p["name"]: [f["reason"] for f in p["factors"]] for p in due}
    assert any("Amara Okafor offers" in r and "venue" in r for r in reasons["Tomás Silva"])
    assert any("Kitchen training programme" in r for r in reasons["Hana Yusuf"])
    assert len(run("asks", "--json").json()) == 3
    assert len(run("offers", "--json").json()) == 4
    why = {f["name"]: f for f in run("why", "Daniel", "--json").json()["factors"]}
    assert why["helped_me"]["value"] == 1.0 and why["reach"]["value"] == 1.0


def test_demo_refuses_a_database_that_holds_people(run, fails):
    run("add", "Someone")
    assert "already holds people" in fails("demo")


@pytest.mark.slow
def test_demo_without_a_chosen_database_replaces_the_last_demo(run, monkeypatch, tmp_path):
    monkeypatch.delenv("GIVENET_DB")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    first = run("demo").stdout.splitlines()[0]
    second = run("demo").stdout.splitlines()[0]
    first_path = Path(first.split(" in ", 1)[1].split(":", 1)[0])
    second_path = Path(second.split(" in ", 1)[1].split(":", 1)[0])
    assert first_path == second_path and first_path.name == "demo.db"
    assert list(first_path.parent.glob("*.db")) == [first_path]  # one demo left behind
    assert tmp_path in first_path.parents
    monkeypatch.setenv("GIVENET_DB", str(first_path))
    assert len(run("list", "--json").json()) == 8  # afresh, not twice the people


@pytest.mark.slow
def test_shell_completion_offers_names_from_the_chosen_database(run, tmp_path):
    import typer
    import typer.main

    from givenet.cli import app

    run("demo")
    assert complete_person(None, "Ha") == ["Hana Yusuf"]  # no context: $GIVENET_DB
    assert complete_person(None, "zz") == []
    other = tmp_path / "other.db"
    run("--db", str(other), "add", "Harriet Other")
    root = typer.Context(typer.main.get_command(app))
    root.params["db"] = str(other)
    assert complete_person(root, "Ha") == ["Harriet Other"]
