"""The people core called from Python: typed records back, policy in the core, light reads."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import FrozenInstanceError
from datetime import date, timedelta

import pytest

from conftest import create_empty
from givenet.core.network import Network
from givenet.core.people import (
    FoundPerson,
    PersonFields,
    PersonRow,
    add_note,
    add_person,
    change_my_values,
    complete_names,
    edit_person,
    find_people,
    list_people,
    my_values,
    parse_reach,
    show_person,
    snooze_person,
    unsnooze_person,
)
from givenet.errors import Conflict, InvalidInput, NotFound
from givenet.records import jsonable
from givenet.records.profile import Profile

pytestmark = pytest.mark.engines

DAY = date(2026, 3, 10)


@pytest.fixture
def network(isolated_database):
    return Network(isolated_database)


def test_add_person_returns_a_record_and_refuses_a_duplicate(network):
    added = add_person(
        network,
        PersonFields(name="Maria Lopez", emails=["maria@example.com"], tags=["food"]),
        today=DAY,
    )
    assert added.person.label == "#1 Maria Lopez"
    assert (added.met_on, added.event, added.meeting_id, added.note_id) == (None, None, None, None)
    assert added.warnings == ()
    with pytest.raises(Conflict, match="already in your network: #1 Maria Lopez"):
        add_person(network, PersonFields(name="M. Lopez", emails=["MARIA@example.com"]))
    with pytest.raises(FrozenInstanceError):
        added.person.name = "someone else"  # type: ignore[misc]


@pytest.mark.slow
def test_met_at_creates_the_event_once_and_reuses_it_that_day(network):
    first = add_person(network, PersonFields(name="Ann"), met_at="Monthly Mixer", on=DAY)
    assert first.event is not None and first.event.created
    assert (first.event.id, first.event.name, first.event.date) == (1, "Monthly Mixer", DAY)
    assert first.met_on == DAY and first.meeting_id is not None
    second = add_person(network, PersonFields(name="Bo"), met_at="monthly mixer", on=DAY)
    assert second.event is not None and not second.event.created and second.event.id == 1
    later = DAY + timedelta(days=28)
    third = add_person(network, PersonFields(name="Cy"), met_at="Monthly Mixer", on=later)
    assert third.event is not None and third.event.created and third.event.id == 2
    # Without a day, the meeting takes the date of the event found.
    dee = add_person(network, PersonFields(name="Dee"), met_at="#1", today=later)
    assert dee.met_on == DAY


def test_met_at_part_of_a_name_on_another_day_is_refused_and_nothing_is_written(network):
    add_person(network, PersonFields(name="Ann"), met_at="Food Futures Forum", on=DAY)
    with pytest.raises(InvalidInput, match="matched #1 Food Futures Forum on 2026-03-10, not"):
        add_person(network, PersonFields(name="Dee"), met_at="Food Futures", on=DAY.replace(day=1))
    assert [person.name for person in list_people(network)] == ["Ann"]


def test_a_note_without_a_meeting_is_a_dated_note_on_today(network):
    added = add_person(network, PersonFields(name="Kim"), note="loves jazz", today=DAY)
    assert added.note_id is not None and added.met_on is None
    profile = show_person(network, "Kim", today=DAY)
    assert [(note.date, note.text) for note in profile.notes] == [(DAY, "loves jazz")]
    assert profile.meetings == ()


@pytest.mark.slow
def test_edit_person_names_them_after_the_edit_and_warns_about_circles(network):
    for number in range(15):
        add_person(network, PersonFields(name=f"P{number}", circle="inner"))
    add_person(network, PersonFields(name="Maria"))
    edited = edit_person(
        network, "Maria", PersonFields(name="Maria Lopez", circle="inner"), note="hi", today=DAY
    )
    assert edited.person.label == "#16 Maria Lopez" and edited.note_id is not None
    assert len(edited.warnings) == 1 and "16 people" in edited.warnings[0]
    with pytest.raises(NotFound):
        edit_person(network, "Nobody", PersonFields(org="x"))


def test_list_and_find_return_person_rows_with_the_json_of_list(network):
    add_person(network, PersonFields(name="Sam", tags=["grant writing"], circle="active"))
    add_person(network, PersonFields(name="Maria", org="Grantwise"))
    add_note(network, "Sam", "a grant for the co-op", on=DAY)
    listed = list_people(network)
    assert all(type(person) is PersonRow for person in listed)
    assert [person.name for person in listed] == ["Maria", "Sam"]
    assert [person.name for person in list_people(network, circle="active")] == ["Sam"]
    assert list_people(network, tag="GRANT WRITING")[0].tags == ("grant writing",)
    found = find_people(network, "grant")
    assert all(isinstance(person, FoundPerson) for person in found)
    assert [(person.name, person.matched) for person in found] == [
        ("Maria", ("org",)),
        ("Sam", ("tag", "note")),
    ]
    shape = jsonable(found[0])
    assert list(shape)[:3] == ["id", "name", "emails"] and list(shape)[-2:] == [
        "last_touch",
        "matched",
    ]


def test_show_person_is_a_profile_of_records(network):
    add_person(network, PersonFields(name="Maria"), met_at="Mixer", on=DAY, note="grant")
    profile = show_person(network, "maria", today=DAY + timedelta(days=1))
    assert isinstance(profile, Profile) and profile.name == "Maria"
    [meeting] = profile.meetings
    assert (meeting.date, meeting.kind, meeting.note) == (DAY, "event", "grant")
    assert meeting.event is not None and meeting.event.name == "Mixer"
    assert profile.last_touch == DAY.isoformat()
    assert profile.balance.gave == profile.balance.got == 0
    assert profile.score.top_action is not None
    assert profile.score.top_action.name == "follow_up"
    shape = json.loads(json.dumps(jsonable(profile)))
    assert shape["meetings"][0]["with"] == [] and shape["today"] == "2026-03-11"
    assert shape["score"]["action"] == "follow_up"


def test_snooze_takes_the_default_from_settings_and_today_from_the_caller(network):
    add_person(network, PersonFields(name="Maria"))
    snoozed = snooze_person(network, "Maria", today=DAY)
    assert snoozed.until == DAY + timedelta(days=14) and snoozed.was is None
    again = snooze_person(network, "Maria", for_days=3, today=DAY)
    assert (again.until, again.was) == (DAY + timedelta(days=3), DAY + timedelta(days=14))
    assert snooze_person(network, "Maria", until=date(2026, 4, 1), today=DAY).until == date(
        2026, 4, 1
    )
    with pytest.raises(InvalidInput, match=r"^--until must be a date after today$"):
        snooze_person(network, "Maria", until=DAY, today=DAY)
    with pytest.raises(InvalidInput, match="not both"):
        snooze_person(network, "Maria", until=date(2026, 4, 1), for_days=3, today=DAY)
    back = unsnooze_person(network, "Maria")
    assert back.until is None and back.was == date(2026, 4, 1)
    assert unsnooze_person(network, "Maria").was is None


@pytest.mark.sqlite_only
def test_my_values_are_read_and_changed(network):
    create_empty(network.path)
    assert my_values(network).values == ()
    assert change_my_values(network, ["Food", "Jazz"], []).values == ("Food", "Jazz")
    assert change_my_values(network, [], ["jazz"]).values == ("Food",)
    assert jsonable(my_values(network)) == {"values": ["Food"]}


@pytest.mark.sqlite_only
@pytest.mark.slow
def test_parse_reach_and_complete_names(network):
    assert (parse_reach("large"), parse_reach("1,200")) == (10000, 1200)
    with pytest.raises(InvalidInput, match="reach is small, medium, large"):
        parse_reach("lots")
    assert complete_names(network, "person", "ma") == []  # no file yet: nothing, nothing made
    assert not network.path.exists()
    add_person(network, PersonFields(name="Maria"), met_at="Market Day", on=DAY)
    assert complete_names(network, "person", "MA") == ["Maria"]
    assert complete_names(network, "event", "mar") == ["Market Day"]
    for name in ("Tomás Silva", "Ana Tomasi", "50% Club", "Zoë Day"):
        add_person(network, PersonFields(name=name))
    assert complete_names(network, "person", "tomas") == ["Tomás Silva", "Ana Tomasi"]
    assert complete_names(network, "person", "ZOE") == ["Zoë Day"]
    assert complete_names(network, "person", "day") == ["Zoë Day"]  # a word's start
    assert complete_names(network, "person", "50%") == ["50% Club"]  # % is not a wildcard
    assert complete_names(network, "person", "5_") == []
    network.path.write_bytes(b"not a database" * 100)
    assert complete_names(network, "person", "ma") == []


@pytest.mark.slow
def test_people_reads_import_no_sqlalchemy(network):
    add_person(network, PersonFields(name="Maria"))
    probe = (
        "import sys\n"
        "from givenet.core.network import Network\n"
        "from givenet.core.people import find_people, list_people, my_values, show_person\n"
        f"network = Network({network.location!r})\n"
        "show_person(network, 'Maria'); list_people(network); find_people(network, 'ma')\n"
        "my_values(network)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'sqlmodel')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
