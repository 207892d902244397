"""Closeness of meaning: wordllama's vectors read offline, and the rule that combines
them with the words-and-phrases score (``matching.with_closeness``)."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import struct
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import heavy_modules_after
from givenet import meaning_model
from givenet.matching import PairEvidence, closeness, score_pair, with_closeness
from givenet.meaning_model import (
    HUB_DEPTH,
    ROW,
    MeaningModel,
    ModelMissing,
    WordPieces,
    reference_texts,
)
from givenet.store import vectors

np = pytest.importorskip("numpy")
DATA = Path(__file__).parent / "data"

TEXTS = [
    "Needs a venue for 40 people for a fundraising dinner",
    "Private dining room at our restaurant, seats 50",
    "my nephew just arrived and wants work as a cook",
    "Kitchen training programme for newcomers",
    "Café in Zürich — naïve “quotes” and emoji ☕",
]


@pytest.fixture(scope="module")
def model() -> MeaningModel:
    return MeaningModel.load()


def test_its_vectors_are_wordllamas_own(model):
    """givenet reads wordllama's files itself: the same unit vectors as WordLlama.embed."""
    import os

    import wordllama

    theirs = wordllama.WordLlama.load(
        cache_dir=os.path.dirname(wordllama.__file__), disable_download=True
    ).embed(TEXTS, norm=True)
    ours = model.vectors(TEXTS)
    assert ours.shape == (len(TEXTS), meaning_model.DIMENSIONS)
    assert np.allclose(ours, theirs, atol=1e-5)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_it_loads_and_encodes_with_no_network(monkeypatch):
    """givenet must work in an aeroplane: no socket is ever opened."""

    def no_network(*args, **kwargs):
        raise OSError("no network here")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    encoded = MeaningModel.load().encode(TEXTS[:2], kind="ask")
    assert [len(vector) for vector in encoded.vectors] == [ROW.size, ROW.size]


def _labelled_texts() -> list[str]:
    texts = []
    for name in ("match_set", "match_heldout", "match_heldout2", "match_heldout3"):
        data = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
        texts += [item["text"] for item in data["asks"] + data["offers"]]
    return texts


@pytest.fixture(scope="module")
def their_tokenizer():
    import wordllama
    from tokenizers import Tokenizer

    root = Path(wordllama.__file__).parent
    return Tokenizer.from_file(str(root / meaning_model.TOKENIZER))


def test_its_word_pieces_are_the_tokenizers_packages_own(model, their_tokenizer):
    for text in [*_labelled_texts(), *TEXTS, "", "  two  spaces ", "a <s> b</s><unk>c"]:
        theirs = their_tokenizer.encode(text, add_special_tokens=False).ids
        assert model._pieces.ids(text) == theirs, text


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("ab ▁<>/sunk\t\né中😀\u0301"))
        | st.characters(exclude_categories=["Cs"])
    )
)
def test_any_text_gets_the_tokenizers_packages_pieces(model, their_tokenizer, text):
    assert model._pieces.ids(text) == their_tokenizer.encode(text, add_special_tokens=False).ids


def test_a_lone_surrogate_is_the_piece_of_a_question_marks_byte(model):
    """Bytes in argv that are not UTF-8 reach Python as lone surrogates."""
    assert model._pieces.ids("a\udcff") == [*model._pieces.ids("a"), 3 + ord("?")]


def test_no_word_piece_joins_a_word_to_the_one_before(model):
    """Why each word can be merged alone: no piece holds a "▁" (a space) after another
    character, but runs of spaces."""
    joined = [p for p in model._pieces._vocab if "▁" in p.lstrip("▁") and set(p) != {"▁"}]
    assert joined == []


def test_one_text_and_a_batch_give_the_same_bytes_and_hubs(model):
    """A text written alone (in Python) and in a batch (through numpy) is stored alike."""
    texts = [*_labelled_texts(), "", "<s>", "   "]
    assert len(texts) > meaning_model.PLAIN_AT_MOST
    for kind in ("ask", "offer"):
        batch = model.encode(texts, kind=kind)
        alone = [model.encode([text], kind=kind) for text in texts]
        assert batch.vectors == [one.vectors[0] for one in alone]
        assert batch.hubs == [one.hubs[0] for one in alone]


