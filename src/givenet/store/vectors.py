"""Asks' and offers' vectors of meaning, stored when they are written and read by matching.

With the meaning extra installed (``givenet.meaning_model``), every ask and offer
indexed gets a row in ``ask_vector`` / ``offer_vector``: its text's unit vector
(float16, 512 bytes) and its hub. Matching then reads them, never the model: a pass
reads the vectors of the asks it scores and of their candidate offers, each once, and
gives each pair's closeness to ``matching.with_closeness``: closeness re-ranks and
vetoes what words, tags and phrases found; it never proposes a pair alone (a static
model of word pieces finds "van" close to "vanilla").

A vector goes with its ask or offer (the tables' ``ON DELETE CASCADE``: ``forget``
erases it). ``GIVENET_MEANING=off`` in the environment leaves the vectors out (and drops those of
what is written meanwhile): the words-and-phrases matcher alone, as without the
extra. A pair is scored with closeness only when both sides have a vector.
"""

from __future__ import annotations

import functools
import hashlib
import math
import operator
import os
import sqlite3
from array import array
from collections.abc import Iterable, Mapping, Sequence
from importlib.util import find_spec
from typing import Any

from givenet.matching import closeness
from givenet.meaning_model import DIMENSIONS, ROW
from givenet.store.sql import execute, placeholders, rows
from givenet.vocab import chunks

# kind: (table, its key column, the table its rows belong to)
TABLES = {
    "ask": ("ask_vector", "ask_id", "ask"),
    "offer": ("offer_vector", "offer_id", "offer"),
}
ENCODED_AT_ONCE = 5000  # texts encoded in one batch
# Closeness is kept to this many digits: a pass's matrix product and one pair's product
# add in other orders, and must give one score.
DIGITS = 4
SCALE = 10.0**DIGITS
PLAIN_PAIRS = 5000  # pairs a pass scores in plain Python before it turns to numpy


@functools.cache
def _installed() -> bool:
    return all(find_spec(name) is not None for name in ("numpy", "wordllama"))


def closeness_on() -> bool:
    """Whether asks and offers get vectors: the meaning extra is installed, and
    ``GIVENET_MEANING`` is not ``off``."""
    return os.environ.get("GIVENET_MEANING", "").strip().lower() != "off" and _installed()


@functools.cache
def _model() -> Any:
    from givenet.meaning_model import MeaningModel

    return MeaningModel.load()


def _loaded() -> Any:
    """The model; a command that cannot load it fails with one line (a write writes
    nothing), naming the way to go on without it."""
    from givenet.meaning_model import ModelMissing

    try:
        return _model()
    except ModelMissing as error:
        raise ModelMissing(
            f"{error} (GIVENET_MEANING=off matches by words and phrases alone)"
        ) from error


def store_vectors(
    db: sqlite3.Connection, kind: str, ids: Sequence[int], *, fresh: bool = False
) -> None:
    """Encode these asks' or offers' texts and store their vectors (none when closeness
    is off: a vector left from before would no longer say what the text says).
    ``fresh``: the table was just emptied (a rebuild), nothing to delete first."""
    table, key, owner = TABLES[kind]
    on = closeness_on()
    for chunk in chunks(list(ids), ENCODED_AT_ONCE):
        marks = placeholders(len(chunk))
        if not fresh:
            execute(db, f"DELETE FROM {table} WHERE {key} IN ({marks})", chunk)
        if not on:
            continue
        found = rows(db, f"SELECT id, text FROM {owner} WHERE id IN ({marks})", chunk)
        if not found:
            continue
        encoded = _loaded().encode([text for _, text in found], kind=kind)
        db.executemany(
            f"INSERT INTO {table} ({key}, vector, hub) VALUES (?, ?, ?)",
            [
                (row[0], vector, hub)
                for row, vector, hub in zip(found, encoded.vectors, encoded.hubs, strict=True)
            ],
        )


class _Stored:
    """Asks' or offers' vectors read for a pass: one bytes block per batch read, and
    their hubs (a few large objects rather than one each: forked shares only read
    them, so their pages stay shared)."""

    def __init__(self) -> None:
        self.at: dict[int, tuple[int, int]] = {}  # id: (its block, its row there)
        self.blocks: list[bytes] = []
        self.hubs: list[array] = []
        self._matrices: dict[int, Any] = {}  # block: its numpy view, once asked for

    def read(self, db: sqlite3.Connection, sql: str, params: Sequence[Any]) -> None:
        """Keep the (id, vector, hub) rows this query returns, a block of
        ``ENCODED_AT_ONCE`` at a time (every offer's at once would hold their rows and
        their block together: 100 MiB more at 100,000 people)."""
        cursor = db.execute(sql, params)
        while found := cursor.fetchmany(ENCODED_AT_ONCE):
            block = len(self.blocks)
            self.blocks.append(b"".join(bytes(row[1]) for row in found))
            self.hubs.append(array("d", (row[2] for row in found)))
            for at, row in enumerate(found):
                self.at[row[0]] = (block, at)

    def vector(self, one: int) -> bytes:
        block, at = self.at[one]
        return self.blocks[block][ROW.size * at : ROW.size * (at + 1)]

    def values(self, one: int) -> tuple[float, ...]:
        block, at = self.at[one]
        return ROW.unpack_from(self.blocks[block], ROW.size * at)

    def hub(self, one: int) -> float:
        block, at = self.at[one]
        return self.hubs[block][at]

    def matrix(self, ids: Sequence[int]) -> Any:
        """These vectors as the rows of one float64 array (numpy)."""
        import numpy as np

        rows = []
        for one in ids:
            block, at = self.at[one]
            if block not in self._matrices:
                self._matrices[block] = np.frombuffer(self.blocks[block], dtype="<f2").reshape(
                    -1, DIMENSIONS
                )
            rows.append(self._matrices[block][at])
        return np.array(rows, dtype=np.float64)


