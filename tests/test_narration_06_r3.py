"""Notebook 06's readings added in the third review round: the published row read beside ours, the family's fold
and the paired figure without Exercise 4's answer, the thread-count sentence of the failed-seed discussion, and
a headline that states no untested AUPRC order."""

import math

from ganad_lib import narration, published
from ganad_lib.comparison import Interval, Paired

NAN = float("nan")


def paired(method="ganomaly", baseline="knn", dataset="mnist", direction=0, wins=3, n=10, mean_diff=-0.028,
           p=0.32, p_adj=1.0):
    return Paired(method, baseline, dataset, "one_class_anomalous", "auroc", n, wins, n - wins, 0, mean_diff, 0.0, p,
                  p_adj, 0.05, direction, "Holm", direction, (), ())


def anogan_rows(values_per_seed, n_train=450):
    """AnoGAN rows on MNIST, one class normal: values_per_seed[seed][class] = AUROC."""
    return [{"method": "anogan", "dataset": "mnist", "protocol": "one_class_normal", "class": c, "seed": s,
             "auroc": v, "auprc": v, "n_train": n_train, "sizes": "x"}
            for s, per_class in enumerate(values_per_seed) for c, v in enumerate(per_class)]


def test_published_gap_counts_classes_below_and_intervals_that_reach():
    entry = published.find(method="anogan")[0]
    pub = entry.fractions()
    # seeds 0.10 apart around a mean 0.10 below the published value: every class below; with 3 seeds the
    # t-interval (half-width 4.30 * 0.1 / sqrt(3) = 0.25) reaches the published value on every class
    wide = anogan_rows([[p - 0.2 for p in pub], [p - 0.1 for p in pub], [p for p in pub]])
    text = narration.published_gap(wide, published.REPORTED)
    mean_ours = sum(pub) / 10 - 0.1
    assert text.startswith("**Reading the AnoGAN table.** Ours lies below the published value on 10 of 10 classes")
    assert f"(mean over classes {mean_ours:.3f} against {entry.mean_fraction():.3f}, as printed in the source), and 10 of our 10 intervals" in text
    assert "450 images per run" in text and '"mean of 3 runs; epochs not stated"' in text
    assert "second-hand" in text and "docs/references.md" in text and "not that our AnoGAN is faulty" in text
    # tight seeds: no interval reaches; one class above the published value
    tight = [[p - 0.1 for p in pub] for _ in range(3)]
    for per_class in tight:
        per_class[2] = pub[2] + 0.05   # the digit 2 above the published value
    tight_rows = anogan_rows([[v + 0.001 * s for v in pc] for s, pc in enumerate(tight)])
    text = narration.published_gap(tight_rows, published.REPORTED)
    assert "below the published value on 9 of 10 classes" in text and "0 of our 10 intervals reach it" in text
    # one seed: no interval clause; no run of ours: nothing
    one = narration.published_gap(anogan_rows([[p - 0.1 for p in pub]]), published.REPORTED)
    assert "intervals" not in one and "10 of 10 classes" in one
    assert narration.published_gap([], published.REPORTED) == ""


def test_family_details_by_class_leaves_out_the_per_run_column():
    tests = [paired(direction=1, wins=10, mean_diff=0.133, p=0.002, p_adj=0.016, baseline="pca"),
             paired(baseline="autoencoder", wins=8, mean_diff=0.123, p=0.02, p_adj=0.14)]
    cms = {"mnist": {"ganomaly": Interval(0.770, 0.737, 0.802, 3), "autoencoder": Interval(0.646, 0.619, 0.674, 3),
                     "pca": Interval(0.637, 0.630, 0.644, 3)}}
    text = narration.family_details_by_class(tests, cms, "HOW MANY", 0.05)
    assert "per-run" not in text and "per run" not in text
    assert "| comparison | data set | raw p | Holm-adjusted p |" in text
    assert "| GANomaly − PCA | MNIST | 0.002 | 0.016 |" in text and "HOW MANY" in text
    assert "2 tests" in text and "1 − (1 − 0.05)^2 = 10%" in text
    # the pair whose Section 3 intervals do not overlap although its test finds nothing
    assert "GANomaly and Autoencoder on MNIST (Section 3: 0.770 [0.737, 0.802] against 0.646 [0.619, 0.674]; " \
           "here Holm-adjusted p = 0.14, raw p = 0.02: Holm's adjustment for the family removes the verdict)" in text
    assert "no pair shows this" in narration.family_details_by_class(tests[:1], cms)


def test_paired_figure_reading_counts_coloured_columns_and_points_to_the_exercise():
    one = narration.paired_figure_reading([paired(direction=1), paired(), paired(n=0)])
    assert "1 of the 2 columns is coloured" in one and "Exercise 4" in one
    assert "p of" not in one   # no per-run p-value: that is the exercise's answer
    assert "2 of the 2 columns are coloured" in narration.paired_figure_reading([paired(direction=1),
                                                                                paired(direction=-1)])
    assert narration.paired_figure_reading([paired(n=0)]) == ""


def test_thread_count_note():
    text = narration.thread_count_note([0.0669, 0.0036, 0.01])
    assert text == ("Training here is unstable enough for that: run again on the other thread count, 3 rows of "
                    "Section 1's re-run moved by 0.0036 to 0.0669 AUROC, so a seed fixes a run only together with "
                    "its thread count.")
    assert "1 row of Section 3's re-run moved by 0.0200 AUROC" in narration.thread_count_note([0.02], "Section 3")
    assert narration.thread_count_note([]) == ""