def test_the_reference_vectors_are_the_models_own(model):
    """``data/closeness_reference.f16`` holds the reference texts' vectors; after a
    change of the texts or the model: GIVENET_WRITE_DATA=1 pytest -k reference_vectors."""
    path = Path(meaning_model.__file__).parent / "data" / meaning_model.REFERENCE_VECTORS
    expected = model.reference_vectors()
    if os.environ.get("GIVENET_WRITE_DATA"):
        path.write_bytes(expected)
    assert path.read_bytes() == expected, (
        "closeness_reference.f16 is out of date: GIVENET_WRITE_DATA=1 pytest -k reference_vectors"
    )


def test_a_text_with_no_pieces_is_no_direction_at_all(model):
    encoded = model.encode(["", TEXTS[0]], kind="ask")
    assert encoded.vectors[0] == bytes(ROW.size) and any(encoded.vectors[1])


def _matrix(vectors):
    return np.array([ROW.unpack(vector) for vector in vectors])


def test_a_hub_is_the_mean_cosine_with_the_nearest_reference_texts_of_the_other_kind(model):
    reference = reference_texts()
    offers = model.vectors(reference["offers"])
    asks = model.vectors(reference["asks"])
    as_ask = model.encode(TEXTS, kind="ask")
    as_offer = model.encode(TEXTS, kind="offer")
    for row, vector in enumerate(_matrix(as_ask.vectors)):
        nearest = sorted((offers @ vector).tolist())[-HUB_DEPTH:]
        assert as_ask.hubs[row] == pytest.approx(sum(nearest) / HUB_DEPTH, abs=1e-3)
    for row, vector in enumerate(_matrix(as_offer.vectors)):
        nearest = sorted((asks @ vector).tolist())[-HUB_DEPTH:]
        assert as_offer.hubs[row] == pytest.approx(sum(nearest) / HUB_DEPTH, abs=1e-3)
    assert as_ask.hubs != as_offer.hubs
    assert len(reference["asks"]) >= 100 and len(reference["offers"]) >= 90


def test_the_model_says_a_venue_is_closer_to_a_dining_room_than_to_a_cooks_job(model):
    asks = model.encode([TEXTS[0], TEXTS[2]], kind="ask")
    offers = model.encode([TEXTS[1], TEXTS[3]], kind="offer")
    close = closeness(
        _matrix(asks.vectors) @ _matrix(offers.vectors).T,
        np.array(asks.hubs)[:, None],
        np.array(offers.hubs)[None, :],
    )
    assert close[0, 0] > close[0, 1]  # the venue: the dining room, not the training
    assert close[1, 1] > close[1, 0]  # the new cook: the training, not the room


def test_without_the_extra_loading_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(meaning_model, "find_spec", lambda name: None)
    with pytest.raises(ModelMissing, match=r"pip install 'givenet\[meaning\]'"):
        MeaningModel.load()


def _safetensors(path, dtype, shape, size):
    header = json.dumps(
        {"embedding.weight": {"dtype": dtype, "shape": shape, "data_offsets": [0, size]}}
    ).encode()
    path.write_bytes(struct.pack("<Q", len(header)) + header + bytes(size))


def test_a_weights_file_it_cannot_read_is_a_clear_error(tmp_path):
    good = tmp_path / "good.safetensors"
    _safetensors(good, "F16", [4, 256], 2048)
    table = meaning_model._Table(good)
    assert table.array().shape == (4, 256) and table.row(3) == (0.0,) * 256
    for name, dtype, shape, size, message in [
        ("f32", "F32", [4, 256], 4096, "float16"),
        ("short", "F16", [4, 256], 2000, "size"),
        ("narrow", "F16", [4, 3], 24, "256 columns"),
    ]:
        _safetensors(tmp_path / name, dtype, shape, size)
        with pytest.raises(ValueError, match=message):
            meaning_model._Table(tmp_path / name)


def _tiny_tokenizer(merges):
    vocab = {"<unk>": 0, "<s>": 1, "</s>": 2}
    vocab |= {f"<0x{byte:02X}>": 3 + byte for byte in range(256)}
    vocab |= {"▁": 259, "a": 260, "▁a": 261}
    return {
        "added_tokens": [{"content": token} for token in ("<unk>", "<s>", "</s>")],
        "normalizer": {
            "type": "Sequence",
            "normalizers": [
                {"type": "Prepend", "prepend": "▁"},
                {"type": "Replace", "pattern": {"String": " "}, "content": "▁"},
            ],
        },
        "pre_tokenizer": None,
        "model": {"type": "BPE", "byte_fallback": True, "vocab": vocab, "merges": merges},
    }


