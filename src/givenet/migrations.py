"""Numbered schema steps, append-only: each runs in one transaction with its record.

A database records the steps it has had in ``schema_migration``. Opening a
database runs the steps it lacks, each with its record in one ``BEGIN IMMEDIATE``
transaction, so a step that fails leaves schema, version and data as they were.
A database whose version is newer than this code knows is refused, untouched.

Never edit a step that has shipped: add a new one after the last.

Each step has two spellings: SQLite's (``apply``) and PostgreSQL's (``postgres``,
for a team's network), made from the same text where the two engines agree. On
PostgreSQL the schema also provides the few functions the store's shared SQL uses
that only SQLite has (``fold``, ``casefold``, ``instr``, ``julianday``,
``group_concat``, ``json_each`` of a list, scalar ``max``/``min`` of two), and the full-text indexes are tables of ``tsvector`` with GIN
indexes in place of FTS5 (``store/dialect.py`` writes their queries).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite3

    from givenet.postgres import PgConnection

MIGRATIONS_TABLE = "schema_migration"


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[sqlite3.Connection], None]
    rebuilds_derived: bool = False  # indexes to fill from the rows once the step is in
    rebuilds_tables: bool = False  # the SQLite way to change a column: foreign keys off
    postgres: Callable[[PgConnection], None] | None = None  # the step on PostgreSQL


def _run_script(sql: str) -> Callable[[Any], None]:
    statements = [part.strip() for part in sql.split(";\n") if part.strip()]

    def apply(connection: Any) -> None:
        for statement in statements:
            connection.execute(statement)

    return apply


# Version 1: the core loop. Generated once from models.py, then frozen.
_V1 = """
    CREATE TABLE event (
        id INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        "key" VARCHAR NOT NULL,
        date DATE NOT NULL,
        place VARCHAR,
        notes VARCHAR,
        created_at DATETIME NOT NULL,
        PRIMARY KEY (id)
    );
    CREATE INDEX ix_event_date ON event (date);
    CREATE INDEX ix_event_key ON event ("key");
    CREATE TABLE person (
        id INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        "key" VARCHAR NOT NULL,
        org VARCHAR,
        role VARCHAR,
        location VARCHAR,
        url VARCHAR,
        circle VARCHAR NOT NULL,
        cadence_days INTEGER,
        new_to_field BOOLEAN NOT NULL,
        reach INTEGER,
        birthday VARCHAR,
        no_intros BOOLEAN NOT NULL,
        open_to VARCHAR,
        snoozed_until DATE,
        source VARCHAR,
        source_connected_on DATE,
        created_at DATETIME NOT NULL,
        PRIMARY KEY (id)
    );
    CREATE INDEX ix_person_circle ON person (circle);
    CREATE INDEX ix_person_key ON person ("key");
    CREATE INDEX ix_person_snoozed_until ON person (snoozed_until);
    CREATE TABLE setting (
        "key" VARCHAR NOT NULL,
        value VARCHAR NOT NULL,
        PRIMARY KEY ("key")
    );
    CREATE TABLE tag (
        id INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        "key" VARCHAR NOT NULL,
        PRIMARY KEY (id),
        UNIQUE ("key")
    );
    CREATE TABLE ask (
        id INTEGER NOT NULL,
        person_id INTEGER NOT NULL,
        text VARCHAR NOT NULL,
        due DATE,
        urgent BOOLEAN NOT NULL,
        status VARCHAR NOT NULL,
        created_on DATE NOT NULL,
        resolved_on DATE,
        via VARCHAR,
        created_at DATETIME NOT NULL,
        PRIMARY KEY (id),
        FOREIGN KEY(person_id) REFERENCES person (id) ON DELETE CASCADE
    );
    CREATE INDEX ix_ask_person_id ON ask (person_id);
    CREATE INDEX ix_ask_status ON ask (status);
    CREATE TABLE email (
        id INTEGER NOT NULL,
        person_id INTEGER NOT NULL,
        address VARCHAR NOT NULL,
        "key" VARCHAR NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (id),
        FOREIGN KEY(person_id) REFERENCES person (id) ON DELETE CASCADE
    );
    CREATE INDEX ix_email_key ON email ("key");
    CREATE INDEX ix_email_person_id ON email (person_id);
    CREATE TABLE event_attendee (
        event_id INTEGER NOT NULL,
        person_id INTEGER NOT NULL,
        status VARCHAR NOT NULL,
        PRIMARY KEY (event_id, person_id),
        FOREIGN KEY(event_id) REFERENCES event (id) ON DELETE CASCADE,
        FOREIGN KEY(person_id) REFERENCES person (id) ON DELETE CASCADE
    );
    CREATE INDEX ix_event_attendee_person_id ON event_attendee (person_id);
    CREATE TABLE event_tag (
        event_id INTEGER NOT NULL,
        tag_id INTEGER NOT NULL,
        PRIMARY KEY (event_id, tag_id),
        FOREIGN KEY(event_id) REFERENCES event (id) ON DELETE CASCADE,
        FOREIGN KEY(tag_id) REFERENCES tag (id) ON DELETE CASCADE
    );
    CREATE INDEX ix_event_tag_tag_id ON event_tag (tag_id);
    CREATE TABLE me_tag (
        tag_id INTEGER NOT NULL,
        PRIMARY KEY (tag_id),
        FOREIGN KEY(tag_id) REFERENCES tag (id) ON DELETE CASCADE
    );
    CREATE TABLE meeting (
        id INTEGER NOT NULL,
        date DATE NOT NULL,
        kind VARCHAR NOT NULL,
        event_id INTEGER,
        note VARCHAR,
        created_at DATETIME NOT NULL,
        PRIMARY KEY (id),
        FOREIGN KEY(event_id) REFERENCES event (id) ON DELETE SET NULL
    );
    CREATE INDEX ix_meeting_date ON meeting (date);
    CREATE INDEX ix_meeting_event_id ON meeting (event_id);
    CREATE TABLE note (
        id INTEGER NOT NULL,
        person_id INTEGER NOT NULL,
        date DATE NOT NULL,
        text VARCHAR NOT NULL,
        created_at DATETIME NOT NULL,
        PRIMARY KEY (id),
        FOREIGN KEY(person_id) REFERENCES person (id) ON DELETE CASCADE
    );
    CREATE INDEX ix_note_person_id ON note (person_id);
    CREATE TABLE offer (
        id INTEGER NOT NULL,
        person_id INTEGER NOT NULL,
        text VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        created_on DATE NOT NULL,
        created_at DATETIME NOT NULL,
        PRIMARY KEY (id),
        FOREIGN KEY(person_id) REFERENCES person (id) ON DELETE CASCADE
    );
    CREATE INDEX ix_offer_person_id ON offer (person_id);
    CREATE INDEX ix_offer_status ON offer (status);
    CREATE TABLE person_tag (
        person_id INTEGER NOT NULL,
        tag_id INTEGER NOT NULL,
        PRIMARY KEY (person_id, tag_id),
        FOREIGN KEY(person_id) REFERENCES person (id) ON DELETE CASCADE,
        FOREIGN KEY(tag_id) REFERENCES tag (id) ON DELETE CASCADE
    );
    CREATE INDEX ix_person_tag_tag_id ON person_tag (tag_id);
    CREATE TABLE phone (
        id INTEGER NOT NULL,
        person_id INTEGER NOT NULL,
        number VARCHAR NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (id),
        FOREIGN KEY(person_id) REFERENCES person (id) ON DELETE CASCADE
    );
    CREATE INDEX ix_phone_person_id ON phone (person_id);
    CREATE TABLE ask_tag (
        ask_id INTEGER NOT NULL,
        tag_id INTEGER NOT NULL,
        PRIMARY KEY (ask_id, tag_id),
        FOREIGN KEY(ask_id) REFERENCES ask (id) ON DELETE CASCADE,
        FOREIGN KEY(tag_id) REFERENCES tag (id) ON DELETE CASCADE
    );
    CREATE INDEX ix_ask_tag_tag_id ON ask_tag (tag_id);
    CREATE TABLE intro (
        id INTEGER NOT NULL,
        person_a_id INTEGER NOT NULL,
        person_b_id INTEGER NOT NULL,
        date DATE NOT NULL,
        ask_id INTEGER,
        offer_id INTEGER,
        status VARCHAR NOT NULL,
        status_on DATE NOT NULL,
        note VARCHAR,
        created_at DATETIME NOT NULL,
        PRIMARY KEY (id),
        FOREIGN KEY(person_a_id) REFERENCES person (id) ON DELETE CASCADE,
        FOREIGN KEY(person_b_id) REFERENCES person (id) ON DELETE CASCADE,
        FOREIGN KEY(ask_id) REFERENCES ask (id) ON DELETE SET NULL,
        FOREIGN KEY(offer_id) REFERENCES offer (id) ON DELETE SET NULL
    );
    CREATE INDEX ix_intro_ask_id ON intro (ask_id);
    CREATE INDEX ix_intro_offer_id ON intro (offer_id);
    CREATE INDEX ix_intro_person_a_id ON intro (person_a_id);
    CREATE INDEX ix_intro_person_b_id ON intro (person_b_id);
    CREATE INDEX ix_intro_status ON intro (status);
    CREATE TABLE meeting_person (
        meeting_id INTEGER NOT NULL,
        person_id INTEGER NOT NULL,
        PRIMARY KEY (meeting_id, person_id),
        FOREIGN KEY(meeting_id) REFERENCES meeting (id) ON DELETE CASCADE,
        FOREIGN KEY(person_id) REFERENCES person (id) ON DELETE CASCADE
    );
    CREATE INDEX ix_meeting_person_person_id ON meeting_person (person_id);
    CREATE TABLE offer_tag (
        offer_id INTEGER NOT NULL,
        tag_id INTEGER NOT NULL,
        PRIMARY KEY (offer_id, tag_id),
        FOREIGN KEY(offer_id) REFERENCES offer (id) ON DELETE CASCADE,
        FOREIGN KEY(tag_id) REFERENCES tag (id) ON DELETE CASCADE
    );
    CREATE INDEX ix_offer_tag_tag_id ON offer_tag (tag_id);
    CREATE TABLE promise (
        id INTEGER NOT NULL,
        person_id INTEGER NOT NULL,
        meeting_id INTEGER,
        text VARCHAR NOT NULL,
        due DATE NOT NULL,
        kept_on DATE,
        created_at DATETIME NOT NULL,
        PRIMARY KEY (id),
        FOREIGN KEY(person_id) REFERENCES person (id) ON DELETE CASCADE,
        FOREIGN KEY(meeting_id) REFERENCES meeting (id) ON DELETE SET NULL
    );
    CREATE INDEX ix_promise_due ON promise (due);
    CREATE INDEX ix_promise_meeting_id ON promise (meeting_id);
    CREATE INDEX ix_promise_person_id ON promise (person_id);
    CREATE TABLE give (
        id INTEGER NOT NULL,
        person_id INTEGER NOT NULL,
        direction VARCHAR NOT NULL,
        date DATE NOT NULL,
        what VARCHAR NOT NULL,
        ask_id INTEGER,
        intro_id INTEGER,
        created_at DATETIME NOT NULL,
        PRIMARY KEY (id),
        FOREIGN KEY(person_id) REFERENCES person (id) ON DELETE CASCADE,
        FOREIGN KEY(ask_id) REFERENCES ask (id) ON DELETE SET NULL,
        FOREIGN KEY(intro_id) REFERENCES intro (id) ON DELETE CASCADE
    );
    CREATE INDEX ix_give_ask_id ON give (ask_id);
    CREATE INDEX ix_give_intro_id ON give (intro_id);
    CREATE INDEX ix_give_person_id ON give (person_id);
