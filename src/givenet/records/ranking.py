"""Records of the morning list: the ranked people and how many are due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from givenet.rules import Ranked


@dataclass(frozen=True, slots=True)
class MorningList:
    """The best ``limit`` people due on ``day``, exactly ranked, best first.

    ``on_list`` is how many people are on the list in all, as an upper bound:
    people past the limit whose best possible score could not reach it were not
    evaluated (see docs/ranking.md, "best bound first").
    """

    day: date
    people: tuple[Ranked, ...]
    on_list: int

    def as_json(self) -> list[dict[str, object]]:
        return [person.as_dict() for person in self.people]
