"""Event briefings: conversation openers and follow-up states, pure functions over plain values.

Openers are questions built from what the user knows of a person (what they
ask for, what they talked about last time, their interests, their work), so a
conversation starts from them rather than from an elevator pitch.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

MAX_OPENERS = 3


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split()).rstrip(".")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def openers(
    *,
    asks: Sequence[str] = (),
    last_note: str | None = None,
    tags: Sequence[str] = (),
    role: str | None = None,
    org: str | None = None,
    shared_topics: Sequence[str] = (),
) -> list[str]:
    """Two or three questions about them, most personal first."""
    questions = []
    if asks:
        questions.append(f'How is it going with "{_short(asks[0])}"? Has anything come up?')
    if last_note:
        questions.append(f'Last time: "{_short(last_note)}". How did that turn out?')
    interest = next(iter(shared_topics), None) or next(iter(tags), None)
    if interest:
        questions.append(f"What got you into {interest}, and what are you working on in it now?")
    if org:
        questions.append(f"What is taking most of your time at {org} these days?")
    elif role:
        questions.append(f"What is the hardest part of being a {role.lower()} right now?")
    return questions[:MAX_OPENERS]


def follow_up_state(met_on: date, last_touch: date | None, today: date, window: int) -> str:
    """done (touched after the event), pending (inside the window) or overdue."""
    if last_touch is not None and last_touch > met_on:
        return "done"
    if (today - met_on).days <= window:
        return "pending"
    return "overdue"
