"""The events core called from Python: records back, errors raised, reads without SQLAlchemy."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta

import pytest

from conftest import TODAY
from givenet.core.events import (
    Attendee,
    EventListed,
    add_event,
    attend_event,
    event_prep,
    list_events,
    show_event,
)
from givenet.core.network import Network
from givenet.errors import Conflict, NotFound
from givenet.records import jsonable
from givenet.records.people import PersonRef

pytestmark = pytest.mark.engines


@pytest.fixture
def network(isolated_database):
    return Network(isolated_database)


def test_add_event_returns_the_event_and_refuses_a_second_one_that_day(network):
    day = TODAY + timedelta(days=3)
    added = add_event(network, "  Impact Mixer ", day, place="Hub Hall", topics=["food"])
    assert (added.event.id, added.event.name, added.event.date) == (1, "Impact Mixer", day)
    assert added.event.label == "#1 Impact Mixer"
    with pytest.raises(
        Conflict, match=f"^event #1 impact mixer on {day.isoformat()} already exists$"
    ):
        add_event(network, "impact mixer", day)
    [listed] = list_events(network)
    assert isinstance(listed, EventListed)
    assert (listed.place, listed.topics, listed.follow_ups_open) == ("Hub Hall", ("food",), 0)


def test_attend_event_adds_new_people_only_when_asked(network, run):
    add_event(network, "Mixer", TODAY + timedelta(days=1))
    run("add", "Kim Lee")
    with pytest.raises(NotFound, match="no person called 'Zed'"):
        attend_event(network, "mix", ["Kim", "Zed"])
    assert show_event(network, "Mixer").expected == ()  # nothing written

    attended = attend_event(network, "#1", ["Kim", "Zed", "kim lee"], add_new=True)
    assert attended.event.name == "Mixer"
    assert attended.added == (PersonRef(2, "Zed"),)
    assert [(a.person.name, a.status) for a in attended.attendance] == [
        ("Kim Lee", "expected"),
        ("Zed", "expected"),
    ]
    assert [p.name for p in show_event(network, "Mixer").expected] == ["Kim Lee", "Zed"]


def test_show_event_follow_up_states_move_with_today(network, run):
    run("add", "Kim", "--met-at", "Mixer", "--on", "yesterday")
    run("log", "Kim", "--event", "Mixer", "--next", "send slides", "--by", "tomorrow")
    met_on = TODAY - timedelta(days=1)
    detail = show_event(network, "Mixer")
    [kim] = detail.met
    assert (kim.name, kim.met_on, kim.last_touch, kim.follow_up) == (
        "Kim",
        met_on,
        met_on,
        "pending",
    )
    assert show_event(network, "Mixer", today=TODAY + timedelta(days=30)).met[0].follow_up == (
        "overdue"
    )
    [promise] = detail.promises
    assert (promise.person.name, promise.text, promise.kept_on) == ("Kim", "send slides", None)
    assert promise.due == TODAY + timedelta(days=1)
    assert jsonable(detail)["met"][0]["met_on"] == met_on.isoformat()


def test_list_events_upcoming_and_open_follow_ups(network, run):
    run("add", "Kim", "--met-at", "Old Mixer", "--on", "2026-01-05")
    add_event(network, "New Mixer", TODAY + timedelta(days=2))
    every = list_events(network, today=TODAY)
    assert [(e.name, e.follow_ups_open) for e in every] == [("Old Mixer", 1), ("New Mixer", 0)]
    assert every[0].met == (PersonRef(1, "Kim"),)
    assert [e.name for e in list_events(network, upcoming=True, today=TODAY)] == ["New Mixer"]
    assert list_events(network, upcoming=True, today=TODAY + timedelta(days=3)) == []


@pytest.mark.slow
def test_event_prep_splits_known_from_new_attendees(network, run):
    run("demo")
    add_event(network, "Summit", TODAY + timedelta(days=10), topics=["food systems"])
    attend_event(network, "Summit", ["Hana", "Someone Unmet"], add_new=True)
    prep = event_prep(network, "Summit")
    assert prep.topic_overlap == ("food systems",)
    [hana] = prep.known_attendees
    assert isinstance(hana, Attendee) and hana.known and hana.name == "Hana Yusuf"
    assert hana.touches == 1 and isinstance(hana.last_touch, date)
    helpers = {offer.helper.name for offer in hana.open_asks[0].your_network_can_meet}
    assert "Amara Okafor" in helpers
    [new] = prep.new_attendees
    assert (new.name, new.known, new.touches, new.last_touch) == (
        "Someone Unmet",
        False,
        None,
        None,
    )
    assert "touches" not in jsonable(new) and jsonable(hana)["touches"] == 1
    assert "Hana Yusuf" not in {person.name for person in prep.worth_inviting}
    with pytest.raises(NotFound, match="no event called 'Nope'"):
        event_prep(network, "Nope")


@pytest.mark.slow
def test_event_reads_import_no_sqlalchemy(network, run, isolated_database):
    run("add", "Kim", "--met-at", "Mixer", "--on", "yesterday")
    probe = (
        "import json, sys\n"
        "from givenet.core.events import event_prep, list_events, show_event\n"
        "from givenet.core.network import Network\n"
        "from givenet.records import jsonable\n"
        "network = Network(sys.argv[1])\n"
        "found = [jsonable(x) for x in (show_event(network, 'Mixer'), "
        "event_prep(network, 'Mixer'), list_events(network))]\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'sqlmodel'))\n"
        "print(json.dumps([found, heavy]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(isolated_database)],
        capture_output=True,
        text=True,
        check=True,
    )
    found, heavy = json.loads(result.stdout)
    assert heavy == []
    assert found[0]["met"][0]["name"] == "Kim" and found[2][0]["name"] == "Mixer"
