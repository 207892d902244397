"""Closeness of meaning: wordllama's vectors read offline, and the rule that combines
them with the words-and-phrases score (``matching.with_closeness``)."""

from __future__ import annotations

import json
import socket
import sqlite3
import struct

import pytest

from givenet import meaning_model
from givenet.matching import PairEvidence, closeness, score_pair, with_closeness
from givenet.meaning_model import HUB_DEPTH, MeaningModel, ModelMissing, reference_texts

np = pytest.importorskip("numpy")

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


def test_an_empty_text_is_no_direction_at_all(model):
    vectors = model.vectors(["", TEXTS[0]])
    assert not vectors[0].any() and vectors[1].any()


def test_it_loads_and_encodes_with_no_network(monkeypatch):
    """givenet must work in an aeroplane: no socket is ever opened."""

    def no_network(*args, **kwargs):
        raise OSError("no network here")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    encoded = MeaningModel.load().encode(TEXTS[:2], kind="ask")
    assert encoded.vectors.shape == (2, meaning_model.DIMENSIONS)


def test_a_hub_is_the_mean_cosine_with_the_nearest_reference_texts_of_the_other_kind(model):
    reference = reference_texts()
    offers = model.vectors(reference["offers"])
    asks = model.vectors(reference["asks"])
    as_ask = model.encode(TEXTS, kind="ask")
    as_offer = model.encode(TEXTS, kind="offer")
    for row, vector in enumerate(as_ask.vectors):
        nearest = sorted((offers @ vector).tolist())[-HUB_DEPTH:]
        assert as_ask.hubs[row] == pytest.approx(sum(nearest) / HUB_DEPTH, abs=1e-5)
        nearest = sorted((asks @ vector).tolist())[-HUB_DEPTH:]
        assert as_offer.hubs[row] == pytest.approx(sum(nearest) / HUB_DEPTH, abs=1e-5)
    assert len(reference["asks"]) >= 100 and len(reference["offers"]) >= 90


def test_the_model_says_a_venue_is_closer_to_a_dining_room_than_to_a_cooks_job(model):
    asks = model.encode([TEXTS[0], TEXTS[2]], kind="ask")
    offers = model.encode([TEXTS[1], TEXTS[3]], kind="offer")
    close = closeness(asks.vectors @ offers.vectors.T, asks.hubs[:, None], offers.hubs[None, :])
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
    _safetensors(good, "F16", [4, 3], 24)
    assert meaning_model._safetensors_table(np, good).shape == (4, 3)
    wrong_type = tmp_path / "f32.safetensors"
    _safetensors(wrong_type, "F32", [4, 3], 48)
    with pytest.raises(ValueError, match="float16"):
        meaning_model._safetensors_table(np, wrong_type)
    short = tmp_path / "short.safetensors"
    _safetensors(short, "F16", [4, 3], 20)
    with pytest.raises(ValueError, match="size"):
        meaning_model._safetensors_table(np, short)


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
    assert vector == expected.vectors[0].astype("float16").tobytes()
    assert len(vector) == 2 * meaning_model.DIMENSIONS
    assert hub == pytest.approx(float(expected.hubs[0]), abs=1e-6)
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