"""

# Version 2: matching. Full-text indexes (FTS5, Porter stemming) over asks, offers
# and people, and the table of candidate matches kept up to date on every write.
# Both are derived data: ``rebuilds_derived`` fills them from the rows after the step.
_V2 = """
CREATE VIRTUAL TABLE offer_fts USING fts5(
    text, tags, helper, tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE ask_fts USING fts5(
    text, tags, tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE person_fts USING fts5(
    name, tags, role, org, notes, tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TABLE match_candidate (
    ask_id INTEGER NOT NULL,
    offer_id INTEGER NOT NULL,
    score FLOAT NOT NULL,
    matched VARCHAR NOT NULL,
    PRIMARY KEY (ask_id, offer_id),
    FOREIGN KEY(ask_id) REFERENCES ask (id) ON DELETE CASCADE,
    FOREIGN KEY(offer_id) REFERENCES offer (id) ON DELETE CASCADE
);
CREATE INDEX ix_match_candidate_offer_id ON match_candidate (offer_id);
"""

# Version 3: read the best candidates first, so `match` stops at its limit.
_V3 = """
CREATE INDEX ix_match_candidate_rank ON match_candidate (score DESC, ask_id, offer_id);
"""

# Version 4: each person's first and last meeting, kept by triggers on every write
# that adds, moves or removes a meeting link or changes a meeting's date (log,
# delete, edit, merge, forget, imports, a restore, plain SQL alike), in the same
# transaction. The morning list, `list`, `stats` and `who` read it instead of a
# GROUP BY over every meeting link (646,357 at 100,000 people). It counts every
# meeting, those dated later than today too: readers that look at a given day
# recompute the few people whose last meeting is still ahead. Derived data: not
# exported, and a restore rebuilds it as the links come in. No foreign key to
# person: a person's row goes with their last meeting link (a forget, a cascade),
# and the triggers name only meeting, meeting_person and person_touch, so that a
# later step rebuilding person needs nothing; one rebuilding meeting or
# meeting_person must drop these triggers first and create them again after.
#
# PERSON_TOUCH_RECOMPUTED is what the table must hold: `givenet check` compares the
# two and `rebuild_all` (`match --rebuild`, a restore) refills it from it.
PERSON_TOUCH_RECOMPUTED = """SELECT meeting_person.person_id, MIN(meeting.date), MAX(meeting.date)
FROM meeting_person JOIN meeting ON meeting.id = meeting_person.meeting_id
GROUP BY meeting_person.person_id"""

_V4_TABLE = f"""
CREATE TABLE person_touch (
    person_id INTEGER NOT NULL,
    first_met DATE NOT NULL,
    last_touch DATE NOT NULL,
    PRIMARY KEY (person_id)
);
INSERT INTO person_touch (person_id, first_met, last_touch)
{PERSON_TOUCH_RECOMPUTED}
"""


def _recount(who: str) -> str:
    """Statements (for a trigger) that recompute person_touch for the people ``who`` selects."""
    return f"""
    DELETE FROM person_touch WHERE person_id IN ({who});
    INSERT INTO person_touch (person_id, first_met, last_touch)
    SELECT meeting_person.person_id, MIN(meeting.date), MAX(meeting.date)
    FROM meeting_person JOIN meeting ON meeting.id = meeting_person.meeting_id
    WHERE meeting_person.person_id IN ({who})
    GROUP BY meeting_person.person_id;"""


# The trigger that fires on every row a restore writes to meeting_person (it turns it
# off, and recomputes person_touch once).
PERSON_TOUCH_ON_INSERT = ("meeting_person", "person_touch_link_added")
_V4_TRIGGERS = [
    """CREATE TRIGGER person_touch_link_added AFTER INSERT ON meeting_person BEGIN
    INSERT INTO person_touch (person_id, first_met, last_touch)
    SELECT NEW.person_id, meeting.date, meeting.date FROM meeting WHERE meeting.id = NEW.meeting_id
    ON CONFLICT (person_id) DO UPDATE SET
        first_met = min(first_met, excluded.first_met),
        last_touch = max(last_touch, excluded.last_touch);
    END""",
    f"""CREATE TRIGGER person_touch_link_removed AFTER DELETE ON meeting_person BEGIN
    {_recount("OLD.person_id")}
    END""",
    f"""CREATE TRIGGER person_touch_link_moved AFTER UPDATE ON meeting_person BEGIN
    {_recount("OLD.person_id, NEW.person_id")}
    END""",
    f"""CREATE TRIGGER person_touch_meeting_dated AFTER UPDATE OF date ON meeting BEGIN
    {_recount("SELECT person_id FROM meeting_person WHERE meeting_id = NEW.id")}
    END""",
]


def _apply_v4(connection: sqlite3.Connection) -> None:
    _run_script(_V4_TABLE)(connection)
    for trigger in _V4_TRIGGERS:  # one statement each: their bodies hold semicolons
        connection.execute(trigger)


# Version 5: matching by meaning. Each candidate says why in words (rebuilt from
# the rows), and the pairs the user said are not a fit are never proposed again.
_V5 = """
ALTER TABLE match_candidate ADD COLUMN why VARCHAR DEFAULT '' NOT NULL;
CREATE TABLE match_rejection (
    ask_id INTEGER NOT NULL,
    offer_id INTEGER NOT NULL,
    rejected_on DATE NOT NULL,
    PRIMARY KEY (ask_id, offer_id),
    FOREIGN KEY(ask_id) REFERENCES ask (id) ON DELETE CASCADE,
    FOREIGN KEY(offer_id) REFERENCES offer (id) ON DELETE CASCADE
);
CREATE INDEX ix_match_rejection_offer_id ON match_rejection (offer_id);
"""

# Version 6: a team's members. Each meeting, note, ask, offer, intro, promise and
# ledger line records the member who wrote it ($GIVENET_USER, else the login name;
# NULL before this step), and ``member`` lists who has written, so that a network
# of one member (a personal file) can tell it is one at once.
RECORDED_TABLES = ("meeting", "note", "ask", "offer", "intro", "promise", "give")
_V6 = ";\n".join(
    [
        *(f"ALTER TABLE {table} ADD COLUMN recorded_by VARCHAR" for table in RECORDED_TABLES),
        """CREATE TABLE member (
    name VARCHAR NOT NULL,
    first_seen DATE NOT NULL,
    PRIMARY KEY (name)
)""",
    ]
)

# Version 7: what the morning list reads of everyone, as indexes of just those rows,
# kept by the engine on every write. `due` counts its list by merging, in id order,
# the people with an open ask and those in an intro under way (no table row read, no
# temporary table), instead of evaluating every person's bound (0.35 s at 100,000
# people); and it finds the few whom a rare factor names (a promise due, a first
# meeting, a gift to thank, a check-in, a birthday) by range, not by a scan of
# ``person``, ``give`` and ``person_touch`` each. SQLite uses a partial index only for
# a WHERE that holds its condition written the same way: ``rules.FACTORS``' ``on`` and
# ``who``, and ``store.ranking``, write them so (``tests/test_query_plans.py``).
_V7 = """
CREATE INDEX ix_ask_open_person ON ask (person_id) WHERE status = 'open';
CREATE INDEX ix_intro_open_person_a ON intro (person_a_id)
    WHERE status IN ('suggested', 'asked', 'made', 'met');
CREATE INDEX ix_intro_open_person_b ON intro (person_b_id)
    WHERE status IN ('suggested', 'asked', 'made', 'met');
CREATE INDEX ix_promise_open_due ON promise (due, person_id) WHERE kept_on IS NULL;
CREATE INDEX ix_give_got_date ON give (date, person_id) WHERE direction = 'got';
CREATE INDEX ix_person_touch_first_met ON person_touch (first_met);
CREATE INDEX ix_person_cadenced ON person (id)
    WHERE cadence_days IS NOT NULL OR circle IN ('inner', 'active', 'wide');
CREATE INDEX ix_person_birthday_day ON person ((substr(birthday, length(birthday) - 4)));
"""

# SQLite's planner hint likely(X) (X, which most rows hold) for the shared SQL: a plain
# SQL function, which PostgreSQL inlines, so that a partial index still matches.
_PG_V7 = """
CREATE FUNCTION likely(boolean) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT $1 $$;
"""


# Version 8: asks' and offers' vectors of meaning (``store.vectors``), written when
# the meaning extra is installed; the step rebuilds the derived data so that the rows
# there already get theirs.
def _v8(binary: str) -> str:
    return "".join(
        f"""CREATE TABLE {owner}_vector (
    {owner}_id INTEGER NOT NULL,
    vector {binary} NOT NULL,
    hub FLOAT NOT NULL,
    PRIMARY KEY ({owner}_id),
    FOREIGN KEY({owner}_id) REFERENCES {owner} (id) ON DELETE CASCADE
);
"""
        for owner in ("ask", "offer")
    )


# --- the same steps on PostgreSQL ---------------------------------------------

# SQLite's functions that the store's shared SQL calls, for PostgreSQL. fold() is
# lookup.fold (no case, no accents) as near as the unaccent extension gives it.
_PG_FUNCTIONS = """
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE FUNCTION fold(text) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT lower(unaccent($1)) $$;
CREATE FUNCTION casefold(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT lower($1) $$;
CREATE FUNCTION instr(text, text) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT strpos($1, $2) $$;
CREATE FUNCTION julianday(date) RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT ($1 - DATE '1970-01-01') + 2440587.5 $$;
CREATE FUNCTION group_concat_step(text, anyelement) RETURNS text LANGUAGE sql IMMUTABLE
    AS $$ SELECT CASE WHEN $2 IS NULL THEN $1 WHEN $1 IS NULL THEN $2::text
    ELSE $1 || ',' || $2::text END $$;
CREATE AGGREGATE group_concat(anyelement) (SFUNC = group_concat_step, STYPE = text);
CREATE FUNCTION json_each(text) RETURNS TABLE (value text) LANGUAGE sql IMMUTABLE
    AS $$ SELECT jsonb_array_elements_text($1::jsonb) $$;
CREATE FUNCTION max(anycompatible, anycompatible) RETURNS anycompatible LANGUAGE sql
    IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN $1 IS NULL OR $2 IS NULL THEN NULL ELSE GREATEST($1, $2) END $$;
CREATE FUNCTION min(anycompatible, anycompatible) RETURNS anycompatible LANGUAGE sql
    IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN $1 IS NULL OR $2 IS NULL THEN NULL ELSE LEAST($1, $2) END $$
"""


def _pg_v1() -> str:
    """Version 1 in PostgreSQL's words: ids drawn from identities, times as the models
    declare them (with a time zone; givenet's sessions run in UTC)."""
    text = _V1.replace("DATETIME", "TIMESTAMP WITH TIME ZONE")
    return text.replace("id INTEGER NOT NULL,", "id INTEGER GENERATED BY DEFAULT AS IDENTITY,")


# Full-text indexes: one row per offer, ask, person under the record's id, as FTS5's
# rowid, and a stemmed document (no stop words, accents folded, as FTS5's porter
# unicode61 remove_diacritics) weighted by column.
_PG_SEARCH = """
CREATE TEXT SEARCH DICTIONARY givenet_stem (TEMPLATE = snowball, Language = english);
CREATE TEXT SEARCH CONFIGURATION givenet (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION givenet ALTER MAPPING
    FOR asciiword, word, numword, asciihword, hword, numhword, hword_asciipart, hword_part,
        hword_numpart
    WITH unaccent, givenet_stem
"""


def _pg_fts(table: str, columns: tuple[str, ...], weights: str) -> str:
    document = " || ".join(
        f"setweight(to_tsvector('givenet', {column}), '{weight}')"
        for column, weight in zip(columns, weights, strict=True)
    )
    listed = ", ".join(f"{column} VARCHAR NOT NULL" for column in columns)
    return f"""
CREATE TABLE {table} (
    rowid INTEGER NOT NULL PRIMARY KEY, {listed},
    document tsvector GENERATED ALWAYS AS ({document}) STORED
);
CREATE INDEX ix_{table}_document ON {table} USING GIN (document)
"""


_PG_V2 = (
    _PG_SEARCH,
    _pg_fts("offer_fts", ("text", "tags", "helper"), "BAC"),  # bm25 weights 1, 2, 0.5
    _pg_fts("ask_fts", ("text", "tags"), "BA"),
    _pg_fts("person_fts", ("name", "tags", "role", "org", "notes"), "AAAAA"),
    "CREATE TABLE match_candidate" + _V2.split("CREATE TABLE match_candidate", 1)[1],
)

_PG_V4_TRIGGERS = """
CREATE FUNCTION person_touch_recount(ids integer[]) RETURNS void LANGUAGE sql AS $$
    DELETE FROM person_touch WHERE person_id = ANY(ids);
    INSERT INTO person_touch (person_id, first_met, last_touch)
    SELECT meeting_person.person_id, MIN(meeting.date), MAX(meeting.date)
    FROM meeting_person JOIN meeting ON meeting.id = meeting_person.meeting_id
    WHERE meeting_person.person_id = ANY(ids)
    GROUP BY meeting_person.person_id
$$;
CREATE FUNCTION person_touch_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'meeting' THEN
        PERFORM person_touch_recount(ARRAY(
            SELECT person_id FROM meeting_person WHERE meeting_id = NEW.id));
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO person_touch (person_id, first_met, last_touch)
        SELECT NEW.person_id, meeting.date, meeting.date FROM meeting
        WHERE meeting.id = NEW.meeting_id
        ON CONFLICT (person_id) DO UPDATE SET
            first_met = LEAST(person_touch.first_met, excluded.first_met),
            last_touch = GREATEST(person_touch.last_touch, excluded.last_touch);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM person_touch_recount(ARRAY[OLD.person_id]);
    ELSE
        PERFORM person_touch_recount(ARRAY[OLD.person_id, NEW.person_id]);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER person_touch_link_added AFTER INSERT ON meeting_person
    FOR EACH ROW EXECUTE FUNCTION person_touch_kept();
CREATE TRIGGER person_touch_link_removed AFTER DELETE ON meeting_person
    FOR EACH ROW EXECUTE FUNCTION person_touch_kept();
CREATE TRIGGER person_touch_link_moved AFTER UPDATE ON meeting_person
    FOR EACH ROW EXECUTE FUNCTION person_touch_kept();
CREATE TRIGGER person_touch_meeting_dated AFTER UPDATE OF date ON meeting
    FOR EACH ROW EXECUTE FUNCTION person_touch_kept()
"""


def _pg_statements(sql: str) -> Callable[[Any], None]:
    """A PostgreSQL script: statements end with ';' at the end of a line outside $$ bodies."""
    statements, current, quoted = [], [], False
    for line in sql.strip().splitlines():
        quoted ^= line.count("$$") % 2 == 1
        current.append(line)
        if not quoted and line.rstrip().endswith(";"):
            statements.append("\n".join(current).rstrip().rstrip(";"))
            current = []
    if "".join(current).strip():
        statements.append("\n".join(current))

    def apply(connection: Any) -> None:
        for statement in statements:
            connection.execute(statement)

    return apply


def _pg_script(*parts: str) -> Callable[[Any], None]:
    return _pg_statements(";\n".join(part.strip().rstrip(";") for part in parts) + ";")


MIGRATIONS: list[Migration] = [
    Migration(1, "core tables", _run_script(_V1), postgres=_pg_script(_PG_FUNCTIONS, _pg_v1())),
    Migration(
        2,
        "matching indexes",
        _run_script(_V2),
        rebuilds_derived=True,
        postgres=_pg_script(*_PG_V2),
    ),
    Migration(3, "match rank index", _run_script(_V3), postgres=_pg_script(_V3)),
    Migration(4, "person touches", _apply_v4, postgres=_pg_script(_V4_TABLE, _PG_V4_TRIGGERS)),
    Migration(
        5,
        "match reasons and rejections",
        _run_script(_V5),
        rebuilds_derived=True,
        postgres=_pg_script(_V5),
    ),
    Migration(6, "team members", _run_script(_V6), postgres=_pg_script(_V6)),
    Migration(7, "due's partial indexes", _run_script(_V7), postgres=_pg_script(_PG_V7, _V7)),
    Migration(
        8,
        "vectors of meaning",
        _run_script(_v8("BLOB")),
        rebuilds_derived=True,
        postgres=_pg_script(_v8("BYTEA")),
    ),
]

# Tables that belong to the full-text indexes rather than to the models.
FTS_TABLES = ("offer_fts", "ask_fts", "person_fts")

LATEST_VERSION = MIGRATIONS[-1].version
