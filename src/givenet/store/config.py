"""`givenet config`: weights, cadences and windows stored in the ``setting`` table."""

from __future__ import annotations

import math
import sqlite3
from typing import TYPE_CHECKING

from givenet.errors import InvalidInput
from givenet.rules import CONFIG_DEFAULTS, Settings
from givenet.store.sql import rows

if TYPE_CHECKING:
    from sqlmodel import Session

    from givenet.records.admin import SettingEntry


LARGEST_WEIGHT = 1000.0
LARGEST_COUNT = 100
WHOLE_UNITS = ("days", "count")
# Settings where zero would make a command do nothing at all.
AT_LEAST_A_DAY = ("snooze.default", "promise.default")


def _check_key(key: str) -> str:
    if key not in CONFIG_DEFAULTS:
        raise InvalidInput(f"unknown setting {key!r}; `givenet config` lists them all")
    return key


def load_settings(db: sqlite3.Connection) -> Settings:
    stored = {key: float(value) for key, value in rows(db, "SELECT key, value FROM setting")}
    return Settings.with_overrides(stored)


def set_value(session: Session, key: str, value: float) -> None:
    """Store one setting; ``value`` is already parsed (a weight, or days)."""
    _check_key(key)
    if not math.isfinite(value) or value < 0:
        raise InvalidInput(f"{key} is a number of 0 or more")
    unit = CONFIG_DEFAULTS[key][1]
    if unit == "days" and value != int(value):
        raise InvalidInput(f"{key} is a whole number of days")
    if unit == "count" and (value != int(value) or value > LARGEST_COUNT):
        raise InvalidInput(f"{key} is a whole number from 0 to {LARGEST_COUNT}")
    if unit == "weight" and value > LARGEST_WEIGHT:
        raise InvalidInput(f"{key} is at most {LARGEST_WEIGHT:g}")
    if key in AT_LEAST_A_DAY and value < 1:
        raise InvalidInput(f"{key} is at least one day")
    from givenet.models import Setting

    setting = session.get(Setting, key) or Setting(key=key, value="")
    setting.value = repr(float(value))
    session.add(setting)
    session.flush()


def reset_value(session: Session, key: str) -> None:
    from givenet.models import Setting

    setting = session.get(Setting, _check_key(key))
    if setting is not None:
        session.delete(setting)
        session.flush()


def unit_of(key: str) -> str:
    return CONFIG_DEFAULTS[_check_key(key)][1]


def all_settings(db: sqlite3.Connection) -> list[SettingEntry]:
    """Every key with its value, its default and what it is for (whole days for durations)."""
    from givenet.records.admin import SettingEntry

    current = load_settings(db).values
    result = []
    for key, (default, unit, help_text) in CONFIG_DEFAULTS.items():
        value = current[key]
        result.append(
            SettingEntry(
                key=key,
                value=int(value) if unit in WHOLE_UNITS else value,
                default=int(default) if unit in WHOLE_UNITS else default,
                unit=unit,
                changed=value != default,
                help=help_text,
            )
        )
    return result
