"""Hostile input and faults (issue 12): terminal escapes, the database's own files as
targets, atomic backups, a truthful check, interrupted upgrades, foreign files,
folders, tracebacks, special files and vCard line separators."""

from __future__ import annotations

import contextlib
import json
import os
import re
import resource
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import dump_database, quick_few
from givenet import db, migrations, render

# OSC 52 writes the clipboard, then the screen is cleared; U+202E reverses text.
ESCAPES = "Eve\x1b]52;c;SGVsbG8=\x07\x1b[2J"
REVERSED = "\u202eevil"
SECRET_NOTE = "qzv-private-8812"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Eve\x1b]52;c;SGVsbG8=\x07", "Eve\\x1b]52;c;SGVsbG8=\\x07"),
        ("\u202eevil\u2066x\u2069", "\\u202eevil\\u2066x\\u2069"),
        ("a\x9bb\x7fc\rd", "a\\x9bb\\x7fc\\x0dd"),
        ("two\nlines\tand a tab", "two\nlines\tand a tab"),
        ("Zoë 李 🎉 [red]", "Zoë 李 🎉 [red]"),
    ],
)
def test_safe_text_escapes_controls_and_bidi_overrides_only(text, shown):
    assert render.safe_text(text) == shown


def test_every_printer_sanitises_on_a_terminal_and_json_keeps_the_text(monkeypatch, capsys):
    render.line(ESCAPES)
    render.fields([("name", ESCAPES)])
    render.table(["name"], [[REVERSED]], title=ESCAPES, footer=[ESCAPES])
    render.warning(ESCAPES)
    render.error(REVERSED)
    render.info(ESCAPES)
    monkeypatch.setattr(render, "is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "120")
    render.table(["name"], [[ESCAPES]], title=REVERSED, footer=[ESCAPES])
    render.document(ESCAPES)
    captured = capsys.readouterr()
    # rich writes its own (colour) escapes; none of the text's may get through.
    assert "\x07" not in captured.out and "]52;" not in captured.out.replace("\\x1b]52;", "")
    assert not RAW.search(captured.err)
    assert "\u202e" not in captured.out
    monkeypatch.setattr(render, "is_terminal", lambda: False)
    render.print_json({"name": ESCAPES + REVERSED + "\x9b"})
    out = capsys.readouterr().out
    assert not RAW.search(out)
    assert json.loads(out) == {"name": ESCAPES + REVERSED + "\x9b"}
    render.document(ESCAPES)  # an export in a pipe is the file's exact content
    assert capsys.readouterr().out == ESCAPES + "\n"


@pytest.fixture
def hostile(run):
    """Names, notes, orgs, asks, offers and an event made of terminal escapes."""
    outs = [
        run("add", ESCAPES, "--org", REVERSED, "--note", ESCAPES, "--tag", "venue"),
        run("add", "--cadence", "1w", "--", REVERSED),
        run("add", "Evelyn"),
        run("ask", "#1", f"needs {ESCAPES} venue", "--tag", "venue"),
        run("offer", "#2", f"offers {REVERSED} venue", "--tag", "venue"),
        run("event", "add", f"{ESCAPES} party", "--on", "yesterday"),
        run("event", "attend", "#1", "#1"),
        run("log", "#1", "--note", ESCAPES, "--next", REVERSED),
    ]
    return outs


COMMANDS = [
    ("list",), ("show", "#1"), ("show", "#2"), ("due",), ("match",), ("who", "venue"),
    ("find", "venue"), ("asks",), ("offers",), ("events",), ("event", "show", "#1"),
    ("why", "#2"), ("dupes",),
]  # fmt: skip


@pytest.mark.parametrize("command", quick_few(COMMANDS, 4), ids=" ".join)
def test_stored_escapes_never_reach_the_terminal(run, hostile, command):
    for outcome in hostile:
        assert not RAW.search(outcome.stdout + outcome.stderr)
    shown = run(*command)
    assert not RAW.search(shown.stdout + shown.stderr), shown.stdout
    if command[0] in {"list", "show", "asks", "offers", "events", "who", "find"}:
        assert "\\x1b]52" in shown.stdout or "\\u202e" in shown.stdout


@pytest.mark.parametrize("command", [("list",), ("show", "#1"), ("asks",), ("who", "venue")])
def test_json_keeps_the_exact_text(run, hostile, command):
    shown = run(*command, "--json")
    assert not RAW.search(shown.stdout)
    text = " ".join(_strings(shown.json()))  # the parsed strings, exact
    assert ESCAPES in text or REVERSED in text


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_an_ambiguous_or_unknown_name_is_shown_escaped(run, hostile, fails):
    ambiguous = fails("show", "Eve")
    assert "\\x1b]52" in ambiguous and not RAW.search(ambiguous)
    unknown = fails("show", ESCAPES + "x")
    assert not RAW.search(unknown)


# --- 9: arguments that would have been tracebacks --------------------------------------


def test_an_argument_that_is_not_utf8_is_one_line(fails, isolated_database):
    # Python hands a non-UTF-8 argument over as lone surrogates (b"\xff" -> "\udcff").
    line = fails("add", "Ann\udcff")
    assert "not valid UTF-8" in line and "\\xff" in line
    assert not isolated_database.exists()


# --- 2: the database's own files are never an export's or a backup's target -----------


def _own_targets(database):
    os.link(database, database.with_name("hard-link.db"))
    (database.parent / "link.db").symlink_to(database)
    return [
        database,
        database.with_name(database.name + "-wal"),
        database.with_name(database.name + "-shm"),
        database.with_name(database.name + "-journal"),
        database.parent / "link.db",
        database.with_name("hard-link.db"),
        database.parent / "sub" / ".." / database.name,
    ]


@pytest.mark.slow
def test_export_or_backup_onto_the_database_is_refused_even_with_force(
    run, fails, isolated_database
):
    run("add", "Maria Lopez", "--note", "keep me")
    run("backup", str(isolated_database.with_name("old-backup.db")))
    (isolated_database.parent / "sub").mkdir()
    before = dump_database(isolated_database)
    for target in [*_own_targets(isolated_database), isolated_database.with_name("old-backup.db")]:
        for command in (("export", "csv"), ("export", "json"), ("export", "vcard")):
            line = fails(*command, "-o", str(target), "--force")
            assert "database" in line, line
        assert re.search("database|exists", fails("backup", str(target)))
    assert dump_database(isolated_database) == before
    assert run("show", "Maria", "--json").json()["notes"][0]["text"] == "keep me"


def test_backup_never_writes_through_a_dangling_symlink(run, fails, tmp_path):
    run("add", "Maria Lopez")
    link = tmp_path / "backup.db"
    link.symlink_to(tmp_path / "elsewhere.db")
    assert "exists" in fails("backup", str(link))
    assert not (tmp_path / "elsewhere.db").exists()


# --- 3: backups are atomic -----------------------------------------------------------


def _fill(run, isolated_database, size=400_000):
    run("add", "Maria Lopez", "--note", "x" * size)
    connection = sqlite3.connect(isolated_database)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


@contextlib.contextmanager
def _file_size_limit(limit):
    """Writes past ``limit`` bytes fail with EFBIG, as on a full disk."""
    old_limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, old_limit[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old_limit)
        signal.signal(signal.SIGXFSZ, old_handler)


@pytest.mark.slow
def test_a_backup_on_a_full_disk_leaves_no_file_and_says_why(run, fails, isolated_database):
    _fill(run, isolated_database)
    target = isolated_database.with_name("copy.db")
    with _file_size_limit(100_000):
        line = fails("backup", str(target))
    assert "disk" in line and "full" in line and "nothing was written" in line
    assert sorted(path.name for path in isolated_database.parent.iterdir()) == sorted(
        path.name for path in isolated_database.parent.iterdir() if path.name != "copy.db"
    )
    assert not target.exists()
    assert not list(isolated_database.parent.glob(".*.tmp"))
    run("backup", str(target))  # the name is free: the next try succeeds
    assert sqlite3.connect(target).execute("SELECT COUNT(*) FROM person").fetchone() == (1,)


def _with_an_upgrade(monkeypatch):
    current = migrations.LATEST_VERSION
    step = migrations.Migration(current + 1, "noop", lambda connection: None)
    monkeypatch.setattr(db, "MIGRATIONS", [*migrations.MIGRATIONS, step])
    monkeypatch.setattr(db, "LATEST_VERSION", current + 1)
    return current


@pytest.mark.slow
def test_an_upgrade_on_a_full_disk_changes_nothing_and_leaves_no_backup(
    run, fails, isolated_database, monkeypatch
):
    _fill(run, isolated_database)
    version = _with_an_upgrade(monkeypatch)
    with _file_size_limit(100_000):
        line = fails("list")
    assert "could not back the database up" in line and "full" in line
    assert not list(isolated_database.parent.glob("*.bak"))
    assert not list(isolated_database.parent.glob(".*.tmp"))
    assert db.schema_version(sqlite3.connect(isolated_database)) == version


def test_a_broken_pre_upgrade_backup_is_replaced_not_kept(run, isolated_database, monkeypatch):
    run("add", "Maria")
    version = _with_an_upgrade(monkeypatch)
    broken = isolated_database.with_name(f"{isolated_database.name}.schema{version}.bak")
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)  # a killed copy
    run("list")
    assert [path.name for path in isolated_database.parent.glob("*.bak")] == [broken.name]
    assert db.copy_problem(broken, version) is None
    names = [row[0] for row in sqlite3.connect(broken).execute("SELECT name FROM person")]
    assert names == ["Maria"]


