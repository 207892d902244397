"""The settings and demo core called from Python: records back, the clock passed in."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from conftest import create_empty
from givenet.core.admin import (
    get_setting,
    list_settings,
    make_demo,
    parse_setting,
    reset_setting,
    set_setting,
)
from givenet.core.network import Network
from givenet.errors import Conflict, InvalidInput
from givenet.records import jsonable


@pytest.fixture
def network(isolated_database):
    return Network(create_empty(isolated_database))


def test_settings_are_records_with_the_json_of_config(network):
    listing = list_settings(network)
    assert [entry.key for entry in listing][:2] == ["weight.follow_up", "weight.promise"]
    snooze = get_setting(network, "snooze.default")
    assert (snooze.value, snooze.default, snooze.unit, snooze.changed) == (14, 14, "days", False)
    assert list(jsonable(snooze)) == ["key", "value", "default", "unit", "changed", "help"]


def test_set_setting_parses_by_unit_and_reset_puts_the_default_back(network):
    assert set_setting(network, "cadence.inner", "3w").value == 21
    assert set_setting(network, "weight.reach", "2.5").value == 2.5
    assert set_setting(network, "weight.reach", 3).changed
    assert reset_setting(network, "cadence.inner").value == 14
    assert parse_setting("cadence.inner", "10d") == 10
    with pytest.raises(InvalidInput, match=r"^weight\.reach is a number, not 'lots'$"):
        set_setting(network, "weight.reach", "lots")
    with pytest.raises(InvalidInput, match=r"unknown setting 'weight\.nope'"):
        get_setting(network, "weight.nope")
    with pytest.raises(InvalidInput, match=r"snooze\.default is at least one day"):
        set_setting(network, "snooze.default", 0)
    assert get_setting(network, "snooze.default").value == 14


def test_make_demo_fills_an_empty_network_once_and_ranks_it(network):
    day = date(2026, 5, 20)
    demo = make_demo(network, today=day, limit=3)
    assert demo.path == network.path
    assert (demo.people, demo.events, demo.asks, demo.offers) == (8, 1, 3, 4)
    assert demo.due.day == day and len(demo.due.people) == 3
    assert demo.due.people[0].name == "Hana Yusuf"
    with pytest.raises(Conflict, match="already holds people"):
        make_demo(network, today=day)


@pytest.mark.slow
def test_make_demo_without_a_network_replaces_the_last_demo(monkeypatch, tmp_path):
    monkeypatch.delenv("GIVENET_DB")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    when = datetime(2026, 5, 20, 8, 30, 0)
    first = make_demo(today=date(2026, 5, 20), now=when)
    second = make_demo(today=date(2026, 5, 20), now=when)
    assert first.path == second.path and first.path.name == "demo.db"
    assert second.people == 8  # afresh: the last demo's file was replaced
    assert first.path.parent.name == "demo" and tmp_path in first.path.parents
