"""``person_touch`` (schema 4) always says what the meetings say (issue 16).

Each person's first and last meeting is kept by triggers, so that the morning
list, `list` and `stats` need not group every meeting link. Random writes through
the real commands (log with several people, delete, merge, forget, a restore) and
plain SQL (a meeting's date changed, a link moved) must leave it equal to the
recomputation from the rows.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import date, timedelta

import pytest

RECOMPUTED = """
SELECT meeting_person.person_id, MIN(meeting.date), MAX(meeting.date)
FROM meeting_person JOIN meeting ON meeting.id = meeting_person.meeting_id
GROUP BY meeting_person.person_id ORDER BY 1
"""


def kept_and_recomputed(path) -> tuple[list, list]:
    connection = sqlite3.connect(path)
    try:
        kept = connection.execute("SELECT * FROM person_touch ORDER BY 1").fetchall()
        return kept, connection.execute(RECOMPUTED).fetchall()
    finally:
        connection.close()


def ids(path, sql: str) -> list[int]:
    connection = sqlite3.connect(path)
    try:
        return [row[0] for row in connection.execute(sql)]
    finally:
        connection.close()


@pytest.mark.parametrize(
    "seed", [1, pytest.param(2, marks=pytest.mark.slow), pytest.param(3, marks=pytest.mark.slow)]
)
@pytest.mark.slow
def test_random_writes_keep_person_touch_right(run, isolated_database, seed):
    chooser = random.Random(seed)
    today = date.today()
    names = [f"Person {n:02d}" for n in range(12)]
    for name in names:
        run("add", name)
    alive = list(names)
    for step in range(70):
        kept, recomputed = kept_and_recomputed(isolated_database)
        assert kept == recomputed, f"after step {step}"
        action = chooser.random()
        if action < 0.55 and alive:
            who = chooser.sample(alive, chooser.randint(1, min(3, len(alive))))
            day = today + timedelta(days=chooser.randint(-400, 20))  # some still ahead
            run("log", *who, "--on", day.isoformat(), "--kind", "coffee")
        elif action < 0.7:
            meetings = ids(isolated_database, "SELECT id FROM meeting")
            if meetings:
                run("delete", "meeting", str(chooser.choice(meetings)), "--yes")
        elif action < 0.8:  # a meeting's date changed, a link moved: plain SQL
            connection = sqlite3.connect(isolated_database)
            with connection:
                connection.execute("PRAGMA foreign_keys = ON")
                meeting = connection.execute(
                    "SELECT id FROM meeting ORDER BY random() LIMIT 1"
                ).fetchone()
                if meeting:
                    day = today - timedelta(days=chooser.randint(0, 900))
                    connection.execute(
                        "UPDATE meeting SET date = ? WHERE id = ?", [day.isoformat(), meeting[0]]
                    )
                link = connection.execute(
                    "SELECT meeting_id, person_id FROM meeting_person ORDER BY random() LIMIT 1"
                ).fetchone()
                person = connection.execute(
                    "SELECT id FROM person ORDER BY random() LIMIT 1"
                ).fetchone()
                if link and person:
                    connection.execute(
                        "UPDATE OR IGNORE meeting_person SET person_id = ? "
                        "WHERE meeting_id = ? AND person_id = ?",
                        [person[0], *link],
                    )
            connection.close()
        elif action < 0.87 and len(alive) > 6:
            keep, duplicate = chooser.sample(alive, 2)
            run("merge", keep, duplicate, "--yes")
            alive.remove(duplicate)
        elif action < 0.93 and len(alive) > 6:
            gone = chooser.choice(alive)
            run("forget", gone, "--yes")
            alive.remove(gone)
    kept, recomputed = kept_and_recomputed(isolated_database)
    assert kept == recomputed and len(kept) >= 5


@pytest.mark.slow
def test_a_restore_and_a_migration_fill_person_touch(run, isolated_database, tmp_path):
    run("add", "Ann Lee")
    run("add", "Bo Chan")
    run("log", "Ann Lee", "Bo Chan", "--on", "2026-03-02")
    run("log", "Ann Lee", "--on", "2026-05-09")
    backup = tmp_path / "backup.json"
    run("export", "json", "-o", str(backup))
    assert "person_touch" not in backup.read_text()  # derived: not exported
    restored = tmp_path / "restored.db"
    run("--db", str(restored), "import", "json", str(backup))
    kept, recomputed = kept_and_recomputed(restored)
    assert kept == recomputed == [(1, "2026-03-02", "2026-05-09"), (2, "2026-03-02", "2026-03-02")]


@pytest.mark.slow
def test_check_names_a_stale_person_touch_and_match_rebuild_fixes_it(run, isolated_database):
    """A write around the triggers (plain SQL, a bug) is found by `check`, fixed by a rebuild."""
    run("add", "Ann Lee", "--circle", "inner")
    run("add", "Bo Chan", "--circle", "active")
    run("add", "Cy Dee", "--circle", "wide")
    run("add", "Di Fox", "--circle", "wide")
    run("log", "Ann Lee", "Bo Chan", "--on", "2026-03-02")
    run("log", "Ann Lee", "--on", "2026-06-09")
    run("log", "Cy Dee", "--on", "2025-01-01")
    before = run("due", "--json").json()
    assert {entry["name"] for entry in before} >= {"Ann Lee", "Bo Chan", "Cy Dee"}
    assert run("check").stdout.startswith("ok")
    connection = sqlite3.connect(isolated_database)
    with connection:
        connection.execute("DELETE FROM person_touch WHERE person_id = 1")  # row missing
        connection.execute(
            "UPDATE person_touch SET last_touch = '2026-11-30' WHERE person_id = 2"
        )  # row wrong
        connection.execute(
            "INSERT INTO person_touch VALUES (4, '2026-01-01', '2026-01-01')"
        )  # row too many: Di Fox never met
    connection.close()
    assert run("due", "--json").json() != before  # the damage shows
    result = run("check", code=1)
    assert "first and last meetings kept for 3 people are out of date" in result.stdout
    assert "givenet match --rebuild" in result.stdout
    run("match", "--rebuild")
    assert run("check").stdout.startswith("ok")
    kept, recomputed = kept_and_recomputed(isolated_database)
    assert kept == recomputed
    assert run("due", "--json").json() == before