def test_a_tokenizers_merges_may_be_strings_or_pairs():
    for merges in (["▁ a"], [["▁", "a"]]):
        pieces = WordPieces.from_config(_tiny_tokenizer(merges))
        assert pieces.ids("a b<s>") == [261, 259, 3 + ord("b"), 1]


def test_a_tokenizer_of_another_shape_is_refused(model):
    with pytest.raises(ValueError, match="byte-fallback BPE"):
        WordPieces.from_config({"model": {"type": "WordPiece"}})


def test_a_model_whose_files_are_gone_is_missing(monkeypatch, tmp_path):
    class Spec:
        origin = str(tmp_path / "__init__.py")

    monkeypatch.setattr(meaning_model, "find_spec", lambda name: Spec())
    with pytest.raises(ModelMissing, match="cannot be read"):
        MeaningModel.load()


# --- the rule ------------------------------------------------------------------------


def test_closeness_is_twice_the_cosine_less_both_hubs():
    assert closeness(0.5, 0.3, 0.2) == pytest.approx(0.5)
    assert closeness(0.5, 0.6, 0.6) < closeness(0.5, 0.2, 0.2)  # hubs near everything


def _close(points, close, *, same_need=False, needs_disagree=False, tagged=False):
    return with_closeness(
        points, tagged=tagged, same_need=same_need, needs_disagree=needs_disagree, close=close
    )


def test_the_combination_keeps_a_match_that_says_the_same_need():
    assert _close(4.0, 0.1, same_need=True) is not None


def test_the_combination_stops_a_shared_word_when_the_needs_disagree():
    """ "a small business loan from a bank" / "Food bank open Tuesdays": one shared word,
    two needs that differ, not close in meaning."""
    assert _close(1.0, 0.0, needs_disagree=True) is None


def test_closeness_never_makes_a_match_alone():
    """Nothing shared on the offer: however close in meaning, no match ("a van" and
    "vanilla ice cream" share a word piece)."""
    evidence = PairEvidence(ask_tags=(), offer_tags=(), helper_tags=(), close=0.9)
    assert not score_pair(evidence).is_match


def test_a_match_found_in_the_offers_tags_is_never_vetoed():
    assert _close(3.0, -0.9) is None
    assert _close(3.0, -0.9, tagged=True) == 3.0


def test_the_combination_ranks_the_closer_of_two_equal_matches_first():
    assert _close(2.0, 0.4, same_need=True) > _close(2.0, 0.1, same_need=True)


# --- stored vectors, through the command line ----------------------------------------

BOILER = "the boiler's broken and we have no hot water"
PLUMBER = "Gas Safe plumber, heating and radiators"


def _vectors(path, table):
    connection = sqlite3.connect(path)
    try:
        return connection.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
    finally:
        connection.close()


@pytest.mark.sqlite_only
def test_an_ask_and_an_offer_get_their_vectors_and_forget_erases_them(run, isolated_database):
    run("add", "Ann Boiler")
    run("ask", "Ann", BOILER)
    run("add", "Pat Plumber")
    run("offer", "Pat", PLUMBER)
    [(_, vector, hub)] = _vectors(isolated_database, "ask_vector")
    [(offer_id, _, _)] = _vectors(isolated_database, "offer_vector")
    expected = MeaningModel.load().encode([BOILER], kind="ask")
    assert vector == expected.vectors[0] and len(vector) == 2 * meaning_model.DIMENSIONS
    assert hub == expected.hubs[0]
    run("forget", "Ann", "--yes")
    assert _vectors(isolated_database, "ask_vector") == []
    assert [row[0] for row in _vectors(isolated_database, "offer_vector")] == [offer_id]


PYTHON = "a new home for my pet python, I'm moving abroad"


def test_closeness_stops_a_false_friend_the_words_alone_propose(run, monkeypatch):
    """ "python" is the only word shared: far apart in meaning, the pair is not proposed;
    without vectors (GIVENET_MEANING=off), the words alone propose it."""
    run("add", "Ann Snake")
    run("ask", "Ann", PYTHON)
    run("add", "Tom Teacher")
    run("offer", "Tom", "Teaches Python to complete beginners")
    assert run("match", "--json").json() == []
    monkeypatch.setenv("GIVENET_MEANING", "off")
    run("match", "--rebuild")
    [pair] = run("match", "--json").json()
    assert pair["helper"]["name"] == "Tom Teacher" and pair["matched"] == ["python"]
    monkeypatch.delenv("GIVENET_MEANING")
    run("match", "--rebuild")
    assert run("match", "--json").json() == []


