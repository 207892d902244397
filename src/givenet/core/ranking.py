"""The morning list and its explanation: `due` and `why`.

Both read on a plain sqlite3 connection: no SQLAlchemy is imported.
"""

from __future__ import annotations

from datetime import date

from givenet.core.network import Network, reading, today_or
from givenet.records.ranking import MorningList
from givenet.rules import Ranked

__all__ = ["MorningList", "Ranked", "explain", "morning_list"]


def morning_list(
    network: Network,
    *,
    today: date | None = None,
    limit: int = 10,
    include_all: bool = False,
    team: bool = False,
) -> MorningList:
    """Whom to follow up, check in with or help on ``today``, best first.

    ``include_all`` adds people with only priority factors (nothing to do today).
    On a network several members write to, the list is the member's own (the people
    they are in touch with, and those nobody has met yet) unless ``team``; a
    personal file's list is always everyone's.

        >>> due = morning_list(Network("givenet.db"), limit=5)
        >>> [(person.name, person.top_action.name) for person in due.people]
    """
    from givenet.store.ranking import ranked_due, ranking_context

    day = today_or(today)
    with reading(network) as connection:
        context = ranking_context(connection, day)
        among = None
        if not team:
            from givenet.store.members import people_of, several

            if several(connection):
                among = people_of(connection, network.member)
        shown, on_list = ranked_due(
            connection, context, include_all=include_all, limit=limit, among=among
        )
    return MorningList(day=day, people=tuple(shown), on_list=on_list)


def explain(network: Network, person: str, *, today: date | None = None) -> Ranked:
    """Every factor of one person's score on ``today``: value, weight, contribution, reason.

    ``person`` is a name, a unique part of one, or an id like ``"#12"``.
    """
    from givenet.store.lookup import resolve_named
    from givenet.store.profile import score_person

    day = today_or(today)
    with reading(network) as connection:
        person_id, _ = resolve_named(connection, "person", person, "person")
        return score_person(connection, person_id, day)
