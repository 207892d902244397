"""Texts as vectors of meaning, from wordllama's static model, read offline.

wordllama (MIT) ships a static embedding of Llama 2's 32,000 word pieces (256
dimensions, float16, 16 MB) and its tokenizer inside its wheel. A text's vector is
the mean of its pieces' rows, scaled to unit length: the numbers of
``wordllama.WordLlama.embed(texts, norm=True)``. givenet reads the two files itself
and never looks for a network:

- the tokenizer (``WordPieces``) is Llama 2's byte-fallback BPE, in Python: for the
  one text a command writes, parsing its file takes 35 ms where the ``tokenizers``
  package takes 60 ms to build its own (and ``WordLlama.load`` 0.3 s, importing
  huggingface_hub, requests and pydantic). It gives ``tokenizers``' pieces exactly
  (tested), and caches each word's.
- the weights are memory-mapped: a few texts read their rows with ``struct``; a batch
  reads them through numpy, whose import (60 ms) would otherwise be most of the cost
  of a one-text write.

The *closeness* of an ask and an offer (``matching.closeness``) corrects their cosine
for hubs: a text that is near everything ("happy to help with anything") would
otherwise be near every ask. Each vector's hub is its mean cosine with the
``HUB_DEPTH`` nearest texts of the other kind in a fixed reference
(``data/closeness_reference.json``, whose vectors are kept beside it in
``closeness_reference.f16``), so that a pair's closeness depends on the pair alone,
not on what else the network holds.

Vectors are stored as float16 (``Encoded.vectors``: 512 bytes each) and computed in
float64 from float16 rows, whose sums are then exact: the plain and the numpy paths
give the same bytes (tested).

Needs the ``meaning`` extra (``pip install 'givenet[meaning]'``): wordllama and
numpy. Imported only where vectors are needed.
"""

from __future__ import annotations

import itertools
import json
import math
import mmap
import operator
import re
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any

from givenet.errors import GivenetError

if TYPE_CHECKING:
    import numpy as np

# wordllama 0.4's files, inside its package.
TOKENIZER = Path("tokenizers") / "l2_supercat_tokenizer_config.json"
WEIGHTS = Path("weights") / "l2_supercat_256.safetensors"
DIMENSIONS = 256
HUB_DEPTH = 5  # a vector's hub: its mean cosine with this many nearest reference texts
# Up to this many texts are encoded without numpy: its import costs more than it saves.
PLAIN_AT_MOST = 8
UNITS_AT_ONCE = 1000  # texts whose rows are summed in one array (about 20 MB)
ROW = struct.Struct(f"<{DIMENSIONS}e")  # one float16 vector as stored
ZERO = bytes(ROW.size)  # the vector of a text with no pieces: no direction at all
REFERENCE = "closeness_reference.json"
REFERENCE_VECTORS = "closeness_reference.f16"  # its asks' then its offers' rows


class ModelMissing(GivenetError):
    """The meaning extra is not installed (or its model files are not where it puts them)."""


@dataclass(frozen=True)
class Encoded:
    """Texts as float16 unit vectors (``ROW``'s bytes) and each one's hub."""

    vectors: list[bytes]
    hubs: list[float]


