"""Notebook 01, review round 6: the toy-ring outcome moved to ganad_lib.metrics, and the rewordings of Going
deeper (c) and (d). (Round 6's reading of D's confidence from two epoch means was replaced in round 7 by
narration.d_balance and narration.fake_verdict_spread: tests/test_narration_01_r7.py.)"""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from ganad_lib import metrics, narration  # noqa: E402


@pytest.mark.parametrize("covered, quality, spread, reading", [
    (8, 0.89, 0.99, "8 modes covered"),
    (0, 0.0, 0.09, "collapsed onto a narrow streak or clump, at most touching one mode"),
    (1, 0.9, 0.2, "collapsed onto 1 mode"),
    (3, 0.97, 0.5, "collapsed onto 3 modes"),
    (6, 0.3, 0.9, "not converged (most samples near no mode)"),
    (5, 0.7, 0.95, "5 modes covered"),
])
def test_toy_outcome(covered, quality, spread, reading):
    assert metrics.toy_outcome(covered, quality, spread) == reading


def test_latent_walk_says_once():
    ts, norms = list(np.linspace(0, 1, 4)), [9.0, 6.0, 6.0, 9.0]
    once = narration.latent_walk_control(["Coat", "Coat", "Bag", "Bag"], norms, 100, [240, 200, 200, 240],
                                         [240, 230, 230, 240], ts)
    assert "the class changes once," in once
    twice = narration.latent_walk_control(["Coat", "Bag", "Bag", "Shirt"], norms, 100, [240, 200, 200, 240],
                                          [240, 230, 230, 240], ts)
    assert "the class changes twice," in twice


def _gap(**kw):
    args = dict(factor="33", share_trained=0.96, c_ep=24, n_epochs=32, raw_first=456.7, raw_c=22.2, avg_c=17.4,
                noise=3.7, n_draws=5, ahead_from=19, like=True, fewer_images=True, build_frechet=15.4,
                build_floor_inside=True, above_as_here=True, answer_first=True)
    return narration.gap_bullets(**dict(args, **kw))


def test_gap_bullets_answer_first():
    head = _gap().split("\n")[0]
    assert head.startswith("* (d) Where the gap to your run (33 times in d²) comes from. In short: nearly all of it")
    assert "by a further 22% at epoch 24, about the size of the draw-to-draw noise" in head
    head = _gap(share_trained=0.6, avg_c=10.0).split("\n")[0]
    assert "In short: most of it" in head and "beyond the draw-to-draw noise" in head
    assert _gap(answer_first=False).split("\n")[0].endswith("comes from:")


def test_unbalanced_runs_middle_title_says_of_how_many():
    from test_plotting_01_r3 import Ramp, Toy

    from ganad_lib import data, plotting

    centers = data.ring_centers()
    real = data.ring_of_gaussians(400, std=0.05, seed=0)
    top = [("balanced", Toy(Ramp(), real[:100]))]
    middle = [("strong", Toy(Ramp(), centers[:3].repeat(10, 1)))]
    fig, _ = plotting.plot_unbalanced_runs(top, middle, {"balanced": [8], "strong": [3]}, real, centers,
                                           lambda g: g.pts, 0.05, seeds=[0])
    titles = [sf._suptitle.get_text() for sf in fig.subfigs if sf._suptitle is not None]
    assert any("high-quality samples at each mode, of 30" in t for t in titles)
