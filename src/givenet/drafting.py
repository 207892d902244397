"""Message drafts from what givenet knows: pure functions, no DB, no clock, no files.

A draft is a template (``$name`` placeholders, ``string.Template``) filled with
phrases built here from a ``PersonBrief``. A phrase givenet has nothing for is
empty, and a line left empty by it disappears, so one template reads well with
or without a note, an ask or a promise. The templates themselves are files
(``givenet/templates/*.txt``, or yours in the app folder): the core reads them.
"""

from __future__ import annotations

import re
from datetime import date
from string import Template

from givenet.records.drafts import AskBrief, MeetingBrief, PersonBrief

KINDS = ("follow-up", "check-in", "thanks", "intro")
# Every template a kind uses, by file name (without .txt).
TEMPLATES = {
    "follow-up": ("follow-up",),
    "check-in": ("check-in",),
    "thanks": ("thanks",),
    "intro": ("intro-ask", "intro-joint"),
}

# What you did together, after "It was good to".
KIND_VERBS = {
    "meeting": "meet you",
    "coffee": "have coffee with you",
    "call": "talk with you",
    "message": "hear from you",
    "email": "hear from you",
    "meal": "share a meal with you",
    "event": "meet you",
    "other": "meet you",
}
KIND_NOUNS = {
    "meeting": "our meeting",
    "coffee": "our coffee",
    "call": "our call",
    "message": "our messages",
    "email": "our emails",
    "meal": "our meal",
    "event": "meeting you",
    "other": "meeting you",
}
_SENTENCE = re.compile(r"[^.!?;]*\?")


def first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


def when_words(day: date, today: date) -> str:
    """ "today", "yesterday", "on Monday" within a week, else "on 3 November"."""
    days = (today - day).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if 1 < days < 7:
        return f"on {day:%A}"
    year = f" {day.year}" if day.year != today.year else ""
    return f"on {day.day} {day:%B}{year}"


def due_words(day: date, today: date) -> str:
    days = (day - today).days
    if days < 0:
        return "I'm sorry it has taken me a while"
    if days == 0:
        return "today"
    return f"by {day.day} {day:%B}"


def one_line(text: str) -> str:
    return " ".join(text.split())