# --- 5: an upgrade killed before its rebuild is finished by the next command ------------

FIXTURES = Path(__file__).parent / "fixtures"


def test_an_upgrade_killed_before_the_rebuild_is_finished_next_time(
    run, isolated_database, tmp_path, monkeypatch
):
    clean = tmp_path / "clean.db"
    shutil.copyfile(FIXTURES / "schema-v1.db", clean)
    wanted = run("--db", str(clean), "who", "venue", "--json").json()
    assert wanted  # the v1 fixture has someone to find
    isolated_database.parent.mkdir(parents=True)
    shutil.copyfile(FIXTURES / "schema-v1.db", isolated_database)
    import givenet.store.search

    def killed(connection):
        raise KeyboardInterrupt  # Ctrl-C (or a kill) between the step and its rebuild

    rebuild_all = givenet.store.search.rebuild_all
    monkeypatch.setattr(givenet.store.search, "rebuild_all", killed)
    run("list", code=130)
    assert db.schema_version(sqlite3.connect(isolated_database)) == migrations.LATEST_VERSION
    monkeypatch.setattr(givenet.store.search, "rebuild_all", rebuild_all)
    assert run("who", "venue", "--json").json() == wanted
    assert run("check").stdout.startswith("ok")


# --- 6: other applications' SQLite files ---------------------------------------------