def test_who_leaves_out_a_false_friend_far_apart_in_meaning(run, monkeypatch):
    """`who` weighs each person's offers as `match` weighs a pair."""
    run("add", "Tom Teacher")
    run("offer", "Tom", "Teaches Python to complete beginners")
    assert run("who", PYTHON, "--json").json() == []
    monkeypatch.setenv("GIVENET_MEANING", "off")
    assert [p["name"] for p in run("who", PYTHON, "--json").json()] == ["Tom Teacher"]


def test_closeness_ranks_the_helper_closer_in_meaning_first(run, monkeypatch):
    """Two offers share one word each with the ask: the words alone tie them (the
    lower id first); closeness of meaning puts the plumber first."""
    run("add", "Ann Boiler")
    run("add", "Sid Shop")
    run("offer", "Sid", "hot water bottles and blankets, second hand")
    run("add", "Pat Plumber")
    run("offer", "Pat", "Gas Safe plumber: boilers, heating and radiators")
    run("ask", "Ann", BOILER)
    found = run("match", "--json").json()
    assert [p["helper"]["name"] for p in found][:1] == ["Pat Plumber"], found
    monkeypatch.setenv("GIVENET_MEANING", "off")
    run("match", "--rebuild")
    plain = run("match", "--json").json()
    assert {p["helper"]["name"] for p in plain} >= {"Pat Plumber", "Sid Shop"}
    assert found[0]["score"] != plain[0]["score"]


@pytest.mark.sqlite_only
def test_writing_one_ask_or_offer_and_asking_who_load_no_numpy(run, isolated_database):
    """numpy's import (60 ms) would be most of a one-text write's cost: one text is
    encoded, and its few hundred pairs scored, in Python."""
    run("add", "Ann Boiler")
    run("add", "Pat Plumber")
    offer = "Gas Safe plumber: boilers, heating and radiators"
    commands = [["ask", "Ann", BOILER], ["offer", "Pat", offer], ["who", "a plumber"]]
    printed, loaded = heavy_modules_after(isolated_database, commands, ("numpy",))
    assert loaded == [] and "Pat Plumber" in printed
    assert len(_vectors(isolated_database, "ask_vector")) == 1
    assert run("match", "--json").json()[0]["helper"]["name"] == "Pat Plumber"


def test_pairs_scored_in_python_and_through_numpy_score_alike(run, monkeypatch):
    """A pass turns to numpy after ``PLAIN_PAIRS`` pairs: the scores do not change."""
    for name, text in [("Ann", BOILER), ("Bea", PYTHON), ("Cy", "a venue for 40 people")]:
        run("add", f"{name} Asker")
        run("ask", name, text)
    for name, text in [
        ("Pat", "Gas Safe plumber: boilers, heating and radiators"),
        ("Tom", "Teaches Python to complete beginners"),
        ("Sid", "hot water bottles and blankets, second hand"),
        ("Vi", "Private dining room at our restaurant, seats 50 people"),
    ]:
        run("add", f"{name} Helper")
        run("offer", name, text)
    in_python = run("match", "--json", "-n", "100").json()
    monkeypatch.setattr(vectors, "PLAIN_PAIRS", 0)
    run("match", "--rebuild")
    assert run("match", "--json", "-n", "100").json() == in_python
    assert len(in_python) >= 2


@pytest.mark.sqlite_only
def test_without_vectors_a_write_drops_the_old_one(run, isolated_database, monkeypatch):
    """A vector left from before would not say what the new text says."""
    run("add", "Ann Boiler")
    run("ask", "Ann", BOILER)
    assert len(_vectors(isolated_database, "ask_vector")) == 1
    monkeypatch.setenv("GIVENET_MEANING", "off")
    run("match", "--rebuild")
    assert _vectors(isolated_database, "ask_vector") == []


def test_a_model_that_cannot_be_read_fails_a_write_cleanly(run, fails, monkeypatch):
    """One line, exit 1, and nothing written: not a half-indexed ask."""
    run("add", "Ann Boiler")

    def broken():
        raise ModelMissing("wordllama's model files cannot be read: gone")

    with monkeypatch.context() as patched:
        patched.setattr("givenet.store.vectors._model", broken)
        message = fails("ask", "Ann", BOILER)
    assert "cannot be read" in message and "GIVENET_MEANING=off" in message
    assert run("asks", "--json").json() == []
