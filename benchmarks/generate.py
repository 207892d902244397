"""Generate a synthetic givenet network with a fixed seed, for the benchmarks.

    .venv/bin/python benchmarks/generate.py --people 20000 --seed 1
    .venv/bin/python benchmarks/generate.py --linkedin 10000 --out connections.csv

The database is created and migrated by ``givenet.db.session``, filled with
bulk inserts on the raw SQLite connection (one ``executemany`` per table), and
then ``givenet.store.search.rebuild_all`` builds the full-text indexes and the
match candidates once, as after an import. Everything is dated relative to
``--today`` (default: the real date), so the morning list has follow-ups,
overdue check-ins, due promises and birthdays.

Without ``--out`` the file is ``benchmarks/out/network-N-sS.db`` (gitignored),
with ``network-N-sS.json`` next to it: the counts, the day it was dated from,
how long each phase took, and a well-connected sample person to time
``why``/``show``/``log`` on. An existing file is kept unless ``--force``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sqlite3
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
YEARS_BACK = 3

FIRST_NAMES = """
Aaliyah Abdul Ada Adaeze Adam Adebayo Aditi Ahmed Aiko Aisha Akira Alejandro Alex
Alice Amara Amina Ana Anders Andrea Ángel Anil Anna Antoine Arjun Astrid Aylin
Beatriz Ben Bianca Bilal Bo Bongani Brigid Camille Carlos Carmen Chen Chiara
Chidi Chloe Claire Dalia Daniel Dara David Deepa Diego Dmitri Eduardo Elena Eli
Elif Emeka Emma Eun-ji Fatima Felipe Femi Fiona Francesca Gabriel Giulia Grace
Hana Hassan Heidi Hiroshi Ibrahim Ines Ingrid Isaac Isabel Ivan Jamal James Jana
Javier Jia Joao Jonas Jorge Josefina Juan Julia Kai Kamala Karim Kate Kenji Kiran
Kofi Lars Layla Lea Leila Liam Lin Lucia Luis Maya Mehmet Mei Miguel Mira Mohammed
Nadia Naledi Nia Nikhil Nina Noor Olga Omar Oscar Pablo Paolo Priya Rafael Rahul
Ravi Rosa Ruth Sakura Sam Samira Sara Sean Sofia Soo-ah Stefan Sunita Tariq Thandiwe
Theo Tomás Uma Valentina Vikram Wanjiru Wei Yara Yusuf Zainab Zara Zeynep
""".split()

LAST_NAMES = """
Abebe Acheampong Adeyemi Agarwal Ahmed Alvarez Andersen Aoki Bakker Banda Barros
Becker Bianchi Boateng Brooks Castillo Chang Chatterjee Chen Choi Costa Cruz Dahl
Das Delgado Diallo Dubois Duarte Eriksen Esposito Farah Fernandes Fischer Fonseca
Garcia Gomez Gonzalez Gupta Haddad Hansen Hassan Hernandez Hoang Horvat Huang Ibrahim
Ito Ivanova Jansen Jensen Johansson Kaur Khan Kim Kowalski Kumar Larsen Laurent
Lee Li Lin Lindqvist Liu Lopez Lund Mahlangu Martin Martinez Mendes Mensah Meyer
Mohamed Moreau Morales Mulder Murphy Nakamura Nair Nguyen Nielsen Novak Nowak
Obi Odhiambo Okafor Okonkwo Oliveira Olsen Ortiz Osei Owusu Park Patel Pereira
Petrov Popescu Qureshi Rahman Ramos Reyes Ribeiro Richter Rivera Rodriguez Rossi
Russo Saito Santos Schmidt Schneider Sharma Silva Singh Smith Sokolov Suzuki
Takahashi Tan Tanaka Torres Tran Van Dijk Vargas Vasquez Wagner Walker Wang Weber
Wong Wu Yamamoto Yang Yilmaz Yusuf Zhang Zhou
""".split()

ORG_WORDS = """
Green Harvest Common Civic Bright River Oak Open Table Hearth Northside Eastside
Commons Meadow Kindred Mosaic Tandem Rooted Cedar Lantern Beacon Bridge Harbour
""".split()
ORG_NOUNS = """
Table Kitchen Fund Alliance Collective Works Lab Foundation Partners Network
Studio Cooperative Trust Market Guild Project Exchange Institute Hub Garden
""".split()
ORG_SUFFIXES = ["", "", "", " Co-op", " Ltd", " CIC", " Trust", " Group"]

ROLES = [
    "Founder", "Co-founder", "Executive Director", "Programme Officer", "Chef",
    "General Manager", "Community Organiser", "Grants Manager", "Designer",
    "Software Engineer", "Operations Lead", "Researcher", "Teacher", "Journalist",
    "Accountant", "Lawyer", "Farmer", "Caterer", "Event Producer", "Board Member",
    "Policy Advisor", "Investor", "Consultant", "Student", "Photographer",
    "Translator", "Nurse", "Architect", "Fundraiser", "Volunteer Coordinator",
]  # fmt: skip

LOCATIONS = [
    "Eastside", "Westside", "Old Town", "Harbourfront", "Northgate", "Riverside",
    "Downtown", "Hillcrest", "Southbank", "Midtown", "Greenfield", "Lakeshore",
]  # fmt: skip

FIELDS = [
    "food systems", "urban farming", "social enterprise", "impact investing",
    "housing", "climate", "education", "public health", "hospitality",
    "community organising", "circular economy", "immigrant employment", "arts",
    "tech for good", "co-ops", "youth work", "mental health", "fair trade",
]  # fmt: skip
SKILLS = [
    "fundraising", "finance", "legal", "design", "marketing", "operations",
    "catering", "events", "mentoring", "grants", "research", "media", "tech",
    "logistics", "cooking", "translation", "photography", "governance",
]  # fmt: skip

EVENT_KINDS = [
    "dinner", "fundraiser", "workshop", "meetup", "conference", "market day",
    "festival", "hackathon", "panel", "supper club",
]  # fmt: skip
FUNDERS = [
    "the city's small-business grants office", "a community foundation",
    "impact investors", "the arts council", "a food-systems fund", "local banks",
]  # fmt: skip
LEGAL = ["lease", "co-op constitution", "employment contract", "charity registration"]
LANGUAGES = ["Spanish", "Arabic", "Portuguese", "Tigrinya", "Farsi", "Ukrainian", "Somali"]
PRODUCE = ["vegetables", "grains", "coffee", "eggs", "honey", "herbs", "mushrooms"]
THINGS = ["website", "menu", "annual report", "shopfront", "newsletter", "app"]
STORED = ["market stalls", "event chairs", "donated food", "art supplies", "bikes"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
GROUPS = ["new arrivals", "young people", "career changers", "refugee cooks", "graduates"]
OUTLETS = ["the local paper", "a food podcast", "community radio", "a business weekly"]
MONTHS = ["March", "June", "September", "the spring", "the summer", "the autumn"]

# (template, tags): needs and offers that partly overlap, so matches exist.
NEEDS = [
    ("a venue for {n} people", ["venue", "events"]),
    ("grant writing help", ["grants", "fundraising"]),
    ("a mentor in {field}", ["mentoring"]),
    ("catering for a {event} of {n}", ["catering", "events"]),
    ("a bookkeeper who knows co-ops", ["finance", "co-ops"]),
    ("legal advice on our {legal}", ["legal"]),
    ("a designer for our new {thing}", ["design"]),
    ("volunteers for a {event}", ["volunteering", "events"]),
    ("job placements for {group}", ["jobs", "immigrant employment"]),
    ("a kitchen to rent on weekends", ["kitchen", "food systems"]),
    ("introductions to {funder}", ["funding", "grants"]),
    ("a photographer for a {event}", ["photography", "events"]),
    ("translation into {language}", ["translation"]),
    ("a board member with {skill} experience", ["governance"]),
    ("storage space for {stored}", ["space"]),
    ("a van for deliveries on {day}s", ["logistics"]),
    ("feedback on a pitch deck", ["pitching", "startups"]),
    ("a web developer for a {thing}", ["tech"]),
    ("press contacts for a {event}", ["media"]),
    ("a speaker on {field} for a {event}", ["speaking", "events"]),
    ("a supplier of {produce}", ["sourcing", "food systems"]),
    ("housing for a new arrival", ["housing", "immigrant employment"]),
    ("help with {field} research", ["research"]),
    ("a co-founder with {skill} skills", ["startups"]),
    ("childcare during {event}s", ["childcare"]),
    ("a rehearsal space for {n} people", ["space", "arts"]),
    ("pro bono accounting for a small charity", ["finance", "pro bono"]),
    ("a sound system for an outdoor {event}", ["events", "equipment"]),
]
OFFERS = [
    ("private dining room seats {n}", ["venue", "events"]),
    ("kitchen training programme", ["training", "jobs", "kitchen"]),
    ("grant writing reviews", ["grants", "fundraising"]),
    ("mentoring in {field}", ["mentoring"]),
    ("catering for up to {n} guests", ["catering", "events"]),
    ("bookkeeping for small co-ops", ["finance", "co-ops"]),
    ("free legal clinic on {legal}s", ["legal", "pro bono"]),
    ("logo and {thing} design", ["design"]),
    ("a network of {n} volunteers", ["volunteering"]),
    ("job placements in {field}", ["jobs"]),
    ("commercial kitchen free on weekends", ["kitchen", "space"]),
    ("introductions to {funder}", ["funding"]),
    ("event photography", ["photography", "events"]),
    ("translation from {language}", ["translation"]),
    ("board experience in {field}", ["governance"]),
    ("warehouse space for {stored}", ["space", "logistics"]),
    ("a delivery van on {day}s", ["logistics"]),
    ("pitch coaching for founders", ["pitching", "startups"]),
    ("web development at cost", ["tech"]),
    ("contacts at {outlet}", ["media"]),
    ("talks on {field}", ["speaking"]),
    ("wholesale {produce} from our farm", ["sourcing", "food systems"]),
    ("a spare room for newcomers", ["housing"]),
    ("research support in {field}", ["research"]),
    ("rehearsal studio seats {n}", ["space", "arts"]),
    ("pro bono accounting hours", ["finance", "pro bono"]),
    ("PA system and lights to lend", ["equipment", "events"]),
    ("places in our childcare co-op", ["childcare"]),
]
ASK_OPENERS = ["", "", "", "Looking for ", "Needs ", "Would love "]
ASK_ENDINGS = ["", "", "", " before {month}", " in {location}", " for the {event} in {month}"]
OFFER_OPENERS = ["", "", "", "Can offer ", "Happy to share ", "Has "]
OFFER_ENDINGS = ["", "", "", ", midweek", " in {location}", ", free for nonprofits"]

MEETING_NOTES = [
    "Talked about {field} and their plans for {month}",
    "Catching up; they are hiring for {skill}",
    "Coffee near {location}; asked about {funder}",
    "They want to run a {event} in {month}",
    "Shared notes on {field}; follow up with the {thing}",
    "Long call about {skill} and the {event}",
    "Met their team; they need help with {skill}",
]
NOTES = [
    "Prefers email to calls",
    "Knows everyone in {field}",
    "Moving to {location} in {month}",
    "Ran a great {event} last year",
    "Speaks {language}",
    "Their {thing} launches in {month}",
    "Good person to ask about {funder}",
]
PROMISES = [
    "send the {thing} draft", "introduce them to someone in {field}",
    "share the list of {event} venues", "forward a contact at {funder}",
    "send notes from the {event}", "check on the {legal} question",
]  # fmt: skip
GIVES = [
    "advice on {skill}", "a lead for the {event}", "feedback on their {thing}",
    "an introduction in {field}", "a reference", "tickets to the {event}",
    "help with their {legal}", "a contact at {outlet}",
]  # fmt: skip

KINDS = ["coffee"] * 5 + ["call"] * 4 + ["message"] * 3 + ["email"] * 3 + ["meal"] * 2 + ["other"]
INTRO_STATUSES = (
    ["suggested"] * 2 + ["asked"] * 2 + ["made"] * 3 + ["met"] * 2 + ["helped"] * 3
    + ["no-fit", "fizzled", "declined"]
)  # fmt: skip
GIVEN_STATUSES = {"made", "met", "helped", "no-fit", "fizzled"}


class Words:
    """Fills templates like "a venue for {n} people" from the word lists."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def fill(self, template: str) -> str:
        rng = self.rng
        values = {
            "n": rng.choice([12, 20, 25, 30, 40, 50, 60, 80, 120]),
            "field": rng.choice(FIELDS),
            "skill": rng.choice(SKILLS),
            "event": rng.choice(EVENT_KINDS),
            "funder": rng.choice(FUNDERS),
            "legal": rng.choice(LEGAL),
            "language": rng.choice(LANGUAGES),
            "produce": rng.choice(PRODUCE),
            "thing": rng.choice(THINGS),
            "stored": rng.choice(STORED),
            "day": rng.choice(DAYS),
            "group": rng.choice(GROUPS),
            "outlet": rng.choice(OUTLETS),
            "month": rng.choice(MONTHS),
            "location": rng.choice(LOCATIONS),
        }
        return template.format(**values)

    def ask(self) -> tuple[str, list[str]]:
        template, tags = self.rng.choice(NEEDS)
        text = self.fill(self.rng.choice(ASK_OPENERS) + template + self.rng.choice(ASK_ENDINGS))
        return text[0].upper() + text[1:], self._tags(tags, template, text)

    def offer(self) -> tuple[str, list[str]]:
        template, tags = self.rng.choice(OFFERS)
        text = self.fill(self.rng.choice(OFFER_OPENERS) + template + self.rng.choice(OFFER_ENDINGS))
        return text[0].upper() + text[1:], self._tags(tags, template, text)

    def _tags(self, tags: list[str], template: str, text: str) -> list[str]:
        chosen = self.rng.sample(tags, self.rng.randint(1, len(tags)))
        if "{field}" in template:
            chosen += [field for field in FIELDS if field in text][:1]
        if self.rng.random() < 0.2:
            chosen.append(self.rng.choice(FIELDS + SKILLS))
        return list(dict.fromkeys(chosen))


