"""Notebook 06's narration after the sixth review round: a training time below runs.csv's step, the thread counts
named, the headline's interval marked unadjusted, the aim's verdict in one sentence, the verdicts of Section 9 said
once with the rest folded, and the near-twin ratio read over every class."""

from ganad_lib import narration
from ganad_lib.comparison import Interval, Paired


def paired(method="ganomaly", baseline="knn", dataset="fashion_mnist", direction=0, n=10, wins=3, p_adj=1.0,
           mean_diff=-0.024):
    return Paired(method, baseline, dataset, "one_class_anomalous", "auroc", n, wins, n - wins, 0, mean_diff, 0.0,
                  0.38, p_adj, 0.05, direction, "Holm", direction, (), ())


def iv(mean, low=None, high=None, n=3):
    return Interval(mean, mean - 0.01 if low is None else low, mean + 0.01 if high is None else high, n)


def test_cost_reading_below_the_recorded_resolution():
    cost = {"anogan": (47.1, 50.0), "egbad": (65.0, 3957.0), "ganomaly": (67.6, 4374.0), "knn": (0.0, 3666.0)}
    q = {m: {"quality": iv(v), "train_seconds": cost[m][0]} for m, v in
         (("anogan", 0.58), ("egbad", 0.52), ("ganomaly", 0.7), ("knn", 0.73))}
    text = narration.cost_reading(cost, {"mnist": q}, resolution=0.01)
    assert "kNN trains in under 0.01 s (it only stores" in text and "1 ms" not in text
    assert "under 1 ms" in narration.cost_reading(cost, {"mnist": q}), "without a resolution: as before"
    cost["knn"] = (0.5, 3666.0)
    assert "kNN trains in 0.50 s" in narration.cost_reading(cost, {"mnist": q}, resolution=0.01)


def test_reproduction_threads_names_the_thread_counts():
    text = narration.reproduction_threads([0.0036, 0.0669], 76, {2, 1})
    assert "re-run on the other thread count (the grid ran on 1 and 2 threads), moved by 0.0036 to 0.0669" in text
    assert "(the grid ran" not in narration.reproduction_threads([0.0036], 76, {1})
    assert "1, 2 and 4 threads" in narration.reproduction_threads([0.01], 5, [4, 1, 2])


def test_headline_marks_the_aims_interval_unadjusted():
    cms = {"fashion_mnist": {"knn": iv(0.726), "ganomaly": iv(0.702)}}
    b = narration.headline_bullets_auroc(paired(), iv(-0.024, -0.082, 0.035, 10), cms, [paired()])
    assert "the 95% interval of the mean difference (unadjusted) is compatible with GANomaly being up to about 0.035 " \
           "AUROC above kNN" in b[0]
    plain = narration.headline_bullets(paired(), iv(-0.024, -0.082, 0.035, 10), cms, cms, [paired()])
    assert "(unadjusted)" not in plain[0]


def test_aim_verdict_says_it_once():
    text = narration.aim_verdict(paired(), iv(-0.024, -0.082, 0.035, 10), 0.95)
    assert text == ("The course's aim, *GANomaly beats kNN on Fashion-MNIST* (one class anomalous), is **not shown** "
                    "at this budget: GANomaly is higher on 3 of 10 classes, Holm-adjusted p = 1; the 95% t-interval of "
                    "the mean difference (unadjusted for the family) is [-0.082, +0.035], so these data are compatible "
                    "with GANomaly being up to about 0.035 AUROC above kNN (the interval's upper end), and with kNN "
                    "being up to about 0.082 above GANomaly (its lower end).")
    assert text.count("not shown") == 1 and "no significant difference" not in text
    met = narration.aim_verdict(paired(direction=1, wins=10, p_adj=0.016), iv(0.1, 0.05, 0.15, 10))
    assert "is **met** at this budget: GANomaly is higher on 10 of 10 classes, Holm-adjusted p = 0.016." in met
    assert "interval" not in met


def test_wins_and_losses_can_fold_all_but_the_verdicts():
    main = [paired("ganomaly", "pca", "mnist", 1, wins=10, p_adj=0.016)]
    normal = [paired("ganomaly", "knn", "mnist", -1, wins=0, p_adj=0.016)]
    cms = {"mnist": {"ganomaly": iv(0.77), "egbad": Interval(0.52, 0.43, 0.61, 3)}}
    full = narration.wins_and_losses(main, normal, cms, {})
    folded = narration.wins_and_losses(main, normal, cms, {}, fold_rest=True)
    head, rest = folded.split("<details><summary>The best GAN method per data set, EGBAD near chance", 1)
    assert "GANomaly above PCA on MNIST (10 of 10 classes" in head and "kNN above GANomaly on MNIST" in head
    assert "best GAN method" not in head and "* MNIST: best GAN method GANomaly" in rest
    assert rest.endswith("</details>\n\n</details>") and full.replace("\n\n", "") != folded.replace("\n\n", "")
    # only one protocol with tests: one verdict bullet before the fold
    one = narration.wins_and_losses(main, [], cms, {}, fold_rest=True)
    assert one.split("<details>", 1)[0].count("* *One class") == 1


def test_near_twins_all_reads_the_correlation_without_knn():
    names = {"mnist": [str(c) for c in range(10)], "fashion_mnist": ["T-shirt/top", "Trouser", "Pullover", "Dress",
                                                                       "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                                                                       "Ankle boot"]}
    ratio = {"mnist": [1.54, 0.97, 1.54, 1.42, 1.29, 1.41, 1.42, 1.21, 1.41, 1.14],
             "fashion_mnist": [1.07, 1.25, 1.11, 1.17, 1.05, 1.32, 1.09, 1.1, 1.76, 1.46]}
    others = ["anogan", "egbad", "ganomaly", "autoencoder", "pca"]
    text = narration.near_twins_all(ratio, {"mnist": 0.89, "fashion_mnist": 0.83}, names, others)
    assert "ranks the classes much as their difficulty does" in text
    assert "AnoGAN, EGBAD, GANomaly, Autoencoder and PCA is 0.89 on MNIST, 0.83 on Fashion-MNIST (10 classes each" in text
    assert "Lowest ratio: MNIST 1 (0.97), Fashion-MNIST Coat (1.05); below 1 only for MNIST 1, whose anomalies" in text
    weak = narration.near_twins_all({"fashion_mnist": [1.2] * 9 + [1.3]}, {"fashion_mnist": 0.4},
                                    {"fashion_mnist": names["fashion_mnist"]}, others)
    assert "loosely as" in weak and "below 1" not in weak and "(10 classes, seed" in weak
    assert "hardly as" in narration.near_twins_all({"mnist": ratio["mnist"]}, {"mnist": 0.1}, names, others)
    assert narration.near_twins_all({}, {}, names, others) == ""
