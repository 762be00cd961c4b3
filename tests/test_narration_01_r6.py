"""Notebook 01, review round 6: D's confidence read from the arithmetic AND the geometric mean of D(G(z)),
the toy-ring outcome moved to ganad_lib.metrics, and the rewordings of Going deeper (c) and (d)."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from ganad_lib import metrics, narration  # noqa: E402

DGZ = [0.13, 0.11, 0.10, 0.11, 0.12, 0.13, 0.14, 0.16]
LOSS_G = [2.88, 3.2, 3.4, 3.58, 3.3, 3.0, 2.8, 2.57]


def test_spread_verdicts_are_read_from_the_geometric_mean():
    text = narration.d_balance_spread(0.69, 744, 0.94, 0.85, DGZ, LOSS_G)
    assert text.startswith("**This run.** Over the whole run") and "69% of the 744 minibatch steps" in text
    assert "never fell below 0.10 as an epoch mean (epoch 3)" in text
    assert f"fell to {np.exp(-3.58):.2g} (epoch 4, where the arithmetic mean was 0.11)" in text
    assert "3.9 times below the arithmetic one" in text and "far surer of a typical fake" in text
    assert "about 9 times weaker in total" in text and "weaker, not zero" in text
    assert "no sign" not in text and "stayed between" not in text     # no unmeasured claim of stability


def test_close_means_and_a_sure_d_read_differently():
    close = narration.d_balance_spread(0.2, 500, 0.9, 0.85, [0.3, 0.25], [1.3, 1.5])
    assert "Not very" in close and "hides little" in close and "typical fake" not in close
    assert "about 3 times weaker" in close and "At the end: 0.90" in close
    sure = narration.d_balance_spread(0.8, 500, 0.99, 0.98, [0.02, 0.01], [5.0, 6.0])
    assert "Sure: $D(G(z))$" in sure and "fell to 0.01 as an epoch mean (epoch 2)" in sure
    assert "nearly starved" in sure and "never fell" not in sure


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


def test_sharpness_draws_without_the_plateau():
    text = narration.sharpness_draws((0.817, 0.790, 0.845), (0.837, 0.810, 0.865), 0.85, plateau=False)
    assert "depends on the draw" in text and "since epoch" not in text and "schedule" not in text


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
