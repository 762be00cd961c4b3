"""Notebook 01, review round 11: the main-line verdict in one sentence, Going deeper (c)'s sharpness reading,
the stopping rule's reading (a flat end under a falling learning rate proves nothing), the answer to "how sure was
D of your run's fakes", the helpers that took the bookkeeping out of Section 4 and 5's visible cells, and the
toy figure's shared top-row square."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

from ganad_lib import data, metrics, narration, plotting  # noqa: E402

LONG = {"classes_covered": 9, "frechet": 13.4}
LIVE = {"classes_covered": 6, "frechet": 444.3}


# ---------------------------------------------------------------- the main-line verdict
def test_verdict_is_one_sentence_and_names_both_generators():
    text = narration.gan_verdict_plain(LONG, LIVE, (2.5, 5.3), 0.76, 0.19)
    assert text.startswith("**Verdict.** The course uses the long-trained GAN for AnoGAN (9 of 9 normal classes, 76%")
    assert "though in the judge's features its samples are still distinguishable" in text and "13.4" in text
    assert "2.5 to 5.3" in text and "your run (6 of 9 normal classes, 19% of the way" in text
    assert text.endswith("falls short of that rule.") and text.count(". ") == 0     # one sentence


def test_verdict_branches():
    inside = narration.gan_verdict_plain(dict(LONG, frechet=4.0), LIVE, (2.5, 5.3), 0.95, 0.19)
    assert "cannot be told from real images" in inside and "inside the floor's range" in inside
    assert "though" not in inside and ", and in the judge's" in inside
    short = narration.gan_verdict_plain(LONG, LIVE, (2.5, 5.3), 0.45, 0.19)
    assert "misses the course's rule" in short and "course uses" not in short
    missing = narration.gan_verdict_plain(dict(LONG, classes_covered=8), LIVE, (2.5, 5.3), 0.76, 0.19)
    assert "misses the course's rule" in missing and "8 of 9" in missing
    both = narration.gan_verdict_plain(LONG, dict(LIVE, classes_covered=9), (2.5, 5.3), 0.76, 0.6)
    assert both.endswith("meets that rule too.")
    assert "falls short" in narration.gan_verdict_plain(LONG, dict(LIVE, classes_covered=9), (2.5, 5.3), 0.76, 0.4)


# ---------------------------------------------------------------- Going deeper (c)
def test_sharpness_c_names_each_draw_and_one_word():
    text = narration.sharpness_c((0.817, 0.790, 0.845), (0.837, 0.810, 0.865), 0.85)
    assert "0.817 (95 % interval 0.790 to 0.845) times the real images', below the reference of 0.85" in text
    assert "the build's draw gives 0.837, straddling the reference." in text
    assert "at or just below the reference: which side one draw names depends on the draw." in text
    same = narration.sharpness_c((0.80, 0.78, 0.82), (0.81, 0.79, 0.83), 0.85)
    assert "below the reference too." in same and same.endswith("Its sharpness is below the reference.")
    above = narration.sharpness_c((0.95, 0.90, 1.0), (0.96, 0.91, 1.01), 0.85)
    assert "at or above the reference." in above


# ---------------------------------------------------------------- the stopping rule
VAL = [1173.3, 500.0, 100.0] + [50.0 - i for i in range(19)] + [17.96, 17.42, 16.7, 15.8, 15.2, 15.2, 15.0, 14.7,
                                                               14.33, 14.23]


def test_stopping_reading_inside_the_falling_rate_refuses_to_call_the_run_settled():
    assert len(VAL) == 32
    text = narration.stopping_reading(VAL, 32, 24)
    assert "-0.1 (-0.7%), says little" in text and "falls to 0 over epochs 25–32" in text
    assert "cannot be read from it" in text and "had settled before" not in text
    assert "(epoch 23 to 24) the distance changed by -0.5 (-3.0%): still falling" in text
    flat = VAL[:22] + [17.5, 17.42] + VAL[24:]
    assert "nearly flat: the run had settled before the rate fell." in narration.stopping_reading(flat, 32, 24)


def test_stopping_reading_other_branches():
    assert narration.stopping_reading(VAL, 30, 24) == "The rule kept epoch 30, before the distance rose again."
    constant = narration.stopping_reading([30.0, 20.0, 19.9], 3, 24)   # no falling phase: the last change counts
    assert "at a constant learning rate" in constant and "nearly flat: the run had settled." in constant
    assert "still falling, so more epochs might help." in narration.stopping_reading([30.0, 20.0, 18.0], 3, 24)


# ---------------------------------------------------------------- Going deeper (e)
def test_fake_confidence_answers_first():
    text = narration.fake_confidence([0.037, 0.104, 0.268], 0.133, 0.100, 2.1)
    assert text.startswith("**Reading.** Most of your run's fakes got $D(G(z))$ between 0.037 and 0.27")
    assert "confident they were fake, not certain" in text and "about 8.6 times more weakly" in text
    assert "1.3 times below the arithmetic one, 0.13" in text and "the 2.1 times" in text
    assert "starved" in narration.fake_confidence([0.001, 0.002, 0.005], 0.003, 0.002, 1.5)
    assert "fooled by most" in narration.fake_confidence([0.6, 0.7, 0.8], 0.7, 0.69, 1.0)
    assert "unsure" in narration.fake_confidence([0.2, 0.5, 0.8], 0.5, 0.45, 1.1)


# ---------------------------------------------------------------- the helpers
class Right(nn.Module):
    """D's logit 5 x_0: 'real' to the right."""

    def __init__(self, w=5.0):
        super().__init__()
        self.w = nn.Parameter(torch.tensor([w, 0.0]))

    def forward(self, x):
        return (x @ self.w)[:, None]