class WordPieces:
    """Llama 2's tokenizer as wordllama ships it: each run of text between the special
    tokens gets a leading "▁" and its spaces as "▁", then byte-pair merges, lowest rank
    first (leftmost on a tie); a character outside the vocabulary is its UTF-8 bytes'
    pieces. No piece holds a "▁" after another character, so the merges never cross a
    word's start: each word is merged alone, and remembered."""

    SPECIAL = re.compile(r"(<unk>|<s>|</s>)")
    WORD = re.compile(r"▁*[^▁]+|▁+")

    def __init__(self, vocab: dict[str, int], merges: dict[str, int]) -> None:
        self._vocab = vocab
        self._merges = merges  # "left right": rank
        self._words: dict[str, list[int]] = {}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> WordPieces:
        """From a ``tokenizer.json`` of this shape; ``ValueError`` for any other."""
        model = config.get("model") or {}
        normalizer = config.get("normalizer") or {}
        steps = normalizer.get("normalizers", [])
        if (
            model.get("type") != "BPE"
            or not model.get("byte_fallback")
            or model.get("ignore_merges")
            or config.get("pre_tokenizer") is not None
            or steps
            != [
                {"type": "Prepend", "prepend": "▁"},
                {"type": "Replace", "pattern": {"String": " "}, "content": "▁"},
            ]
            or {token["content"] for token in config.get("added_tokens", [])}
            != {"<unk>", "<s>", "</s>"}
        ):
            raise ValueError("the tokenizer is not Llama 2's byte-fallback BPE")
        vocab = model["vocab"]
        merges = model["merges"]
        if merges and not isinstance(merges[0], str):  # tokenizers' newer [left, right]
            merges = [" ".join(merge) for merge in merges]
        if any(f"<0x{byte:02X}>" not in vocab for byte in range(256)):
            raise ValueError("the tokenizer lacks a byte's piece")
        return cls(vocab, {merge: rank for rank, merge in enumerate(merges)})

    def ids(self, text: str) -> list[int]:
        """The text's pieces' ids (no start token), as ``tokenizers`` gives them."""
        out: list[int] = []
        for part in self.SPECIAL.split(text):
            if not part:
                continue
            if part in ("<unk>", "<s>", "</s>"):
                out.append(self._vocab[part])
                continue
            for word in self.WORD.findall("▁" + part.replace(" ", "▁")):
                found = self._words.get(word)
                if found is None:
                    found = self._words[word] = self._merged(word)
                out.extend(found)
        return out

    def _merged(self, word: str) -> list[int]:
        vocab, merges = self._vocab, self._merges
        pieces: list[str] = []
        for char in word:
            if char in vocab:
                pieces.append(char)
            else:
                # (a lone surrogate, as from undecodable bytes in argv, is a "?")
                pieces.extend(f"<0x{byte:02X}>" for byte in char.encode("utf-8", "replace"))
        while len(pieces) > 1:
            best, at = None, 0
            for here in range(len(pieces) - 1):
                rank = merges.get(f"{pieces[here]} {pieces[here + 1]}")
                if rank is not None and (best is None or rank < best):
                    best, at = rank, here
            if best is None:
                break
            pieces[at : at + 2] = [pieces[at] + pieces[at + 1]]
        return [vocab[piece] for piece in pieces]


class _Table:
    """The weights' one float16 table, memory-mapped."""

    def __init__(self, path: Path) -> None:
        with path.open("rb") as file:
            (length,) = struct.unpack("<Q", file.read(8))
            header = json.loads(file.read(length))
            (name,) = [key for key in header if key != "__metadata__"]
            tensor = header[name]
            if tensor["dtype"] != "F16" or len(tensor["shape"]) != 2:
                raise ValueError(
                    f"{path.name}: expected one 2-D float16 table, found {tensor['dtype']}"
                )
            start, end = tensor["data_offsets"]
            self.rows, self.columns = tensor["shape"]
            if end - start != self.rows * self.columns * 2:
                raise ValueError(f"{path.name}: the table's size does not match its shape")
            if self.columns != DIMENSIONS:
                raise ValueError(f"{path.name}: expected {DIMENSIONS} columns")
            self.offset = 8 + length + start
            if path.stat().st_size < self.offset + end - start:
                raise ValueError(f"{path.name}: the file is shorter than its table")
            self._map = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)

    def row(self, piece: int) -> tuple[float, ...]:
        return ROW.unpack_from(self._map, self.offset + ROW.size * piece)

    def array(self) -> np.ndarray:
        import numpy as np

        return np.frombuffer(
            self._map, dtype="<f2", count=self.rows * self.columns, offset=self.offset
        ).reshape(self.rows, self.columns)


