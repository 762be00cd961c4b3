"""Notebook 06's readings added in the fourth review round: Section 9's takeaway on where the GANs win and lose,
and the hard classes with MNIST's paragraph folded."""

import numpy as np

from ganad_lib import narration
from ganad_lib.comparison import Interval, Paired


def paired(method, baseline, dataset, direction, n=10, wins=5, p_adj=0.5):
    return Paired(method, baseline, dataset, "one_class_anomalous", "auroc", n, wins, n - wins, 0, 0.0, 0.0, 0.01,
                  p_adj, 0.05, direction, "Holm", direction, (), ())


def test_wins_losses_takeaway_names_each_verdict_and_counts_both_ways():
    main = [paired("ganomaly", "pca", "mnist", 1, wins=10, p_adj=0.016),
            paired("ganomaly", "knn", "fashion_mnist", 0)]
    normal = [paired("ganomaly", "knn", "mnist", -1, wins=0), paired("ganomaly", "pca", "mnist", -1, wins=0),
              paired("egbad", "anogan", "mnist", -1, wins=1), paired("ganomaly", "autoencoder", "fashion_mnist", 1)]
    text = narration.wins_losses_takeaway(main, normal)
    first, second = text.split("\n")
    assert first == ("* *One class anomalous (Section 4):* GANomaly above PCA on MNIST. GAN method above a baseline: "
                     "1 of 1; baseline above a GAN method: 0 of 1.")
    assert "kNN above GANomaly on MNIST; PCA above GANomaly on MNIST; AnoGAN above EGBAD on MNIST; GANomaly above " \
           "Autoencoder on Fashion-MNIST" in second
    # EGBAD over AnoGAN is within a kind: it counts for neither side
    assert second.endswith("GAN method above a baseline: 1 of 4; baseline above a GAN method: 2 of 4.")
    # the data sets whose verdicts rest on failed seeds are said so, once, only where they hold a verdict
    hedged = narration.wins_losses_takeaway(main, normal, hedged={"mnist": "why", "fashion_mnist": "why"}).split("\n")
    assert hedged[0] == first
    assert hedged[1] == second + " The MNIST and Fashion-MNIST verdicts rest on small runs with failed seeds (Section 6)."
    only_f = [r for r in normal if r.dataset == "fashion_mnist"]
    assert narration.wins_losses_takeaway([], only_f, hedged={"mnist"}).endswith("baseline above a GAN method: 0 of 1.")


def test_wins_losses_takeaway_without_verdicts_or_runs():
    none = [paired("ganomaly", "knn", "mnist", 0)]
    assert narration.wins_losses_takeaway(none, []) == "* *One class anomalous (Section 4):* no significant verdict."
    assert narration.wins_losses_takeaway([], []) == ""


def _iv(mean):
    return Interval(mean, mean - 0.05, mean + 0.05, 3)


def test_hard_classes_folded_keeps_fashion_in_view_and_folds_mnist():
    hard = {"fashion_mnist": [6, 4, 2, 0, 1, 3, 5, 7, 9, 8], "mnist": [1, 9, 7, 3, 4, 5, 6, 8, 0, 2]}
    mom = {"fashion_mnist": np.linspace(0.5, 0.86, 10), "mnist": np.linspace(0.28, 0.84, 10)}
    ivs = {d: {m: [_iv(0.8)] * 10 for m in ("ganomaly", "knn", "egbad")} for d in hard}
    ivs["mnist"]["egbad"] = [_iv(0.8), Interval(0.2, 0.1, 0.3, 3)] + [_iv(0.8)] * 8
    ink = np.array([0.17, 0.077, 0.15, 0.14, 0.12, 0.13, 0.14, 0.12, 0.15, 0.13])
    text = narration.hard_classes_folded(hard, mom, ivs, ink)
    view, folded = text.split("<details>")
    assert view.startswith("**Which classes are hard, and why.**\n\n*Fashion-MNIST.* Hardest anomalies: Shirt, Coat, "
                           "Pullover")
    assert "*MNIST.*" not in view and view.count("**Which classes are hard") == 1
    assert "*MNIST.* Hardest anomalies: the digits 1, 9 and 7. EGBAD (0.20) scores the 1 *below* chance" in folded
    assert "7.7% of the maximal intensity" in folded and folded.rstrip().endswith("</details>")
    # one data set only: its paragraph stays in view, nothing folded
    alone = narration.hard_classes_folded({"mnist": hard["mnist"]}, mom, ivs, ink)
    assert "<details>" not in alone and "*MNIST.* Hardest anomalies" in alone
