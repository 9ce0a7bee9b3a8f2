"""The tiny language model of the notebook and the generation explorable (diffusion_vs_llms.tiny_lm)."""

from __future__ import annotations

import numpy as np

from diffusion_vs_llms import nn
from diffusion_vs_llms.tiny_lm import CORPUS, TinyLM, batch_of, held_out_loss, load_corpus, train


def test_the_corpus_is_the_guides_prose_with_its_end_held_out():
    corpus = load_corpus()
    assert corpus.text == CORPUS.read_text(encoding="utf-8")
    assert list(corpus.vocabulary) == sorted(set(corpus.text))
    assert corpus.decode(corpus.ids) == corpus.text
    assert len(corpus.held_out) == len(corpus.text) - int(0.9 * len(corpus.text))
    assert corpus.decode(corpus.encode("The model ")) == "The model "


def test_batches_are_windows_and_their_next_characters():
    data = np.arange(10)
    inputs, targets = batch_of(data, np.array([0, 5]), 3)
    assert inputs.tolist() == [[0, 1, 2], [5, 6, 7]]
    assert targets.tolist() == [[1, 2, 3], [6, 7, 8]]


def test_training_is_seeded_and_lowers_the_held_out_loss():
    corpus = load_corpus()
    first = train(corpus, context=16, d_model=16, steps=80, batch=8, checkpoint_every=40)
    again = train(corpus, context=16, d_model=16, steps=80, batch=8, checkpoint_every=40)
    assert all(np.array_equal(first.params[k], again.params[k]) for k in first.params)
    untrained = nn.init_lm(len(corpus.vocabulary), 16, 16, 64, np.random.default_rng(0))
    start = held_out_loss(untrained, corpus.held_out, 16)
    assert [step for step, _ in first.checkpoints] == [40, 80]
    assert first.checkpoints[-1][1] < first.checkpoints[0][1] < start
    assert len(first.losses) == 80


def test_the_model_sees_at_most_its_context_window():
    corpus = load_corpus()
    model = TinyLM(nn.init_lm(len(corpus.vocabulary), 8, 8, 16, np.random.default_rng(1)), 8)
    ids = corpus.encode("the model predicts the next token")
    assert np.array_equal(model.next_logits(ids), model.next_logits(ids[-8:]))
    assert not np.array_equal(model.next_logits(ids), model.next_logits(ids[-7:]))
