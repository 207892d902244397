"""What an ask or an offer is about, read from its words: needs, topics, capacities, dates.

Pure functions, no model and no database: givenet must match in an aeroplane,
at once, and say why in words. Three readings of a text:

- **Concepts.** A phrase book maps the ways people say a need ("a place to
  rehearse", "church basement", "dining room" …) to one *need* ("a place to
  meet or hold an event"), and lighter words to a *topic* (music, food, an
  event). The longest phrase wins and uses its words up, so "food bank" is
  free food and not a bank, "ball pythons" are pets and not code, "business
  plan" is advice and not a diet.
- **Capacity.** "for 40 people", "8 of us", "party of 150" on an ask; "seats
  50", "holds 200", "up to 30 guests", "16 seats" on an offer.
- **Dates.** An ask wanted "by March 1", "before May", "in February" or "next
  week"; an offer "from April", "starting 1 May". A month without a year is
  the next one on or after the day the text was written.

``givenet.matching`` combines these with the shared words and tags.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

# --- concepts ------------------------------------------------------------------

# need key -> (what a person reads, phrases). A phrase is words separated by
# spaces; each word is compared after `stem` (so "rooms" is "room").
NEEDS: dict[str, tuple[str, str]] = {
    "venue": (
        "a place to meet or hold an event",
        "venue, venues, hall, room for, function room, meeting room, board meeting, boardroom, "
        "dining room, private room, event space, space for, place to meet, place to rehearse, "
        "place for, somewhere to meet, somewhere to hold, somewhere to rehearse, rehearse, "
        "rehearsal, rehearsal space, basement, church hall, community hall, village hall, "
        "back garden, garden party, studio, space to meet, host our, host an, room to hire, "
        "hire a room, conference room, rooftop, marquee space",
    ),
    "workspace": (
        "a desk or an office to work from",
        "desk, desks, office space, coworking, co-working, hot desk, workspace, "
        "somewhere to work, place to work",
    ),
    "housing": (
        "a place to stay",
        "place to stay, somewhere to stay, room to rent, room to let, spare room, to let, "
        "accommodation, lodging, lodgings, short stay, flat to rent, sublet, "
        "host a refugee, room in, bed for the night",
    ),
    "furniture": (
        "furniture and things for a home",
        "furniture, sofa, sofas, bed, beds, double bed, wardrobe, fridge, washing machine, "
        "household items, kitchen table, chairs, bed frame, mattress, single bed",
    ),
    "jobs": (
        "work, or training for a job",
        "job, jobs, job training, work as, wants work, looking for work, find work, any work, "
        "work going, paid work, employment, employer, hiring, vacancy, vacancies, placement, "
        "placements, apprenticeship, apprenticeships, apprentice, trainee, traineeship, "
        "training, training programme, training course, bootcamp, no experience, "
        "switch careers, career change, career changers, become an, become a, learn a trade, "
        "retrain, internship, internships",
    ),
    "cv": (
        "help applying for jobs",
        "cv, cvs, resume, résumé, cover letter, mock interview, mock interviews, interview "
        "practice, before interviews, job application, job applications",
    ),
    "funding": (
        "money for a project or a business",
        "loan, loans, microloan, microloans, business loan, bank loan, investment, investor, "
        "investors, angel investor, funding, funder, funders, grant, grants, funding bid, "
        "money to start, money for, start-up capital, seed funding, cheques, crowdfunding, "
        "pitch deck, raise money, fundraise",
    ),
    "banking": (
        "a bank account or banking",
        "bank, bank account, banking, current account, overdraft",
    ),
    "business": (
        "advice on running a business",
        "business plan, business plans, mentor, mentors, mentoring, mentorship, "
        "business advice, founder advice, feedback on my pitch, grow my business, strategy",
    ),
    "marketing": (
        "more customers",
        "marketing, more customers, customers into, advertising, promotion, promote, "
        "get the word out, social media",
    ),
    "accounts": (
        "bookkeeping, accounts and tax",
        "bookkeeping, bookkeeper, accountant, accounts, accounting, tax, tax return, "
        "tax returns, audit, payroll, vat, books",
    ),
    "immigration": (
        "visas and immigration",
        "visa, visas, immigration, asylum, residence permit, citizenship, settled status",
    ),
    "tenancy": (
        "a tenant's rights",
        "landlord, evict, eviction, evicted, tenant, tenants, tenancy, deposit back, "
        "rent dispute, housing rights",
    ),
    "contracts": (
        "a contract read",
        "contract, contracts, terms and conditions, read the small print, lease agreement",
    ),
    "webdev": (
        "a website or an app built",
        "website, websites, web developer, python developer, django, django developer, "
        "developer, developers, web app, app built, build an app, wordpress, programmer",
    ),
    "itsupport": (
        "a computer fixed or set up",
        "laptop, laptops, computer keeps, crashing, crashes, wifi, wi-fi, printer, "
        "it support, tech support, apple laptop, mac, set up my, setting up my, virus",
    ),
    "computers": (
        "computer equipment",
        "mouse and keyboard, keyboard, monitor, monitors, second-hand computer, spare laptop",
    ),
    "data": (
        "making sense of data",
        "data, data analyst, spreadsheet, spreadsheets, dashboard, dashboards, survey results, "
        "statistics, excel, analysis",
    ),
    "childcare": (
        "childcare",
        "childcare, childminder, child minder, nursery place, babysitter, babysitting, nanny, "
        "look after my kids, after-school club, babysit, babysits",
    ),
    "company": (
        "company for someone lonely",
        "lonely, loneliness, isolated, befriending, befriender, a chat, visits elderly, "
        "cup of tea, company for",
    ),
    "wellbeing": (
        "someone to talk to",
        "someone to talk to, anxious, anxiety, depressed, depression, counsellor, counsellors, "
        "counselling, therapy, therapist, grief, bereavement, bereaved, dad died, mum died, "
        "mental health, stress, stressed",
    ),
    "petcare": (
        "looking after a pet",
        "walk my dog, walks dogs, dog walking, dog walker, dog sitting, pet sitting, "
        "feed my cat, look after my dog, vet, vets, exotic pet",
    ),
    "pettraining": (
        "training a pet",
        "puppy training, dog training, biting, behaviour classes, obedience",
    ),
    "rehoming": (
        "a new home for an animal",
        "rehoming, rehome, ball python, ball pythons, adopt a pet, reptiles",
    ),
    "removals": (
        "help moving house",
        "van, moving house, moving flat, moving home, move house, removals, man with a van, "
        "van and driver, help move, help moving, move a piano",
    ),
    "lifts": (
        "a lift somewhere",
        "lift to, a lift, drive people, drive me, airport run, ride to, give lifts, to the airport",
    ),
    "grouptransport": (
        "transport for a group",
        "minibus, coach, coach hire, group trips, school trip, transport for",
    ),
    "bikes": (
        "a bike repaired",
        "bike, bikes, bicycle, bicycles, flat tyre, puncture, broken chain, cycle repair",
    ),
    "photos": (
        "photographs taken",
        "photo, photos, photograph, photographer, photography, headshot, headshots, "
        "portrait, portraits",
    ),
    "media": (
        "press coverage",
        "press coverage, coverage, journalist, journalists, reporter, newspaper, local paper, "
        "press release, publicity, media coverage, community stories, in the paper, press, on air, radio, community radio, radio show, presenter",
    ),
    "recording": (
        "somewhere to record",
        "podcast, podcast studio, record our, recording, recording studio, microphone, microphones",
    ),
    "design": (
        "design work",
        "logo, logos, flyer, flyers, poster, posters, graphic designer, graphic design, "
        "branding, leaflets",
    ),
    "catering": (
        "food for an event",
        "catering, cater, caterer, caterers, buffet, food for guests, cook for",
    ),
    "nutrition": (
        "advice on what to eat",
        "nutrition, nutritionist, dietitian, dietician, diet plan, diet, meal plan, "
        "nutrition plans, healthy eating",
    ),
    "foodaid": (
        "free food for people who need it",
        "food bank, food banks, free food, food parcel, food parcels, surplus, leftover food, "
        "struggling to eat, soup kitchen, community fridge, surplus bread, food on the table, afford food",
    ),
    "growing": (
        "land to grow food",
        "allotment, allotments, plot, plots, bit of land, grow vegetables, grow food, "
        "growing space, community garden, patch of ground, patch of land, raised bed, raised beds, somewhere to grow, grow herbs",
    ),
    "gardening": (
        "garden work",
        "prune, prunes, pruning, apple trees, fruit trees, gardener, gardening, lawn, hedge",
    ),
    "juicing": ("a press for fruit", "cider press, apple press, fruit press, juicer"),
    "language": (
        "learning a language",
        "english lessons, english classes, esol, conversation classes, learn english, "
        "language classes, language exchange, conversation practice",
    ),
    "tutoring": (
        "tutoring for a student",
        "tutor, tutors, tutoring, maths, math, homework, exams, gcse, gcses, a-levels, revision",
    ),
    "translation": (
        "a translation",
        "translate, translates, translation, translations, translator, interpreter, interpreting",
    ),
    "signlanguage": (
        "a sign language interpreter",
        "sign language, sign language interpreter, bsl, asl",
    ),
    "physio": (
        "treatment for an injury",
        "physio, physiotherapist, physiotherapy, sports injury, sports injuries, "
        "football injury, knee, back pain, injury, injuries, bad back, sore back, osteopath, osteopathy, chiropractor",
    ),
    "medical": (
        "medical letters explained",
        "gp, doctor, medical letters, letter from the hospital, hospital letter, diagnosis, "
        "medical advice, blood test, test results, nurse",
    ),
    "firstaid": ("first aid training", "first aid, first aid training, cpr"),
    "sportsground": (
        "a pitch or court to play on",
        "football pitch, pitch, pitches, five-a-side, sports hall, tennis court, court to book",
    ),
    "musiclessons": (
        "music lessons",
        "guitar lessons, bass guitar lessons, piano lessons, music lessons, cello teacher, "
        "violin teacher, singing lessons, music teacher, teaches singing, singing teacher, voice coach",
    ),
    "instrumentrepair": (
        "an instrument tuned or repaired",
        "tune our piano, piano tuner, tuner, tune",
    ),
    "fishing": ("fishing", "sea bass, fishing, fishing trip, angling"),
    "pestcontrol": ("pests dealt with", "mouse traps, mousetraps, pest control, rats, mice"),
    "building": (
        "building work",
        "roof, leaking roof, leak, plumber, builder, builders, planning application, "
        "planning permission, extension, damp, electrics, gutter, gutters, roofer, roofing",
    ),
    "eventkit": ("things for a stall or an event", "tent, gazebo, marquee, stall, trestle tables"),
    "mobility": ("a mobility aid", "wheelchair, walking frame, mobility scooter, crutches"),
    "flying": ("flying lessons", "pilot licence, pilot license, flying lessons"),
    "blooddonation": ("giving blood", "blood bank, blood donor, blood donors, give blood"),
    "coding": (
        "learning to code",
        "programming, learn to code, coding lessons, coding course",
    ),
    "court": (
        "help with a court case",
        "court case, court hearing, going to court, tribunal, magistrates",
    ),
}

# topic key -> phrases: what a text is about, without being the need itself.
TOPICS: dict[str, str] = {
    "event": "dinner, fundraising dinner, fundraiser, gala, party, parties, wedding, weddings, "
    "celebration, meetup, conference, concert, event, events, guests, supper club, reception",
    "food": "food, restaurant, cafe, café, bakery, bread, vegetables, kitchen, cook, chef, meal, "
    "meals, food drive",
    "music": "choir, band, orchestra, piano, music, musicians, singing, bass, guitar",
    "business": "business, small business, small businesses, startup, startups, start-up, "
    "founder, founders, shop, shops, sole traders, entrepreneurs, early-stage",
    "tech": "software, coding, tech, python, digital",
    "newcomers": "newcomers, new arrival, just arrived, refugee, refugees, immigrants, "
    "migrants, from syria",
    "health": "hospital, health, medical, diabetes",
    "pets": "dog, dogs, puppy, puppies, cat, cats, pet, pets",
    "sport": "football, sports, sport, match, team",
    "elderly": "elderly, older people, elderly mother, grandmother, grandfather, pensioners",
    "children": "children, kids, child, son, daughter, youth, youth club, school, schools",
    "charity": "charity, charities, community group, community groups, volunteers, nonprofit",
    "legal": "lawyer, solicitor, legal, rights",
    "electrical": "electrician, electrical",
    "care": "carer, carers, care home, care work, care worker, caring",
}

# When a text has every topic on the left, it has the need on the right too:
# "food for 100 guests at a wedding" asks for catering.
IMPLIED: tuple[tuple[frozenset[str], str], ...] = ((frozenset({"food", "event"}), "catering"),)

_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)


def _fold(text: str) -> str:
    if text.isascii():  # nothing to decompose: most texts, and 5x faster
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def stem(word: str) -> str:
    """A light plural and possessive strip: "rooms" → "room", "charities" → "charity"."""
    word = word.removesuffix("'s").removesuffix("'")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words_of(text: str) -> list[str]:
    """The text's words, folded and stemmed (each word's stem worked out once: a bulk
    pass reads the same few thousand words in every text)."""
    return [_stem(word) for word in _WORD.findall(_fold(text))]


_stem = functools.lru_cache(maxsize=200_000)(stem)


Phrase = tuple[str, ...]


def _phrase_book() -> dict[str, list[tuple[Phrase, str, bool]]]:
    """first word -> [(phrase words, key, is a need)], longest phrase first."""
    book: dict[str, list[tuple[Phrase, str, bool]]] = {}
    entries: list[tuple[str, str, bool]] = [
        (phrases, key, True) for key, (_, phrases) in NEEDS.items()
    ]
    entries += [(phrases, key, False) for key, phrases in TOPICS.items()]
    for phrases, key, is_need in entries:
        for phrase in phrases.split(","):
            found = tuple(words_of(phrase))
            if found:
                book.setdefault(found[0], []).append((found, key, is_need))
    for options in book.values():
        options.sort(key=lambda option: -len(option[0]))
    return book


_BOOK = _phrase_book()


@dataclass(frozen=True, slots=True)
class Concepts:
    needs: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    said: tuple[tuple[str, str], ...] = ()  # (key, the words that said it), in text order

    def keys(self) -> frozenset[str]:
        return self.needs | {f"~{topic}" for topic in self.topics}


def concepts(*texts: str) -> Concepts:
    """The needs and topics the texts say, the longest phrase first."""
    needs: set[str] = set()
    topics: set[str] = set()
    said: list[tuple[str, str]] = []
    for text in texts:
        tokens = words_of(text)
        after = 0  # the first token not yet part of a phrase found
        # Only a word the phrase book starts a phrase with can start one (a few a text).
        for i in [i for i, token in enumerate(tokens) if token in _BOOK]:
            if i < after:
                continue
            for phrase, key, is_need in _BOOK[tokens[i]]:
                if tuple(tokens[i : i + len(phrase)]) == phrase:
                    (needs if is_need else topics).add(key)
                    said.append((key, " ".join(phrase)))
                    after = i + len(phrase)
                    break
    for wanted, need in IMPLIED:
        if wanted <= topics:
            needs.add(need)
    return Concepts(frozenset(needs), frozenset(topics), tuple(said))


def from_keys(keys: Iterable[str]) -> Concepts:
    """Concepts back from their stored keys (topics start with "~")."""
    needs = {key for key in keys if not key.startswith("~")}
    topics = {key[1:] for key in keys if key.startswith("~")}
    return Concepts(frozenset(needs), frozenset(topics))


# Words too common to search for as part of a phrase ("room for", "a lift to"):
# their index lists are as long as the table, and a phrase over them costs a scan.
_FUNCTION_WORDS = frozenset(
    "a an and at by for from in into me my of on or our out the their to up us we with "
    "you your".split()
)


def _search_term(phrase: str) -> str | None:
    """One phrase as an FTS5 term: the phrase itself, or NEAR() of its content words."""
    tokens = [word for word in _WORD.findall(_fold(phrase))]
    content = [word for word in tokens if word not in _FUNCTION_WORDS]
    if not content:
        return None
    quoted = ['"' + word.replace('"', '""') + '"' for word in content]
    if len(content) == 1:
        return quoted[0]
    if content == tokens:
        return '"' + " ".join(content).replace('"', '""') + '"'
    return f"NEAR({' '.join(quoted)}, {len(tokens) - len(content)})"


def meaning_query(meaning: Concepts) -> str | None:
    """An FTS5 query for texts that say one of these needs in any of its phrases."""
    return _needs_query(meaning.needs)


@functools.lru_cache(maxsize=4096)
def _needs_query(needs: frozenset[str]) -> str | None:
    terms = sorted(
        {
            term
            for key in needs
            for phrase in NEEDS[key][1].split(",")
            if (term := _search_term(phrase)) is not None
        }
    )
    return " OR ".join(terms) if terms else None


def need_words(key: str) -> str:
    return NEEDS[key][0] if key in NEEDS else key


# --- capacity ---------------------------------------------------------------------

_NUMBER = r"(\d{1,3}(?:,\d{3})*|\d+)"
_HEADS = r"(?:people|persons|guests|attendees|participants|children|kids|adults|pupils|students|members|volunteers|of us)"
_ASK_CAPACITY = (
    re.compile(rf"\b{_NUMBER}\s+{_HEADS}\b"),
    re.compile(rf"\bparty of\s+{_NUMBER}\b"),
    re.compile(rf"\bgroup of\s+{_NUMBER}\b"),
)
_OFFER_CAPACITY = (
    re.compile(rf"\b(?:seats|holds|sleeps|fits|takes|capacity(?: of)?)\s+(?:up to\s+)?{_NUMBER}\b"),
    re.compile(rf"\bup to\s+{_NUMBER}\s+(?:{_HEADS}|seats)"),
    re.compile(rf"\b{_NUMBER}\s+(?:seats|seater|places)\b"),
    re.compile(rf"\bfor up to\s+{_NUMBER}\b"),
)


def _first_number(patterns: Iterable[re.Pattern[str]], text: str) -> int | None:
    folded = _fold(text)
    for pattern in patterns:
        found = pattern.search(folded)
        if found:
            return int(found.group(1).replace(",", ""))
    return None


def people_needed(text: str) -> int | None:
    """How many people an ask is for: "for 40 people", "8 of us", "party of 150"."""
    return _first_number(_ASK_CAPACITY, text)


def capacity_offered(text: str) -> int | None:
    """How many an offer takes: "seats 50", "holds 200", "up to 30 guests", "16 seats"."""
    return _first_number(_OFFER_CAPACITY, text)


# --- dates -------------------------------------------------------------------------

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_DAY_MONTH = rf"(?:{_DAY}\s+{_MONTH}|{_MONTH}\s+{_DAY}|{_MONTH})"


def _month_end(year: int, month: int) -> date:
    first_next = date(year + (month == 12), month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def _next_on_or_after(written: date, month: int, day: int | None, end: bool) -> date:
    year = written.year
    if month < written.month:
        year += 1
    if day is None:
        return _month_end(year, month) if end else date(year, month, 1)
    try:
        found = date(year, month, day)
    except ValueError:
        found = _month_end(year, month)
    return found if found >= written - timedelta(days=31) else date(year + 1, month, day)


def _read_day(groups: tuple[str | None, ...], written: date, end: bool) -> date:
    d1, m1, m2, d2, m3 = groups
    if m1:
        return _next_on_or_after(written, MONTHS[m1], int(d1) if d1 else None, end)
    if m2:
        return _next_on_or_after(written, MONTHS[m2], int(d2) if d2 else None, end)
    assert m3 is not None
    return _next_on_or_after(written, MONTHS[m3], None, end)


_NEEDED_BY = re.compile(rf"\b(?:by|before|no later than)\s+{_DAY_MONTH}")
_NEEDED_IN = re.compile(rf"\b(?:in|during|for)\s+(?:early\s+|late\s+|mid\s+)?{_MONTH}")
_NEXT_WEEK = re.compile(r"\b(?:next week|this week|tomorrow|urgently|asap)\b")
_FROM = re.compile(rf"\b(?:from|starting|after|available from|as of)\s+{_DAY_MONTH}")


def needed_by(text: str, written: date) -> date | None:
    """The last day an ask's text can be met on, or None if it names none."""
    folded = _fold(text)
    found = _NEEDED_BY.search(folded)
    if found:
        return _read_day(found.groups(), written, end=False)
    month = _NEEDED_IN.search(folded)
    if month:
        return _next_on_or_after(written, MONTHS[month.group(1)], None, end=True)
    if _NEXT_WEEK.search(folded):
        return written + timedelta(days=14)
    return None


def available_from(text: str, written: date) -> date | None:
    """The first day an offer's text says it is there, or None if it names none."""
    found = _FROM.search(_fold(text))
    if found:
        return _read_day(found.groups(), written, end=False)
    return None
