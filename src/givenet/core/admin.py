"""Settings and housekeeping: config, demo.

`config` reads on a plain sqlite3 connection; setting or resetting a value, and
building the demo, are one write transaction each.
"""

from __future__ import annotations

import os
from datetime import date, datetime

from givenet.core.network import Network, reading, sql, today_or, writing
from givenet.errors import Conflict, InvalidInput
from givenet.records.admin import DemoNetwork, SettingEntry, Whoami

__all__ = [
    "DemoNetwork",
    "SettingEntry",
    "Whoami",
    "get_setting",
    "list_settings",
    "make_demo",
    "parse_setting",
    "reset_setting",
    "set_setting",
    "whoami",
]


def list_settings(network: Network) -> list[SettingEntry]:
    """Every weight, cadence and window of the morning list: value, default, what it does."""
    from givenet.store.config import all_settings

    with reading(network) as connection:
        return all_settings(connection)


def get_setting(network: Network, key: str) -> SettingEntry:
    """One setting, e.g. ``"weight.follow_up"`` or ``"cadence.inner"``."""
    from givenet.store.config import all_settings

    with reading(network) as connection:
        return _entry(all_settings(connection), key)


def parse_setting(key: str, text: str) -> float:
    """What a setting's value means: days for a duration (``"21d"``, ``"3w"``), else a number."""
    from givenet import dates
    from givenet.store.config import unit_of

    if unit_of(key) == "days":
        return dates.parse_duration(text)
    try:
        return float(text)
    except ValueError:
        raise InvalidInput(f"{key} is a number, not {text!r}") from None


def set_setting(network: Network, key: str, value: str | float) -> SettingEntry:
    """Change one setting; ``value`` is a number, or text as `config` takes it ("3w", "2.5").

    Values that would break the ranking (negative, fractional days, huge weights,
    a zero snooze) are refused with the reason.
    """
    from givenet.store.config import all_settings, set_value

    parsed = parse_setting(key, value) if isinstance(value, str) else float(value)
    with writing(network) as db_session:
        set_value(db_session, key, parsed)
        return _entry(all_settings(sql(db_session)), key)


def reset_setting(network: Network, key: str) -> SettingEntry:
    """Put one setting back to its default."""
    from givenet.store.config import all_settings, reset_value

    with writing(network) as db_session:
        reset_value(db_session, key)
        return _entry(all_settings(sql(db_session)), key)


def _entry(listing: list[SettingEntry], key: str) -> SettingEntry:
    for entry in listing:
        if entry.key == key:
            return entry
    raise InvalidInput(f"unknown setting {key!r}; `givenet config` lists them all")


def make_demo(
    network: Network | None = None,
    *,
    today: date | None = None,
    now: datetime | None = None,
    limit: int = 10,
) -> DemoNetwork:
    """Build the sample network (the essay's restaurant), dated around ``today``.

    ``network`` is filled only if it holds nobody yet. Without one it is the network
    of ``$GIVENET_DB`` when that is set, else ``demo/demo.db`` in the app folder,
    replaced afresh by each demo (``now`` is kept for callers; it no longer names it).
    The result holds the morning list of the new network, top ``limit`` people.
    """
    from givenet.demo import build_demo
    from givenet.store.people import has_people
    from givenet.store.ranking import ranked_due, ranking_context

    chosen = network or _demo_network(now or datetime.now())
    day = today_or(today)
    with writing(chosen) as db_session:
        if has_people(sql(db_session)):
            raise Conflict(
                f"{chosen} already holds people; the demo fills only an empty database "
                "(run `givenet demo` without --db for a fresh one)"
            )
        written = build_demo(db_session, day)
        connection = sql(db_session)
        shown, on_list = ranked_due(
            connection, ranking_context(connection, day), include_all=False, limit=limit
        )
    from givenet.records.ranking import MorningList

    return DemoNetwork(
        path=chosen.path,
        people=written["person"],
        events=written["event"],
        meetings=written["meeting"],
        asks=written["ask"],
        offers=written["offer"],
        due=MorningList(day=day, people=tuple(shown), on_list=on_list),
    )


def _demo_network(now: datetime) -> Network:
    """The demo's own network: $GIVENET_DB's, else the app folder's ``demo/demo.db``,
    replaced by each new demo so that trying it twice leaves one file behind."""
    from givenet.db import DB_ENV

    if os.environ.get(DB_ENV):
        return Network.default()
    chosen = Network.default().path.parent / "demo" / "demo.db"
    for leftover in (chosen, *(chosen.with_name(chosen.name + end) for end in ("-wal", "-shm"))):
        leftover.unlink(missing_ok=True)
    return Network(chosen)


def whoami(network: Network) -> Whoami:
    """Who this givenet writes as, and who has written to the network (read only; a
    network not created yet has no members)."""
    from givenet.store.members import members

    member = network.member
    listed: tuple[str, ...] = ()
    if network.on_postgres or network.path.exists():
        with reading(network) as connection:
            listed = tuple(members(connection))
    return Whoami(
        member=member,
        network=str(network),
        engine="postgresql" if network.on_postgres else "sqlite",
        members=listed,
    )
