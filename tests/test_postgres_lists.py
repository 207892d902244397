"""PgConnection sends a long IN list of ids as one array (= ANY): the same rows as the
list, and the list's other parameters stay where they were."""

from __future__ import annotations

import contextlib

import pytest

from givenet import postgres


def test_a_long_list_of_ids_becomes_one_array_parameter_between_the_others():
    sql = "SELECT id FROM t WHERE a = ? AND id IN (" + ", ".join("?" * 60) + ") AND b = ?"
    lists = postgres._long_lists(sql)
    assert [(first, count) for _, _, first, count in lists] == [(1, 60)]
    assert (
        postgres._as_arrays(sql, lists) == "SELECT id FROM t WHERE a = ? AND id = ANY(?) AND b = ?"
    )
    assert postgres._pack(["x", *range(60), "y"], lists) == ["x", list(range(60)), "y"]


def test_short_lists_and_named_parameters_are_left_as_they_are():
    assert postgres._long_lists("SELECT 1 WHERE id IN (" + ", ".join("?" * 50) + ")") == ()
    named = "SELECT 1 WHERE x = :x AND id IN (" + ", ".join("?" * 60) + ")"
    assert postgres._long_lists(named) == ()


@pytest.mark.slow
def test_on_the_server_the_array_finds_the_same_rows_as_the_list(postgres_server):
    url = postgres_server.new_database()
    with contextlib.closing(postgres.connect(url)) as raw:
        db = postgres.PgConnection(raw)
        db.execute(
            "INSERT INTO person (name, key, circle, new_to_field, no_intros, created_at) "
            "SELECT 'p' || n, 'p' || n, 'wide', false, false, now() FROM generate_series(1, 120) AS n"
        )
        ids = [row[0] for row in db.execute("SELECT id FROM person ORDER BY id")]
        wanted = ids[::2]
        marks = ", ".join("?" * len(wanted))
        sql = (
            f"SELECT id FROM person WHERE circle = ? AND id IN ({marks}) AND name <> ? ORDER BY id"
        )
        found = [row[0] for row in db.execute(sql, ("wide", *wanted, "p1"))]
        assert found == [i for i in wanted if i != ids[0]]
        assert "ANY" in db._arrays[sql]
        # a list that holds text is sent value by value, as written
        names = [f"p{n}" for n in range(1, 61)]
        sql = f"SELECT COUNT(*) FROM person WHERE name IN ({', '.join('?' * 60)})"
        assert db.execute(sql, names).fetchone()[0] == 60
        assert sql not in db._arrays
