"""The asks core called from Python: asks and offers, their moves, as records."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest

from conftest import TODAY
from givenet.core.asks import (
    Ask,
    Offer,
    drop_ask,
    list_asks,
    list_offers,
    record_ask,
    record_offer,
    reopen_ask,
    resolve_ask,
    tag_ask,
    tag_offer,
    withdraw_offer,
)
from givenet.core.network import Network
from givenet.errors import Conflict, NotFound
from givenet.records import jsonable
from givenet.records.people import PersonRef

pytestmark = pytest.mark.engines


@pytest.fixture
def network(isolated_database, run):
    run("add", "Tomás Reyes")
    return Network(isolated_database)


def test_record_ask_returns_the_ask_as_listed(network):
    saved = record_ask(
        network, "tomás", " a venue ", tags=["Venue", "events"], by=date(2030, 3, 1),
        today=date(2024, 1, 1),
    )  # fmt: skip
    assert isinstance(saved, Ask)
    assert (saved.id, saved.person, saved.text, saved.tags) == (
        1, PersonRef(1, "Tomás Reyes"), "a venue", ("events", "Venue"),
    )  # fmt: skip
    assert (saved.due, saved.urgent, saved.status, saved.created_on) == (
        date(2030, 3, 1), False, "open", date(2024, 1, 1),
    )  # fmt: skip
    assert saved.when == "by 2030-03-01"
    # The ask as listed, and the tags it could take: none, as it came with tags.
    [listed] = list_asks(network)
    assert jsonable(saved) == {**jsonable(listed), "proposed_tags": []}
    with pytest.raises(NotFound):
        record_ask(network, "Nobody", "anything")


@pytest.mark.slow
def test_ask_moves_return_the_moved_ask(network):
    record_ask(network, "Tomás", "a venue")
    urgent = record_ask(network, "Tomás", "a sound system", urgent=True)
    assert urgent.when == "urgent"
    assert [a.id for a in list_asks(network)] == [2, 1]
    met = resolve_ask(network, "#2", via="borrowed one", today=date(2024, 6, 1))
    assert (met.status, met.resolved_on, met.via) == ("met", date(2024, 6, 1), "borrowed one")
    dropped = drop_ask(network, 1)
    assert (dropped.status, dropped.resolved_on) == ("dropped", TODAY)
    assert list_asks(network) == []
    with pytest.raises(Conflict, match="ask #1 is dropped; `resolve` works on open asks"):
        resolve_ask(network, 1)
    reopened = reopen_ask(network, "1")
    assert (reopened.status, reopened.resolved_on, reopened.via) == ("open", None, None)
    assert [a.status for a in list_asks(network, include_closed=True)] == ["met", "open"]


def test_offers_are_recorded_listed_and_withdrawn(network, run):
    run("add", "Green Table")
    first = record_offer(network, "Tomás", "catering contacts", tags=["catering"])
    assert isinstance(first, Offer)
    assert (first.person.name, first.tags, first.status, first.created_on) == (
        "Tomás Reyes", ("catering",), "active", TODAY,
    )  # fmt: skip
    record_offer(network, "Green", "a dining room")
    assert [o.person.name for o in list_offers(network)] == ["Green Table", "Tomás Reyes"]
    withdrawn = withdraw_offer(network, "#1")
    assert (withdrawn.id, withdrawn.status) == (1, "withdrawn")
    assert [o.id for o in list_offers(network)] == [2]
    assert [o.id for o in list_offers(network, include_withdrawn=True)] == [2, 1]
    with pytest.raises(Conflict, match="offer #1 is already withdrawn"):
        withdraw_offer(network, 1)


def test_an_untagged_ask_or_offer_is_proposed_the_tags_in_use_and_can_take_them(network, run):
    run("add", "Amara")
    record_offer(network, "Amara", "dining room, seats 50", tags=["venue", "kitchen"])
    asked = record_ask(network, "Tomás", "a room for 40 people for a dinner")
    assert asked.proposed_tags == ("venue",)
    offered = record_offer(network, "Tomás", "a kitchen garden to grow in")
    assert offered.proposed_tags == ("kitchen",)
    tagged = tag_ask(network, asked.id, ["venue", "Dinner"])
    assert tagged.tags == ("Dinner", "venue") and isinstance(tagged, Ask)
    assert tag_ask(network, "#1", ["venue"]).tags == ("Dinner", "venue")  # nothing twice
    assert tag_offer(network, offered.id, ["growing"]).tags == ("growing",)
    with pytest.raises(NotFound, match="no offer #9"):
        tag_offer(network, 9, ["x"])


def test_asks_and_offers_json_keep_their_shape(network):
    record_ask(network, "Tomás", "a venue", tags=["venue"], today=date(2024, 1, 1))
    record_offer(network, "Tomás", "contacts", today=date(2024, 1, 2))
    assert jsonable(list_asks(network)) == [
        {
            "id": 1,
            "person": {"id": 1, "name": "Tomás Reyes"},
            "text": "a venue",
            "tags": ["venue"],
            "due": None,
            "urgent": False,
            "status": "open",
            "created_on": "2024-01-01",
            "resolved_on": None,
            "via": None,
        }
    ]
    [offer] = jsonable(list_offers(network))
    assert list(offer) == ["id", "person", "text", "tags", "status", "created_on"]
    assert offer["created_on"] == "2024-01-02" and offer["tags"] == []


@pytest.mark.slow
def test_listing_asks_and_offers_loads_no_sqlalchemy(network):
    record_ask(network, "Tomás", "a venue")
    code = (
        "import json, sys\n"
        "from givenet.core.asks import list_asks, list_offers\n"
        "from givenet.core.network import Network\n"
        f"network = Network({network.location!r})\n"
        "found = [len(list_asks(network)), len(list_offers(network))]\n"
        "print(json.dumps([found, 'sqlalchemy' in sys.modules]))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert json.loads(result.stdout) == [[1, 0], False], result.stderr