def lower_first(text: str) -> str:
    """``Introduced me to…`` -> ``introduced me to…``; an acronym or name stays."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def noted_question(person: PersonBrief) -> str | None:
    """The first question in your notes about them (newest note first), if any."""
    for note in person.notes:
        found = _SENTENCE.search(note)
        if found and len(found.group().strip()) > 2:
            return one_line(found.group().strip())
    return None


def where_met(meeting: MeetingBrief, today: date) -> str:
    """ "meet you at Impact Mixer on Thursday", "have coffee with you yesterday"."""
    when = when_words(meeting.day, today)
    if meeting.event_name:
        return f"meet you at {meeting.event_name} {when}"
    return f"{KIND_VERBS.get(meeting.kind, 'meet you')} {when}"


def describe(person: PersonBrief) -> str:
    """ " (Organiser at Neighbourhood Supper Club)", or "" when nothing is known."""
    if person.role and person.org:
        return f" ({person.role} at {person.org})"
    if person.role or person.org:
        return f" ({person.role or person.org})"
    return ""


def ask_line(person: PersonBrief) -> str:
    if not person.open_asks:
        return ""
    ask = person.open_asks[0]
    return (
        f'You mentioned what you are looking for: "{one_line(ask.text)}". '
        "I'll keep it in mind and tell you if I come across someone who can help."
    )


def promise_line(person: PersonBrief, today: date) -> str:
    if not person.open_promises:
        return ""
    promise = person.open_promises[0]
    return f'As promised: "{one_line(promise.text)}" ({due_words(promise.due, today)}).'


def follow_up_values(person: PersonBrief, today: date) -> dict[str, str]:
    meeting = person.first_meeting
    note = meeting.note if meeting and meeting.note else None
    question = noted_question(person)
    next_step = promise_line(person, today) or (
        "Would you like to carry on the conversation over a coffee in the next couple of weeks?"
    )
    return {
        **_names(person),
        "where_met": where_met(meeting, today) if meeting else "meet you",
        "event": meeting.event_name or "" if meeting else "",
        "quote_line": f'I keep thinking about what we talked about: "{one_line(note)}".'
        if note
        else "",
        "question_line": f"I meant to ask you: {question}" if question else "",
        "ask_line": ask_line(person),
        "next_step_line": next_step,
    }


def check_in_values(person: PersonBrief, today: date) -> dict[str, str]:
    last = person.last_meeting
    if last is None:
        last_touch = "we were last in touch"
    elif last.event_name:
        last_touch = f"we met at {last.event_name} {when_words(last.day, today)}"
    else:
        last_touch = f"{KIND_NOUNS.get(last.kind, 'we last met')} {when_words(last.day, today)}"
    note = last.note if last and last.note else None
    return {
        **_names(person),
        "last_touch": last_touch,
        "last_note_line": f'Last time we talked about "{one_line(note)}".' if note else "",
        "ask_line": (
            f'How is "{one_line(person.open_asks[0].text)}" going? If I can help, tell me.'
            if person.open_asks
            else ""
        ),
        "promise_line": promise_line(person, today),
        "question_line": (
            f"I meant to ask you: {question}" if (question := noted_question(person)) else ""
        ),
    }


def thanks_values(person: PersonBrief, today: date) -> dict[str, str]:
    got = person.last_got
    what = lower_first(one_line(got.what)).rstrip(".") if got else ""
    offer_back = (
        f'And if I can help with "{one_line(person.open_asks[0].text)}", just say.'
        if person.open_asks
        else "If there is ever anything I can do for you, just say."
    )
    return {
        **_names(person),
        "what": what or "your help",
        "when": when_words(got.day, today) if got else "",
        "thanks_line": (
            f'Thank you so much for what you did {when_words(got.day, today)}: "{one_line(got.what)}".'
            if got
            else "Thank you so much for your help."
        ),
        "offer_back_line": offer_back,
    }


def intro_values(
    asker: PersonBrief, helper: PersonBrief, ask: AskBrief | None, offer: str | None
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """The values of the asker's opt-in, the helper's opt-in, and the joint introduction."""
    need = f'this: "{one_line(ask.text)}"' if ask else None
    gives = f'"{one_line(offer)}"' if offer else None
    to_asker = {
        **_names(asker),
        "other_name": helper.name,
        "other_desc": describe(helper),
        "reason_line": (
            f"You mentioned you are looking for {need}"
            + (f", and {first_name(helper.name)} offers {gives}." if gives else ".")
            if need
            else "I think the two of you would get a lot out of meeting."
        ),
    }
    to_helper = {
        **_names(helper),
        "other_name": asker.name,
        "other_desc": describe(asker),
        "reason_line": (
            f"{first_name(asker.name)} is looking for {need}"
            + (f", and I thought of you because you offer {gives}." if gives else ".")
            if need
            else "I think the two of you would get a lot out of meeting."
        ),
    }
    joint = {
        "a_name": asker.name,
        "a_first": first_name(asker.name),
        "a_desc": describe(asker),
        "b_name": helper.name,
        "b_first": first_name(helper.name),
        "b_desc": describe(helper),
        "a_line": f"{first_name(asker.name)} is looking for {need}." if need else "",
        "b_line": f"{first_name(helper.name)} offers {gives}." if gives else "",
    }
    return to_asker, to_helper, joint


def _names(person: PersonBrief) -> dict[str, str]:
    return {"name": person.name, "first_name": first_name(person.name)}


def fill(template: str, values: dict[str, str]) -> str:
    """The template with its ``$names`` filled; a line that only held empty ones is
    dropped, and blank lines never pile up. An unknown ``$name`` stays as written."""
    lines = []
    for raw in template.splitlines():
        filled = Template(raw).safe_substitute(values)
        if raw.strip() and not filled.strip():
            continue  # a line of empty phrases
        lines.append(filled.rstrip())
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return text + "\n"
