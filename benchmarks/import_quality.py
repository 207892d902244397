"""How many real-shaped files import fully: a labelled count, not a timing.

Each file of ``tests/data/`` (shapes other tools write) and of the shared corpus
(``../shared/corpus/``, when it is there) is imported into a fresh database,
without ``--skip-invalid``. A file **imports fully** when the import is not
refused and no row or card is skipped; a tests/data file imports *right* when,
besides, exactly the people of ``EXPECTED`` come in, with those names. Printed: one line per file, then the counts.

    .venv/bin/python benchmarks/import_quality.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = {
    "tests/data": HERE.parent / "tests" / "data",
    "corpus": HERE.parent.parent / "shared" / "corpus",
}


# The people each tests/data file holds, by name: a file imports *right* when it
# imports fully and exactly these people come in (a garbled charset or a left
# escape shows in a name).
EXPECTED = {
    "email-home-work.csv": ["Wei Chen"],
    "excel-semicolon.csv": ["Ann Lee", "José Müller"],
    "google-contacts.csv": ["Maria Lopez", "Sam Okafor"],
    "linkedin-2018.csv": ["John Smith", "John Smith", "Maria Lopez"],
    "linkedin-excel.csv": ["Maria Lopez", "Priya Nair", "Priya Nair", "Sam Okafor"],
    "outlook-contacts.csv": ["Grace Lin"],
    "thunderbird.csv": ["Hana Yusuf", "Omar Haddad"],
    "utf16be-no-bom.csv": ["Wei Chen", "Άννα Κώστα"],
    "utf16le-no-bom.vcf": ["Zoë Adebayo"],
    "vcard-21-charsets.vcf": ["José Müller", "Νίκος Παπαδόπουλος", "Анна Петрова"],
    "vcard-broken-properties.vcf": [
        "Data Uri",
        "Good Photo",
        "Grace Lin",
        "Lotus Notes",
        "Truncated Photo",
    ],
    "vcard-escapes.vcf": ["Ann Lee", "Seán O'Brien"],
}


def kind_of(path: Path) -> str | None:
    if path.suffix.lower() == ".vcf":
        return "vcard"
    if path.suffix.lower() == ".csv":
        return "linkedin" if path.name.lower().startswith("linkedin") else "csv"
    return None


def main() -> int:
    from givenet.core.data import import_file
    from givenet.core.network import Network
    from givenet.core.people import list_people
    from givenet.errors import GivenetError

    totals: dict[str, list[int]] = {}
    for label, folder in SOURCES.items():
        files = sorted(p for p in folder.rglob("*") if p.is_file() and kind_of(p))
        full = right = people = 0
        for path in files:
            kind = kind_of(path)
            assert kind is not None
            with tempfile.TemporaryDirectory() as scratch:
                network = Network(Path(scratch) / "g.db")
                try:
                    summary = import_file(network, kind, path)  # type: ignore[arg-type]
                except GivenetError as error:
                    print(f"refused   {label}/{path.name}: {str(error)[:110]}")
                    continue
                names = sorted(person.name for person in list_people(network))
            skipped = len(summary.skipped)
            left_out = len(getattr(summary, "left_out", ()))
            state = "full" if not skipped else "partial"
            full += not skipped
            wanted = EXPECTED.get(path.name) if label == "tests/data" else None
            if not skipped and wanted is not None and names == sorted(wanted):
                state = "right"
                right += 1
            elif not skipped and wanted is not None:
                state = "wrong"
            people += summary.added
            extra = f", {left_out} parts left out" if left_out else ""
            print(f"{state:9} {label}/{path.name}: {summary.added} added, {skipped} skipped{extra}")
        totals[label] = [full, right, len(files), people]
    print()
    for label, (full, right, count, people) in totals.items():
        checked = f", {right} with exactly the people expected" if label == "tests/data" else ""
        print(f"{label}: {full} of {count} files import fully{checked} ({people} people added)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
