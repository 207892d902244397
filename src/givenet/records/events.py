"""Records about events: the listing, one event's detail, the briefing, and what writes did.

The JSON shapes are those of spec section 5 (``events --json``, ``event show --json``,
``event prep --json``): each field's name is its key, in order; dates are written
as ISO dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from givenet.records.people import PersonRef


@dataclass(frozen=True, slots=True)
class EventRef:
    """An event named in a result: ``#3 Impact Mixer (2026-12-03)``."""

    id: int
    name: str
    date: date

    @property
    def label(self) -> str:
        return f"#{self.id} {self.name}"


@dataclass(frozen=True, slots=True)
class EventAdded:
    """`event add`: the new event."""

    event: EventRef


@dataclass(frozen=True, slots=True)
class EventStarted:
    """`event start`: the current event (``created`` if it is new today) until ``until``;
    `event stop` returns the one it ended, if any (``until`` is then when it ended)."""

    event: EventRef | None
    until: datetime
    created: bool = False


@dataclass(frozen=True, slots=True)
class Attendance:
    """One person's attendance at an event: ``expected``, or ``met`` (met there already)."""

    person: PersonRef
    status: str


@dataclass(frozen=True, slots=True)
class EventAttended:
    """`event attend`: the people added to the network first (``--new``), then each
    person's attendance, in the order named (each person once)."""

    event: EventRef
    added: tuple[PersonRef, ...]
    attendance: tuple[Attendance, ...]


@dataclass(frozen=True, slots=True)
class EventListed:
    """One row of `events`: the event, who was expected and met, open follow-ups.

    ``follow_ups_open`` counts the people met there with no touch since.
    """

    id: int
    name: str
    date: date
    place: str | None
    notes: str | None
    topics: tuple[str, ...]
    expected: tuple[PersonRef, ...]
    met: tuple[PersonRef, ...]
    follow_ups_open: int


@dataclass(frozen=True, slots=True)
class MetThere:
    """Someone met at an event, with their follow-up: ``done``, ``pending`` or ``overdue``."""

    id: int
    name: str
    met_on: date
    last_touch: date | None
    follow_up: str


@dataclass(frozen=True, slots=True)
class EventPromise:
    """A promise made at an event, open (``kept_on`` is None) or kept."""

    id: int
    person: PersonRef
    text: str
    due: date
    kept_on: date | None


@dataclass(frozen=True, slots=True)
class EventDetail:
    """`event show`: when and where, topics, who is expected and who was met, promises."""

    id: int
    name: str
    date: date
    place: str | None
    notes: str | None
    topics: tuple[str, ...]
    expected: tuple[PersonRef, ...]
    met: tuple[MetThere, ...]
    promises: tuple[EventPromise, ...]


@dataclass(frozen=True, slots=True)
class HelperOffer:
    """Someone in the network whose active offer could meet an attendee's ask."""

    helper: PersonRef
    offer_id: int
    offer: str
    matched: tuple[str, ...]
    why: str = ""  # the reasons, in words


@dataclass(frozen=True, slots=True)
class AttendeeAsk:
    """An attendee's open ask, with the offers in the network that could meet it."""

    id: int
    text: str
    your_network_can_meet: tuple[HelperOffer, ...]


@dataclass(frozen=True, slots=True)
class Attendee:
    """Someone expected at (or met at) an event, for the briefing.

    ``touches`` and ``last_touch`` are set for people the user has met (``known``);
    for the others they are None and left out of the JSON.
    """

    id: int
    name: str
    org: str | None
    role: str | None
    tags: tuple[str, ...]
    open_asks: tuple[AttendeeAsk, ...]
    openers: tuple[str, ...]
    last_touch: date | None = None
    touches: int | None = None

    @property
    def known(self) -> bool:
        return self.touches is not None

    def as_json(self) -> dict[str, object]:
        found: dict[str, object] = {
            "id": self.id,
            "name": self.name,
            "org": self.org,
            "role": self.role,
            "tags": self.tags,
            "open_asks": self.open_asks,
            "openers": self.openers,
        }
        if self.known:
            found["last_touch"] = self.last_touch
            found["touches"] = self.touches
        return found


@dataclass(frozen=True, slots=True)
class WorthInviting:
    """Someone in the network (not expected) whose tags are among the event's topics."""

    id: int
    name: str
    shared_topics: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EventPrep:
    """`event prep`: the briefing before an event.

    ``topic_overlap`` is the user's values among the topics; ``known_attendees``
    are the expected people the user has met, ``new_attendees`` the others.
    """

    id: int
    name: str
    date: date
    place: str | None
    notes: str | None
    topics: tuple[str, ...]
    expected: tuple[PersonRef, ...]
    met: tuple[PersonRef, ...]
    your_values: tuple[str, ...]
    topic_overlap: tuple[str, ...]
    known_attendees: tuple[Attendee, ...]
    new_attendees: tuple[Attendee, ...]
    worth_inviting: tuple[WorthInviting, ...]
