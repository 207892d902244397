"""`givenet draft`: message drafts from what givenet knows, filled into template files.

Read-only, on a plain sqlite3 connection. The templates are givenet's own
(``givenet/templates/NAME.txt``) unless the app folder holds a file of that name
(``templates/NAME.txt`` under the folder `givenet config` names): then yours.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from givenet.core.network import Network, reading, today_or
from givenet.errors import InvalidInput
from givenet.records.drafts import Draft, DraftPart

__all__ = ["Draft", "DraftPart", "draft_message", "templates_folder"]


def templates_folder() -> Path:
    """Where your own templates go: a file there replaces givenet's of the same name."""
    from givenet.db import app_folder

    return app_folder() / "templates"


def _template(name: str) -> tuple[str, str]:
    """(text, where it came from) of one template: yours, else givenet's."""
    yours = templates_folder() / f"{name}.txt"
    if yours.is_file():
        try:
            return yours.read_text(encoding="utf-8"), str(yours)
        except (OSError, UnicodeDecodeError) as problem:
            raise InvalidInput(f"cannot read your template {yours}: {problem}") from None
    from importlib.resources import files

    return (files("givenet") / "templates" / f"{name}.txt").read_text(encoding="utf-8"), (
        f"givenet:templates/{name}.txt"
    )


def draft_message(
    network: Network,
    kind: str,
    person: str,
    *,
    other: str | None = None,
    ask: str | None = None,
    today: date | None = None,
) -> Draft:
    """A message to ``person`` of ``kind`` (follow-up, check-in, thanks or intro).

    ``intro`` needs ``other`` (the person to introduce them to) and takes ``ask``
    (``"#3"``, the ask it is for; else the best match between the two): two opt-in
    messages first, then the joint introduction once both said yes.

        >>> draft_message(Network("givenet.db"), "follow-up", "Priya").parts[0].text
    """
    from givenet import drafting
    from givenet.store.drafting import asker_of, best_offer_for, best_pair, intro_ask, person_brief
    from givenet.store.lookup import resolve_named

    if kind not in drafting.KINDS:
        raise InvalidInput(f"unknown draft {kind!r}; one of {', '.join(drafting.KINDS)}")
    if kind != "intro" and (other is not None or ask is not None):
        raise InvalidInput("only an intro draft takes a second person or --for")
    day = today_or(today)
    with reading(network) as connection:
        person_id, _ = resolve_named(connection, "person", person, "person")
        if kind != "intro":
            brief = person_brief(connection, person_id, day)
            values = {
                "follow-up": drafting.follow_up_values,
                "check-in": drafting.check_in_values,
                "thanks": drafting.thanks_values,
            }[kind](brief, day)
            text, source = _template(kind)
            when = "now"
            return Draft(
                kind=kind,
                parts=(DraftPart(to=brief.name, when=when, text=drafting.fill(text, values)),),
                templates=(source,),
            )
        if other is None:
            raise InvalidInput("an intro draft names two people: givenet draft intro A B")
        other_id, _ = resolve_named(connection, "person", other, "person")
        if other_id == person_id:
            raise InvalidInput("an introduction needs two different people")
        chosen = (
            intro_ask(connection, ask, person_id, other_id)
            if ask is not None
            else best_pair(connection, person_id, other_id)
        )
        asker_id, helper_id = person_id, other_id
        if chosen is not None and asker_of(connection, chosen.id) == other_id:
            asker_id, helper_id = other_id, person_id
        asker = person_brief(connection, asker_id, day)
        helper = person_brief(connection, helper_id, day)
        chosen, offer = best_offer_for(connection, helper_id, chosen)
    to_asker, to_helper, joint = drafting.intro_values(asker, helper, chosen, offer)
    ask_text, ask_source = _template("intro-ask")
    joint_text, joint_source = _template("intro-joint")
    return Draft(
        kind=kind,
        parts=(
            DraftPart(to=asker.name, when="first: ask", text=drafting.fill(ask_text, to_asker)),
            DraftPart(to=helper.name, when="first: ask", text=drafting.fill(ask_text, to_helper)),
            DraftPart(
                to=f"{asker.name} and {helper.name}",
                when="once both said yes",
                text=drafting.fill(joint_text, joint),
            ),
        ),
        templates=(ask_source, joint_source),
    )