@pytest.mark.parametrize("journal", ["delete", "wal"])
def test_another_applications_sqlite_file_is_refused_byte_for_byte(fails, tmp_path, journal):
    places = tmp_path / "places.sqlite"
    connection = sqlite3.connect(places)
    connection.execute(f"PRAGMA journal_mode = {journal}")
    connection.execute("CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT)")
    connection.execute("INSERT INTO person VALUES (1, 'Firefox')")
    connection.commit()
    connection.close()
    places.chmod(0o644)
    before = places.read_bytes()
    for command in (("add", "X"), ("list",), ("due",)):
        line = fails("--db", str(places), *command)
        assert "another application" in line
    assert places.read_bytes() == before
    assert places.stat().st_mode & 0o777 == 0o644
    assert sorted(path.name for path in tmp_path.iterdir()) == ["places.sqlite"]


# --- 8: every folder givenet makes is 0700 --------------------------------------------


def test_every_folder_it_creates_is_owner_only_whatever_the_umask(run, tmp_path):
    old = os.umask(0)
    try:
        run("--db", str(tmp_path / "a" / "b" / "c" / "g.db"), "add", "Maria")
    finally:
        os.umask(old)
    for folder in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "c"):
        assert folder.stat().st_mode & 0o777 == 0o700, folder


