"""SQLModel tables: the typed view of the schema that ``migrations.py`` creates.

The migrations own the schema; these classes describe it for queries and writes,
and a test checks that the two agree. Dates are stored as ISO text, so SQL can
compare them directly. Names and tags keep the spelling a person typed; a
``key`` column holds the case-folded form used for comparison.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, desc, text
from sqlmodel import Field, SQLModel

from givenet.vocab import (  # noqa: F401  (re-exported: the vocabularies of the schema)
    ASK_STATUSES,
    ATTENDANCE,
    CIRCLES,
    DEFAULT_CIRCLE,
    GIVE_DIRECTIONS,
    INTRO_STATUSES,
    MEETING_KINDS,
    OFFER_STATUSES,
)


def _partial(name: str, where: str, *columns: str) -> Index:
    """An index of only the rows ``where`` holds for (schema 7: what `due` reads)."""
    return Index(name, *columns, sqlite_where=text(where), postgresql_where=text(where))


_OPEN_INTRO = "status IN ('suggested', 'asked', 'made', 'met')"


class Person(SQLModel, table=True):
    __tablename__ = "person"
    # Schema 7: the people with a check-in cadence, and the month and day of birthdays.
    __table_args__ = (
        _partial(
            "ix_person_cadenced",
            "cadence_days IS NOT NULL OR circle IN ('inner', 'active', 'wide')",
            "id",
        ),
        Index("ix_person_birthday_day", text("substr(birthday, length(birthday) - 4)")),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str
    key: str = Field(index=True)  # casefold(name), for lookups
    org: str | None = None
    role: str | None = None
    location: str | None = None
    url: str | None = None
    circle: str = Field(default=DEFAULT_CIRCLE, index=True)
    cadence_days: int | None = None
    new_to_field: bool = False
    reach: int | None = None  # connections in their own network
    birthday: str | None = None  # "YYYY-MM-DD", or "--MM-DD" when the year is unknown
    no_intros: bool = False
    open_to: str | None = None
    snoozed_until: dt.date | None = Field(default=None, index=True)
    source: str | None = None  # where an imported person came from ("linkedin", a file name)
    source_connected_on: dt.date | None = None  # e.g. LinkedIn's "Connected On": not a meeting
    created_at: dt.datetime


class Email(SQLModel, table=True):
    __tablename__ = "email"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    address: str
    key: str = Field(index=True)  # casefold(address)
    position: int = 0  # 0 is the primary address


class Phone(SQLModel, table=True):
    __tablename__ = "phone"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    number: str
    position: int = 0


class Tag(SQLModel, table=True):
    __tablename__ = "tag"

    id: int | None = Field(default=None, primary_key=True)
    name: str
    key: str = Field(unique=True)  # casefold(name): "Urban Farming" and "urban farming" are one tag


class PersonTag(SQLModel, table=True):
    __tablename__ = "person_tag"

    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", primary_key=True)
    tag_id: int = Field(foreign_key="tag.id", ondelete="CASCADE", primary_key=True, index=True)


class MeTag(SQLModel, table=True):
    """The user's own values and interests."""

    __tablename__ = "me_tag"

    tag_id: int = Field(foreign_key="tag.id", ondelete="CASCADE", primary_key=True)


class Event(SQLModel, table=True):
    __tablename__ = "event"

    id: int | None = Field(default=None, primary_key=True)
    name: str
    key: str = Field(index=True)
    date: dt.date = Field(index=True)
    place: str | None = None
    notes: str | None = None
    created_at: dt.datetime


class EventTag(SQLModel, table=True):
    __tablename__ = "event_tag"

    event_id: int = Field(foreign_key="event.id", ondelete="CASCADE", primary_key=True)
    tag_id: int = Field(foreign_key="tag.id", ondelete="CASCADE", primary_key=True, index=True)


class EventAttendee(SQLModel, table=True):
    __tablename__ = "event_attendee"

    event_id: int = Field(foreign_key="event.id", ondelete="CASCADE", primary_key=True)
    person_id: int = Field(
        foreign_key="person.id", ondelete="CASCADE", primary_key=True, index=True
    )
    status: str = "expected"


class Meeting(SQLModel, table=True):
    """A touch: a dated meeting with one or more people."""

    __tablename__ = "meeting"

    id: int | None = Field(default=None, primary_key=True)
    date: dt.date = Field(index=True)
    kind: str = "other"
    event_id: int | None = Field(
        default=None, foreign_key="event.id", ondelete="SET NULL", index=True
    )
    note: str | None = None
    created_at: dt.datetime
    recorded_by: str | None = None  # the member who wrote it (schema 6)


class PersonTouch(SQLModel, table=True):
    """A person's first and last meeting (any date, later ones too): derived data kept by
    the triggers of schema 4 on every write to ``meeting_person`` and ``meeting.date``."""

    __tablename__ = "person_touch"

    person_id: int = Field(primary_key=True)  # no foreign key: see migrations._V4_TABLE
    first_met: dt.date = Field(index=True)  # schema 7: who was first met lately
    last_touch: dt.date


class MeetingPerson(SQLModel, table=True):
    __tablename__ = "meeting_person"

    meeting_id: int = Field(foreign_key="meeting.id", ondelete="CASCADE", primary_key=True)
    person_id: int = Field(
        foreign_key="person.id", ondelete="CASCADE", primary_key=True, index=True
    )


class Note(SQLModel, table=True):
    """A dated note on a person that is not a meeting."""

    __tablename__ = "note"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    date: dt.date
    text: str
    created_at: dt.datetime
    recorded_by: str | None = None  # the member who wrote it (schema 6)