COMBOS = len(FIRST_NAMES) * len(LAST_NAMES)


def unique_name_picks(rng: random.Random, count: int) -> list[int]:
    """Distinct name numbers: mostly plain "First Last", then with a middle initial."""
    plain = min(count, COMBOS * 6 // 10)
    picks = rng.sample(range(COMBOS), plain)
    if count > plain:
        picks += rng.sample(range(COMBOS, COMBOS * 27), count - plain)
    return picks


def name_parts(pick: int) -> tuple[str, str]:
    initial, combo = divmod(pick, COMBOS)
    first = FIRST_NAMES[combo % len(FIRST_NAMES)]
    if initial:
        first = f"{first} {chr(64 + initial)}."
    return first, LAST_NAMES[combo // len(FIRST_NAMES)]


def default_out(people: int, seed: int) -> Path:
    return OUT / f"network-{people}-s{seed}.db"


def meta_path(db: Path) -> Path:
    return db.with_suffix(".json")


def build_rows(people: int, seed: int, today: date) -> dict[str, list[tuple]]:
    """Every row of the network, as tuples in each table's column order below."""
    rng = random.Random(seed)
    words = Words(rng)
    stamp = datetime.now().replace(microsecond=0).isoformat(" ") + ".000000"
    span = YEARS_BACK * 365

    def ago(days: int) -> str:
        return (today - timedelta(days=days)).isoformat()

    def ahead(days: int) -> str:
        return (today + timedelta(days=days)).isoformat()

    # --- tags ---
    tag_names = list(
        dict.fromkeys(FIELDS + SKILLS + [t for _, tags in NEEDS + OFFERS for t in tags])
    )
    tag_id = {name: i for i, name in enumerate(tag_names, start=1)}
    out: dict[str, list[tuple]] = {name: [] for name in TABLES}
    out["tag"] = [(tag_id[name], name, name.casefold()) for name in tag_names]
    out["me_tag"] = [(tag_id[name],) for name in ("social enterprise", "food systems", "co-ops")]

    # --- people: unique names, circles, profiles ---
    picks = unique_name_picks(rng, people)
    ids = list(range(1, people + 1))
    inner = min(15, max(3, people // 15))
    active = min(60, max(8, people // 8))
    wide = min(250, max(15, people // 5))
    circles = ["inner"] * inner + ["active"] * active + ["wide"] * wide
    circles += ["acquaintance"] * (people - len(circles))
    rng.shuffle(circles)
    circle_of = dict(zip(ids, circles, strict=True))
    names: dict[int, str] = {}
    for pid, pick in zip(ids, picks, strict=True):
        first, last = name_parts(pick)
        names[pid] = f"{first} {last}"
    for pid in ids:
        name = names[pid]
        r = rng.random
        org = (
            f"{rng.choice(ORG_WORDS)} {rng.choice(ORG_NOUNS)}{rng.choice(ORG_SUFFIXES)}"
            if r() < 0.75
            else None
        )
        birthday = None
        if r() < 0.15:
            day = date(2000, 1, 1) + timedelta(days=rng.randrange(366))
            birthday = (
                f"{rng.randint(1955, 2002)}-{day.month:02d}-{day.day:02d}"
                if r() < 0.6
                else f"--{day.month:02d}-{day.day:02d}"
            )
        linkedin = r() < 0.4
        out["person"].append(
            (
                pid,
                name,
                name.casefold(),
                org,
                rng.choice(ROLES) if r() < 0.8 else None,
                rng.choice(LOCATIONS) if r() < 0.6 else None,
                f"https://example.org/{name.split()[0].lower()}{pid}" if r() < 0.2 else None,
                circle_of[pid],
                rng.choice([7, 21, 45, 60]) if r() < 0.02 else None,
                int(r() < 0.05),
                rng.choice([150, 500, 1000, 3000, 10000]) if r() < 0.3 else None,
                birthday,
                int(r() < 0.02),
                f"talking about {rng.choice(FIELDS)}" if r() < 0.05 else None,
                ahead(rng.randint(1, 30)) if r() < 0.01 else None,
                "linkedin" if linkedin else None,
                ago(rng.randint(30, 3000)) if linkedin else None,
                stamp,
            )
        )
        if r() < 0.7:
            local = ".".join(name.casefold().replace(".", "").split())
            address = f"{local}.{pid}@example.org"
            out["email"].append((len(out["email"]) + 1, pid, address, address.casefold(), 0))
        if r() < 0.3:
            out["phone"].append((len(out["phone"]) + 1, pid, f"+1 555 {pid:07d}", 0))
        for tag in rng.sample(FIELDS + SKILLS, rng.choice([0, 1, 1, 2, 2, 3, 4])):
            out["person_tag"].append((pid, tag_id[tag]))

    # --- events, with tags and expected attendees for those to come ---
    n_events = max(6, people // 40)
    event_dates = {}
    for eid in range(1, n_events + 1):
        # Days ago (negative: to come); one event six days ago, one in four days.
        days = rng.randint(-30, span) if eid > 2 else [6, -4][eid - 1]
        day = ago(days) if days >= 0 else ahead(-days)
        event_dates[eid] = day
        kind = rng.choice(EVENT_KINDS)
        name = f"{rng.choice(ORG_WORDS)} {kind.title()} {eid}"
        out["event"].append(
            (
                eid,
                name,
                name.casefold(),
                day,
                f"{rng.choice(LOCATIONS)} Hall" if rng.random() < 0.7 else None,
                words.fill("A {event} about {field}") if rng.random() < 0.5 else None,
                stamp,
            )
        )
        for tag in rng.sample(FIELDS, rng.randint(1, 3)):
            out["event_tag"].append((eid, tag_id[tag]))
    past_events = [eid for eid, day in event_dates.items() if day <= today.isoformat()]
    attendees: dict[tuple[int, int], str] = {}
    for eid, day in event_dates.items():
        if day > today.isoformat():
            for pid in rng.sample(ids, min(len(ids), rng.randint(5, 30))):
                attendees[(eid, pid)] = "expected"

    # --- meetings: about 10 per person, some with several people ---
    weight = {"inner": 30, "active": 18, "wide": 10, "acquaintance": 6.5}
    recent = set(rng.sample(ids, max(3, people // 100)))  # first met in the last days
    regular = [pid for pid in ids if pid not in recent]
    meeting_id = 0
    touches: dict[int, list[tuple[int, str]]] = {pid: [] for pid in ids}

    def add_meeting(who: list[int], day: str, event: int | None) -> None:
        nonlocal meeting_id
        meeting_id += 1
        kind = "event" if event else rng.choice(KINDS)
        note = words.fill(rng.choice(MEETING_NOTES)) if rng.random() < 0.5 else None
        out["meeting"].append((meeting_id, day, kind, event, note, stamp))
        for pid in who:
            out["meeting_person"].append((meeting_id, pid))
            touches[pid].append((meeting_id, day))
            if event:
                attendees[(event, pid)] = "met"

    for pid in recent:
        event = 1 if rng.random() < 0.5 else None  # the event six days ago
        add_meeting([pid], event_dates[1] if event else ago(rng.randint(1, 8)), event)
    for pid in regular:
        count = max(0, round(rng.gauss(weight[circle_of[pid]], weight[circle_of[pid]] / 3)))
        start = rng.randint(0, span)  # when they were first met
        for _ in range(count):
            others = []
            if rng.random() < 0.15:
                others = rng.sample(regular, rng.randint(1, 4))
            event = None
            if past_events and rng.random() < 0.12:
                event = rng.choice(past_events)
                day = event_dates[event]
            else:
                day = ago(rng.randint(0, start))
            add_meeting(list(dict.fromkeys([pid, *others])), day, event)
    out["event_attendee"] = [(eid, pid, status) for (eid, pid), status in attendees.items()]

    # --- notes, promises, asks, offers, intros, gives ---
    for nid in range(1, people // 2 + 1):
        out["note"].append(
            (nid, rng.choice(ids), ago(rng.randint(0, span)), words.fill(rng.choice(NOTES)), stamp)
        )
    met = [pid for pid in ids if touches[pid]]
    for prid in range(1, people * 3 // 10 + 1):
        pid = rng.choice(met)
        mid, day = rng.choice(touches[pid])
        due = date.fromisoformat(day) + timedelta(days=rng.choice([3, 7, 7, 14, 30]))
        kept = None
        overdue = (today - due).days
        if overdue >= 0 and rng.random() < (0.6 if overdue < 30 else 0.97):
            kept = min(today, due + timedelta(days=rng.randint(-3, 5))).isoformat()
        out["promise"].append(
            (
                prid,
                pid,
                mid if rng.random() < 0.8 else None,
                words.fill(rng.choice(PROMISES)),
                due.isoformat(),
                kept,
                stamp,
            )
        )
    ask_owner: dict[int, int] = {}
    for aid in range(1, people + 1):
        pid = rng.choice(ids)
        ask_owner[aid] = pid
        text, tags = words.ask()
        created = rng.randint(0, 400)
        status = rng.choices(["open", "met", "dropped"], [70, 20, 10])[0]
        resolved = ago(rng.randint(0, created)) if status != "open" else None
        due = None
        if rng.random() < 0.2:
            due = ago(rng.randint(-60, 30))
        out["ask"].append(
            (
                aid,
                pid,
                text,
                due,
                int(rng.random() < 0.05),
                status,
                ago(created),
                resolved,
                "a friend's intro" if status == "met" and rng.random() < 0.5 else None,
                stamp,
            )
        )
        out["ask_tag"].extend((aid, tag_id[tag]) for tag in tags)
    for oid in range(1, people + 1):
        pid = rng.choice(ids)
        text, tags = words.offer()
        status = "active" if rng.random() < 0.9 else "withdrawn"
        out["offer"].append((oid, pid, text, status, ago(rng.randint(0, 600)), stamp))
        out["offer_tag"].extend((oid, tag_id[tag]) for tag in tags)
    give_id = 0
    for iid in range(1, people * 3 // 10 + 1):
        a, b = rng.sample(ids, 2)
        ask_id = None
        if rng.random() < 0.3:
            ask_id = rng.randint(1, people)
            a = ask_owner[ask_id]
            if a == b:
                b = a % people + 1
        status = rng.choice(INTRO_STATUSES)
        started = rng.randint(0, 500)
        moved = rng.randint(0, started)
        out["intro"].append(
            (
                iid,
                a,
                b,
                ago(started),
                ask_id,
                None,
                status,
                ago(moved),
                words.fill("Both work on {field}") if rng.random() < 0.4 else None,
                stamp,
            )
        )
        if status in GIVEN_STATUSES:
            for person, other in ((a, b), (b, a)):
                give_id += 1
                out["give"].append(
                    (
                        give_id,
                        person,
                        "gave",
                        ago(started),
                        f"introduced them to {names[other]}",
                        None,
                        iid,
                        stamp,
                    )
                )
    for _ in range(people // 2):
        give_id += 1
        direction = "gave" if rng.random() < 0.6 else "got"
        out["give"].append(
            (
                give_id,
                rng.choice(ids),
                direction,
                ago(rng.randint(0, span)),
                words.fill(rng.choice(GIVES)),
                None,
                None,
                stamp,
            )
        )
    return out


# Column order of the tuples build_rows makes, per table (parents before children).
TABLES = {
    "tag": "id, name, key",
    "me_tag": "tag_id",
    "person": (
        "id, name, key, org, role, location, url, circle, cadence_days, new_to_field, reach, "
        "birthday, no_intros, open_to, snoozed_until, source, source_connected_on, created_at"
    ),
    "email": "id, person_id, address, key, position",
    "phone": "id, person_id, number, position",
    "person_tag": "person_id, tag_id",
    "event": "id, name, key, date, place, notes, created_at",
    "event_tag": "event_id, tag_id",
    "meeting": "id, date, kind, event_id, note, created_at",
    "meeting_person": "meeting_id, person_id",
    "event_attendee": "event_id, person_id, status",
    "note": "id, person_id, date, text, created_at",
    "promise": "id, person_id, meeting_id, text, due, kept_on, created_at",
    "ask": "id, person_id, text, due, urgent, status, created_on, resolved_on, via, created_at",
    "ask_tag": "ask_id, tag_id",
    "offer": "id, person_id, text, status, created_on, created_at",
    "offer_tag": "offer_id, tag_id",
    "intro": "id, person_a_id, person_b_id, date, ask_id, offer_id, status, status_on, note, created_at",
    "give": "id, person_id, direction, date, what, ask_id, intro_id, created_at",
}


# Bump when the rows this writes change (people, meetings, texts, proportions): a cached
# network written by another version is regenerated. 2: issue 16's generator (136ecb1).
GENERATOR_VERSION = 2


def schema_fingerprint(database: Path | None = None) -> str:
    """The schema version and a hash of the SQLite schema: every table, index and trigger
    the migrations leave in a file (edits of the PostgreSQL steps, or of comments, change
    nothing). With ``database``: that file's (run.py upgrades a cached network of an
    older schema and keeps it when its schema is then the current one)."""
    import hashlib
    import tempfile

    import givenet.migrations as migrations

    with tempfile.TemporaryDirectory() as folder:
        if database is None:
            from givenet import db

            database = Path(folder) / "fresh.db"
            with db.session(database, write=True):
                pass
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
            schema = connection.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
                "ORDER BY type, name"
            ).fetchall()
            version = connection.execute("SELECT MAX(version) FROM schema_migration").fetchone()[0]
    digest = hashlib.sha256(json.dumps(schema).encode()).hexdigest()[:16]
    assert version == migrations.LATEST_VERSION or database is not None
    return f"{version}-{digest}"


def sample_person(connection: sqlite3.Connection) -> str:
    """A well-connected person with asks, offers and meetings: the one to time why/show/log on."""
    row = connection.execute(
        "SELECT person.name FROM person JOIN meeting_person ON meeting_person.person_id = person.id "
        "WHERE person.id IN (SELECT person_id FROM ask WHERE status = 'open') "
        "AND person.id IN (SELECT person_id FROM offer) "
        "GROUP BY person.id ORDER BY COUNT(*) DESC, person.id LIMIT 1"
    ).fetchone()
    return row[0]


def sample_event(connection: sqlite3.Connection, today: date) -> str:
    """The next event from today (the one `event prep` is timed on)."""
    row = connection.execute(
        "SELECT name FROM event WHERE date >= ? ORDER BY date, id LIMIT 1", [today.isoformat()]
    ).fetchone()
    return row[0]


def generate(people: int, seed: int, out: Path, today: date) -> dict:
    from givenet.db import session
    from givenet.store.search import rebuild_all

    timings: dict[str, float] = {}
    started = time.perf_counter()
    table_rows = build_rows(people, seed, today)
    timings["build rows"] = time.perf_counter() - started
    counts = {table: len(found) for table, found in table_rows.items()}
    print(f"built {sum(counts.values()):,} rows in {timings['build rows']:.1f} s", flush=True)

    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    with session(partial, write=True) as db_session:
        start = time.perf_counter()
        raw = db_session.connection().connection.driver_connection
        for table, columns in TABLES.items():
            marks = ", ".join("?" * len(columns.split(",")))
            raw.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", table_rows[table])
        timings["insert"] = time.perf_counter() - start
        print(f"inserted in {timings['insert']:.1f} s; building indexes and matches", flush=True)

        start = time.perf_counter()
        last = [start]

        def progress(done: int, total: int) -> None:
            now = time.perf_counter()
            if done == total or now - last[0] >= 5:
                last[0] = now
                print(f"  matched {done:,}/{total:,} open asks ({now - start:.0f} s)", flush=True)

        kept = rebuild_all(raw, progress)
        timings["rebuild_all"] = time.perf_counter() - start
        counts["match_candidate"] = kept
        print(f"rebuild_all: {kept:,} candidates in {timings['rebuild_all']:.1f} s", flush=True)
        start = time.perf_counter()
    timings["commit"] = time.perf_counter() - start
    with sqlite3.connect(partial) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        sample = sample_person(connection)
        event = sample_event(connection, today)
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    os.replace(partial, out)
    timings["total"] = time.perf_counter() - started
    meta = {
        "people": people,
        "seed": seed,
        "today": today.isoformat(),
        "schema": schema_fingerprint(),
        "generator": GENERATOR_VERSION,
        "sample_person": sample,
        "sample_event": event,
        "counts": counts,
        "seconds": {key: round(value, 2) for key, value in timings.items()},
        "bytes": out.stat().st_size,
    }
    meta_path(out).write_text(json.dumps(meta, indent=2) + "\n")
    print(f"wrote {out} ({meta['bytes'] / 2**20:.0f} MiB) in {timings['total']:.1f} s", flush=True)
    return meta


def linkedin_csv(rows: int, seed: int, out: Path) -> None:
    """A LinkedIn "Connections.csv": notes lines, a blank line, then the header and rows."""
    rng = random.Random(seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as handle:
        handle.write(
            "Notes:\n"
            '"When exporting your connection data, you may notice that some of the email '
            "addresses are missing. You will only see email addresses for connections who have "
            "allowed their connections to see or download their email address using this "
            'setting https://www.linkedin.com/psettings/privacy/email"\n\n'
        )
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            [
                "First Name",
                "Last Name",
                "URL",
                "Email Address",
                "Company",
                "Position",
                "Connected On",
            ]
        )
        for i, pick in enumerate(unique_name_picks(rng, rows)):
            first, last = name_parts(pick)
            slug = f"{first}-{last}-{i}".lower().replace(" ", "-").replace(".", "")
            connected = date(2012, 1, 1) + timedelta(days=rng.randrange(5000))
            writer.writerow(
                [
                    first,
                    last,
                    f"https://www.linkedin.com/in/{slug}",
                    f"{slug}@example.org" if rng.random() < 0.15 else "",
                    f"{rng.choice(ORG_WORDS)} {rng.choice(ORG_NOUNS)}"
                    if rng.random() < 0.9
                    else "",
                    rng.choice(ROLES) if rng.random() < 0.9 else "",
                    connected.strftime("%d %b %Y"),
                ]
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, help="How many people in the network.")
    parser.add_argument("--seed", type=int, default=1, help="The random seed (default 1).")
    parser.add_argument("--out", type=Path, help="The file (default benchmarks/out/...).")
    parser.add_argument("--today", help="Date everything relative to this day (YYYY-MM-DD).")
    parser.add_argument("--force", action="store_true", help="Regenerate an existing file.")
    parser.add_argument(
        "--linkedin", type=int, metavar="ROWS", help="Write a LinkedIn CSV instead."
    )
    parser.add_argument(
        "--schema",
        nargs="?",
        const="",
        metavar="FILE",
        help="Print the schema fingerprint (of FILE when given).",
    )
    args = parser.parse_args()
    if args.schema is not None:
        print(schema_fingerprint(Path(args.schema) if args.schema else None))
        return
    if args.linkedin:
        out = args.out or OUT / f"linkedin-{args.linkedin}-s{args.seed}.csv"
        if args.force or not out.exists():
            linkedin_csv(args.linkedin, args.seed, out)
        print(out)
        return
    if not args.people or args.people < 10:
        parser.error("--people N (at least 10) or --linkedin ROWS is required")
    out = args.out or default_out(args.people, args.seed)
    if out.exists() and not args.force:
        print(f"{out} exists (--force to regenerate)")
        return
    today = date.fromisoformat(args.today) if args.today else date.today()
    out.unlink(missing_ok=True)
    generate(args.people, args.seed, out, today)


if __name__ == "__main__":
    sys.exit(main())