def test_headline_bullets_auroc_states_no_auprc_order():
    aim = paired(dataset="fashion_mnist", mean_diff=-0.024, p=0.38)
    cms = {"mnist": {"knn": Interval(0.797, 0.785, 0.810, 3), "ganomaly": Interval(0.770, 0.737, 0.802, 3)},
           "fashion_mnist": {"knn": Interval(0.726, 0.701, 0.751, 3), "ganomaly": Interval(0.702, 0.659, 0.745, 3)}}
    # AUPRC puts GANomaly first on Fashion-MNIST: the old headline said so as an order of means
    cms_pr = {"mnist": {"knn": Interval(0.685, 0.68, 0.69, 3), "ganomaly": Interval(0.627, 0.59, 0.66, 3)},
              "fashion_mnist": {"knn": Interval(0.551, 0.52, 0.58, 3), "ganomaly": Interval(0.568, 0.53, 0.61, 3)}}
    tests = [aim, paired(), paired(baseline="pca", direction=1, wins=10, p_adj=0.016)]
    iv = Interval(-0.024, -0.082, 0.035, 10)
    old = " ".join(narration.headline_bullets(aim, iv, cms, cms_pr, tests))
    new = narration.headline_bullets_auroc(aim, iv, cms, tests)
    assert "By AUPRC" in old and not any("AUPRC" in b for b in new)
    assert "kNN has the highest mean AUROC on both data sets (MNIST 0.797, Fashion-MNIST 0.726)" in new[1]
    assert "**not shown**" in new[0] and "up to about 0.035 AUROC above kNN" in new[0]
    assert not math.isnan(iv.high)


def test_published_gap_on_fewer_classes_compares_the_same_classes():
    pub = published.find(method="anogan")[0].fractions()
    rows = [r for r in anogan_rows([[p - 0.1 for p in pub]]) if r["class"] in (0, 1)]
    text = narration.published_gap(rows, published.REPORTED)
    assert "below the published value on 2 of 2 classes" in text
    assert f"(mean over those classes {(pub[0] + pub[1]) / 2 - 0.1:.3f} against {(pub[0] + pub[1]) / 2:.3f})" in text


def test_wilcoxon_by_hand_starts_from_the_librarys_differences_and_is_folded():
    lib = Paired("ganomaly", "knn", "fashion_mnist", "one_class_anomalous", "auroc", 3, 1, 2, 0, -0.01, 0.0, 0.75, 1.0,
                 0.05, 0, "Holm", 0, diffs=(-0.039, 0.076, -0.025), pairs=((0, None), (6, None), (8, None)))
    text = narration.wilcoxon_by_hand(lib, 1, 0.75)
    assert text.startswith("<details><summary>One test by hand: Wilcoxon and Holm for GANomaly − kNN on Fashion-MNIST")
    assert "The library's per-class differences" in text and "T-shirt/top -0.039, Shirt +0.076, Bag -0.025" in text
    assert "GANomaly higher on 1 of 3 classes, raw p = 0.7500" in text and "Holm-adjusted p = 1.0000" in text
    assert text.endswith("</details>") and "NumPy and SciPy only" not in text


def test_reproduction_threads_reads_the_other_thread_count_rows():
    text = narration.reproduction_threads([0.0036, 0.0669, 0.01], 76)
    assert " 3 more rows, re-run on the other thread count, moved by 0.0036 to 0.0669 AUROC (76 re-run rows" in text
    assert "only together with its thread count" in text
    one = narration.reproduction_threads([0.02], 74)
    assert " 1 more row, re-run on the other thread count, moved by 0.0200 AUROC (74 re-run rows in all)" in one
    assert narration.reproduction_threads([], 73) == ""


def test_near_twins_ratio_sets_the_hard_class_ratio_against_the_easy_one():
    text = narration.near_twins_ratio(6, 8, {6: (4.64, 4.24), 8: (7.35, 4.19)})
    assert "A shirt's nearest neighbour lies on average 4.64 away" in text
    assert f"only {4.64 / 4.24:.2f} times a *normal* test image's 4.24" in text
    assert f"A bag lies 7.35 away, {7.35 / 4.19:.2f} times the normal images' 4.19" in text


def test_egbad_ablation_caveat_only_while_egbad_is_near_chance():
    near = {"mnist": Interval(0.52, 0.43, 0.61, 3), "fashion_mnist": Interval(0.52, 0.18, 0.87, 3)}
    lg = Paired("egbad", "egbad[L_G]", "fashion_mnist", "one_class_anomalous", "auroc", 10, 2, 8, 0, -0.002, 0.0,
                0.0488, 0.342, 0.05, 0, "Holm", -1)
    other = Paired("egbad", "egbad[L_G]", "mnist", "one_class_anomalous", "auroc", 10, 4, 6, 0, -0.001, 0.0, 0.625,
                   1.0, 0.05, 0, "Holm", -1)
    text = narration.egbad_ablation_caveat([other, lg], near)
    assert text.startswith("* *A caveat:* EGBAD itself ranks near chance (class means 0.52 on MNIST, 0.52 on "
                           "Fashion-MNIST), so its ablations say little about a working BiGAN")
    assert "on Fashion-MNIST $\\alpha = 0.9$ is below $L_G$ alone on 8 of 10 classes (raw p = 0.049, Holm-adjusted " \
           "0.34)." in text and "on MNIST $\\alpha" not in text
    # no raw p below alpha: the caveat alone
    assert narration.egbad_ablation_caveat([other], near).endswith("about a working BiGAN.")
    # EGBAD above chance on one data set, or no interval (one seed): nothing
    assert narration.egbad_ablation_caveat([lg], {**near, "mnist": Interval(0.7, 0.65, 0.75, 3)}) == ""
    assert narration.egbad_ablation_caveat([lg], {"mnist": Interval(0.5, NAN, NAN, 1)}) == ""
