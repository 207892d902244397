"""What closeness of meaning costs: loading givenet.meaning_model and encoding texts.

Each figure is the median of ``--reps`` fresh processes (a load is paid once per
command): ``MeaningModel.load()`` with its first text encoded (without numpy),
for comparison numpy with the ``tokenizers`` package's tokenizer (what it loaded
before) and wordllama's own ``WordLlama.load``, and encoding
``--texts`` texts (the asks and offers of tests/data/match_set.json, repeated)
with their hubs.

    .venv/bin/python benchmarks/meaning_model.py            # needs givenet[meaning]
    .venv/bin/python benchmarks/meaning_model.py --reps 9 --texts 100000
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

OURS = (
    "from givenet.meaning_model import MeaningModel; "
    "MeaningModel.load().encode(['a venue for 40 people'], kind='ask')"
)
# What session 30 loaded: numpy and the tokenizers package's tokenizer.
NUMPY_AND_TOKENIZERS = (
    "import numpy; from importlib.util import find_spec; from pathlib import Path; "
    "from tokenizers import Tokenizer; Tokenizer.from_file(str(Path(find_spec('wordllama')"
    ".origin).parent / 'tokenizers' / 'l2_supercat_tokenizer_config.json'))"
)
THEIRS = (
    "import os, wordllama; wordllama.WordLlama.load("
    "cache_dir=os.path.dirname(wordllama.__file__), disable_download=True"
    ").embed(['a venue for 40 people'])"
)
ENCODE = """
import json, time
from pathlib import Path
from givenet.meaning_model import MeaningModel
data = json.loads(Path({path!r}).read_text())
texts = [a["text"] for a in data["asks"]] + [o["text"] for o in data["offers"]]
texts = (texts * ({count} // len(texts) + 1))[:{count}]
model = MeaningModel.load()
started = time.perf_counter()
model.encode(texts, kind="offer")
print(time.perf_counter() - started)
"""


def _seconds(code: str) -> float:
    """What the code's last line printed, in a fresh process."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(done.stdout.split()[-1])


def _timed(code: str) -> str:
    return f"import time; _t = time.perf_counter(); {code}; print(time.perf_counter() - _t)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--texts", type=int, default=20_000)
    args = parser.parse_args(argv)
    sets = Path(__file__).resolve().parent.parent / "tests" / "data" / "match_set.json"
    rows = [
        ("MeaningModel.load() and one text", _timed(OURS)),
        ("numpy and the tokenizers package's tokenizer, loaded", _timed(NUMPY_AND_TOKENIZERS)),
        ("wordllama's own WordLlama.load() and one text", _timed(THEIRS)),
        (
            f"encoding {args.texts:,} texts with their hubs (once loaded)",
            ENCODE.format(path=str(sets), count=args.texts),
        ),
    ]
    print(f"| what | median s of {args.reps} processes |")
    print("| --- | --- |")
    for name, code in rows:
        print(f"| {name} | {statistics.median(_seconds(code) for _ in range(args.reps)):.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