class MeaningModel:
    """wordllama's static model, loaded once; ``load`` finds it."""

    def __init__(self, pieces: WordPieces, table: _Table) -> None:
        self._pieces = pieces
        self._table = table
        self._reference: tuple[list[tuple[float, ...]], list[tuple[float, ...]]] | None = None

    @classmethod
    def load(cls) -> MeaningModel:
        """The model, from the installed wordllama package's files; ``ModelMissing``
        when the extra is not installed."""
        spec = find_spec("wordllama")
        if spec is None or spec.origin is None or find_spec("numpy") is None:
            raise ModelMissing(_MISSING)
        root = Path(spec.origin).parent
        try:
            pieces = WordPieces.from_config(json.loads((root / TOKENIZER).read_bytes()))
            table = _Table(root / WEIGHTS)
        except (OSError, ValueError, KeyError, struct.error) as error:
            raise ModelMissing(f"wordllama's model files cannot be read: {error}") from error
        return cls(pieces, table)

    def ids(self, text: str) -> list[int]:
        """The text's word pieces (those past the table's end read its last row, as
        wordllama does)."""
        last = self._table.rows - 1
        return [min(piece, last) for piece in self._pieces.ids(text)]

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """Each text as a unit vector (one float32 row each, not rounded to float16);
        an empty text's is zeros. Through numpy: for batches and benchmarks."""
        import numpy as np

        return self._units(np, texts).astype(np.float32)

    def encode(self, texts: Sequence[str], *, kind: str) -> Encoded:
        """Texts of one kind ("ask" or "offer") as stored vectors, with their hubs
        measured against the reference texts of the other kind."""
        asks, offers = self.reference()
        other = offers if kind == "ask" else asks
        depth = min(HUB_DEPTH, len(other))
        if len(texts) <= PLAIN_AT_MOST:
            vectors = [self._plain(text) for text in texts]
            hubs = [_hub(ROW.unpack(vector), other, depth) for vector in vectors]
            return Encoded(vectors, hubs)
        import numpy as np

        rows = self._units(np, texts).astype("<f2")
        cosines = rows.astype(np.float64) @ np.array(other, dtype=np.float64).T
        nearest = np.sort(cosines, axis=1)[:, -depth:]
        return Encoded([row.tobytes() for row in rows], _means(nearest, depth))

    def reference(self) -> tuple[list[tuple[float, ...]], list[tuple[float, ...]]]:
        """The reference asks' and offers' stored vectors (read from
        ``closeness_reference.f16``)."""
        if self._reference is None:
            counts = {kind: len(texts) for kind, texts in reference_texts().items()}
            try:
                data = resources.files("givenet").joinpath("data", REFERENCE_VECTORS).read_bytes()
            except OSError:
                data = b""
            rows = list(ROW.iter_unpack(data)) if len(data) % ROW.size == 0 else []
            if len(rows) != counts["asks"] + counts["offers"]:
                raise ModelMissing(
                    f"{REFERENCE_VECTORS} does not hold {REFERENCE}'s vectors; "
                    "see docs/development.md to write it again"
                )
            self._reference = (rows[: counts["asks"]], rows[counts["asks"] :])
        return self._reference

    def reference_vectors(self) -> bytes:
        """What ``closeness_reference.f16`` must hold: the reference texts' vectors."""
        texts = reference_texts()
        return b"".join(self._plain(text) for text in [*texts["asks"], *texts["offers"]])

    def _plain(self, text: str) -> bytes:
        """One text's stored vector, without numpy (``_units``' numbers, in Python)."""
        ids = self.ids(text)
        if not ids:
            return ZERO
        rows = [self._table.row(piece) for piece in ids]
        mean = [math.fsum(column) / len(ids) for column in zip(*rows, strict=True)]
        length = math.sqrt(math.fsum(value * value for value in mean))
        return ROW.pack(*(value / length for value in mean)) if length > 0 else ZERO

    def _units(self, np: Any, texts: Sequence[str]) -> np.ndarray:
        """The texts' unit vectors in float64, ``UNITS_AT_ONCE`` texts' rows at a time:
        the means of float16 rows summed exactly (each sum a multiple of float16's
        least step, far below 2**53 of them), their lengths by ``math.fsum``, so that
        ``_plain`` gives the same numbers."""
        table = self._table.array()
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float64)
        for start in range(0, len(texts), UNITS_AT_ONCE):
            pieces = [self._pieces.ids(text) for text in texts[start : start + UNITS_AT_ONCE]]
            counts = np.array([len(ids) for ids in pieces])
            rows = np.flatnonzero(counts) + start  # texts with no piece stay zeros
            if not len(rows):
                continue
            flat = np.minimum(
                np.fromiter(itertools.chain.from_iterable(pieces), np.int64), table.shape[0] - 1
            )
            counts = counts[counts > 0]
            firsts = np.cumsum(counts) - counts
            means = np.empty((len(counts), DIMENSIONS), dtype=np.float64)
            # The texts of each length together: their rows as one (texts, length,
            # DIMENSIONS) array, summed over the length (far faster than reduceat).
            for length in np.unique(counts).tolist():
                these = np.flatnonzero(counts == length)
                at = flat[firsts[these][:, None] + np.arange(length)]
                means[these] = table[at].astype(np.float64).sum(axis=1) / length
            lengths = np.sqrt(list(map(math.fsum, (means * means).tolist())))
            out[rows] = means / lengths[:, None]
        return out


def _hub(vector: Sequence[float], other: Iterable[Sequence[float]], depth: int) -> float:
    cosines = sorted(math.fsum(map(operator.mul, vector, row)) for row in other)
    return _means([cosines[-depth:]], depth)[0]


def _means(nearest: Any, depth: int) -> list[float]:
    """Each row's mean, added smallest first: one number on both paths."""
    return [sum(row) / depth for row in (list(map(float, row)) for row in nearest)]


def reference_texts() -> dict[str, list[str]]:
    """The fixed reference asks and offers that hubs are measured against."""
    text = resources.files("givenet").joinpath("data", REFERENCE).read_text(encoding="utf-8")
    data = json.loads(text)
    return {"asks": list(data["asks"]), "offers": list(data["offers"])}


_MISSING = (
    "matching by closeness of meaning needs the meaning extra: pip install 'givenet[meaning]'"
)
