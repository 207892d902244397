"""A sample network built on the essay's example, dated relative to ``today``.

A restaurant that trains new immigrants and has a room for events; people who
need a venue; a career changer; a well-connected organiser; an event last week
with a few people met there. Written through the store, like any user's data.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session

from givenet.models import Event, Meeting, Person
from givenet.store import activity, people
from givenet.store.people import PersonFields
from givenet.store.sql import driver, scalar


def build_demo(session: Session, today: date) -> dict[str, int]:
    """Fill an empty database with the sample network; return what was written."""

    def ago(days: int) -> date:
        return today - timedelta(days=days)

    def ahead(days: int) -> date:
        return today + timedelta(days=days)

    def birthday_in(days: int) -> str:
        day = ahead(days)
        return f"--{day.month:02d}-{day.day:02d}"

    people.change_my_values(
        session, ["social enterprise", "immigrant employment", "food systems"], []
    )

    def person(name: str, **fields: object) -> Person:
        return people.add_person(session, PersonFields(name=name, **fields))  # type: ignore[arg-type]

    amara = person(
        "Amara Okafor",
        emails=["amara@harvesttable.example"],
        org="Harvest Table",
        role="General Manager",
        location="Eastside",
        tags=["social enterprise", "hospitality", "immigrant employment"],
        circle="active",
        reach=800,
    )
    daniel = person(
        "Daniel Reyes",
        emails=["daniel@neighbourhoods.example"],
        org="Neighbourhood Alliance",
        role="Community Organiser",
        tags=["community organising", "food systems", "housing"],
        circle="inner",
        reach=10000,
        birthday=birthday_in(2),
    )
    priya = person(
        "Priya Nair",
        emails=["priya.nair@example.com"],
        role="Analyst (leaving banking)",
        tags=["food systems", "finance", "social enterprise"],
        new_to_field=True,
    )
    tomas = person(
        "Tomás Silva",
        org="Neighbourhood Supper Club",
        role="Organiser",
        tags=["events", "community"],
        circle="wide",
    )
    hana = person(
        "Hana Yusuf",
        phones=["+1 555 0142"],
        role="Cook",
        tags=["cooking", "immigrant employment"],
        new_to_field=True,
    )
    grace = person(
        "Grace Lin",
        emails=["grace@civicfutures.example"],
        org="Civic Futures Fund",
        role="Programme Officer",
        tags=["grants", "social enterprise"],
        circle="wide",
        reach=3000,
    )
    owen = person(
        "Owen Brooks",
        org="Common Pot Catering Co-op",
        role="Co-founder",
        tags=["catering", "co-ops", "food systems"],
    )
    li = person("Li Wei", org="Brightpath Logistics", role="Operations Lead")
    li.source, li.source_connected_on = "linkedin", ago(700)
    session.add(li)

    mixer = activity.add_event(
        session,
        "Impact Mixer",
        ago(5),
        place="Hub Hall",
        topics=["social enterprise", "food systems"],
        notes="Quarterly mixer of the social-enterprise network",
    )

    def log(
        who: list[Person], day: date, kind: str, note: str, event: Event | None = None
    ) -> Meeting:
        return activity.log_meeting(session, who, day, kind=kind, event=event, note=note)

    # Long-standing relationships.
    log([amara], ago(210), "meal", "Lunch at Harvest Table; heard about the training kitchen")
    log(
        [amara],
        ago(40),
        "coffee",
        "Planning the spring menu; the dining room is often free midweek",
    )
    log([daniel], ago(120), "coffee", "First coffee after the housing forum")
    log([daniel], ago(9), "call", "Catch-up on the winter food drive")
    log([grace], ago(100), "call", "Grant round opens in the new year")

    # A dormant tie: you worked with Li years ago (and only later connected on
    # LinkedIn); Li helped once, and nothing has passed between you since.
    log([li], ago(1300), "meeting", "Planned the food drive's delivery routes together")

    # The mixer last week.
    priya_meeting = log(
        [priya],
        ago(5),
        "event",
        "Moving from banking into food systems; wants to meet social-enterprise founders",
        mixer,
    )
    log(
        [owen], ago(5), "event", "Runs a catering co-op; might take on trained kitchen staff", mixer
    )
    log([tomas], ago(5), "event", "Looking for a room for the supper club's fundraiser", mixer)
    log([tomas], ago(3), "coffee", "Fundraiser is for about 40 people; budget is tight")
    activity.add_promises(
        session, [priya], "Send her the list of food-systems meetups", ago(2), priya_meeting
    )

    # Someone met yesterday.
    log(
        [hana],
        ago(1),
        "coffee",
        "Arrived in August; cooked professionally for ten years; wants kitchen work",
    )

    # What people need and can give.
    activity.add_offer(
        session,
        amara,
        "Private dining room for events, seats 50",
        tags=["venue", "events"],
        today=ago(40),
    )
    activity.add_offer(
        session,
        amara,
        "Kitchen training programme for new immigrants",
        tags=["training", "immigrant employment", "jobs"],
        today=ago(40),
    )
    activity.add_offer(
        session, grace, "Advice on grant applications", tags=["grants", "funding"], today=ago(100)
    )
    activity.add_offer(
        session,
        owen,
        "Paid placements for trained kitchen staff",
        tags=["jobs", "catering"],
        today=ago(5),
    )
    activity.add_ask(
        session,
        tomas,
        "Needs a venue for 40 people for a fundraising dinner",
        tags=["venue", "events"],
        by=ahead(12),
        urgent=False,
        today=ago(3),
    )
    activity.add_ask(
        session,
        hana,
        "Job training for a new arrival: kitchen or serving work",
        tags=["training", "jobs"],
        by=None,
        urgent=True,
        today=ago(1),
    )
    activity.add_ask(
        session,
        priya,
        "Introductions to social-enterprise founders",
        tags=["social enterprise", "networking"],
        by=None,
        urgent=False,
        today=ago(5),
    )

    # The ledger: Daniel helped, nothing given back yet.
    activity.add_give(
        session, daniel, "got", "Introduced me to the city's small-business grants officer", ago(20)
    )
    activity.add_give(session, amara, "gave", "Sent two diners for the training lunch", ago(60))
    activity.add_give(
        session, grace, "got", "Sent the grant round's guidelines ahead of the call", ago(2)
    )
    activity.add_give(session, li, "got", "Lent two vans for the winter food drive", ago(1290))
    people.add_note(session, amara, "Her training kitchen takes a new cohort every March", ago(40))
    session.flush()
    return {
        table: scalar(driver(session), f"SELECT COUNT(*) FROM {table}")
        for table in ("person", "event", "meeting", "ask", "offer")
    }
