"""The ranking of the morning list: pure functions over plain values.

Nothing here touches the database, the terminal or the clock: the store gathers
one ``PersonFacts`` per candidate, and ``today`` comes in as an argument, so
every rule can be tested with a table of fixed dates.

A person's score is a weighted sum of named factors, like Taskwarrior's
urgency. Each factor gives a value between 0 and 1 and a one-line reason;
the contribution is value × weight; the score is the sum of contributions.
*Action* factors say there is something to do today; *priority* factors say
whom to favour. ``docs/ranking.md`` explains each with a worked example.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from givenet.vocab import (
    CADENCED_CIRCLES,
    DEFAULT_CIRCLE,
    OPEN_INTRO_STATUSES,
    Circle,
    IntroStatus,
    sql_list,
)

ACTION = "action"
PRIORITY = "priority"

CIRCLE_CAPACITY = {Circle.inner: 15, Circle.active: 50, Circle.wide: 150}  # Dunbar's nested layers


def nested_layers(counts: Mapping[str, int]) -> list[dict[str, object]]:
    """Each layer with the people in it and in the layers inside it, against its capacity.

    Inner holds up to 15; inner and active together up to 50; all three up to 150.
    """
    layers: list[dict[str, object]] = []
    running = 0
    for circle, capacity in CIRCLE_CAPACITY.items():
        running += counts.get(circle, 0)
        layers.append(
            {
                "circle": circle,
                "people": counts.get(circle, 0),
                "cumulative": running,
                "capacity": capacity,
                "over": running > capacity,
            }
        )
    return layers


# The settings that are not weights: key -> (default, unit, help), unit "days" (a
# duration). Each factor's weight is on the factor (FACTORS, at the end); the two
# together are CONFIG_DEFAULTS, in the order `givenet config` lists them.
DURATIONS: dict[str, tuple[float, str, str]] = {
    "follow_up.window": (2, "days", "days after first meeting a follow-up is fully due"),
    "follow_up.fade": (7, "days", "days over which a missed follow-up fades away"),
    "cadence.inner": (14, "days", "check-in cadence of the inner circle"),
    "cadence.active": (30, "days", "check-in cadence of the active circle"),
    "cadence.wide": (90, "days", "check-in cadence of the wide circle"),
    "ask.soon": (7, "days", "a dated ask grows urgent this many days before its date"),
    "birthday.window": (3, "days", "days ahead a birthday shows on the list"),
    "intro.check_after": (7, "days", "days after an intro to ask both how it went"),
    "intro.recent": (90, "days", "a pair introduced this recently is not proposed again"),
    "promise.default": (7, "days", "when a promise without --by falls due"),
    "snooze.default": (14, "days", "how long `snooze` keeps someone off the list"),
    "thank.window": (3, "days", "days after a `got` to thank them while it is fresh"),
    "thank.fade": (14, "days", "days over which an unthanked `got` fades from the list"),
    "reconnect.after": (1095, "days", "a tie untouched this long is dormant, worth waking"),
    "reconnect.per_day": (1, "count", "dormant ties the list wakes each day, in turn"),
}

# A reach from this many connections makes someone a bridge worth reconnecting.
BRIDGE_REACH = 1000

# What a meeting of each kind reads like in a reason.
KIND_PHRASES = {
    "meeting": "met in person",
    "coffee": "had coffee",
    "call": "spoke on a call",
    "message": "exchanged messages",
    "email": "emailed",
    "meal": "shared a meal",
    "event": "met at an event",
    "other": "met",
}


@dataclass(frozen=True)
class Settings:
    """Weights, cadences and windows, as `givenet config` holds them."""

    values: Mapping[str, float] = field(
        default_factory=lambda: {key: spec[0] for key, spec in CONFIG_DEFAULTS.items()}
    )

    @classmethod
    def with_overrides(cls, overrides: Mapping[str, float]) -> Settings:
        values = {key: spec[0] for key, spec in CONFIG_DEFAULTS.items()}
        values.update({key: value for key, value in overrides.items() if key in values})
        return cls(values)

    def weight(self, factor: str) -> float:
        return float(self.values[f"weight.{factor}"])

    def days(self, key: str) -> int:
        return int(self.values[key])

    def count(self, key: str) -> int:
        """A whole-number setting that counts things (``reconnect.per_day``)."""
        return int(self.values[key])

    def cadence(self, circle: str, own_cadence_days: int | None) -> int | None:
        """Days between check-ins: the person's own, else their circle's, else none."""
        if own_cadence_days:
            return own_cadence_days
        key = f"cadence.{circle}"
        return self.days(key) if key in self.values else None


@dataclass(frozen=True)
class MeetingFact:
    day: date
    kind: str
    event_name: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class AskFact:
    id: int
    text: str
    due: date | None = None
    urgent: bool = False


@dataclass(frozen=True)
class PromiseFact:
    id: int
    text: str
    due: date


@dataclass(frozen=True)
class MatchFact:
    """The strongest intro one step away: someone else's offer that meets their ask."""

    ask_text: str
    helper_name: str
    offer_text: str
    score: float
    matched: tuple[str, ...] = ()
    why: str = ""  # the reasons, in words (``givenet.matching.Scored.why``)