# --- 10: devices, pipes and huge files ------------------------------------------------


def test_dev_null_as_the_database_is_refused_and_left_alone(fails):
    null = os.stat("/dev/null")
    journal = Path("/dev/null-journal")
    had_journal = journal.exists()
    try:
        for command in (("add", "X"), ("list",)):
            assert "not a regular file" in fails("--db", "/dev/null", *command)
        assert os.stat("/dev/null").st_mode == null.st_mode
        assert journal.exists() == had_journal
    finally:  # repair what a build without the protection does (as root)
        if journal.exists() and not had_journal:
            journal.unlink()
        if os.stat("/dev/null").st_mode != null.st_mode:
            os.chmod("/dev/null", stat.S_IMODE(null.st_mode))


@pytest.mark.slow
def test_a_pipe_as_the_database_is_refused_without_hanging(tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    done = subprocess.run(
        [sys.executable, "-m", "givenet", "--db", str(pipe), "list"],
        capture_output=True, text=True, timeout=20,
    )  # fmt: skip
    assert done.returncode == 1 and "not a regular file" in done.stderr


# --- 4: check tells busy, a disk fault and damage apart ---------------------------------


@pytest.mark.slow
def test_check_says_busy_not_restore_when_another_givenet_writes(run, fails, isolated_database):
    run("add", "Maria", "--note", "venue")
    run("ask", "Maria", "a venue")
    writer = sqlite3.connect(isolated_database, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        outcome = run("check", code=1)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert outcome.stdout.count("busy") == 1, outcome.stdout
    assert "backup" not in outcome.stderr and "again in a moment" in outcome.stderr
    assert run("check").stdout.startswith("ok")


def test_check_names_a_disk_fault_and_does_not_advise_a_restore(run, isolated_database):
    run("add", "Maria")
    connection = sqlite3.connect(isolated_database)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    Path(f"{isolated_database}-shm").unlink(missing_ok=True)
    with _file_size_limit(1024):  # the -shm file cannot be made: as a full disk would
        outcome = run("check", code=1)
    assert "backup" not in outcome.stderr, outcome.stderr
    assert "disk space" in outcome.stderr


@pytest.mark.parametrize("reach", ["99999999999999999999999", "²", "1000000001"])
@pytest.mark.slow
def test_a_reach_too_large_or_not_a_number_is_one_line(run, fails, reach):
    assert "reach is" in fails("add", "Maria", "--reach", reach)
    run("add", "Maria")
    assert "reach is" in fails("edit", "Maria", "--reach", reach)


@pytest.mark.slow
def test_import_json_with_a_list_for_an_id_is_one_line_or_imported(
    run, fails, tmp_path, isolated_database
):
    run("add", "Maria", "--email", "maria@example.org", "--tag", "venue")
    exported = tmp_path / "export.json"
    run("export", "json", "-o", str(exported))
    document = json.loads(exported.read_text())
    tables = document.get("tables", document)
    tables["email"][0]["person_id"] = [1]
    tables["person_tag"][0]["tag_id"] = {"id": 1}
    tables["person"][0]["id"] = [1, 2]
    exported.write_text(json.dumps(document))
    fresh = tmp_path / "fresh.db"
    outcome = run("--db", str(fresh), "import", "json", str(exported), "--merge", code=None)
    assert outcome.exit_code in (0, 1)
    assert len((outcome.stdout + outcome.stderr).strip().splitlines()) >= 1


@pytest.mark.parametrize("kind", ["csv", "vcard", "linkedin", "json"])
def test_an_import_larger_than_the_cap_is_refused(fails, tmp_path, monkeypatch, kind):
    import givenet.importers

    big = tmp_path / "big.txt"
    big.write_text("Name\n" + "Maria\n" * 2000)
    monkeypatch.setattr(givenet.importers, "MAX_IMPORT_BYTES", 1 << 10)
    assert "GiB" in fails("import", kind, str(big))


def _limited_memory():
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


@pytest.mark.slow
def test_importing_a_pipe_or_dev_zero_is_refused_at_once(tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    env = {**os.environ, "GIVENET_DB": str(tmp_path / "g.db")}
    for kind, source in [("csv", pipe), ("vcard", "/dev/zero"), ("json", "/dev/zero")]:
        done = subprocess.run(
            [sys.executable, "-m", "givenet", "import", kind, str(source)],
            capture_output=True, text=True, timeout=20, env=env, preexec_fn=_limited_memory,
        )  # fmt: skip
        assert done.returncode == 1 and "not a regular file" in done.stderr, done.stderr


# --- 11: vCard export and Unicode line breaks -----------------------------------------


@pytest.mark.slow
def test_vcard_export_escapes_unicode_line_breaks(run, tmp_path):
    run("add", "Ann\u2028Bee", "--org", "North\x85South\u2029Co", "--note", "one\u2028two")
    card = run("export", "vcard").stdout
    # A reader splitting on every Unicode line break sees the same lines as on CRLF.
    assert card.splitlines() == card.rstrip("\n").replace("\r\n", "\n").split("\n")
    assert not re.search("[\x85\u2028\u2029]", card)
    cards = tmp_path / "cards.vcf"
    cards.write_text(card)
    run("--db", str(tmp_path / "fresh.db"), "import", "vcard", str(cards))
    [person] = run("--db", str(tmp_path / "fresh.db"), "list", "--json").json()
    assert person["name"].split() == ["Ann", "Bee"]


# --- 7: forget and backups --------------------------------------------------------------


@pytest.mark.slow
def test_forget_names_the_backups_that_still_hold_the_person(run, isolated_database):
    run("add", "Maria Lopez", "--note", SECRET_NOTE)
    run("add", "Sam Stone")
    run("backup")
    [copy] = db.backups_of(isolated_database)
    forgotten = run("forget", "Maria", "--yes")
    assert str(copy) in forgotten.stderr and "still hold" in forgotten.stderr
    assert copy.exists()
    run("forget", "Sam", "--yes", "--backups")  # deletes the backups that hold Sam
    assert not copy.exists()
    assert run("backup").exit_code == 0  # a fresh one holds neither
    [fresh] = db.backups_of(isolated_database)
    assert SECRET_NOTE.encode() not in fresh.read_bytes()
    assert "still hold" not in run("add", "Ann").stderr


def test_forget_with_backups_deletes_the_pre_upgrade_backup_too(
    run, isolated_database, monkeypatch
):
    run("add", "Maria Lopez", "--note", SECRET_NOTE)
    _with_an_upgrade(monkeypatch)
    run("list")
    [upgrade_copy] = db.backups_of(isolated_database)
    assert upgrade_copy.name.endswith(".bak")
    out = run("forget", "Maria", "--yes", "--backups")
    assert f"Deleted the backup {upgrade_copy}" in out.stdout
    assert not upgrade_copy.exists()


@pytest.mark.slow
def test_an_import_dry_run_does_not_fail_on_a_full_disk(run, tmp_path, isolated_database):
    run("add", "Seed")
    rows = "".join(f"Person {i},p{i}@example.org,{'note words ' * 20}\n" for i in range(20_000))
    big = tmp_path / "big.csv"
    big.write_text("Name,Email,Notes\n" + rows)  # ~6 MB of changes: more than the page cache
    before = dump_database(isolated_database)
    with _file_size_limit(256 << 10):
        out = run("import", "csv", str(big), "--dry-run")
    assert "would add 20000" in out.stdout
    assert dump_database(isolated_database) == before
