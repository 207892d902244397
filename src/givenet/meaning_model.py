"""Texts as vectors of meaning, from wordllama's static model, read offline.

wordllama (MIT) ships a static embedding of Llama 2's 32,000 tokens (256
dimensions, float16, 16 MB) and its tokenizer inside its wheel. A text's vector
is the mean of its tokens' rows, scaled to unit length: the same numbers as
``wordllama.WordLlama.embed(texts, norm=True)``. givenet reads the two files
itself rather than through ``WordLlama.load``: that import pulls in
huggingface_hub, requests and pydantic (0.3–0.45 s here) where numpy, the
tokenizer and a memory-mapped weights file take about 0.12 s, and it never
looks for a network.

The *closeness* of an ask and an offer (``matching.closeness``) corrects their
cosine for hubs: a text that is near everything ("happy to help with anything")
would otherwise be near every ask. Each vector's hub is its mean cosine with the
``HUB_DEPTH`` nearest texts of the other kind in a fixed reference
(``data/closeness_reference.json``), so that a pair's closeness depends on the
pair alone, not on what else the network holds.

Needs the ``meaning`` extra (``pip install 'givenet[meaning]'``): wordllama,
numpy and tokenizers. Imported only where vectors are needed.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Sequence
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
TOKENIZED_AT_ONCE = 256
HUB_DEPTH = 5  # a vector's hub: its mean cosine with this many nearest reference texts


class ModelMissing(GivenetError):
    """The meaning extra is not installed (or its model files are not where it puts them)."""


@dataclass(frozen=True)
class Encoded:
    """Texts as unit vectors (rows, float32) and each one's hub."""

    vectors: np.ndarray
    hubs: np.ndarray


class MeaningModel:
    """wordllama's static model, loaded once; ``load`` finds it."""

    def __init__(self, tokenizer: Any, table: np.ndarray) -> None:
        self._tokenizer = tokenizer
        self._table = table  # (tokens, DIMENSIONS) float16, memory-mapped
        self._reference: tuple[np.ndarray, np.ndarray] | None = None

    @classmethod
    def load(cls) -> MeaningModel:
        """The model, from the installed wordllama package's files; ``ModelMissing``
        when the extra is not installed."""
        try:
            import numpy as np
            from tokenizers import Tokenizer
        except ImportError as error:
            raise ModelMissing(_MISSING) from error
        spec = find_spec("wordllama")
        if spec is None or spec.origin is None:
            raise ModelMissing(_MISSING)
        root = Path(spec.origin).parent
        try:
            tokenizer = Tokenizer.from_file(str(root / TOKENIZER))
            table = _safetensors_table(np, root / WEIGHTS)
        except Exception as error:  # tokenizers raises a bare Exception for a missing file
            raise ModelMissing(f"wordllama's model files cannot be read: {error}") from error
        return cls(tokenizer, table)

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """Each text as a unit vector (one float32 row each); an empty text's is zeros."""
        import numpy as np

        out = np.zeros((len(texts), self._table.shape[1]), dtype=np.float32)
        last = self._table.shape[0] - 1
        texts = list(texts)
        # The tokenizer's encodings, a few hundred at a time: each holds its tokens,
        # offsets and masks, far more than the ids read here.
        for start in range(0, len(texts), TOKENIZED_AT_ONCE):
            encodings = self._tokenizer.encode_batch(
                texts[start : start + TOKENIZED_AT_ONCE], add_special_tokens=False
            )
            for row, ids in enumerate((encoding.ids for encoding in encodings), start):
                if not ids:
                    continue
                at = np.minimum(np.asarray(ids, dtype=np.int64), last)
                mean = self._table[at].astype(np.float32).mean(axis=0)
                length = float(np.linalg.norm(mean))
                if length > 0:
                    out[row] = mean / length
        return out

    def encode(self, texts: Sequence[str], *, kind: str) -> Encoded:
        """Texts of one kind ("ask" or "offer") as vectors, with their hubs measured
        against the reference texts of the other kind."""
        import numpy as np

        vectors = self.vectors(texts)
        asks, offers = self._reference_vectors()
        other = offers if kind == "ask" else asks
        cosines = vectors @ other.T
        depth = min(HUB_DEPTH, other.shape[0])
        hubs = np.sort(cosines, axis=1)[:, -depth:].mean(axis=1).astype(np.float32)
        return Encoded(vectors, hubs)

    def _reference_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        if self._reference is None:
            reference = reference_texts()
            self._reference = (
                self.vectors(reference["asks"]),
                self.vectors(reference["offers"]),
            )
        return self._reference


def reference_texts() -> dict[str, list[str]]:
    """The fixed reference asks and offers that hubs are measured against."""
    text = (
        resources.files("givenet")
        .joinpath("data", "closeness_reference.json")
        .read_text(encoding="utf-8")
    )
    data = json.loads(text)
    return {"asks": list(data["asks"]), "offers": list(data["offers"])}


def _safetensors_table(np: Any, path: Path) -> np.ndarray:
    """The one float16 table of a safetensors file, memory-mapped (the format: an
    8-byte little-endian header length, a JSON header, then the raw tensor)."""
    with path.open("rb") as file:
        (length,) = struct.unpack("<Q", file.read(8))
        header = json.loads(file.read(length))
    (name,) = [key for key in header if key != "__metadata__"]
    tensor = header[name]
    if tensor["dtype"] != "F16" or len(tensor["shape"]) != 2:
        raise ValueError(f"{path.name}: expected one 2-D float16 table, found {tensor['dtype']}")
    start, end = tensor["data_offsets"]
    rows, columns = tensor["shape"]
    if end - start != rows * columns * 2:
        raise ValueError(f"{path.name}: the table's size does not match its shape")
    return np.memmap(
        path, dtype=np.float16, mode="r", offset=8 + length + start, shape=(rows, columns)
    )


_MISSING = (
    "matching by closeness of meaning needs the meaning extra: pip install 'givenet[meaning]'"
)