@dataclass(frozen=True)
class IntroFact:
    """An open intro this person is part of."""

    id: int
    other_name: str
    status: str  # suggested, asked, made or met
    status_on: date


@dataclass(frozen=True)
class PersonFacts:
    """Everything the rules need to know about one person, as plain values."""

    id: int
    name: str
    circle: str = DEFAULT_CIRCLE
    cadence_days: int | None = None
    first_met: date | None = None
    last_touch: date | None = None
    first_meeting: MeetingFact | None = None  # the earliest touch, for the follow-up reason
    open_asks: tuple[AskFact, ...] = ()
    open_promises: tuple[PromiseFact, ...] = ()
    birthday: str | None = None  # "YYYY-MM-DD" or "--MM-DD"
    got_count: int = 0
    last_got: date | None = None
    last_got_what: str | None = None
    last_gave: date | None = None
    reach: int | None = None
    intro_count: int = 0
    tags: tuple[str, ...] = ()
    new_to_field: bool = False
    best_match: MatchFact | None = None
    open_intros: tuple[IntroFact, ...] = ()
    helped_well_count: int = 0  # intros that helped them, asks of theirs your gifts met


@dataclass(frozen=True)
class FactorResult:
    name: str
    kind: str
    value: float
    weight: float
    reason: str

    @property
    def contribution(self) -> float:
        # Rounded once here, so the score is exactly the sum of what `why` shows.
        return round(self.value * self.weight, 4)


@dataclass(frozen=True)
class Ranked:
    id: int
    name: str
    factors: tuple[FactorResult, ...]

    @property
    def score(self) -> float:
        return round(sum(factor.contribution for factor in self.factors), 4)

    @property
    def active_factors(self) -> tuple[FactorResult, ...]:
        return tuple(factor for factor in self.factors if factor.contribution > 0)

    @property
    def top_action(self) -> FactorResult | None:
        actions = [f for f in self.active_factors if f.kind == ACTION]
        return max(actions, key=lambda f: f.contribution) if actions else None

    @property
    def top_factor(self) -> FactorResult | None:
        active = self.active_factors
        return max(active, key=lambda f: f.contribution) if active else None

    def as_dict(self, *, every_factor: bool = False) -> dict[str, object]:
        """The JSON shape of `due` (active factors) and `why` (every factor)."""
        top = self.top_action
        return {
            "id": self.id,
            "name": self.name,
            "score": round(self.score, 4),
            "action": top.name if top else None,
            "factors": [
                {
                    "name": factor.name,
                    "kind": factor.kind,
                    "value": factor.value,
                    "weight": factor.weight,
                    "contribution": round(factor.contribution, 4),
                    "reason": factor.reason,
                }
                for factor in (self.factors if every_factor else self.active_factors)
            ],
        }


Evaluation = tuple[float, str]  # (value in [0, 1], reason)


@dataclass(frozen=True)
class Context:
    """What every rule sees besides the person: the day, the settings, the user."""

    today: date
    settings: Settings = field(default_factory=Settings)
    my_values: frozenset[str] = frozenset()  # case-folded tags
    # The dormant ties whose turn it is today (``reconnect_picks``), chosen by the store
    # among every dormant tie, since the rotation needs to see them all at once.
    reconnect_ids: frozenset[int] = frozenset()


def days_between(earlier: date, later: date) -> int:
    return (later - earlier).days


def relative_words(day: date, today: date) -> str:
    days = days_between(day, today)
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days == -1:
        return "tomorrow"
    return f"{days} days ago" if days > 0 else f"in {-days} days"


def short_date(day: date) -> str:
    return f"{day:%b} {day.day}"


def quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- action factors ---------------------------------------------------------