def test_verdict_at_modes_splits_missed_from_covered():
    centers = data.ring_centers()
    covered = np.array([True] * 4 + [False] * 4)
    d = torch.sigmoid(5 * centers[:, 0]).numpy()
    weak, ok = metrics.verdict_at_modes(Right(), centers, covered)
    assert weak == pytest.approx(d[4:].mean(), abs=1e-6) and ok == pytest.approx(d[:4].mean(), abs=1e-6)
    weak, ok = metrics.verdict_at_modes(Right(), centers, np.ones(8, bool))
    assert np.isnan(weak) and ok == pytest.approx(d.mean(), abs=1e-6)


def test_unbalanced_summary_reads_each_run():
    cov = {"balanced": [8, 8, 7], "slow": [0, 0, 1], "strong": [3, 6, 2]}
    qual = {"balanced": [0.9, 0.9, 0.8], "slow": [0.0, 0.1, 0.0], "strong": [0.97, 0.7, 0.86]}
    spr = {"balanced": [1.0, 1.0, 0.95], "slow": [0.1, 0.9, 0.2], "strong": [0.5, 0.95, 0.7]}
    which = {"balanced": [list(range(8))] * 2 + [list(range(7))], "slow": [[], [], [2]],
             "strong": [[1, 2, 3], list(range(6)), [2, 3]]}
    rs = metrics.unbalanced_summary([0, 1, 2], cov, qual, spr, which)
    assert rs["failed"] == {"balanced": 0, "slow": 3, "strong": 2}
    assert rs["kinds"]["slow"] == ["collapsed", "not converged", "collapsed"]
    assert rs["collapsed"]["strong"] == [(0, [1, 2, 3], 0.97), (2, [2, 3], 0.86)]
    assert rs["collapsed_modes"]["strong"] == [3, 2]
    assert rs["collapsed"]["slow"] == [(2, [2], 0.0)]      # a clump that touches one mode still counts
    assert rs["full"] == {"balanced": 2, "slow": 0, "strong": 0}


class Toy:
    def __init__(self, D, pts):
        self.D, self.pts = D, pts


def test_unbalanced_runs_can_share_the_top_row_square():
    centers = data.ring_centers()
    real = data.ring_of_gaussians(400, std=0.05, seed=0)

    top = [("balanced", Toy(Right(), real[:100])), ("slow", Toy(Right(0.0), torch.tensor([[4.0, 0.0], [0.0, 0.0]])))]
    middle = [("strong", Toy(Right(), centers[:3].repeat(10, 1)))]
    coverage = {"balanced": [8], "slow": [0], "strong": [3]}
    try:
        fig, _ = plotting.plot_unbalanced_runs(top, middle, coverage, real, centers, lambda g: g.pts, 0.05, seeds=[0],
                                               shared_top=True)
        titles = [sf._suptitle.get_text() for sf in fig.subfigs if sf._suptitle is not None]
        assert any("this row on [-4.4, 4.4]²" in t and "balanced" not in t for t in titles), titles
        bal, slow = (next(a for a in fig.axes if a.get_title() == t) for t in ("balanced", "slow"))
        assert bal.get_xlim() == slow.get_xlim()
    finally:
        plt.close("all")