class Promise(SQLModel, table=True):
    """A next step the user owes someone; open until kept."""

    __tablename__ = "promise"
    __table_args__ = (_partial("ix_promise_open_due", "kept_on IS NULL", "due", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    meeting_id: int | None = Field(
        default=None, foreign_key="meeting.id", ondelete="SET NULL", index=True
    )
    text: str
    due: dt.date = Field(index=True)
    kept_on: dt.date | None = None
    created_at: dt.datetime
    recorded_by: str | None = None  # the member who wrote it (schema 6)


class Ask(SQLModel, table=True):
    """Something a person needs."""

    __tablename__ = "ask"
    __table_args__ = (_partial("ix_ask_open_person", "status = 'open'", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    text: str
    due: dt.date | None = None  # --by
    urgent: bool = False
    status: str = Field(default="open", index=True)
    created_on: dt.date
    resolved_on: dt.date | None = None
    via: str | None = None  # how it was met
    created_at: dt.datetime
    recorded_by: str | None = None  # the member who wrote it (schema 6)


class AskTag(SQLModel, table=True):
    __tablename__ = "ask_tag"

    ask_id: int = Field(foreign_key="ask.id", ondelete="CASCADE", primary_key=True)
    tag_id: int = Field(foreign_key="tag.id", ondelete="CASCADE", primary_key=True, index=True)


class Offer(SQLModel, table=True):
    """Something a person can give."""

    __tablename__ = "offer"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    text: str
    status: str = Field(default="active", index=True)
    created_on: dt.date
    created_at: dt.datetime
    recorded_by: str | None = None  # the member who wrote it (schema 6)


class OfferTag(SQLModel, table=True):
    __tablename__ = "offer_tag"

    offer_id: int = Field(foreign_key="offer.id", ondelete="CASCADE", primary_key=True)
    tag_id: int = Field(foreign_key="tag.id", ondelete="CASCADE", primary_key=True, index=True)


class Intro(SQLModel, table=True):
    """An introduction the user made (or means to make) between two people."""

    __tablename__ = "intro"
    __table_args__ = (
        _partial("ix_intro_open_person_a", _OPEN_INTRO, "person_a_id"),
        _partial("ix_intro_open_person_b", _OPEN_INTRO, "person_b_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_a_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    person_b_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    date: dt.date
    ask_id: int | None = Field(default=None, foreign_key="ask.id", ondelete="SET NULL", index=True)
    offer_id: int | None = Field(
        default=None, foreign_key="offer.id", ondelete="SET NULL", index=True
    )
    status: str = Field(default="made", index=True)
    status_on: dt.date
    note: str | None = None
    created_at: dt.datetime
    recorded_by: str | None = None  # the member who wrote it (schema 6)


class Give(SQLModel, table=True):
    """A line of the giving ledger: the user gave to them, or got from them."""

    __tablename__ = "give"
    __table_args__ = (_partial("ix_give_got_date", "direction = 'got'", "date", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    direction: str  # "gave" or "got"
    date: dt.date
    what: str
    ask_id: int | None = Field(default=None, foreign_key="ask.id", ondelete="SET NULL", index=True)
    intro_id: int | None = Field(
        default=None, foreign_key="intro.id", ondelete="CASCADE", index=True
    )
    created_at: dt.datetime
    recorded_by: str | None = None  # the member who wrote it (schema 6)


class MatchCandidate(SQLModel, table=True):
    """An offer that could meet an ask, scored when either was written (derived data)."""

    __tablename__ = "match_candidate"
    # `match` reads the best candidates first and stops at its limit.
    __table_args__ = (Index("ix_match_candidate_rank", desc("score"), "ask_id", "offer_id"),)

    ask_id: int = Field(foreign_key="ask.id", ondelete="CASCADE", primary_key=True)
    offer_id: int = Field(foreign_key="offer.id", ondelete="CASCADE", primary_key=True, index=True)
    score: float
    matched: str  # a JSON list of the words and tags that matched
    why: str = Field(default="", sa_column_kwargs={"server_default": ""})  # the reasons, in words


class AskVector(SQLModel, table=True):
    """An ask's text as a vector of meaning (``store.vectors``; derived data)."""

    __tablename__ = "ask_vector"

    ask_id: int = Field(foreign_key="ask.id", ondelete="CASCADE", primary_key=True)
    vector: bytes  # float16, unit length (``givenet.meaning_model``)
    hub: float  # its mean cosine with the nearest reference offers


class OfferVector(SQLModel, table=True):
    """An offer's text as a vector of meaning (``store.vectors``; derived data)."""

    __tablename__ = "offer_vector"

    offer_id: int = Field(foreign_key="offer.id", ondelete="CASCADE", primary_key=True)
    vector: bytes
    hub: float  # its mean cosine with the nearest reference asks


class MatchRejection(SQLModel, table=True):
    """ "Not a fit": an ask and an offer the user said never to propose again."""

    __tablename__ = "match_rejection"

    ask_id: int = Field(foreign_key="ask.id", ondelete="CASCADE", primary_key=True)
    offer_id: int = Field(foreign_key="offer.id", ondelete="CASCADE", primary_key=True, index=True)
    rejected_on: dt.date


class Setting(SQLModel, table=True):
    """A configuration value set by ``givenet config KEY VALUE``."""

    __tablename__ = "setting"

    key: str = Field(primary_key=True)
    value: str


class Member(SQLModel, table=True):
    """Someone who has written to this network: on a personal file, its one user."""

    __tablename__ = "member"

    name: str = Field(primary_key=True)
    first_seen: dt.date
