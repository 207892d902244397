"""`givenet review`: the weekly give-first review, read on a plain sqlite3 connection."""

from __future__ import annotations

from datetime import date

from givenet.core.network import Network, reading, today_or
from givenet.records.review import WeeklyReview

__all__ = ["WeeklyReview", "weekly_review"]


def weekly_review(network: Network, *, today: date | None = None) -> WeeklyReview:
    """The seven days ending ``today``: what you gave and got, intros waiting and their
    outcomes, promises kept and late, asks met, one dormant tie to wake, circles over
    capacity, and giving per week over the last twelve weeks.

        >>> review = weekly_review(Network("givenet.db"))
        >>> [line.person.name for line in review.gave]
    """
    from givenet.store.review import weekly_review as review

    day = today_or(today)
    with reading(network) as connection:
        return review(connection, day)
