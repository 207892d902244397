"""The record of `givenet graph`: the people, the edges between them, and the drawing."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class GraphPerson:
    id: int
    name: str
    circle: str
    reach: int | None = None
    intro_count: int = 0
    org: str | None = None
    role: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GraphEdge:
    """An intro between two people (``status`` is its status), or a meeting at the
    same event (``kind`` "event", ``status`` the event's name)."""

    a: int
    b: int
    kind: str
    status: str


@dataclass(frozen=True, slots=True)
class NetworkGraph:
    people: tuple[GraphPerson, ...]
    edges: tuple[GraphEdge, ...]
    bridges: tuple[int, ...]  # ids of the people whose leaving would split a part of it


@dataclass(frozen=True, slots=True)
class GraphDocument:
    """`graph`: the drawing in one format, and how much it holds."""

    format: str
    text: str
    people: int
    edges: int
    bridges: int
