"""Records of the tag vocabulary: where each tag is used, and a rename."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TagUse:
    """A tag of the vocabulary and how often each kind of record carries it."""

    id: int
    name: str
    people: int
    asks: int
    offers: int
    events: int
    yours: bool  # one of your own values
    total: int
    # A near-duplicate of a more used tag (the same word stemmed, or the same need):
    # the tag to merge it into, why, and the command that merges them.
    merge_into: str | None = None
    because: str | None = None
    merge: str | None = None


@dataclass(frozen=True, slots=True)
class TagRenamed:
    """`tag rename`: the tag's old and new names; ``merged`` when an existing tag absorbed it."""

    old: str
    new: str
    merged: bool
