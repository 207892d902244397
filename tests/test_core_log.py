"""The log core called from Python: meetings, promises, the ledger and delete, as records."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta

import pytest

from conftest import TODAY
from givenet.core.log import (
    Deletion,
    Give,
    MeetingLogged,
    Promise,
    delete_record,
    describe_record,
    keep_promise,
    list_promises,
    log_meeting,
    record_gave,
    record_got,
)
from givenet.core.network import Network
from givenet.errors import Conflict, InvalidInput, NotFound
from givenet.records import jsonable
from givenet.records.people import PersonRef

pytestmark = pytest.mark.engines


@pytest.fixture
def network(isolated_database, run):
    run("add", "Maria Lopez")
    run("add", "Sam Okafor")
    return Network(isolated_database)


def test_log_meeting_names_each_person_once_and_promises_by_the_default(network):
    day = TODAY - timedelta(days=2)
    logged = log_meeting(
        network, ["Maria", "#1", "sam"], on=day, note="menus", next_step="send the menu"
    )
    assert isinstance(logged, MeetingLogged)
    assert (logged.meeting_id, logged.day, logged.kind, logged.event_id) == (1, day, "other", None)
    assert logged.people == (PersonRef(1, "Maria Lopez"), PersonRef(2, "Sam Okafor"))
    assert [(p.id, p.person.name, p.text, p.due, p.status) for p in logged.promises] == [
        (1, "Maria Lopez", "send the menu", day + timedelta(days=7), "open"),
        (2, "Sam Okafor", "send the menu", day + timedelta(days=7), "open"),
    ]
    assert all(p.meeting_id == 1 and p.kept_on is None for p in logged.promises)
    assert list_promises(network) == list(logged.promises)


def test_log_meeting_without_a_date_is_today_or_the_events_day(network, run):
    assert log_meeting(network, ["Maria"], today=date(2024, 5, 6)).day == date(2024, 5, 6)
    run("event", "add", "Spring Mixer", "--on", "2024-03-01")
    at_event = log_meeting(network, ["Sam"], event="mixer", next_step="call", by=date(2024, 4, 1))
    assert (at_event.day, at_event.kind, at_event.event_id) == (date(2024, 3, 1), "event", 1)
    assert at_event.promises[0].event == "Spring Mixer"
    later = log_meeting(network, ["Sam"], event="#1", on=date(2024, 3, 2), kind="coffee")
    assert (later.day, later.kind) == (date(2024, 3, 2), "coffee")


def test_by_without_next_step_is_refused_before_anything_is_written(network):
    with pytest.raises(InvalidInput, match="--by needs --next"):
        log_meeting(network, ["Maria"], by=TODAY)
    with pytest.raises(NotFound):
        log_meeting(network, ["Maria", "Nobody"])
    assert log_meeting(network, ["Maria"]).meeting_id == 1


def test_keep_promise_returns_it_kept_and_refuses_twice(network):
    log_meeting(network, ["Maria"], next_step="send the deck", by=TODAY + timedelta(days=3))
    kept = keep_promise(network, "#1", today=date(2024, 1, 2))
    assert isinstance(kept, Promise)
    assert (kept.status, kept.kept_on, kept.person) == (
        "kept",
        date(2024, 1, 2),
        PersonRef(1, "Maria Lopez"),
    )
    assert list_promises(network) == []
    assert list_promises(network, include_kept=True) == [kept]
    with pytest.raises(Conflict, match="promise #1 was already kept on 2024-01-02"):
        keep_promise(network, 1)


def test_promises_json_keeps_its_shape(network):
    log_meeting(network, ["Maria"], next_step="send the deck", by=date(2030, 1, 1))
    assert jsonable(list_promises(network)) == [
        {
            "id": 1,
            "person": {"id": 1, "name": "Maria Lopez"},
            "text": "send the deck",
            "due": "2030-01-01",
            "kept_on": None,
            "status": "open",
            "meeting_id": 1,
            "event": None,
        }
    ]


def test_record_gave_for_an_ask_marks_it_met_and_got_is_a_ledger_line(network, run):
    run("ask", "Maria", "grant template")
    with pytest.raises(Conflict, match="not Sam Okafor's"):
        record_gave(network, "Sam", "the template", ask="1")
    gave = record_gave(network, "Maria", "  sent the template ", ask="#1", on=date(2024, 2, 3))
    assert isinstance(gave, Give)
    assert (gave.id, gave.person, gave.direction, gave.what, gave.day, gave.ask_id) == (
        1, PersonRef(1, "Maria Lopez"), "gave", "sent the template", date(2024, 2, 3), 1,
    )  # fmt: skip
    with pytest.raises(Conflict, match="ask #1 is already met"):
        record_gave(network, "Maria", "again", ask=1)
    got = record_got(network, "Sam", "an intro")
    assert (got.direction, got.ask_id, got.day) == ("got", None, TODAY)


def test_describe_then_delete_a_record(network):
    log_meeting(network, ["Maria"], on=date(2024, 1, 5), note="oops")
    described = describe_record(network, "meeting", "#1")
    assert described == Deletion("meeting", 1, "meeting #1 (2024-01-05; with Maria Lopez): oops")
    assert delete_record(network, "meeting", 1) == described
    with pytest.raises(NotFound, match="no meeting #1"):
        delete_record(network, "meeting", 1)
    with pytest.raises(InvalidInput, match="cannot delete a 'person'"):
        describe_record(network, "person", 1)


@pytest.mark.slow
def test_listing_promises_loads_no_sqlalchemy(network):
    log_meeting(network, ["Maria"], next_step="call back")
    code = (
        "import json, sys\n"
        "from givenet.core.log import list_promises\n"
        "from givenet.core.network import Network\n"
        f"found = list_promises(Network({network.location!r}))\n"
        "print(json.dumps([len(found), 'sqlalchemy' in sys.modules]))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert json.loads(result.stdout) == [1, False], result.stderr


def test_delete_offers_every_deletable_kind_and_no_other():
    from givenet.cli.log import Deletable
    from givenet.vocab import DELETABLE_KINDS

    assert tuple(kind.value for kind in Deletable) == DELETABLE_KINDS
