"""Each fix of issue 12's items 12-17 taken out in turn: its test must go red.

A copy of src/ and tests/ is made in a temporary folder; each protection below is
removed there (one at a time), its test in tests/test_import_real_files.py is run
against the copy (PYTHONPATH), and the copy is put back. The working tree is
never touched. Prints RED (the test caught it) or GREEN? per protection.

    .venv/bin/python benchmarks/red_check_imports.py [LABEL-PART ...]
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
R = Path(tempfile.mkdtemp(prefix="givenet-red-"))
for part in ("src", "tests"):
    shutil.copytree(HERE / part, R / part, ignore=shutil.ignore_patterns("__pycache__"))
shutil.copy(HERE / "pyproject.toml", R / "pyproject.toml")
T = "tests/test_import_real_files.py"
M = [
    (
        "12 binary props kept",
        "src/givenet/importers/vcard.py",
        "        if bare in _BINARY:",
        "        if False:",
        "test_vcard_broken_properties_are_left_out",
    ),
    (
        "12 unparsable lines kept",
        "src/givenet/importers/vcard.py",
        "            vobject.base.parseLine(text)\n",
        "            pass\n",
        "test_vcard_unparsable_line_is_left_out_and_reported",
    ),
    (
        "12 PROFILE kept",
        "src/givenet/importers/vcard.py",
        '_DROPPED = {"PROFILE"}',
        "_DROPPED: set[str] = set()",
        "test_vcard_broken_properties_are_left_out",
    ),
    (
        "12 empty param not mended",
        "src/givenet/importers/vcard.py",
        '    head = _EMPTY_PARAM.sub("", head)\n',
        "",
        "test_vcard_broken_properties_are_left_out",
    ),
    (
        "13 charset ignored",
        "src/givenet/importers/vcard.py",
        '    if read_as != "cp1252":\n        return value',
        "    return value",
        "test_vcard_21_charset_is_honoured",
    ),
    (
        "13 utf-16 not sniffed",
        "src/givenet/importers/__init__.py",
        "        utf16 = _utf16_without_bom(handle.read(_SNIFF))",
        "        utf16 = None",
        "test_utf16_without_a_bom_is_detected",
    ),
    (
        "13 no NUL hint",
        "src/givenet/importers/csv_file.py",
        '    if "\\x00" in "".join(header):',
        "    if False:",
        "test_utf16_read_as_8_bit_suggests_utf16",
    ),
    (
        "13 no NUL hint (vCard)",
        "src/givenet/importers/vcard.py",
        "    if not cards and nul:",
        "    if False:",
        "test_utf16_read_as_8_bit_suggests_utf16",
    ),
    (
        "14 escapes kept",
        "src/givenet/importers/vcard.py",
        '    value = _NEEDLESS_ESCAPE.sub(r"\\1\\2", value)\n',
        "",
        "test_vcard_escapes_and_org_units",
    ),
    (
        "14 ORG units joined",
        "src/givenet/importers/vcard.py",
        "            return cleaned[0], cleaned[1:]",
        "            return ', '.join(cleaned), []",
        "test_vcard_escapes_and_org_units",
    ),
    (
        "14 ORG as before (_first_text)",
        "src/givenet/importers/vcard.py",
        "        org=org,",
        '        org=_first_text(card, "org"),',
        "test_vcard_escapes_and_org_units",
    ),
    (
        "15 2018 dates",
        "src/givenet/importers/linkedin.py",
        '    "%m/%d/%y, %I:%M %p",',
        "",
        "test_linkedin_2018_dates_and_namesakes_at_two_companies",
    ),
    (
        "15 date-only rows refused",
        "src/givenet/importers/linkedin.py",
        "            yield EmptyRow(where)\n            continue\n",
        "            pass\n",
        "test_linkedin_excel_dates_and_rows_with_only_a_date",
    ),
    (
        "15 namesakes merged",
        "src/givenet/store/importing.py",
        "        if record.org and owners:",
        "        if False:",
        "test_linkedin_2018_dates_and_namesakes_at_two_companies",
    ),
    (
        "16 no delimiter sniffing",
        "src/givenet/importers/csv_file.py",
        "    delimiter = sniff_delimiter(sample)",
        '    delimiter = ","',
        "test_semicolon_csv_from_excel",
    ),
    (
        "16 url not split",
        "src/givenet/importers/csv_file.py",
        '        url=next(iter(split_values(_first(columns, "url", cells))), None),',
        '        url=_first(columns, "url", cells),',
        "test_google_multi_values_and_my_contacts",
    ),
    (
        "16 My Contacts a tag",
        "src/givenet/importers/csv_file.py",
        "if tag and header_key(tag) not in GOOGLE_SYSTEM_LABELS",
        "if tag and tag.casefold() not in GOOGLE_SYSTEM_LABELS",
        "test_google_multi_values_and_my_contacts",
    ),
    (
        "16 old email columns",
        "src/givenet/importers/csv_file.py",
        '|email(home|work|personal|other|business)\\d*"',
        '"',
        "test_outlook_and_thunderbird_columns",
    ),
    (
        "16 old phone columns",
        "src/givenet/importers/csv_file.py",
        "|company|car|radio)phone",
        "|company)phone",
        "test_outlook_and_thunderbird_columns",
    ),
    (
        "16 no birth parts",
        "src/givenet/importers/csv_file.py",
        "    birthday_or_note(record, birthday or _birthday_of_parts(columns, cells), today)",
        "    birthday_or_note(record, birthday, today)",
        "test_outlook_and_thunderbird_columns",
    ),
    (
        "16 no web page 1/2",
        "src/givenet/importers/csv_file.py",
        '"webpage1", ',
        "",
        "test_outlook_and_thunderbird_columns",
    ),
    (
        "17 emails split on ::: only",
        "src/givenet/importers/csv_file.py",
        "for value in split_emails(cell)]",
        "for value in split_values(cell)]",
        "test_csv_and_vcard_round_trips_lose_and_double_nothing",
    ),
    (
        "17 notes not split",
        "src/givenet/importers/__init__.py",
        "    notes: list[RecordNote] = []\n",
        "    return [RecordNote(whole)]\n    notes: list[RecordNote] = []\n",
        "test_csv_and_vcard_round_trips_lose_and_double_nothing",
    ),
    (
        "17 vcard one NOTE",
        "src/givenet/exporters/vcard.py",
        '    for day, text in person.notes:\n        lines.append(_line("NOTE", escape(f"{day}: {text}")))',
        '    notes = "\\n".join(f"{day}: {text}" for day, text in person.notes)\n    if notes:\n        lines.append(_line("NOTE", escape(notes)))',
        "test_csv_and_vcard_round_trips_lose_and_double_nothing",
    ),
    (
        "17 cadence ignored",
        "src/givenet/importers/csv_file.py",
        '        record.profile["cadence_days"] = int(cadence)',
        "        pass",
        "test_csv_cadence_survives_a_round_trip",
    ),
]
ENV = {"PYTHONPATH": str(R / "src"), "PATH": "/usr/bin:/bin", "HOME": "/tmp"}
PY = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", T]
only = sys.argv[1:]
for label, file, old, new, tests in M:
    if only and not any(o in label for o in only):
        continue
    path = R / file
    original = path.read_text()
    assert original.count(old) == 1, (label, original.count(old))
    path.write_text(original.replace(old, new))
    try:
        r = subprocess.run([*PY, "-k", tests], cwd=R, env=ENV, capture_output=True, text=True)
        print(
            f"{'RED   ' if r.returncode else 'GREEN?'} {label}: {r.stdout.strip().splitlines()[-1]}"
        )
    finally:
        path.write_text(original)
r = subprocess.run(PY, cwd=R, env=ENV, capture_output=True, text=True)
print("all fixes in:", r.stdout.strip().splitlines()[-1])
shutil.rmtree(R)
