"""Notebook 01, review round 12: Going deeper (d)'s shares on the log scale, the stopping rule's "changed
nothing", the strong-D seed whose empty mode stays red, and the toy discriminator's verdict per mode."""

import numpy as np
import pytest
import torch
from torch import nn

from ganad_lib import data, metrics, narration

RING = data.ring_centers().numpy()


# ---------------------------------------------------------------- (d) on the log scale
def _gap(**kw):
    args = dict(factor="33", share_trained=0.96, c_ep=24, n_epochs=32, raw_first=456.7, raw_c=22.2, avg_c=17.4,
                noise=3.8, n_draws=5, ahead_from=19, like=True, fewer_images=True, build_frechet=15.4,
                build_floor_inside=True, above_as_here=True, end=(32, 14.2), log_scale=True)
    return narration.gap_bullets(**dict(args, **kw))


def test_gap_bullets_split_the_gap_in_log_d2():
    text = _gap()
    # ln(456.7 / 22.2) = 3.02, ln(22.2 / 17.4) = 0.24, ln(17.4 / 14.2) = 0.20 of ln(456.7 / 14.2) = 3.47
    assert "share of the fall from 456.7 to 14.2 counted in log d²" in text.split("\n")[0]
    assert "More training explains most of it (87% on the log scale)" in text
    assert "Averaging took 4.8 more, to 17.4 (7% on the log scale): about the size of" in text
    assert "from 17.4 to 14.2 (6% on the log scale; the raw $G$ kept training too)" in text
    assert "nearly all" not in text and "22%" not in text          # not the linear split, whatever share_trained says


def test_gap_bullets_log_shares_follow_the_numbers():
    # a late gain as large in factor as the training one: training no longer explains most of it
    text = _gap(raw_first=100.0, raw_c=20.0, avg_c=3.0, end=(32, 1.0), noise=0.5)
    assert "explains less than half of it (35% on the log scale)" in text and "(41% on the log scale)" in text
    # without the falling-rate epochs, the split ends at the average of epoch c_ep
    short = _gap(c_ep=32, end=None)
    assert "fall from 456.7 to 17.4" in short and "(93% on the log scale)" in short and "nearly all" in short
    assert "(7% on the log scale)" in short and "falling learning rate" not in short
    # the linear wording is unchanged without log_scale
    assert "Averaging took 4.8 more (22%, to 17.4)" in _gap(log_scale=False)


# ---------------------------------------------------------------- the stopping rule
def test_stopping_reading_says_the_rule_changed_nothing_when_it_kept_the_last_epoch():
    val = [100.0, 50.0, 30.0, 20.0, 19.5, 19.4]
    assert narration.stopping_reading(val, 6, 4).startswith(
        "The lowest is the last, epoch 6, so the rule picked the last epoch: here it changed nothing. Its last change")
    constant = narration.stopping_reading([30.0, 20.0, 19.9], 3, 24)
    assert "here it changed nothing. Its last change, at a constant learning rate, -0.1" in constant
    assert "changed nothing" not in narration.stopping_reading(val, 4, 4)
    assert "changed nothing. One epoch cannot say" in narration.stopping_reading([30.0], 1, 24)


# ---------------------------------------------------------------- the strong D's red empty mode
def test_red_empty_mode_names_the_mode_where_d_says_real():
    d = np.full(8, 0.1)
    d[0], d[6] = 0.93, 0.3
    counts = [1, 300, 200, 250, 300, 120, 23, 180]
    text = narration.red_empty_mode(1, [1, 2, 3, 4, 5, 7], counts, d, RING)
    assert text == ("Even seed 1, which covers 6 modes, leaves mode 0 (right) red with 1 high-quality sample: its $D$ "
                    "says \"real\" there ($D(x)$ = 0.93 at the mode's centre), yet $G$'s samples stay away.")
    d[0], d[6] = 0.3, 0.7                                    # the redder empty mode is named, with its count
    assert "mode 6 (bottom) red with 23 high-quality samples" in narration.red_empty_mode(
        1, [1, 2, 3, 4, 5, 7], counts, d, RING)
    assert narration.red_empty_mode(0, [1, 2, 3], counts, d, RING).startswith("Seed 0 leaves")   # a collapsed seed


def test_red_empty_mode_stays_silent_without_evidence():
    counts = [100] * 8
    assert narration.red_empty_mode(1, list(range(8)), counts, np.full(8, 0.9), RING) == ""      # nothing empty
    assert narration.red_empty_mode(1, [1, 2, 3, 4, 5, 7], counts, np.full(8, 0.4), RING) == ""  # D says fake


class _Right(nn.Module):
    def forward(self, x):
        return 5 * x[:, :1]


def test_verdict_per_mode_is_each_centre_and_agrees_with_the_means():
    centers = data.ring_centers()
    d = metrics.verdict_per_mode(_Right(), centers)
    assert d == pytest.approx(torch.sigmoid(5 * centers[:, 0]).numpy(), abs=1e-6)
    covered = np.array([True] * 4 + [False] * 4)
    weak, ok = metrics.verdict_at_modes(_Right(), centers, covered)
    assert weak == pytest.approx(d[4:].mean()) and ok == pytest.approx(d[:4].mean())
