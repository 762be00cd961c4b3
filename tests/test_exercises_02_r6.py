"""Notebook 02, review round 6: the chance-agreement check diagnoses a shuffle-based answer every time,
and p-values are printed so that their side of 0.05 shows."""
import numpy as np
import pytest

from ganad_lib import exercises
from ganad_lib.narration import p_value_text


def _message(fn):
    result = exercises.check_chance_agreement(fn)
    assert result.attempted and not result.passed
    return result.message


def test_one_unseeded_shuffle_gets_the_targeted_message_every_time():
    def one_shuffle(a, b):  # what notebook 02's own cell 21 does, once, unseeded
        return float((np.asarray(a) == np.random.permutation(np.asarray(b))).mean())

    for _ in range(15):
        assert "expectation" in _message(one_shuffle)


@pytest.mark.parametrize("seed", range(8))
def test_a_seeded_shuffle_gets_the_targeted_message(seed):
    def seeded(a, b):
        return float((np.asarray(a) == np.random.default_rng(seed).permutation(np.asarray(b))).mean())

    assert "expectation" in _message(seeded)


def test_a_far_constant_still_gets_the_generic_hint():
    message = _message(lambda a, b: 0.3)
    assert "expectation" not in message and "independent" in message


def test_p_value_text_keeps_the_side_of_the_threshold():
    assert p_value_text(0.0504) == "0.050"             # the review's case: 3 decimals, not "0.05"
    assert p_value_text(0.0496) == "0.0496"            # would round onto 0.050: more decimals
    assert p_value_text(0.05) == "0.050"
    assert p_value_text(0.63) == "0.630"
    assert p_value_text(6.3e-05) == "6.3e-05"
    assert p_value_text(0.0123) == "0.012"
    assert p_value_text(0.04996) == "0.04996"