class Closeness:
    """A pass's vectors, each read once: the asks' it scores (``read_asks``) and the
    offers' their candidates are (read as asked for, or all at once before a fork).

    A pass's first ``PLAIN_PAIRS`` pairs are scored in Python, then through numpy:
    a command that writes one ask scores a few hundred pairs, where numpy's import
    (60 ms) would cost more than it saves; a rebuild scores millions. Both give one
    closeness to ``DIGITS`` (tested)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.asks = _Stored()
        self.offers = _Stored()
        self.every_offer = False
        self.pairs = 0

    def read_asks(self, ask_ids: Sequence[int]) -> None:
        """Read these asks' vectors (those not read yet)."""
        missing = [ask_id for ask_id in ask_ids if ask_id not in self.asks.at]
        for chunk in chunks(missing):
            self.asks.read(
                self.db,
                "SELECT ask_id, vector, hub FROM ask_vector "
                f"WHERE ask_id IN ({placeholders(len(chunk))})",
                chunk,
            )

    def key(self, ask_id: int) -> bytes:
        """What asks that share a scoring must share: a digest of their vector (b"" for
        none; 16 bytes an ask, where the vector is 512)."""
        if ask_id not in self.asks.at:
            return b""
        return hashlib.blake2b(self.asks.vector(ask_id), digest_size=16).digest()

    def read_all(self) -> None:
        """Read every active offer's vector now (before a fork: the shares cannot read)."""
        if not self.every_offer:
            self.offers = _Stored()
            self.offers.read(
                self.db,
                "SELECT v.offer_id, v.vector, v.hub FROM offer_vector AS v JOIN offer "
                "ON offer.id = v.offer_id WHERE offer.status = 'active'",
                (),
            )
            self.every_offer = True

    def of(self, ask_id: int, offer_ids: Iterable[int]) -> Mapping[int, float]:
        """{offer id: closeness} of this ask and those of these offers with a vector."""
        if ask_id not in self.asks.at:
            return {}
        return self.of_vector(self.asks.vector(ask_id), self.asks.hub(ask_id), offer_ids)

    def of_vector(self, vector: bytes, hub: float, offer_ids: Iterable[int]) -> Mapping[int, float]:
        """{offer id: closeness} of an ask's stored vector and hub and those of these
        offers with a vector."""
        offers = self.offers
        wanted = list(dict.fromkeys(offer_ids))
        if not self.every_offer:
            missing = [offer_id for offer_id in wanted if offer_id not in offers.at]
            for chunk in chunks(missing):
                offers.read(
                    self.db,
                    "SELECT offer_id, vector, hub FROM offer_vector "
                    f"WHERE offer_id IN ({placeholders(len(chunk))})",
                    chunk,
                )
        have = [offer_id for offer_id in wanted if offer_id in offers.at]
        if not have:
            return {}
        self.pairs += len(have)
        # Float16 values multiplied in float64 are exact, and their sums all but exact
        # in any order: one pair has one closeness in every pass.
        if self.pairs <= PLAIN_PAIRS:
            ask = ROW.unpack(vector)
            cosines = [math.fsum(map(operator.mul, ask, offers.values(o))) for o in have]
            return {
                offer_id: _rounded(closeness(cosine, hub, offers.hub(offer_id)))
                for offer_id, cosine in zip(have, cosines, strict=True)
            }
        import numpy as np

        cosines = offers.matrix(have) @ np.frombuffer(vector, dtype="<f2").astype(np.float64)
        hubs = np.fromiter((offers.hub(o) for o in have), np.float64, len(have))
        close = np.rint(closeness(cosines, hub, hubs) * SCALE) / SCALE
        return dict(zip(have, close.tolist(), strict=True))


def _rounded(close: float) -> float:
    """``DIGITS`` digits, as numpy's ``rint`` gives them (half to even)."""
    return round(close * SCALE) / SCALE


def text_closeness(
    db: sqlite3.Connection, text: str, offer_ids: Iterable[int]
) -> Mapping[int, float]:
    """{offer id: closeness} of a text said as an ask (``who``'s) and these offers; empty
    when closeness is off."""
    offer_ids = list(offer_ids)
    if not offer_ids or not closeness_on():
        return {}  # (no model loaded for nothing)
    encoded = _loaded().encode([text], kind="ask")
    return Closeness(db).of_vector(encoded.vectors[0], encoded.hubs[0], offer_ids)