def fresh_then_fading(days_since: int, window: int, fade: int, *, from_day: int) -> float:
    """1 from ``from_day`` through the window, then a linear fade over ``fade`` days.

    On day ``window + k`` (k = 1 … fade) the value is ``1 - k / (fade + 1)``;
    before ``from_day`` and from ``window + fade + 1`` it is 0.
    """
    if days_since < from_day:
        return 0.0
    if days_since <= window:
        return 1.0
    late_by = days_since - window
    if late_by > fade:
        return 0.0
    return 1.0 - late_by / (fade + 1)


def follow_up_value(days_since_met: int, window: int, fade: int) -> float:
    """1 from the day after the meeting through the window, then the fade; 0 on the day."""
    return fresh_then_fading(days_since_met, window, fade, from_day=1)


def meeting_phrase(meeting: MeetingFact, today: date) -> str:
    where = (
        f"met at {meeting.event_name}"
        if meeting.event_name
        else KIND_PHRASES.get(meeting.kind, "met")
    )
    phrase = f"{where} {relative_words(meeting.day, today)}"
    if meeting.note:
        phrase += f" — {quote(meeting.note)}"
    return phrase


def rule_follow_up(person: PersonFacts, context: Context) -> Evaluation | None:
    first_met, last_touch = person.first_met, person.last_touch
    if first_met is None or last_touch is None or last_touch > first_met:
        return None
    window = context.settings.days("follow_up.window")
    value = follow_up_value(
        days_between(first_met, context.today), window, context.settings.days("follow_up.fade")
    )
    if value == 0:
        return None
    meeting = person.first_meeting or MeetingFact(day=first_met, kind="other")
    late = "" if days_between(first_met, context.today) <= window else " (late: do it today)"
    return value, f"follow up{late}: {meeting_phrase(meeting, context.today)}"


def rule_check_in(person: PersonFacts, context: Context) -> Evaluation | None:
    """Past the cadence: half as soon as it is overdue, full one whole cadence later."""
    cadence = context.settings.cadence(person.circle, person.cadence_days)
    if not cadence:
        return None
    where = (
        f"your cadence for them, every {cadence} days"
        if person.cadence_days
        else f"{person.circle} circle, every {cadence} days"
    )
    if person.last_touch is None:
        return 1.0, f"check in: no meeting recorded yet ({where})"
    overdue_by = days_between(person.last_touch, context.today) - cadence
    if overdue_by <= 0:
        return None
    value = min(1.0, 0.5 + 0.5 * overdue_by / cadence)
    since = days_between(person.last_touch, context.today)
    return value, f"check in: last touch {since} days ago, {overdue_by} past due ({where})"


def ask_value(ask: AskFact, today: date, soon_days: int) -> float:
    """0.5 for any open ask; 1 when urgent or past its date; rising within ``soon_days``."""
    if ask.urgent:
        return 1.0
    if ask.due is None:
        return 0.5
    days_left = days_between(today, ask.due)
    if days_left <= 0:
        return 1.0
    if days_left <= soon_days:
        return 0.75 + 0.25 * (soon_days - days_left) / soon_days
    return 0.5


def ask_urgency_words(ask: AskFact, today: date) -> str:
    if ask.urgent:
        return " (urgent)"
    if ask.due is None:
        return ""
    days_left = days_between(today, ask.due)
    if days_left < 0:
        return f" (was needed by {short_date(ask.due)})"
    return f" (by {short_date(ask.due)}, {relative_words(ask.due, today)})"


def rule_open_ask(person: PersonFacts, context: Context) -> Evaluation | None:
    if not person.open_asks:
        return None
    soon = context.settings.days("ask.soon")
    ranked = sorted(
        person.open_asks, key=lambda ask: (-ask_value(ask, context.today, soon), ask.id)
    )
    top = ranked[0]
    more = f" (+{len(ranked) - 1} more)" if len(ranked) > 1 else ""
    reason = f'help: they ask "{quote(top.text)}"{ask_urgency_words(top, context.today)}{more}'
    return ask_value(top, context.today, soon), reason


def rule_promise(person: PersonFacts, context: Context) -> Evaluation | None:
    due = [p for p in person.open_promises if p.due <= context.today]
    if not due:
        return None
    oldest = min(due, key=lambda p: (p.due, p.id))
    late_by = days_between(oldest.due, context.today)
    when = "due today" if late_by == 0 else f"overdue by {late_by} day{'s' * (late_by != 1)}"
    more = f" (+{len(due) - 1} more)" if len(due) > 1 else ""
    value = 0.8 if late_by == 0 else 1.0
    return value, f'promise: "{quote(oldest.text)}" — {when}{more}'


