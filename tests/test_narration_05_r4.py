"""Notebook 05's reading of the test-picked epoch after review round 4: the verdict first in plain words, the
halvings, bootstrap and scaling folded, and the halvings' gain as a count, never as a standard error (feed
numbers, assert the words)."""

import numpy as np

from ganad_lib import narration

OPT = dict(picked=np.array([6] * 197 + [2] * 2 + [14]), gain=np.full(200, 0.0163), mean_optimism=-0.0003,
           sd_optimism=0.008, mean_gain=0.0163, sd_gain=0.003)


def _verdict(real=True, boot=(0.017, 0.012, 0.021), **kw):
    return narration.selection_verdict(0.930, 0.947, 6, 15, {**OPT, **kw}, 0.008, 1501, boot, 3000, real)


def test_selection_verdict_says_the_answer_first_and_folds_the_statistics():
    text = _verdict()
    head, folded = text.split("<details>", 1)
    assert head.startswith("**Is the +0.017 luck? Almost none of it.** Test-picking would report 0.947 (epoch 6) "
                           "instead of the honest 0.930 (epoch 15, kept by validation). Epoch 6 really ranks bags better")
    assert "what needed the test labels is *finding* epoch 6." in head
    for stat in ("halving", "bootstrap", "√2", "standard error"):   # the statistics stay in the fold
        assert stat not in head, stat
    assert "A picked epoch 6 in 197 of 200, epoch 2 in 2, epoch 14 in 1." in folded
    assert "about 0 (-0.0003) on average; one half's AUROC has a standard error of 0.008 (Hanley-McNeil, 1,501" in folded
    assert "Small, because one epoch stands out. Scaled to the whole test set (× 1/√2, rough): about 0 (-0.0002)" in folded
    assert "+0.016 on average, positive in 200 of 200 halvings. They re-cut the same 3,000 images" in folded
    assert "the cut's effect, not a new test set's noise" in folded and "times" not in folded   # no ratio to a spread
    assert "interval +0.012 to +0.021" in folded and "matters little" in folded
    assert "positive on B in at least 95 % of the halvings" in folded and text.endswith("</details>")


def test_selection_verdict_follows_the_numbers():
    gains = np.r_[np.full(150, 0.01), np.full(50, -0.01)]
    undecided = _verdict(real=False, gain=gains, boot=(0.017, -0.002, 0.03))
    assert "luck? Possibly all of it.** Test-picking" in undecided
    assert "These checks do not show that epoch 6 ranks bags better" in undecided
    assert "0.947 cannot be reproduced in use" in undecided and "positive in 150 of 200 halvings" in undecided
    partly = _verdict(mean_optimism=0.012)
    assert "luck? Partly: about +0.008 of it (rough).**" in partly and "The rest is real: epoch 6" in partly
    assert "Not small." in partly
    assert "so it leans upward" in partly
    none = narration.selection_verdict(0.947, 0.947, 6, 6, OPT, 0.008, 1501, (0.0, 0.0, 0.0), 3000, False)
    assert none.startswith("**Picking on the test set added nothing here:**") and "about 0 (-0.0003)" in none