def next_birthday(stored: str, today: date) -> date:
    """The next occurrence (today included) of a birthday; Feb 29 falls on Feb 28."""
    month, day = int(stored[-5:-3]), int(stored[-2:])
    for year in (today.year, today.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:  # Feb 29 in a common year
            candidate = date(year, month, day - 1)
        if candidate >= today:
            return candidate
    raise ValueError(f"bad birthday {stored!r}")  # pragma: no cover - a year always fits


def rule_birthday(person: PersonFacts, context: Context) -> Evaluation | None:
    if not person.birthday:
        return None
    window = context.settings.days("birthday.window")
    upcoming = next_birthday(person.birthday, context.today)
    days_until = days_between(context.today, upcoming)
    if days_until > window:
        return None
    value = 1.0 - days_until / (window + 1)
    when = relative_words(upcoming, context.today)
    if days_until > 0:
        when += f" ({short_date(upcoming)})"
    return value, f"birthday {when}"


def rule_can_match(person: PersonFacts, context: Context) -> Evaluation | None:
    """Half for any match, more the stronger it is (a score of 4 or more gives 1)."""
    match = person.best_match
    if match is None:
        return None
    value = min(1.0, 0.5 + match.score / 8)
    if match.why:
        words = f" ({match.why})"
    else:
        words = f" ({', '.join(match.matched[:3])})" if match.matched else ""
    return value, (
        f'introduce: {match.helper_name} offers "{quote(match.offer_text, 50)}"{words} '
        f'for their ask "{quote(match.ask_text, 40)}"'
    )


def intro_value(intro: IntroFact, today: date, check_after: int) -> tuple[float, str]:
    """An intro waiting on the user now, or one whose outcome is due to be asked."""
    if intro.status == IntroStatus.suggested:
        return 0.8, f"intro to {intro.other_name} suggested: ask both whether they want it"
    if intro.status == IntroStatus.asked:
        return 0.8, f"intro to {intro.other_name}: you asked both; make it once they agree"
    since = days_between(intro.status_on, today)
    if since < check_after:
        return 0.0, ""
    if intro.status == IntroStatus.made:
        return 1.0, f"ask how the intro to {intro.other_name} went (made {since} days ago)"
    return 1.0, f"ask whether meeting {intro.other_name} helped (met {since} days ago)"


def rule_intro_check(person: PersonFacts, context: Context) -> Evaluation | None:
    check_after = context.settings.days("intro.check_after")
    found = [intro_value(intro, context.today, check_after) for intro in person.open_intros]
    found = [item for item in found if item[0] > 0]
    if not found:
        return None
    value, reason = max(found, key=lambda item: item[0])
    more = f" (+{len(found) - 1} more)" if len(found) > 1 else ""
    return value, reason + more


def thanked_on(person: PersonFacts) -> date | None:
    """The last day they heard from you: a touch (a meeting, call or message) or a `gave`."""
    days = [day for day in (person.last_touch, person.last_gave) if day is not None]
    return max(days) if days else None


def rule_thank(person: PersonFacts, context: Context) -> Evaluation | None:
    """Their latest `got`, when nothing reached them from you on that day or after."""
    got = person.last_got
    if got is None or got > context.today:
        return None
    thanked = thanked_on(person)
    if thanked is not None and thanked >= got:
        return None
    window = context.settings.days("thank.window")
    since = days_between(got, context.today)
    value = fresh_then_fading(since, window, context.settings.days("thank.fade"), from_day=0)
    if value == 0:
        return None
    what = f' for "{quote(person.last_got_what, 60)}"' if person.last_got_what else ""
    late = "" if since <= window else " (late: do it today)"
    return value, f"thank them{late}{what} ({relative_words(got, context.today)})"


def last_contact(person: PersonFacts) -> date | None:
    """The last day anything passed between you: a touch, a `got` or a `gave`."""
    days = [d for d in (person.last_touch, person.last_got, person.last_gave) if d is not None]
    return max(days) if days else None


def dormant_grounds(person: PersonFacts, context: Context) -> list[str]:
    """Why a dormant tie is worth waking: they helped you, they bridge, they share values."""
    grounds = []
    if person.got_count:
        grounds.append("they helped you before")
    if person.intro_count or (person.reach or 0) >= BRIDGE_REACH:
        grounds.append("a bridge to other people")
    shared = sorted(
        (tag for tag in person.tags if tag.casefold() in context.my_values), key=str.casefold
    )
    if shared:
        grounds.append("shares your values: " + ", ".join(shared))
    return grounds


def reconnect_picks(candidates: Sequence[int], today: date, per_day: int) -> frozenset[int]:
    """Today's turn among the dormant ties: ``per_day`` of them, rotating by date.

    The candidates are taken in id order, ``per_day`` at a time, one group a day,
    so every dormant tie comes round once every ``len(candidates) / per_day`` days.
    """
    ordered = sorted(set(candidates))
    if not ordered or per_day <= 0:
        return frozenset()
    if per_day >= len(ordered):
        return frozenset(ordered)
    start = today.toordinal() * per_day % len(ordered)
    return frozenset(ordered[(start + k) % len(ordered)] for k in range(per_day))


def rule_reconnect(person: PersonFacts, context: Context) -> Evaluation | None:
    """A tie untouched for years who helped, bridges or shares your values, in turn."""
    contact = last_contact(person)
    after = context.settings.days("reconnect.after")
    if contact is None or after <= 0 or days_between(contact, context.today) < after:
        return None
    grounds = dormant_grounds(person, context)
    if not grounds:
        return None
    years = days_between(contact, context.today) / 365.25
    reason = f"reconnect: last in touch {years:.1f} years ago ({contact:%b %Y}); " + "; ".join(
        grounds
    )
    if person.id not in context.reconnect_ids:
        return 0.0, reason + " (not their turn today)"
    return 1.0, reason


# --- priority factors -------------------------------------------------------


def rule_helped_me(person: PersonFacts, context: Context) -> Evaluation | None:
    if not person.got_count or person.last_got is None:
        return None
    what = f': "{quote(person.last_got_what)}"' if person.last_got_what else ""
    owed = person.last_gave is None or person.last_gave < person.last_got
    reason = f"they helped you{what} ({short_date(person.last_got)})"
    if owed:
        return 1.0, reason + "; nothing given back since"
    return 0.4, reason + "; you have given back since"


def rule_helped_well(person: PersonFacts, context: Context) -> Evaluation | None:
    count = person.helped_well_count
    if count <= 0:
        return None
    value = min(1.0, 0.5 + 0.25 * (count - 1))
    return value, f"your help landed well with them {count} time{'s' * (count != 1)}"


def reach_value(reach: int | None, intro_count: int) -> float:
    """log10 of their connections over 4 (10,000 connections = 1), plus 0.1 per intro."""
    base = math.log10(reach) / 4 if reach and reach > 1 else 0.0
    return min(1.0, base + 0.1 * intro_count)


def rule_reach(person: PersonFacts, context: Context) -> Evaluation | None:
    value = reach_value(person.reach, person.intro_count)
    if value == 0:
        return None
    parts = []
    if person.reach:
        parts.append(f"about {person.reach:,} connections")
    if person.intro_count:
        parts.append(f"in {person.intro_count} intro{'s' * (person.intro_count != 1)}")
    return value, "well connected: " + ", ".join(parts)


def rule_alignment(person: PersonFacts, context: Context) -> Evaluation | None:
    if not context.my_values:
        return None
    shared = [tag for tag in person.tags if tag.casefold() in context.my_values]
    if not shared:
        return None
    value = min(1.0, len(shared) / min(3, len(context.my_values)))
    return value, "shares your values: " + ", ".join(sorted(shared, key=str.casefold))


def rule_open_network(person: PersonFacts, context: Context) -> Evaluation | None:
    if not person.new_to_field:
        return None
    return 1.0, "new to their field: their network is still open"


Rule = Callable[[PersonFacts, Context], Evaluation | None]


def _no_params(context: Context) -> dict[str, object]:
    return {}


@dataclass(frozen=True)
class Factor:
    """One factor of the morning list, whole: everything givenet knows about it.

    ``rule`` gives the value (0 to 1) and the reason, reading only the
    ``PersonFacts`` fields named in ``facts`` (``store.ranking.gather_facts``
    fills them). ``bound`` is the SQL that `due` uses to evaluate people best
    bound first: an expression over one row of ``person`` that is never below
    the value ``rule`` gives that person (1 wherever the rule can be non-zero
    is always safe; the exact value where it is simple to know is faster). It
    may use the person's columns, ``touches.first_met`` and ``touches.last_touch``
    (filled for people met since ``:follow_up_from`` or with a cadence),
    ``aligned.shared`` (their tags among your values), ``:today`` (ISO) and the
    named parameters that ``bound_params`` gives for the day and settings.
    Being SQL text, it is data here: the store runs it, the rule stays pure.

    ``who``, for a factor few people have on a given day, is a query of the person
    ids among whom everyone with a non-zero ``bound`` is (more is allowed, fewer
    never), with the same parameters. `due` looks first at the people some such
    factor names, and at everyone only when those cannot fill the list.

    ``on``, for an action factor many people have, is the person ids whose ``bound``
    is above 0 on any day, exactly: arms ``SELECT column FROM table WHERE ...`` of a
    ``UNION``, each read in id order from an index (the partial indexes of schema 7),
    so that `due` counts its list by merging them rather than by evaluating everyone's
    bound. ``likely(...)`` around the index's condition tells SQLite that most rows
    hold it, so that it reads the partial index whole rather than look the condition
    up in another index and sort (the same condition, as the index writes it). ``within`` names an action factor whose bound is above 0 wherever this one's
    is (a match is for an open ask): while that factor has a weight, this one adds
    nobody to the list.
    """

    name: str
    kind: str  # ACTION or PRIORITY
    weight: float  # the default of `weight.<name>`
    help: str  # what the weight is for, in `givenet config`
    words: str  # the `do` column of `due`
    rule: Rule
    facts: tuple[str, ...]
    bound: str
    bound_params: Callable[[Context], dict[str, object]] = _no_params
    who: str = ""
    on: tuple[str, ...] = ()
    within: str = ""


def _follow_up_params(context: Context) -> dict[str, object]:
    span = context.settings.days("follow_up.window") + context.settings.days("follow_up.fade")
    return {"follow_up_from": (context.today - timedelta(days=span)).isoformat()}


def _cadence_params(context: Context) -> dict[str, object]:
    return {
        f"cadence_{circle}": context.settings.days(f"cadence.{circle}")
        for circle in CADENCED_CIRCLES
    }


def _ask_params(context: Context) -> dict[str, object]:
    soon = context.today + timedelta(days=context.settings.days("ask.soon"))
    return {"ask_soon": soon.isoformat()}


def _thank_params(context: Context) -> dict[str, object]:
    span = context.settings.days("thank.window") + context.settings.days("thank.fade")
    return {"thank_from": (context.today - timedelta(days=span)).isoformat()}


def _reconnect_params(context: Context) -> dict[str, object]:
    return {"reconnect_ids": json.dumps(sorted(context.reconnect_ids))}


def _birthday_params(context: Context) -> dict[str, object]:
    keys = upcoming_birthday_keys(context.today, context.settings.days("birthday.window"))
    return {"birthdays": json.dumps(keys)}


# Their cadence in days, as Settings.cadence gives it: their own, else their
# circle's; 0 (a circle's switched off) means none.
EFFECTIVE_CADENCE = (
    "COALESCE(NULLIF(person.cadence_days, 0), NULLIF(CASE person.circle "
    + " ".join(f"WHEN '{circle}' THEN :cadence_{circle}" for circle in CADENCED_CIRCLES)
    + " END, 0))"
)

_OPEN_INTRO = f"({sql_list(OPEN_INTRO_STATUSES)})"
_HELPED = f"'{IntroStatus.helped.value}'"

# The order is the order `why` prints. A new factor is one more entry here.
FACTORS: tuple[Factor, ...] = (
    Factor(
        name="follow_up",
        kind=ACTION,
        weight=10.0,
        help="first met recently, not followed up yet",
        words="Follow up",
        rule=rule_follow_up,
        facts=("first_met", "last_touch", "first_meeting"),
        bound="""CASE WHEN touches.first_met = touches.last_touch
            AND touches.first_met >= :follow_up_from AND touches.first_met < :today
            THEN 1 ELSE 0 END""",
        bound_params=_follow_up_params,
        who="""SELECT person_id FROM person_touch
            WHERE first_met >= :follow_up_from AND first_met < :today""",
    ),
    Factor(
        name="promise",
        kind=ACTION,
        weight=8.0,
        help="a promise to them is due or overdue",
        words="Keep your promise",
        rule=rule_promise,
        facts=("open_promises",),
        bound="""CASE WHEN person.id IN (SELECT person_id FROM promise
            WHERE kept_on IS NULL AND due <= :today) THEN 1 ELSE 0 END""",
        who="SELECT person_id FROM promise WHERE kept_on IS NULL AND due <= :today",
    ),
    Factor(
        name="thank",
        kind=ACTION,
        weight=6.0,
        help="they gave to you and have not been thanked",
        words="Thank them",
        rule=rule_thank,
        facts=("last_got", "last_got_what", "last_gave", "last_touch"),
        bound="""CASE WHEN person.id IN (SELECT person_id FROM give WHERE direction = 'got'
            AND date >= :thank_from AND date <= :today) THEN 1 ELSE 0 END""",
        bound_params=_thank_params,
        who="""SELECT person_id FROM give WHERE direction = 'got'
            AND date >= :thank_from AND date <= :today""",
    ),
    Factor(
        name="check_in",
        kind=ACTION,
        weight=5.0,
        help="past their check-in cadence",
        words="Check in",
        rule=rule_check_in,
        facts=("circle", "cadence_days", "last_touch"),
        bound=f"""CASE WHEN {EFFECTIVE_CADENCE} IS NOT NULL AND (touches.last_touch IS NULL
            OR julianday(:today) - julianday(touches.last_touch) > {EFFECTIVE_CADENCE})
            THEN 1 ELSE 0 END""",
        bound_params=_cadence_params,
        # Those with a cadence (``ix_person_cadenced``), unless their kept last touch
        # (the last, if not dated after today) says they are within it.
        who=f"""SELECT person.id FROM person
            LEFT JOIN person_touch ON person_touch.person_id = person.id
            WHERE (person.cadence_days IS NOT NULL OR person.circle IN ({sql_list(CADENCED_CIRCLES)}))
            AND (person_touch.last_touch IS NULL OR person_touch.last_touch > :today
                OR julianday(:today) - julianday(person_touch.last_touch) > {EFFECTIVE_CADENCE})""",
    ),
    Factor(
        name="intro_check",
        kind=ACTION,
        weight=4.0,
        help="an intro waits on you, or its outcome is unknown",
        words="Follow the intro",
        rule=rule_intro_check,
        facts=("open_intros",),
        bound=f"""CASE WHEN person.id IN (SELECT person_a_id FROM intro WHERE status IN
            {_OPEN_INTRO} UNION SELECT person_b_id FROM intro WHERE status IN {_OPEN_INTRO})
            THEN 1 ELSE 0 END""",
        on=(
            f"SELECT person_a_id FROM intro WHERE likely(status IN {_OPEN_INTRO})",
            f"SELECT person_b_id FROM intro WHERE likely(status IN {_OPEN_INTRO})",
        ),
    ),
    Factor(
        name="open_ask",
        kind=ACTION,
        weight=4.0,
        help="they have an open ask",
        words="Help with their ask",
        rule=rule_open_ask,
        facts=("open_asks",),
        bound="""CASE WHEN person.id IN (SELECT person_id FROM ask WHERE status = 'open'
            AND (urgent OR due <= :ask_soon)) THEN 1
            WHEN person.id IN (SELECT person_id FROM ask WHERE status = 'open') THEN 0.5
            ELSE 0 END""",
        bound_params=_ask_params,
        on=("SELECT person_id FROM ask WHERE likely(status = 'open')",),
    ),
    Factor(
        name="can_match",
        kind=ACTION,
        weight=3.5,
        help="someone in your network offers what they ask",
        words="Introduce them",
        rule=rule_can_match,
        facts=("best_match",),
        bound="""CASE WHEN person.id IN (SELECT person_id FROM ask WHERE status = 'open'
            AND EXISTS (SELECT 1 FROM match_candidate WHERE match_candidate.ask_id = ask.id))
            THEN 1 ELSE 0 END""",
        on=(
            "SELECT person_id FROM ask WHERE likely(status = 'open') "
            "AND EXISTS (SELECT 1 FROM match_candidate WHERE match_candidate.ask_id = ask.id)",
        ),
        within="open_ask",
    ),
    Factor(
        name="birthday",
        kind=ACTION,
        weight=3.0,
        help="birthday within the next few days",
        words="Wish a happy birthday",
        rule=rule_birthday,
        facts=("birthday",),
        bound="""CASE WHEN substr(person.birthday, length(person.birthday) - 4) IN
            (SELECT value FROM json_each(:birthdays)) THEN 1 ELSE 0 END""",
        bound_params=_birthday_params,
        who="""SELECT id FROM person
            WHERE substr(birthday, length(birthday) - 4) IN
            (SELECT value FROM json_each(:birthdays))""",
    ),
    Factor(
        name="reconnect",
        kind=ACTION,
        weight=1.5,
        help="a dormant tie worth waking (a few a day, in turn)",
        words="Reconnect",
        rule=rule_reconnect,
        facts=("last_touch", "last_got", "last_gave", "got_count", "intro_count", "reach", "tags"),
        # Only today's turn can be non-zero: the store picks it before ranking.
        bound="""CASE WHEN person.id IN
            (SELECT CAST(value AS INTEGER) FROM json_each(:reconnect_ids)) THEN 1 ELSE 0 END""",
        bound_params=_reconnect_params,
        who="SELECT CAST(value AS INTEGER) FROM json_each(:reconnect_ids)",
    ),
    Factor(
        name="helped_me",
        kind=PRIORITY,
        weight=2.0,
        help="they gave to you",
        words="Give back",
        rule=rule_helped_me,
        facts=("got_count", "last_got", "last_got_what", "last_gave"),
        bound="""CASE WHEN person.id IN (SELECT person_id FROM give
            WHERE direction = 'got' AND date <= :today) THEN 1 ELSE 0 END""",
    ),
    Factor(
        name="helped_well",
        kind=PRIORITY,
        weight=1.5,
        help="your gifts or intros for them turned out well",
        words="Helped well before",
        rule=rule_helped_well,
        facts=("helped_well_count",),
        bound=f"""CASE WHEN person.id IN (SELECT person_id FROM give WHERE direction = 'gave'
            AND ask_id IS NOT NULL UNION SELECT person_a_id FROM intro WHERE status = {_HELPED}
            UNION SELECT person_b_id FROM intro WHERE status = {_HELPED}) THEN 1 ELSE 0 END""",
    ),
    Factor(
        name="alignment",
        kind=PRIORITY,
        weight=1.5,
        help="their tags overlap your values",
        words="Shares your values",
        rule=rule_alignment,
        facts=("tags",),
        # The rule's own value, rounded to four decimals as evaluate() rounds it.
        bound="""MIN(1.0, ROUND(1.0 * COALESCE(aligned.shared, 0)
            / MAX(1.0, MIN(3.0, (SELECT COUNT(*) FROM me_tag))), 4))""",
    ),
    Factor(
        name="reach",
        kind=PRIORITY,
        weight=1.0,
        help="their own network is large",
        words="Well connected",
        rule=rule_reach,
        facts=("reach", "intro_count"),
        bound="""CASE WHEN person.reach > 1 OR person.id IN (SELECT person_a_id FROM intro
            UNION SELECT person_b_id FROM intro) THEN 1 ELSE 0 END""",
    ),
    Factor(
        name="open_network",
        kind=PRIORITY,
        weight=1.0,
        help="new to their field",
        words="New to their field",
        rule=rule_open_network,
        facts=("new_to_field",),
        bound="CASE WHEN person.new_to_field THEN 1 ELSE 0 END",
    ),
)

# Views of FACTORS, for the code that wants one column of it.
FACTOR_NAMES = tuple(factor.name for factor in FACTORS)
ACTION_FACTORS = tuple(factor.name for factor in FACTORS if factor.kind == ACTION)
FACTOR_WORDS = {factor.name: factor.words for factor in FACTORS}

# Every setting: key -> (default, unit, help). Units: "weight" (a number) or "days".
CONFIG_DEFAULTS: dict[str, tuple[float, str, str]] = {
    **{f"weight.{factor.name}": (factor.weight, "weight", factor.help) for factor in FACTORS},
    **DURATIONS,
}


def evaluate(person: PersonFacts, context: Context) -> Ranked:
    """Every factor for one person, zero or not (what `why` shows)."""
    results = []
    for factor in FACTORS:
        outcome = factor.rule(person, context)
        value, reason = outcome if outcome else (0.0, "")
        results.append(
            FactorResult(
                name=factor.name,
                kind=factor.kind,
                value=round(max(0.0, min(1.0, value)), 4),
                weight=context.settings.weight(factor.name),
                reason=reason,
            )
        )
    return Ranked(id=person.id, name=person.name, factors=tuple(results))


def rank(
    people: list[PersonFacts], context: Context, *, include_priority_only: bool = False
) -> list[Ranked]:
    """The morning list: people with something to do, best first, ties by name.

    With ``include_priority_only`` (``due --all``) people whose only factors are
    priorities appear too. Snoozed people are left out by the store.
    """
    ranked = []
    for person in people:
        result = evaluate(person, context)
        active = result.active_factors
        if not active:
            continue
        if not include_priority_only and not any(f.kind == ACTION for f in active):
            continue
        ranked.append(result)
    ranked.sort(key=rank_key)
    return ranked


def rank_key(ranked: Ranked) -> tuple[float, str, int]:
    """Best score first; ties by name regardless of case, then by id."""
    return (-round(ranked.score, 6), ranked.name.casefold(), ranked.id)


def upcoming_birthday_keys(today: date, window: int) -> list[str]:
    """The "MM-DD" endings of stored birthdays that fall within the window."""
    keys = []
    for offset in range(window + 1):
        day = today + timedelta(days=offset)
        keys.append(f"{day.month:02d}-{day.day:02d}")
        if day.month == 2 and day.day == 28 and not _is_leap(day.year):
            keys.append("02-29")
    return keys


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
